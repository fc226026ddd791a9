from __future__ import annotations

from pathlib import Path

import pytest

from mxlint import config
from mxlint.config import ConfigError
from mxlint.model import Priority


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_pyproject_table_is_found_from_a_subfolder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.mxlint]\nfail-on = "P0"\nignore = ["MX401"]\n')
    (tmp_path / "src" / "app").mkdir(parents=True)
    loaded = config.discover(tmp_path / "src" / "app")
    assert loaded.fail_on == "P0"
    assert loaded.ignore == ("MX401",)
    assert loaded.source == tmp_path / "pyproject.toml"


def test_pyproject_without_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.mxlint]\nfail-on = "P1"\n')
    (tmp_path / "svc").mkdir()
    write(tmp_path / "svc" / "pyproject.toml", '[project]\nname = "svc"\n')
    assert config.discover(tmp_path / "svc").fail_on == "P1"


def test_dedicated_file_wins_in_the_same_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.mxlint]\nfail-on = "P1"\n')
    write(tmp_path / ".mxlint.toml", 'fail-on = "never"\n')
    assert config.discover(tmp_path).fail_on == "never"


def test_no_configuration_gives_defaults(tmp_path: Path) -> None:
    assert config.discover(tmp_path) == config.Config()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('fail_on = "P0"\n', "unknown configuration key 'fail_on'"),
        ('[maintainx]\nbase_url = ["x"]\n', "unknown configuration key 'maintainx.base_url'"),
        ('fail-on = "P5"\n', "'fail-on' must be one of P0, P1, P2, never"),
        ('select = ["MX999"]\n', "unknown rule selector 'MX999'"),
        ('[priority]\nMX401 = "high"\n', "'priority.MX401' must be P0, P1 or P2"),
        ("select = [\n", "is not valid TOML"),
        (
            '[maintainx]\naudit-functions = ["acme audit"]\n',
            "'maintainx.audit-functions': 'acme audit' is not",
        ),
        (
            '[maintainx]\nstate-stores = "x-y"\n',
            "'maintainx.state-stores': 'x-y' is not a dotted Python name",
        ),
        ('[web]\nhealth_paths = ["/ping"]\n', "unknown configuration key 'web.health_paths'"),
        ('[web]\nhealth-paths = "ping"\n', "'web.health-paths': 'ping' must start with '/'"),
        ("[web]\nvalidators = [1]\n", "'web.validators' must be a list of strings"),
        (
            '[web]\nvalidators = ["acme schemas"]\n',
            "'web.validators': 'acme schemas' is not a dotted Python name",
        ),
    ],
)
def test_bad_configuration_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=None) as caught:
        config.load_file(write(tmp_path / ".mxlint.toml", text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unknown_key_in_pyproject_names_the_table(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"'tool\.mxlint\.selekt'"):
        config.load_file(write(tmp_path / "pyproject.toml", '[tool.mxlint]\nselekt = ["P0"]\n'))


def test_explicit_config_with_a_tool_mxlint_table_is_read_as_a_pyproject(tmp_path: Path) -> None:
    loaded = config.load_file(write(tmp_path / "lint.toml", '[tool.mxlint]\nfail-on = "P0"\n'))
    assert loaded.fail_on == "P0"
    with pytest.raises(ConfigError, match=r"'tool\.mxlint\.selekt'"):
        config.load_file(write(tmp_path / "ci.toml", '[tool.mxlint]\nselekt = ["P0"]\n'))
    with pytest.raises(ConfigError, match=r"has no \[tool\.mxlint\] table"):
        config.load_file(write(tmp_path / "other.toml", "[tool.black]\nline-length = 100\n"))


def test_all_keys(tmp_path: Path) -> None:
    loaded = config.load_file(
        write(
            tmp_path / ".mxlint.toml",
            """
select = ["P0", "MX401"]
ignore = ["print-instead-of-logging"]
fail-on = "P1"
exclude = ["legacy/**"]
[per-file-ignores]
"scripts/*.py" = ["MX401"]
[priority]
print-instead-of-logging = "P2"
[maintainx]
base-urls = ["maintainx-proxy.internal"]
clients = ["acme.mx.Client"]
audit-functions = ["acme.audit.record_change"]
state-stores = ["acme.state.remember"]
""",
        )
    )
    assert loaded.settings.audit_functions == ("acme.audit.record_change",)
    assert loaded.settings.state_stores == ("acme.state.remember",)
    assert loaded.priority == (("MX401", Priority.P2),)
    assert loaded.per_file_ignores == (("scripts/*.py", ("MX401",)),)
    assert loaded.settings.maintainx_base_urls == ("getmaintainx.com", "maintainx-proxy.internal")
    assert loaded.settings.maintainx_clients == ("acme.mx.Client",)
    assert loaded.exclude == ("legacy/**",)


def test_web_keys(tmp_path: Path) -> None:
    loaded = config.load_file(
        write(
            tmp_path / "pyproject.toml",
            """
[tool.mxlint.web]
webhook-paths = ["/hooks/mx/*"]
signature-verifiers = ["acme.hooks.verify"]
dedupe-functions = ["acme.store.first_delivery"]
validators = ["acme.schemas.parse_event"]
health-paths = ["/ping"]
readiness-paths = ["/status/*"]
metrics-modules = ["acme.metrics"]
""",
        )
    )
    web = loaded.settings.web
    assert web.webhook_paths == ("/hooks/mx/*",)
    assert web.signature_verifiers == ("acme.hooks.verify",)
    assert web.dedupe_functions == ("acme.store.first_delivery",)
    assert web.validators == ("acme.schemas.parse_event",)
    assert web.health_paths == ("/ping",) and web.readiness_paths == ("/status/*",)
    assert web.metrics_modules == ("acme.metrics",)
    assert loaded.settings.maintainx_base_urls == ("getmaintainx.com",)


def test_resilience_wrappers(tmp_path: Path) -> None:
    loaded = config.load_file(
        write(
            tmp_path / ".mxlint.toml",
            """
[resilience]
retry-policies = ["acme.http.with_retries"]
circuit-breakers = ["acme.http.Breaker"]
rate-limiters = ["acme.http.throttled"]
caches = ["acme.cache.memoize"]
""",
        )
    )
    assert loaded.settings.retry_policies == ("acme.http.with_retries",)
    assert loaded.settings.circuit_breakers == ("acme.http.Breaker",)
    assert loaded.settings.rate_limiters == ("acme.http.throttled",)
    assert loaded.settings.caches == ("acme.cache.memoize",)
    assert loaded.settings.maintainx_base_urls == ("getmaintainx.com",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[resilience]\nretry = ["x"]\n', "unknown configuration key 'resilience.retry'"),
        ('[resilience]\ncaches = "a b"\n', "'resilience.caches': 'a b' is not a dotted Python name"),
        ("[resilience]\nrate-limiters = 3\n", "'resilience.rate-limiters' must be a list of strings"),
    ],
)
def test_bad_resilience_configuration(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config.load_file(write(tmp_path / ".mxlint.toml", text))
    assert message in str(caught.value)


def test_http_table(tmp_path: Path) -> None:
    loaded = config.load_file(write(tmp_path / ".mxlint.toml", "[http]\ntrust-injected-sessions = true\n"))
    assert loaded.settings.trust_injected_sessions is True
    with pytest.raises(ConfigError, match=r"'http\.trust-injected-sessions' must be true or false"):
        config.load_file(write(tmp_path / ".mxlint.toml", '[http]\ntrust-injected-sessions = "yes"\n'))
    with pytest.raises(ConfigError, match=r"unknown configuration key 'http\.timeouts'"):
        config.load_file(write(tmp_path / ".mxlint.toml", "[http]\ntimeouts = 1\n"))
