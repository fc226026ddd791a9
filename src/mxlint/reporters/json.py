"""JSON: a list of findings with the fields of a SARIF result plus the rule's metadata.

Each element has: ``rule_id``, ``rule_name``, ``title``, ``checklist`` (null for MX0xx),
``category``, ``priority``, ``level``, ``precision``, ``message``, ``path``, ``line``, ``column``,
``end_line``, ``end_column`` (null when unknown), ``fingerprint`` and ``help_uri``. The list is sorted
by path, line, column and rule id. Suppressed findings are left out.
"""

from __future__ import annotations

import json

from mxlint.model import RunResult


def render(result: RunResult) -> str:
    rules = {meta.id: meta for meta in result.rules}
    entries = []
    for finding in result.findings:
        meta = rules[finding.rule_id]
        entries.append(
            {
                "rule_id": finding.rule_id,
                "rule_name": meta.name,
                "title": meta.title,
                "checklist": meta.checklist,
                "category": meta.category,
                "priority": finding.priority.value,
                "level": finding.priority.sarif_level,
                "precision": meta.precision,
                "message": finding.message,
                "path": finding.path,
                "line": finding.line,
                "column": finding.column,
                "end_line": finding.end_line,
                "end_column": finding.end_column,
                "fingerprint": finding.fingerprint,
                "help_uri": meta.help_uri,
            }
        )
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
