"""MX104: a credential given to a container as a literal environment value."""

from __future__ import annotations

from mxlint.analysis import credential_values
from mxlint.checks.base import KubernetesRule, rule


@rule("MX104")
class ManifestSecretLiteral(KubernetesRule):
    def check(self) -> None:
        for found in credential_values.manifest(self.context.documents):
            self.report(found.line, found.column, name=found.name, container=found.detail)
