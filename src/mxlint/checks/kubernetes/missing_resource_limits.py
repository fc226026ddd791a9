"""MX604: a container without CPU and memory limits."""

from __future__ import annotations

from mxlint.analysis.kubernetes import workloads
from mxlint.checks.base import KubernetesRule, rule
from mxlint.sources.yaml import path


@rule("MX604")
class MissingResourceLimits(KubernetesRule):
    def check(self) -> None:
        for workload in workloads(self.context.documents):
            for container in workload.app_containers:  # init containers finish before the app runs
                limits = path(container.node, "resources", "limits")
                missing = [name for name in ("cpu", "memory") if path(limits, name) is None]
                if missing:
                    self.report(container.line, container=container.name, missing=" and ".join(missing))
