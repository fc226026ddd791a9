"""MX403: a long-running Kubernetes container without a readiness probe."""

from __future__ import annotations

from mxlint.analysis.kubernetes import workloads
from mxlint.checks.base import KubernetesRule, rule
from mxlint.sources.yaml import value_of


@rule("MX403")
class MissingReadinessProbe(KubernetesRule):
    def check(self) -> None:
        if self.context.kustomize_patch:
            return  # a partial object: the base it patches holds the rest
        for workload in workloads(self.context.documents):
            # Knative (and Cloud Run) route traffic only once the container's port accepts
            # connections (the default TCP startup probe): readiness is the platform's job there.
            if not workload.long_running or workload.knative:
                continue
            for container in workload.app_containers:
                if value_of(container.node, "readinessProbe") is None:
                    self.report(
                        container.line, container.column, container=container.name, kind=workload.kind_label
                    )
