"""Baselines: written once, they hide today's findings however the file moves, and only new ones count."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mxlint import api, baseline
from mxlint.config import Config
from mxlint.model import RunResult

from ..conftest import HYGIENE, write_files

SYNC = "def sync(n):\n    print('synced', n)\n    print('synced', n)\n"
REPORT = "def report(n):\n    return n\n"


def run(root: Path, **options: object) -> RunResult:
    previous = Path.cwd()
    os.chdir(root)
    try:
        return api.run(api.Options(paths=(".",), config=Config(), jobs=1, **options))
    finally:
        os.chdir(previous)


def mxlint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mxlint", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(tmp_path, {"pkg/sync.py": SYNC, "pkg/report.py": REPORT, **HYGIENE})
    return tmp_path


def test_written_baseline_hides_every_current_finding(project: Path) -> None:
    written = run(project, write_baseline=project / "baseline.json")
    assert written.findings == [] and len(written.baselined) == 2
    document = json.loads((project / "baseline.json").read_text())
    assert document["tool"] == "mxlint" and document["version"] == 1
    entries = document["findings"]
    assert [(e["rule"], e["path"]) for e in entries] == [("MX401", "pkg/sync.py")] * 2
    assert len({e["fingerprint"] for e in entries}) == 2, "twins on one file keep distinct keys"
    assert all("line" not in e for e in entries), "keyed by fingerprint, not line number"
    again = run(project, baseline=project / "baseline.json")
    assert again.findings == [] and len(again.baselined) == 2


def test_edits_elsewhere_keep_the_baseline_matching_and_only_a_new_finding_is_reported(project: Path) -> None:
    run(project, write_baseline=project / "baseline.json")
    moved = "import logging\n\nLOG = logging.getLogger(__name__)\n\n\n" + SYNC.replace("    ", "        ")
    write_files(project, {"pkg/sync.py": moved})
    assert run(project, baseline=project / "baseline.json").findings == []

    write_files(project, {"pkg/report.py": "def report(n):\n    print(n)\n    return n\n"})
    result = run(project, baseline=project / "baseline.json")
    assert [(f.rule_id, f.path, f.line) for f in result.findings] == [("MX401", "pkg/report.py", 2)]
    assert len(result.baselined) == 2


def test_a_repository_level_finding_survives_a_new_first_line(tmp_path: Path) -> None:
    # MX106 sits at line 1 of .gitignore: a header comment there is an unrelated edit.
    write_files(tmp_path, {**HYGIENE, ".gitignore": "__pycache__/\n", "app.py": "X = 1\n"})
    run(tmp_path, write_baseline=tmp_path / "baseline.json")
    write_files(tmp_path, {".gitignore": "# build output\n__pycache__/\n"})
    result = run(tmp_path, baseline=tmp_path / "baseline.json")
    assert result.findings == [] and [f.rule_id for f in result.baselined] == ["MX106"]


def test_a_third_twin_is_new(project: Path) -> None:
    run(project, write_baseline=project / "baseline.json")
    write_files(project, {"pkg/sync.py": SYNC + "    print('synced', n)\n"})
    (new,) = run(project, baseline=project / "baseline.json").findings
    assert new.fingerprint.endswith(":3")


def test_fixed_findings_leave_the_rewritten_baseline(project: Path) -> None:
    run(project, write_baseline=project / "baseline.json")
    write_files(project, {"pkg/sync.py": "def sync(n):\n    print('synced', n)\n"})
    run(project, baseline=project / "baseline.json", write_baseline=project / "baseline.json")
    assert len(json.loads((project / "baseline.json").read_text())["findings"]) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline file not found: baseline.json"),
        ("{", "invalid baseline baseline.json: not JSON"),
        ("[]", "not an mxlint baseline"),
        ('{"tool": "mxlint", "version": 9, "findings": []}', "unsupported version 9"),
        ('{"tool": "mxlint", "version": 1, "findings": [{"rule": "MX401"}]}', "findings[0] needs"),
    ],
)
def test_a_missing_or_invalid_baseline_is_a_one_line_error(
    project: Path, content: str | None, message: str
) -> None:
    if content is not None:
        (project / "baseline.json").write_text(content)
    done = mxlint("check", "--baseline", "baseline.json", cwd=project)
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and message in done.stderr, done.stderr


def test_command_line_exit_code_follows_the_new_findings(project: Path) -> None:
    written = mxlint("check", "--write-baseline", "baseline.json", cwd=project)
    assert written.returncode == 0, written.stdout + written.stderr
    assert "wrote 2 findings to baseline.json" in written.stderr
    assert written.stdout == "All checks passed: 4 files checked (2 in the baseline).\n"
    assert mxlint("check", "--baseline", "baseline.json", cwd=project).returncode == 0

    write_files(project, {"pkg/report.py": "def report(n):\n    print(n)\n"})
    done = mxlint("check", "--baseline", "baseline.json", "--format", "json", cwd=project)
    assert done.returncode == 1
    assert [(f["rule_id"], f["path"]) for f in json.loads(done.stdout)] == [("MX401", "pkg/report.py")]
    gate = mxlint("check", "--baseline", "baseline.json", "--fail-on", "never", cwd=project)
    assert gate.returncode == 0


def test_render_is_sorted_and_stable(project: Path) -> None:
    first = run(project, write_baseline=project / "a.json")
    assert baseline.render(reversed(first.baselined)) == (project / "a.json").read_text()
