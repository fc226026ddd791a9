"""The one parser for ``# mxlint: ignore[...]`` comments, shared by every file kind that uses ``#``.

An ignore covers its own line and, when the comment stands alone on its line, the line below it;
for Python, a finding is also covered the same way from the first line of its enclosing statement.
A bare ``# mxlint: ignore`` names no rule: it suppresses nothing and is reported as MX001, so a
blanket comment can never hide a P0 from the gate.
Python comments are found with :mod:`tokenize`, so the text inside a string literal is never taken
for a suppression.
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


def _comments_plain(text: str) -> Iterable[tuple[int, int, str, bool]]:
    for number, line in enumerate(text.splitlines(), start=1):
        index = line.find("#")
        if index >= 0:
            yield number, index + 1, line[index:], not line[:index].strip()


def _reason(raw: str) -> str:
    return raw.strip().lstrip(":-–— ").strip()  # noqa: RUF001 - dashes people put before a reason


def parse(text: str, data: bytes, python: bool) -> list[Ignore]:
    """All ignore comments in a file. ``data`` is the raw content, used for a cheap first test."""
    if not _QUICK.search(data):
        return []
    ignores = []
    comments = _comments_python(text) if python else _comments_plain(text)
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
