"""Per-file result cache, so a second run only re-checks the files that changed (``--no-cache`` skips it).

Entries live in ``<scan root>/.mxlint_cache/`` (which holds its own ``.gitignore``), one JSON file per
combination of mxlint build, enabled rules, priorities and settings. A file is reused when its size and
modification time are unchanged. JSON, never pickle: a cache file committed by someone else must not be
able to run code in the scanner.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mxlint import __version__, registry
from mxlint.discovery import SourceFile
from mxlint.model import Finding, Notification, Priority

CACHE_DIR = ".mxlint_cache"
_FORMAT = 2  # 2: tuples in facts are tagged
# Each upgrade or --select variant starts a new cache file; the least recently written beyond this
# many are deleted, so the folder does not grow for ever.
_KEEP_FILES = 8


def _build_stamp() -> str:
    """Identifies this build of mxlint: version plus the rule data and code it runs with.

    An editable install keeps its version while its code changes; the stamp still changes.
    """
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for folder in (package, Path(str(registry.rules_dir()))):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".yaml") and path.is_file():
                stat = path.stat()
                digest.update(f"{path.relative_to(folder)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _stamp(source: SourceFile) -> list[int] | None:
    try:
        stat = source.path.stat()
    except OSError:
        return None
    # A kustomization that starts or stops naming the file as a patch changes its findings.
    return [stat.st_size, stat.st_mtime_ns, int(source.kustomize_patch)]


_TUPLE = "__tuple__"


def _encode(value: Any) -> Any:
    """Facts as JSON that decode to equal values: tuples are tagged, since rules test for them.

    Raises TypeError for anything that is not plain data, so such an entry is not cached at all.
    """
    if isinstance(value, tuple):
        return {_TUPLE: [_encode(item) for item in value]}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value) or _TUPLE in value:
            raise TypeError("fact mapping that JSON cannot hold")
        return {key: _encode(item) for key, item in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"fact of type {type(value).__name__} is not plain data")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {_TUPLE}:
            return tuple(_decode(item) for item in value[_TUPLE])
        return {key: _decode(item) for key, item in value.items()}
    return value


def _finding(data: dict[str, Any]) -> Finding:
    return Finding(**{**data, "priority": Priority(data["priority"])})


class ResultCache:
    def __init__(self, root: Path, plan_key: Any) -> None:
        key = hashlib.sha256(json.dumps([_FORMAT, _build_stamp(), plan_key], default=str).encode())
        self.folder = root / CACHE_DIR
        self.path = self.folder / f"{key.hexdigest()[:24]}.json"
        self.entries: dict[str, Any] = {}
        self.dirty = False
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, ValueError):
            pass

    def get(
        self, source: SourceFile
    ) -> tuple[list[Finding], dict[str, list[Any]], list[Notification]] | None:
        entry = self.entries.get(source.relpath)
        if entry is None or entry.get("stamp") != _stamp(source):
            return None
        try:
            findings = [_finding(item) for item in entry["findings"]]
            notes = [Notification(**item) for item in entry["notifications"]]
            return findings, _decode(entry["facts"]), notes
        except (KeyError, TypeError, ValueError):
            return None  # an entry from another build or hand-edited: check the file again

    def put(
        self,
        source: SourceFile,
        findings: list[Finding],
        facts: dict[str, list[Any]],
        notes: list[Notification],
    ) -> None:
        stamp = _stamp(source)
        if stamp is None:
            return
        try:
            entry = {
                "stamp": stamp,
                "findings": [{**asdict(f), "priority": f.priority.value} for f in findings],
                "facts": _encode(facts),
                "notifications": [asdict(note) for note in notes],
            }
            json.dumps(entry)
        except (TypeError, ValueError):
            return  # a rule's facts are not plain data; the file is simply re-checked next time
        self.entries[source.relpath] = entry
        self.dirty = True

    def save(self, keep: set[str]) -> None:
        """Write the cache, dropping files that are gone; any failure only costs the next run time."""
        if not self.dirty and set(self.entries) <= keep:
            return
        entries = {relpath: entry for relpath, entry in self.entries.items() if relpath in keep}
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text(
                    "# Created by mxlint; the cache never belongs in git.\n*\n", encoding="utf-8"
                )
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(entries, stream, separators=(",", ":"))
            Path(temporary).replace(self.path)
        except OSError:
            return
        self._prune()

    def _prune(self) -> None:
        try:
            stale = sorted(
                (path for path in self.folder.glob("*.json") if path != self.path),
                key=lambda path: path.stat().st_mtime_ns,
                reverse=True,
            )[_KEEP_FILES - 1 :]
            for path in stale:
                path.unlink(missing_ok=True)
        except OSError:
            pass  # another run pruning at the same time, or a read-only folder
