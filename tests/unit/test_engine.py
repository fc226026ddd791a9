from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path

import libcst as cst
import pytest

from mxlint import engine
from mxlint.checks import base
from mxlint.checks.base import Project, PythonRule
from mxlint.config import Settings
from mxlint.discovery import Discovery
from mxlint.model import FileKind, Priority, RuleMeta, Scope
from mxlint.reporters import REPORTERS

from ..conftest import HYGIENE, run_on, write_files

PROJECT_META = RuleMeta(
    id="MX799",
    name="missing-health-function",
    title="No health function in the project",
    checklist=None,
    priority=Priority.P2,
    category="recovery",
    kinds=(FileKind.PYTHON,),
    scope=Scope.PROJECT,
    precision="high",
    tags=(),
    message="no function named health in {count} Python files",
    description="Test rule.",
    rationale="Test rule.",
    fix="Test rule.",
)


class MissingHealthFunction(PythonRule):
    """A repository-level rule: each file contributes a fact, finalize judges the project."""

    RULE_ID = "MX799"

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.name.value == "health":
            self.record(node.name.value)

    def leave_Module(self, original_node: cst.Module) -> None:
        self.record("module")

    @classmethod
    def finalize(cls, project: Project) -> None:
        facts = project.facts_of(cls.RULE_ID)
        if not any(value == "health" for _, value in facts):
            modules = sorted(path for path, value in facts if value == "module")
            anchor = next((p for p in project.files if p.endswith("requirements.txt")), modules[0])
            project.report(cls.RULE_ID, anchor, count=len(modules))


@pytest.fixture
def project_rule(monkeypatch):
    monkeypatch.setitem(base._RULES, "MX799", MissingHealthFunction)
    return PROJECT_META


def run_engine(root: Path, metas, *, file_rules=True, project_rules=True, jobs=1):
    sources = Discovery(root).collect([root])
    plan = engine.Plan(tuple(metas), Settings(), file_rules, project_rules)
    return engine.run(plan, sources, ["."], lambda path, line: "", jobs=jobs)


def test_finalize_sees_facts_per_project(tmp_path: Path, project_rule: RuleMeta) -> None:
    write_files(
        tmp_path,
        {
            "svc_a/requirements.txt": "requests\n",
            "svc_a/app.py": "def health():\n    return 'ok'\n",
            "svc_a/lib.py": "x = 1\n",
            "svc_b/requirements.txt": "requests\n",
            "svc_b/app.py": "def handler():\n    return 1\n",
            "svc_b/more.py": "y = 2\n",
        },
    )
    result = run_engine(tmp_path, [project_rule])
    assert [(f.path, f.line, f.message) for f in result.findings] == [
        ("svc_b/requirements.txt", 1, "no function named health in 2 Python files")
    ]
    assert result.findings[0].fingerprint.endswith(":1")


def test_file_scope_skips_repository_rules(tmp_path: Path, project_rule: RuleMeta) -> None:
    write_files(tmp_path, {"app.py": "def handler():\n    return 1\n"})
    assert run_engine(tmp_path, [project_rule], project_rules=False).findings == []
    assert len(run_engine(tmp_path, [project_rule], file_rules=False).findings) == 1


def test_parse_error_is_a_finding_and_a_notification_and_the_scan_goes_on(tmp_path: Path) -> None:
    write_files(tmp_path, {"a.py": "def f(:\n    print(1)\n", "b.py": "def g():\n    print(2)\n", **HYGIENE})
    result = run_on(tmp_path)
    assert [(f.rule_id, f.path, f.line) for f in result.findings] == [
        ("MX000", "a.py", 1),
        ("MX401", "b.py", 2),
    ]
    assert [(n.path, n.line) for n in result.notifications] == [("a.py", 1)]


def test_a_broken_file_no_rule_would_look_at_is_still_a_parse_error(tmp_path: Path) -> None:
    """Rules skip files without their trigger words; a syntax error must not hide behind that."""
    files = {
        "broken.py": "def total(values:\n    return sum(values)\n",
        "newer.py": "type Vector = list[float]\n",  # 3.12 grammar: valid Python whatever runs mxlint
        **HYGIENE,
    }
    write_files(tmp_path, files)
    result = run_on(tmp_path)
    assert [(f.rule_id, f.path, f.line) for f in result.findings] == [("MX000", "broken.py", 1)]


def test_unreadable_file_is_reported(tmp_path: Path, monkeypatch) -> None:
    write_files(tmp_path, {"a.py": "print(1)\n", "b.py": "print(2)\n", **HYGIENE})
    real_read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "a.py":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = run_on(tmp_path)
    assert [(f.rule_id, f.path, f.message) for f in result.findings] == [
        ("MX000", "a.py", "cannot read file: Permission denied"),
        ("MX401", "b.py", "`print` call in library code; log through a structured (JSON) logger instead"),
    ]


def test_output_is_identical_whatever_the_number_of_jobs(tmp_path: Path) -> None:
    files = {
        f"pkg{i % 4}/mod_{i:02d}.py": f"def f{i}():\n    print({i})\n    print('x')\n" for i in range(60)
    }
    files["pkg0/broken.py"] = "def f(:\n  print(1)\n"
    write_files(tmp_path, {**files, **HYGIENE})
    serial = run_on(tmp_path, jobs=1)
    parallel = run_on(tmp_path, jobs=3)
    assert len(serial.findings) == 121
    for fmt, render in REPORTERS.items():
        assert render(serial) == render(parallel), fmt


def _meta(rule_id: str, kinds: tuple[FileKind, ...], category: str = "deployment") -> RuleMeta:
    return replace(
        PROJECT_META, id=rule_id, kinds=kinds, scope=Scope.FILE, category=category, message="{what}"
    )


class KeywordAnywhere(base.TextRule):
    """A cross-kind rule: runs on every kind its YAML lists, beside each kind's own rules."""

    def check(self) -> None:
        for number, line in enumerate(self.context.lines, 1):
            if "SECRETWORD" in line:
                self.report(number, what="keyword")


class StageCount(base.DockerfileRule):
    def check(self) -> None:
        self.report(1, what=f"{len(self.context.dockerfile.stages)} stages")


class DocumentCount(base.KubernetesRule):
    def check(self) -> None:
        self.report(1, what=f"{len(self.context.documents)} documents")


@pytest.fixture
def document_rules(monkeypatch):
    for rule_id, cls in (("MX198", KeywordAnywhere), ("MX698", StageCount), ("MX699", DocumentCount)):
        monkeypatch.setattr(cls, "RULE_ID", rule_id, raising=False)
        monkeypatch.setitem(base._RULES, rule_id, cls)
    every = (FileKind.TEXT, FileKind.PYTHON, FileKind.DOCKERFILE, FileKind.KUBERNETES)
    return [
        _meta("MX198", every, "auth"),
        _meta("MX698", (FileKind.DOCKERFILE,)),
        _meta("MX699", (FileKind.KUBERNETES,)),
        replace(engine.registry.lookup("MX000"), kinds=(FileKind.PYTHON,)),
    ]


def test_document_rules_and_a_rule_over_several_kinds(tmp_path: Path, document_rules) -> None:
    write_files(
        tmp_path,
        {
            "Dockerfile": "FROM python:3.12 AS build\nFROM build\nENV A=SECRETWORD\n",
            "k8s/app.yaml": "apiVersion: v1\nkind: Pod\n---\napiVersion: v1\nkind: Service\n",
            "notes.txt": "one\nSECRETWORD\n",
            "broken.py": "def f(:\n    print('SECRETWORD')\n",
        },
    )
    result = run_engine(tmp_path, [*document_rules, engine.registry.lookup("MX401")])
    assert [(f.path, f.line, f.rule_id, f.message) for f in result.findings] == [
        ("Dockerfile", 1, "MX698", "2 stages"),
        ("Dockerfile", 3, "MX198", "keyword"),
        # the Python file does not parse: MX000, yet the text rule still reads it
        ("broken.py", 1, "MX000", "cannot parse Python: invalid syntax"),
        ("broken.py", 2, "MX198", "keyword"),
        ("k8s/app.yaml", 1, "MX699", "2 documents"),
        ("notes.txt", 2, "MX198", "keyword"),
    ]


def test_a_template_is_skipped_with_a_notification_and_bad_yaml_is_mx000(
    tmp_path: Path, document_rules
) -> None:
    write_files(
        tmp_path,
        {
            "chart/templates/deploy.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"
            "  name: {{ .Release.Name }}\n",
            "k8s/bad.yaml": "apiVersion: v1\nkind: Pod\nspec: [1\n",
        },
    )
    metas = [*document_rules[:3], replace(engine.registry.lookup("MX000"), kinds=(FileKind.KUBERNETES,))]
    result = run_engine(tmp_path, metas)
    assert [(f.path, f.line, f.rule_id) for f in result.findings] == [("k8s/bad.yaml", 4, "MX000")]
    assert [(n.path, n.line, n.message.split(":")[0]) for n in result.notifications] == [
        ("chart/templates/deploy.yaml", 4, "skipped"),
        ("k8s/bad.yaml", 4, "cannot parse YAML"),
    ]
    # In SARIF a deliberate skip is a note; a file that failed to parse is an error.
    assert [n.level for n in result.notifications] == ["note", "error"]


def test_binary_and_oversized_text_files_are_not_read_whole(tmp_path: Path, document_rules) -> None:
    (tmp_path / "libfoo.a").write_bytes(b"!<arch>\n\0\0SECRETWORD\n")
    (tmp_path / "dump.txt").write_text("SECRETWORD\n" + "x" * (engine.MAX_TEXT_BYTES + 1))
    (tmp_path / "notes.txt").write_text("SECRETWORD\n")
    result = run_engine(tmp_path, document_rules)
    assert [(f.path, f.rule_id) for f in result.findings] == [("notes.txt", "MX198")]
    assert [(n.path, n.level) for n in result.notifications] == [("dump.txt", "note")]


def test_files_that_start_with_a_byte_order_mark_are_read_as_their_tools_read_them(tmp_path: Path) -> None:
    bom = "\ufeff"
    files = {
        ".gitignore": f"{bom}.env\n*.key\n",  # git reads past the mark: .env is ignored
        ".env": "MAINTAINX_API_KEY=mx-3f9a1c7e52b84d06a9e1f4c2b7d8e053\n",
        "Dockerfile": f"{bom}FROM python:3.12-slim\nRUN pip install requests\n",
        "deploy/prod.env": f"{bom}MAINTAINX_API_KEY=mx-3f9a1c7e52b84d06a9e1f4c2b7d8e053\n",
        "deploy/pod.yaml": f"{bom}apiVersion: v1\nkind: Pod\nmetadata: {{name: c}}\n"
        "spec:\n  containers: [{name: c, image: x}]\n",
    }
    for relpath, text in files.items():
        (tmp_path / relpath).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relpath).write_text(text, encoding="utf-8")
    result = run_on(tmp_path, select=["MX105", "MX106", "MX601", "MX602", "MX604"])
    assert [(f.rule_id, f.path, f.line, f.column) for f in result.findings] == [
        ("MX601", "Dockerfile", 1, None),
        ("MX602", "Dockerfile", 1, None),
        ("MX604", "deploy/pod.yaml", 5, 17),
        ("MX105", "deploy/prod.env", 1, 1),
    ]


def test_repository_level_findings_point_at_files_that_exist(lint, tmp_path: Path) -> None:
    # No README, no .gitignore, no manifest: code scanning cannot show an alert on a file it lacks.
    client = 'import requests\nrequests.get("https://api.getmaintainx.com/v1/assets", timeout=5)\n'
    result = lint({"app/main.py": client, "deploy/Dockerfile": "FROM python:3.12\nUSER app\n"})
    ids = {finding.rule_id for finding in result.findings}
    assert {"MX106", "MX107", "MX701"} <= ids
    assert all((tmp_path / finding.path).is_file() for finding in result.findings)
    motivated = {f.rule_id: f.path for f in result.findings if f.rule_id in ("MX106", "MX701")}
    assert motivated == {"MX106": "app/main.py", "MX701": "app/main.py"}


def test_a_git_repository_scanned_from_its_parent_is_judged_as_a_project(tmp_path: Path) -> None:
    client = 'import requests\nrequests.get("https://api.getmaintainx.com/v1/assets", timeout=5)\n'
    write_files(tmp_path, {"repo/app/main.py": client, "folder/app/main.py": client})
    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    result = run_on(tmp_path, ["repo", "folder"], select=["MX106", "MX107"])
    # A plain sub-folder is not judged: its .gitignore may live at a root mxlint was not shown.
    assert sorted((f.path, f.rule_id) for f in result.findings) == [
        ("repo/app/main.py", "MX106"),
        ("repo/app/main.py", "MX107"),
    ]
