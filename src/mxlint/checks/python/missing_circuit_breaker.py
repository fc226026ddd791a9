"""MX204: a project that calls MaintainX with no circuit breaker anywhere."""

from __future__ import annotations

from mxlint.analysis import resilience
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.triggers import Trigger
from mxlint.checks.base import Project, PythonRule, rule
from mxlint.config import Settings


@rule("MX204")
class MissingCircuitBreaker(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return resilience.trigger(settings, resilience.BREAKER_WORDS, settings.circuit_breakers)

    def finish(self) -> None:
        resilience.record(self, self.context.analysis(resilience.Resilience).breakers())

    @classmethod
    def finalize(cls, project: Project) -> None:
        found = resilience.missing(project, cls.RULE_ID)
        if found is not None:
            project.report(cls.RULE_ID, found[0], found[1])
