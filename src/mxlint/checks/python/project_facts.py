"""Facts repository-level rules gather from Python files: parts (``Rule.PARTS``), not rules.

A rule subclasses :class:`MaintainXUsage` (one subclass per rule: a part records under its rule's id)
and may override :meth:`MaintainXUsage.fact` to keep more than the MaintainX calls.
"""

from __future__ import annotations

from typing import Any, ClassVar

from mxlint.analysis.maintainx import MaintainXCall, MaintainXCalls, maintainx_words
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.triggers import Trigger, Words
from mxlint.checks.base import PythonRule
from mxlint.config import Settings


class MaintainXUsage(PythonRule):
    """Records ``{"calls": n, "lists": n, "writes": n}`` for a non-test file that calls MaintainX."""

    ALSO: ClassVar[tuple[str, ...]] = ()  # other words that make a file worth reading ("reconcil")

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger:
        return Words([*maintainx_words(settings), *cls.ALSO])

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    def finish(self) -> None:
        found = self.fact(self.context.analysis(MaintainXCalls).calls())
        if found:
            self.record(found)

    def fact(self, calls: list[MaintainXCall]) -> Any:
        if not calls:
            return None
        lists = sum(1 for mx in calls if mx.lists)  # a limit=1 probe (a health check) lists nothing
        writes = sum(1 for mx in calls if mx.verb in ("POST", "PATCH", "PUT", "DELETE"))
        return {"calls": len(calls), "lists": lists, "writes": writes}


def relative(project_root: str, path: str) -> str:
    """``path`` (relative to the scan root) relative to a project's root, for ``Project.anchor``."""
    return path if project_root == "." else path.removeprefix(project_root + "/")
