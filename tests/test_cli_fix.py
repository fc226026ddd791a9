"""``mxlint check --fix`` and ``--diff`` through the console entry point, and on the real fixture."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

from .conftest import REPO, write_files
from .test_cli import mxlint

FILES = {
    "pkg/sync.py": (
        "import requests\n\n\ndef sync(url):\n"
        "    orders = requests.get(url).json()  # the call\n"
        "    print('synced', len(orders))\n"
        "    print('done')  # mxlint: ignore[MX401] operator console\n"
        "    requests.post(url, timeout=None)\n"
    ),
}


def test_diff_prints_the_fixes_and_writes_nothing(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    done = mxlint("check", "--diff", cwd=tmp_path)
    assert done.returncode == 1
    assert (tmp_path / "pkg/sync.py").read_text() == FILES["pkg/sync.py"]
    assert done.stdout.startswith("--- a/pkg/sync.py\n+++ b/pkg/sync.py\n")
    added = [line for line in done.stdout.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert added == [
        "+import logging",
        "+",
        "+",
        "+logger = logging.getLogger(__name__)",
        "+    orders = requests.get(url, timeout=30).json()  # the call",
        "+    logger.info('synced %s', len(orders))",
    ]
    assert done.stderr == "mxlint: 2 findings in 1 file can be fixed (nothing written; --fix applies them)\n"


def test_fix_writes_reports_what_remains_and_is_idempotent(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    done = mxlint("check", "--fix", "--format", "json", "--select", "MX201,MX401", cwd=tmp_path)
    assert done.returncode == 1, "timeout=None is not fixed: a P0 remains"
    assert done.stderr == "mxlint: fixed 2 findings in 1 file\n"
    remaining = [(f["rule_id"], f["line"]) for f in json.loads(done.stdout)]
    assert remaining == [("MX201", 12)]
    text = (tmp_path / "pkg/sync.py").read_text()
    assert "print('done')  # mxlint: ignore[MX401]" in text, "suppressed findings are not fixed"
    again = mxlint("check", "--fix", cwd=tmp_path)
    assert again.stderr == "mxlint: nothing to fix\n"
    assert (tmp_path / "pkg/sync.py").read_text() == text
    clean = mxlint("check", "--diff", "--ignore", "MX201", cwd=tmp_path)
    assert (clean.returncode, clean.stdout) == (0, "")


def test_fix_only_applies_selected_rules(tmp_path: Path) -> None:
    write_files(tmp_path, FILES)
    done = mxlint("check", "--fix", "--ignore", "MX401", "-q", cwd=tmp_path)
    text = (tmp_path / "pkg/sync.py").read_text()
    assert "timeout=30" in text and "logger" not in text
    assert done.returncode == 1


def test_fix_on_the_bad_fixture(tmp_path: Path) -> None:
    project = tmp_path / "bad-sync-worker"
    shutil.copytree(REPO / "fixtures" / "bad-sync-worker", project)
    before = {path: path.read_bytes() for path in project.rglob("*.py")}
    diff = mxlint("check", ".", "--diff", "--no-cache", cwd=project)
    assert diff.returncode == 1
    assert {path.read_bytes() for path in project.rglob("*.py")} == set(before.values())
    done = mxlint("check", ".", "--fix", "--format", "json", "--no-cache", cwd=project)
    assert done.stderr == "mxlint: fixed 6 findings in 3 files\n"
    remaining = {(f["rule_id"], f["path"]) for f in json.loads(done.stdout)}
    assert ("MX201", "sync_worker/erp.py") in remaining  # httpx timeout=None: a choice, not rewritten
    assert not {rule for rule, path in remaining if rule == "MX401"}
    assert [rule for rule, path in remaining if rule == "MX201"] == ["MX201"]
    for path, data in before.items():
        if path.name == "import_assets.py":
            assert path.read_bytes() == data, "a file that does not parse is never touched"
        else:
            ast.parse(path.read_bytes())
    changed = {
        path.relative_to(project).as_posix() for path, data in before.items() if path.read_bytes() != data
    }
    assert changed == {"sync_worker/client.py", "sync_worker/erp.py", "sync_worker/sync.py"}
