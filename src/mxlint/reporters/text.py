"""Human output, ruff-like: ``path:line:col: MX201 [P0] message``, then a summary by priority."""

from __future__ import annotations

from mxlint.model import Priority, RunResult

_COLOURS = {Priority.P0: "\033[1;31m", Priority.P1: "\033[33m", Priority.P2: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def render(result: RunResult, color: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines = []
    for finding in result.findings:
        location = f"{finding.path}:{finding.line}:{finding.column or 1}:"
        tag = paint(f"[{finding.priority.value}]", _COLOURS[finding.priority])
        lines.append(f"{paint(location, _BOLD)} {paint(finding.rule_id, _BOLD)} {tag} {finding.message}")
    if lines:
        lines.append("")
    counts = result.count_by_priority()
    hidden = [f"{len(result.suppressed)} suppressed"] if result.suppressed else []
    if result.baselined:
        hidden.append(f"{len(result.baselined)} in the baseline")
    aside = f" ({', '.join(hidden)})" if hidden else ""
    if result.findings:
        by_priority = ", ".join(f"{counts[p]} {p.value}" for p in Priority if counts[p])
        lines.append(f"Found {_plural(len(result.findings), 'finding')}: {by_priority}{aside}.")
    else:
        lines.append(f"All checks passed: {_plural(result.files_checked, 'file')} checked{aside}.")
    return "\n".join(lines) + "\n"
