"""Baselines: record today's findings once, then report only the new ones.

A team adopting mxlint on an existing integration writes a baseline (``--write-baseline FILE``) and gates
on what is not in it (``--baseline FILE``). An entry is keyed by rule id, path and fingerprint (the
``primaryLocationLineHash`` of SARIF: the rule, the path and the whitespace-free offending line, then
``:<n>`` for the n-th identical one in the file), never by line number, so edits elsewhere in the file
keep every entry matching. The file format (version 1)::

    {
      "tool": "mxlint",
      "version": 1,
      "findings": [
        {"rule": "MX201", "path": "sync/client.py", "fingerprint": "3f0c9a1e2b7d4c55:1",
         "message": "`session.get` without a timeout: it can wait forever"}
      ]
    }

``message`` is there for the reader only. Paths are relative to the scan root, as in every report, so
use the baseline from the folder it was written in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from mxlint.model import Finding

FORMAT_VERSION = 1
Key = tuple[str, str, str]  # (rule id, path, fingerprint)


class BaselineError(Exception):
    """The baseline file cannot be read or is not a baseline; the message is one line for the user."""


def key(finding: Finding) -> Key:
    return (finding.rule_id, finding.path, finding.fingerprint)


def render(findings: Iterable[Finding]) -> str:
    entries = sorted(
        {key(f): f.message for f in findings}.items(), key=lambda item: (item[0][1], item[0][0], item[0][2])
    )
    document = {
        "tool": "mxlint",
        "version": FORMAT_VERSION,
        "findings": [
            {"rule": rule, "path": path, "fingerprint": fingerprint, "message": message}
            for (rule, path, fingerprint), message in entries
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write(path: Path, findings: Iterable[Finding]) -> None:
    try:
        path.write_text(render(findings), encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"cannot write baseline {path}: {error.strerror or error}") from None


def load(path: Path) -> frozenset[Key]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"baseline file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(
            f"cannot read baseline {path}: {getattr(error, 'strerror', None) or error}"
        ) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(
            f"invalid baseline {path}: not JSON ({error.msg} at line {error.lineno})"
        ) from None
    if not isinstance(document, dict) or document.get("tool") != "mxlint":
        raise BaselineError(
            f"invalid baseline {path}: not an mxlint baseline (write one with --write-baseline)"
        )
    if document.get("version") != FORMAT_VERSION:
        raise BaselineError(f"invalid baseline {path}: unsupported version {document.get('version')!r}")
    entries = document.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"invalid baseline {path}: 'findings' must be a list")
    keys = set()
    for number, entry in enumerate(entries):
        fields = [
            entry.get(name) if isinstance(entry, dict) else None for name in ("rule", "path", "fingerprint")
        ]
        if not all(isinstance(value, str) and value for value in fields):
            raise BaselineError(
                f"invalid baseline {path}: findings[{number}] needs string 'rule', 'path' and 'fingerprint'"
            )
        keys.add((fields[0], fields[1], fields[2]))
    return frozenset(keys)


def split(findings: Iterable[Finding], known: frozenset[Key]) -> tuple[list[Finding], list[Finding]]:
    """(new findings, findings the baseline already holds)."""
    new, old = [], []
    for finding in findings:
        (old if key(finding) in known else new).append(finding)
    return new, old
