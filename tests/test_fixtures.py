"""End to end over the sample integrations in ``fixtures/``.

Expected findings are annotated inline, semgrep style: ``# expect: MX201`` (several comma-separated)
on its own line applies to the next code line, at the end of a line to that line; ``# expect-not:``
marks a trap for a false positive. Repository-level findings are listed in the project's
``expected.yaml``. The findings must EQUAL the annotations: an unannotated finding fails the test.

Each fixture's report in every format is compared byte for byte with ``tests/snapshots/`` (regenerate
with ``MXLINT_UPDATE_SNAPSHOTS=1 pytest`` and review the diff); the SARIF goes through the shared
validator with warnings on.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mxlint.reporters import REPORTERS

from .conftest import REPO, UPDATE, UPDATE_HINT, run_on

FIXTURES = REPO / "fixtures"
SNAPSHOTS = REPO / "tests" / "snapshots"
PROJECTS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir() and not p.name.startswith("."))
EXTENSIONS = {"text": "txt", "json": "json", "sarif": "sarif", "github": "github", "markdown": "md"}
_ANNOTATION = re.compile(r"#\s*(expect|expect-not|todo-expect):\s*(MX\d{3}(?:\s*,\s*MX\d{3})*)")
VALIDATOR = Path(
    os.environ.get("MXLINT_SARIF_VALIDATOR", REPO.parent / "shared" / "tools" / "validate-sarif")
)


def annotations(project: str) -> tuple[set[tuple[str, int, str]], set[tuple[str, int, str]]]:
    """(expected, forbidden) sets of (path, line, rule id), paths relative to the repository."""
    expected: set[tuple[str, int, str]] = set()
    forbidden: set[tuple[str, int, str]] = set()
    for path in sorted((FIXTURES / project).rglob("*")):
        if not path.is_file():
            continue
        relpath = path.relative_to(REPO).as_posix()
        pending: list[tuple[str, str]] = []
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            found = [(m.group(1), m.group(2)) for m in _ANNOTATION.finditer(line)]
            code = line.split("#", 1)[0].strip()
            if found and not code:
                pending.extend(found)  # an annotation on its own line waits for the next code line
                continue
            for kind, ids in [*pending, *found]:
                for rule_id in filter(None, (part.strip() for part in ids.split(","))):
                    target = {"expect": expected, "expect-not": forbidden}.get(kind)
                    if target is not None:
                        target.add((relpath, number, rule_id))
            pending = []
    manifest = FIXTURES / project / "expected.yaml"
    if manifest.exists():
        for entry in yaml.safe_load(manifest.read_text()) or []:
            expected.add((f"fixtures/{project}/{entry['path']}", entry["line"], entry["rule"]))
    return expected, forbidden


@pytest.fixture(scope="module", params=PROJECTS)
def fixture_run(request):
    project = request.param
    return project, run_on(REPO, [f"fixtures/{project}"])


def test_findings_equal_the_annotations(fixture_run) -> None:
    project, result = fixture_run
    expected, forbidden = annotations(project)
    found = {(f.path, f.line, f.rule_id) for f in result.findings}
    assert not found & forbidden, f"false positives: {sorted(found & forbidden)}"
    assert sorted(found - expected) == [], "findings without an `# expect:` annotation"
    assert sorted(expected - found) == [], "annotated findings mxlint did not report"


def test_good_fixtures_are_clean(fixture_run) -> None:
    project, result = fixture_run
    if project.startswith("good-"):
        assert result.findings == [], "no rule may fire on a good fixture"


@pytest.mark.parametrize("fmt", sorted(EXTENSIONS))
def test_golden_output(fixture_run, fmt: str) -> None:
    project, result = fixture_run
    rendered = REPORTERS[fmt](result)
    snapshot = SNAPSHOTS / f"{project}.{EXTENSIONS[fmt]}"
    if UPDATE:
        snapshot.parent.mkdir(exist_ok=True)
        snapshot.write_text(rendered, encoding="utf-8")
    assert snapshot.exists(), f"missing golden file {snapshot.name}: {UPDATE_HINT}"
    assert rendered == snapshot.read_text(encoding="utf-8"), f"{snapshot.name} differs: {UPDATE_HINT}"


@pytest.mark.parametrize("project", PROJECTS)
def test_sarif_passes_the_validator_with_warnings_on(project: str) -> None:
    if not VALIDATOR.exists():
        if os.environ.get("MXLINT_REQUIRE_VALIDATOR") == "1":
            pytest.fail(f"SARIF validator not found at {VALIDATOR}")
        pytest.skip(f"SARIF validator not found at {VALIDATOR} (set MXLINT_SARIF_VALIDATOR)")
    done = subprocess.run(
        [sys.executable, str(VALIDATOR), str(SNAPSHOTS / f"{project}.sarif")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
