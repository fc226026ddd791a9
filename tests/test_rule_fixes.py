"""Autofix examples: every invalid example of an ``autofix: true`` rule is a fix test. With a ``fixed:``
text, ``--fix`` must produce exactly that text, the rule must find nothing in it, and a second
``--fix`` must change nothing; without one, the example documents a finding ``--fix`` leaves alone.
``pytest -k fix-MX401`` runs one rule's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mxlint import api, autofix, docs, registry
from mxlint.checks.base import Rule, registered
from mxlint.config import Config
from mxlint.model import Example, RuleMeta

from .conftest import write_files

FIXABLE = [meta for meta in registry.all_rules() if meta.autofix]
CASES = [
    pytest.param(meta, example, id=f"fix-{meta.id}-invalid-{index}")
    for meta in FIXABLE
    for index, example in enumerate(meta.invalid)
]


def fix_plan(root: Path, select: list[str], config: Config | None = None) -> tuple[int, autofix.FixPlan]:
    """(findings of ``select``, the fixes ``--fix`` would make) for the files under ``root``."""
    previous = Path.cwd()
    os.chdir(root)
    try:
        options = api.Options(select=tuple(select), config=config or Config(), scope="all", jobs=1)
        result = api.run(options)
        return len([f for f in result.findings if f.rule_id in select]), autofix.plan(options, result)
    finally:
        os.chdir(previous)


@pytest.mark.parametrize(("meta", "example"), CASES)
def test_fix_example(tmp_path: Path, meta: RuleMeta, example: Example) -> None:
    path = example.path or docs.default_example_path(meta)
    write_files(tmp_path, example.as_files(path))
    found, plan = fix_plan(tmp_path, [meta.id])
    if example.fixed is None:
        assert not plan.files, "an example without `fixed:` documents a finding --fix leaves alone"
        return
    assert [file.relpath for file in plan.files] == [path]
    assert plan.files[0].after == example.fixed
    assert plan.fixed == found, "an example with `fixed:` has every finding fixed"
    (tmp_path / path).write_text(example.fixed, encoding="utf-8")
    remaining, again = fix_plan(tmp_path, [meta.id])
    assert remaining == 0, "the fixed code still has findings"
    assert not again.files, "--fix is not idempotent"


def test_autofix_rules_implement_fix_and_show_it() -> None:
    classes = registered()
    for meta in registry.all_rules():
        cls = classes.get(meta.id)
        overrides = cls is not None and cls.fix is not Rule.fix
        assert overrides == meta.autofix, f"{meta.id}: `autofix: true` in the YAML iff the class has fix()"
        if meta.autofix:
            assert any(example.fixed for example in meta.invalid), f"{meta.id}: no example shows a fix"
