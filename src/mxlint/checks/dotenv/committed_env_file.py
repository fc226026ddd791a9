"""MX105: a committed ``.env`` file that gives a credential a value."""

from __future__ import annotations

from pathlib import PurePosixPath

from mxlint.analysis.secrets import is_credential_assignment
from mxlint.checks.base import DotenvRule, rule
from mxlint.sources import dotenv

# Templates meant to be committed; they are judged the same way (a real value in one is still a
# leak), but the message says what the file is for.
TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".tmpl", ".defaults")


@rule("MX105")
class CommittedEnvFile(DotenvRule):
    def check(self) -> None:
        name = PurePosixPath(self.context.relpath).name
        template = name.endswith(TEMPLATE_SUFFIXES)
        for entry in dotenv.parse(self.context.lines):
            if is_credential_assignment(entry.key, entry.value):
                where = "a template env file" if template else "a committed env file"
                self.report(entry.line, entry.column, name=entry.key, where=where)
