"""MX303: a MaintainX webhook handler that does not verify the signature, or not in constant time,
or not with the timestamp tolerance."""

from __future__ import annotations

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.names import dotted, keyword
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.scopes import FunctionInfo
from mxlint.analysis.triggers import Trigger
from mxlint.analysis.web import WebRoutes, webhook_trigger
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

_HMAC = frozenset({"hmac.new", "hmac.HMAC", "hmac.digest"})
_COMPARE = frozenset({"hmac.compare_digest", "secrets.compare_digest"})
_NOW = frozenset(
    {
        "time.time", "time.time_ns", "datetime.datetime.now", "datetime.datetime.utcnow",
        "datetime.datetime.today", "django.utils.timezone.now", "arrow.utcnow", "arrow.now",
        "pendulum.now",
    }
)  # fmt: skip
_DIGESTS = frozenset({"hexdigest", "digest"})

UNVERIFIED = (
    "never verifies the x-maintainx-webhook-body-signature header (HMAC-SHA256 of `<t>.<raw body>`, "
    "compared with hmac.compare_digest): anyone can post forged events"
)
WRONG_DIGEST = "signs with {digest}; MaintainX signs with HMAC-SHA256, so no genuine event verifies"
EQUALS = (
    "compares the signature with `==`/`!=`, which leaks timing (a timing attack); use hmac.compare_digest"
)
NO_COMPARE = "computes the HMAC but never compares it with hmac.compare_digest"
NO_TOLERANCE = (
    "verifies the signature but never checks its timestamp `t` against the current time: a captured "
    "delivery can be replayed (MaintainX's tolerance is 5 minutes)"
)


@rule("MX303")
class WebhookSignatureUnverified(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return webhook_trigger(settings)

    def finish(self) -> None:
        web: WebRoutes = self.context.analysis(WebRoutes)
        verifiers = self.context.settings.web.signature_verifiers
        for webhook in web.webhooks():
            self.judged_subject()
            if webhook.delegated:  # verified, or not, in the dependency that reads the body
                continue
            problem = _problem(web, webhook.code, verifiers)
            if problem is not None:
                name = webhook.handler.node.name
                self.report(name, handler=name.value, problem=problem)


def _problem(web: WebRoutes, code: list[FunctionInfo], verifiers: tuple[str, ...]) -> str | None:
    signs = compares = equals = tolerance = False
    wrong: str | None = None
    for function in code:
        own = web.own_code(function)
        names = {
            call: web.qualified(call.func, function.scope) or dotted(call.func) or "" for call in own.calls
        }
        if web.uses(function, verifiers):
            return None
        for call, name in names.items():
            if name in _HMAC:
                signs = True
                wrong = wrong or _digest(web, call, function)
            compares = compares or name in _COMPARE
        now = {call for call, name in names.items() if name in _NOW}
        digests = {
            call for call, name in names.items()
            if name in _HMAC or (isinstance(call.func, cst.Attribute) and call.func.attr.value in _DIGESTS)
        }  # fmt: skip
        timed = _tainted(own.assignments, now)
        signed = _tainted(own.assignments, digests)
        for comparison in own.comparisons:
            if _mentions(comparison, now, timed):
                tolerance = True
            equality = any(isinstance(c.operator, (cst.Equal, cst.NotEqual)) for c in comparison.comparisons)
            if equality and _mentions(comparison, digests, signed):
                equals = True
    if wrong is not None:
        return WRONG_DIGEST.format(digest=wrong)
    if not compares:
        return (EQUALS if equals else NO_COMPARE) if signs else UNVERIFIED
    return None if tolerance else NO_TOLERANCE


def _digest(web: WebRoutes, call: cst.Call, function: FunctionInfo) -> str | None:
    """The hash an ``hmac.new`` call names when it is not SHA-256 (None when SHA-256 or unknown)."""
    found = keyword(call, "digestmod") or keyword(call, "digest")
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    argument = found.value if found else positional[2].value if len(positional) > 2 else None
    if argument is None:
        return None
    text = web.string(argument, function.scope)
    if text is None:
        name = web.qualified(argument, function.scope) or ""
        text = name.rsplit(".", 1)[-1] if name.startswith("hashlib.") else None
    return text if text is not None and text.lower().replace("-", "") != "sha256" else None


def _tainted(
    assignments: list[tuple[cst.BaseExpression, cst.BaseExpression]], calls: set[cst.Call]
) -> set[str]:
    """Names assigned (transitively) from an expression holding one of ``calls``."""
    names: set[str] = set()
    changed = bool(calls)
    while changed:
        changed = False
        for target, value in assignments:
            if isinstance(target, cst.Name) and target.value not in names and _mentions(value, calls, names):
                names.add(target.value)
                changed = True
    return names


def _mentions(node: cst.CSTNode, calls: set[cst.Call], names: set[str]) -> bool:
    if not calls and not names:
        return False
    return any(
        (isinstance(child, cst.Call) and child in calls)
        or (isinstance(child, cst.Name) and child.value in names)
        for child in syntax.walk(node)
    )
