"""The pre-commit hooks of ``.pre-commit-hooks.yaml``, run by the real pre-commit client.

``pre-commit try-repo`` clones this repository at HEAD (plus staged and modified tracked files), builds the
hook's virtualenv with pip from PyPI, and runs it on a temporary git repository that holds a bad and a
good sample. The file-level hook must report exactly what mxlint itself reports on those files, and the
repository-level hook exactly the project findings.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mxlint.discovery import classify_name
from mxlint.model import FileKind

from .conftest import REPO, run_on, write_files

HOOKS = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
FINDING = re.compile(r"^(?P<path>\S+):\d+:\d+: (?P<rule>MX\d{3}) \[P\d\] ", re.M)

SAMPLES = {
    "bad/sync.py": (
        "import requests\n\n\ndef sync(url):\n"
        "    response = requests.get(url)\n"
        "    print('synced', response.status_code)\n"
    ),
    "bad/Dockerfile": 'FROM python:3.12-slim\n# mxlint: ignore\nCMD ["python"]\n',
    "bad/.env": "# mxlint: ignore\nAPI_URL=https://api.example.com\n",  # a bare .env: matched by name
    "good/service.py": (
        "import logging\n\nimport requests\n\n"
        "LOG = logging.getLogger(__name__)\nSESSION = requests.Session()\n\n\n"
        "def fetch(url):\n    return SESSION.get(url, timeout=30).json()\n"
    ),
    "good/settings.yaml": "name: sync\nreplicas: 2\n",
    "good/notes.txt": "# mxlint: ignore\n",  # not a kind mxlint checks: never passed to the hook
}


def hook(hook_id: str) -> dict:
    (found,) = [entry for entry in HOOKS if entry["id"] == hook_id]
    return found


def test_the_two_hooks_of_the_contract() -> None:
    assert [entry["id"] for entry in HOOKS] == ["mxlint", "mxlint-project"]
    files, project = hook("mxlint"), hook("mxlint-project")
    assert files["entry"] == "mxlint check" and files["language"] == "python"
    assert files["require_serial"] is True
    assert project["entry"] == "mxlint check --scope project" and project["language"] == "python"
    assert project["pass_filenames"] is False and project["always_run"] is True


@pytest.mark.parametrize(
    "path",
    [
        "app.py", "pkg/sub/client.py", "app.pyc", "setup.cfg", "pyproject.toml", "README.md", "notes.txt",
        "Dockerfile", "docker/Dockerfile.prod", "api.Dockerfile", "build/app.dockerfile", "Containerfile",
        "Dockerfilex", "docs/Dockerfile-notes.md",
        "k8s/deploy.yaml", "ci.yml", ".pre-commit-config.yaml", "x.yaml.txt",
        ".gitignore", "sub/.gitignore", ".gitignore.bak",
        ".env", "sub/.env", ".env.local", "config/prod.env", ".envrc", "environment.py", "env",
    ],
)  # fmt: skip
def test_the_file_pattern_passes_exactly_the_files_mxlint_classifies(path: str) -> None:
    pattern = re.compile(hook("mxlint")["files"])  # pre-commit uses re.search on the relative path
    assert bool(pattern.search(path)) == (classify_name(path.rsplit("/", 1)[-1]) is not FileKind.TEXT)


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs git and a git checkout of mxlint")
    root = tmp_path_factory.mktemp("consumer")
    home = tmp_path_factory.mktemp("pre-commit-home")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.com",
        GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.com",
    )  # fmt: skip
    write_files(root, SAMPLES)
    _git("init", "-q", ".", cwd=root, env=env)
    _git("add", "-A", cwd=root, env=env)
    _git("-c", "commit.gpgsign=false", "commit", "-q", "--no-verify", "-m", "samples", cwd=root, env=env)
    return root, env


def try_repo(hook_id: str, target: tuple[Path, dict[str, str]]) -> subprocess.CompletedProcess[str]:
    root, env = target
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook_id, "--all-files"]
    return subprocess.run(
        [*command, "--color", "never"], cwd=root, env=env, capture_output=True, text=True, timeout=600
    )


def reported(output: str) -> set[tuple[str, str]]:
    return {(match["path"], match["rule"]) for match in FINDING.finditer(output)}


@pytest.mark.slow
def test_file_hook_reports_the_bad_sample_only(target: tuple[Path, dict[str, str]]) -> None:
    done = try_repo("mxlint", target)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "- hook id: mxlint" in output
    found = reported(output)
    assert {
        ("bad/sync.py", "MX201"),
        ("bad/sync.py", "MX401"),
        ("bad/Dockerfile", "MX001"),
        ("bad/.env", "MX001"),
    } <= found, output
    assert not any(path.startswith("good/") for path, _ in found), output
    expected = run_on(target[0], scope="files").findings
    assert found == {(f.path, f.rule_id) for f in expected}, "the hook reports what mxlint reports"


@pytest.mark.slow
def test_project_hook_runs_repository_level_rules_only(target: tuple[Path, dict[str, str]]) -> None:
    done = try_repo("mxlint-project", target)
    output = done.stdout + done.stderr
    expected = run_on(target[0], scope="project").findings
    assert done.returncode == (1 if expected else 0), output
    assert "mxlint (repository-level checks)" in output
    assert reported(output) == {(f.path, f.rule_id) for f in expected}, output
    assert not {"MX201", "MX401", "MX001"} & {rule for _, rule in reported(output)}


@pytest.mark.slow
def test_the_readme_consumer_configuration_works(tmp_path: Path, target: tuple[Path, dict[str, str]]) -> None:
    # What a user copies from the README: pinned with `autoupdate`, then run on every file.
    _, env = target
    readme = (REPO / "README.md").read_text()
    block = next(b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "id: mxlint-project" in b)
    config = block.replace("https://github.com/mxlint/mxlint", str(REPO))
    write_files(tmp_path, {**SAMPLES, ".pre-commit-config.yaml": config})
    _git("init", "-q", ".", cwd=tmp_path, env=env)
    _git("add", "-A", cwd=tmp_path, env=env)
    pre_commit = [sys.executable, "-m", "pre_commit"]
    update = subprocess.run(
        [*pre_commit, "autoupdate", "--bleeding-edge"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert update.returncode == 0, update.stdout + update.stderr
    assert "rev: COMMIT-SHA" not in (tmp_path / ".pre-commit-config.yaml").read_text()
    _git("add", "-A", cwd=tmp_path, env=env)
    done = subprocess.run(
        [*pre_commit, "run", "--all-files", "--color", "never"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "- hook id: mxlint\n" in output and "- hook id: mxlint-project\n" in output
    assert ("bad/sync.py", "MX201") in reported(output), output
