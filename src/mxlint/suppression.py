"""The one parser for ``# mxlint: ignore[...]`` comments, shared by every file kind that uses ``#``.

An ignore covers its own line and, when the comment stands alone on its line, the line below it;
for Python, a finding is also covered the same way from the first line of its enclosing statement.
A bare ``# mxlint: ignore`` names no rule: it suppresses nothing and is reported as MX001, so a
blanket comment can never hide a P0 from the gate.

Only real comments count, never text inside a string: Python comments come from :mod:`tokenize`;
in YAML a comment is a ``#`` at the start of a line or after white space, outside quotes and outside
block scalars (``|``/``>``); elsewhere (Dockerfiles, ``.env``) a ``#`` at the start of a line or
after white space, outside quotes.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable
from dataclasses import dataclass

from mxlint import registry

_IGNORE = re.compile(r"#\s*mxlint\s*:\s*ignore\b(?!-)(?P<bracket>\[(?P<handles>[^\]]*)\])?(?P<reason>.*)")
_QUICK = re.compile(rb"mxlint\s*:\s*ignore")


@dataclass(frozen=True)
class Ignore:
    line: int
    rule_ids: frozenset[str]  # resolved ids; handles that name no rule are dropped
    reason: str
    bare: bool
    column: int = 1
    own_line: bool = True  # a comment alone on its line also covers the line below


def _comments_python(text: str) -> Iterable[tuple[int, int, str, bool]]:
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                own_line = not token.line[: token.start[1]].strip()
                yield token.start[0], token.start[1] + 1, token.string, own_line
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return


def _comment_start(line: str) -> int:
    """Index of the ``#`` that starts a comment on ``line``, or -1: outside quotes, after white space."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (index == 0 or line[index - 1] in " \t"):
            return index
    return -1


_BLOCK_SCALAR = re.compile(r"(^|[:\-]\s+|^\s*-\s*)[|>][-+0-9]*\s*(#.*)?$")


def _comments_plain(text: str, yaml: bool) -> Iterable[tuple[int, int, str, bool]]:
    block_parent: int | None = None  # indentation of the line that opened a YAML block scalar
    for number, line in enumerate(text.splitlines(), start=1):
        indent = len(line) - len(line.lstrip())
        if block_parent is not None:
            if not line.strip() or indent > block_parent:
                continue  # inside a literal or folded block: text, not comments
            block_parent = None
        index = _comment_start(line)
        if index >= 0:
            yield number, index + 1, line[index:], not line[:index].strip()
        if yaml and _BLOCK_SCALAR.search(line[:index] if index >= 0 else line):
            block_parent = indent


def _reason(raw: str) -> str:
    return raw.strip().lstrip(":-–— ").strip()  # noqa: RUF001 - dashes people put before a reason


def parse(text: str, data: bytes, python: bool, yaml: bool = False) -> list[Ignore]:
    """All ignore comments in a file. ``data`` is the raw content, used for a cheap first test."""
    if not _QUICK.search(data):
        return []
    ignores = []
    comments = _comments_python(text) if python else _comments_plain(text, yaml)
    for line, column, comment, own_line in comments:
        match = _IGNORE.search(comment)
        if match is None:
            continue
        ids = set()
        for handle in (match.group("handles") or "").split(","):
            meta = registry.lookup(handle) if handle.strip() else None
            if meta is not None:
                ids.add(meta.id)
        bare = match.group("bracket") is None
        ignores.append(Ignore(line, frozenset(ids), _reason(match.group("reason")), bare, column, own_line))
    return ignores


class Suppressions:
    """Answers "is this finding ignored, and why?" for one file."""

    def __init__(self, ignores: list[Ignore]) -> None:
        self.by_line: dict[int, list[Ignore]] = {}
        for ignore in ignores:
            if not ignore.bare:
                self.by_line.setdefault(ignore.line, []).append(ignore)

    def __bool__(self) -> bool:
        return bool(self.by_line)

    def justification(self, rule_id: str, line: int, statement_line: int | None = None) -> str | None:
        """The reason text when an ignore covers ``rule_id`` at ``line``; ``None`` when none does."""
        candidates = [(line, False), (line - 1, True)]
        if statement_line is not None and statement_line != line:
            candidates += [(statement_line, False), (statement_line - 1, True)]
        for candidate, needs_own_line in candidates:
            for ignore in self.by_line.get(candidate, ()):
                if rule_id in ignore.rule_ids and (ignore.own_line or not needs_own_line):
                    return ignore.reason
        return None
