"""Load rule metadata from ``rules/*.yaml`` and resolve what users type (ids, names, keys, priorities).

The YAML files ship inside the wheel as ``mxlint/_rules`` (hatch force-include); in a source checkout
the top-level ``rules/`` folder is used. Every file is validated strictly: an unknown key, a missing
field or a priority that disagrees with the checklist is an error at load time, not a surprise in a
report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

try:
    from importlib.resources.abc import Traversable
except ImportError:  # Python 3.10
    from importlib.abc import Traversable

from mxlint.checklist import BY_KEY, CATEGORY_DIGIT
from mxlint.model import Example, FileKind, Priority, RuleMeta, Scope

# Renamed rule names keep working (ruff's rule_redirects): old name -> current id.
REDIRECTS: dict[str, str] = {}

_REQUIRED = (
    "id", "name", "title", "priority", "category", "kinds", "precision",
    "message", "description", "rationale", "fix",
)  # fmt: skip
_OPTIONAL = (
    "checklist", "scope", "tags", "references", "peers", "limitations", "examples", "autofix", "subject"
)  # fmt: skip
_EXAMPLE_KEYS = {"code", "path", "files", "lines", "note", "fixed"}
_ID = re.compile(r"^MX\d{3}$")
_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
_PRECISIONS = ("high", "medium")  # the contract: high for exact rules, medium for heuristics


class RuleDefinitionError(Exception):
    """A rule's YAML is malformed or inconsistent with the checklist."""


def rules_dir() -> Traversable:
    packaged = resources.files("mxlint") / "_rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def _example(raw: Any, where: str) -> Example:
    if not isinstance(raw, dict):
        raise RuleDefinitionError(f"{where}: an example must be a mapping")
    unknown = set(raw) - _EXAMPLE_KEYS
    if unknown:
        raise RuleDefinitionError(f"{where}: unknown example key(s) {sorted(unknown)}")
    if ("code" in raw) == ("files" in raw):
        raise RuleDefinitionError(f"{where}: an example has exactly one of 'code' or 'files'")
    files = raw.get("files") or {}
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise RuleDefinitionError(f"{where}: 'files' maps paths to file contents")
    lines = raw.get("lines")
    fixed = raw.get("fixed")
    if fixed is not None and not (isinstance(fixed, str) and "code" in raw):
        raise RuleDefinitionError(f"{where}: 'fixed' is the fixed text of a 'code' example")
    return Example(
        code=raw.get("code"),
        path=raw.get("path"),
        files=tuple(sorted(files.items())),
        lines=tuple(lines) if lines is not None else None,
        note=raw.get("note", ""),
        fixed=fixed,
    )


def parse_rule(raw: Mapping[str, Any], source: str) -> RuleMeta:
    """Validate one rule's YAML mapping and turn it into a :class:`RuleMeta`."""
    if not isinstance(raw, Mapping):
        raise RuleDefinitionError(f"{source}: the document must be a mapping")
    unknown = set(raw) - set(_REQUIRED) - set(_OPTIONAL)
    if unknown:
        raise RuleDefinitionError(f"{source}: unknown key(s) {sorted(unknown)}")
    missing = [key for key in _REQUIRED if key not in raw]
    if missing:
        raise RuleDefinitionError(f"{source}: missing key(s) {missing}")

    rule_id, name, category = raw["id"], raw["name"], raw["category"]
    if not _ID.match(rule_id):
        raise RuleDefinitionError(f"{source}: id {rule_id!r} is not MX + three digits")
    if not _NAME.match(name):
        raise RuleDefinitionError(f"{source}: name {name!r} is not kebab-case")
    if CATEGORY_DIGIT.get(category) != rule_id[2]:
        raise RuleDefinitionError(f"{source}: id {rule_id} does not belong to category {category!r}")
    try:
        priority = Priority(raw["priority"])
        kinds = tuple(FileKind(kind) for kind in raw["kinds"])
        scope = Scope(raw.get("scope", "file"))
    except ValueError as error:
        raise RuleDefinitionError(f"{source}: {error}") from None
    checklist = raw.get("checklist")
    if category == "tool":
        if checklist is not None:
            raise RuleDefinitionError(f"{source}: mxlint's own rules (MX0xx) have no checklist key")
    else:
        item = BY_KEY.get(checklist or "")
        if item is None:
            raise RuleDefinitionError(f"{source}: unknown checklist key {checklist!r}")
        if item.category != category:
            raise RuleDefinitionError(f"{source}: key {checklist} is not in category {category!r}")
        if item.priority is not priority:
            raise RuleDefinitionError(
                f"{source}: priority {priority.value} differs from the checklist's {item.priority.value}"
            )
    if raw["precision"] not in _PRECISIONS:
        raise RuleDefinitionError(f"{source}: precision must be one of {_PRECISIONS}")

    examples = raw.get("examples") or {}
    if set(examples) - {"valid", "invalid"}:
        raise RuleDefinitionError(f"{source}: examples has only 'valid' and 'invalid'")
    valid = tuple(_example(e, f"{source}: valid[{i}]") for i, e in enumerate(examples.get("valid") or ()))
    invalid = tuple(
        _example(e, f"{source}: invalid[{i}]") for i, e in enumerate(examples.get("invalid") or ())
    )
    autofix = raw.get("autofix", False)
    if not isinstance(autofix, bool):
        raise RuleDefinitionError(f"{source}: autofix is true or false")
    if any(example.fixed is not None for example in valid) or (
        not autofix and any(example.fixed is not None for example in invalid)
    ):
        raise RuleDefinitionError(f"{source}: only invalid examples of an autofix rule have 'fixed'")
    return RuleMeta(
        id=rule_id,
        name=name,
        title=raw["title"].strip(),
        checklist=checklist,
        priority=priority,
        category=category,
        kinds=kinds,
        scope=scope,
        precision=raw["precision"],
        tags=tuple(raw.get("tags") or ()),
        message=raw["message"].strip(),
        description=" ".join(raw["description"].split()),
        rationale=" ".join(raw["rationale"].split()),
        fix=" ".join(raw["fix"].split()),
        references=tuple(raw.get("references") or ()),
        peers=" ".join((raw.get("peers") or "").split()),
        limitations=" ".join((raw.get("limitations") or "").split()),
        valid=valid,
        invalid=invalid,
        autofix=autofix,
        subject=" ".join((raw.get("subject") or "").split()),
    )


@cache
def all_rules() -> tuple[RuleMeta, ...]:
    """Every rule, sorted by id. Cached: the YAML is read once per process."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    metas = []
    for entry in rules_dir().iterdir():
        if not entry.name.endswith(".yaml"):
            continue
        meta = parse_rule(yaml.load(entry.read_text(encoding="utf-8"), Loader=loader), entry.name)
        if entry.name != f"{meta.id}-{meta.name}.yaml":
            raise RuleDefinitionError(f"{entry.name}: file name must be {meta.id}-{meta.name}.yaml")
        metas.append(meta)
    metas.sort(key=lambda meta: meta.id)
    seen: dict[str, str] = {}
    for meta in metas:
        for handle in (meta.id, meta.name):
            if handle in seen:
                raise RuleDefinitionError(f"{handle} is defined twice ({seen[handle]} and {meta.id})")
            seen[handle] = meta.id
    return tuple(metas)


@cache
def by_id() -> dict[str, RuleMeta]:
    return {meta.id: meta for meta in all_rules()}


def lookup(handle: str) -> RuleMeta | None:
    """Find a rule by id (any case) or kebab-case name, following redirects."""
    rules = by_id()
    upper = handle.strip().upper()
    if upper in rules:
        return rules[upper]
    name = handle.strip().lower()
    name = REDIRECTS.get(name, name)
    for meta in rules.values():
        if meta.name == name or meta.id == name.upper():
            return meta
    return None


class UnknownSelectorError(ValueError):
    pass


def resolve_selector(token: str, rules: Iterable[RuleMeta] | None = None) -> set[str]:
    """Rule ids a selector stands for: an id, a name, a checklist key, a category, a priority or ALL.

    ``rules`` carries effective priorities when configuration overrides them.
    """
    token = token.strip()
    rules = tuple(rules) if rules is not None else all_rules()
    if token.upper() == "ALL":
        return {meta.id for meta in rules}
    if token.upper() in {p.value for p in Priority}:
        return {meta.id for meta in rules if meta.priority.value == token.upper()}
    meta = lookup(token)
    if meta is not None:
        return {meta.id}
    by_key = {meta.id for meta in rules if meta.checklist == token or meta.category == token}
    if by_key or token in BY_KEY:
        return by_key
    raise UnknownSelectorError(
        f"unknown rule selector {token!r} (expected an id, name, checklist key or P0-P2)"
    )


def split_selectors(values: Iterable[str]) -> list[str]:
    """Flatten repeatable options that may also hold comma-separated lists."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]
