"""Shared test helpers: run the real engine over files written to a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from mxlint import api
from mxlint.config import Config
from mxlint.model import RunResult

REPO = Path(__file__).resolve().parents[1]
# Golden files, docs/rules.md and the README rule table are regenerated, then reviewed as diffs.
UPDATE = os.environ.get("MXLINT_UPDATE_SNAPSHOTS") == "1"
UPDATE_HINT = "regenerate with `MXLINT_UPDATE_SNAPSHOTS=1 pytest` and review the diff"
# Repository hygiene the project-level rules ask for (MX106, MX107): tests then see only their findings.
HYGIENE = {
    ".gitignore": ".env\n*.key\n",
    ".pre-commit-config.yaml": (
        "repos:\n  - repo: local\n    hooks:\n      - {id: scan, entry: gitleaks git, language: system}\n"
    ),
}


def write_files(root: Path, files: Mapping[str, str]) -> None:
    for relpath, content in files.items():
        path = root / relpath
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def run_on(
    root: Path,
    paths: Iterable[str] = (".",),
    *,
    select: Iterable[str] = (),
    config: Config | None = None,
    scope: str = "all",
    jobs: int = 1,
) -> RunResult:
    """``api.run`` from inside ``root``, with default configuration unless one is given."""
    previous = Path.cwd()
    os.chdir(root)
    try:
        options = api.Options(
            paths=tuple(paths), select=tuple(select), config=config or Config(), scope=scope, jobs=jobs
        )
        return api.run(options)
    finally:
        os.chdir(previous)


@pytest.fixture
def lint(tmp_path: Path):
    """``lint({"app.py": "..."}, select=["MX201"])`` -> RunResult for those files."""

    def _lint(files: Mapping[str, str], **kwargs) -> RunResult:
        write_files(tmp_path, files)
        return run_on(tmp_path, **kwargs)

    return _lint
