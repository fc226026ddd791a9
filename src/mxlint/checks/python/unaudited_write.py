"""MX112: a write to MaintainX (POST/PATCH/PUT/DELETE) in a function that logs no record of it."""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.maintainx import MaintainXCalls, trigger_pattern
from mxlint.analysis.names import dotted
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.triggers import Trigger
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

_WRITES = frozenset({"POST", "PATCH", "PUT", "DELETE"})
# Levels that reach production logs; debug is usually switched off there.
_LEVELS = frozenset({"info", "warning", "warn", "error", "exception", "critical", "log", "msg"})
_LOGGER = re.compile(r"(?i)(^|[._])(_?log\w*|audit\w*|get_?logger)$")
_AUDIT = re.compile(r"(?i)audit")


@rule("MX112")
class UnauditedWrite(PythonRule):
    @classmethod
    def trigger(cls, settings: Settings) -> Trigger:
        return trigger_pattern(settings, also=("post", "patch", "put", "delete", "request"))

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    def finish(self) -> None:
        calls = self.context.analysis(MaintainXCalls)
        audited: dict[cst.CSTNode, bool] = {}
        configured = self.context.settings.short_names(self.context.settings.audit_functions)
        for mx in calls.calls():
            # A generic request helper (the path is a parameter) cannot say what it writes: its callers do.
            if mx.verb not in _WRITES or mx.path is None or mx.path_parameter:
                continue
            scope = calls.scope_of(mx.call)
            functions = (
                (s.node for s in scope.chain() if isinstance(s.node, cst.FunctionDef)) if scope else ()
            )
            owner = next(functions, None) or self.context.module
            if owner not in audited:
                audited[owner] = _audits(owner, configured)
            if not audited[owner]:
                path = mx.path.replace("{}", "<id>")
                self.report(mx.call, verb=mx.verb, path=path)


def _audits(owner: cst.CSTNode, configured: frozenset[str]) -> bool:
    """Whether ``owner`` (a function, or module code) leaves a record: an ``@audit...`` decorator, an
    ``audit...(...)`` call or one of ``[tool.mxlint.maintainx] audit-functions``, or a logger call at
    info level or above that carries a value (an f-string placeholder, a %-argument, ``extra=`` or
    keyword fields), not just a constant message."""
    if isinstance(owner, cst.FunctionDef):
        for decorator in owner.decorators:
            target = decorator.decorator
            name = dotted(target.func if isinstance(target, cst.Call) else target) or ""
            if _AUDIT.search(name) or name.rsplit(".", 1)[-1] in configured:
                return True
    nested = (cst.FunctionDef, cst.ClassDef)
    for node in syntax.walk(owner, lambda n: isinstance(n, nested) and n is not owner):
        if not isinstance(node, cst.Call):
            continue
        name = dotted(node.func) or ""
        if _AUDIT.search(name.rsplit(".", 1)[-1]) or name.rsplit(".", 1)[-1] in configured:
            return True
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in _LEVELS:
            continue
        receiver = func.value.func if isinstance(func.value, cst.Call) else func.value  # getLogger().info
        if _LOGGER.search(dotted(receiver) or "") and _carries_value(node):
            return True
    return False


def _carries_value(call: cst.Call) -> bool:
    args = list(call.args)
    if len(args) > 1 or any(arg.keyword is not None or arg.star for arg in args):
        return True
    message = args[0].value if args else None
    return isinstance(message, (cst.FormattedString, cst.BinaryOperation, cst.Call, cst.Name))
