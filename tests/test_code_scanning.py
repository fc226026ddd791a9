"""What GitHub code scanning ingests: the SARIF passes Microsoft's SARIF multitool with GitHub's ingestion
rules, findings keep their identity across unrelated edits, and suppressed findings arrive dismissed.

The multitool (npm ``@microsoft/sarif-multitool``, installed by ``.ci/run`` into ``.ci/npm``) is called as
its platform binary: the npm wrapper re-parses arguments with ``/bin/sh``, which splits ``"Gh;Sarif"``.
It exits 0 even when it reports errors, so the test reads its output log and counts error and warning
results; a broken log is checked to fail, so a validator that reports nothing cannot pass silently.
Rule SARIF2006 (URIs should answer an HTTP GET) is disabled: it would fetch URLs from the network.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mxlint.reporters import sarif

from .conftest import REPO, run_on, write_files

SNAPSHOTS = REPO / "tests" / "snapshots"
VALIDATOR = Path(
    os.environ.get("MXLINT_SARIF_VALIDATOR", REPO.parent / "shared" / "tools" / "validate-sarif")
)
MULTITOOL_HOME = REPO / ".ci" / "npm" / "node_modules" / "@microsoft"
MULTITOOL_CONFIG = """<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" />
  </Properties>
</Properties>
"""

SAMPLE = {
    "sync/client.py": (
        "import requests\n\n\n"
        "def pull(url):\n"
        "    first = requests.get(url)\n"
        "    print(first)\n"
        "    print(first)\n"
        "    requests.get(url)  # mxlint: ignore[MX201] the proxy enforces a 10 s deadline\n"
    ),
    "sync/broken.py": "import requests\n\n\ndef broken(:\n    requests.get(URL)\n",
    "Dockerfile": "FROM python:3.12-slim\n# mxlint: ignore\n",
}


def multitool() -> Path | None:
    explicit = os.environ.get("MXLINT_SARIF_MULTITOOL")
    if explicit:
        return Path(explicit)
    binaries = [
        path
        for pattern in ("sarif-multitool-*/Sarif.Multitool", "sarif-multitool-*/Sarif.Multitool.exe")
        for path in sorted(MULTITOOL_HOME.glob(pattern))
    ]
    return binaries[0] if binaries else None


@pytest.fixture(scope="module")
def multitool_binary() -> Path:
    binary = multitool()
    if binary is None or not binary.exists():
        message = "SARIF multitool not found: run .ci/run, or set MXLINT_SARIF_MULTITOOL to its binary"
        if os.environ.get("MXLINT_REQUIRE_MULTITOOL") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return binary


def multitool_problems(binary: Path, log: Path, work: Path) -> list[str]:
    """Error- and warning-level results of ``validate --rule-kind "Gh;Sarif"``, as readable lines."""
    config, out = work / "multitool.xml", work / f"{log.stem}.validation.sarif"
    config.write_text(MULTITOOL_CONFIG)
    command = [str(binary), "validate", str(log), "--rule-kind", "Gh;Sarif", "--level", "Error;Warning"]
    done = subprocess.run(
        [*command, "--config", str(config), "-o", str(out), "--log", "ForceOverwrite"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.exists(), f"the multitool wrote no log (exit {done.returncode}): {done.stdout}{done.stderr}"
    (run,) = json.loads(out.read_text())["runs"]
    crashes = [
        note["message"]["text"]
        for invocation in run.get("invocations", [])
        for note in invocation.get("toolExecutionNotifications", [])
        if note.get("level", "warning") == "error"
    ]
    assert not crashes, f"the multitool did not complete: {crashes}"
    return [
        f"{result.get('level', 'warning')} {result['ruleId']}: {result['message'].get('arguments')}"
        for result in run.get("results", [])
        if result.get("level", "warning") in ("error", "warning")
    ]


@pytest.fixture(scope="module")
def sample_log(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("sample")
    write_files(root, SAMPLE)
    return json.loads(sarif.render(run_on(root)))


def _write(log: dict, path: Path) -> Path:
    path.write_text(json.dumps(log, indent=2), encoding="utf-8")
    return path


def test_sample_log_has_suppressions_notifications_and_twins(sample_log: dict) -> None:
    (run,) = sample_log["runs"]
    by_rule = {}
    for result in run["results"]:
        by_rule.setdefault(result["ruleId"], []).append(result)
    (suppressed,) = [r for r in by_rule["MX201"] if "suppressions" in r]
    assert suppressed["suppressions"] == [
        {"kind": "inSource", "justification": "the proxy enforces a 10 s deadline"}
    ]
    assert all("suppressions" not in r for r in by_rule["MX401"] + by_rule["MX001"] + by_rule["MX000"])
    twins = [r["partialFingerprints"]["primaryLocationLineHash"] for r in by_rule["MX401"]]
    assert len(twins) == 2 and twins[0] != twins[1]
    assert twins[0].split(":")[0] == twins[1].split(":")[0], "identical lines share the hash, not the index"
    (notification,) = run["invocations"][0]["toolExecutionNotifications"]
    assert "sync/broken.py" in notification["message"]["text"]


@pytest.mark.parametrize("name", ["bad-sync-worker.sarif", "good-sync-service.sarif", "sample"])
def test_multitool_accepts_mxlint_sarif(
    multitool_binary: Path, sample_log: dict, tmp_path: Path, name: str
) -> None:
    log = SNAPSHOTS / name if name != "sample" else _write(sample_log, tmp_path / "sample.sarif")
    assert multitool_problems(multitool_binary, log, tmp_path) == []


def test_multitool_check_fails_on_a_broken_log(
    multitool_binary: Path, sample_log: dict, tmp_path: Path
) -> None:
    broken = json.loads(json.dumps(sample_log))
    first = broken["runs"][0]["results"][0]
    first["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    first["message"] = {"id": "undefined"}
    problems = multitool_problems(multitool_binary, _write(broken, tmp_path / "broken.sarif"), tmp_path)
    assert any(p.startswith("error JSON1008") for p in problems), problems  # startLine 0
    assert any(p.startswith("error GH1015") for p in problems), problems  # no message.text for GitHub


def test_validate_sarif_accepts_the_sample_log(sample_log: dict, tmp_path: Path) -> None:
    if not VALIDATOR.exists():
        if os.environ.get("MXLINT_REQUIRE_VALIDATOR") == "1":
            pytest.fail(f"SARIF validator not found at {VALIDATOR}")
        pytest.skip(f"SARIF validator not found at {VALIDATOR} (set MXLINT_SARIF_VALIDATOR)")
    log = _write(sample_log, tmp_path / "sample.sarif")
    done = subprocess.run([sys.executable, str(VALIDATOR), str(log)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _hashes(root: Path) -> dict[tuple[str, int], str]:
    results = json.loads(sarif.render(run_on(root, scope="files")))["runs"][0]["results"]
    return {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]): r["partialFingerprints"][
            "primaryLocationLineHash"
        ]
        for r in results
    }


def test_line_hash_survives_lines_inserted_above_and_tells_twins_apart(tmp_path: Path) -> None:
    body = "import requests\n\n\ndef pull(url):\n    print(url)\n    requests.get(url)\n    print(url)\n"
    write_files(tmp_path, {"client.py": body})
    before = _hashes(tmp_path)
    assert before[("MX401", 5)] != before[("MX401", 7)], "two identical findings in one file differ"

    write_files(tmp_path, {"client.py": "import logging\n\nLOG = logging.getLogger(__name__)\n" + body})
    after = _hashes(tmp_path)
    assert after == {(rule, line + 3): value for (rule, line), value in before.items()}
