"""MX504: a timer loop or scheduler job that polls a MaintainX list endpoint."""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.loops import Structure
from mxlint.analysis.maintainx import MaintainXCalls, trigger_pattern
from mxlint.analysis.names import dotted, keyword
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.rate_limits import SLEEPS
from mxlint.analysis.scopes import Scopes, qualified_name
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

_NESTED = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_PAGINATION = re.compile(r"cursor|nextpageurl", re.IGNORECASE)
_INTERVAL_TRIGGERS = frozenset(
    {"apscheduler.triggers.interval.IntervalTrigger", "apscheduler.triggers.cron.CronTrigger"}
)
_DEPTH = 4  # calls followed from the loop to the function that lists


@rule("MX504")
class PollingLoop(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    @classmethod
    def trigger(cls, settings: Settings) -> re.Pattern[bytes] | None:
        return trigger_pattern(settings, also=r"(?:sleep|wait|schedul|add_job)")

    def finish(self) -> None:
        self.structure: Structure = self.context.analysis(Structure)
        self.scopes: Scopes = self.context.analysis(Scopes)
        self.direct: dict[cst.Call, str] = {}  # MaintainX list GETs -> endpoint
        for mx in self.context.analysis(MaintainXCalls).calls():
            if mx.verb == "GET" and mx.list_endpoint is not None:
                self.direct[mx.call] = mx.list_endpoint.replace("{id}", "<id>")
        if not self.direct:
            return
        self._memo: dict[cst.FunctionDef, str | None] = {}
        for node in syntax.walk(self.context.module):
            if isinstance(node, cst.While):
                self._while(node)
            elif isinstance(node, cst.Call):
                self._scheduler(node)
            elif isinstance(node, cst.FunctionDef):
                self._scheduled_function(node)

    # --- loops --------------------------------------------------------------------------------
    def _while(self, loop: cst.While) -> None:
        if not (self._sleeps(loop) and not self._paginates(loop)):
            return
        endpoint = self._lists_in(loop.body, 0)
        if endpoint:
            self.report(loop, how="a `while` loop with a sleep", endpoint=endpoint)

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
            elif isinstance(statement, (cst.With,)):
                pending.extend(statement.body.body)
            elif isinstance(statement, cst.SimpleStatementLine):
                candidates.append(statement)
        for candidate in candidates:
            for node in syntax.walk(candidate, lambda n: isinstance(n, _NESTED)):
                if isinstance(node, cst.Call) and self._is_sleep(node):
                    return True
        return False

    def _is_sleep(self, call: cst.Call) -> bool:
        scope = self.scopes.calls.get(call)
        if scope is not None and qualified_name(call.func, scope) in SLEEPS:
            return True
        return isinstance(call.func, cst.Attribute) and call.func.attr.value == "wait" and bool(call.args)

    def _paginates(self, loop: cst.While) -> bool:
        """A loop over pages (it mentions a cursor): its sleep paces the pages, it does not poll."""
        for node in syntax.walk(loop, lambda n: isinstance(n, _NESTED)):
            text = None
            if isinstance(node, cst.Name):
                text = node.value
            elif isinstance(node, cst.SimpleString) and isinstance(node.evaluated_value, str):
                text = node.evaluated_value
            if text and _PAGINATION.search(text):
                return True
        return False

    def _lists_in(self, body: cst.CSTNode, depth: int) -> str | None:
        """The endpoint a MaintainX list GET in ``body`` (or in a same-module function it calls) reads."""
        for node in syntax.walk(body, lambda n: isinstance(n, _NESTED) and n is not body):
            if not isinstance(node, cst.Call):
                continue
            if node in self.direct:
                return self.direct[node]
            name = (dotted(node.func) or "").rsplit(".", 1)[-1]
            for function in self.structure.functions.get(name, ()) if depth < _DEPTH else ():
                found = self._lists(function, depth + 1)
                if found:
                    return found
        return None

    def _lists(self, function: cst.FunctionDef, depth: int) -> str | None:
        if function not in self._memo:
            self._memo[function] = None  # recursion
            self._memo[function] = self._lists_in(function, depth)
        return self._memo[function]

    # --- schedulers ---------------------------------------------------------------------------
    def _scheduler(self, call: cst.Call) -> None:
        """``schedule.every(5).minutes.do(job)``; APScheduler ``add_job(job, "interval", ...)``."""
        if not isinstance(call.func, cst.Attribute) or not call.args:
            return
        method = call.func.attr.value
        if method == "do" and self._from_schedule(call.func.value):
            how = "a `schedule` job"
        elif method == "add_job" and self._interval(call, 1):
            how = "an APScheduler interval job"
        else:
            return
        job = call.args[0].value
        name = (dotted(job) or "").rsplit(".", 1)[-1]
        for function in self.structure.functions.get(name, ()):
            endpoint = self._lists(function, 1)
            if endpoint:
                self.report(call, how=how, endpoint=endpoint)
                return

    def _from_schedule(self, node: cst.BaseExpression) -> bool:
        while isinstance(node, (cst.Attribute, cst.Call)):
            if isinstance(node, cst.Call):
                scope = self.scopes.calls.get(node)
                if scope is not None and qualified_name(node.func, scope) == "schedule.every":
                    return True
                node = node.func
            else:
                node = node.value
        return False

    def _interval(self, call: cst.Call, position: int) -> bool:
        trigger = keyword(call, "trigger")
        positional = [arg.value for arg in call.args if arg.keyword is None]
        value = trigger.value if trigger else positional[position] if len(positional) > position else None
        if isinstance(value, cst.SimpleString):
            return value.evaluated_value in ("interval", "cron")
        if isinstance(value, cst.Call):
            scope = self.scopes.calls.get(value)
            return scope is not None and qualified_name(value.func, scope) in _INTERVAL_TRIGGERS
        return False

    def _scheduled_function(self, function: cst.FunctionDef) -> None:
        """``@scheduler.scheduled_job("interval", minutes=5)`` on a function that lists."""
        for decorator in function.decorators:
            call = decorator.decorator
            if (
                isinstance(call, cst.Call)
                and isinstance(call.func, cst.Attribute)
                and call.func.attr.value == "scheduled_job"
                and self._interval(call, 0)
            ):
                endpoint = self._lists(function, 1)
                if endpoint:
                    self.report(decorator, how="an APScheduler interval job", endpoint=endpoint)
                return
