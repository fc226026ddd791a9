"""MX304: a sync cursor or updatedAt watermark kept only in process memory (a global or ``self.x``)."""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis.maintainx import MaintainXCalls, trigger_pattern
from mxlint.analysis.names import dotted
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.persistence import STORES, WRITERS, flows_into, handed_to_savers, writes_file
from mxlint.analysis.triggers import Trigger
from mxlint.checks.base import PythonContext, PythonRule, rule
from mxlint.config import Settings

# Names of sync state. A bare ``cursor`` counts for globals only: on an object it is usually a
# paginator's position within one listing, not state that must survive a restart.
_STATE = (
    r"last_?sync\w*|\w*watermark\w*|\w*checkpoint\w*|(sync|state)_?(cursor|token|state|position)"
    r"|updated_?(after|since|gte)|since|last_?(updated|modified|seen|run|cursor|synced)\w*|high_?water\w*"
)
_STATE_NAME = re.compile(rf"(?i)^_?({_STATE})$")
_GLOBAL_NAME = re.compile(rf"(?i)^_?({_STATE}|cursor|next_?cursor)$")


@rule("MX304")
class SyncStateInMemory(PythonRule):
    @classmethod
    def trigger(cls, settings: Settings) -> Trigger:
        return trigger_pattern(settings, also=("global", "self"))

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    def __init__(self, context: PythonContext) -> None:
        super().__init__(context)
        self.stack: list[tuple[set[str], str | None] | None] = []  # per def (globals, self); None: class
        self.updates: dict[str, cst.CSTNode] = {}  # state name ("X" or "self.x") -> first update
        self.persisted = False

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.stack.append(None)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        # A method other than __init__ updating self.x keeps state across calls of a living object.
        params = node.params.params
        method = bool(self.stack) and self.stack[-1] is None and node.name.value != "__init__"
        self.stack.append((set(), params[0].name.value if method and params else None))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.stack.pop()

    def visit_Global(self, node: cst.Global) -> None:
        if self.stack and self.stack[-1] is not None:
            self.stack[-1][0].update(item.name.value for item in node.names)

    def visit_Import(self, node: cst.Import) -> None:
        self.persisted |= any(STORES.search(dotted(alias.name) or "") for alias in node.names)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.persisted |= bool(STORES.search(dotted(node.module) or "" if node.module else ""))

    def visit_Call(self, node: cst.Call) -> None:
        name = dotted(node.func) or ""
        method = name.rsplit(".", 1)[-1]
        if (method in WRITERS and "." in name) or (name == "open" and writes_file(node)):
            self.persisted = True

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def _target(self, target: cst.BaseExpression) -> None:
        if not self.stack or self.stack[-1] is None:
            return
        declared, own = self.stack[-1]
        if isinstance(target, cst.Name) and target.value in declared and _GLOBAL_NAME.match(target.value):
            self.updates.setdefault(target.value, target)
        elif (
            isinstance(target, cst.Attribute)
            and own is not None
            and dotted(target.value) == own
            and _STATE_NAME.match(target.attr.value)
        ):
            self.updates.setdefault(f"self.{target.attr.value}", target)

    def finish(self) -> None:
        if not self.updates or self.persisted:
            return
        calls = self.context.analysis(MaintainXCalls)
        sent: set[str] = set()
        for mx in calls.calls():
            scope = calls.scope_of(mx.call)
            for name in flows_into(mx.call, calls.facts_of(mx.call).assignments):
                # A global only when the call's code sees the module's binding, not a local namesake.
                if "." in name or (scope and scope.lookup(name) is scope.module.bindings.get(name)):
                    sent.add(name)
        settings = self.context.settings
        saved = handed_to_savers(self.context.module, settings.short_names(settings.state_stores))
        for name, node in self.updates.items():
            if name in sent and name not in saved:
                self.report(node, name=name.removeprefix("self."))
