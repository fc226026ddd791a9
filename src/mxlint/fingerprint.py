"""``partialFingerprints.primaryLocationLineHash``: a finding's identity that survives unrelated edits.

The hash covers the rule id, the file path and the offending line with all whitespace removed, so
inserting lines above a finding or re-indenting it keeps its identity; ``:<n>`` then numbers identical
findings in one file (the n-th occurrence), as GitHub's own fingerprinting does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def line_hash(rule_id: str, path: str, line_text: str) -> str:
    normalised = "".join(line_text.split())
    digest = hashlib.sha256(f"{rule_id}\0{path}\0{normalised}".encode()).hexdigest()
    return digest[:16]


def fingerprints(keys: Sequence[tuple[str, str, str]]) -> list[str]:
    """Fingerprints for findings of one file given as (rule id, path, line text), in file order."""
    seen: dict[str, int] = {}
    result = []
    for rule_id, path, text in keys:
        digest = line_hash(rule_id, path, text)
        seen[digest] = seen.get(digest, 0) + 1
        result.append(f"{digest}:{seen[digest]}")
    return result
