"""Planted secrets are found in every kind of file, and no output format ever prints their values."""

from __future__ import annotations

from pathlib import Path

import pytest

from mxlint.analysis import secrets
from mxlint.reporters import REPORTERS
from mxlint.sources import dotenv

from ..conftest import run_on, write_files

# Fake credentials; each appears in exactly one planted file. A fragment is enough to leak a secret,
# so the test also looks for the middle of each value.
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJvcmciOjcsInBsYW50ZWQiOnRydWV9.c2lnbmF0dXJlLW9mLWEtcGxhbnRlZC10ZXN0"
AWS = "AKIA" + "Q7R3MXLINTFAKE42"  # split so the source holds no contiguous key
PLANTED = {
    "python": "PyKeyword-Pass-2024x",
    "bearer": "b7e4c1a9f2d8306e5a7c9b1d4f8e2a6c0d3b5f71",
    "maintainx": "mx-1f2e3d4c5b6a79880a1b2c3d4e5f6071",
    "dotenv": "mx-env-9a8b7c6d5e4f30211f2e3d4c5b6a7988",
    "yaml": "yaml-Secret-Value-2024",
    "jwt-manifest": JWT,
    "aws-dockerfile": AWS,
    "text": "c9d8e7f6a5b40312c9d8e7f6a5b40312c9d8e7f6",
    "precommit": "ghp_" + "R4nd0mT0k3nF0rT3sts0nly0123456789abc",
    "gitignore": "sk_live_" + "51HfakeTokenForTests0001",
    "compose": "Unit7estMxTok1021qrstUVWX",
    "workflow": "Unit7estMxTok1023qrstUVWX",
    "json": "Unit7estMxTok1024qrstUVWX",
    "toml": "Unit7estMxTok1026qrstUVWX",
    "shell": "Unit7estMxTok1029qrstUVWX",
    "dockerfile-bearer": "Unit7estBearer1016mnoPQR",
    "configmap-bearer": "Unit7estBearer1017mnoPQR",
    "dotenv-bearer": "Unit7estBearer1019mnoPQR",
}

FILES = {
    "requirements.txt": "requests==2.32.3\n",
    "app/settings.py": (
        "import os\n\n"
        f'DB_PASSWORD = "{PLANTED["python"]}"\n'
        f'HEADERS = {{"Authorization": "Bearer {PLANTED["bearer"]}"}}\n'
        f'os.environ.setdefault("MAINTAINX_API_KEY", "{PLANTED["maintainx"]}")\n'
    ),
    ".env": f"MAINTAINX_API_KEY={PLANTED['dotenv']}\n",
    "config/app.yaml": f'erp:\n  password: "{PLANTED["yaml"]}"\n',
    "k8s/deployment.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: sync\n"
        "spec:\n  template:\n    metadata:\n"
        f"      annotations:\n        debug-token: {PLANTED['jwt-manifest']}\n"
    ),
    "Dockerfile": (
        f"FROM python:3.12-slim\nRUN echo {PLANTED['aws-dockerfile']} > /dev/null\n"
        f'RUN curl -H "Authorization: Bearer {PLANTED["dockerfile-bearer"]}" https://api.getmaintainx.com\n'
    ),
    "docker-compose.yml": (
        f"services:\n  sync:\n    environment:\n      - MAINTAINX_TOKEN={PLANTED['compose']}\n"
    ),
    ".github/workflows/sync.yml": (
        f"on: push\njobs:\n  sync:\n    env:\n      MAINTAINX_TOKEN: {PLANTED['workflow']}\n"
    ),
    "config/app.json": f'{{"env": {{"MAINTAINX_TOKEN": "{PLANTED["json"]}"}}}}\n',
    "pyproject.toml": f'[tool.sync.env]\nMAINTAINX_TOKEN = "{PLANTED["toml"]}"\n',
    "scripts/deploy.sh": f"#!/bin/sh\nexport MAINTAINX_TOKEN={PLANTED['shell']}\n",
    "k8s/proxy.yaml": (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: proxy\ndata:\n  nginx.conf: |\n"
        f'    proxy_set_header Authorization "Bearer {PLANTED["configmap-bearer"]}";\n'
    ),
    "deploy/bearer.env": f"AUTHORIZATION=Bearer {PLANTED['dotenv-bearer']}\n",
    "docs/api.http": (
        f"GET https://api.getmaintainx.com/v1/users\nAuthorization: Bearer {PLANTED['text']}\n"
    ),
    ".pre-commit-config.yaml": (
        "repos:\n  - repo: local\n    hooks:\n      - id: notify\n"
        f"        entry: notify --token {PLANTED['precommit']}\n        language: system\n"
    ),
    ".gitignore": f".venv/\n# stripe test: {PLANTED['gitignore']}\n",
}
EXPECTED = {
    ("app/settings.py", 3, "MX101"),
    ("app/settings.py", 4, "MX102"),
    ("app/settings.py", 5, "MX102"),
    (".env", 1, "MX105"),
    ("config/app.yaml", 2, "MX101"),
    ("k8s/deployment.yaml", 9, "MX101"),
    ("Dockerfile", 2, "MX101"),
    ("Dockerfile", 3, "MX102"),
    ("docker-compose.yml", 4, "MX102"),
    (".github/workflows/sync.yml", 5, "MX102"),
    ("config/app.json", 1, "MX102"),
    ("pyproject.toml", 2, "MX102"),
    ("scripts/deploy.sh", 2, "MX102"),
    ("k8s/proxy.yaml", 7, "MX102"),
    ("deploy/bearer.env", 1, "MX102"),
    ("docs/api.http", 2, "MX102"),
    (".pre-commit-config.yaml", 5, "MX101"),
    (".gitignore", 2, "MX101"),
}


def _fragments(value: str) -> list[str]:
    middle = len(value) // 2
    return [value, value[middle - 5 : middle + 5]]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("planted")
    write_files(root, FILES)
    return root, run_on(root, select=["MX101", "MX102", "MX105", "MX106", "MX107"])


def test_every_planted_secret_is_found(planted) -> None:
    _, result = planted
    found = {(f.path, f.line, f.rule_id) for f in result.findings}
    assert sorted(EXPECTED - found) == []


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_no_output_format_prints_a_planted_value(planted, fmt: str) -> None:
    _, result = planted
    rendered = REPORTERS[fmt](result)
    assert result.findings
    for name, value in PLANTED.items():
        for fragment in _fragments(value):
            assert fragment not in rendered, f"{fmt} output contains the planted {name} secret"


def test_messages_carry_the_type_not_the_value(planted) -> None:
    _, result = planted
    messages = {f.message for f in result.findings if f.rule_id == "MX101"}
    assert any("JSON Web Token" in message for message in messages)
    assert any("AWS Access Key" in message for message in messages)


def test_suppressions(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "a.py": (
                'DB_PASSWORD = "Winter-2024-erp!"  # pragma: allowlist secret\n'
                'ERP_PASSWORD = "Summer-2024-erp!"  # mxlint: ignore[MX101] local database\n'
                "# pragma: allowlist nextline secret\n"
                'API_PASSWORD = "Autumn-2024-erp!"\n'
            )
        },
    )
    result = run_on(tmp_path, select=["MX101"])
    assert [f.line for f in result.findings] == []
    assert [f.line for f in result.suppressed] == [2]


def test_the_allowlist_pragma_quiets_mx101_and_mx102(tmp_path: Path) -> None:
    # The pragma silences MX101 (detect-secrets' filter); MX102 must not then take the line for one
    # detect-secrets missed.
    write_files(
        tmp_path,
        {
            "a.py": (
                'H1 = {"Authorization": "Bearer Pl4ntedBearer0101xyzQRST"}  # pragma: allowlist secret\n'
                'MAINTAINX_API_KEY = "Pl4ntedMxKey0103abcdEFGH"  # pragma: allowlist secret\n'
                "# pragma: allowlist nextline secret\n"
                'MAINTAINX_TOKEN = "Pl4ntedMxKey0104abcdEFGH"\n'
            ),
            "docs/api.md": (
                "curl -H 'Authorization: Bearer Pl4ntedBearer0105xyzQRST' <!-- pragma: allowlist secret -->\n"
            ),
        },
    )
    result = run_on(tmp_path, select=["MX101", "MX102"])
    assert [(f.path, f.line, f.rule_id) for f in [*result.findings, *result.suppressed]] == []


def test_binary_and_huge_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "blob.dat").write_bytes(b"\0\1" + f"password = '{PLANTED['python']}'".encode())
    (tmp_path / "dump.sql").write_text(f"-- password = '{PLANTED['python']}'\n" + "x" * (1024 * 1024))
    (tmp_path / "package-lock.json").write_text(f'{{"password": "{PLANTED["python"]}"}}\n')
    assert run_on(tmp_path, select=["MX101"]).findings == []


def test_dotenv_syntax() -> None:
    lines = [
        "# comment",
        "export MAINTAINX_API_KEY = 'single # not a comment'",
        'MULTI="first',
        'second" # trailing',
        "PLAIN=value # comment",
        "EMPTY=",
        "not an assignment",
        "KEY_ONLY",
    ]
    entries = {entry.key: entry for entry in dotenv.parse(lines)}
    assert entries["MAINTAINX_API_KEY"].value == "single # not a comment"
    assert entries["MAINTAINX_API_KEY"].line == 2
    assert entries["MULTI"].value == "first\nsecond"
    assert entries["PLAIN"].value == "value"
    assert entries["EMPTY"].value == ""
    assert set(entries) == {"MAINTAINX_API_KEY", "MULTI", "PLAIN", "EMPTY"}


@pytest.mark.parametrize(
    ("name", "key_like"),
    [
        ("MAINTAINX_API_KEY", True),
        ("MAINTAINX_TOKEN", True),
        ("ERP_PASSWORD", True),
        ("WEBHOOK_SECRET", True),
        ("STRIPE_API_KEY", True),
        ("MAINTAINX_BASE_URL", False),
        ("MAINTAINX_ORG_ID", False),
        ("MAINTAINX_TOKEN_FILE", False),
        ("SECRET_NAME", False),
        ("LOG_LEVEL", False),
        ("apiToken", True),
        ("api-key", True),
        ("MAINTAINX_KEY", True),
        ("MAINTAINX_AUTH", True),
        ("MAINTAINX_SYNC_MODE", False),
        ("TOKENIZERS_PARALLELISM", False),
        ("tokenUrl", False),
        ("SECRETS_DIR", False),
    ],
)
def test_key_like_names(name: str, key_like: bool) -> None:
    assert secrets.is_key_like(name) is key_like


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("mx-3f9a1c7e52b84d06", True),
        ("Winter-2024-erp!", True),
        ("", False),
        ("changeme", False),
        ("<token>", False),
        ("${MAINTAINX_API_KEY}", False),
        ("prefix-$TOKEN", False),
        ("xxx", False),
        ("your-api-key", False),
        # placeholder words inside a value, and AWS's documented example keys
        ("ghp_your_token_here", False),
        ("xoxb-your-bot-token", False),
        ("super-secret-jwt-key-change-in-production", False),
        ("django-insecure-change-me", False),
        ("please-change-this-secret-key", False),
        ("AKIAIOSFODNN7EXAMPLE", False),
        ("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", False),
        ("Exchange-2024-erp!", True),
        ("Yourway-77-Kx9!", True),
        ("3600", False),
        ("https://api.getmaintainx.com/v1", False),
        ("https://user:pass@erp.example.com", True),
        # A secret manager's reference to the credential, not the credential.
        ("projects/acme/secrets/maintainx-api-key/versions/latest", False),
        ("projects/123456789/secrets/mx-token", False),
        ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/maintainx-AbCdEf", False),
        ("arn:aws:ssm:eu-west-1:123456789012:parameter/maintainx/token", False),
        ("@Microsoft.KeyVault(SecretUri=https://acme-kv.vault.azure.net/secrets/maintainx-api-key/)", False),
        ("@Microsoft.KeyVault(VaultName=acme-kv;SecretName=maintainx-api-key)", False),
        ("vault:secret/data/maintainx#api_key", False),
        ("projects/aB3dE5gH7jK9mN1pQ3", True),
        ("arn:aB3dE5gH7jK9mN1pQ3", True),
    ],
)
def test_literal_values(value: str, literal: bool) -> None:
    assert secrets.is_literal_secret(value) is literal


@pytest.mark.parametrize(
    ("name", "value", "credential"),
    [
        ("ERP_API_KEY", "", False),
        ("ERP_API_KEY", "$(OTHER)", False),
        ("ERP_API_KEY", "${KEY}", False),
        ("DB_PASSWORD", "200", False),
        ("WEBHOOK_SECRET", "true", False),
        ("DB_PASSWORD", "hunter2", True),
        ("dbPassword", "hunter2", True),
        ("MAINTAINX_API_KEY", "mx-abc", True),
        ("MAINTAINX_KEY", "mx_0123456789abcdefghij", True),
        ("MAINTAINX_KEY", "eyJhbGciOiJIUzI1NiJ9.e30.abc", True),
        ("MAINTAINX_WEBHOOK_SECRET", "whsec-4f1c9a7e2b", True),
        ("VAULT_SECRET_ID", "4f1c9a7e-2b11", True),
        # MAINTAINX_* settings: a credential only when the value looks generated
        ("MAINTAINX_LOG_LEVEL", "debug", False),
        ("MAINTAINX_ENVIRONMENT", "production-us-east-1", False),
        ("MAINTAINX_SYNC_MODE", "incremental", False),
        ("MAINTAINX_USER_AGENT", "acme-sync/1.0", False),
        ("MAINTAINX_DEFAULT_PRIORITY", "HIGH", False),
        ("MAINTAINX_WEBHOOK_EVENTS", "workorder.created,workorder.updated", False),
        ("MAINTAINX_SETTING", "mx_0123456789abcdefghij", True),
        ("MAINTAINX_ENDPOINT", "https://api.getmaintainx.com/v1", False),
        ("MAINTAINX_ORG_ID", "12345678", False),
        ("LOG_LEVEL", "0123456789abcdefghij", False),
        # names about a credential: its lifetime, where it lives, how it is used
        ("TOKEN_TTL", "1h", False),
        ("TOKEN_TTL_SECONDS", "3600", False),
        ("MAX_TOKENS", "4096", False),
        ("SECRET_ROTATION_DAYS", "90", False),
        ("TOKEN_AUDIENCE", "https://api.getmaintainx.com", False),
        ("SECRETS_BACKEND", "vault", False),
        ("PASSWORD_HASHER", "argon2", False),
        ("SECRET_VERSION", "latest", False),
        ("SECRET_MANAGER_PROJECT", "acme-prod", False),
        ("TOKEN_ENDPOINT_AUTH_METHOD", "client_secret_post", False),
        ("DB_PASSWORD_SECRET_REF", "projects/acme/secrets/db/versions/latest", False),
        ("existingSecret", "maintainx-api-key", False),
        ("secretName", "maintainx-credentials", False),
        # values that are no literal: templates, elided examples, encrypted, a variable's name
        ("API_TOKEN", "{{ api_token }}", False),
        ("MAINTAINX_WEBHOOK_SECRET", "whsec_...", False),
        ("MAINTAINX_API_KEY", "mx_live_XXXXXXXXXXXX", False),
        ("DB_PASSWORD", "ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:2=,type:str]", False),
        ("MAINTAINX_API_KEY", "MAINTAINX_API_KEY_PROD", False),
        # a credential-named variable that points at a file holds a path
        ("GOOGLE_APPLICATION_CREDENTIALS", "/var/secrets/google/key.json", False),
        ("SSL_PRIVATE_KEY", "/etc/ssl/private/tls.key", False),
        ("GOOGLE_APPLICATION_CREDENTIALS", "./service-account.json", False),
        ("MAINTAINX_API_KEY", "abc/def+ghi==", True),
        ("MAINTAINX_API_KEY", "/9j/4AAQSkZJRgABAQAAAQABAAD", True),
    ],
)
def test_credential_assignments(name: str, value: str, credential: bool) -> None:
    assert secrets.is_credential_assignment(name, value) is credential


@pytest.mark.parametrize(
    "value",
    [
        "/var/secrets/google/key.json",
        "/etc/ssl/private/tls.key",
        "/mnt/secrets/",
        "/run/secrets/MaintainX2",
        "./service-account.json",
        "../certs/client.pem",
        "~/.config/gcloud/application_default_credentials.json",
        "C:\\secrets\\key.json",
        "service-account.json",
        "my-project-1a2b3c4d5e6f.json",
        "certs/tls.pem",
    ],
)
def test_paths(value: str) -> None:
    assert secrets.looks_like_path(value)
    assert not secrets.is_literal_secret(value)


@pytest.mark.parametrize(
    "value",
    [
        "abc/def+ghi==",  # base64: `+` and `=` are not in file names
        "/9j/4AAQSkZJRgABAQAAAQABAAD",  # base64 that starts with `/`: a random run
        "/Xk3/mP9q/R2sT/vW8yZ1aB",  # short random runs, no part reads as a name
        "mx-3f9a1c7e52b84d06",
        "eyJhbGciOiJIUzI1NiJ9.e30.abc",
        "Winter-2024-erp!",
        "secrets/key",  # no root and no key-file extension
        "/",
        "./",
    ],
)
def test_not_paths(value: str) -> None:
    assert not secrets.looks_like_path(value)


def test_a_service_in_a_monorepo_inherits_the_repository_files(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            ".gitignore": ".env\n*.key\n",
            ".pre-commit-config.yaml": (
                "repos:\n  - repo: https://github.com/gitleaks/gitleaks\n    rev: v8.21.2\n"
                "    hooks:\n      - id: gitleaks\n"
            ),
            "pyproject.toml": "[project]\nname = 'platform'\n",
            "services/sync/requirements.txt": "requests\n",
            "services/sync/app.py": "print('sync')\n",
            "services/erp/requirements.txt": "requests\n",
            "services/erp/.gitignore": "!.env\n",  # re-includes what the repository ignores
        },
    )
    found = {(f.path, f.rule_id) for f in run_on(tmp_path, select=["MX106", "MX107"]).findings}
    assert found == {("services/erp/.gitignore", "MX106")}


def test_a_folder_the_repository_excludes_keeps_its_env_file_ignored(tmp_path: Path) -> None:
    # git cannot re-include a file below an excluded folder, whichever .gitignore tries.
    write_files(
        tmp_path,
        {
            ".gitignore": "/.env\n*.key\nservices/erp/config/\n",
            "pyproject.toml": "[project]\nname = 'platform'\n",
            "services/erp/requirements.txt": "requests\n",
            "services/erp/.gitignore": "/.env\n!config/.env\n",
        },
    )
    found = {(f.path, f.rule_id) for f in run_on(tmp_path, select=["MX106"]).findings}
    assert found == {(".gitignore", "MX106")}  # the root's own config/.env is not ignored


def test_a_secret_detect_secrets_reports_is_reported_once(tmp_path: Path) -> None:
    write_files(tmp_path, {"settings.py": f'MAINTAINX_API_KEY = "{JWT}"\n'})
    found = [(f.rule_id, f.line) for f in run_on(tmp_path, select=["MX101", "MX102"]).findings]
    assert found == [("MX101", 1)]


def test_an_unparsable_precommit_config_is_mx000_not_mx107(tmp_path: Path) -> None:
    write_files(tmp_path, {".pre-commit-config.yaml": "repos: [\n", "app.py": "x = 1\n"})
    found = {(f.path, f.rule_id) for f in run_on(tmp_path, select=["MX107"]).findings}
    assert found == {(".pre-commit-config.yaml", "MX000")}


def test_the_line_prefilter_keeps_every_line_a_plugin_can_match() -> None:
    import re

    from detect_secrets.plugins import keyword
    from detect_secrets.settings import get_plugins

    from mxlint.checks.text import hardcoded_secret

    hardcoded_secret._configure()
    patterns = [p for plugin in get_plugins() for p in getattr(plugin, "denylist", None) or ()]
    patterns.append(re.compile("|".join(keyword.DENYLIST), re.IGNORECASE))
    lines = [line for content in FILES.values() for line in content.splitlines()]
    lines += [
        "url = 'https://user:" + "a" * 64 + "@acct.cloudant.com'",
        "ibm_cloud_iam_key = '" + "b" * 44 + "'",
        "MAILCHIMP = '" + "c" * 32 + "-us12'",
        "bot 123456789:" + "D" * 35,
        "plain code without anything = 1",
    ]
    brute = {number for number, line in enumerate(lines, 1) if any(p.search(line) for p in patterns)}
    assert brute <= set(hardcoded_secret._candidate_lines(lines))
    assert len(lines) not in hardcoded_secret._candidate_lines(lines)
