"""The go-live readiness summary a team pastes into its review: one row per checklist item, in
checklist order, with its status, then the findings grouped by priority."""

from __future__ import annotations

from collections import Counter

from mxlint.checklist import CATEGORY_TITLES, ITEMS, MANUAL_ITEMS
from mxlint.model import FileKind, Finding, Priority, RuleMeta, RunResult
from mxlint.registry import all_rules

PASS, NOT_CHECKED, MANUAL, NOT_APPLICABLE = "pass", "not checked", "manual", "not applicable"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


_KIND_NAMES = {
    FileKind.PYTHON: "Python files",
    FileKind.DOCKERFILE: "Dockerfiles",
    FileKind.KUBERNETES: "Kubernetes manifests",
    FileKind.YAML: "YAML files",
    FileKind.GITIGNORE: ".gitignore",
    FileKind.DOTENV: ".env files",
    FileKind.PRECOMMIT: "pre-commit config",
    FileKind.TEXT: "text files",
}


def statuses(result: RunResult) -> dict[str, str]:
    """Each checklist key's status: "fail (n)"; "not checked" when no rule of it ran, or when the scan
    holds no file any of them reads (no Dockerfile: nothing was judged, which is not a pass); else
    "pass", saying which of the key's rules did not run and how many findings were suppressed."""
    ran: dict[str, list[RuleMeta]] = {}
    for meta in result.rules:
        if meta.checklist and meta.id not in result.skipped:
            ran.setdefault(meta.checklist, []).append(meta)
    counts = Counter(finding.rule_id for finding in result.findings)
    hidden = Counter(finding.rule_id for finding in result.suppressed)
    found: dict[str, str] = {}
    for item in ITEMS:
        metas = ran.get(item.key, [])
        failures = sum(counts[meta.id] for meta in metas)
        kinds = {kind for meta in metas for kind in meta.kinds}
        if not metas:
            found[item.key] = NOT_CHECKED
        elif failures:
            found[item.key] = f"fail ({failures})"
        elif result.kinds_scanned is not None and not kinds & result.kinds_scanned:
            listed = sorted(_KIND_NAMES[kind] for kind in kinds)
            names = ", ".join(listed[:-1]) + " or " + listed[-1] if len(listed) > 1 else listed[0]
            found[item.key] = f"{NOT_CHECKED} (no {names})"
        elif _nothing_to_judge(metas, result.subjects_seen):
            subjects = sorted({meta.subject for meta in metas})
            found[item.key] = f"{NOT_APPLICABLE} (no {' or '.join(subjects)} found)"
        else:
            notes = []
            ran_ids = {meta.id for meta in metas}
            missing = [m.id for m in all_rules() if m.checklist == item.key and m.id not in ran_ids]
            if missing:
                notes.append(f"{', '.join(sorted(missing))} not run")
            suppressed = sum(hidden[meta.id] for meta in metas)
            if suppressed:
                notes.append(f"{suppressed} suppressed")
            found[item.key] = PASS + (f" ({'; '.join(notes)})" if notes else "")
    return found


def _nothing_to_judge(metas: list[RuleMeta], seen: frozenset[str] | None) -> bool:
    """Every rule of the item judges a subject (webhook handlers) and none found one."""
    return seen is not None and all(meta.subject and meta.id not in seen for meta in metas)


def _not_applicable(status: dict[str, str]) -> str:
    count = sum(value.startswith(NOT_APPLICABLE) for value in status.values())
    return f"{count} do not apply, " if count else ""


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
        f"{sum(value.startswith(NOT_CHECKED) for value in status.values())} were not checked, "
        + _not_applicable(status)
        + f"{len(MANUAL_ITEMS)} need a manual check.",
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
