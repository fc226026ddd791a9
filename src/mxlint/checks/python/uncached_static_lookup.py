"""MX503: users, locations or teams fetched from MaintainX once per item, with no cache."""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.loops import Structure
from mxlint.analysis.maintainx import MaintainXCalls, trigger_pattern
from mxlint.analysis.names import dotted
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.resilience import Resilience
from mxlint.analysis.scopes import Scopes
from mxlint.analysis.triggers import Trigger
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

_STATIC = re.compile(r"^/(users|locations|teams)(/\{\})?$", re.IGNORECASE)
_REQUEST_PARTS = frozenset({"headers", "params", "cookies", "data", "json", "body", "payload", "query"})
_CACHE_DECORATORS = frozenset(
    {"lru_cache", "cache", "cached", "cachedmethod", "cached_property", "alru_cache", "memoize", "memoized"}
)


@rule("MX503")
class UncachedStaticLookup(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return trigger_pattern(settings, also=("users", "locations", "teams"))

    def finish(self) -> None:
        structure: Structure = self.context.analysis(Structure)
        for mx in self.context.analysis(MaintainXCalls).calls():
            if mx.verb != "GET" or not mx.path or not _STATIC.match(mx.path) or "cursor" in mx.params:
                continue
            function = structure.function_of.get(mx.call)
            loop = structure.loop_of.get(mx.call)
            endpoint = mx.path.replace("{}", "<id>")
            if loop is not None:
                # A `while` around a list GET walks its pages; a lookup by id in any loop repeats.
                if (isinstance(loop, cst.While) and "{}" not in mx.path) or (
                    function and self._cached(function)
                ):
                    continue
                self.report(mx.call, endpoint=endpoint, how="runs inside a loop")
                continue
            if function is None or self._cached(function):
                continue
            caller = self._looping_caller(function, structure)
            if caller is not None:
                self.report(
                    mx.call, endpoint=endpoint, how=f"runs once per item (`{caller}()` is called in a loop)"
                )

    def _cached(self, function: cst.FunctionDef) -> bool:
        """A cache decorator (functools, cachetools, async-lru, configured ones) or a memo: the function
        stores into a mapping (``cache[key] = ...``, ``.setdefault``) or tests membership (``in``)."""
        resilience: Resilience = self.context.analysis(Resilience)
        outer = self.context.analysis(Scopes).functions[function].outer
        for decorator in function.decorators:
            target = (
                decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
            )
            if (dotted(target) or "").rsplit(".", 1)[-1] in _CACHE_DECORATORS:
                return True
            if resilience.configured(target, self.context.settings.caches, outer):
                return True
        return _memoizes(function)

    def _looping_caller(self, function: cst.FunctionDef, structure: Structure) -> str | None:
        """The name of ``function`` when the module calls it inside a loop of another function whose
        code keeps no memo of its own."""
        name = function.name.value
        for call, loop in structure.loop_of.items():
            if loop is None or (dotted(call.func) or "").rsplit(".", 1)[-1] != name:
                continue
            caller = structure.function_of.get(call)
            if caller is function or (caller is not None and _memoizes(caller)):
                continue
            return name
        return None


def _memoizes(function: cst.FunctionDef) -> bool:
    # `for wo in orders: wo["location"] = get(...)` fills in each item; it remembers nothing.
    items = {
        target.value
        for node in syntax.walk(function.body)
        if isinstance(node, (cst.For, cst.CompFor))
        for target in syntax.walk(node.target)
        if isinstance(target, cst.Name)
    }
    for node in syntax.walk(function.body):
        if isinstance(node, cst.AssignTarget) and isinstance(node.target, cst.Subscript):
            owner = dotted(node.target.value) or ""
            # session.headers["Authorization"] = ... builds a request
            if owner not in items and owner.rsplit(".", 1)[-1].lower() not in _REQUEST_PARTS:
                return True
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "setdefault"
        ):
            return True
        if isinstance(node, cst.ComparisonTarget) and isinstance(node.operator, (cst.In, cst.NotIn)):
            return True
    return False
