"""MX406: a service or MaintainX caller with no metrics library and no /metrics route."""

from __future__ import annotations

from dataclasses import dataclass

from mxlint.analysis.maintainx import MaintainXCalls, maintainx_words, trigger_pattern
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.scopes import Scopes
from mxlint.analysis.triggers import Trigger, Words
from mxlint.analysis.web import FRAMEWORKS, Service, service, service_anchor
from mxlint.checks.base import Project, PythonRule, rule
from mxlint.config import Settings
from mxlint.sources.python import locate

# Modules whose import means request metrics are exported (prefix match on the imported name).
METRICS_MODULES = (
    "prometheus_client", "prometheus_fastapi_instrumentator", "starlette_exporter", "starlette_prometheus",
    "prometheus_flask_exporter", "django_prometheus", "aioprometheus", "aiohttp_prometheus",
    "opentelemetry.metrics", "opentelemetry.sdk.metrics", "opentelemetry.exporter.prometheus",
    "opentelemetry.instrumentation", "statsd", "datadog", "aiodogstatsd", "ddtrace",
)  # fmt: skip


@dataclass(frozen=True)
class MetricsFacts:
    service: Service | None
    metrics: bool  # imports a metrics library
    maintainx: int | None  # the line of its first MaintainX call


@rule("MX406")
class MissingMetrics(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        modules = {name.split(".")[0] for name in (*METRICS_MODULES, *settings.web.metrics_modules)}
        words = [*FRAMEWORKS, *sorted(modules)]
        return Words([*words, *maintainx_words(settings)])

    def finish(self) -> None:
        modules = (*METRICS_MODULES, *self.context.settings.web.metrics_modules)
        imported = (binding.spelled or "" for binding in self.context.analysis(Scopes).imports)
        metrics = any(
            name == module or name.startswith(module + ".") for name in imported for module in modules
        )
        maintainx = None
        if trigger_pattern(self.context.settings).search(self.context.data):  # else it cannot call MaintainX
            calls = [mx.call for mx in self.context.analysis(MaintainXCalls).calls()]
            spans = locate(self.context.module, calls)
            maintainx = min((span.line for span in spans.values()), default=None)
        found: Service | None = self.context.analysis(service)
        if found is not None or metrics or maintainx is not None:
            self.record(MetricsFacts(found, metrics, maintainx))

    @classmethod
    def finalize(cls, project: Project) -> None:
        facts: list[tuple[str, MetricsFacts]] = project.facts_of(cls.RULE_ID)
        if any(fact.metrics or (fact.service and fact.service.metrics) for _, fact in facts):
            return
        services = [(path, fact.service) for path, fact in facts if fact.service is not None]
        calls = sorted((path, fact.maintainx) for path, fact in facts if fact.maintainx is not None)
        if services:  # anchored where the app is built: /metrics goes there
            project.report(cls.RULE_ID, *service_anchor(services), what="serves routes")
        elif calls:  # a worker: anchored at its first MaintainX call, the first thing to count and time
            project.report(cls.RULE_ID, *calls[0], what="calls MaintainX")
