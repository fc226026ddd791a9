"""GitHub Actions workflow commands: one annotation per finding on the pull request's diff.

P0 is ``::error``, P1 ``::warning``, P2 ``::notice``. Values are escaped as the runner expects.
"""

from __future__ import annotations

from mxlint.model import Priority, RunResult

_COMMAND = {Priority.P0: "error", Priority.P1: "warning", Priority.P2: "notice"}


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def render(result: RunResult) -> str:
    rules = {meta.id: meta for meta in result.rules}
    lines = []
    for finding in result.findings:
        meta = rules[finding.rule_id]
        fields = [f"file={_property(finding.path)}", f"line={finding.line}"]
        if finding.column:
            fields.append(f"col={finding.column}")
        if finding.end_line:
            fields.append(f"endLine={finding.end_line}")
            if finding.end_column and finding.end_line == finding.line:
                fields.append(f"endColumn={finding.end_column}")
        fields.append(f"title={_property(f'{finding.rule_id} [{finding.priority.value}] {meta.name}')}")
        lines.append(f"::{_COMMAND[finding.priority]} {','.join(fields)}::{_data(finding.message)}")
    return "".join(line + "\n" for line in lines)
