"""SARIF 2.1.0 for GitHub code scanning, built with sarif-om and serialised by hand.

``jschema_to_python.to_json`` drops every field equal to its attrs default, a result's ``level``
among them, which silently turns a P1 warning into its rule's default level. The serialiser below
keeps ``level`` and ``kind``, omits ``None`` and the ``-1`` sentinels, and fails loudly on any value it
does not know, instead of writing ``str(value)``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import attr
import sarif_om as om

from mxlint import __version__, docs
from mxlint.model import Finding, Priority, RuleMeta, RunResult

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/mxlint/mxlint"
SRCROOT = "%SRCROOT%"
MAX_DESCRIPTION = 1024
_SECURITY_SEVERITY = {Priority.P0: "9.0", Priority.P1: "6.0", Priority.P2: "3.0"}
_KEEP_DEFAULTS = {"level", "kind"}


def _default(field: attr.Attribute) -> Any:
    default = field.default
    return default.factory() if isinstance(default, attr.Factory) else default  # type: ignore[arg-type]


def to_plain(value: Any) -> Any:
    """sarif-om objects to camelCase JSON data, without nulls or defaulted sentinels."""
    if attr.has(type(value)):
        plain = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            if item is None or (item == _default(field) and field.name not in _KEEP_DEFAULTS):
                continue
            plain[field.metadata.get("schema_property_name", field.name)] = to_plain(item)
        return plain
    if isinstance(value, dict):
        return {key: to_plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(item) for item in value]
    if isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot serialise {type(value).__name__} to SARIF")


def _truncate(text: str, limit: int = MAX_DESCRIPTION) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _descriptor(meta: RuleMeta) -> om.ReportingDescriptor:
    tags = ["maintainx", meta.priority.value, meta.category, *meta.tags]
    properties: dict[str, Any] = {
        "priority": meta.priority.value,
        "category": meta.category,
        "precision": meta.precision,
        "tags": sorted(set(tags), key=tags.index),
    }
    if meta.checklist:
        properties["checklist"] = meta.checklist
    if meta.is_security:
        properties["security-severity"] = _SECURITY_SEVERITY[meta.priority]
    return om.ReportingDescriptor(
        id=meta.id,
        name=meta.name,
        short_description=om.MultiformatMessageString(text=meta.title),
        full_description=om.MultiformatMessageString(text=_truncate(f"{meta.description} {meta.rationale}")),
        help=om.MultiformatMessageString(
            text=docs.rule_text(meta), markdown=docs.rule_markdown(meta, level=1)
        ),
        help_uri=meta.help_uri,
        default_configuration=om.ReportingConfiguration(level=meta.priority.sarif_level),
        properties=properties,
    )


def _uri(path: str) -> str:
    return quote(path, safe="/")


def _result(finding: Finding, meta: RuleMeta, index: int) -> om.Result:
    region = om.Region(start_line=finding.line, start_column=finding.column)
    if finding.end_line is not None:
        region.end_line = finding.end_line
        region.end_column = finding.end_column
    properties: dict[str, Any] = {"priority": finding.priority.value}
    if meta.checklist:
        properties["checklist"] = meta.checklist
    result = om.Result(
        rule_id=finding.rule_id,
        rule_index=index,
        level=finding.priority.sarif_level,
        message=om.Message(text=finding.message),
        locations=[
            om.Location(
                physical_location=om.PhysicalLocation(
                    artifact_location=om.ArtifactLocation(uri=_uri(finding.path), uri_base_id=SRCROOT),
                    region=region,
                )
            )
        ],
        partial_fingerprints={"primaryLocationLineHash": finding.fingerprint},
        properties=properties,
    )
    if finding.suppressed:
        result.suppressions = [om.Suppression(kind="inSource", justification=finding.justification or None)]
    return result


def render(result: RunResult, category: str = "mxlint/") -> str:
    index = {meta.id: position for position, meta in enumerate(result.rules)}
    metas = {meta.id: meta for meta in result.rules}
    findings = sorted([*result.findings, *result.suppressed], key=Finding.sort_key)
    notifications = [
        om.Notification(
            message=om.Message(text=f"{note.path}: {note.message}"),
            level=note.level,
            locations=[
                om.Location(
                    physical_location=om.PhysicalLocation(
                        artifact_location=om.ArtifactLocation(uri=_uri(note.path), uri_base_id=SRCROOT),
                        region=om.Region(start_line=note.line) if note.line else None,
                    )
                )
            ],
        )
        for note in result.notifications
    ]
    invocation = om.Invocation(execution_successful=True)
    if notifications:
        invocation.tool_execution_notifications = notifications
    run = om.Run(
        tool=om.Tool(
            driver=om.ToolComponent(
                name="mxlint",
                version=__version__,
                semantic_version=__version__,
                information_uri=INFORMATION_URI,
                rules=[_descriptor(meta) for meta in result.rules],
            )
        ),
        automation_details=om.RunAutomationDetails(id=category),
        original_uri_base_ids={SRCROOT: om.ArtifactLocation(description=om.Message(text="The scan root."))},
        invocations=[invocation],
        results=[_result(finding, metas[finding.rule_id], index[finding.rule_id]) for finding in findings],
        column_kind="unicodeCodePoints",
    )
    log = om.SarifLog(schema_uri=SCHEMA_URI, version="2.1.0", runs=[run])
    plain = to_plain(log)
    ordered = {"$schema": plain.pop("$schema"), "version": plain.pop("version"), **plain}
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"
