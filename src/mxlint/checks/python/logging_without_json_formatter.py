"""MX407: logging configured (basicConfig/dictConfig/fileConfig, Django's LOGGING) in a project with no
JSON formatter."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.names import dotted
from mxlint.analysis.paths import is_settings_path
from mxlint.analysis.scopes import Scopes, called_name
from mxlint.analysis.triggers import Trigger, Words
from mxlint.checks.base import Project, PythonContext, PythonRule, TextRule, rule
from mxlint.config import Settings
from mxlint.model import FileKind
from mxlint.sources.python import locate

JSON = "json"
_CONFIGURERS = {
    "logging.basicConfig": "logging.basicConfig",
    "logging.config.dictConfig": "logging.config.dictConfig",
    "logging.config.fileConfig": "logging.config.fileConfig",
}
# python-json-logger, structlog's renderer, ECS, json-log-formatter, Google Cloud's structured logging.
_TRIGGER_WORDS = (
    "basicconfig", "dictconfig", "fileconfig", "formatter", "jsonlogger", "jsonrenderer", "ecs_logging",
    "structuredloghandler", "logging =", "logging=",
)  # fmt: skip
DJANGO_LOGGING = "settings.LOGGING"
_JSON_FORMATTER = re.compile(
    r"(?i)pythonjsonlogger|jsonlogger|json_?formatter|JSONRenderer|ecs_logging|json_log_formatter|"
    r"StructuredLogHandler|StackdriverJsonFormatter"
)


def _custom_json_formatter(node: cst.ClassDef) -> bool:
    """``class JsonFormatter(logging.Formatter)`` whose ``format`` calls ``json.dumps`` (or orjson's)."""
    if not any((dotted(base.value) or "").endswith("Formatter") for base in node.bases):
        return False
    for statement in node.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == "format":
            calls = (n for n in syntax.walk(statement) if isinstance(n, cst.Call))
            if any((dotted(call.func) or "").endswith("dumps") for call in calls):
                return True
    return False


class _LoggingIni(TextRule):
    """A ``fileConfig`` file: ``[formatters]`` and whether a formatter class is a JSON one."""

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return PurePosixPath(relpath).suffix in (".ini", ".conf", ".cfg")

    def check(self) -> None:
        if re.search(r"(?m)^\s*\[formatters\]", self.context.text):
            json = bool(_JSON_FORMATTER.search(self.context.text))
            self.record(JSON if json else ("ini", PurePosixPath(self.context.relpath).name))


@rule("MX407")
class LoggingWithoutJsonFormatter(PythonRule):
    @classmethod
    def trigger(cls, settings: Settings) -> Trigger:
        # "formatter" also covers JsonFormatter, StackdriverJsonFormatter and json_log_formatter.
        return Words(_TRIGGER_WORDS)

    PARTS = {FileKind.TEXT: _LoggingIni}

    def __init__(self, context: PythonContext) -> None:
        super().__init__(context)
        self.candidates: list[cst.Call] = []
        self.names = {"basicConfig", "dictConfig", "fileConfig"}
        self.json = False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        # from logging import basicConfig as setup: the alias is a candidate too (resolved in finish)
        if dotted(node.module) in ("logging", "logging.config") and not isinstance(
            node.names, cst.ImportStar
        ):
            self.names.update(alias.evaluated_alias or alias.evaluated_name for alias in node.names)

    def visit_Call(self, node: cst.Call) -> None:
        if (dotted(node.func) or "").rsplit(".", 1)[-1] in self.names:
            self.candidates.append(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.json = self.json or _custom_json_formatter(node)

    def visit_Name(self, node: cst.Name) -> None:
        self.json = self.json or bool(_JSON_FORMATTER.search(node.value))

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.json = self.json or bool(_JSON_FORMATTER.search(node.value))

    def finish(self) -> None:
        if self.json:
            self.record(JSON)  # the project formats logs as JSON somewhere: every configuration passes
            return
        spans: list[tuple[cst.CSTNode, str, str | None]] = []
        for call in self.candidates:
            name = _CONFIGURERS.get(called_name(self.context.analysis(Scopes), call) or "")
            if name is not None:
                spans.append((call, name, _ini_name(call) if name.endswith("fileConfig") else None))
        if not spans and is_settings_path(self.context.relpath):
            # Django hands its LOGGING setting to dictConfig itself: the dict is the configuration.
            spans.extend((node, DJANGO_LOGGING, None) for node in _logging_settings(self.context.module))
        if not spans:
            return
        where = locate(self.context.module, [node for node, _, _ in spans])
        for node, name, ini in spans:
            self.record(("config", where[node].line, where[node].column + 1, name, ini))

    @classmethod
    def finalize(cls, project: Project) -> None:
        facts: list[tuple[str, Any]] = project.facts_of(cls.RULE_ID)
        if any(fact == JSON for _, fact in facts):
            return
        plain_ini = {fact[1] for _, fact in facts if isinstance(fact, tuple) and fact[0] == "ini"}
        for path, fact in sorted(facts, key=lambda entry: (entry[0], str(entry[1]))):
            if not (isinstance(fact, tuple) and fact[0] == "config"):
                continue
            _, line, column, name, ini = fact
            if name.endswith("fileConfig") and ini not in plain_ini:
                continue  # the file it reads is not in the project, or not a formatter config
            project.report(cls.RULE_ID, path, line, call=name)
            project.reports[-1].column = column


def _ini_name(call: cst.Call) -> str | None:
    first = call.args[0].value if call.args else None
    text = first.evaluated_value if isinstance(first, cst.SimpleString) else None
    return PurePosixPath(text).name if isinstance(text, str) else None


def _logging_settings(module: cst.Module) -> list[cst.BaseExpression]:
    """The ``LOGGING`` of a module-level ``LOGGING = {"version": 1, ...}``: a dictConfig schema, by
    its required key."""
    found: list[cst.BaseExpression] = []
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            value = small.value if isinstance(small, (cst.Assign, cst.AnnAssign)) else None
            targets = (
                [target.target for target in small.targets] if isinstance(small, cst.Assign)
                else [small.target] if isinstance(small, cst.AnnAssign) else []
            )  # fmt: skip
            named = [target for target in targets if dotted(target) == "LOGGING"]
            if not isinstance(value, cst.Dict) or not named:
                continue
            keys = (element.key for element in value.elements if isinstance(element, cst.DictElement))
            if any(isinstance(key, cst.SimpleString) and key.evaluated_value == "version" for key in keys):
                found.append(named[0])
    return found
