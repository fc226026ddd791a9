"""Find the files to check and say what kind each one is.

Folders are walked with git's ignore semantics (``.gitignore`` files at every level, the ancestors'
up to the repository root, and ``.git/info/exclude``) through pathspec, plus mxlint's default
excludes. As in git, a file the repository tracks is never ignored (a `.env` committed before
`.gitignore` listed it is still committed). Files named on the command line are always checked, even if
ignored, because pre-commit passes file names. Symbolic links are never followed out of the scan root.
"""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path, PurePosixPath

import pathspec
import yaml

from mxlint.model import FileKind, Notification

# Folders never worth walking: VCS metadata, virtualenvs, dependency and build output, caches.
DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".bzr", ".jj",
        ".venv", "venv", ".tox", ".nox", ".direnv", ".pyenv", "__pypackages__", "site-packages",
        "node_modules", "bower_components",
        "build", "dist", "_build", "buck-out", ".eggs",
        "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".mxlint_cache", ".pytype",
        ".hypothesis", ".ipynb_checkpoints", ".terraform",
    }
)  # fmt: skip

_DOCKERFILE = re.compile(r"^(Dockerfile|Containerfile)(\..+)?$|.+\.(Dockerfile|dockerfile|Containerfile)$")
_DOTENV = re.compile(r"^\.env(\..+)?$|.+\.env$")
_K8S_MARKERS = (re.compile(rb"^apiVersion\s*:", re.M), re.compile(rb"^kind\s*:", re.M))
_YAML_PEEK_BYTES = 256 * 1024
# Editors on Windows start files with a byte-order mark; git, Docker and kubectl read past it.
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute
    relpath: str  # relative to the scan root, '/' separators
    kind: FileKind
    kustomize_patch: bool = False  # a manifest a kustomization applies as a patch: a partial object


def classify_name(name: str) -> FileKind:
    """The kind a file name implies; YAML is refined by :func:`classify` after a peek."""
    if name.endswith(".py"):
        return FileKind.PYTHON
    if name in (".pre-commit-config.yaml", ".pre-commit-config.yml"):
        return FileKind.PRECOMMIT
    if name == ".gitignore":
        return FileKind.GITIGNORE
    if _DOCKERFILE.match(name) and not name.endswith(".dockerignore"):  # BuildKit: <Dockerfile>.dockerignore
        return FileKind.DOCKERFILE
    if _DOTENV.match(name):
        return FileKind.DOTENV
    if name.endswith((".yaml", ".yml")):
        return FileKind.YAML
    return FileKind.TEXT


def classify(path: Path) -> FileKind:
    kind = classify_name(path.name)
    if kind is FileKind.YAML:
        try:
            with path.open("rb") as handle:
                head = handle.read(_YAML_PEEK_BYTES)
        except OSError:
            return kind  # the reader reports the error when a rule needs the content
        head = head.removeprefix(UTF8_BOM)
        if all(marker.search(head) for marker in _K8S_MARKERS):
            return FileKind.KUBERNETES
    return kind


KUSTOMIZATIONS = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def _patch_paths(kustomization: Path) -> list[str]:
    """The patch files a kustomization names (``patches[].path``, ``patchesStrategicMerge``,
    ``patchesJson6902[].path``), relative to its folder; [] when it cannot be read."""
    try:
        document = yaml.safe_load(kustomization.read_text(encoding="utf-8-sig", errors="replace"))
    except (OSError, yaml.YAMLError):
        return []
    if not isinstance(document, dict):
        return []
    entries = [
        *(document.get("patchesStrategicMerge") or ()),
        *(document.get("patches") or ()),
        *(document.get("patchesJson6902") or ()),
    ]
    targets = [entry.get("path") if isinstance(entry, dict) else entry for entry in entries]
    # An inline patch is YAML text, not a file name.
    return [target for target in targets if isinstance(target, str) and "\n" not in target]


def _is_file(path: Path) -> bool:
    """``Path.is_file`` that answers False for a folder it may not search, instead of raising."""
    try:
        return path.is_file()
    except OSError:
        return False


class _IgnoreRules:
    """The ``.gitignore`` specs that apply to a folder, outermost first (git: the deepest match wins)."""

    def __init__(self, specs: tuple[tuple[Path, pathspec.GitIgnoreSpec], ...] = ()) -> None:
        self.specs = specs

    def with_file(self, folder: Path, ignore_file: Path) -> _IgnoreRules:
        try:
            lines = ignore_file.read_text(encoding="utf-8-sig", errors="replace").splitlines()
        except OSError:
            return self
        return _IgnoreRules((*self.specs, (folder, pathspec.GitIgnoreSpec.from_lines(lines))))

    def ignored(self, path: Path, is_dir: bool) -> bool:
        verdict = False
        for base, spec in self.specs:
            try:
                relative = path.relative_to(base).as_posix()
            except ValueError:
                continue
            result = spec.check_file(relative + "/" if is_dir else relative)
            if result.include is not None:
                verdict = result.include
        return verdict


def _git_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def tracked_files(git_root: Path) -> frozenset[str] | None:
    """The paths git tracks in the work tree at ``git_root`` ('/'-separated, relative to it), or None
    when git is missing or cannot tell. Nothing in the scanned repository runs: its config could name
    an fsmonitor command, which is switched off."""
    env = {key: value for key, value in os.environ.items() if key not in ("GIT_DIR", "GIT_WORK_TREE")}
    try:
        done = subprocess.run(
            ["git", "-c", "core.fsmonitor=false", "ls-files", "-z", "--cached", "--full-name"],
            cwd=git_root, env=env, capture_output=True, timeout=60, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return frozenset(os.fsdecode(name) for name in done.stdout.split(b"\0") if name)


def _inherited_rules(folder: Path) -> _IgnoreRules:
    """Ignore rules from the repository root down to (not including) ``folder``.

    A folder named on the command line that the repository itself ignores (a vendored tree, say)
    is scanned as its own root: naming it is the user's intent, as for a named file.
    """
    git_root = _git_root(folder)
    if git_root is None:
        return _IgnoreRules()
    rules = _IgnoreRules().with_file(git_root, git_root / ".git" / "info" / "exclude")
    current = git_root
    for part in folder.relative_to(git_root).parts:
        rules = rules.with_file(current, current / ".gitignore")
        current = current / part
        if rules.ignored(current, is_dir=True):
            return _IgnoreRules()
    return rules


class Discovery:
    """Collects :class:`SourceFile`s under ``root`` for the paths given on the command line."""

    def __init__(self, root: Path, excludes: Sequence[str] = ()) -> None:
        self.root = root
        self._real_root = root.resolve()
        self.user_excludes = pathspec.GitIgnoreSpec.from_lines(excludes) if excludes else None
        self.notifications: list[Notification] = []

    def relpath(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @cached_property
    def _tracked(self) -> tuple[Path, frozenset[str], frozenset[str]] | None:
        """What git tracks (files, and the folders holding them), asked once and only when an ignore
        rule matches something."""
        git_root = _git_root(self.root)
        files = tracked_files(git_root) if git_root is not None else None
        if git_root is None or files is None:
            return None
        folders = {str(parent) for name in files for parent in PurePosixPath(name).parents}
        return git_root, files, frozenset(folders)

    def _is_tracked(self, path: Path, is_dir: bool) -> bool:
        """Whether git tracks ``path`` (a folder: anything under it), so no ignore rule applies."""
        if self._tracked is None:
            return False
        git_root, files, folders = self._tracked
        try:
            relative = path.relative_to(git_root).as_posix()
        except ValueError:
            return False
        return relative in (folders if is_dir else files)

    def _user_excluded(self, relpath: str, is_dir: bool) -> bool:
        return bool(
            self.user_excludes and self.user_excludes.match_file(relpath + "/" if is_dir else relpath)
        )

    def _inside_root(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self._real_root)
        except (ValueError, OSError):
            return False
        return True

    def collect(self, paths: Iterable[Path]) -> list[SourceFile]:
        found: dict[str, SourceFile] = {}
        for path in paths:
            for source in self._collect_one(path):
                found.setdefault(source.relpath, source)
        for relpath in self._kustomize_patches(found.values()) & found.keys():
            if found[relpath].kind is FileKind.KUBERNETES:
                found[relpath] = replace(found[relpath], kustomize_patch=True)
        return sorted(found.values(), key=lambda source: source.relpath)

    def _kustomize_patches(self, sources: Iterable[SourceFile]) -> set[str]:
        """Files that a kustomization (one scanned, or one beside a scanned manifest: pre-commit
        passes only the changed files) names as patches, relative to the scan root."""
        kustomizations = {s.relpath for s in sources if PurePosixPath(s.relpath).name in KUSTOMIZATIONS}
        for source in sources:
            if source.kind is FileKind.KUBERNETES:
                folder = PurePosixPath(source.relpath).parent
                kustomizations.update(
                    str(folder / name) for name in KUSTOMIZATIONS if _is_file(self.root / folder / name)
                )
        patches: set[str] = set()
        for relpath in kustomizations:
            if (self.root / relpath).is_symlink():
                continue  # never read through a link: it may lead out of the scan root
            folder = posixpath.dirname(relpath)
            for target in _patch_paths(self.root / relpath):
                patches.add(posixpath.normpath(posixpath.join(folder, target)))
        return patches

    def _collect_one(self, path: Path) -> Iterator[SourceFile]:
        if path.is_symlink() and not path.exists():
            self.notifications.append(
                Notification(self.relpath(path), "broken symbolic link; skipped", level="note")
            )
            return
        if path.is_symlink() and not self._inside_root(path):
            self.notifications.append(
                Notification(
                    self.relpath(path),
                    "symbolic link points outside the scan root; not followed",
                    level="note",
                )
            )
            return
        if path.is_dir():
            yield from self._walk(path, _inherited_rules(path).with_file(path, path / ".gitignore"))
        elif path.is_file():
            relpath = self.relpath(path)
            if self._user_excluded(relpath, is_dir=False):
                # Named, but the configuration excludes it (pre-commit passes every staged file): say so.
                self.notifications.append(
                    Notification(
                        relpath, "excluded by the configured exclude patterns; not checked", level="note"
                    )
                )
            else:
                yield SourceFile(path, relpath, classify(path))
        else:
            self.notifications.append(
                Notification(self.relpath(path), "not a regular file or folder; skipped")
            )

    def _walk(self, folder: Path, rules: _IgnoreRules, tracked_only: bool = False) -> Iterator[SourceFile]:
        """Files under ``folder``; in an ignored folder (``tracked_only``) just those git tracks."""
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            self.notifications.append(
                Notification(self.relpath(folder) or ".", f"cannot list folder: {error.strerror or error}")
            )
            return
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink():
                continue  # git stores links as links; their targets are scanned where they live
            is_dir = entry.is_dir(follow_symlinks=False)
            relpath = self.relpath(path)
            if is_dir and (entry.name in DEFAULT_EXCLUDED_DIRS or entry.name.endswith(".egg-info")):
                continue
            if self._user_excluded(relpath, is_dir):
                continue
            ignored = tracked_only or rules.ignored(path, is_dir)
            if ignored and not self._is_tracked(path, is_dir):
                continue
            if is_dir:
                if _is_file(path / "pyvenv.cfg"):
                    continue  # a virtualenv under any name
                yield from self._walk(path, rules.with_file(path, path / ".gitignore"), ignored)
            elif entry.is_file(follow_symlinks=False):
                yield SourceFile(path, relpath, classify(path))
