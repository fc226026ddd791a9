"""``mxlint check --fix`` / ``--diff``: rewrite the findings a rule can fix exactly.

Only findings of the run's result are fixed, so suppressed findings, per-file ignores and rules left
out by ``--select``/``--ignore`` are never touched. For each file holding such findings the file's
fixable rules run again, in this process, to get the reported nodes back; a report whose rule id and
position match a finding is handed to the rule's own ``fix`` method (a rule declares ``autofix: true``
in its YAML; this module knows no rule). The rewritten source must parse (libcst and CPython) or the
file is left alone. A file that did not parse had no findings, so it is never touched.
"""

from __future__ import annotations

import ast
import difflib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mxlint import api, fixers
from mxlint.checks.base import PythonContext, PythonRule, registered
from mxlint.config import Config
from mxlint.discovery import classify_name
from mxlint.model import FileKind, Notification, RunResult
from mxlint.sources import SourceError
from mxlint.sources import python as python_source


@dataclass(frozen=True)
class FileFix:
    relpath: str  # relative to the scan root, as in findings
    path: Path
    before: str
    after: str
    data: bytes  # ``after`` in the file's own encoding
    fixed: int  # findings fixed

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"a/{self.relpath}",
            tofile=f"b/{self.relpath}",
        )
        return "".join(
            line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
        )


@dataclass
class FixPlan:
    files: list[FileFix]
    notifications: list[Notification]

    @property
    def fixed(self) -> int:
        return sum(file.fixed for file in self.files)

    def diff(self) -> str:
        return "".join(file.diff() for file in self.files)

    def write(self) -> None:
        for file in self.files:
            file.path.write_bytes(file.data)


def plan(options: api.Options, result: RunResult) -> FixPlan:
    """The fixes for ``result``'s findings (from ``api.run(options)`` in the same working folder, which
    paths are relative to); nothing is written."""
    fixable = {meta.id for meta in result.rules if meta.autofix}
    wanted: dict[str, set[tuple[str, int, int | None]]] = {}
    for finding in result.findings:
        if finding.rule_id in fixable:
            wanted.setdefault(finding.path, set()).add((finding.rule_id, finding.line, finding.column))
    outcome = FixPlan([], [])
    if not wanted:
        return outcome
    cwd = Path.cwd()
    root = api.scan_root([Path(os.path.abspath(path)) for path in options.paths or (".",)], cwd)
    config = options.config if options.config is not None else api.load_config(options.paths)
    for relpath in sorted(wanted):
        if classify_name(relpath.rsplit("/", 1)[-1]) is not FileKind.PYTHON:
            continue  # only Python rules have fixes so far
        try:
            file_fix = _fix_python(root / relpath, relpath, wanted[relpath], config)
        except (OSError, SourceError) as error:
            message = getattr(error, "message", None) or str(error)
            outcome.notifications.append(Notification(relpath, f"not fixed: {message}"))
            continue
        except Exception as error:  # a fixer bug must not stop the other files' fixes
            message = f"not fixed: internal error ({type(error).__name__}: {error})"
            outcome.notifications.append(Notification(relpath, message))
            continue
        if file_fix is not None:
            outcome.files.append(file_fix)
    return outcome


def _fix_python(
    path: Path, relpath: str, wanted: set[tuple[str, int, int | None]], config: Config
) -> FileFix | None:
    data = path.read_bytes()
    context = PythonContext(relpath, FileKind.PYTHON, data, config.settings)
    classes = registered()
    rules: Sequence[type[PythonRule]] = [
        cls
        for rule_id in sorted({rule_id for rule_id, _, _ in wanted})
        if issubclass(cls := classes[rule_id], PythonRule)
    ]
    instances = {rule.RULE_ID: rule for rule in PythonRule.check_file(rules, context)}
    fixes = []
    for report in context.reports:
        if (report.rule_id, report.line, report.column) in wanted:
            fix = instances[report.rule_id].fix(report)
            if isinstance(fix, fixers.PythonFix):
                fixes.append(fix)
    if not fixes:
        return None
    module = fixers.apply(context.module, fixes)
    before, after = context.module.code, module.code  # each renders the whole module: once
    if after == before:
        return None
    rewritten = after.encode(module.encoding)
    python_source.parse(rewritten)  # raises SourceError: the file is then left as it was
    try:
        ast.parse(rewritten)
    except (SyntaxError, ValueError) as error:
        raise SourceError(f"the fix would not parse ({error})") from None
    return FileFix(relpath, path, before, after, rewritten, len(fixes))
