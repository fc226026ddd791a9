"""Rule documentation rendered from ``rules/*.yaml``: ``mxlint explain``, ``docs/rules.md``, the README
table and SARIF ``help`` all come from here, so the YAML is the only source of rule text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mxlint.model import Example, FileKind, RuleMeta

_FENCE = {
    FileKind.PYTHON: "python",
    FileKind.DOCKERFILE: "dockerfile",
    FileKind.KUBERNETES: "yaml",
    FileKind.YAML: "yaml",
    FileKind.PRECOMMIT: "yaml",
    FileKind.DOTENV: "properties",
    FileKind.GITIGNORE: "gitignore",
    FileKind.TEXT: "text",
}
_DEFAULT_PATH = {
    FileKind.PYTHON: "example.py",
    FileKind.DOCKERFILE: "Dockerfile",
    FileKind.KUBERNETES: "k8s/deployment.yaml",
    FileKind.YAML: "config.yaml",
    FileKind.PRECOMMIT: ".pre-commit-config.yaml",
    FileKind.DOTENV: ".env",
    FileKind.GITIGNORE: ".gitignore",
    FileKind.TEXT: "example.txt",
}


def default_example_path(meta: RuleMeta) -> str:
    return _DEFAULT_PATH[meta.kinds[0]]


def _fence_for(path: str) -> str:
    from mxlint.discovery import classify_name

    return _FENCE[classify_name(path.rsplit("/", 1)[-1])]


@dataclass(frozen=True)
class _Code:
    """A code block of a section, from the file ``path`` of an example."""

    path: str
    fence: str
    code: str
    label: str  # shown above the block in Markdown, where it helps (several files, a note, a path)
    note: str = ""
    fixed: bool = False  # the code above it, as ``--fix`` rewrites it


_Block = str | _Code  # a paragraph or a code block
_FIXED = "after `mxlint check --fix`"


def _example_blocks(meta: RuleMeta, examples: Iterable[Example]) -> list[_Block]:
    blocks: list[_Block] = []
    for example in examples:
        files = example.as_files(default_example_path(meta))
        for path, content in files.items():
            note = f": {example.note}" if example.note else ""
            label = f"`{path}`{note}" if len(files) > 1 or note or example.path else ""
            blocks.append(_Code(path, _fence_for(path), content.rstrip(), label, example.note))
        if example.fixed is not None:
            path = next(iter(files))
            blocks.append(_Code(path, _fence_for(path), example.fixed.rstrip(), "", fixed=True))
    return blocks


def _autofix_text(meta: RuleMeta) -> str:
    return "`mxlint check --fix` (see How to fix)" if meta.autofix else "no"


def summary_line(meta: RuleMeta) -> str:
    key = meta.checklist or "mxlint"
    return f"{meta.id} {meta.name} — {meta.title} [{meta.priority.value}, {key}]"


def sections(meta: RuleMeta) -> list[tuple[str, list[_Block]]]:
    """The rule's documentation, as (heading, blocks): what, why, how to fix, examples, fixed code,
    peers, limits. ``docs/rules.md``, ``mxlint explain`` and SARIF help all render this one list."""
    parts: list[tuple[str, list[_Block]]] = [
        ("What it checks", [meta.description]),
        ("Why it matters", [meta.rationale]),
        ("How to fix", [meta.fix]),
    ]
    if meta.invalid:
        parts.append(("Example", _example_blocks(meta, meta.invalid)))
    if meta.valid:
        parts.append(("Use instead", _example_blocks(meta, meta.valid)))
    if meta.peers:
        parts.append(("How it differs from other tools", [meta.peers]))
    if meta.limitations:
        parts.append(("What it cannot see", [meta.limitations]))
    if meta.references:
        parts.append(("References", ["\n".join(f"- <{ref}>" for ref in meta.references)]))
    return parts


def _facts(meta: RuleMeta) -> str:
    return (
        f"Checklist: `{meta.checklist or 'mxlint (tool)'}` · Priority: **{meta.priority.value}** · "
        f"Category: {meta.category} · Files: {', '.join(kind.value for kind in meta.kinds)} · "
        f"Scope: {meta.scope.value} · Precision: {meta.precision} · Autofix: {_autofix_text(meta)}"
    )


def rule_markdown(meta: RuleMeta, level: int = 2) -> str:
    """The rule's page in ``docs/rules.md`` (and ``mxlint explain --format markdown``)."""
    h, sub = "#" * level, "#" * (level + 1)
    parts = [f"{h} {meta.id} {meta.name}", f"**{meta.title}**", _facts(meta)]
    for heading, blocks in sections(meta):
        parts.append(f"{sub} {heading}")
        for block in blocks:
            if isinstance(block, _Code):
                if block.label or block.fixed:
                    parts.append(f"{_FIXED.capitalize()}:" if block.fixed else block.label)
                parts.append(f"```{block.fence}\n{block.code}\n```")
            else:
                parts.append(block)
    parts.append(f"Suppress one finding with `# mxlint: ignore[{meta.id}] <reason>`.")
    return "\n\n".join(parts) + "\n"


def rule_text(meta: RuleMeta) -> str:
    """The same documentation as plain text, for terminals (``mxlint explain``) and SARIF ``help.text``."""
    parts = [summary_line(meta), _plain(_facts(meta))]
    for heading, blocks in sections(meta):
        rendered = []
        for block in blocks:
            if isinstance(block, _Code):
                body = "\n".join("    " + line if line else "" for line in block.code.splitlines())
                note = f" ({block.note})" if block.note else f", {_FIXED}" if block.fixed else ""
                rendered.append(f"  {block.path}{note}:\n{body}")
            else:
                rendered.append(_plain(block))
        parts.append(f"{heading}:\n" + "\n\n".join(rendered))
    parts.append(f"Suppress one finding with: # mxlint: ignore[{meta.id}] <reason>")
    return "\n\n".join(parts) + "\n"


def _plain(text: str) -> str:
    """Markdown emphasis and link brackets off; code spans keep their text."""
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    return re.sub(r"^- <(\S+)>$", r"- \1", text, flags=re.M)


def anchor(meta: RuleMeta) -> str:
    """GitHub's anchor for the rule's heading in docs/rules.md."""
    return f"{meta.id.lower()}-{meta.name}"


def rules_table(metas: Iterable[RuleMeta], link_prefix: str = "") -> str:
    rows = ["| id | name | checklist key | priority | title |", "|---|---|---|---|---|"]
    for meta in metas:
        key = f"`{meta.checklist}`" if meta.checklist else "(mxlint)"
        rows.append(
            f"| [{meta.id}]({link_prefix}#{anchor(meta)}) | `{meta.name}` | {key} | "
            f"{meta.priority.value} | {meta.title} |"
        )
    return "\n".join(rows) + "\n"


def rules_document(metas: Iterable[RuleMeta]) -> str:
    metas = list(metas)
    header = (
        "# mxlint rules\n\n"
        "Generated from `rules/*.yaml` by `mxlint rules --format markdown`; do not edit by hand.\n\n"
    )
    return header + rules_table(metas) + "\n" + "\n".join(rule_markdown(meta) for meta in metas)
