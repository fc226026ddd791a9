"""Dockerfile word processing (``sources.dockerfile``) and the Dockerfile rules' edge cases."""

from __future__ import annotations

import pytest

from mxlint.analysis.paths import is_dev_image_path
from mxlint.sources.dockerfile import assignments, expand, parse, words

SCOPE = {"APP": "app", "EMPTY": "", "UNSET": None}


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("$APP", "app"),
        ("${APP}", "app"),
        ("${APP}:${APP}", "app:app"),
        ('"$APP"', "app"),
        ("'$APP'", "$APP"),  # single quotes are literal
        ("\\$APP", "$APP"),  # an escaped $ is literal
        ("$UNSET", ""),  # declared without a value: unset, expands to nothing
        ("${UNSET:-root}", "root"),
        ("${UNSET-root}", "root"),
        ("${EMPTY:-root}", "root"),
        ("${EMPTY-root}", ""),  # without the colon a set-but-empty value is kept
        ("${APP:+x}", "x"),
        ("${UNSET:+x}", ""),
        ("${OTHER}", None),  # unknown: the base image may set it
        ("${OTHER:-root}", None),
        ("${APP#a}", None),  # pattern operators are not evaluated
        ("a$", "a$"),
    ],
)
def test_expand(word: str, value: str | None) -> None:
    assert expand(word, SCOPE).value == value


def test_words_keep_quotes_and_split_outside_them() -> None:
    assert words("A=1  B=\"x y\" C='a b' D=a\\ b") == ["A=1", 'B="x y"', "C='a b'", "D=a\\ b"]


def test_assignments_of_both_env_forms_and_arg() -> None:
    dockerfile = parse(b'FROM x\nENV A=1 B="2 3"\nENV LEGACY some value\nARG Q R=1\n')
    assert [assignments(i) for i in dockerfile.stages[0].instructions] == [
        [("A", "1"), ("B", '"2 3"')],
        [("LEGACY", "some value")],
        [("Q", None), ("R", "1")],
    ]


def test_global_args_and_stage_parents() -> None:
    dockerfile = parse(
        b"ARG BASE=python:3.12\nARG STAGE=deps\nFROM ${BASE} AS Deps\nFROM $STAGE\nFROM build\n"
    )
    assert dockerfile.global_args == {"BASE": "python:3.12", "STAGE": "deps"}
    first, second, third = dockerfile.stages
    assert dockerfile.parent(first) is None
    assert dockerfile.parent(second) is first  # aliases are case-insensitive
    assert dockerfile.parent(third) is None  # no earlier stage called build: an image


def _findings(lint, text: str, rule_id: str) -> list[tuple[int, str]]:
    result = lint({"Dockerfile": text}, select=[rule_id])
    return [(f.line, f.message) for f in result.findings if f.rule_id == rule_id]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("FROM python\nUSER root:root\n", [2]),
        ("FROM python\nUSER 00\n", [2]),
        ('FROM python\nUSER "root"\n', [2]),
        ("FROM python\nUSER ROOT\n", []),  # user names are case-sensitive: not root
        ("FROM python\nENV A=root\nUSER $A:$A\n", [3]),
        ("FROM python AS a\nENV A=root\nFROM a\nARG A=app\nUSER $A\n", [5]),  # ENV wins over ARG
        ("FROM python AS a\nARG A=root\nFROM a\nUSER ${A:-app}\n", []),  # ARGs are not inherited
        ("ARG U=root\nFROM python\nUSER ${U:-app}\n", []),  # a global ARG needs re-declaring
        ("ARG U=root\nFROM python\nARG U\nUSER $U\n", [4]),
        ("FROM python\nENV A=root\nENV A=app B=$A\nUSER $B\n", [4]),  # pairs on one line see the old scope
        ("FROM python\nUSER $FROM_BASE_IMAGE\n", []),  # unknown: not guessed
        ("FROM gcr.io/distroless/static-debian12:debug-nonroot@sha256:0123\n", []),
        ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nUSER ContainerAdministrator\n", [2]),
        ("FROM python AS a\nUSER app\nFROM a AS b\nFROM b\n", []),  # inherited transitively
        ("FROM python AS a\nUSER root\nFROM a AS b\nUSER app\nFROM b\nUSER root\nUSER 10001\n", []),
        ("FROM python AS a\nUSER app\nFROM python\n", [3]),
        ("# no FROM at all\n", []),
        ("ARG BASE\nFROM ${BASE}\n", []),  # the image comes from --build-arg: unknown
    ],
)
def test_runs_as_root(lint, text: str, lines: list[int]) -> None:
    assert [line for line, _ in _findings(lint, text, "MX602")] == lines


def test_suppression_on_the_from_line(lint) -> None:
    text = "# mxlint: ignore[MX602] the vendor image runs as 1001\nFROM vendor/python-runtime:3.12\n"
    result = lint({"Dockerfile": text}, select=["MX602"])
    assert result.findings == []
    assert [(f.rule_id, f.line, f.justification) for f in result.suppressed] == [
        ("MX602", 2, "the vendor image runs as 1001")
    ]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("FROM python\nRUN make\n", [1]),
        ("FROM scratch\nCOPY app /app\n", []),  # runs nothing
        ("FROM python AS a\nRUN make\nFROM a AS b\nFROM b\n", [4]),  # a chain: nothing left behind
        ("FROM python AS a\nRUN make\nFROM python\nCOPY --from=a /x /x\n", []),
        ("FROM python AS base\nFROM base AS build\nRUN make\nFROM base\n", []),
    ],
)
def test_single_stage(lint, text: str, lines: list[int]) -> None:
    assert [line for line, _ in _findings(lint, text, "MX601")] == lines


@pytest.mark.parametrize(
    ("text", "positions"),
    [
        ("FROM x\nENV A=1 \\\n    # MAINTAINX_API_KEY=old\n    MAINTAINX_API_KEY='k 1' B=2\n", [(4, 5)]),
        ("FROM x\nENV DB_PASSWORD hunter2 with spaces\n", [(2, 5)]),
        ("ARG NPM_TOKEN=abc VAULT_SECRET_ID=s\nFROM x\n", [(1, 5), (1, 19)]),
        ("FROM x\nENV PASSWORD=${P}x TOKEN_FILE=/x SECRET_KEY=${P:-} API_KEY=\n", []),
        ("FROM x\nENV DB_SECRET_FILE=/run/secrets/db CLIENT_SECRET_NAME=erp AUTH_TOKEN_TTL=3600\n", []),
        ('FROM x\nENV SECRET_KEY="${K:-insecure}"\n', [(2, 5)]),
        ("FROM x\nENV MAINTAINX_LOG_LEVEL=info MAINTAINX_AUTH=abc USE_TOKEN_AUTH=true\n", [(2, 30)]),
        ("FROM x\nONBUILD ENV ERP_PASSWORD=hunter2\n", [(2, 13)]),
        ("FROM x\nENV ERP_PASSWORD=<set-me> GITHUB_TOKEN=xxxx SIGNING_SECRET='***'\n", []),
    ],
)
def test_secret_in_env(lint, text: str, positions: list[tuple[int, int]]) -> None:
    result = lint({"Dockerfile": text}, select=["MX103"])
    assert [(f.line, f.column) for f in result.findings] == positions
    for finding in result.findings:
        assert not any(value in finding.message for value in ("k 1", "hunter2", "abc", "insecure"))


def test_heredoc_bodies_are_not_instructions() -> None:
    text = (
        "FROM python\nRUN <<EOF\nset -e\nenv API_TOKEN=abc ./configure\nUSER root\nEOF\n"
        'COPY <<-"CFG" /app/app.cfg\n\tuser = root\n\tCFG\nRUN echo "<<NOT_A_HEREDOC"\nUSER app\n'
    )
    dockerfile = parse(text.encode())
    assert [(i.keyword, i.line, i.end_line) for i in dockerfile.instructions] == [
        ("FROM", 1, 1),
        ("RUN", 2, 6),
        ("COPY", 7, 9),
        ("RUN", 10, 10),
        ("USER", 11, 11),
    ]


@pytest.mark.parametrize(
    ("relpath", "dev_only"),
    [
        (".devcontainer/Dockerfile", True),
        ("tests/integration/Dockerfile", True),
        ("Dockerfile.dev", True),
        ("docker/Containerfile.test", True),
        ("ci.Dockerfile", True),
        ("Dockerfile", False),
        ("Dockerfile.prod", False),
        ("deploy/api.Dockerfile", False),
        ("devtools/Dockerfile", False),
    ],
)
def test_images_for_development_only(relpath: str, dev_only: bool) -> None:
    assert is_dev_image_path(relpath) is dev_only
