"""MX406: a service or MaintainX caller with no metrics library and no /metrics route."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mxlint.analysis.maintainx import MaintainXCalls, trigger_pattern
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.scopes import Scopes
from mxlint.analysis.web import FRAMEWORKS, Service, service, service_anchor
from mxlint.checks.base import ROOT_MANIFESTS, Project, PythonRule, rule
from mxlint.config import Settings

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
    maintainx: bool  # calls MaintainX


@rule("MX406")
class MissingMetrics(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    @classmethod
    def trigger(cls, settings: Settings) -> re.Pattern[bytes] | None:
        modules = {name.split(".")[0] for name in (*METRICS_MODULES, *settings.web.metrics_modules)}
        words = [*FRAMEWORKS, *sorted(modules)]
        return re.compile(
            f"(?:{'|'.join(map(re.escape, words))})|{trigger_pattern(settings).pattern.decode()}".encode()
        )

    def finish(self) -> None:
        modules = (*METRICS_MODULES, *self.context.settings.web.metrics_modules)
        imported = (binding.qualified or "" for binding in self.context.analysis(Scopes).imports)
        metrics = any(
            name == module or name.startswith(module + ".") for name in imported for module in modules
        )
        maintainx = bool(trigger_pattern(self.context.settings).search(self.context.data)) and bool(
            self.context.analysis(MaintainXCalls).calls()
        )
        found: Service | None = self.context.analysis(service)
        if found is not None or metrics or maintainx:
            self.record(MetricsFacts(found, metrics, maintainx))

    @classmethod
    def finalize(cls, project: Project) -> None:
        facts: list[tuple[str, MetricsFacts]] = project.facts_of(cls.RULE_ID)
        if any(fact.metrics or (fact.service and fact.service.metrics) for _, fact in facts):
            return
        services = [(path, fact.service) for path, fact in facts if fact.service is not None]
        callers = sorted(path for path, fact in facts if fact.maintainx)
        if services:
            project.report(cls.RULE_ID, *service_anchor(services), what="serves routes")
        elif callers:
            manifests = [project.path(name) for name in ROOT_MANIFESTS if project.path(name) in project.files]
            project.report(cls.RULE_ID, (manifests or callers)[0], 1, what="calls MaintainX")
