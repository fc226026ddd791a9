"""MX505: a project that calls MaintainX with no client-side rate limiter."""

from __future__ import annotations

from mxlint.analysis import resilience
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.triggers import Trigger
from mxlint.checks.base import Project, PythonRule, rule
from mxlint.config import Settings


@rule("MX505")
class MissingRateLimiter(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return resilience.trigger(settings, resilience.LIMITER_WORDS, settings.rate_limiters)

    def finish(self) -> None:
        resilience.record(self, self.context.analysis(resilience.Resilience).limiters())

    @classmethod
    def finalize(cls, project: Project) -> None:
        found = resilience.missing(project, cls.RULE_ID)
        if found is not None:
            project.report(cls.RULE_ID, found[0], found[1])
