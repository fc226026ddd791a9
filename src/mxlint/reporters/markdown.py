"""The go-live readiness summary a team pastes into its review: one row per checklist item, in
checklist order, with its status, then the findings grouped by priority."""

from __future__ import annotations

from collections import Counter

from mxlint.checklist import CATEGORY_TITLES, ITEMS, MANUAL_ITEMS
from mxlint.model import Finding, Priority, RunResult

PASS, NOT_CHECKED, MANUAL = "pass", "not checked", "manual"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def statuses(result: RunResult) -> dict[str, str]:
    """Each checklist key's status: pass, "fail (n)", or not checked (no rule of it ran)."""
    ran: dict[str, set[str]] = {}
    for meta in result.rules:
        if meta.checklist and meta.id not in result.skipped:
            ran.setdefault(meta.checklist, set()).add(meta.id)
    counts = Counter(finding.rule_id for finding in result.findings)
    found: dict[str, str] = {}
    for item in ITEMS:
        ids = ran.get(item.key)
        failures = sum(counts[rule_id] for rule_id in ids or ())
        found[item.key] = NOT_CHECKED if not ids else f"fail ({failures})" if failures else PASS
    return found


def render(result: RunResult) -> str:
    status = statuses(result)
    lines = ["# MaintainX go-live readiness", ""]
    counts = result.count_by_priority()
    suppressed = f" ({len(result.suppressed)} suppressed)" if result.suppressed else ""
    if result.findings:
        by_priority = ", ".join(f"{counts[p]} {p.value}" for p in Priority if counts[p])
        summary = f"{_plural(len(result.findings), 'finding')}: {by_priority}{suppressed}"
    else:
        summary = f"no findings{suppressed}"
    failing = sum(value.startswith("fail") for value in status.values())
    lines += [
        f"{_plural(result.files_checked, 'file')} checked, {summary}. "
        f"{failing} of {len(status)} checklist items fail; "
        f"{sum(value == NOT_CHECKED for value in status.values())} were not checked, "
        f"{len(MANUAL_ITEMS)} need a manual check.",
        "",
        "| Category | Requirement | Key | Priority | Status |",
        "|---|---|---|---|---|",
    ]
    manual = {item.after: item for item in MANUAL_ITEMS}
    for item in ITEMS:
        category = CATEGORY_TITLES.get(item.category, item.category)
        value = status[item.key]
        shown = f"**{value}**" if value.startswith("fail") else value
        lines.append(
            f"| {category} | {_cell(item.requirement)} | `{item.key}` | {item.priority.value} | {shown} |"
        )
        if item.key in manual:
            extra = manual[item.key]
            title = CATEGORY_TITLES.get(extra.category, extra.category)
            lines.append(f"| {title} | {_cell(extra.requirement)} | | {extra.priority.value} | {MANUAL} |")
    lines += ["", "## Findings", ""]
    if not result.findings:
        lines += ["None.", ""]
    for priority in Priority:
        group = [finding for finding in result.findings if finding.priority is priority]
        if not group:
            continue
        lines += [f"### {priority.value} ({len(group)})", ""]
        lines += [_finding(finding) for finding in group]
        lines.append("")
    return "\n".join(lines)


def _finding(finding: Finding) -> str:
    column = f":{finding.column}" if finding.column else ""
    return f"- `{finding.path}:{finding.line}{column}` **{finding.rule_id}** {finding.message}"
