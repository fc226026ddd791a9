"""Rule documentation rendered from ``rules/*.yaml``: ``mxlint explain``, ``docs/rules.md``, the README
table and SARIF ``help`` all come from here, so the YAML is the only source of rule text."""

from __future__ import annotations

from collections.abc import Iterable

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


def _example_blocks(meta: RuleMeta, examples: Iterable[Example]) -> list[str]:
    blocks = []
    for example in examples:
        files = example.as_files(default_example_path(meta))
        for path, content in files.items():
            label = f"`{path}`" + (f": {example.note}" if example.note else "")
            if len(files) > 1 or example.note or example.path:
                blocks.append(label)
            blocks.append(f"```{_fence_for(path)}\n{content.rstrip()}\n```")
    return blocks


def summary_line(meta: RuleMeta) -> str:
    key = meta.checklist or "mxlint"
    return f"{meta.id} {meta.name} — {meta.title} [{meta.priority.value}, {key}]"


def rule_markdown(meta: RuleMeta, level: int = 2) -> str:
    """The rule's page: what, why, how to fix, examples, peers, limits."""
    h, sub = "#" * level, "#" * (level + 1)
    parts = [
        f"{h} {meta.id} {meta.name}",
        f"**{meta.title}**",
        f"Checklist: `{meta.checklist or 'mxlint (tool)'}` · Priority: **{meta.priority.value}** · "
        f"Category: {meta.category} · Files: {', '.join(kind.value for kind in meta.kinds)} · "
        f"Scope: {meta.scope.value} · Precision: {meta.precision}",
        f"{sub} What it checks",
        meta.description,
        f"{sub} Why it matters",
        meta.rationale,
        f"{sub} How to fix",
        meta.fix,
    ]
    if meta.invalid:
        parts += [f"{sub} Example", *_example_blocks(meta, meta.invalid)]
    if meta.valid:
        parts += [f"{sub} Use instead", *_example_blocks(meta, meta.valid)]
    if meta.peers:
        parts += [f"{sub} How it differs from other tools", meta.peers]
    if meta.limitations:
        parts += [f"{sub} What it cannot see", meta.limitations]
    if meta.references:
        parts += [f"{sub} References", "\n".join(f"- <{ref}>" for ref in meta.references)]
    parts.append(f"Suppress one finding with `# mxlint: ignore[{meta.id}] <reason>`.")
    return "\n\n".join(parts) + "\n"


def rule_text(meta: RuleMeta) -> str:
    """Plain-text documentation for terminals and SARIF ``help.text``."""
    parts = [
        summary_line(meta),
        f"What it checks: {meta.description}",
        f"Why it matters: {meta.rationale}",
        f"How to fix: {meta.fix}",
    ]
    if meta.invalid:
        parts.append("Example:\n" + _indent(meta.invalid[0].as_files(default_example_path(meta))))
    if meta.valid:
        parts.append("Use instead:\n" + _indent(meta.valid[0].as_files(default_example_path(meta))))
    if meta.peers:
        parts.append(f"How it differs from other tools: {meta.peers}")
    if meta.limitations:
        parts.append(f"What it cannot see: {meta.limitations}")
    parts.append(f"Suppress one finding with: # mxlint: ignore[{meta.id}] <reason>")
    return "\n\n".join(parts) + "\n"


def _indent(files: dict[str, str]) -> str:
    chunks = []
    for path, content in files.items():
        body = "\n".join("    " + line if line else "" for line in content.rstrip().splitlines())
        chunks.append(f"  {path}:\n{body}" if len(files) > 1 else body)
    return "\n".join(chunks)


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
