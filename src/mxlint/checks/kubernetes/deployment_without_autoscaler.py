"""MX605: a Deployment that serves requests and that no autoscaler scales (repository level)."""

from __future__ import annotations

from dataclasses import dataclass

from mxlint.analysis.kubernetes import api_group, objects, operations_port, serves_http, string_map, workloads
from mxlint.checks.base import KubernetesRule, Project, rule
from mxlint.sources.yaml import get, items, path, scalar

_AUTOSCALERS = {("autoscaling", "HorizontalPodAutoscaler"), ("keda.sh", "ScaledObject")}


@dataclass(frozen=True)
class Deployment:
    name: str
    namespace: str | None
    line: int
    http_port: bool  # a container port named for HTTP (http, https, http-*, webhook...)
    labels: tuple[tuple[str, str], ...]  # the pod template's labels


@dataclass(frozen=True)
class Selector:
    """A Service's pod selector: traffic reaches the pods whose labels include all of it."""

    namespace: str | None
    labels: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ScaleTarget:
    """An HPA's or KEDA ScaledObject's ``scaleTargetRef``."""

    namespace: str | None
    kind: str
    name: str


def _same_namespace(one: str | None, other: str | None) -> bool:
    return one is None or other is None or one == other  # unset: set at deploy time (kustomize, -n)


@rule("MX605")
class DeploymentWithoutAutoscaler(KubernetesRule):
    def check(self) -> None:
        for workload in workloads(self.context.documents):
            # A patch's Deployment is its base's, which the base's file records.
            if workload.kind == "Deployment" and workload.name and not self.context.kustomize_patch:
                labels = tuple(sorted(workload.pod_labels.items()))
                self.record(
                    Deployment(
                        workload.name, workload.namespace, workload.line, serves_http(workload), labels
                    )
                )
        for document, api_version, kind in objects(self.context.documents):
            namespace = scalar(path(document, "metadata", "namespace"))
            if kind == "Service" and api_version == "v1":
                selector = string_map(path(document, "spec", "selector"))
                ports = items(path(document, "spec", "ports"))
                # a Service that only exposes metrics (for a ServiceMonitor) routes no requests
                if selector and not (ports and all(operations_port(port) for port in ports)):
                    self.record(Selector(namespace, tuple(sorted(selector.items()))))
            elif (api_group(api_version), kind) in _AUTOSCALERS:
                target = path(document, "spec", "scaleTargetRef")
                name = scalar(get(target, "name"))
                if name:  # KEDA's kind defaults to Deployment; the HPA's is required
                    self.record(ScaleTarget(namespace, scalar(get(target, "kind")) or "Deployment", name))

    @classmethod
    def finalize(cls, project: Project) -> None:
        facts = project.facts_of(cls.RULE_ID)
        selectors = [fact for _, fact in facts if isinstance(fact, Selector)]
        targets = [fact for _, fact in facts if isinstance(fact, ScaleTarget)]
        for relpath, fact in facts:
            if not isinstance(fact, Deployment):
                continue
            selected = any(
                _same_namespace(s.namespace, fact.namespace) and set(s.labels) <= set(fact.labels)
                for s in selectors
            )
            if not (selected or fact.http_port):
                continue  # a worker that receives no requests: scaling it out may duplicate its work
            scaled = any(
                t.kind == "Deployment"
                and t.name == fact.name
                and _same_namespace(t.namespace, fact.namespace)
                for t in targets
            )
            if not scaled:
                why = "a Service routes traffic to it" if selected else "it exposes an HTTP port"
                project.report(cls.RULE_ID, relpath, fact.line, name=fact.name, why=why)
