"""MX104: a credential given to a container as a literal environment value."""

from __future__ import annotations

from mxlint.analysis.kubernetes import workloads
from mxlint.analysis.secrets import is_credential_assignment
from mxlint.checks.base import KubernetesRule, rule
from mxlint.sources.yaml import column, get, items, key_node, line, scalar


@rule("MX104")
class ManifestSecretLiteral(KubernetesRule):
    def check(self) -> None:
        for workload in workloads(self.context.documents):
            for container in workload.containers:
                for entry in items(get(container.node, "env")):
                    name, value = scalar(get(entry, "name")), scalar(get(entry, "value"))
                    at = key_node(entry, "value")  # the finding never shows the value itself
                    if name and value is not None and at and is_credential_assignment(name, value):
                        self.report(line(at), column(at), name=name, container=container.label)
