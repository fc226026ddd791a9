"""Rule documentation: docs/rules.md and ``mxlint explain`` render the same sections of the same YAML."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from mxlint import cli, docs, registry
from mxlint.model import RuleMeta

from .conftest import REPO

ALL = registry.all_rules()


@pytest.mark.parametrize("meta", ALL, ids=lambda m: m.id)
def test_every_rule_documents_what_why_example_and_alternative(meta: RuleMeta) -> None:
    headings = [heading for heading, _ in docs.sections(meta)]
    assert headings[:5] == ["What it checks", "Why it matters", "How to fix", "Example", "Use instead"]
    if meta.checklist:  # mxlint's own rules (MX0xx) have no peers to compare with
        assert "How it differs from other tools" in headings and "What it cannot see" in headings


@pytest.mark.parametrize("meta", ALL, ids=lambda m: m.id)
def test_explain_prints_the_docs_section(meta: RuleMeta) -> None:
    runner = CliRunner()
    markdown = runner.invoke(cli.cli, ["explain", meta.id, "--format", "markdown"]).output
    assert markdown == docs.rule_markdown(meta)
    assert markdown in (REPO / "docs" / "rules.md").read_text()
    text = runner.invoke(cli.cli, ["explain", meta.name]).output
    assert text == docs.rule_text(meta)
    # Same content in both renderings: every heading, paragraph and code line of every section.
    for heading, blocks in docs.sections(meta):
        assert f"### {heading}\n" in markdown and f"\n{heading}:\n" in text
        for block in blocks:
            if isinstance(block, str):
                assert block in markdown and docs._plain(block) in text
            else:
                assert block.code in markdown
                assert "\n".join(f"    {line}" if line else "" for line in block.code.splitlines()) in text
