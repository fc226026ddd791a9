"""MX504: a timer loop or scheduler job that polls a MaintainX list endpoint."""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.maintainx import trigger_pattern
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.polling import NESTED, Polling
from mxlint.analysis.rate_limits import SLEEPS
from mxlint.analysis.triggers import Trigger
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

_PAGINATION = re.compile(r"cursor|nextpageurl", re.IGNORECASE)


@rule("MX504")
class PollingLoop(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return trigger_pattern(settings, also=("sleep", "wait", "schedul", "add_job"))

    def finish(self) -> None:
        self.polling: Polling = self.context.analysis(Polling)
        if not self.polling.direct:
            return
        for node in syntax.walk(self.context.module):
            if isinstance(node, cst.While) and self._sleeps(node) and not _paginates(node):
                endpoint = self.polling.lists_in(node.body)
                if endpoint:
                    self.report(node, how="a `while` loop with a sleep", endpoint=endpoint)
        for node, how, endpoint in self.polling.jobs(self.context.module):
            self.report(node, how=how, endpoint=endpoint)

    def _sleeps(self, loop: cst.While) -> bool:
        """A sleep (or ``event.wait(n)``) the loop runs every time: in its test, directly in its body,
        or in a ``try``/``with`` block there; a sleep under an ``if``/``except`` is a retry's wait."""
        candidates: list[cst.CSTNode] = [loop.test]
        pending: list[cst.CSTNode] = list(loop.body.body)
        while pending:
            statement = pending.pop()
            if isinstance(statement, (cst.Try, cst.TryStar)):
                pending.extend(statement.body.body)
                for block in (statement.orelse, statement.finalbody):
                    if block is not None:
                        pending.extend(block.body.body)
            elif isinstance(statement, cst.With):
                pending.extend(statement.body.body)
            elif isinstance(statement, cst.SimpleStatementLine):
                candidates.append(statement)
        for candidate in candidates:
            for node in syntax.walk(candidate, lambda n: isinstance(n, NESTED)):
                if isinstance(node, cst.Call) and (
                    self.polling.is_sleep(node, SLEEPS)
                    or (isinstance(node.func, cst.Attribute) and node.func.attr.value == "wait" and node.args)
                ):
                    return True
        return False


def _paginates(loop: cst.While) -> bool:
    """A loop over pages (it mentions a cursor): its sleep paces the pages, it does not poll."""
    for node in syntax.walk(loop, lambda n: isinstance(n, NESTED)):
        text = node.value if isinstance(node, cst.Name) else None
        if isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
            text = node.evaluated_value
        if text and _PAGINATION.search(text):
            return True
    return False
