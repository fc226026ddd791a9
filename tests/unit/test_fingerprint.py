from __future__ import annotations

from mxlint.fingerprint import fingerprints, line_hash


def test_whitespace_and_position_do_not_change_the_hash() -> None:
    assert line_hash("MX201", "a.py", "    requests.get(url)") == line_hash(
        "MX201", "a.py", "requests.get( url )"
    )


def test_rule_path_and_text_do() -> None:
    base = line_hash("MX201", "a.py", "requests.get(url)")
    assert base != line_hash("MX401", "a.py", "requests.get(url)")
    assert base != line_hash("MX201", "b.py", "requests.get(url)")
    assert base != line_hash("MX201", "a.py", "requests.post(url)")


def test_identical_findings_are_numbered() -> None:
    keys = [("MX401", "a.py", "print(x)"), ("MX401", "a.py", "print(y)"), ("MX401", "a.py", "  print(x)")]
    first, other, second = fingerprints(keys)
    assert first.endswith(":1") and second.endswith(":2") and other.endswith(":1")
    assert first.split(":")[0] == second.split(":")[0]
