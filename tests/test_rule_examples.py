"""Every example in ``rules/*.yaml`` is a test, run through the real engine (discovery, parsing,
suppression). ``pytest -k MX201`` runs one rule's examples: ids are ``MX201-invalid-0``."""

from __future__ import annotations

import re

import pytest

from mxlint import docs, registry
from mxlint.model import Example, RuleMeta

CASES = [
    pytest.param(meta, valid, example, id=f"{meta.id}-{'valid' if valid else 'invalid'}-{index}")
    for meta in registry.all_rules()
    for valid, examples in ((False, meta.invalid), (True, meta.valid))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("meta", "valid", "example"), CASES)
def test_example(lint, meta: RuleMeta, valid: bool, example: Example) -> None:
    # mxlint's own rules (MX0xx) watch the others work, so their examples run with every rule on.
    select = [] if meta.category == "tool" else [meta.id]
    result = lint(example.as_files(docs.default_example_path(meta)), select=select)
    found = [finding for finding in result.findings if finding.rule_id == meta.id]
    if valid:
        assert not found, "a valid example produced findings:\n" + "\n".join(
            f"{f.path}:{f.line}: {f.message}" for f in found
        )
        return
    assert found, f"the invalid example produced no {meta.id} finding"
    if example.lines is not None:
        assert sorted({f.line for f in found}) == sorted(example.lines)
    for finding in found:
        assert not re.search(r"\{\w*\}", finding.message), f"unfilled placeholder in {finding.message!r}"
