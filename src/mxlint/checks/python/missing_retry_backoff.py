"""MX203: a project that calls MaintainX with no retry policy backing off exponentially on 429 and 5xx."""

from __future__ import annotations

from mxlint.analysis import resilience
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.triggers import Trigger
from mxlint.checks.base import Project, PythonRule, rule
from mxlint.config import Settings


@rule("MX203")
class MissingRetryBackoff(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)  # tests stub MaintainX; their retries protect nothing

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return resilience.trigger(settings, resilience.RETRY_WORDS, settings.retry_policies)

    def finish(self) -> None:
        resilience.record(self, self.context.analysis(resilience.Resilience).retry_policies())

    @classmethod
    def finalize(cls, project: Project) -> None:
        found = resilience.missing(project, cls.RULE_ID)
        if found is not None:
            path, line, detail = found
            project.report(cls.RULE_ID, path, line, detail=detail)
