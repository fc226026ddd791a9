"""MX103: an ENV or ARG in a Dockerfile gives a key-like name a literal value (never echoed)."""

from __future__ import annotations

import re

from mxlint.analysis.secrets import is_credential_assignment
from mxlint.checks.base import DockerfileRule, rule
from mxlint.sources.dockerfile import Instruction, assignments, expand

_DEFAULTED = re.compile(r"(?P<q>\"?)\$\{\w+:?-(?P<default>[^}$]*)\}(?P=q)")
_WHERE = {
    "ENV": "the image config keeps it, `docker inspect` shows it",
    "ARG": "the Dockerfile and the `RUN` steps' history (`docker history`) keep it",
}


def baked_value(raw: str) -> str | None:
    """The text an ``ENV``/``ARG`` value bakes into the image, or None when it comes from a variable.
    ``${X:-default}`` alone counts as its default, which the image keeps when X is not given."""
    expansion = expand(raw, {})
    if not expansion.references:
        return expansion.value or ""
    defaulted = _DEFAULTED.fullmatch(raw.strip())
    return (expand(defaulted.group("default"), {}).value or "") if defaulted else None


def _unwrap_onbuild(instruction: Instruction) -> Instruction:
    """``ONBUILD ENV K=V`` is an ``ENV`` for every image built from this one."""
    if instruction.keyword != "ONBUILD":
        return instruction
    keyword, _, rest = instruction.value.strip().partition(" ")
    return Instruction(keyword.upper(), rest, instruction.line, instruction.end_line)


@rule("MX103")
class DockerfileSecretInEnv(DockerfileRule):
    def check(self) -> None:
        for instruction in map(_unwrap_onbuild, self.context.dockerfile.instructions):
            for name, raw in assignments(instruction):
                value = None if raw is None else baked_value(raw)
                if value is not None and is_credential_assignment(name, value):
                    line, column = self._locate(instruction, name)
                    self.report(
                        line,
                        column,
                        keyword=instruction.keyword,
                        name=name,
                        where=_WHERE[instruction.keyword],
                    )

    def _locate(self, instruction: Instruction, name: str) -> tuple[int, int | None]:
        """The line and column of ``name`` inside a possibly continued instruction."""
        pattern = re.compile(rf"(?<![\w$]){re.escape(name)}(?=[=\s])")
        for line in range(instruction.line, instruction.end_line + 1):
            text = self.context.line_text(line)
            if not text.lstrip().startswith("#") and (match := pattern.search(text)):
                return line, match.start() + 1
        return instruction.line, None
