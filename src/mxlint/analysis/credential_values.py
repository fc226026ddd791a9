"""Where a Dockerfile, a manifest or an env file gives a credential a literal value.

These are the findings of MX103 (``ENV``/``ARG``), MX104 (a container's ``env[].value``) and MX105
(``.env`` files), found once here: each rule reports its own, and MX102 leaves a ``Bearer`` literal
on those lines to them, so one secret is one finding. The judgement of a name and its value is
:func:`mxlint.analysis.secrets.is_credential_assignment`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import yaml

from mxlint.analysis.kubernetes import workloads
from mxlint.analysis.secrets import is_credential_assignment
from mxlint.sources import dotenv as dotenv_source
from mxlint.sources.dockerfile import Dockerfile, Instruction, assignments, expand
from mxlint.sources.yaml import column, get, items, key_node, line, scalar


@dataclass(frozen=True)
class CredentialValue:
    line: int  # where the finding goes: the name (Dockerfile, env file) or the `value:` key
    column: int | None
    name: str
    value: str  # compared, never put in a message
    lines: range  # the lines the name and its value span
    detail: str = ""  # the instruction keyword (ENV, ARG) or the container's label

    def holds(self, number: int, literal: str) -> bool:
        """Whether ``literal`` on line ``number`` is (part of) this value."""
        return number in self.lines and literal in self.value


# --- Dockerfiles (MX103) ---------------------------------------------------------------------------

_DEFAULTED = re.compile(r"(?P<q>\"?)\$\{\w+:?-(?P<default>[^}$]*)\}(?P=q)")


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


def dockerfile(parsed: Dockerfile, lines: Sequence[str]) -> Iterator[CredentialValue]:
    """Each ``ENV``/``ARG`` (behind ``ONBUILD`` too) that bakes a literal credential into the image."""
    for instruction in map(_unwrap_onbuild, parsed.instructions):
        for name, raw in assignments(instruction):
            value = None if raw is None else baked_value(raw)
            if value is not None and is_credential_assignment(name, value):
                at, at_column = _locate(instruction, name, lines)
                span = range(instruction.line, instruction.end_line + 1)
                yield CredentialValue(at, at_column, name, value, span, instruction.keyword)


def _locate(instruction: Instruction, name: str, lines: Sequence[str]) -> tuple[int, int | None]:
    """The line and column of ``name`` inside a possibly continued instruction."""
    pattern = re.compile(rf"(?<![\w$]){re.escape(name)}(?=[=\s])")
    for number in range(instruction.line, min(instruction.end_line, len(lines)) + 1):
        text = lines[number - 1]
        if not text.lstrip().startswith("#") and (match := pattern.search(text)):
            return number, match.start() + 1
    return instruction.line, None


# --- Kubernetes and Cloud Run manifests (MX104) -----------------------------------------------------


def manifest(documents: Iterable[yaml.Node]) -> Iterator[CredentialValue]:
    """Each container ``env`` entry whose literal ``value`` is a credential; at its ``value:`` key."""
    for workload in workloads(documents):
        for container in workload.containers:
            for entry in items(get(container.node, "env")):
                name, value = scalar(get(entry, "name")), get(entry, "value")
                at = key_node(entry, "value")  # the finding never shows the value itself
                if not (name and isinstance(value, yaml.ScalarNode) and at):
                    continue
                if is_credential_assignment(name, value.value):
                    span = range(line(at), _end_line(value) + 1)
                    yield CredentialValue(line(at), column(at), name, value.value, span, container.label)


def _end_line(node: yaml.Node) -> int:
    """The last line a node's text is on (a block scalar's end mark is the next line's start)."""
    end = node.end_mark.line + (1 if node.end_mark.column > 0 else 0)
    return max(end, line(node))


# --- .env files (MX105) ------------------------------------------------------------------------------


def dotenv(lines: Sequence[str]) -> Iterator[CredentialValue]:
    """Each ``KEY=value`` entry that gives a credential a literal value."""
    for entry in dotenv_source.parse(lines):
        if is_credential_assignment(entry.key, entry.value):
            span = range(entry.line, entry.line + entry.value.count("\n") + 1)
            yield CredentialValue(entry.line, entry.column, entry.key, entry.value, span)
