"""Triggers: a cheap test over a file's raw bytes that decides whether a rule may fire there at all.

A file no trigger accepts is never parsed. A trigger may accept more than needed (that costs a parse,
never a finding), so word tests on the lower-cased bytes do: they run about 25 times faster than an
alternation regex with case-insensitive parts, which matters when thirty rules look at every file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Trigger(Protocol):
    def search(self, data: bytes, /) -> object: ...


class Words:
    """The file holds, ignoring case, at least one word of every group."""

    __slots__ = ("groups",)

    def __init__(self, *groups: Iterable[str]) -> None:
        self.groups = tuple(tuple(sorted({word.lower().encode() for word in group})) for group in groups)

    def search(self, data: bytes) -> bool:
        lowered = data.lower()
        return all(any(word in lowered for word in group) for group in self.groups)

    def __repr__(self) -> str:
        return f"Words{self.groups!r}"
