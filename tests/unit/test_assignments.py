"""The per-format readers of values given to names (analysis/assignments), which MX102 judges."""

from __future__ import annotations

import re

import pytest
import yaml

from mxlint.analysis import assignments
from mxlint.model import FileKind


def wanted(name: str) -> bool:
    return name.upper().startswith("MAINTAINX_")


HINT = re.compile("maintainx", re.IGNORECASE)


def found(items) -> list[tuple[int, int, str, str]]:
    return [(a.line, a.column, a.name, a.value) for a in items]


@pytest.mark.parametrize(
    ("relpath", "kind", "first", "reader"),
    [
        ("app/settings.py", FileKind.PYTHON, "", "python"),
        ("docker-compose.yml", FileKind.YAML, "", "yaml"),
        ("k8s/deploy.yaml", FileKind.KUBERNETES, "", None),  # MX104's
        ("Dockerfile", FileKind.DOCKERFILE, "", None),  # MX103's
        (".env", FileKind.DOTENV, "", None),  # MX105's
        (".devcontainer/devcontainer.json", FileKind.TEXT, "{", "json"),
        ("pyproject.toml", FileKind.TEXT, "", "toml"),
        ("setup.cfg", FileKind.TEXT, "", "ini"),
        ("scripts/deploy.sh", FileKind.TEXT, "", "shell"),
        ("bin/deploy", FileKind.TEXT, "#!/usr/bin/env bash", "shell"),
        ("bin/deploy", FileKind.TEXT, "#!/usr/bin/env python3", None),
        ("README.md", FileKind.TEXT, "# Sync", None),
    ],
)
def test_format_of(relpath: str, kind: FileKind, first: str, reader: str | None) -> None:
    assert assignments.format_of(relpath, kind, first) == reader


def test_python() -> None:
    text = (
        'MAINTAINX_API_KEY: str = "a1"\n'
        'os.environ["MAINTAINX_TOKEN"] = "a2"\n'
        'TOKEN = os.getenv("MAINTAINX_KEY", "a3")\n'
        'client(maintainx_token="a4")\n'
        'HEADERS = f"{MAINTAINX_TOKEN}"\n'
    )
    assert found(assignments.python(text, wanted)) == [
        (1, 26, "MAINTAINX_API_KEY", "a1"),
        (2, 33, "MAINTAINX_TOKEN", "a2"),
        (3, 36, "MAINTAINX_KEY", "a3"),
        (4, 24, "maintainx_token", "a4"),
    ]


def test_json() -> None:
    text = (
        "{\n"
        '\t"env": {"MAINTAINX_TOKEN": "a\\/1"},\n'
        '\t"environment": [{"name": "MAINTAINX_AUTH", "value": "a2"}],\n'
        '\t"required": ["MAINTAINX_TOKEN", "organizationId"]\n'
        "}\n"
    )
    assert found(assignments.json(text, wanted)) == [
        (2, 29, "MAINTAINX_TOKEN", "a/1"),
        (3, 54, "MAINTAINX_AUTH", "a2"),
    ]


def test_yaml() -> None:
    text = (
        "services:\n"
        "  a:\n"
        "    environment:\n"
        '      - "MAINTAINX_TOKEN=a1"\n'
        "      - OTHER=x\n"
        "  b:\n"
        "    environment:\n"
        "      MAINTAINX_TOKEN: a2\n"
        "      MAINTAINX_EMPTY:\n"
        "extraEnv:\n"
        "  - {name: MAINTAINX_AUTH, value: a3}\n"
    )
    documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    assert sorted(found(assignments.yaml(documents, wanted))) == [
        (4, 26, "MAINTAINX_TOKEN", "a1"),
        (8, 24, "MAINTAINX_TOKEN", "a2"),
        (11, 35, "MAINTAINX_AUTH", "a3"),
    ]


def test_toml() -> None:
    lines = [
        "[env]",
        'MAINTAINX_TOKEN = "a1"  # comment',
        "env = { MAINTAINX_AUTH = 'a2' }",
        'tool.MAINTAINX_KEY = "a\\u0033"',
        'args = ["MAINTAINX_TOKEN=a4"]',
        'MAINTAINX_TEXT = """',
        "not = parsed",
    ]
    assert found(assignments.toml(lines, wanted, HINT.search)) == [
        (2, 19, "MAINTAINX_TOKEN", "a1"),
        (3, 26, "MAINTAINX_AUTH", "a2"),
        (4, 22, "MAINTAINX_KEY", "a3"),
        (5, 26, "MAINTAINX_TOKEN", "a4"),
    ]


def test_ini() -> None:
    lines = ["[maintainx]", "MAINTAINX_TOKEN = a1 ; comment", 'maintainx_key: "a2"', "  continued = x"]
    assert found(assignments.ini(lines, wanted)) == [
        (2, 19, "MAINTAINX_TOKEN", "a1"),
        (3, 16, "maintainx_key", "a2"),
    ]


def test_shell() -> None:
    lines = [
        "#!/bin/sh",
        "export MAINTAINX_TOKEN='a1'",
        'docker run -e MAINTAINX_AUTH="a2" app && echo ok',
        'export MAINTAINX_KEY="$(vault read -field=key secret/mx)"',
        'export MAINTAINX_API_KEY="${MAINTAINX_API_KEY:-}"',
        "# export MAINTAINX_TOKEN=a3",
        'echo "MAINTAINX_TOKEN=unclosed',
    ]
    assert found(assignments.shell(lines, wanted, HINT.search)) == [
        (2, 24, "MAINTAINX_TOKEN", "a1"),
        (3, 30, "MAINTAINX_AUTH", "a2"),
    ]
