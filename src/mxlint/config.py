"""Configuration: ``[tool.mxlint]`` in ``pyproject.toml`` or the same keys at the top of ``.mxlint.toml``.

Unknown keys are errors (exit 2) that name the key, so a typo never silently disables a policy.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from mxlint import registry
from mxlint.model import Priority

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

CONFIG_FILE = ".mxlint.toml"
PYPROJECT = "pyproject.toml"
FAIL_ON_CHOICES = ("P0", "P1", "P2", "never")


class ConfigError(Exception):
    """The configuration cannot be used; the message is one line meant for the user."""


@dataclass(frozen=True)
class WebSettings:
    """``[tool.mxlint.web]``: what the web-service rules (MX111, MX302, MX303, MX404-MX406) cannot see."""

    webhook_paths: tuple[str, ...] = ()  # route path globs that receive MaintainX webhooks
    signature_verifiers: tuple[str, ...] = ()  # functions that verify the signature and its timestamp
    dedupe_functions: tuple[str, ...] = ()  # functions that record or check a webhook dedupe key
    validators: tuple[str, ...] = ()  # functions that validate a request body against a schema
    health_paths: tuple[str, ...] = ()  # extra route paths that count as a health (liveness) route
    readiness_paths: tuple[str, ...] = ()  # extra route paths that count as a readiness route
    metrics_modules: tuple[str, ...] = ()  # extra modules whose import counts as a metrics library


@dataclass(frozen=True)
class Settings:
    """What rules may read at run time. Small and picklable: it travels to every worker process."""

    maintainx_base_urls: tuple[str, ...] = ("getmaintainx.com",)
    maintainx_clients: tuple[str, ...] = ()
    # [tool.mxlint.resilience]: dotted names of the project's own wrappers that mxlint cannot see into.
    retry_policies: tuple[str, ...] = ()
    circuit_breakers: tuple[str, ...] = ()
    rate_limiters: tuple[str, ...] = ()
    caches: tuple[str, ...] = ()
    web: WebSettings = field(default_factory=WebSettings)
    audit_functions: tuple[str, ...] = ()  # calls that record a write (MX112), by dotted name
    state_stores: tuple[str, ...] = ()  # calls that persist sync state handed to them (MX304)
    # [tool.mxlint.http]: a session known only by its annotation was built elsewhere with a default
    # timeout (a mounted adapter, a subclass), so MX201 does not ask its calls for one.
    trust_injected_sessions: bool = False

    @staticmethod
    def short_names(names: tuple[str, ...]) -> frozenset[str]:
        """The last component of dotted names: how calls of configured helpers are matched."""
        return frozenset(name.rsplit(".", 1)[-1] for name in names)


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str = "P2"
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    priority: tuple[tuple[str, Priority], ...] = ()  # rule id -> overriding priority
    settings: Settings = field(default_factory=Settings)
    source: Path | None = None  # the file it came from; per-file-ignores globs are relative to its folder

    @property
    def base_dir(self) -> Path | None:
        return self.source.parent if self.source else None


def _strings(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"'{key}' must be a list of strings")
    return tuple(value)


def _table(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"'{key}' must be a table")
    return value


def _check_selectors(values: tuple[str, ...], key: str) -> tuple[str, ...]:
    for token in registry.split_selectors(values):
        try:
            registry.resolve_selector(token)
        except registry.UnknownSelectorError as error:
            raise ConfigError(f"'{key}': {error}") from None
    return values


def _rule_id(handle: str, key: str) -> str:
    meta = registry.lookup(handle)
    if meta is None:
        raise ConfigError(f"'{key}': unknown rule {handle!r}")
    return meta.id


def _dotted_names(value: Any, key: str) -> tuple[str, ...]:
    names = _strings(value, key)
    for name in names:
        if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", name):
            raise ConfigError(f"'{key}': {name!r} is not a dotted Python name (e.g. 'acme.audit.record')")
    return names


def _maintainx(raw: Mapping[str, Any], prefix: str) -> Settings:
    known = {"base-urls", "clients", "audit-functions", "state-stores"}
    for key in raw:
        if key not in known:
            raise ConfigError(f"unknown configuration key '{prefix}.{key}'")
    extra_urls = _strings(raw.get("base-urls", []), f"{prefix}.base-urls")
    return Settings(
        maintainx_base_urls=(*Settings().maintainx_base_urls, *extra_urls),
        maintainx_clients=_strings(raw.get("clients", []), f"{prefix}.clients"),
        audit_functions=_dotted_names(raw.get("audit-functions", []), f"{prefix}.audit-functions"),
        state_stores=_dotted_names(raw.get("state-stores", []), f"{prefix}.state-stores"),
    )


RESILIENCE_KEYS = {
    "retry-policies": "retry_policies",
    "circuit-breakers": "circuit_breakers",
    "rate-limiters": "rate_limiters",
    "caches": "caches",
}


def _resilience(raw: Mapping[str, Any], prefix: str) -> dict[str, tuple[str, ...]]:
    """Wrappers that count as a retry policy, breaker, limiter or cache: ``acme.http.with_retries``."""
    for key in raw:
        if key not in RESILIENCE_KEYS:
            raise ConfigError(f"unknown configuration key '{prefix}.{key}'")
    found = {}
    for key, attribute in RESILIENCE_KEYS.items():
        names = _strings(raw.get(key, []), f"{prefix}.{key}")
        for name in names:
            if not name or not all(part.isidentifier() for part in name.split(".")):
                raise ConfigError(f"'{prefix}.{key}': {name!r} is not a dotted Python name")
        found[attribute] = names
    return found


def _http(raw: Mapping[str, Any], prefix: str) -> dict[str, bool]:
    for key in raw:
        if key != "trust-injected-sessions":
            raise ConfigError(f"unknown configuration key '{prefix}.{key}'")
    trust = raw.get("trust-injected-sessions", False)
    if not isinstance(trust, bool):
        raise ConfigError(f"'{prefix}.trust-injected-sessions' must be true or false")
    return {"trust_injected_sessions": trust}


_WEB_KEYS = {
    "webhook-paths": "webhook_paths",
    "signature-verifiers": "signature_verifiers",
    "dedupe-functions": "dedupe_functions",
    "validators": "validators",
    "health-paths": "health_paths",
    "readiness-paths": "readiness_paths",
    "metrics-modules": "metrics_modules",
}


_WEB_PATHS = ("webhook-paths", "health-paths", "readiness-paths")


def _web(raw: Mapping[str, Any], prefix: str) -> WebSettings:
    """Route paths (globs) and dotted names the web-service rules cannot find on their own."""
    for key in raw:
        if key not in _WEB_KEYS:
            raise ConfigError(f"unknown configuration key '{prefix}.{key}'")
    values = {}
    for key, value in raw.items():
        values[_WEB_KEYS[key]] = items = _strings(value, f"{prefix}.{key}")
        for item in items:
            if key in _WEB_PATHS and not item.startswith(("/", "*")):
                raise ConfigError(f"'{prefix}.{key}': {item!r} must start with '/' (or a '*' glob)")
            if key not in _WEB_PATHS and not all(part.isidentifier() for part in item.split(".")):
                raise ConfigError(f"'{prefix}.{key}': {item!r} is not a dotted Python name")
    return WebSettings(**values)


def from_mapping(raw: Mapping[str, Any], source: Path | None = None, prefix: str = "") -> Config:
    """Build a :class:`Config` from the mxlint table; ``prefix`` names the table in error messages."""
    known = {
        "select",
        "ignore",
        "fail-on",
        "exclude",
        "per-file-ignores",
        "priority",
        "maintainx",
        "resilience",
        "web",
        "http",
    }
    for key in raw:
        if key not in known:
            raise ConfigError(f"unknown configuration key '{prefix}{key}'")
    fail_on = raw.get("fail-on", "P2")
    if fail_on not in FAIL_ON_CHOICES:
        raise ConfigError(f"'{prefix}fail-on' must be one of {', '.join(FAIL_ON_CHOICES)}")
    per_file = []
    for glob, ids in _table(raw.get("per-file-ignores", {}), f"{prefix}per-file-ignores").items():
        per_file.append(
            (glob, _check_selectors(_strings(ids, f"{prefix}per-file-ignores"), "per-file-ignores"))
        )
    priorities = []
    for handle, value in _table(raw.get("priority", {}), f"{prefix}priority").items():
        if value not in {p.value for p in Priority}:
            raise ConfigError(f"'{prefix}priority.{handle}' must be P0, P1 or P2")
        priorities.append((_rule_id(handle, f"{prefix}priority"), Priority(value)))
    return Config(
        select=_check_selectors(_strings(raw.get("select", []), f"{prefix}select"), f"{prefix}select"),
        ignore=_check_selectors(_strings(raw.get("ignore", []), f"{prefix}ignore"), f"{prefix}ignore"),
        fail_on=fail_on,
        exclude=_strings(raw.get("exclude", []), f"{prefix}exclude"),
        per_file_ignores=tuple(per_file),
        priority=tuple(priorities),
        settings=replace(
            _maintainx(_table(raw.get("maintainx", {}), f"{prefix}maintainx"), f"{prefix}maintainx"),
            web=_web(_table(raw.get("web", {}), f"{prefix}web"), f"{prefix}web"),
            **_resilience(_table(raw.get("resilience", {}), f"{prefix}resilience"), f"{prefix}resilience"),
            **_http(_table(raw.get("http", {}), f"{prefix}http"), f"{prefix}http"),
        ),
        source=source,
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"cannot read {path}: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None


def load_file(path: Path) -> Config:
    """Load an explicit ``--config`` file: a pyproject's ``[tool.mxlint]`` or an ``.mxlint.toml``."""
    data = _read_toml(path)
    # ``tool`` is no mxlint key: a file with a [tool.mxlint] table is pyproject-shaped whatever its name
    # (ci/lint.toml copied from a pyproject).
    if path.name == PYPROJECT or isinstance(data.get("tool"), dict):
        table = data.get("tool", {}).get("mxlint")
        if table is None:
            raise ConfigError(f"{path} has no [tool.mxlint] table")
        return from_mapping(_table(table, "tool.mxlint"), path, "tool.mxlint.")
    return from_mapping(data, path)


def discover(start: Path) -> Config:
    """The nearest configuration from ``start`` upwards; defaults when there is none.

    In each folder an ``.mxlint.toml`` wins over a ``pyproject.toml``; a pyproject without a
    ``[tool.mxlint]`` table is passed over, as ruff does.
    """
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        dedicated = candidate / CONFIG_FILE
        if dedicated.is_file():
            return load_file(dedicated)
        pyproject = candidate / PYPROJECT
        if pyproject.is_file():
            table = _read_toml(pyproject).get("tool", {}).get("mxlint")
            if table is not None:
                return from_mapping(_table(table, "tool.mxlint"), pyproject, "tool.mxlint.")
    return Config()
