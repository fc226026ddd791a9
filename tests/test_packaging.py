"""The wheel is what users install: it must carry every rule's YAML and work without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mxlint import registry

from .conftest import REPO, write_files

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("mxlint-*.whl")
    return built


def test_wheel_carries_every_rule(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for meta in registry.all_rules():
        assert f"mxlint/_rules/{meta.id}-{meta.name}.yaml" in names
    assert "mxlint/checks/python/print_instead_of_logging.py" in names


def test_installed_wheel_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "work"
    write_files(work, {"app.py": "def sync():\n    print('x')\n"})
    env = {**os.environ, "PYTHONPATH": str(target)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], cwd=work, env=env, capture_output=True, text=True)

    where = run("-c", "import mxlint, mxlint.registry as r; print(mxlint.__file__); print(r.rules_dir())")
    module_file, rules_dir = where.stdout.splitlines()
    assert module_file.startswith(str(target)) and rules_dir.startswith(str(target)), where.stdout
    done = run("-m", "mxlint", "check", ".")
    assert done.returncode == 1, done.stderr
    assert "app.py:2:5: MX401 [P0]" in done.stdout
