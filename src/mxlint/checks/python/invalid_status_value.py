"""MX305: a status or priority sent to MaintainX outside the documented enums or transition table."""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.maintainx import MaintainXCall, MaintainXCalls, trigger_pattern
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.triggers import Trigger
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

# research-rules.md §1.4 (PATCH /workorders/{id}/status, create/patch bodies) and §1.6.
WORK_ORDER_STATUSES = ("OPEN", "IN_PROGRESS", "ON_HOLD", "DONE", "CANCELED")
PRIORITIES = ("NONE", "LOW", "MEDIUM", "HIGH")
PO_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "REQUESTED": ("CANCELED", "DECLINED", "PENDING"),
    "PENDING": ("APPROVED", "CANCELED", "DECLINED"),
    "DECLINED": ("CANCELED", "PENDING"),
    "APPROVED": ("CANCELED", "PARTIALLY_FULFILLED", "COMPLETED"),  # or receiving
    "PARTIALLY_FULFILLED": ("COMPLETED",),
    "COMPLETED": ("PARTIALLY_FULFILLED",),
    "CANCELED": (),
}
PO_SETTABLE = tuple(status for status in PO_TRANSITIONS if status != "REQUESTED")  # the PATCH enum
_WORK_ORDER = re.compile(r"^/workorders(/\{\}|/[^/{}]+)?(/status)?$", re.I)
_PO_STATUS = re.compile(r"^/purchaseorders/[^/]+/status$", re.I)
_WRITES = frozenset({"POST", "PATCH", "PUT"})


@rule("MX305")
class InvalidStatusValue(PythonRule):
    @classmethod
    def trigger(cls, settings: Settings) -> Trigger:
        return trigger_pattern(settings, also=("status", "priority"))

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    def finish(self) -> None:
        calls = self.context.analysis(MaintainXCalls)
        for mx in calls.calls():
            if mx.verb not in _WRITES or mx.path is None:
                continue
            body = calls.body(mx)
            if _PO_STATUS.match(mx.path) and "status" in body:
                self._purchase_order(mx, body["status"].node, body["status"].value, calls)
            elif _WORK_ORDER.match(mx.path):
                for key, allowed, field in (
                    ("status", WORK_ORDER_STATUSES, "work-order status"),
                    ("priority", PRIORITIES, "work-order priority"),
                ):
                    param = body.get(key)
                    if param is not None and isinstance(param.value, str) and param.value not in allowed:
                        problem = f"is not one of {', '.join(allowed)} (case matters)"
                        self.report(param.node, field=field, value=param.value, problem=problem)

    def _purchase_order(
        self, mx: MaintainXCall, node: cst.CSTNode, value: object, calls: MaintainXCalls
    ) -> None:
        if not isinstance(value, str):
            return
        field = "purchase-order status"
        if value not in PO_SETTABLE:
            problem = f"cannot be set: PATCH accepts {', '.join(PO_SETTABLE)}"
            self.report(node, field=field, value=value, problem=problem)
            return
        scope = calls.scope_of(mx.call)
        for current in _known_statuses(scope.node if scope else None, mx.call):
            if value not in PO_TRANSITIONS[current]:
                allowed = ", ".join(PO_TRANSITIONS[current]) or "nothing (final)"
                problem = f"cannot follow {current} (allowed next: {allowed})"
                self.report(node, field=field, value=value, problem=problem)
                return


def _known_statuses(root: cst.CSTNode | None, call: cst.Call) -> list[str]:
    """Purchase-order statuses the code around ``call`` has established: ``if po["status"] == "X":``
    (or ``in ("X", "Y")``) on the path to the call, its else branches excluded."""
    guards = _guards(root, call, []) if root is not None else None
    found: list[str] = []
    for test in guards or ():
        for comparison in syntax.walk(test):
            if not isinstance(comparison, cst.Comparison) or len(comparison.comparisons) != 1:
                continue
            target = comparison.comparisons[0]
            if not _reads_status(comparison.left):
                continue
            if isinstance(target.operator, cst.Equal):
                values = [target.comparator]
            elif isinstance(target.operator, cst.In) and isinstance(
                target.comparator, (cst.Tuple, cst.List, cst.Set)
            ):
                values = [element.value for element in target.comparator.elements]
            else:
                continue
            for value in values:
                text = value.evaluated_value if isinstance(value, cst.SimpleString) else None
                if isinstance(text, str) and text in PO_TRANSITIONS:
                    found.append(text)
    return found


def _guards(
    node: cst.CSTNode, call: cst.Call, tests: list[cst.BaseExpression]
) -> list[cst.BaseExpression] | None:
    if node is call:
        return tests
    for child in syntax.children(node):
        if isinstance(child, (cst.FunctionDef, cst.ClassDef, cst.Lambda)) and child is not node:
            continue
        # Only an if's body knows the tested status; its else branch knows the status is another one.
        inner = [*tests, node.test] if isinstance(node, cst.If) and child is node.body else tests
        found = _guards(child, call, inner)
        if found is not None:
            return found
    return None


def _reads_status(expr: cst.BaseExpression) -> bool:
    """A record's status field: ``po["status"]``, ``po.get("status")``, ``po.status``. A bare name is
    left out: ``if new_status == "APPROVED"`` names the target, not the current status."""
    if isinstance(expr, cst.Subscript):
        index = expr.slice[0].slice if len(expr.slice) == 1 else None
        value = index.value if isinstance(index, cst.Index) else None
        return isinstance(value, cst.SimpleString) and value.evaluated_value == "status"
    if isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "get":
        first = expr.args[0].value if expr.args else None
        return isinstance(first, cst.SimpleString) and first.evaluated_value == "status"
    return isinstance(expr, cst.Attribute) and expr.attr.value == "status"
