from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from mxlint.model import Finding, Notification, Priority, RunResult
from mxlint.registry import by_id
from mxlint.reporters import github, sarif, text

from ..conftest import HYGIENE, run_on, write_files


def result_with(*findings: Finding, suppressed: tuple[Finding, ...] = (), notes=()) -> RunResult:
    return RunResult(list(findings), list(suppressed), [by_id()["MX000"], by_id()["MX401"]], list(notes), 3)


PRINT = Finding("MX401", "pkg/a b.py", 4, "`print` call", Priority.P1, 5, 4, 17, "abc:1")


def test_sarif_keeps_levels_that_equal_sarif_defaults() -> None:
    # P1 maps to "warning", sarif-om's default for Result.level: it must still be written.
    log = json.loads(sarif.render(result_with(PRINT)))
    (result,) = log["runs"][0]["results"]
    assert result["level"] == "warning"
    assert result["ruleId"] == "MX401" and result["ruleIndex"] == 1
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "pkg/a%20b.py",
        "uriBaseId": "%SRCROOT%",
    }
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4, "startColumn": 5, "endLine": 4, "endColumn": 17,
    }  # fmt: skip
    assert result["partialFingerprints"] == {"primaryLocationLineHash": "abc:1"}
    assert result["properties"] == {"priority": "P1", "checklist": "observability.structured-logging"}


def test_sarif_run_shape() -> None:
    log = json.loads(sarif.render(result_with(), category="mxlint/backend"))
    assert log["$schema"].endswith("sarif-schema-2.1.0.json") and log["version"] == "2.1.0"
    (run,) = log["runs"]
    assert run["automationDetails"] == {"id": "mxlint/backend"}
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"description": {"text": "The scan root."}}}
    assert run["results"] == []
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["MX000", "MX401"]
    mx401 = rules[1]
    assert mx401["defaultConfiguration"] == {"level": "error"}
    assert mx401["properties"]["tags"][:3] == ["maintainx", "P0", "observability"]
    assert mx401["properties"]["precision"] == "high"
    assert len(mx401["fullDescription"]["text"]) <= 1024
    assert "security-severity" not in mx401["properties"]
    assert "## " not in mx401["help"]["text"] and mx401["help"]["markdown"].startswith("# MX401")


def test_security_rules_carry_security_severity() -> None:
    security = replace(by_id()["MX401"], category="auth", tags=("security",))
    done = RunResult([], [], [security], [], 0)
    properties = json.loads(sarif.render(done))["runs"][0]["tool"]["driver"]["rules"][0]["properties"]
    assert properties["security-severity"] == "9.0"
    assert "security" in properties["tags"]


def test_suppressed_findings_are_dismissed_in_sarif_and_absent_elsewhere() -> None:
    quiet = replace(PRINT, justification="operator console")
    done = result_with(suppressed=(quiet,))
    (result,) = json.loads(sarif.render(done))["runs"][0]["results"]
    assert result["suppressions"] == [{"kind": "inSource", "justification": "operator console"}]
    assert github.render(done) == ""
    assert text.render(done) == "All checks passed: 3 files checked (1 suppressed).\n"


def test_unparsable_files_are_tool_notifications() -> None:
    note = Notification("legacy/old.py", "cannot parse Python: invalid syntax", 3)
    invocation = json.loads(sarif.render(result_with(notes=[note])))["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["locations"][0]["physicalLocation"]["region"] == {"startLine": 3}


def test_github_commands_escape_their_values() -> None:
    odd = replace(PRINT, path="a,b:c.py", message="50%\ndone")
    assert github.render(result_with(odd)) == (
        "::warning file=a%2Cb%3Ac.py,line=4,col=5,endLine=4,endColumn=17,"
        "title=MX401 [P1] print-instead-of-logging::50%25%0Adone\n"
    )


def test_text_colours_only_when_asked() -> None:
    assert "\033[" not in text.render(result_with(PRINT))
    assert "\033[33m[P1]\033[0m" in text.render(result_with(PRINT), color=True)


def test_fingerprint_survives_unrelated_edits_and_numbers_twins(tmp_path: Path) -> None:
    body = "def sync(n):\n    print(n)\n    print(n)\n"
    write_files(tmp_path, {"app.py": body, **HYGIENE})
    before = [f.fingerprint for f in run_on(tmp_path).findings]
    write_files(
        tmp_path, {"app.py": "import os\n\n\n# a comment\n" + body.replace("    print", "        print")}
    )
    after_edit = run_on(tmp_path).findings
    assert [f.fingerprint for f in after_edit] == before
    assert before[0].split(":")[0] == before[1].split(":")[0] and before[0] != before[1]
    assert [f.line for f in after_edit] == [6, 7]


def test_markdown_statuses_follow_the_rules_that_ran() -> None:
    from mxlint.checklist import ITEMS, MANUAL_ITEMS
    from mxlint.reporters import markdown

    rules = [by_id()["MX401"], by_id()["MX701"]]
    ran = RunResult([PRINT, PRINT], [], rules, [], 3)
    status = markdown.statuses(ran)
    assert list(status) == [item.key for item in ITEMS]
    assert status["observability.structured-logging"] == "fail (2)"
    assert status["recovery.rollback"] == "pass"
    assert status["errors.timeout"] == "not checked"  # no rule of the key enabled
    skipped = markdown.statuses(RunResult([], [], rules, [], 3, skipped=("MX701",)))
    assert skipped["recovery.rollback"] == "not checked"
    report = markdown.render(ran)
    rows = [
        line for line in report.splitlines() if line.startswith("| ") and not line.startswith("| Category")
    ]
    assert len(rows) == len(ITEMS) + len(MANUAL_ITEMS)
    assert report.index("Auth") < report.index("API key rotated") < report.index("Request timeout")
    assert "### P1 (2)" in report and "- `pkg/a b.py:4:5` **MX401** `print` call" in report
    assert markdown.render(RunResult([], [], rules, [], 0)).endswith("## Findings\n\nNone.\n")


def test_markdown_tells_nothing_to_check_and_partial_runs_from_a_pass() -> None:
    from dataclasses import replace

    from mxlint.model import FileKind
    from mxlint.reporters import markdown

    rules = [by_id()[rule_id] for rule_id in ("MX401", "MX404", "MX601", "MX602", "MX603")]
    python_only = RunResult([], [replace(PRINT, justification="CLI")], rules, [], 1,
                            kinds_scanned=frozenset({FileKind.PYTHON}))  # fmt: skip
    status = markdown.statuses(python_only)
    assert status["deployment.multi-stage"] == "not checked (no Dockerfiles)"
    assert status["deployment.non-root"] == "not checked (no Dockerfiles or Kubernetes manifests)"
    assert status["observability.health"] == "pass (MX402 not run)"
    assert status["observability.structured-logging"] == "pass (MX407 not run; 1 suppressed)"


def test_markdown_tells_an_item_with_nothing_to_judge_from_a_pass(lint) -> None:
    from mxlint.reporters import markdown

    handler = (
        "import hmac\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n"
        '@app.post("/hooks/maintainx")\ndef hook():\n'
        '    signature = request.headers["x-maintainx-webhook-body-signature"]\n'
        "    return {}\n"
    )
    worker = 'import requests\nrequests.get("https://api.getmaintainx.com/v1/assets/1", timeout=5)\n'
    rules = ["MX302", "MX303"]
    without = markdown.statuses(lint({"worker.py": worker}, select=rules))
    assert without["data.webhook-idempotency"] == "not applicable (no MaintainX webhook handlers found)"
    assert without["data.webhook-signature"] == "not applicable (no MaintainX webhook handlers found)"
    assert "2 do not apply" in markdown.render(lint({"worker.py": worker}, select=rules))
    judged = lint({"worker.py": worker, "hooks.py": handler}, select=rules)
    assert judged.subjects_seen == {"MX302", "MX303"}
    assert markdown.statuses(judged)["data.webhook-idempotency"].startswith("fail")
    suppressed = handler.replace("def hook():", "def hook():  # mxlint: ignore[MX302, MX303] tested here")
    quiet = lint({"worker.py": worker, "hooks.py": suppressed}, select=rules)
    assert markdown.statuses(quiet)["data.webhook-idempotency"] == "pass (1 suppressed)"
    # Not known (a result built without the engine): a pass stays a pass.
    assert (
        markdown.statuses(RunResult([], [], [by_id()["MX302"]], [], 1))["data.webhook-idempotency"] == "pass"
    )
