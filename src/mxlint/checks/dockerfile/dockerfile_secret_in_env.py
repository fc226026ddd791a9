"""MX103: an ENV or ARG in a Dockerfile gives a key-like name a literal value (never echoed)."""

from __future__ import annotations

from mxlint.analysis import credential_values
from mxlint.checks.base import DockerfileRule, rule

_WHERE = {
    "ENV": "the image config keeps it, `docker inspect` shows it",
    "ARG": "the Dockerfile and the `RUN` steps' history (`docker history`) keep it",
}


@rule("MX103")
class DockerfileSecretInEnv(DockerfileRule):
    def check(self) -> None:
        for found in credential_values.dockerfile(self.context.dockerfile, self.context.lines):
            self.report(
                found.line, found.column, keyword=found.detail, name=found.name, where=_WHERE[found.detail]
            )
