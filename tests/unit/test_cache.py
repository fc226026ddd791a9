from __future__ import annotations

import os
from pathlib import Path

import pytest

from mxlint import api, engine
from mxlint.cache import CACHE_DIR
from mxlint.config import Config

from ..conftest import HYGIENE, write_files


def run(root: Path, **options) -> api.RunResult:
    previous = Path.cwd()
    os.chdir(root)
    try:
        return api.run(api.Options(config=Config(), jobs=1, cache=True, **options))
    finally:
        os.chdir(previous)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(tmp_path, {"a.py": "def f():\n    print(1)\n", "b.py": "def g(:\n    print(0)\n", **HYGIENE})
    return tmp_path


def test_unchanged_files_are_not_checked_again(project: Path, monkeypatch) -> None:
    first = run(project)
    assert (project / CACHE_DIR / ".gitignore").read_text().endswith("*\n")

    def fail(self, source):
        raise AssertionError(f"{source.relpath} was checked again")

    monkeypatch.setattr(engine._Checker, "check", fail)
    second = run(project)
    assert second.findings == first.findings
    assert second.notifications == first.notifications


def test_a_changed_file_is_checked_again(project: Path) -> None:
    run(project)
    (project / "a.py").write_text("def f():\n    return 1\n\n\ndef h():\n    print(2)\n")
    assert [(f.path, f.line) for f in run(project).findings] == [("a.py", 6), ("b.py", 1)]


def test_a_manifest_that_stops_being_a_kustomize_patch_is_checked_again(tmp_path: Path) -> None:
    patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n"
    patch += "    spec:\n      containers: [{name: app, image: x}]\n"
    kustomization = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    write_files(
        tmp_path, {"k/kustomization.yaml": kustomization + "patches: [{path: p.yaml}]\n", "k/p.yaml": patch}
    )
    assert run(tmp_path, select=("MX604",)).findings == []
    (tmp_path / "k/kustomization.yaml").write_text(kustomization + "resources: [p.yaml]\n")
    assert [f.path for f in run(tmp_path, select=("MX604",)).findings] == ["k/p.yaml"]


def test_other_rules_use_another_cache_entry(project: Path) -> None:
    run(project)
    assert run(project, select=("MX001",)).findings == []  # a shared entry would replay MX401


def test_a_corrupt_cache_is_ignored(project: Path) -> None:
    run(project)
    for path in (project / CACHE_DIR).glob("*.json"):
        path.write_text("{not json")
    assert len(run(project).findings) == 2


def test_the_cache_folder_is_never_scanned(project: Path) -> None:
    run(project)
    run(project)
    assert {f.path for f in run(project).findings} == {"a.py", "b.py"}


def test_old_cache_files_are_pruned(project: Path) -> None:
    # Every rule selection has its own cache file; only the most recent few are kept.
    for ignored in ["MX101", "MX102", "MX103", "MX104", "MX105", "MX201", "MX202", "MX203", "MX204", "MX301"]:
        run(project, ignore=(ignored,))
    assert len(list((project / CACHE_DIR).glob("*.json"))) == 8
    assert len(run(project).findings) == 2  # the current selection's file is written and kept
    assert len(list((project / CACHE_DIR).glob("*.json"))) == 8


@pytest.mark.parametrize("fixture", ["bad-sync-worker", "bad-webhook-receiver", "good-sync-service"])
def test_a_warm_cache_gives_the_cold_result(fixture: str, tmp_path: Path) -> None:
    # Repository-level rules judge facts replayed from the cache: they must come back as they were
    # recorded (a tuple that came back as a list once dropped MX407).
    import shutil

    from ..conftest import REPO

    root = tmp_path / fixture
    shutil.copytree(REPO / "fixtures" / fixture, root)
    cold = run(root)
    assert (root / CACHE_DIR).is_dir()
    warm = run(root)
    assert warm.findings == cold.findings
    assert warm.suppressed == cold.suppressed
    assert warm.notifications == cold.notifications


def test_facts_round_trip_through_the_cache() -> None:
    from mxlint.cache import _decode, _encode

    facts = {"MX407": [("config", "app/logs.py", 3), ["list", ("nested",)]], "MX999": [{"a": (1, None)}]}
    assert _decode(_encode(facts)) == facts
    with pytest.raises(TypeError):
        _encode({"MX999": [object()]})
