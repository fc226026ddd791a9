"""Polling evidence of one Python file: which code lists MaintainX endpoints, and scheduler jobs.

``context.analysis(Polling)``: :meth:`Polling.lists_in` gives the MaintainX list endpoint a block of
code reads, directly or through functions and methods of the same module it calls (matched by name,
followed a few calls deep); :meth:`Polling.jobs` gives the ``schedule`` and APScheduler interval jobs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.loops import Structure
from mxlint.analysis.maintainx import MaintainXCalls
from mxlint.analysis.names import dotted, keyword
from mxlint.analysis.scopes import Scopes, qualified_name

if TYPE_CHECKING:  # a runtime import would be circular: rules import the analyses
    from mxlint.checks.base import PythonContext

NESTED = (cst.FunctionDef, cst.Lambda, cst.ClassDef)
_TRIGGERS = frozenset(
    {"apscheduler.triggers.interval.IntervalTrigger", "apscheduler.triggers.cron.CronTrigger"}
)
_DEPTH = 4  # calls followed from the loop to the function that lists


class Polling:
    def __init__(self, context: PythonContext) -> None:
        self.structure: Structure = context.analysis(Structure)
        self.scopes: Scopes = context.analysis(Scopes)
        self.direct: dict[cst.Call, str] = {}  # MaintainX list GETs -> endpoint
        for mx in context.analysis(MaintainXCalls).calls():
            if mx.verb == "GET" and mx.list_endpoint is not None:
                self.direct[mx.call] = mx.list_endpoint.replace("{id}", "<id>")
        self._memo: dict[cst.FunctionDef, str | None] = {}

    def lists_in(self, body: cst.CSTNode, depth: int = 0) -> str | None:
        """The endpoint a MaintainX list GET in ``body`` (or in a same-module function it calls) reads."""
        for node in syntax.walk(body, lambda n: isinstance(n, NESTED) and n is not body):
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
            self._memo[function] = self.lists_in(function, depth)
        return self._memo[function]

    def is_sleep(self, call: cst.Call, sleeps: frozenset[str]) -> bool:
        scope = self.scopes.calls.get(call)
        return scope is not None and qualified_name(call.func, scope) in sleeps

    def jobs(self, module: cst.Module) -> Iterator[tuple[cst.CSTNode, str, str]]:
        """(where, what kind of job, endpoint) for scheduler jobs that list a MaintainX endpoint:
        ``schedule.every(5).minutes.do(job)``, APScheduler ``add_job(job, "interval", ...)`` and
        ``@scheduler.scheduled_job("interval", ...)``."""
        for node in syntax.walk(module):
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.args:
                method = node.func.attr.value
                if method == "do" and self._from_schedule(node.func.value):
                    how = "a `schedule` job"
                elif method == "add_job" and self._interval(node, 1):
                    how = "an APScheduler interval job"
                else:
                    continue
                name = (dotted(node.args[0].value) or "").rsplit(".", 1)[-1]
                endpoints = [self._lists(f, 1) for f in self.structure.functions.get(name, ())]
                endpoint = next(filter(None, endpoints), None)
                if endpoint:
                    yield node, how, endpoint
            elif isinstance(node, cst.FunctionDef):
                for decorator in node.decorators:
                    call = decorator.decorator
                    if (
                        isinstance(call, cst.Call)
                        and isinstance(call.func, cst.Attribute)
                        and call.func.attr.value == "scheduled_job"
                        and self._interval(call, 0)
                        and (endpoint := self._lists(node, 1))
                    ):
                        yield decorator, "an APScheduler interval job", endpoint

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
            return scope is not None and qualified_name(value.func, scope) in _TRIGGERS
        return False
