"""MX104: a credential given to a container as a literal environment value."""

from __future__ import annotations

from mxlint.analysis.kubernetes import is_secret_name, is_secret_value, workloads
from mxlint.checks.base import KubernetesRule, rule
from mxlint.sources.yaml import get, items, key_node, line, scalar


@rule("MX104")
class ManifestSecretLiteral(KubernetesRule):
    def check(self) -> None:
        for workload in workloads(self.context.documents):
            for container in workload.containers:
                for entry in items(get(container.node, "env")):
                    name, value = scalar(get(entry, "name")), scalar(get(entry, "value"))
                    if name and value is not None and is_secret_name(name) and is_secret_value(value):
                        anchor = key_node(entry, "value")
                        self.report(
                            line(anchor) if anchor else container.line, name=name, container=container.label
                        )
