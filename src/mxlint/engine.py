"""Parse each file once, run the rules of its kind, then the repository-level finalise step.

Files are checked in parallel worker processes. Each worker returns plain data (findings, facts,
notifications); the parent sorts everything, so the output is byte-identical whatever ``--jobs`` is.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from mxlint import fingerprint, registry, suppression
from mxlint.cache import ResultCache
from mxlint.checks.base import KIND_BASES, SUBJECT, FileContext, Project, Report, Rule, registered
from mxlint.config import Settings
from mxlint.discovery import SourceFile
from mxlint.model import FileKind, Finding, Notification, Priority, RuleMeta, Scope
from mxlint.sources import SkippedSourceError, SourceError

PARSE_ERROR = "MX000"
BARE_IGNORE = "MX001"
# Kinds whose comments start with '#', where '# mxlint: ignore[...]' works.
COMMENT_KINDS = frozenset(FileKind) - {FileKind.TEXT}
YAML_KINDS = frozenset({FileKind.YAML, FileKind.KUBERNETES, FileKind.PRECOMMIT})
# Files that mark a folder as a project of its own (a service in a monorepo, a sample in fixtures/).
PROJECT_MARKERS = frozenset({"pyproject.toml", "setup.py", "setup.cfg", "requirements.txt", "Pipfile"})
_MIN_FILES_PER_WORKER = 8
# Files of kind text (anything unclassified) are read whole only when they are text of a sane size.
BINARY_SNIFF_BYTES = 8192
MAX_TEXT_BYTES = 1024 * 1024

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Plan:
    """Everything a worker needs to check files: picklable, built once per run."""

    rules: tuple[RuleMeta, ...]  # enabled, with effective priorities
    settings: Settings
    file_rules: bool = True
    project_rules: bool = True

    def runs(self, meta: RuleMeta) -> bool:
        """Whether the scope lets ``meta`` run: project rules only over folders, file rules over files."""
        return self.project_rules if meta.scope is Scope.PROJECT else self.file_rules


@dataclass
class FileOutcome:
    relpath: str
    findings: list[Finding] = field(default_factory=list)
    facts: dict[str, list[Any]] = field(default_factory=dict)
    notifications: list[Notification] = field(default_factory=list)


class _Checker:
    """Per-process state: the rule classes of the plan, grouped by file kind."""

    def __init__(self, plan: Plan) -> None:
        classes = registered()
        self.plan = plan
        self.metas = {meta.id: meta for meta in plan.rules}
        # kind -> the base classes that run on it -> their rules. A rule runs on every kind its YAML
        # lists (a secrets scan reads Python, YAML and Dockerfiles alike), through its own base.
        self.by_kind: dict[FileKind, dict[type[Rule], list[type[Rule]]]] = {}
        for meta in plan.rules:
            cls = classes.get(meta.id)
            if cls is None or not plan.runs(meta):
                continue
            for kind in meta.kinds:
                runner = cls.runner(kind)
                self.by_kind.setdefault(kind, {}).setdefault(runner.base(), []).append(runner)

    def kinds(self) -> set[FileKind]:
        kinds = set(self.by_kind)
        if self.plan.file_rules and BARE_IGNORE in self.metas:
            kinds |= COMMENT_KINDS
        return kinds

    def wants(self, source: SourceFile) -> bool:
        """Whether any enabled rule looks at ``source``: a text rule about READMEs never reads images."""
        if self.plan.file_rules and BARE_IGNORE in self.metas and source.kind in COMMENT_KINDS:
            return True
        rules = (rule for group in self.by_kind.get(source.kind, {}).values() for rule in group)
        return any(rule.applies_to(source.relpath, self.plan.settings) for rule in rules)

    def check(self, source: SourceFile) -> FileOutcome:
        outcome = FileOutcome(source.relpath)
        try:
            if source.kind is FileKind.TEXT and not self._is_text(source, outcome):
                return outcome
            data = source.path.read_bytes()
        except OSError as error:
            message = f"cannot read file: {error.strerror or error}"
            outcome.notifications.append(Notification(source.relpath, message))
            if PARSE_ERROR in self.metas:
                outcome.findings.append(
                    self.finding(Report(PARSE_ERROR, {"reason": message}), source.relpath)
                )
            return outcome

        owner = KIND_BASES.get(source.kind)
        context = (owner.CONTEXT if owner else FileContext)(
            source.relpath, source.kind, data, self.plan.settings, kustomize_patch=source.kustomize_patch
        )
        # The kind's own base first: if its document does not parse, the other bases still run.
        runs = sorted(self.by_kind.get(source.kind, {}).items(), key=lambda item: item[0] is not owner)
        for base, rules in runs:
            try:
                base.check_file(rules, context)
            except SkippedSourceError as skipped:
                self._drop(context, rules)
                outcome.notifications.append(
                    Notification(context.relpath, skipped.message, skipped.line, level="note")
                )
            except SourceError as error:
                self._unchecked(context, outcome, rules, error.message, error.line, error.column)
            except Exception as error:  # a rule bug must not end the scan; it is reported instead
                message = f"internal error while checking this file ({type(error).__name__}: {error})"
                self._unchecked(context, outcome, rules, message, 1, None)

        ignores = suppression.parse(
            context.text, data, python=source.kind is FileKind.PYTHON, yaml=source.kind in YAML_KINDS
        )
        if self.plan.file_rules and BARE_IGNORE in self.metas and source.kind in COMMENT_KINDS:
            for ignore in ignores:
                if ignore.bare:
                    context.reports.append(Report(BARE_IGNORE, {}, line=ignore.line, column=ignore.column))
        outcome.findings.extend(self._findings(context, suppression.Suppressions(ignores)))
        outcome.facts = context.facts
        return outcome

    @staticmethod
    def _is_text(source: SourceFile, outcome: FileOutcome) -> bool:
        """Whether an unclassified file is text worth reading whole: binaries (a NUL byte near the
        start: images, archives, compiled libraries) are not text; text over the size cap is data."""
        with source.path.open("rb") as handle:
            if b"\0" in handle.read(BINARY_SNIFF_BYTES):
                return False
            size = os.fstat(handle.fileno()).st_size
        if size > MAX_TEXT_BYTES:
            message = f"skipped: {size // 1024:,} KiB of text is data, not configuration (limit 1 MiB)"
            outcome.notifications.append(Notification(source.relpath, message, level="note"))
            return False
        return True

    @staticmethod
    def _drop(context: FileContext, rules: Sequence[type[Rule]]) -> None:
        """Forget what ``rules`` reported on a file they could not finish: partial results mislead."""
        ids = {rule.RULE_ID for rule in rules}
        context.reports[:] = [report for report in context.reports if report.rule_id not in ids]
        for rule_id in ids:
            context.facts.pop(rule_id, None)

    def _unchecked(
        self,
        context: FileContext,
        outcome: FileOutcome,
        rules: Sequence[type[Rule]],
        message: str,
        line: int,
        column: int | None,
    ) -> None:
        self._drop(context, rules)
        outcome.notifications.append(Notification(context.relpath, message, line))
        if PARSE_ERROR in self.metas:
            context.reports.append(Report(PARSE_ERROR, {"reason": message}, line=line, column=column))

    def finding(self, report: Report, path: str, justification: str | None = None) -> Finding:
        meta = self.metas[report.rule_id]
        return Finding(
            rule_id=report.rule_id,
            path=path,
            line=report.line,
            column=report.column,
            end_line=report.end_line,
            end_column=report.end_column,
            message=meta.message.format(**report.args),
            priority=meta.priority,
            justification=justification,
        )

    def _findings(self, context: FileContext, suppressions: suppression.Suppressions) -> list[Finding]:
        reports = sorted(context.reports, key=lambda r: (r.line, r.column or 0, r.rule_id))
        findings = []
        for report in reports:
            justification = None
            if suppressions and report.rule_id not in (PARSE_ERROR, BARE_IGNORE):
                statement = context.statement_line(report)
                justification = suppressions.justification(report.rule_id, report.line, statement)
            findings.append(self.finding(report, context.relpath, justification))
        return _with_fingerprints(findings, lambda finding: context.line_text(finding.line))


def _with_fingerprints(findings: list[Finding], line_text: Callable[[Finding], str]) -> list[Finding]:
    keys = [(finding.rule_id, finding.path, line_text(finding)) for finding in findings]
    values = fingerprint.fingerprints(keys)
    return [replace(finding, fingerprint=value) for finding, value in zip(findings, values, strict=True)]


_CHECKER: _Checker | None = None


def _init_worker(plan: Plan) -> None:
    global _CHECKER
    _CHECKER = _Checker(plan)


def _check_in_worker(source: SourceFile) -> FileOutcome:
    assert _CHECKER is not None
    return _CHECKER.check(source)


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork starts workers in milliseconds with the rules already loaded; elsewhere use the default.
    if sys.platform == "linux":
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _execute(
    checker: _Checker, sources: Sequence[SourceFile], jobs: int, progress: Progress | None
) -> Iterable[FileOutcome]:
    workers = min(jobs, max(1, len(sources) // _MIN_FILES_PER_WORKER))
    if workers <= 1:
        for done, source in enumerate(sources, start=1):
            yield checker.check(source)
            if progress:
                progress(done, len(sources))
        return
    chunksize = max(1, min(64, len(sources) // (workers * 8)))
    with ProcessPoolExecutor(workers, _pool_context(), _init_worker, (checker.plan,)) as pool:
        for done, outcome in enumerate(pool.map(_check_in_worker, sources, chunksize=chunksize), start=1):
            yield outcome
            if progress:
                progress(done, len(sources))


def project_roots(sources: Sequence[SourceFile], folders: Iterable[str]) -> list[str]:
    """Folders that are projects: the folders scanned, and any folder holding a project manifest."""
    roots = set(folders)
    for source in sources:
        posix = PurePosixPath(source.relpath)
        if posix.name in PROJECT_MARKERS:
            roots.add(str(posix.parent))
    return sorted(roots)


def _encloses(relpath: str, root: str) -> bool:
    """Whether the file ``relpath`` sits directly in a folder above the project ``root``."""
    folder = str(PurePosixPath(relpath).parent)
    return root != "." and folder != root and (folder == "." or root.startswith(folder + "/"))


def _owner(relpath: str, roots: Sequence[str]) -> str | None:
    best = None
    for root in roots:
        inside = root == "." or relpath.startswith(root + "/")
        if inside and (best is None or len(root) > len(best)):
            best = root
    return best


@dataclass
class EngineResult:
    findings: list[Finding]
    notifications: list[Notification]
    files_checked: int
    subjects: frozenset[str] = frozenset()  # rules that found their YAML subject in some file


def run(
    plan: Plan,
    sources: Sequence[SourceFile],
    folders: Sequence[str],
    read_line: Callable[[str, int], str],
    jobs: int | None = None,
    progress: Progress | None = None,
    cache: ResultCache | None = None,
    repositories: Collection[str] = frozenset(),
) -> EngineResult:
    """Check ``sources`` with ``plan``; ``folders`` are the scanned folders (relative), for projects,
    and ``repositories`` those of them that are git repositories."""
    checker = _Checker(plan)
    kinds = checker.kinds()
    selected = [source for source in sources if source.kind in kinds and checker.wants(source)]
    outcomes: list[FileOutcome] = []
    pending = []
    for source in selected:
        hit = cache.get(source) if cache else None
        if hit is None:
            pending.append(source)
        else:
            outcomes.append(FileOutcome(source.relpath, *hit))
    by_path = {source.relpath: source for source in pending}
    for outcome in _execute(checker, pending, jobs or os.cpu_count() or 1, progress):
        if cache:
            cache.put(by_path[outcome.relpath], outcome.findings, outcome.facts, outcome.notifications)
        outcomes.append(outcome)
    if cache:
        cache.save({source.relpath for source in selected})

    findings: list[Finding] = []
    notifications: list[Notification] = []
    facts: dict[str, list[tuple[str, Any]]] = {}
    for outcome in outcomes:
        findings.extend(outcome.findings)
        notifications.extend(outcome.notifications)
        for rule_id, values in outcome.facts.items():
            facts.setdefault(rule_id, []).extend((outcome.relpath, value) for value in values)

    if plan.project_rules:
        findings.extend(_finalize(checker, sources, folders, facts, read_line, repositories))
    findings.sort(key=Finding.sort_key)
    notifications.sort(key=lambda n: (n.path, n.line or 0, n.message))
    subjects = frozenset(
        rule_id for rule_id, entries in facts.items() if any(v == SUBJECT for _, v in entries)
    )
    return EngineResult(findings, notifications, len(selected), subjects)


def _finalize(
    checker: _Checker,
    sources: Sequence[SourceFile],
    folders: Sequence[str],
    facts: Mapping[str, list[tuple[str, Any]]],
    read_line: Callable[[str, int], str],
    repositories: Collection[str],
) -> list[Finding]:
    project_rules = [
        cls for meta_id, cls in registered().items()
        if meta_id in checker.metas and checker.metas[meta_id].scope is Scope.PROJECT
    ]  # fmt: skip
    if not project_rules:
        return []
    roots = project_roots(sources, folders)
    owned: dict[str, dict[str, FileKind]] = {root: {} for root in roots}
    for source in sources:
        owner = _owner(source.relpath, roots)
        if owner is not None:
            owned[owner][source.relpath] = source.kind
    findings = []
    for root in roots:
        if not owned[root]:
            continue  # a folder that only holds other projects
        project_facts: dict[str, list[tuple[str, Any]]] = {}
        for rule_id, entries in facts.items():
            project_facts[rule_id] = [(path, value) for path, value in entries if path in owned[root]]
        outer = {
            rule_id: [(path, value) for path, value in entries if _encloses(path, root)]
            for rule_id, entries in facts.items()
        }
        standalone = (
            root == "."
            or root in repositories
            or any(
                PurePosixPath(path).name in PROJECT_MARKERS and str(PurePosixPath(path).parent) == root
                for path in owned[root]
            )
        )
        project = Project(root, owned[root], project_facts, outer_facts=outer, standalone=standalone)
        for cls in sorted(project_rules, key=lambda c: c.RULE_ID):
            cls.finalize(project)
        findings.extend(_project_findings(checker, project.reports, read_line))
    return findings


def _project_findings(
    checker: _Checker, reports: Sequence[Report], read_line: Callable[[str, int], str]
) -> list[Finding]:
    findings = []
    for report in reports:
        path = report.path or "."
        # An ignore comment on the anchor line (or alone on the line above) applies, as in files.
        lines = [
            read_line(path, number).rstrip("\r\n") for number in (report.line - 1, report.line) if number
        ]
        text = "\n".join(lines)
        ignores = suppression.Suppressions(suppression.parse(text, text.encode(), python=False))
        justification = ignores.justification(report.rule_id, len(lines)) if ignores else None
        findings.append(checker.finding(report, path, justification))
    # A finding anchored at line 1 is about the file or the project as a whole (no .gitignore entry, no
    # alert rules): its identity must not depend on whatever line 1 holds, or a new header comment would
    # reopen a baselined or dismissed finding.
    return _with_fingerprints(
        findings, lambda finding: "" if finding.line == 1 else read_line(finding.path, finding.line)
    )


def enabled_rules(
    select: Sequence[str], ignore: Sequence[str], priorities: Mapping[str, Priority]
) -> list[RuleMeta]:
    """Rules that select/ignore leave on, with effective priorities. MX000 stays on unless ignored:
    a file that went unchecked must never pass unnoticed."""
    metas = [replace(meta, priority=priorities.get(meta.id, meta.priority)) for meta in registry.all_rules()]
    chosen = {meta.id for meta in metas}
    if select:
        chosen = {PARSE_ERROR}.union(*(registry.resolve_selector(token, metas) for token in select))
    for token in ignore:
        chosen -= registry.resolve_selector(token, metas)
    return [meta for meta in metas if meta.id in chosen]
