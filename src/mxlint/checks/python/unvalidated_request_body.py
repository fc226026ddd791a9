"""MX111: a route handler that uses the request JSON without validating it against a schema."""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis.names import dotted, has_star_kwargs, keyword
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.scopes import ClassInfo, FunctionInfo
from mxlint.analysis.triggers import Trigger
from mxlint.analysis.web import BodyRead, WebRoutes, trigger
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

# Methods that validate data against a schema: pydantic, TypeAdapter, marshmallow, cattrs,
# dataclasses-json/mashumaro, Django REST framework serializers, jsonschema validators, cerberus.
_VALIDATING_METHODS = frozenset(
    {
        "model_validate", "model_validate_json", "parse_obj", "parse_raw", "validate_python",
        "validate_json", "structure", "from_dict", "from_json", "is_valid", "load", "loads", "validate",
        "iter_errors",
    }
)  # fmt: skip
_VALIDATING_FUNCTIONS = frozenset(
    {"pydantic.parse_obj_as", "jsonschema.validate", "msgspec.convert", "cattrs.structure"}
)
# Validate the data their object was built with, so they take no argument: a DRF serializer or a Django
# form (Serializer(data=payload).is_valid(), form.is_valid()).
_BOUND_VALIDATORS = frozenset({"is_valid"})
# Modules whose load/loads parse text instead of validating data.
_PARSERS = frozenset(
    {"json", "orjson", "ujson", "simplejson", "rapidjson", "yaml", "pickle", "marshal", "tomllib", "toml"}
)
_MODEL_BASES = re.compile(r"(^|\.)(BaseModel|Schema|Struct|Serializer|ModelSerializer|TypedDict)$")
_MODEL_DECORATORS = frozenset({"dataclass", "define", "frozen", "mutable", "s", "attrs", "dataclass_json"})


@rule("MX111")
class UnvalidatedRequestBody(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return trigger(settings)

    def finish(self) -> None:
        web: WebRoutes = self.context.analysis(WebRoutes)
        validators = self.context.settings.web.validators
        judged: set[FunctionInfo] = set()
        for route in web.routes:
            handler = route.handler
            if handler is None or handler in judged:
                continue
            judged.add(handler)
            reads = [read for read in web.body_reads(handler, route) if read.kind == "json"]
            if reads and not _validates(web, web.code(handler), validators):
                self.report(reads[0].node, handler=handler.node.name.value, read=_describe(reads[0]))


def _validates(web: WebRoutes, code: list[FunctionInfo], validators: tuple[str, ...]) -> bool:
    for function in code:
        if web.uses(function, validators):
            return True
        for call in web.own_code(function).calls:
            name = web.qualified(call.func, function.scope) or dotted(call.func) or ""
            method = call.func.attr.value if isinstance(call.func, cst.Attribute) else None
            if name in _VALIDATING_FUNCTIONS or (name.startswith("msgspec.") and keyword(call, "type")):
                return True
            if (
                method in _VALIDATING_METHODS
                and (call.args or method in _BOUND_VALIDATORS)
                and name.split(".")[0] not in _PARSERS
            ):
                return True
            if isinstance(call.func, cst.Name) and (has_star_kwargs(call) and call.func.value[:1].isupper()):
                return True  # Model(**data): a pydantic model, a dataclass or an attrs class
            if isinstance(call.func, cst.Name) and call.args and _is_model(web, call.func.value, function):
                return True
    return False


def _is_model(web: WebRoutes, name: str, function: FunctionInfo) -> bool:
    """A class of this file that validates or types its fields: a pydantic model, a dataclass..."""
    for binding in function.scope.lookup(name):
        if binding.kind == "class" and isinstance(binding.info, ClassInfo):
            info = binding.info
            bases = (
                web.qualified(base.value, info.outer) or dotted(base.value) or "" for base in info.node.bases
            )
            if any(_MODEL_BASES.search(base) for base in bases):
                return True
            for decorator in info.node.decorators:
                target = decorator.decorator
                target = target.func if isinstance(target, cst.Call) else target
                if (dotted(target) or "").rsplit(".", 1)[-1] in _MODEL_DECORATORS:
                    return True
    return False


def _describe(read: BodyRead) -> str:
    node = read.node
    if isinstance(node, cst.Param):
        annotation = cst.Module([]).code_for_node(node.annotation.annotation) if node.annotation else "Body()"
        return f"the `{node.name.value}: {annotation}` body parameter"
    text = cst.Module([]).code_for_node(node)
    return f"`{text if len(text) <= 40 else text[:39] + '…'}`"
