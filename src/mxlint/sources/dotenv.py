"""``.env`` files, parsed the way python-dotenv and docker compose read them.

A line is ``[export ]KEY=VALUE``. An unquoted value ends at a ``#`` that follows white space (a
comment); a single-quoted value is literal; a double-quoted value may hold escapes, ``${VAR}``
references and line breaks (it continues until the closing quote). Blank lines, comment lines and
lines that are not assignments are skipped, as python-dotenv does, so parsing never fails.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*(?P<rest>.*)$")


@dataclass(frozen=True)
class Entry:
    line: int  # 1-based line of the key
    column: int  # 1-based column of the key
    key: str
    value: str  # unquoted, comment removed; never put it in a message
    quote: str  # "'", '"' or "" (unquoted)


def parse(lines: Sequence[str]) -> list[Entry]:
    entries = []
    index = 0
    while index < len(lines):
        match = _ASSIGNMENT.match(lines[index])
        number = index + 1
        index += 1
        if match is None:
            continue
        rest = match.group("rest")
        quote = rest[:1] if rest[:1] in ("'", '"') else ""
        if quote:
            body, index = _quoted(rest[1:], quote, lines, index)
            value = body
        else:
            value = _strip_comment(rest).strip()
        entries.append(Entry(number, match.start("key") + 1, match.group("key"), value, quote))
    return entries


def _quoted(first: str, quote: str, lines: Sequence[str], index: int) -> tuple[str, int]:
    """The body of a quoted value that starts with ``first`` (after the opening quote), possibly
    continuing on the following lines; returns it and the index of the next unread line."""
    parts = []
    text = first
    while True:
        end = _closing(text, quote)
        if end >= 0:
            parts.append(text[:end])
            return "\n".join(parts), index
        parts.append(text)
        if index >= len(lines):
            return "\n".join(parts), index  # unterminated: the rest of the file is the value
        text = lines[index]
        index += 1


def _closing(text: str, quote: str) -> int:
    escaped = False
    for position, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and quote == '"':
            escaped = True
        elif char == quote:
            return position
    return -1


def _strip_comment(value: str) -> str:
    for position, char in enumerate(value):
        if char == "#" and (position == 0 or value[position - 1] in " \t"):
            return value[:position]
    return value
