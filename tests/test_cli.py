"""The command line as users and CI call it: the real console entry point in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mxlint import __version__

from .conftest import HYGIENE, write_files

BAD = {
    **HYGIENE,
    "pkg/sync.py": "import logging\n\ndef sync(n):\n    print('synced', n)\n",
    "pkg/report.py": "def report(n):\n    x = n  # mxlint: ignore\n    return x\n",
}


def mxlint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mxlint", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(tmp_path, BAD)
    return tmp_path


def test_version(tmp_path: Path) -> None:
    done = mxlint("--version", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"mxlint {__version__}\n")


def test_clean_project_exits_0(tmp_path: Path) -> None:
    write_files(tmp_path, {**HYGIENE, "app.py": "import logging\nlogging.getLogger(__name__).info('ok')\n"})
    done = mxlint("check", ".", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "All checks passed: 3 files checked.\n"


def test_findings_exit_1_with_ruff_like_lines_and_a_summary(project: Path) -> None:
    done = mxlint("check", cwd=project)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "pkg/report.py:2:12: MX001 [P2] `# mxlint: ignore` names no rule and suppresses nothing; "
        "write `# mxlint: ignore[MXnnn] reason`",
        "pkg/sync.py:4:5: MX401 [P0] `print` call in library code; "
        "log through a structured (JSON) logger instead",
        "",
        "Found 2 findings: 1 P0, 1 P2.",
    ]
    assert "\033[" not in done.stdout, "no colours when stdout is not a terminal"


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--fail-on", "P0"), 1),
        (("--fail-on", "P0", "--ignore", "MX401"), 0),
        (("--fail-on", "never"), 0),
        (("--select", "P2"), 1),
        (("--select", "observability.structured-logging", "--fail-on", "p1"), 1),
        (("--ignore", "print-instead-of-logging,MX001"), 0),
    ],
)
def test_fail_on_and_selection(project: Path, args: tuple[str, ...], code: int) -> None:
    assert mxlint("check", *args, cwd=project).returncode == code


def test_config_file_sets_the_gate(project: Path) -> None:
    (project / ".mxlint.toml").write_text('fail-on = "P0"\nignore = ["MX401"]\n')
    assert mxlint("check", cwd=project).returncode == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "--bogus"), "No such option '--bogus'"),
        (("check", "--format", "xml"), "Invalid value for '--format'"),
        (("check", "missing/"), "path does not exist: missing"),
        (("check", "--select", "MX999"), "unknown rule selector 'MX999'"),
        (("check", "--config", "nope.toml"), "cannot read nope.toml"),
        (("explain", "MX999"), "no rule or checklist key named 'MX999'"),
        (("check", ""), "a PATH is empty"),
        (("check", "--format", "sarif", "--sarif-category", ""), "--sarif-category must not be empty"),
        (("check", "--scope", "project", "pkg/sync.py"), "need the project's folder, not files"),
        (("check", "--scope", "all", "pkg/sync.py"), "need the project's folder, not files"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(project: Path, args: tuple[str, ...], message: str) -> None:
    done = mxlint(*args, cwd=project)
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.splitlines()) == 1 and message in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_config_key_is_exit_2(project: Path) -> None:
    (project / "pyproject.toml").write_text('[tool.mxlint]\nfail_on = "P0"\n')
    done = mxlint("check", cwd=project)
    assert (done.returncode, done.stderr) == (
        2,
        "mxlint: error: unknown configuration key 'tool.mxlint.fail_on'\n",
    )


def test_output_file_and_formats(project: Path) -> None:
    done = mxlint("check", "--format", "json", "--output", "report.json", cwd=project)
    assert (done.returncode, done.stdout) == (1, "")
    findings = json.loads((project / "report.json").read_text())
    assert [(f["rule_id"], f["path"], f["line"], f["priority"]) for f in findings] == [
        ("MX001", "pkg/report.py", 2, "P2"),
        ("MX401", "pkg/sync.py", 4, "P0"),
    ]
    github = mxlint("check", "--format", "github", cwd=project).stdout.splitlines()
    assert github[1].startswith("::error file=pkg/sync.py,line=4,col=5,")
    assert github[0].startswith("::notice file=pkg/report.py,line=2,")


def test_quiet_prints_findings_only(project: Path) -> None:
    done = mxlint("check", "-q", cwd=project)
    assert len(done.stdout.splitlines()) == 2


def test_files_named_explicitly_use_file_scope(project: Path) -> None:
    done = mxlint("check", "pkg/sync.py", cwd=project)
    assert done.returncode == 1 and "pkg/report.py" not in done.stdout


def test_rules_and_explain(tmp_path: Path) -> None:
    listed = json.loads(mxlint("rules", "--format", "json", cwd=tmp_path).stdout)
    assert {"MX000", "MX001", "MX401"} <= {rule["id"] for rule in listed}
    by_id = mxlint("explain", "MX401", cwd=tmp_path).stdout
    by_name = mxlint("explain", "print-instead-of-logging", cwd=tmp_path).stdout
    by_key = mxlint("explain", "observability.structured-logging", cwd=tmp_path).stdout
    assert by_id == by_name and by_id in by_key
    assert "Why it matters:" in by_id and "How to fix:" in by_id


def test_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("mxlint")
    if not script.exists():
        pytest.skip("mxlint console script not installed next to this interpreter")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=False)
    assert done.stdout == f"mxlint {__version__}\n"


def test_cli_choices_match_the_implementation() -> None:
    from mxlint import api, cli
    from mxlint.reporters import REPORTERS

    assert set(cli.FORMATS) == set(REPORTERS)
    assert cli.SCOPES == api.SCOPES


SERVICE = {
    "README.md": "# sync\n\n## Deploy\n\nkubectl apply -f deploy/\n",
    "requirements.txt": "requests==2.32.3\n",
    "sync.py": (
        "import requests\n\n"
        "BASE = 'https://api.getmaintainx.com/v1'\n\n"
        "def close(session: requests.Session, work_order_id: int) -> None:\n"
        "    url = f'{BASE}/workorders/{work_order_id}/status'\n"
        "    session.patch(url, json={'status': 'Done'}, timeout=30)\n\n"
        "def orders(session: requests.Session, since: str) -> list:\n"
        "    params = {'limit': 200, 'updatedAt[gte]': since}\n"
        "    return session.get(f'{BASE}/workorders', params=params, timeout=30).json()['workOrders']\n"
    ),
}
PROJECT_RULES = {"MX408", "MX701", "MX702"}


def test_repository_level_rules_are_skipped_when_only_files_are_checked(tmp_path: Path) -> None:
    write_files(tmp_path, SERVICE)
    everything = mxlint("check", "--format", "json", "--select", "P0,P1,P2", cwd=tmp_path)
    found = {finding["rule_id"] for finding in json.loads(everything.stdout)}
    assert PROJECT_RULES | {"MX112", "MX305"} <= found
    for args in (("sync.py", "README.md", "requirements.txt"), ("--scope", "files", ".")):
        done = mxlint("check", "--format", "json", *args, cwd=tmp_path)
        rules = {finding["rule_id"] for finding in json.loads(done.stdout)}
        assert {"MX112", "MX305"} <= rules and not rules & PROJECT_RULES, args


def test_markdown_readiness_report(tmp_path: Path) -> None:
    write_files(tmp_path, SERVICE)
    report = mxlint("check", "--format", "markdown", cwd=tmp_path).stdout
    assert report.startswith("# MaintainX go-live readiness\n")
    assert (
        "| Recovery | Rollback procedure documented and tested | `recovery.rollback` | P2 | **fail (1)** |"
        in report
    )
    assert "| Authentication | API key rotated every 90 days | | P0 | manual |" in report
    assert "**MX305**" in report.split("### P1 (", 1)[1].split("###", 1)[0]
    files_only = mxlint("check", "--format", "markdown", "sync.py", cwd=tmp_path).stdout
    assert "| `recovery.rollback` | P2 | not checked |" in files_only
    assert "| `data.status-transitions` | P1 | **fail (1)** |" in files_only
    selected = mxlint("check", "--format", "markdown", "--select", "MX305", cwd=tmp_path).stdout
    assert "| `data.pagination` | P0 | not checked |" in selected
    assert "| `errors.timeout` | P0 | not checked |" in selected


def test_skipped_and_unparsable_files_are_diagnostics_on_stderr(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            **HYGIENE,
            "chart/templates/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\n"
            "metadata:\n  name: {{ .Release.Name }}\n",
            "broken.py": "def f(:\n",
        },
    )
    done = mxlint("check", ".", cwd=tmp_path)
    assert done.returncode == 1
    # The template is not a finding, but the user is told it went unchecked; the parse error is an
    # MX000 finding in the report and not repeated on stderr.
    assert done.stderr.splitlines() == [
        "mxlint: note: chart/templates/deploy.yaml: skipped: a template (Helm/Jinja markup) is not "
        "plain YAML; render it to check it"
    ]
    assert "broken.py:1:" in done.stdout and "MX000" in done.stdout
    assert mxlint("check", ".", "--quiet", cwd=tmp_path).stderr == ""
