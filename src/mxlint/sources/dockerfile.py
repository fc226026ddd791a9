"""Dockerfiles, read from memory with dockerfile-parse (never written back), split into build stages."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

from dockerfile_parse import DockerfileParser

from mxlint.sources import SourceError

_FLAG = re.compile(r"^--\S+")


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

    def stage_named(self, name: str, before: int) -> Stage | None:
        """The earlier stage a ``FROM name`` refers to (aliases are case-insensitive), if any."""
        for stage in reversed(self.stages[:before]):
            if stage.alias and stage.alias.lower() == name.lower():
                return stage
        return None


def parse(data: bytes) -> Dockerfile:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(f"cannot decode Dockerfile as UTF-8: {error.reason}") from None
    try:
        parser = DockerfileParser(fileobj=io.BytesIO(text.encode()), env_replace=False)
        structure = parser.structure
    except Exception as error:  # dockerfile-parse is lenient; anything it raises is a parse failure
        raise SourceError(f"cannot parse Dockerfile: {type(error).__name__}: {error}") from None
    instructions = [
        Instruction(item["instruction"].upper(), item["value"], item["startline"] + 1, item["endline"] + 1)
        for item in structure
        if item["instruction"] not in ("COMMENT",)
    ]
    preamble: list[Instruction] = []
    stages: list[Stage] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            words = [word for word in instruction.value.split() if not _FLAG.match(word)]
            base = words[0] if words else ""
            alias = words[2] if len(words) >= 3 and words[1].lower() == "as" else None
            stages.append(Stage(len(stages), base, alias, instruction.line))
        elif stages:
            stages[-1].instructions.append(instruction)
        else:
            preamble.append(instruction)
    return Dockerfile(instructions, preamble, stages)
