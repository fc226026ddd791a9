"""Rule-set invariants (kube-linter's and pre-commit-hooks' meta-tests): the policy data and the code
stay complete, consistent and documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from mxlint import config, docs, registry
from mxlint.checklist import BY_KEY
from mxlint.checks.base import registered
from mxlint.model import Scope

from .conftest import REPO, UPDATE, UPDATE_HINT

RULES_DIR = REPO / "rules"
CHECKS_DIR = REPO / "src" / "mxlint" / "checks"
ENGINE_RULES = {"MX000", "MX001"}  # implemented by the engine itself, not by a rule module
ALL = registry.all_rules()


def test_rules_folder_holds_only_yaml() -> None:
    # hatch force-include copies the folder verbatim into the wheel
    stray = [p.name for p in RULES_DIR.iterdir() if p.suffix != ".yaml"]
    assert not stray


def test_rules_load_from_the_source_tree() -> None:
    assert {f"{m.id}-{m.name}.yaml" for m in ALL} == {p.name for p in RULES_DIR.glob("*.yaml")}


@pytest.mark.parametrize("meta", ALL, ids=lambda m: m.id)
def test_rule_metadata_is_well_formed(meta) -> None:
    assert not re.match(r"^(no|disallow)-", meta.name), "names describe the bad pattern (ruff's convention)"
    assert not meta.title.endswith("."), "titles have no final period"
    for field in ("description", "rationale", "fix"):
        assert getattr(meta, field).endswith("."), f"{field} ends with a period"
    for field in ("peers", "limitations"):
        value = getattr(meta, field)
        assert not value or value.endswith("."), f"{field} ends with a period"
    assert meta.valid and meta.invalid, "every rule documents a valid and an invalid example"
    if meta.checklist:
        assert BY_KEY[meta.checklist].priority is meta.priority
    if meta.is_security:
        assert meta.category in ("auth", "security", "data")


def test_every_rule_has_code_and_every_class_has_metadata() -> None:
    classes = registered()
    metas = {meta.id for meta in ALL}
    assert set(classes) == metas - ENGINE_RULES
    for rule_id, cls in classes.items():
        meta = registry.by_id()[rule_id]
        assert cls.KIND in meta.kinds, f"{rule_id}: class reads {cls.KIND}, YAML says {meta.kinds}"
        assert cls.__name__ == "".join(part.title() for part in meta.name.split("-")), rule_id


def test_checks_package_imports_every_rule_module() -> None:
    init = (CHECKS_DIR / "__init__.py").read_text()
    imported = set()
    for node in ast.walk(ast.parse(init)):
        if isinstance(node, ast.ImportFrom) and node.module:
            imported |= {f"{node.module}.{alias.name}" for alias in node.names}
    modules = {
        "mxlint.checks." + ".".join(path.relative_to(CHECKS_DIR).with_suffix("").parts)
        for path in CHECKS_DIR.rglob("*.py")
        if path.name not in ("__init__.py", "base.py")
    }
    assert modules == imported


def test_every_rule_is_exercised_by_a_fixture() -> None:
    annotated = set()
    for path in (REPO / "fixtures").rglob("*"):
        if path.is_file():
            annotated |= set(re.findall(r"expect:\s*([A-Z0-9, ]+)", path.read_text(errors="replace")))
    ids = {rule_id.strip() for group in annotated for rule_id in group.split(",") if rule_id.strip()}
    missing = {meta.id for meta in ALL if meta.scope is Scope.FILE} - ids
    assert not missing, f"rules without a fixture annotation: {sorted(missing)}"


def test_docs_are_generated_and_current() -> None:
    path = REPO / "docs" / "rules.md"
    expected = docs.rules_document(ALL)
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(expected)
    assert path.read_text() == expected, f"docs/rules.md is stale: {UPDATE_HINT}"


def test_readme_rule_table_is_current() -> None:
    path = REPO / "README.md"
    readme = path.read_text()
    table = re.search(r"(<!-- rules:start -->\n)(.*?)(<!-- rules:end -->)", readme, re.S)
    assert table, "README.md lacks the generated rule table markers"
    expected = docs.rules_table(ALL, link_prefix="docs/rules.md")
    if UPDATE:
        path.write_text(readme[: table.start(2)] + expected + readme[table.end(2) :])
        readme = path.read_text()
        table = re.search(r"(<!-- rules:start -->\n)(.*?)(<!-- rules:end -->)", readme, re.S)
    assert table.group(2) == expected, f"README rule table is stale: {UPDATE_HINT}"


def test_readme_names_every_pre_commit_hook() -> None:
    hooks_file = REPO / ".pre-commit-hooks.yaml"
    if not hooks_file.exists():
        pytest.skip("no pre-commit hooks yet")
    readme = (REPO / "README.md").read_text()
    for hook_id in re.findall(r"^- id: (\S+)", hooks_file.read_text(), re.M):
        assert hook_id in readme


def test_readme_configuration_examples_are_valid() -> None:
    # The README's TOML blocks are what users copy; an unknown key there would be exit 2 for them.
    blocks = re.findall(r"^```toml\n(.*?)^```", (REPO / "README.md").read_text(), re.M | re.S)
    assert blocks, "README.md shows no configuration"
    for block in blocks:
        table = config.tomllib.loads(block)
        mxlint_table = table.get("tool", {}).get("mxlint", table)
        config.from_mapping(mxlint_table, prefix="tool.mxlint.")


def test_rule_modules_stay_small() -> None:
    for path in (CHECKS_DIR / "python").glob("*.py"):
        lines = len(path.read_text().splitlines())
        assert lines <= 160, f"{path.name} has {lines} lines: move matching logic into mxlint/analysis/"


def test_no_rule_prints() -> None:
    for path in Path(CHECKS_DIR).rglob("*.py"):
        tree = ast.parse(path.read_text())
        calls = [
            n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "print"
        ]
        assert not calls, f"{path.name} prints; rules only report"
