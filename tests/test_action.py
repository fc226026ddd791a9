"""The composite GitHub Action in ``action.yml``: its structure, and its shell steps run as a runner would.

A runner is not available here, so the steps are interpreted: each ``run`` step goes through
``bash --noprofile --norc -eo pipefail`` (GitHub's ``shell: bash``) with its ``env`` and
``working-directory`` after substituting ``${{ inputs.* }}``, ``${{ steps.*.outputs.* }}`` and
``${{ github.action_path }}``, and outputs are read back from ``$GITHUB_OUTPUT``. The set-up steps (Python
and ``pip install`` of this checkout) are replaced by the mxlint installed next to the test interpreter.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import HYGIENE, REPO, write_files

ACTION = yaml.safe_load((REPO / "action.yml").read_text())
EXPRESSION = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")
MXLINT = Path(sys.executable).with_name("mxlint")


def _expressions(node: object) -> list[str]:
    if isinstance(node, dict):
        return [e for value in node.values() for e in _expressions(value)]
    if isinstance(node, list):
        return [e for value in node for e in _expressions(value)]
    return EXPRESSION.findall(node) if isinstance(node, str) else []


def test_action_is_a_composite_with_documented_inputs_and_outputs() -> None:
    assert ACTION["name"] == "mxlint" and 0 < len(ACTION["description"]) <= 125  # the Marketplace limit
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert {"paths", "fail-on", "sarif-file"} <= set(inputs)
    assert (inputs["fail-on"]["default"], inputs["paths"]["default"], inputs["sarif-file"]["default"]) == (
        "P0",
        ".",
        "mxlint.sarif",
    )
    for name, spec in inputs.items():
        assert spec.get("description"), name
        assert isinstance(spec.get("default"), str), f"{name}: inputs are strings"
    assert set(ACTION["outputs"]) == {"exit-code", "sarif-file"}


def test_every_input_is_used_and_every_reference_is_declared() -> None:
    steps = ACTION["runs"]["steps"]
    used = _expressions(steps)
    inputs = {e.split(".", 1)[1] for e in used if e.startswith("inputs.")}
    assert inputs == set(ACTION["inputs"]), "an input that no step reads, or a reference to no input"
    ids = [step.get("id") for step in steps]
    for expression in [*used, *_expressions(ACTION["outputs"])]:
        scope = expression.split(".")[0]
        assert scope in ("inputs", "steps", "github"), expression
        if scope == "steps":
            step_id = expression.split(".")[1]
            assert step_id in ids, expression
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash", step["name"]
            assert not EXPRESSION.search(step["run"]), (
                f"{step['name']}: expressions belong in env, not the script"
            )
        else:
            assert re.fullmatch(r"[\w-]+/[\w-]+@v\d+", step["uses"]), step["uses"]
        assert "if" not in step, "conditions live in the scripts, which the tests below run"
    install = next(step for step in steps if step.get("id") == "install")
    assert install["env"]["MXLINT_SOURCE"] == "${{ github.action_path }}"


def test_the_python_set_up_for_mxlint_is_not_the_jobs() -> None:
    # setup-python puts its Python first on PATH for every later step of the job by default, which
    # would change the Python that the workflow's own steps (its tests, its build) run on.
    steps = ACTION["runs"]["steps"]
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["update-environment"] is False
    install = next(step for step in steps if step.get("id") == "install")
    assert install["env"]["MXLINT_PYTHON"] == f"${{{{ steps.{setup['id']}.outputs.python-path }}}}"
    assert '"$MXLINT_PYTHON" -m venv' in install["run"]
    assert not re.search(r"^\s*python3? ", install["run"], re.M), "the job's python is not mxlint's"


def run_action(workspace: Path, runner_temp: Path, **given: str) -> tuple[int, dict[str, str], str]:
    """(exit status, outputs, log) of the action with these inputs, run as a runner would."""
    inputs = {name: spec["default"] for name, spec in ACTION["inputs"].items()}
    inputs.update({name.replace("_", "-"): value for name, value in given.items()})
    step_outputs: dict[str, dict[str, str]] = {"install": {"mxlint": str(MXLINT)}}
    context = {"github.action_path": str(REPO)}

    def substitute(text: str) -> str:
        def value(match: re.Match[str]) -> str:
            expression = match.group(1)
            if expression.startswith("inputs."):
                return inputs[expression.split(".", 1)[1]]
            if expression.startswith("steps."):
                _, step_id, _, name = expression.split(".", 3)
                return step_outputs.get(step_id, {}).get(name, "")
            return context[expression]

        return EXPRESSION.sub(value, text)

    log = []
    for step in ACTION["runs"]["steps"]:
        if step.get("id") == "install" or "uses" in step:
            continue  # set-up: the test interpreter's mxlint stands in
        output_file = runner_temp / f"output-{step.get('id', 'step')}"
        output_file.write_text("")
        script = runner_temp / "step.sh"
        script.write_text(step["run"])
        env = {
            **os.environ,
            **{key: substitute(str(value)) for key, value in step.get("env", {}).items()},
            "GITHUB_OUTPUT": str(output_file),
            "RUNNER_TEMP": str(runner_temp),
        }
        cwd = workspace / substitute(step.get("working-directory", "."))
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        log.append(done.stdout + done.stderr)
        pairs = [line.split("=", 1) for line in output_file.read_text().splitlines() if "=" in line]
        step_outputs[step.get("id", "")] = dict(pairs)
        if done.returncode != 0:
            break
    outputs = {name: substitute(spec["value"]) for name, spec in ACTION["outputs"].items()}
    return done.returncode, outputs, "".join(log)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    if shutil.which("bash") is None or not MXLINT.exists():
        pytest.skip("needs bash and the mxlint console script")
    write_files(
        tmp_path / "repo",
        {
            "sync/client.py": "import requests\n\n\ndef pull(url):\n    return requests.get(url).json()\n",
            "sync/report.py": "def report(n):\n    print(n)\n",
            "docs/notes.py": "x = 1\n",
            **HYGIENE,
        },
    )
    (tmp_path / "temp").mkdir()
    return tmp_path


def _sarif_rules(path: str) -> list[tuple[str, str]]:
    log = json.loads(Path(path).read_text())
    assert log["runs"][0]["automationDetails"]["id"] == "mxlint/"
    return [
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in log["runs"][0]["results"]
    ]


def test_findings_fail_the_action_after_the_sarif_is_written(workspace: Path) -> None:
    status, outputs, log = run_action(workspace, workspace / "temp", working_directory="repo")
    assert status == 1, log
    assert outputs["exit-code"] == "1"
    assert outputs["sarif-file"] == str(workspace / "repo" / "mxlint.sarif")
    assert _sarif_rules(outputs["sarif-file"]) == [
        ("MX201", "sync/client.py"),
        ("MX502", "sync/client.py"),
        ("MX401", "sync/report.py"),
    ]
    assert "::error file=sync/client.py,line=5," in log, "P0 findings annotate the pull request"
    assert "::error title=mxlint::findings at or above P0 (exit code 1)" in log


def test_with_fail_false_the_verdict_is_an_output_only(workspace: Path) -> None:
    status, outputs, log = run_action(
        workspace, workspace / "temp", working_directory="repo", fail="false", annotate="false"
    )
    assert status == 0, log
    assert outputs["exit-code"] == "1"
    assert "::error" not in log and "sync/client.py:5:12: MX201 [P0]" in log


def test_inputs_reach_mxlint(workspace: Path) -> None:
    status, outputs, log = run_action(
        workspace,
        workspace / "temp",
        working_directory="repo",
        paths="sync/report.py\n  docs",
        sarif_file="out/report.sarif",
        category="mxlint/backend",
        args="--ignore MX401",
        fail_on="P2",
    )
    assert (status, outputs["exit-code"]) == (0, "0"), log
    report = json.loads((workspace / "repo" / "out" / "report.sarif").read_text())
    assert report["runs"][0]["automationDetails"]["id"] == "mxlint/backend"
    assert report["runs"][0]["results"] == []


def test_a_usage_error_fails_even_without_the_gate(workspace: Path) -> None:
    status, outputs, log = run_action(
        workspace, workspace / "temp", working_directory="repo", fail="false", args="--select MX999"
    )
    assert status == 2 and outputs["exit-code"] == "2", log
    assert "unknown rule selector 'MX999'" in log and "::error title=mxlint::mxlint could not run" in log
