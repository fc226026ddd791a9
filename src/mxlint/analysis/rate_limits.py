"""Rate-limit facts of one Python file: 429 checks, rate-limit header reads, sleeps and retry policies.

Shared by the rules about HTTP 429 (retry-after-ignored; later retry-backoff and rate-limiting); get it
with ``context.analysis(RateLimitFacts)``. One syntactic walk collects everything; names that must be
resolved (``HTTPStatus``, sleeps, retry libraries) go through qualified names only for candidates.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.names import dotted, imported_names

if TYPE_CHECKING:  # a runtime import would be circular: rules import the analyses
    from mxlint.checks.base import PythonContext

POSITIVE, NEGATIVE = 1, -1  # a test that holds on 429 / one that holds on everything but 429

# Retry-After (and -ms), IETF RateLimit, X-Rate-Limit-Reset/-Remaining (MaintainX), X-RateLimit-Reset-*;
# matched after lower-casing with '_' as '-', so JSON body keys such as retry_after count too.
_HEADER = re.compile(
    r"^(?:retry-?after(?:-?ms)?|ratelimit|(?:x-)?rate-?limit-?(?:reset|remaining)[a-z0-9-]*)$"
)
_STATUS_HOLDERS = frozenset(
    {"http.HTTPStatus", "http.client", "requests.codes", "requests.status_codes.codes", "httpx.codes",
     "starlette.status", "fastapi.status", "rest_framework.status"}
)  # fmt: skip
_STATUS_NAMES = frozenset(
    {"TOO_MANY_REQUESTS", "too_many_requests", "TOO_MANY", "too_many", "HTTP_429_TOO_MANY_REQUESTS"}
)
SLEEPS = frozenset(
    {"time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep", "gevent.sleep", "eventlet.sleep"}
)
URLLIB3_RETRY = frozenset(
    {"urllib3.Retry", "urllib3.util.Retry", "urllib3.util.retry.Retry", "requests.adapters.Retry",
     "requests.packages.urllib3.Retry", "requests.packages.urllib3.util.Retry",
     "requests.packages.urllib3.util.retry.Retry"}
)  # fmt: skip
_POLICIES = {"tenacity": {"retry", "Retrying", "AsyncRetrying"}, "backoff": {"on_exception", "on_predicate"}}
_POLICY_NAMES = frozenset({"Retry"}).union(*_POLICIES.values())
_CANDIDATE_NAMES = _POLICY_NAMES | {"sleep"}
# Waits that are a function of the attempt number only: they cannot see a response header.
_BLIND_TENACITY_WAITS = frozenset(
    {"wait_none", "wait_fixed", "wait_random", "wait_exponential", "wait_random_exponential",
     "wait_full_jitter", "wait_exponential_jitter", "wait_incrementing"}
)  # fmt: skip
_BLIND_BACKOFF_WAITS = frozenset({"expo", "fibo", "constant"})
# Callbacks a retry library runs before each sleep (backoff's on_backoff, tenacity's before_sleep): one
# that sleeps for the announced time lengthens the library's wait to the server's.
_SLEEP_HOOKS = frozenset({"on_backoff", "before_sleep"})
_CATCH_ALL = frozenset({"Exception", "BaseException"})
# Calls a delay may make without hiding where its value comes from (builtins, math, random, config).
_NUMERIC_HELPERS = frozenset(
    {"min", "max", "int", "float", "round", "abs", "pow", "len", "ceil", "floor", "sqrt", "exp", "uniform",
     "random", "randint", "randrange", "triangular", "expovariate", "gauss", "get", "getenv", "getattr",
     "timedelta", "total_seconds"}
)  # fmt: skip
_EXITS = (cst.Return, cst.Raise, cst.Break, cst.Continue)


def is_header_name(text: str) -> bool:
    """``Retry-After``, ``x-rate-limit-reset``… in any case (header names are case-insensitive)."""
    return bool(_HEADER.match(text.strip().lower().replace("_", "-")))


def last_name(node: cst.CSTNode) -> str | None:
    name = dotted(node)
    return name.rsplit(".", 1)[-1] if name else None


def positional(call: cst.Call, index: int) -> cst.BaseExpression | None:
    args = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
    return args[index] if index < len(args) else None


def walk(node: cst.CSTNode, prune: Callable[[cst.CSTNode], bool] | None = None) -> Iterator[cst.CSTNode]:
    """:func:`syntax.walk` without the names of keyword arguments: ``f(retry_after=5)`` names a
    parameter, it reads nothing (nor does it call, raise or test anything)."""
    keywords: set[cst.Name] = set()
    for current in syntax.walk(node, prune):
        if type(current) is cst.Arg and current.keyword is not None:
            keywords.add(current.keyword)
        elif current in keywords:
            continue
        yield current


@dataclass(eq=False)
class Unit:
    """A function, or a module-level statement: the code a wait is judged with."""

    node: cst.CSTNode
    parent: Unit | None
    reads_header: bool = False  # mentions a rate-limit header (nested code included)
    # Last names of everything it calls, or hands to a call that runs it: breaker.call_async(self._send),
    # asyncio.to_thread(fetch), functools.partial(fetch, url).
    calls: set[str] = field(default_factory=set)
    raises_on_429: bool = False
    # Sleeps on a 429 for a delay an imported helper computes (wait = retry_delay(resp.headers)): what it
    # reads cannot be seen, so it is taken as the server's time. Set after the walk.
    opaque_wait: bool = False

    def chain(self) -> Iterator[Unit]:
        unit: Unit | None = self
        while unit is not None:
            yield unit
            unit = unit.parent


@dataclass(frozen=True)
class Policy:
    """A candidate retry policy: a ``Retry``/``retry``/``on_exception``… call or a bare ``@retry``."""

    node: cst.CSTNode
    name: str  # Retry, retry, Retrying, on_exception… (the imported name, before any alias)
    unit: Unit | None  # the decorated function, or the code holding the call
    decorator: bool


class RateLimitFacts:
    def __init__(self, context: PythonContext) -> None:
        self.context = context
        self.constants = _constants(context.module)
        self.header_constants = {name for name, value in self.constants.items() if _header_text(value)}
        self.functions: dict[str, list[Unit]] = {}
        # Candidates by syntax; the rule resolves their names only when it would report them.
        self.sleeps_on_429: list[tuple[cst.Call, Unit | None]] = []
        self.policies: list[Policy] = []
        self.rate_limit_exceptions: set[str] = set()  # last names of exceptions raised on a 429 path
        self._polarity: dict[cst.CSTNode, int] = {}
        _Collector(self).walk(context.module)
        self.header_functions = self._header_functions()
        for call, unit in self.sleeps_on_429:
            if unit is not None and self.opaque_delay(positional(call, 0), unit):
                unit.opaque_wait = True
        self.waiting_functions = self._closure(lambda unit: unit.reads_header or unit.opaque_wait)

    # --- 429 checks -------------------------------------------------------------------------------
    def polarity(self, test: cst.BaseExpression) -> int:
        """POSITIVE if ``test`` holds on a 429 (``== 429``, ``in (429, 503)``), NEGATIVE for ``!= 429``."""
        if test not in self._polarity:
            self._polarity[test] = self._compute_polarity(test)
        return self._polarity[test]

    def _compute_polarity(self, test: cst.BaseExpression) -> int:
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            return -self.polarity(test.expression)
        if isinstance(test, cst.BooleanOperation):
            return _combine(self.polarity(test.left), self.polarity(test.right))
        if not isinstance(test, cst.Comparison):
            return 0
        result, left = 0, test.left
        for target in test.comparisons:
            op, right = target.operator, target.comparator
            if isinstance(op, (cst.Equal, cst.Is, cst.NotEqual, cst.IsNot)):
                hit = self.is_429(left) or self.is_429(right)
                sign = POSITIVE if isinstance(op, (cst.Equal, cst.Is)) else NEGATIVE
            elif isinstance(op, (cst.In, cst.NotIn)):
                hit, sign = self.holds_429(right), POSITIVE if isinstance(op, cst.In) else NEGATIVE
            else:
                hit, sign = False, 0
            result, left = _combine(result, sign if hit else 0), right
        return result

    def is_429(self, node: cst.CSTNode, depth: int = 0) -> bool:
        if isinstance(node, cst.Integer):
            return node.evaluated_value == 429
        if isinstance(node, cst.SimpleString):
            return node.evaluated_value == "429"
        if isinstance(node, cst.Call) and last_name(node.func) == "int" and len(node.args) == 1:
            return self.is_429(node.args[0].value, depth)
        if isinstance(node, cst.Attribute) and node.attr.value == "value":
            return self.is_429(node.value, depth)
        if last_name(node) in _STATUS_NAMES and any(
            qualified.rpartition(".")[0] in _STATUS_HOLDERS and qualified.rpartition(".")[2] in _STATUS_NAMES
            for qualified in imported_names(self.context, node)
        ):
            return True
        constant = self._constant(node, depth)
        return constant is not None and self.is_429(constant, depth + 1)

    def holds_429(self, node: cst.CSTNode, depth: int = 0) -> bool:
        """A collection literal (or a constant naming one) with 429 in it."""
        if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
            return any(isinstance(e, cst.Element) and self.is_429(e.value, depth) for e in node.elements)
        if isinstance(node, cst.Dict):  # {429: 30, 503: 5}: status -> delay tables
            return any(isinstance(e, cst.DictElement) and self.is_429(e.key, depth) for e in node.elements)
        if isinstance(node, cst.Call) and last_name(node.func) in {"set", "frozenset", "tuple", "list"}:
            return len(node.args) == 1 and self.holds_429(node.args[0].value, depth)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.BitOr, cst.Add)):
            return self.holds_429(node.left, depth) or self.holds_429(node.right, depth)
        constant = self._constant(node, depth)
        return constant is not None and self.holds_429(constant, depth + 1)

    def _constant(self, node: cst.CSTNode, depth: int) -> cst.BaseExpression | None:
        """The value of a module or class constant named by ``NAME`` or ``self.NAME``/``Class.NAME``."""
        if depth > 5 or not isinstance(node, (cst.Name, cst.Attribute)):
            return None
        if isinstance(node, cst.Attribute) and not isinstance(node.value, cst.Name):
            return None
        return self.constants.get(node.value if isinstance(node, cst.Name) else node.attr.value)

    def on_429_path(self, stack: Sequence[cst.CSTNode]) -> bool:
        """Whether ``stack[-1]`` runs only when a response was a 429, within its function.

        Recognised: the body of ``if``/``while`` tests that hold on 429, the ``else``/``elif`` of
        ``!= 429`` tests, ``case 429:``, and code after a guard ``if status != 429: return``.
        """
        for index in range(len(stack) - 1, 0, -1):
            child, parent = stack[index], stack[index - 1]
            if isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
                return False
            if isinstance(parent, (cst.If, cst.While)) and child is parent.body:
                if self.polarity(parent.test) == POSITIVE:
                    return True
            elif isinstance(parent, cst.If) and child is parent.orelse:
                if self.polarity(parent.test) == NEGATIVE:
                    return True
            elif isinstance(parent, cst.MatchCase) and child is parent.body:
                if self._matches_429(parent.pattern):
                    return True
            elif isinstance(parent, (cst.IndentedBlock, cst.Module)) and self._after_guard(
                parent.body, child
            ):
                return True
        return False

    def _matches_429(self, pattern: cst.MatchPattern) -> bool:
        if isinstance(pattern, cst.MatchValue):
            return self.is_429(pattern.value)
        if isinstance(pattern, cst.MatchOr):
            return any(self._matches_429(element.pattern) for element in pattern.patterns)
        return (
            isinstance(pattern, cst.MatchAs)
            and pattern.pattern is not None
            and self._matches_429(pattern.pattern)
        )

    def _after_guard(self, statements: Sequence[cst.CSTNode], child: cst.CSTNode) -> bool:
        for statement in statements:
            if statement is child:
                return False
            if (
                isinstance(statement, cst.If)
                and statement.orelse is None
                and _exits(statement.body)
                and self.polarity(statement.test) == NEGATIVE
            ):
                return True
        return False

    # --- what a retry policy covers -------------------------------------------------------------------
    def covers_429(self, expr: cst.CSTNode, sign: int = POSITIVE) -> bool:
        """Whether a retry predicate/exception filter selects 429s: a lambda or same-module function with a
        429 test of ``sign`` (NEGATIVE for ``giveup=``), or an exception this module raises on a 429."""
        for node in walk(expr, _negated_tenacity):
            if isinstance(node, cst.Comparison) and self.polarity(node) == sign:
                return True
            name = last_name(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
            if name is None:
                continue
            if sign == POSITIVE and name in self.rate_limit_exceptions:
                return True
            if any(self._function_tests_429(unit, sign) for unit in self.functions.get(name, ())):
                return True
        return False

    def _function_tests_429(self, unit: Unit, sign: int) -> bool:
        return any(
            isinstance(node, cst.Comparison) and self.polarity(node) == sign for node in walk(unit.node)
        )

    @staticmethod
    def catches_everything(expr: cst.BaseExpression) -> bool:
        """``Exception``/``BaseException``, or tenacity's ``retry_if_exception_type()`` with no argument."""
        if isinstance(expr, cst.Call) and last_name(expr.func) == "retry_if_exception_type" and not expr.args:
            return True
        return any(isinstance(node, cst.Name) and node.value in _CATCH_ALL for node in walk(expr))

    # --- libraries -------------------------------------------------------------------------------------
    def resolves_to(self, node: cst.CSTNode, names: frozenset[str]) -> bool:
        return bool(imported_names(self.context, node) & names)

    def policy_library(self, policy: Policy) -> str | None:
        """``urllib3``, ``tenacity`` or ``backoff`` when the policy resolves to one of them."""
        node = policy.node.func if isinstance(policy.node, cst.Call) else policy.node
        for name in imported_names(self.context, node):
            if name in URLLIB3_RETRY:
                return "urllib3"
            root, last = name.split(".", 1)[0], name.rpartition(".")[2]
            if last in _POLICIES.get(root, ()):
                return root
        return None

    def _library_name(self, node: cst.CSTNode, library: str) -> str | None:
        for name in imported_names(self.context, node):
            if name.split(".", 1)[0] == library:
                return name.rpartition(".")[2]
        return None

    def tenacity_wait_is_blind(self, expr: cst.BaseExpression) -> bool:
        """A tenacity wait built only from fixed/random/exponential waits (no response in sight)."""
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            return self.tenacity_wait_is_blind(expr.left) and self.tenacity_wait_is_blind(expr.right)
        if not isinstance(expr, cst.Call):
            return False
        name = self._library_name(expr.func, "tenacity")
        if name in {"wait_combine", "wait_chain"}:
            return bool(expr.args) and all(
                not arg.star and self.tenacity_wait_is_blind(arg.value) for arg in expr.args
            )
        return name in _BLIND_TENACITY_WAITS

    def backoff_wait_is_blind(self, expr: cst.BaseExpression) -> bool:
        return self._library_name(expr, "backoff") in _BLIND_BACKOFF_WAITS

    # --- header evidence -----------------------------------------------------------------------------
    def opaque_delay(self, delay: cst.BaseExpression | None, unit: Unit | None) -> bool:
        """The delay (or a variable it is assigned from in the unit) calls a function this module does not
        define, e.g. an imported ``rate_limit_delay(resp)``: what it reads cannot be seen."""
        if delay is None:
            return False
        sources = [delay]
        names = {node.value for node in walk(delay) if isinstance(node, cst.Name)}
        if unit is not None and names:
            for node in walk(unit.node):
                if isinstance(node, cst.Assign) and any(
                    isinstance(t.target, cst.Name) and t.target.value in names for t in node.targets
                ):
                    sources.append(node.value)
        for source in sources:
            for node in walk(source):
                if isinstance(node, cst.Call):
                    name = last_name(node.func)
                    if name is None or (name not in self.functions and name not in _NUMERIC_HELPERS):
                        return True
        return False

    def honours_header(self, unit: Unit | None) -> bool:
        """The unit or an enclosing function reads a rate-limit header, or calls a same-module function
        that does (directly or through other same-module functions)."""
        if unit is None:
            return False
        return any(u.reads_header or u.calls & self.header_functions for u in unit.chain())

    def policy_waits_for_server(self, policy: Policy) -> bool:
        """The code a retry policy runs honours the header, or sleeps on a 429 for a delay an imported
        helper computes before it raises: ``@backoff.on_exception(expo, ...)`` around a method that
        calls ``_send``, where ``_send`` awaits ``asyncio.sleep(retry_after_seconds(resp.headers))`` on a
        429, waits the server's time before the library's own backoff."""
        if self.honours_header(policy.unit) or self.hook_honours_header(policy):
            return True
        return policy.unit is not None and any(
            u.opaque_wait or u.calls & self.waiting_functions for u in policy.unit.chain()
        )

    def hook_honours_header(self, policy: Policy) -> bool:
        """An ``on_backoff=``/``before_sleep=`` callback (a name, a list of them, a lambda) reads a rate-limit
        header or calls a same-module function that does."""
        if not isinstance(policy.node, cst.Call):
            return False
        for arg in policy.node.args:
            if arg.keyword is None or arg.keyword.value not in _SLEEP_HOOKS:
                continue
            for node in walk(arg.value):
                if isinstance(node, (cst.Name, cst.Attribute)) and last_name(node) in self.header_functions:
                    return True
                if isinstance(node, tuple(_HEADER_CARRIERS)) and self.reads_header(node):
                    return True
        return False

    def _header_functions(self) -> set[str]:
        return self._closure(lambda unit: unit.reads_header)

    def _closure(self, seed: Callable[[Unit], bool]) -> set[str]:
        """Names of same-module functions that satisfy ``seed`` or call (transitively) one that does."""
        names = {name for name, units in self.functions.items() if any(seed(u) for u in units)}
        grew = True
        while grew:
            grew = False
            for name, units in self.functions.items():
                if name not in names and any(u.calls & names for u in units):
                    names.add(name)
                    grew = True
        return names

    def reads_header(self, node: cst.CSTNode) -> bool:
        """A header literal, a constant holding one, or a value named like one: ``retry_after``,
        ``error.retry_after`` (an SDK's parsed header), ``hdrs.RETRY_AFTER``."""
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return _header_text(node)
        if isinstance(node, cst.Attribute):
            node = node.attr
        if not isinstance(node, cst.Name):
            return False
        # A bare `ratelimit` identifier is more likely the PyPI package than the IETF header.
        return node.value in self.header_constants or (
            is_header_name(node.value) and node.value.lower() != "ratelimit"
        )


class _Collector:
    """One walk over the module that keeps the path from the root, so branches are known.

    Recursive over :func:`syntax.children`: the fastest walk that keeps the path (a third faster than
    :func:`syntax.traverse` with a leave callback per node).
    """

    def __init__(self, facts: RateLimitFacts) -> None:
        self.facts = facts
        self.stack: list[cst.CSTNode] = []
        self.units: list[Unit] = []
        self.aliases: dict[str, str] = {}  # from asyncio import sleep as nap: nap -> sleep

    def walk(self, node: cst.CSTNode) -> None:
        unit = self._enter(node)
        for child in syntax.children(node):
            self.walk(child)
        self.stack.pop()
        if unit is not None:
            self.units.pop()

    def _enter(self, node: cst.CSTNode) -> Unit | None:
        facts, stack, units, kind = self.facts, self.stack, self.units, type(node)
        unit = None
        if kind is cst.FunctionDef or (stack and type(stack[-1]) is cst.Module and kind is not cst.ClassDef):
            unit = Unit(node, units[-1] if units else None)
            units.append(unit)
            if isinstance(node, cst.FunctionDef):
                facts.functions.setdefault(node.name.value, []).append(unit)
        parent = stack[-1] if stack else None
        stack.append(node)
        if kind in _HEADER_CARRIERS:
            # A keyword argument's name (f(retry_after=5)) names a parameter, it reads nothing.
            keyword = type(parent) is cst.Arg and parent.keyword is node  # type: ignore[union-attr]
            if not keyword and facts.reads_header(node):
                for enclosing in units:
                    enclosing.reads_header = True
        elif kind is cst.Call:
            self._call(node)
        elif kind is cst.Decorator and self._name(node.decorator) == "retry":  # bare @retry
            facts.policies.append(
                Policy(node.decorator, "retry", units[-1] if units else None, decorator=True)
            )
        elif kind is cst.ImportFrom and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                if alias.asname and alias.evaluated_name in _CANDIDATE_NAMES:
                    self.aliases[alias.evaluated_alias or ""] = alias.evaluated_name
        elif kind is cst.Raise and node.exc is not None and facts.on_429_path(stack):
            exception = node.exc.func if isinstance(node.exc, cst.Call) else node.exc
            facts.rate_limit_exceptions.add(last_name(exception) or "")
            for enclosing in units:
                enclosing.raises_on_429 = True
        return unit

    def _name(self, node: cst.CSTNode) -> str | None:
        name = last_name(node)
        return self.aliases.get(name, name) if name else None

    def _call(self, call: cst.Call) -> None:
        name = last_name(call.func)
        if name is None:
            return
        called = {name}
        for arg in call.args:
            # Positional only: a keyword hook (backoff's on_giveup=) runs at another moment than the call.
            if arg.keyword is None and type(arg.value) in (cst.Name, cst.Attribute):
                called.add(last_name(arg.value) or name)
        for unit in self.units:
            unit.calls |= called
        name = self.aliases.get(name, name)
        innermost = self.units[-1] if self.units else None
        if name == "sleep" and self.facts.on_429_path(self.stack):
            self.facts.sleeps_on_429.append((call, innermost))
        elif name in _POLICY_NAMES:
            decorator = type(self.stack[-2]) is cst.Decorator
            self.facts.policies.append(Policy(call, name, innermost, decorator))


_HEADER_CARRIERS = frozenset({cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Name})


def _combine(first: int, second: int) -> int:
    if not first or not second:
        return first or second
    return first if first == second else 0


def _exits(body: cst.BaseSuite) -> bool:
    """The block ends with return/raise/break/continue, so the code after its ``if`` skips that case."""
    last: cst.CSTNode | None = body.body[-1] if body.body else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    return isinstance(last, _EXITS)


def _negated_tenacity(node: cst.CSTNode) -> bool:
    """``retry_if_not_result(...)`` and friends invert their predicate: their 429 tests do not count."""
    if not isinstance(node, cst.Call):
        return False
    name = last_name(node.func) or ""
    return name.startswith("retry_if_not_") or name == "retry_unless_exception_type"


def _header_text(node: cst.CSTNode) -> bool:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        if isinstance(value, bytes):
            value = value.decode("latin-1")
        return isinstance(value, str) and is_header_name(value)
    if isinstance(node, cst.FormattedString):  # f"X-Rate-Limit-{kind}": the static text names the family
        static = "".join(p.value for p in node.parts if isinstance(p, cst.FormattedStringText)).lower()
        return any(marker in static for marker in ("retry-after", "rate-limit", "ratelimit"))
    return False


def _constants(module: cst.Module) -> dict[str, cst.BaseExpression]:
    """Names assigned exactly once at module or class level, with their values."""
    values: dict[str, cst.BaseExpression] = {}
    seen: set[str] = set()

    def scan(body: Sequence[cst.CSTNode]) -> None:
        for statement in body:
            if isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
                scan(statement.body.body)
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                targets: list[cst.BaseExpression] = []
                if isinstance(small, cst.Assign):
                    targets = [target.target for target in small.targets]
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    targets = [small.target]
                for target in targets:
                    if isinstance(target, cst.Name):
                        if target.value in seen:
                            values.pop(target.value, None)
                        else:
                            values[target.value] = small.value
                        seen.add(target.value)

    scan(module.body)
    return values
