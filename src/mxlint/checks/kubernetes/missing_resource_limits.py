"""MX604: a container without CPU and memory limits."""

from __future__ import annotations

from mxlint.analysis.kubernetes import workloads
from mxlint.checks.base import KubernetesRule, rule
from mxlint.sources.yaml import path

_LIMITS = (("cpu", "CPU"), ("memory", "memory"))


@rule("MX604")
class MissingResourceLimits(KubernetesRule):
    def check(self) -> None:
        if self.context.kustomize_patch:
            return  # a partial object: the base it patches holds the rest
        for workload in workloads(self.context.documents):
            for container in workload.app_containers:  # init containers finish before the app runs
                limits = path(container.node, "resources", "limits")
                missing = [label for key, label in _LIMITS if path(limits, key) is None]
                if missing:
                    self.report(
                        container.line,
                        container.column,
                        container=container.name,
                        missing=" and ".join(missing),
                    )
