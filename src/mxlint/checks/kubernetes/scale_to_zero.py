"""MX606: an autoscaler allowed to scale a service to zero instances."""

from __future__ import annotations

from mxlint.analysis.kubernetes import api_group, integer, knative_min_scale, objects, workloads
from mxlint.checks.base import KubernetesRule, rule
from mxlint.sources.yaml import column, line, path, scalar


@rule("MX606")
class ScaleToZero(KubernetesRule):
    def check(self) -> None:
        for document, api_version, kind in objects(self.context.documents):
            if kind != "HorizontalPodAutoscaler" or api_group(api_version) != "autoscaling":
                continue
            minimum = path(document, "spec", "minReplicas")  # unset means 1
            value = integer(minimum)
            if minimum is not None and value is not None and value < 1:
                name = scalar(path(document, "metadata", "name")) or kind
                self.report(line(minimum), column(minimum), name=name, why=f"minReplicas: {value}")
        for workload in workloads(self.context.documents):
            if not workload.knative:
                continue
            scale = knative_min_scale(workload)
            if scale.value is not None and scale.value < 1:
                why = f"minimum scale {scale.value}" if scale.explicit else "no minScale: the default is 0"
                self.report(scale.line, scale.column, name=workload.name or workload.kind, why=why)
