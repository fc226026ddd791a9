"""MX701: a deployable MaintainX service whose docs have no rollback section."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

from mxlint.checks.base import Project, TextRule, rule
from mxlint.checks.python.project_facts import MaintainXUsage, relative
from mxlint.config import Settings
from mxlint.model import FileKind

ROLLBACK = "rollback"
_DOC_NAME = re.compile(r"(?i)^(readme|runbook)")
_WORDS = re.compile(r"(?i)\broll(ing|ed)?[\s-]?back")
_ATX = re.compile(r"^ {0,3}#{1,6}\s")  # Markdown "## Rollback"
_UNDERLINE = re.compile(r"^ {0,3}([=\-~^*#+])\1{2,}\s*$")  # setext Markdown and reStructuredText


def has_rollback_heading(lines: list[str]) -> bool:
    for index, line in enumerate(lines):
        if not _WORDS.search(line):
            continue
        if _ATX.match(line):
            return True
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if line.strip() and _UNDERLINE.match(following):
            return True
    return False


class _Python(MaintainXUsage):
    pass


@rule("MX701")
class DocsWithoutRollbackSection(TextRule):
    PARTS = {FileKind.PYTHON: _Python}

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        path = PurePosixPath(relpath)
        in_docs = "docs" in path.parts[:-1] and path.suffix.lower() in (".md", ".markdown", ".rst")
        return in_docs or bool(_DOC_NAME.match(path.name))

    def check(self) -> None:
        self.record(ROLLBACK if has_rollback_heading(self.context.lines) else "doc")

    @classmethod
    def finalize(cls, project: Project) -> None:
        facts: list[tuple[str, Any]] = project.facts_of(cls.RULE_ID)
        # A service in a monorepo is covered by the repository's own README or runbook.
        if any(fact == ROLLBACK for _, fact in (*facts, *project.outer_facts_of(cls.RULE_ID))):
            return
        kinds = set(project.files.values())
        deployed = FileKind.DOCKERFILE in kinds or FileKind.KUBERNETES in kinds
        if not deployed and not any(isinstance(fact, dict) for _, fact in facts):
            return  # not a deployable MaintainX service: a library, a docs folder
        docs = sorted(
            (relative(project.root, path) for path, fact in facts if fact == "doc"),
            key=lambda name: (name.count("/"), not name.lower().startswith("readme"), name),
        )
        # No docs at all: the README that should be written, else the code that calls MaintainX.
        callers = sorted(relative(project.root, path) for path, fact in facts if isinstance(fact, dict))
        project.report(cls.RULE_ID, project.anchor(*docs, "README.md", *callers), 1)
