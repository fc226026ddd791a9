"""Dockerfiles, read from memory with dockerfile-parse (never written back), split into build stages.

Also Docker's word processing, for rules that need values: :func:`words` splits arguments as the
builder does, :func:`assignments` reads ``ENV``/``ARG`` pairs, :func:`expand` substitutes ``$X``,
``${X}``, ``${X:-word}``/``${X-word}`` and ``${X:+word}``/``${X+word}`` and removes quotes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from dockerfile_parse import DockerfileParser

from mxlint.sources import SourceError

_FLAG = re.compile(r"^--\S+")
_HEREDOC = re.compile(r"(?<!<)<<(-?)([\"']?)([A-Za-z_][\w.-]*)\2")  # <<EOF, <<-"EOF"; not <<<


@dataclass(frozen=True)
class Instruction:
    keyword: str  # upper case: FROM, USER, ENV, ...
    value: str  # the arguments, continuation lines joined, variables not substituted
    line: int  # 1-based first line
    end_line: int


@dataclass
class Stage:
    index: int
    base: str  # the image or earlier stage alias after FROM (flags such as --platform dropped)
    alias: str | None  # the name after AS
    line: int  # line of the FROM
    instructions: list[Instruction] = field(default_factory=list)  # after the FROM


@dataclass
class Dockerfile:
    instructions: list[Instruction]
    preamble: list[Instruction]  # before the first FROM: global ARGs
    stages: list[Stage]

    @cached_property
    def global_args(self) -> dict[str, str | None]:
        """ARGs declared before the first FROM: name -> default (None: no default). They are in scope
        for FROM lines only; a stage sees one after re-declaring it with a bare ``ARG name``."""
        scope: dict[str, str | None] = {}
        for instruction in self.preamble:
            if instruction.keyword == "ARG":
                for name, raw in assignments(instruction):
                    scope[name] = None if raw is None else expand(raw, scope).value
        return scope

    def parent(self, stage: Stage) -> Stage | None:
        """The earlier stage ``stage`` is built FROM, if its base (after global ARGs) is an alias."""
        base = expand(stage.base, self.global_args).value
        return self.stage_named(base, stage.index) if base else None

    def stage_named(self, name: str, before: int) -> Stage | None:
        """The earlier stage a ``FROM name`` refers to (aliases are case-insensitive), if any."""
        for stage in reversed(self.stages[:before]):
            if stage.alias and stage.alias.lower() == name.lower():
                return stage
        return None


def parse(data: bytes) -> Dockerfile:
    try:
        text = data.decode("utf-8-sig")  # Docker reads past a byte-order mark
    except UnicodeDecodeError as error:
        raise SourceError(f"cannot decode Dockerfile as UTF-8: {error.reason}") from None
    try:
        parser = DockerfileParser(fileobj=io.BytesIO(text.encode()), env_replace=False)
        structure = parser.structure
    except Exception as error:  # dockerfile-parse is lenient; anything it raises is a parse failure
        raise SourceError(f"cannot parse Dockerfile: {type(error).__name__}: {error}") from None
    instructions = _instructions(structure, text.splitlines())
    preamble: list[Instruction] = []
    stages: list[Stage] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            parts = [word for word in instruction.value.split() if not _FLAG.match(word)]
            base = parts[0] if parts else ""
            alias = parts[2] if len(parts) >= 3 and parts[1].lower() == "as" else None
            stages.append(Stage(len(stages), base, alias, instruction.line))
        elif stages:
            stages[-1].instructions.append(instruction)
        else:
            preamble.append(instruction)
    return Dockerfile(instructions, preamble, stages)


def _instructions(structure: list[dict[str, Any]], lines: list[str]) -> list[Instruction]:
    """Instructions with 1-based lines. dockerfile-parse does not know BuildKit heredocs
    (``RUN <<EOF`` ... ``EOF``): their bodies would read as instructions, so each body is folded into
    the instruction that opens it."""
    instructions: list[Instruction] = []
    body_end = 0
    for item in structure:
        start, end = item["startline"] + 1, item["endline"] + 1
        if item["instruction"] == "COMMENT" or start <= body_end:
            continue
        keyword = item["instruction"].upper()
        if keyword in ("RUN", "COPY", "ADD"):
            for strip, _quote, delimiter in _HEREDOC.findall(item["value"]):
                # The body starts on the next line and runs to the delimiter's own line.
                close = next(
                    (
                        number
                        for number in range(end + 1, len(lines) + 1)
                        if (lines[number - 1].lstrip("\t") if strip else lines[number - 1]) == delimiter
                    ),
                    None,
                )
                if close is None:
                    break  # no closing line: not a heredoc (e.g. "<<EOF" inside quotes)
                end = close
            body_end = end
        instructions.append(Instruction(keyword, item["value"], start, end))
    return instructions


# Word processing, after moby/buildkit's frontend/dockerfile/shell lexer: single quotes are literal,
# double quotes keep escapes of ``"``, ``$``, ``\\`` and expand variables, a bare backslash escapes.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_MODIFIER = re.compile(r"(:?[-+])")


@dataclass(frozen=True)
class Expansion:
    value: str | None  # the processed word; None when it needs a variable whose value is unknown
    references: tuple[str, ...]  # the variables it names, in order


def words(text: str) -> list[str]:
    """Split on white space outside quotes and escapes; quotes and escapes are kept in each word."""
    found: list[str] = []
    current: list[str] = []
    quote = ""
    index = 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\" and quote == '"' and index + 1 < len(text):
                current.append(text[index : index + 2])
                index += 2
                continue
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        elif char.isspace():
            if current:
                found.append("".join(current))
                current = []
            index += 1
            continue
        current.append(char)
        index += 1
    if current:
        found.append("".join(current))
    return found


def assignments(instruction: Instruction) -> list[tuple[str, str | None]]:
    """``ENV``/``ARG`` pairs as (name, raw value), the value still quoted and unexpanded; None for an
    ``ARG`` without a default. Handles ``ENV a=1 b="2 3"``, the legacy ``ENV name value with spaces``
    and ``ARG a b=2``."""
    if instruction.keyword not in ("ENV", "ARG"):
        return []
    parts = words(instruction.value)
    if instruction.keyword == "ENV" and parts and "=" not in parts[0]:
        rest = instruction.value.strip()[len(parts[0]) :].strip()
        return [(parts[0], rest)]
    pairs: list[tuple[str, str | None]] = []
    for part in parts:
        name, equals, raw = part.partition("=")
        pairs.append((name, raw if equals else None))
    return pairs


def expand(word: str, scope: Mapping[str, str | None]) -> Expansion:
    """Process one word as the builder does. ``scope`` maps a name to its value, or to None when it
    is declared without one (an ``ARG`` with no default: unset); a name missing from ``scope`` has an
    unknown value (the base image may set it)."""
    out: list[str] = []
    references: list[str] = []
    known = True
    quote = ""
    index = 0
    while index < len(word):
        char = word[index]
        if char == "'" and quote != '"':
            quote = "" if quote else "'"
            index += 1
        elif char == '"' and quote != "'":
            quote = "" if quote else '"'
            index += 1
        elif char == "\\" and quote != "'" and index + 1 < len(word):
            following = word[index + 1]
            if quote == '"' and following not in '"$\\':
                out.append(char)
            out.append(following)
            index += 2
        elif char == "$" and quote != "'":
            value, name, index = _reference(word, index, scope)
            if name:
                references.append(name)
            if value is None:
                known = False
            else:
                out.append(value)
        else:
            out.append(char)
            index += 1
    return Expansion("".join(out) if known else None, tuple(references))


def _reference(word: str, start: int, scope: Mapping[str, str | None]) -> tuple[str | None, str, int]:
    """(value or None if unknown, variable name, index after) for the ``$`` at ``start``."""
    braced = word.startswith("{", start + 1)
    match = _NAME.match(word, start + 2 if braced else start + 1)
    if not match:
        return "$", "", start + 1  # a lone $ is literal
    name, index = match.group(), match.end()
    modifier, default = "", ""
    if braced:
        end = word.find("}", index)
        if end < 0:
            return None, name, len(word)
        operator = _MODIFIER.match(word, index)
        if operator:
            modifier = operator.group()
            default = word[operator.end() : end]
        elif end != index:
            return None, name, end + 1  # ${X#pattern} and friends: not evaluated
        index = end + 1
    value = scope.get(name, _UNKNOWN)
    if value is _UNKNOWN:
        return None, name, index
    is_set = value is not None
    usable = is_set and (value != "" or ":" not in modifier)
    if modifier.endswith("-"):
        chosen = value if usable else expand(default, scope).value
    elif modifier.endswith("+"):
        chosen = expand(default, scope).value if usable else ""
    else:
        chosen = value or ""
    return chosen, name, index


_UNKNOWN: Any = object()
