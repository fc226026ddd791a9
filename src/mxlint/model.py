"""The data every layer shares: priorities, file kinds, rule metadata, findings and the run result.

Everything here is a frozen dataclass or an enum, so it pickles across worker processes and a
reporter can never change what the engine found.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

DOCS_URL = "https://github.com/mxlint/mxlint/blob/main/docs/rules.md"


class Priority(str, Enum):
    """Checklist priority; P0 is the most severe."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"

    @property
    def rank(self) -> int:
        return int(self.value[1])

    @property
    def sarif_level(self) -> str:
        return {"P0": "error", "P1": "warning", "P2": "note"}[self.value]

    def at_least(self, threshold: Priority) -> bool:
        """True when this priority is as severe as ``threshold`` or more."""
        return self.rank <= threshold.rank


class FileKind(str, Enum):
    """What a discovered file is, decided by name (and, for YAML, by a peek at its content)."""

    PYTHON = "python"
    DOCKERFILE = "dockerfile"
    KUBERNETES = "kubernetes"
    YAML = "yaml"
    GITIGNORE = "gitignore"
    DOTENV = "dotenv"
    PRECOMMIT = "pre-commit"
    TEXT = "text"


class Scope(str, Enum):
    """``file`` rules judge one file; ``project`` rules judge facts collected over the whole scan."""

    FILE = "file"
    PROJECT = "project"


@dataclass(frozen=True)
class Example:
    """One documented example. It is also a test: the engine runs it and checks the findings."""

    code: str | None = None
    path: str | None = None  # file name for ``code``; defaults to one matching the rule's kind
    files: tuple[tuple[str, str], ...] = ()  # multi-file examples: (relative path, content)
    lines: tuple[int, ...] | None = None  # invalid examples: the exact finding lines, when given
    note: str = ""
    fixed: str | None = None  # invalid examples of an autofix rule: the code after ``--fix``

    def as_files(self, default_path: str) -> dict[str, str]:
        if self.code is not None:
            return {self.path or default_path: self.code}
        return dict(self.files)


@dataclass(frozen=True)
class RuleMeta:
    """A rule's policy data, loaded from ``rules/<id>-<name>.yaml``."""

    id: str
    name: str
    title: str
    checklist: str | None
    priority: Priority
    category: str
    kinds: tuple[FileKind, ...]
    scope: Scope
    precision: str
    tags: tuple[str, ...]
    message: str
    description: str  # what it checks
    rationale: str  # why it matters in production
    fix: str  # how to fix it
    references: tuple[str, ...] = ()
    peers: str = ""
    limitations: str = ""
    valid: tuple[Example, ...] = ()
    invalid: tuple[Example, ...] = ()
    autofix: bool = False  # ``check --fix`` can rewrite some of its findings (the rule's ``fix`` method)
    # What the rule judges when a project may have none of it ("MaintainX webhook handlers"): a run in
    # which the rule records no subject is "not applicable" in the readiness report, not a pass.
    subject: str = ""

    @property
    def is_security(self) -> bool:
        return "security" in self.tags

    @property
    def help_uri(self) -> str:
        return f"{DOCS_URL}#{self.id.lower()}-{self.name}"


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``path`` is relative to the scan root, with ``/`` separators."""

    rule_id: str
    path: str
    line: int
    message: str
    priority: Priority
    column: int | None = None  # 1-based
    end_line: int | None = None
    end_column: int | None = None
    fingerprint: str = ""
    # Set when an inline ignore covers the finding; the text after the bracket, possibly empty.
    justification: str | None = None

    @property
    def suppressed(self) -> bool:
        return self.justification is not None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column or 0, self.rule_id, self.message)


@dataclass(frozen=True)
class Notification:
    """Something the tool itself could not do on a file (read or parse it), or chose not to."""

    path: str
    message: str
    line: int | None = None
    # SARIF notification level: "error" for a file that went unchecked against the user's wish,
    # "note" for one skipped on purpose (a Helm template, a link out of the scan root).
    level: str = "error"


@dataclass
class RunResult:
    """What the engine returns. Reporters render it; only the CLI decides the exit code."""

    findings: list[Finding]
    suppressed: list[Finding]
    rules: list[RuleMeta]  # every rule enabled for the run, with effective priorities, sorted by id
    notifications: list[Notification] = field(default_factory=list)
    files_checked: int = 0
    # Enabled rules that did not run: repository-level rules when only files are checked (--scope).
    skipped: tuple[str, ...] = ()
    baselined: list[Finding] = field(default_factory=list)  # findings a --baseline file already holds
    # The kinds of file the scan found (None: not known), so a report can tell "nothing to check"
    # (no Dockerfile at all) from "checked and passed".
    kinds_scanned: frozenset[FileKind] | None = None
    # Rules that found their ``subject`` (see RuleMeta) in some file; None: not known.
    subjects_seen: frozenset[str] | None = None

    def rule(self, rule_id: str) -> RuleMeta:
        for meta in self.rules:
            if meta.id == rule_id:
                return meta
        raise KeyError(rule_id)

    def count_by_priority(self) -> dict[Priority, int]:
        counts = {priority: 0 for priority in Priority}
        for finding in self.findings:
            counts[finding.priority] += 1
        return counts

    def fails(self, threshold: Priority | None) -> bool:
        """True when a finding is at or above ``threshold`` (``None`` means never fail)."""
        if threshold is None:
            return False
        return any(finding.priority.at_least(threshold) for finding in self.findings)
