"""MX402: a long-running container without a liveness probe."""

from __future__ import annotations

from mxlint.analysis.kubernetes import workloads
from mxlint.checks.base import KubernetesRule, rule
from mxlint.sources.yaml import value_of


@rule("MX402")
class MissingLivenessProbe(KubernetesRule):
    def check(self) -> None:
        if self.context.kustomize_patch:
            return  # a partial object: the base it patches holds the rest
        for workload in workloads(self.context.documents):
            if not workload.long_running:
                continue  # Jobs, CronJobs and run-once Pods end on their own
            for container in workload.app_containers:
                if value_of(container.node, "livenessProbe") is None:
                    self.report(
                        container.line, container.column, container=container.name, kind=workload.kind_label
                    )
