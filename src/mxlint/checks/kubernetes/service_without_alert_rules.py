"""MX408: Kubernetes workloads or a MaintainX service with no alert rules beside them."""

from __future__ import annotations

from typing import Any

import yaml

from mxlint.checks.base import KubernetesRule, Project, YamlRule, rule
from mxlint.checks.python.project_facts import MaintainXUsage, relative
from mxlint.model import FileKind
from mxlint.sources.yaml import get, items, scalar

ALERTS, WORKLOAD = "alerts", "workload"
_WORKLOADS = frozenset(
    {"Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "Rollout", "DeploymentConfig"}
)
# Prometheus Operator, Config Connector (Cloud Monitoring), Grafana's and VictoriaMetrics' operators.
_ALERT_KINDS = frozenset({"PrometheusRule", "MonitoringAlertPolicy", "GrafanaAlertRuleGroup", "VMRule"})


def alert_document(document: yaml.Node) -> bool:
    """A Prometheus/Grafana rule file (``groups:`` whose ``rules:`` hold an ``alert:``/``condition:``)
    or a Cloud Monitoring alert policy (``conditions:`` with ``combiner:``)."""
    if get(document, "conditions") is not None and get(document, "combiner") is not None:
        return True
    groups = get(document, "groups") or get(get(document, "spec"), "groups")
    return any(
        get(item, "alert") is not None or get(item, "condition") is not None
        for group in items(groups)
        for item in items(get(group, "rules"))
    )


class _Python(MaintainXUsage):
    pass


class _Yaml(YamlRule):
    def check(self) -> None:
        if any(alert_document(document) for document in self.context.documents):
            self.record(ALERTS)


@rule("MX408")
class ServiceWithoutAlertRules(KubernetesRule):
    PARTS = {FileKind.PYTHON: _Python, FileKind.YAML: _Yaml}

    def check(self) -> None:
        for document in self.context.documents:
            kind = scalar(get(document, "kind"))
            api = scalar(get(document, "apiVersion")) or ""
            if kind in _ALERT_KINDS or alert_document(document):
                self.record(ALERTS)
            elif kind in _WORKLOADS or (kind == "Service" and api.startswith("serving.knative.dev")):
                self.record(WORKLOAD)

    @classmethod
    def finalize(cls, project: Project) -> None:
        facts: list[tuple[str, Any]] = project.facts_of(cls.RULE_ID)
        if any(fact == ALERTS for _, fact in facts):
            return
        workloads = sorted({path for path, fact in facts if fact == WORKLOAD})
        services = sorted({path for path, fact in facts if isinstance(fact, dict)})
        if not workloads and not services:
            return
        what = "the Kubernetes manifests" if workloads else "this MaintainX integration"
        anchor = project.anchor(*(relative(project.root, path) for path in (*workloads, *services)))
        project.report(cls.RULE_ID, anchor, 1, what=what)
