"""MX105: a committed ``.env`` file that gives a credential a value."""

from __future__ import annotations

from pathlib import PurePosixPath

from mxlint.analysis import credential_values
from mxlint.checks.base import DotenvRule, rule

# Templates meant to be committed; they are judged the same way (a real value in one is still a
# leak), but the message says what the file is for.
TEMPLATE_SUFFIXES = (".example", ".sample", ".template", ".dist", ".tmpl", ".defaults")


@rule("MX105")
class CommittedEnvFile(DotenvRule):
    def check(self) -> None:
        name = PurePosixPath(self.context.relpath).name
        where = "a template env file" if name.endswith(TEMPLATE_SUFFIXES) else "a committed env file"
        for found in credential_values.dotenv(self.context.lines):
            self.report(found.line, found.column, name=found.name, where=where)
