"""Resilience evidence of one Python file, for the repository-level rules about MaintainX callers.

``context.analysis(Resilience)`` finds, with names resolved through the file's imports:

- retry policies (:meth:`Resilience.retry_policies`): tenacity ``@retry``/``Retrying``, backoff
  ``on_exception``/``on_predicate``, stamina ``retry``/``retry_context``/``RetryingCaller``, urllib3
  ``Retry`` and hand-written loops whose sleep grows, each judged: does it back off exponentially on
  429 and 5xx?
- circuit breakers (:meth:`Resilience.breakers`): pybreaker, circuitbreaker, aiobreaker, purgatory,
  or a hand-written class named ``*Breaker*`` that counts failures and has an open state;
- client-side rate limiters (:meth:`Resilience.limiters`): ratelimit, limits, pyrate-limiter,
  aiolimiter, asyncio-throttle, requests-ratelimiter..., a read of ``X-Rate-Limit-Remaining``, or a
  hand-written token bucket;
- configured wrappers (``[tool.mxlint.resilience]``) of each kind.

The rules record what they find as :class:`Evidence` facts (picklable) and judge in ``finalize``:
see :func:`record` and :func:`missing`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.loops import Structure
from mxlint.analysis.maintainx import MaintainXCalls, maintainx_words, trigger_pattern
from mxlint.analysis.names import dotted, keyword
from mxlint.analysis.rate_limits import SLEEPS, URLLIB3_RETRY, positional
from mxlint.analysis.scopes import (
    Scope,
    Scopes,
    absolute_name,
    matches_configured,
    module_name,
    qualified_name,
)
from mxlint.analysis.triggers import Words
from mxlint.config import Settings
from mxlint.sources.python import locate

if TYPE_CHECKING:  # a runtime import would be circular: rules import the analyses
    from mxlint.checks.base import Project, PythonContext, PythonRule

_TENACITY_POLICIES = frozenset({"tenacity.retry", "tenacity.Retrying", "tenacity.AsyncRetrying"})
_TENACITY_EXPONENTIAL = frozenset(
    {"wait_exponential", "wait_random_exponential", "wait_exponential_jitter", "wait_full_jitter"}
)
_BACKOFF_POLICIES = frozenset({"backoff.on_exception", "backoff.on_predicate"})
# stamina always backs off exponentially with jitter, unless wait_exp_base is set to 1 or less.
_STAMINA_POLICIES = frozenset(
    {"stamina.retry", "stamina.retry_context", "stamina.RetryingCaller", "stamina.AsyncRetryingCaller"}
)
_BACKOFF_GROWING = frozenset({"backoff.expo", "backoff.fibo"})
# Exceptions raised only when no response arrived: a policy limited to them never sees a 429 or 5xx.
_CONNECTION_ERRORS = frozenset(
    {"ConnectionError", "ConnectTimeout", "ConnectError", "Timeout", "ReadTimeout", "TimeoutException",
     "TimeoutError", "NetworkError", "TransportError", "ClientConnectionError", "ClientConnectorError",
     "ServerDisconnectedError", "RemoteDisconnected", "ProtocolError", "NewConnectionError"}
)  # fmt: skip
_ADAPTERS = frozenset({"requests.adapters.HTTPAdapter", "requests.HTTPAdapter"})
BREAKER_LIBRARIES = ("pybreaker", "circuitbreaker", "aiobreaker", "purgatory")
LIMITER_LIBRARIES = (
    "ratelimit", "ratelimiter", "limits", "pyrate_limiter", "aiolimiter", "asyncio_throttle", "throttler",
    "token_bucket", "requests_ratelimiter", "aiometer",
)  # fmt: skip
_REMAINING = re.compile(r"^(?:x-)?rate-?limit-?remaining$", re.IGNORECASE)
_BREAKER_CLASS = re.compile(r"breaker", re.IGNORECASE)
_LIMITER_CLASS = re.compile(r"rate_?limit|token_?bucket|leaky_?bucket|throttl", re.IGNORECASE)
_CLOCKS = frozenset({"monotonic", "time", "perf_counter", "sleep", "monotonic_ns"})

# Source words that a file contributing evidence must contain (rules add the MaintainX trigger).
RETRY_WORDS = ("retry", "backoff", "sleep")
BREAKER_WORDS = ("breaker", "circuit", "purgatory")
LIMITER_WORDS = (
    "ratelimit", "rate_limit", "rate-limit", "limits", "limiter", "throttl", "token_bucket", "tokenbucket",
    "leaky_bucket", "leakybucket", "aiometer",
)  # fmt: skip


@dataclass(frozen=True)
class Evidence:
    """A fact a file contributes: ``kind`` is "call" (its first MaintainX call), "ok" (a policy of the
    rule's kind that passes) or "weak" (one that does not: ``detail`` says why)."""

    kind: str
    line: int
    detail: str = ""


@dataclass(frozen=True)
class Found:
    node: cst.CSTNode
    ok: bool
    detail: str = ""  # what it is, or why it does not count


class Resilience:
    """Per-file analysis; see the module docstring."""

    def __init__(self, context: PythonContext) -> None:
        self.context = context
        self.settings = context.settings
        scopes: Scopes = context.analysis(Scopes)
        self.scopes = scopes
        self.module_scope = scopes.module
        self._relpath = context.relpath
        self._module = module_name(context.relpath)

    @cached_property
    def assigned(self) -> dict[str, list[cst.BaseExpression]]:
        """Assignment targets by their dotted text (``retry``, ``self.adapter``): values flow through them."""
        found: dict[str, list[cst.BaseExpression]] = {}
        for node in syntax.walk(self.context.module):
            targets: list[cst.BaseExpression] = []
            if isinstance(node, cst.Assign):
                targets = [target.target for target in node.targets]
            elif isinstance(node, cst.AnnAssign) and node.value is not None:
                targets = [node.target]
            for target in targets:
                if name := dotted(target):
                    found.setdefault(name, []).append(node.value)  # type: ignore[union-attr,arg-type]
        return found

    # --- names --------------------------------------------------------------------------------
    def qualified(self, node: cst.CSTNode, scope: Scope | None = None) -> str:
        return qualified_name(node, scope or self.module_scope) or ""

    def configured(self, node: cst.CSTNode, names: Sequence[str], scope: Scope | None = None) -> bool:
        """``node`` names one of the configured wrappers (imported, or defined in this module)."""
        if not names:
            return False
        target = node.func if isinstance(node, cst.Call) else node
        name = self.qualified(target, scope)
        if name.startswith("."):  # from .http import with_retries
            return matches_configured(absolute_name(name, self._relpath), names)
        if name:
            return name in names
        text = dotted(target)
        return bool(text) and matches_configured(f"{self._module}.{text}", names)

    def _decorators(self) -> Iterator[tuple[cst.BaseExpression, Scope]]:
        for info in self.scopes.functions.values():
            for decorator in info.node.decorators:
                yield decorator.decorator, info.outer

    def _uses(self, names: Sequence[str]) -> Iterator[cst.CSTNode]:
        """Calls, decorators and base classes naming a configured wrapper."""
        if not names:
            return
        for call, scope in self.scopes.calls.items():
            if self.configured(call, names, scope):
                yield call
        for decorator, scope in self._decorators():
            if not isinstance(decorator, cst.Call) and self.configured(decorator, names, scope):
                yield decorator
        for info in self.scopes.classes.values():
            for base in info.node.bases:
                if self.configured(base.value, names, info.outer):
                    yield base.value

    def flows(self, source: cst.CSTNode, into: cst.BaseExpression | None, depth: int = 0) -> bool:
        """Whether the value built by ``source`` may be what ``into`` holds (through assignments)."""
        if into is None or depth > 6:
            return False
        if into is source:
            return True
        name = dotted(into)
        return bool(name) and any(
            self.flows(source, value, depth + 1) for value in self.assigned.get(name, ())
        )

    # --- retry policies -----------------------------------------------------------------------
    def retry_policies(self) -> list[Found]:
        found: list[Found] = []
        structure: Structure = self.context.analysis(Structure)
        for call, scope in self.scopes.calls.items():
            name = self.qualified(call.func, scope)
            if name in _TENACITY_POLICIES:
                found.append(self._tenacity(call, scope))
            elif name in _BACKOFF_POLICIES:
                found.append(self._backoff(call, scope))
            elif name in _STAMINA_POLICIES:
                found.append(self._stamina(call))
            elif name in URLLIB3_RETRY:
                found.append(self._urllib3(call, scope))
            elif name in SLEEPS and structure.in_loop(call):
                found.extend(self._growing_sleep(call, scope, structure))
        for decorator, scope in self._decorators():
            if not isinstance(decorator, cst.Call) and self.qualified(decorator, scope) == "tenacity.retry":
                found.append(Found(decorator, False, "tenacity `@retry` with no `wait=` retries at once"))
        found.extend(Found(node, True) for node in self._uses(self.settings.retry_policies))
        return found

    def _tenacity(self, call: cst.Call, scope: Scope) -> Found:
        wait = keyword(call, "wait")
        if wait is None:
            return Found(call, False, "tenacity retry with no `wait=` retries at once")
        if not self._grows(wait.value, scope):
            return Found(call, False, "the tenacity wait is not exponential")
        predicate = keyword(call, "retry")
        if predicate is not None and self._connection_only(predicate.value):
            return Found(call, False, "the tenacity policy retries connection errors only")
        return Found(call, True)

    def _backoff(self, call: cst.Call, scope: Scope) -> Found:
        argument = keyword(call, "wait_gen")
        wait_gen = argument.value if argument else positional(call, 0)
        if wait_gen is None or self.qualified(wait_gen, scope) not in _BACKOFF_GROWING:
            return Found(call, False, "the backoff wait generator is not `backoff.expo`")
        if self.qualified(call.func, scope) == "backoff.on_exception":
            argument = keyword(call, "exception")
            target = argument.value if argument else positional(call, 1)
            if target is not None and self._connection_only(target):
                return Found(call, False, "the backoff policy retries connection errors only")
        return Found(call, True)

    def _stamina(self, call: cst.Call) -> Found:
        base = keyword(call, "wait_exp_base")
        value = _literal_number(base.value) if base else None
        if value is not None and value <= 1:
            return Found(
                call, False, f"the stamina policy has `wait_exp_base={value:g}`, so it does not back off"
            )
        on = keyword(call, "on")
        if on is not None and self._connection_only(on.value):
            return Found(call, False, "the stamina policy retries connection errors only")
        return Found(call, True)

    def _connection_only(self, expr: cst.BaseExpression) -> bool:
        """``retry_if_exception_type(ConnectionError)``, ``(ConnectTimeout, ReadTimeout)``..."""
        names: list[cst.BaseExpression] = [expr]
        if isinstance(expr, cst.Call) and (dotted(expr.func) or "").endswith("retry_if_exception_type"):
            names = [arg.value for arg in expr.args]
        if len(names) == 1 and isinstance(names[0], cst.Tuple):
            names = [element.value for element in names[0].elements]
        return bool(names) and all(
            (dotted(name) or "").rsplit(".", 1)[-1] in _CONNECTION_ERRORS for name in names
        )

    def _grows(self, expr: cst.CSTNode, scope: Scope, depth: int = 0) -> bool:
        """An exponential tenacity/backoff wait, a power (``2 ** attempt``), or a same-module function
        (a custom ``wait=`` callable) that builds one."""
        if depth > 3:
            return False
        for node in syntax.walk(expr):
            if isinstance(node, cst.BinaryOperation) and isinstance(
                node.operator, (cst.Power, cst.LeftShift)
            ):
                if not (_number(node.left) and _number(node.right)):
                    return True
            elif isinstance(node, cst.Call):
                name = self.qualified(node.func, scope)
                if name.startswith("tenacity.") and name.rsplit(".", 1)[-1] in _TENACITY_EXPONENTIAL:
                    return True
                if name in _BACKOFF_GROWING:
                    return True
            if isinstance(node, cst.Name) and not (isinstance(expr, cst.FunctionDef) and node is expr.name):
                for function in self._functions(node.value):
                    if function is not expr and self._grows(function, scope, depth + 1):
                        return True
                # backoff = wait_exponential(max=60), then wait=backoff or backoff(state) in a custom wait
                for value in self.assigned.get(node.value, ()):
                    if self._grows(value, scope, depth + 1):
                        return True
        return False

    def _functions(self, name: str) -> list[cst.FunctionDef]:
        structure: Structure = self.context.analysis(Structure)
        return structure.functions.get(name, [])

    def _urllib3(self, call: cst.Call, scope: Scope) -> Found:
        factor = keyword(call, "backoff_factor")
        value = _literal_number(factor.value) if factor else 0.0
        if value is not None and value <= 0:
            shown = "has no `backoff_factor`" if factor is None else f"has `backoff_factor={value:g}`"
            return Found(call, False, f"the urllib3 Retry {shown}, so it does not back off")
        forcelist = keyword(call, "status_forcelist")
        if forcelist is None:
            return Found(
                call, False, "the urllib3 Retry has no `status_forcelist`: 429 and 5xx are not retried"
            )
        codes = self._codes(forcelist.value, 0)
        if codes is not None and (429 not in codes or not any(500 <= code < 600 for code in codes)):
            missing = "429" if 429 not in codes else "5xx"
            return Found(call, False, f"the urllib3 Retry's `status_forcelist` misses {missing}")
        if not self._mounted(call):
            return Found(call, False, "the urllib3 Retry is never mounted on a session")
        return Found(call, True)

    def _codes(self, expr: cst.BaseExpression, depth: int) -> set[int] | None:
        """Status codes a literal collection holds; None when not known statically."""
        if depth > 6:
            return None
        if isinstance(expr, (cst.List, cst.Tuple, cst.Set)):
            codes: set[int] = set()
            for element in expr.elements:
                inner = (
                    self._codes(element.value, depth + 1) if isinstance(element, cst.StarredElement) else None
                )
                if isinstance(element, cst.StarredElement):
                    if inner is None:
                        return None
                    codes |= inner
                elif isinstance(element.value, cst.Integer):
                    codes.add(int(element.value.evaluated_value))
                else:
                    more = self._codes(element.value, depth + 1)
                    if more is None:
                        return None
                    codes |= more
            return codes
        if isinstance(expr, cst.Integer):
            return {int(expr.evaluated_value)}
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.BitOr)):
            left, right = self._codes(expr.left, depth + 1), self._codes(expr.right, depth + 1)
            return None if left is None or right is None else left | right
        if isinstance(expr, cst.Call):
            name = dotted(expr.func)
            if name in ("set", "frozenset", "list", "tuple") and len(expr.args) == 1:
                return self._codes(expr.args[0].value, depth + 1)
            if name == "range" and 1 <= len(expr.args) <= 2:
                bounds = [_literal_number(arg.value) for arg in expr.args]
                if None in bounds:
                    return None
                return set(range(*(int(bound) for bound in bounds)))  # type: ignore[arg-type]
            return None
        name = dotted(expr)
        values = self.assigned.get(name or "", [])
        return self._codes(values[0], depth + 1) if len(values) == 1 else None

    def _mounted(self, retry: cst.Call) -> bool:
        """The Retry reaches ``HTTPAdapter(max_retries=...)`` mounted with ``.mount()``, or a urllib3
        ``retries=`` argument (a PoolManager or a request)."""
        adapters = []
        for call, scope in self.scopes.calls.items():
            retries = keyword(call, "retries")
            if retries is not None and self.flows(retry, retries.value):
                return True
            max_retries = keyword(call, "max_retries")
            is_adapter = self.qualified(call.func, scope) in _ADAPTERS or (dotted(call.func) or "").endswith(
                "Adapter"
            )
            if max_retries is not None and is_adapter and self.flows(retry, max_retries.value):
                adapters.append(call)
        for call in self.scopes.calls:
            if isinstance(call.func, cst.Attribute) and call.func.attr.value == "mount":
                adapter = keyword(call, "adapter")
                value = adapter.value if adapter else positional(call, 1)
                if any(self.flows(made, value) for made in adapters):
                    return True
        return False

    def _growing_sleep(self, call: cst.Call, scope: Scope, structure: Structure) -> Iterator[Found]:
        """A sleep in a loop whose delay grows: ``2 ** attempt``, ``delay *= 2``, ``delay = delay * 2``."""
        argument = keyword(call, "delay") or keyword(call, "seconds")
        delay = positional(call, 0) or (argument.value if argument else None)
        if delay is None:
            return
        if self._grows(delay, scope):
            yield Found(call, True)
            return
        names = {node.value for node in syntax.walk(delay) if isinstance(node, cst.Name)}
        function = structure.function_of.get(call)
        if not names or function is None:
            return
        for node in syntax.walk(function.body):
            if (
                isinstance(node, cst.AugAssign)
                and isinstance(node.target, cst.Name)
                and node.target.value in names
            ):
                if isinstance(node.operator, (cst.MultiplyAssign, cst.LeftShiftAssign, cst.PowerAssign)):
                    yield Found(call, True)
                    return
            elif isinstance(node, cst.Assign) and any(
                isinstance(t.target, cst.Name) and t.target.value in names for t in node.targets
            ):
                grows = any(
                    isinstance(part, cst.BinaryOperation)
                    and isinstance(part.operator, (cst.Multiply, cst.Power))
                    for part in syntax.walk(node.value)
                )
                target_names = {t.target.value for t in node.targets if isinstance(t.target, cst.Name)}
                uses_itself = any(
                    isinstance(part, cst.Name) and part.value in target_names
                    for part in syntax.walk(node.value)
                )
                if grows and uses_itself:
                    yield Found(call, True)
                    return

    # --- circuit breakers -----------------------------------------------------------------------
    def breakers(self) -> list[Found]:
        found = [
            Found(b.node, True)
            for b in self.scopes.imports
            if _root(b.qualified) in BREAKER_LIBRARIES and b.node
        ]
        for info in self.scopes.classes.values():
            if (
                _BREAKER_CLASS.search(info.node.name.value)
                and _counts_failures(info.node)
                and _has_open_state(info.node)
            ):
                found.append(Found(info.node, True))
        found.extend(Found(node, True) for node in self._uses(self.settings.circuit_breakers))
        return found

    # --- rate limiters --------------------------------------------------------------------------
    def limiters(self) -> list[Found]:
        found = [
            Found(b.node, True)
            for b in self.scopes.imports
            if _root(b.qualified) in LIMITER_LIBRARIES and b.node
        ]
        for node in syntax.walk(self.context.module):
            if isinstance(node, cst.SimpleString):
                value = node.evaluated_value
                if isinstance(value, str) and _REMAINING.match(value.strip()):
                    found.append(Found(node, True))
        for info in self.scopes.classes.values():
            if _LIMITER_CLASS.search(info.node.name.value) and any(
                isinstance(node, cst.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] in _CLOCKS
                for node in syntax.walk(info.node.body)
            ):
                found.append(Found(info.node, True))
        found.extend(Found(node, True) for node in self._uses(self.settings.rate_limiters))
        return found


def _root(qualified: str | None) -> str:
    return (qualified or "").lstrip(".").split(".", 1)[0]


def _number(node: cst.CSTNode) -> bool:
    return isinstance(node, (cst.Integer, cst.Float))


def _literal_number(node: cst.BaseExpression) -> float | None:
    if isinstance(node, (cst.Integer, cst.Float)):
        return float(node.evaluated_value)
    return None


def _counts_failures(node: cst.ClassDef) -> bool:
    """``self.failures += 1`` (any name with "fail" or "error" in it)."""
    for part in syntax.walk(node.body):
        if isinstance(part, cst.AugAssign) and isinstance(part.operator, cst.AddAssign):
            name = (dotted(part.target) or "").lower()
            if "fail" in name or "error" in name:
                return True
    return False


def _has_open_state(node: cst.ClassDef) -> bool:
    """An "open" state: a string, name or attribute saying so (``"open"``, ``OPEN``, ``self.opened_at``)."""
    for part in syntax.walk(node.body):
        if isinstance(part, cst.SimpleString):
            text = part.evaluated_value
            if isinstance(text, str) and "open" in text.lower():
                return True
        elif isinstance(part, cst.Name) and "open" in part.value.lower():
            return True
    return False


# --- facts and judgement ----------------------------------------------------------------------


def trigger(settings: Settings, words: Sequence[str], configured: Sequence[str]) -> Words:
    """Files that may call MaintainX or hold evidence: the MaintainX words, ``words``, or the last
    name of a configured wrapper."""
    return Words([*maintainx_words(settings), *words, *(name.rsplit(".", 1)[-1] for name in configured)])


def record(rule: PythonRule, found: Sequence[Found]) -> None:
    """Record the file's first MaintainX call and its evidence (lines resolved in one pass)."""
    context = rule.context
    calls = []
    if trigger_pattern(context.settings).search(context.data):  # else the file cannot call MaintainX
        calls = [mx.call for mx in context.analysis(MaintainXCalls).calls()]
    nodes = [*calls, *(item.node for item in found)]
    if not nodes:
        return
    spans = locate(context.module, nodes)
    if calls:
        rule.record(Evidence("call", min(spans[call].line for call in calls)))
    for item in found:
        rule.record(Evidence("ok" if item.ok else "weak", spans[item.node].line, item.detail))


def missing(project: Project, rule_id: str) -> tuple[str, int, str] | None:
    """Where a project that calls MaintainX and has no passing evidence gets its finding: the first
    MaintainX call site (sorted by path and line), and the first weak evidence's explanation."""
    facts = project.facts_of(rule_id)
    if any(fact.kind == "ok" for _, fact in facts):
        return None
    calls = sorted((path, fact.line) for path, fact in facts if fact.kind == "call")
    if not calls:
        return None
    path, line = calls[0]
    weak = sorted((where, fact.line, fact.detail) for where, fact in facts if fact.kind == "weak")
    if not weak:
        return path, line, ""
    where = f"line {weak[0][1]}" if weak[0][0] == path else f"{weak[0][0]}:{weak[0][1]}"
    return path, line, f" (closest: {weak[0][2]}, {where})"
