"""MX405: a service that declares routes but no readiness route."""

from __future__ import annotations

from mxlint.analysis.paths import is_test_path
from mxlint.analysis.triggers import Trigger
from mxlint.analysis.web import Service, service, service_anchor, trigger
from mxlint.checks.base import Project, PythonRule, rule
from mxlint.config import Settings


@rule("MX405")
class MissingReadinessRoute(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)  # a test app's routes are not the service's

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return trigger(settings)

    def finish(self) -> None:
        found: Service | None = self.context.analysis(service)
        if found is not None:
            self.record(found)

    @classmethod
    def finalize(cls, project: Project) -> None:
        facts: list[tuple[str, Service]] = project.facts_of(cls.RULE_ID)
        if facts and not any(fact.ready or fact.unknown for _, fact in facts):
            project.report(cls.RULE_ID, *service_anchor(facts))
