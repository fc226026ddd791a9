"""MX202: a 429 branch or retry policy whose wait never reads Retry-After / X-Rate-Limit-Reset."""

from __future__ import annotations

import libcst as cst

from mxlint.analysis.names import has_star_kwargs, keyword
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.rate_limits import NEGATIVE, SLEEPS, Policy, RateLimitFacts, positional, walk
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

_SNIPPET = 48


@rule("MX202")
class RetryAfterIgnored(PythonRule):
    # Every finding needs a 429 test, a 429 constant or the urllib3 switch in the source.
    TRIGGER = r"\b429\b|TOO_MANY|too_many|respect_retry_after_header"

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)  # tests stub 429 responses and sleep on purpose

    def finish(self) -> None:
        facts: RateLimitFacts = self.context.analysis(RateLimitFacts)
        # Cheap syntactic judgement first: names are resolved (a whole-file analysis) only for candidates.
        for call, unit in facts.sleeps_on_429:
            if (
                not facts.honours_header(unit)
                and not facts.opaque_delay(positional(call, 0), unit)
                and facts.resolves_to(call.func, SLEEPS)
            ):
                self.report(call, what=f"429 handled with {_sleep_kind(call)}`{self._code(call)}`")
        for policy in facts.policies:
            name = policy.name
            if name == "Retry":
                what, library = self._urllib3(policy), "urllib3"
            elif facts.policy_waits_for_server(policy):
                continue
            elif name in ("on_exception", "on_predicate"):
                what, library = self._backoff(facts, policy), "backoff"
            else:
                what, library = self._tenacity(facts, policy), "tenacity"
            if what and facts.policy_library(policy) == library:
                self.report(policy.node, what=what)

    def _urllib3(self, policy: Policy) -> str | None:
        assert isinstance(policy.node, cst.Call)
        respect = keyword(policy.node, "respect_retry_after_header")
        if respect is None or not (isinstance(respect.value, cst.Name) and respect.value.value == "False"):
            return None
        return "urllib3 `Retry(respect_retry_after_header=False)` retries on its own schedule"

    def _tenacity(self, facts: RateLimitFacts, policy: Policy) -> str | None:
        call = policy.node if isinstance(policy.node, cst.Call) else None  # a bare @retry takes the defaults
        if call is not None and (has_star_kwargs(call) or positional(call, 0) is not None):
            return None
        predicate = keyword(call, "retry") if call else None
        # A function that raises on 429 is retried by a policy that catches everything (tenacity's default).
        raises = policy.unit is not None and policy.unit.raises_on_429
        on_429 = (predicate is not None and facts.covers_429(predicate.value)) or (
            raises and (predicate is None or facts.catches_everything(predicate.value))
        )
        if not on_429:
            return None
        wait = keyword(call, "wait") if call else None
        if wait is None:
            return "tenacity retry on 429 with no `wait=` retries at once"
        if facts.tenacity_wait_is_blind(wait.value):
            return f"tenacity retry on 429 waits `{self._code(wait.value)}`"
        return None

    def _backoff(self, facts: RateLimitFacts, policy: Policy) -> str | None:
        call = policy.node
        if not isinstance(call, cst.Call) or has_star_kwargs(call):
            return None
        argument = keyword(call, "predicate" if policy.name == "on_predicate" else "exception")
        target = argument.value if argument else positional(call, 1)
        raises = policy.unit is not None and policy.unit.raises_on_429
        on_429 = target is not None and (
            facts.covers_429(target)
            or (policy.name == "on_exception" and raises and facts.catches_everything(target))
        )
        giveup = keyword(call, "giveup")  # giveup=lambda e: e.response.status_code != 429 retries 429s
        if not (on_429 or (giveup is not None and facts.covers_429(giveup.value, NEGATIVE))):
            return None
        wait = keyword(call, "wait_gen")
        wait_gen = wait.value if wait else positional(call, 0)
        if wait_gen is None or not facts.backoff_wait_is_blind(wait_gen):
            return None
        return f"`backoff.{policy.name}` on 429 waits `{self._code(wait_gen)}`"

    def _code(self, node: cst.CSTNode) -> str:
        text = " ".join(self.context.module.code_for_node(node).split())
        return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"


def _sleep_kind(call: cst.Call) -> str:
    """'a fixed ' for a literal number, 'an exponential ' for a power, else nothing."""
    delay = positional(call, 0)
    if isinstance(delay, (cst.Integer, cst.Float)):
        return "a fixed "
    if delay is not None and any(
        isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Power) for node in walk(delay)
    ):
        return "an exponential "
    return ""
