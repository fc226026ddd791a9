from __future__ import annotations

import os
from pathlib import Path

import pytest

from mxlint.discovery import Discovery, classify, classify_name
from mxlint.model import FileKind

from ..conftest import write_files


def collect(root: Path, *paths: str, excludes: tuple[str, ...] = ()) -> list[str]:
    discovery = Discovery(root, excludes)
    return [source.relpath for source in discovery.collect([root / p for p in paths or (".",)])]


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("sync.py", FileKind.PYTHON),
        ("Dockerfile", FileKind.DOCKERFILE),
        ("Dockerfile.prod", FileKind.DOCKERFILE),
        ("worker.Dockerfile", FileKind.DOCKERFILE),
        ("Containerfile", FileKind.DOCKERFILE),
        ("Containerfile.dev", FileKind.DOCKERFILE),
        ("api.dockerfile", FileKind.DOCKERFILE),
        ("worker.Containerfile", FileKind.DOCKERFILE),
        ("Dockerfile.dockerignore", FileKind.TEXT),  # BuildKit's per-Dockerfile ignore file
        ("worker.Dockerfile.dockerignore", FileKind.TEXT),
        (".dockerignore", FileKind.TEXT),
        (".env", FileKind.DOTENV),
        (".env.production", FileKind.DOTENV),
        ("prod.env", FileKind.DOTENV),
        (".gitignore", FileKind.GITIGNORE),
        (".pre-commit-config.yaml", FileKind.PRECOMMIT),
        ("values.yml", FileKind.YAML),
        ("README.md", FileKind.TEXT),
        ("pyproject.toml", FileKind.TEXT),
    ],
)
def test_classify_by_name(name: str, kind: FileKind) -> None:
    assert classify_name(name) is kind


def test_yaml_with_api_version_and_kind_is_kubernetes(tmp_path: Path) -> None:
    write_files(tmp_path, {"deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\n", "ci.yml": "on: push\n"})
    assert classify(tmp_path / "deploy.yaml") is FileKind.KUBERNETES
    assert classify(tmp_path / "ci.yml") is FileKind.YAML


def test_gitignore_semantics_nested_and_negated(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            ".gitignore": "*.log\nsecrets/\n",
            "app.py": "",
            "debug.log": "",
            "secrets/key.py": "",
            "pkg/.gitignore": "generated_*.py\n!generated_keep.py\n",
            "pkg/generated_a.py": "",
            "pkg/generated_keep.py": "",
            "pkg/mod.py": "",
        },
    )
    assert collect(tmp_path) == [
        ".gitignore", "app.py", "pkg/.gitignore", "pkg/generated_keep.py", "pkg/mod.py",
    ]  # fmt: skip


def test_ancestor_gitignore_applies_inside_a_repository(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write_files(tmp_path, {".gitignore": "out/\n", "svc/app.py": "", "svc/out/gen.py": ""})
    assert collect(tmp_path / "svc") == ["app.py"]


def test_default_excludes_and_virtualenvs(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "app.py": "",
            ".venv/lib/x.py": "",
            "node_modules/a/b.py": "",
            "build/lib/c.py": "",
            "env2/pyvenv.cfg": "home = /usr\n",
            "env2/lib/site.py": "",
            "pkg.egg-info/PKG-INFO": "",
        },
    )
    assert collect(tmp_path) == ["app.py"]


def test_user_excludes(tmp_path: Path) -> None:
    write_files(tmp_path, {"app.py": "", "legacy/old.py": "", "gen/x_pb2.py": ""})
    assert collect(tmp_path, excludes=("legacy/", "*_pb2.py")) == ["app.py"]
    discovery = Discovery(tmp_path, ("legacy/",))
    assert discovery.collect([tmp_path / "legacy" / "old.py"]) == []  # a named file too, but said
    assert [n.message for n in discovery.notifications] == [
        "excluded by the configured exclude patterns; not checked"
    ]


def test_named_files_are_checked_even_when_ignored(tmp_path: Path) -> None:
    write_files(tmp_path, {".gitignore": "*.py\n", "app.py": ""})
    assert collect(tmp_path, "app.py") == ["app.py"]
    assert collect(tmp_path) == [".gitignore"]


def test_symlinks_are_not_followed_out_of_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_files(outside, {"secret.py": ""})
    root = tmp_path / "root"
    write_files(root, {"app.py": ""})
    (root / "linked_dir").symlink_to(outside)
    (root / "linked.py").symlink_to(outside / "secret.py")
    discovery = Discovery(root)
    assert [s.relpath for s in discovery.collect([root])] == ["app.py"]
    assert discovery.collect([root / "linked.py"]) == []
    assert [n.message for n in discovery.notifications] == [
        "symbolic link points outside the scan root; not followed"
    ]


def test_a_named_folder_that_the_repository_ignores_is_still_scanned(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write_files(tmp_path, {".gitignore": "vendor/\n", "vendor/lib/mod.py": "", "vendor/lib/skip.log": ""})
    (tmp_path / "vendor" / "lib" / ".gitignore").write_text("*.log\n")
    assert collect(tmp_path / "vendor" / "lib") == [".gitignore", "mod.py"]
    assert collect(tmp_path) == [".gitignore"]


def test_a_folder_that_cannot_be_searched_is_reported_and_the_walk_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, {"app.py": "", "locked/inside.py": "", "open/mod.py": ""})
    locked = tmp_path / "locked"
    real_scandir, real_is_file = os.scandir, Path.is_file

    def scandir(path):  # what chmod 000 does to a non-root user
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    def is_file(path: Path) -> bool:
        if path.parent == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_is_file(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(Path, "is_file", is_file)
    discovery = Discovery(tmp_path)
    assert [s.relpath for s in discovery.collect([tmp_path])] == ["app.py", "open/mod.py"]
    assert [(n.path, n.message, n.level) for n in discovery.notifications] == [
        ("locked", "cannot list folder: Permission denied", "error")
    ]


def test_a_byte_order_mark_does_not_hide_a_manifest(tmp_path: Path) -> None:
    (tmp_path / "pod.yaml").write_bytes(b"\xef\xbb\xbfapiVersion: v1\nkind: Pod\n")
    assert classify(tmp_path / "pod.yaml") is FileKind.KUBERNETES


def _git(root: Path, *args: str) -> None:
    import subprocess

    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root, check=True, capture_output=True,
    )  # fmt: skip


@pytest.mark.skipif(__import__("shutil").which("git") is None, reason="needs git")
def test_a_tracked_file_is_never_ignored(tmp_path: Path) -> None:
    # git ignores only untracked files: a .env committed before .gitignore listed it is still committed.
    write_files(tmp_path, {".env": "MAINTAINX_API_KEY=x\n", "config/.env": "A=1\n", "app.py": ""})
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "init")
    write_files(tmp_path, {".gitignore": ".env\nconfig/\n", "local/.env": "B=2\n", "config/new.py": ""})
    assert collect(tmp_path) == [".env", ".gitignore", "app.py", "config/.env"]


def test_a_broken_link_is_reported_as_broken(tmp_path: Path) -> None:
    (tmp_path / "gone.py").symlink_to(tmp_path / "missing.py")
    discovery = Discovery(tmp_path)
    assert discovery.collect([tmp_path / "gone.py"]) == []
    assert [n.message for n in discovery.notifications] == ["broken symbolic link; skipped"]
