"""Is this call a MaintainX API call, on which endpoint, with which query parameters?

A call counts as a MaintainX call (checklist.md, "Scope") when its URL contains a MaintainX base
(``getmaintainx.com`` or an extra base from ``[tool.mxlint.maintainx] base-urls``), written in the
call (literal, f-string, ``+``, ``str.format``, ``"/".join``) or reached through names of the file:
module constants (``os.environ.get("X", "<default>")`` included), function locals, parameter
defaults, ``self.x``/``settings.x`` attributes of a class of the file, and the ``base_url=`` of the
client the call is made on (``httpx.Client(base_url=...)``, any constructor, directly, through a
variable, ``self.client``, ``with ... as client`` or a factory function of the file). Calls on
instances of configured wrapper classes (``clients = ["acme.mx.MaintainXClient"]``) and calls of
configured wrapper functions count too, with the path they are given. HTTP verbs are recognised by
the call's shape (``x.get(url)``, ``x.request("GET", url)``, ``x.stream("GET", url)``), not by the
library.

Usage: ``calls = context.analysis(MaintainXCalls)``, then ``calls.calls()`` (every MaintainX call of
the file) or ``calls.classify(node)``; ``calls.scope_of(node)`` gives the enclosing function's facts.
Everything is computed once per file, on first use, from one walk over the module.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import string
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

import libcst as cst
from libcst.metadata import QualifiedNameProvider, QualifiedNameSource

from mxlint.analysis.names import dotted, has_star_kwargs, keyword
from mxlint.checks.base import PythonContext
from mxlint.config import Settings

# research-rules.md §1.2: the GETs that take cursor/limit and return nextCursor (both spec versions).
LIST_ENDPOINTS: tuple[str, ...] = (
    "/workorders",
    "/workorders/{id}/comments",
    "/workorders/{id}/subworkorders",
    "/workrequests",
    "/workrequestportals",
    "/assets",
    "/assetstatuses",
    "/assetcriticalities",
    "/assetcustomstatuses",
    "/locations",
    "/parttransferrequests",
    "/conversations",
    "/conversations/{id}/members",
    "/users",
    "/teams",
    "/teams/{id}/members",
    "/vendors",
    "/vendors/{id}/contacts",
    "/categories",
    "/meters",
    "/metertriggers",
    "/purchaseorders",
    "/parts",
    "/proceduretemplates",
    "/organizations",
    "/maintenanceplans",
    "/manufacturers",
    "/models",
    "/rootcauseanalysisreports",
)
VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_METHOD_FIRST = frozenset({"request", "stream"})  # x.request("GET", url), httpx's x.stream("GET", url)
# Receivers whose .get(url) is no request: a cache keyed by URL, headers, the environment, a test mock.
_NOT_HTTP = re.compile(
    r"cache|environ|headers|params|dict|redis|memo|registry|lookup|mock|respx|\b(json|data|responses)$", re.I
)
_UPDATES = frozenset({"update", "setdefault"})  # params.update(cursor=c) adds query parameters
_SELF = ("self", "cls")
_HOLE = "\x00"  # stands for text known only at run time
_MAX_DEPTH = 12
_MAX_PARENTS = 8  # folders searched upwards for an absolutely imported module of the project


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()  # a value that is not known statically


@dataclass(frozen=True, eq=False)
class Param:
    """One query parameter: where its value is written, and the value when it is a literal."""

    node: cst.CSTNode  # the literal (maybe a module constant's), the URL string, or the expression
    value: object = UNKNOWN  # int or str when statically known


@dataclass(frozen=True, eq=False)
class MaintainXCall:
    """A call to the MaintainX REST API."""

    call: cst.Call
    verb: str  # "GET", "POST", ...; a configured wrapper function without method= is taken as GET
    path: str | None  # after /v1, query stripped, run-time parts as "{}": "/workorders/{}/comments"
    list_endpoint: str | None  # the LIST_ENDPOINTS pattern of the path: "/workorders/{id}/comments"
    params: Mapping[str, Param]  # query parameters known statically (params=, dict(...), ?limit=50)
    params_complete: bool  # False when some may be hidden (**kwargs, an opaque params=, ?{query})
    # The enclosing function's parameter whose default supplies the path: the caller picks the endpoint
    # (or the next page's URL). A parameter that supplies only the host does not count.
    path_parameter: str | None = None


# --- scopes and bindings ------------------------------------------------------------------------


@dataclass(eq=False)
class Binding:
    """What a name is bound to. ``kind``: value, param, def, import, unknown (loop target, ...)."""

    kind: str
    node: cst.CSTNode | None
    scope: Scope  # where ``node`` is evaluated (a parameter's default: outside its function)
    owner: Scope | None = None  # a parameter's function
    imported: tuple[str, int, str | None] | None = None  # (module, relative level, name) of an import


@dataclass(eq=False)
class ClassInfo:
    node: cst.ClassDef
    attrs: dict[str, list[Binding]] = field(default_factory=dict)  # class body and self.x = ...


@dataclass(eq=False)
class Scope:
    """A function, or the module (a class body belongs to the scope around it).

    Besides bindings it keeps cheap facts about its own code (nested functions excluded) that rules
    use as evidence: string literals, keyword names, dict keys, attribute names, calls, returns.
    """

    node: cst.CSTNode
    parent: Scope | None = None
    cls: ClassInfo | None = None  # the class ``self`` refers to
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    calls: list[cst.Call] = field(default_factory=list)
    assignments: list[tuple[cst.BaseExpression, cst.BaseExpression]] = field(default_factory=list)
    returns: list[cst.BaseExpression] = field(default_factory=list)  # return and yield values
    stores: dict[str, list[tuple[cst.BaseExpression, cst.CSTNode]]] = field(default_factory=dict)
    updates: dict[str, list[cst.Call]] = field(default_factory=dict)  # name.update(...), .setdefault
    strings: set[str] = field(default_factory=set)  # string literals and f-string text
    keywords: set[str] = field(default_factory=set)  # keyword argument names in calls
    keys: set[str] = field(default_factory=set)  # static dict keys and subscript-assignment keys
    attributes: set[str] = field(default_factory=set)

    def chain(self) -> Iterator[Scope]:
        scope: Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent

    def lookup(self, name: str) -> list[Binding]:
        for scope in self.chain():
            if name in scope.bindings:
                return scope.bindings[name]
        return []


# Fields that hold only whitespace and punctuation: the walk skips them (about half of all nodes).
_LAYOUT = re.compile(
    r"whitespace|^(lpar|rpar|comma|semicolon|colon|lbrace|rbrace|lbracket|rbracket|equal|dot|operator"
    r"|asynchronous|leading_lines|lines_after_decorators|header|footer|newline)$"
)
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(node_type: type) -> tuple[str, ...]:
    if node_type not in _CHILD_FIELDS:
        names = (item.name for item in dataclasses.fields(node_type))
        _CHILD_FIELDS[node_type] = tuple(name for name in names if not _LAYOUT.search(name))
    return _CHILD_FIELDS[node_type]


class _Collector:
    """The one walk: scopes, bindings, class attributes, calls and evidence facts per scope.

    A hand-written depth-first walk over the nodes' fields, not a libcst visitor: it costs a quarter
    of a visitor's time, which matters because the rules' own batched traversal runs anyway.
    """

    def __init__(self, module: cst.Module) -> None:
        self.scopes: list[Scope] = [Scope(module)]
        self.frames: list[Scope | ClassInfo] = [self.scopes[0]]  # where a plain name binds
        self.scope_of: dict[cst.Call, Scope] = {}
        self.functions: dict[cst.FunctionDef, Scope] = {}
        self.classes: dict[cst.ClassDef, ClassInfo] = {}
        self._handlers: dict[type, Callable[[Any], Callable[[], None] | None] | None] = {}

    def walk(self, module: cst.Module) -> None:
        """Visit every node in source order; a handler may return a callback run after the children."""
        stack: list[cst.CSTNode | Callable[[], None]] = [module]
        while stack:
            item = stack.pop()
            if not isinstance(item, cst.CSTNode):
                item()
                continue
            node_type = type(item)
            if node_type not in self._handlers:
                self._handlers[node_type] = getattr(self, f"visit_{node_type.__name__}", None)
            handler = self._handlers[node_type]
            if handler is not None and (leave := handler(item)) is not None:
                stack.append(leave)
            children: list[cst.CSTNode] = []
            for name in _child_fields(node_type):
                value = getattr(item, name)
                if isinstance(value, cst.CSTNode):
                    children.append(value)
                elif isinstance(value, (list, tuple)):
                    children.extend(child for child in value if isinstance(child, cst.CSTNode))
            stack.extend(reversed(children))

    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    def _bind(
        self,
        target: cst.CSTNode,
        kind: str,
        value: cst.CSTNode | None,
        imported: tuple[str, int, str | None] | None = None,
    ) -> None:
        if isinstance(target, cst.Name):
            frame = self.frames[-1]
            table = frame.attrs if isinstance(frame, ClassInfo) else frame.bindings
            table.setdefault(target.value, []).append(Binding(kind, value, self.scope, imported=imported))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, "unknown", None)
        elif isinstance(target, cst.Attribute) and dotted(target.value) in _SELF and self.scope.cls:
            self.scope.cls.attrs.setdefault(target.attr.value, []).append(Binding(kind, value, self.scope))
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            index = _subscript_index(target)
            if index is not None and value is not None:
                self.scope.stores.setdefault(target.value.value, []).append((index, value))
                if (key := _string(index)) is not None:
                    self.scope.keys.add(key)

    def _assign(self, target: cst.BaseExpression, value: cst.BaseExpression, kind: str = "value") -> None:
        self._bind(target, kind, value if kind == "value" else None)
        self.scope.assignments.append((target, value))

    def visit_ClassDef(self, node: cst.ClassDef) -> Callable[[], None]:
        self._bind(node.name, "def", node)
        self.classes[node] = ClassInfo(node)
        self.frames.append(self.classes[node])
        return self.frames.pop

    def visit_FunctionDef(self, node: cst.FunctionDef) -> Callable[[], None]:
        self._bind(node.name, "def", node)
        frame = self.frames[-1]
        scope = Scope(node, parent=self.scope, cls=frame if isinstance(frame, ClassInfo) else self.scope.cls)
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            scope.bindings[param.name.value] = [Binding("param", param, self.scope, scope)]
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                scope.bindings[star.name.value] = [Binding("unknown", None, scope)]
        self.functions[node] = scope
        self.scopes.append(scope)
        self.frames.append(scope)
        return self._leave_function

    def _leave_function(self) -> None:
        self.scopes.pop()
        self.frames.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assign(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assign(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._assign(node.target, node.value, "unknown")

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._assign(node.target, node.value)

    def visit_For(self, node: cst.For) -> None:
        self._bind(node.target, "unknown", None)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind(node.target, "unknown", None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:  # with httpx.Client(base_url=...) as client
            self._bind(node.asname.name, "value", node.item)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind(node.name.name, "unknown", None)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = dotted(alias.name) or ""
            if alias.asname is not None:  # import a.b as c binds c to a.b
                self._bind(alias.asname.name, "import", alias, (module, 0, None))
            else:  # import a.b binds a
                self._bind(cst.Name(module.split(".")[0]), "import", alias, (module.split(".")[0], 0, None))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = dotted(node.module) if node.module else ""
        for alias in node.names:
            name = alias.asname.name if alias.asname else alias.name
            self._bind(name, "import", alias, (module or "", len(node.relative), dotted(alias.name)))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.scope.returns.append(node.value)

    def visit_Yield(self, node: cst.Yield) -> None:
        if isinstance(node.value, cst.BaseExpression):
            self.scope.returns.append(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        self.scope_of[node] = self.scope
        self.scope.calls.append(node)
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in _UPDATES
            and isinstance(func.value, cst.Name)
        ):
            self.scope.updates.setdefault(func.value.value, []).append(node)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.scope.keywords.add(node.keyword.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if (key := _string(node.key)) is not None:
            self.scope.keys.add(key)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if (value := _string(node)) is not None:
            self.scope.strings.add(value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self.scope.strings.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.scope.attributes.add(node.attr.value)


def _string(node: cst.CSTNode | None) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _subscript_index(node: cst.Subscript) -> cst.BaseExpression | None:
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        return node.slice[0].slice.value
    return None


def _keyword(call: cst.Call, name: str) -> cst.BaseExpression | None:
    found = keyword(call, name)
    return found.value if found is not None else None


def _arg(call: cst.Call, position: int, *names: str) -> cst.BaseExpression | None:
    """The argument passed as one of ``names`` or, failing that, at ``position``."""
    for name in names:
        if (value := _keyword(call, name)) is not None:
            return value
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    return positional[position].value if len(positional) > position else None


# --- URL templates ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Piece:
    text: str | None  # None: known only at run time
    node: cst.CSTNode  # where the text is written
    via: tuple[Scope, str] | None = None  # (function, parameter) whose default supplied the text


_Template = tuple[_Piece, ...]


def _render(template: _Template) -> tuple[str, list[int]]:
    """The text, run-time parts as _HOLE, and for each character the index of its piece."""
    text, owners = [], []
    for index, piece in enumerate(template):
        chunk = _HOLE if piece.text is None else piece.text
        text.append(chunk)
        owners.extend([index] * len(chunk))
    return "".join(text), owners


def _has_text(template: _Template) -> bool:
    return any(piece.text for piece in template)


def match_list_endpoint(path: str | None) -> str | None:
    """The LIST_ENDPOINTS pattern that ``path`` (normalised, "{}" placeholders) is an instance of."""
    if path is None:
        return None
    segments = path.strip("/").split("/")
    for pattern in LIST_ENDPOINTS:
        wanted = pattern.strip("/").split("/")
        if len(wanted) == len(segments) and all(
            (w == "{id}" and s != "") or w == s.lower() for w, s in zip(wanted, segments, strict=True)
        ):
            return pattern
    return None


def normalise_path(raw: str) -> str:
    """``/v1/workorders/<hole>/comments/`` -> ``/workorders/{}/comments``."""
    segments = [segment for segment in raw.split("/") if segment]  # trailing and double slashes
    if segments and (segments[0] == "v1" or segments[0].startswith("v1" + _HOLE)):
        segments = [segment for segment in (segments[0][2:], *segments[1:]) if segment]
    return "/" + "/".join(re.sub(f"{_HOLE}+", "{}", segment) for segment in segments)


@cache
def trigger_pattern(settings: Settings, also: str = "") -> re.Pattern[bytes]:
    """A source regex for files that may call MaintainX: they mention it (``getmaintainx.com``, an
    imported ``MAINTAINX_URL``, a ``MaintainXClient``), a configured base URL or wrapper's name.

    ``also``: a word that must occur in the file too (e.g. ``limit``).
    """
    words = ["(?i:maintainx)", *(re.escape(base) for base in settings.maintainx_base_urls)]
    words += [rf"\b{re.escape(name.rsplit('.', 1)[-1])}\b" for name in settings.maintainx_clients]
    pattern = f"(?:{'|'.join(words)})"
    if also:
        pattern = rf"\A(?=[\s\S]*?{also})(?=[\s\S]*?{pattern})"
    return re.compile(pattern.encode(), re.MULTILINE)


class MaintainXCalls:
    """Per-file analysis: which calls go to MaintainX. ``context.analysis(MaintainXCalls)``."""

    def __init__(self, context: PythonContext) -> None:
        self.context = context
        self.bases = context.settings.maintainx_base_urls
        self.clients = frozenset(context.settings.maintainx_clients)
        self.client_names = frozenset(name.rsplit(".", 1)[-1] for name in self.clients)
        collector = _Collector(context.module)
        collector.walk(context.module)
        self._scope_of = collector.scope_of
        self._functions = collector.functions
        self._classes = collector.classes
        self._classified: dict[cst.Call, MaintainXCall | None] = {}
        self._active: set[int] = set()  # binding lists being resolved, against cycles (url = url + "/x")
        self._module = context.relpath.removesuffix(".py").removesuffix("/__init__").replace("/", ".")

    @cached_property
    def _path(self) -> Path | None:
        return _file_path(self.context)  # only needed to follow an import into another module

    def scope_of(self, call: cst.Call) -> Scope:
        return self._scope_of[call]

    def calls(self) -> list[MaintainXCall]:
        """Every MaintainX call of the file, in source order."""
        found = (self.classify(call) for call in self._scope_of)
        return [mx for mx in found if mx is not None]

    def classify(self, call: cst.Call) -> MaintainXCall | None:
        if call not in self._classified:
            scope = self._scope_of.get(call)
            self._classified[call] = self._classify(call, scope) if scope else None
        return self._classified[call]

    # --- call shapes --------------------------------------------------------------------------

    def _shape(
        self, call: cst.Call, scope: Scope
    ) -> tuple[str, cst.BaseExpression, cst.CSTNode | None] | None:
        """(verb, URL expression, receiver) of an HTTP-shaped call; a wrapper function is its own receiver."""
        func = call.func
        if self.clients and self._configured(func):  # fetch("/workorders"), api.fetch(path=..., method=...)
            url = _arg(call, 0, "path", "url", "endpoint")
            return ((_string(_keyword(call, "method")) or "GET").upper(), url, call) if url else None
        if isinstance(func, cst.Attribute):
            name, receiver = func.attr.value, func.value
        elif isinstance(func, cst.Name):  # from requests import get as fetch; a local def get() is no request
            imported = next((b.imported for b in scope.lookup(func.value) if b.imported), None)
            if imported is None or imported[2] is None:
                return None
            name, receiver = imported[2].rsplit(".", 1)[-1], None
        else:
            return None
        if name in VERBS:
            verb, url = name.upper(), _arg(call, 0, "url")
        elif name in _METHOD_FIRST:
            verb, url = (_string(_arg(call, 0, "method")) or "").upper(), _arg(call, 1, "url")
        else:
            return None
        if url is None or not verb:
            return None
        if receiver is not None and (
            _NOT_HTTP.search(dotted(receiver) or "") or self._own_method(receiver, name, scope)
        ):
            return None
        return verb, url, receiver

    def _classify(self, call: cst.Call, scope: Scope) -> MaintainXCall | None:
        shape = self._shape(call, scope)
        if shape is None:
            return None
        verb, url, receiver = shape
        template = self._template(url, scope, 0)
        absolute = self._absolute(template)
        if not absolute:  # a path relative to the client's base_url, or given to a configured wrapper
            base = "wrapper" if receiver is call else self._receiver(receiver, scope, 0) if receiver else None
            if not base:
                return None
            absolute = base != "wrapper"
            template = (*(base if absolute else ()), _Piece("/", url), *template)  # type: ignore[misc]
        text, owners = _render(template)
        span = self._split(text, absolute)
        if span is None:
            return None
        start, end, query = span
        params, complete = _query_params(text, owners, template, query)
        known, known_complete = self._call_params(call, scope, verb)
        params.update(known)
        # The caller picks the endpoint when a parameter's default supplies the end of the path.
        last = template[owners[end - 1]].via if end > start else None
        path = normalise_path(text[start:end])
        return MaintainXCall(
            call=call,
            verb=verb,
            path=None if path == "/{}" else path,
            list_endpoint=match_list_endpoint(path),
            params=params,
            params_complete=complete and known_complete and not has_star_kwargs(call),
            path_parameter=last[1] if last and last[0] in set(scope.chain()) else None,
        )

    def _absolute(self, template: _Template) -> bool:
        text = _render(template)[0]
        return "://" in text or any(base in text for base in self.bases)

    def _is_maintainx(self, template: _Template) -> bool:
        text = _render(template)[0]
        return any(base in text for base in self.bases)

    def _split(self, text: str, absolute: bool) -> tuple[int, int, tuple[int, int] | None] | None:
        """Where the path of a URL starts and ends, and the span of its query string."""
        start = 0
        if absolute:
            hits = [(text.find(base), base) for base in self.bases if base in text]
            if not hits:
                return None
            index, base = min(hits)
            start = index + len(base)
            if text[start : start + 1] not in ("/", "?", ""):  # the base ended inside the host name
                slash = text.find("/", start)
                start = slash if slash >= 0 else len(text)
        ends = [found for mark in "?#" if (found := text.find(mark, start)) >= 0]
        end = min(ends, default=len(text))
        query = None
        if end < len(text) and text[end] == "?":
            fragment = text.find("#", end)
            query = (end + 1, fragment if fragment >= 0 else len(text))
        return start, end, query

    def _configured(self, node: cst.CSTNode) -> bool:
        """Whether ``node`` names a configured wrapper class, function or instance (names resolved)."""
        text = dotted(node)
        if not text or text.rsplit(".", 1)[-1] not in self.client_names:
            return False
        for qualified in self.context.lookup(QualifiedNameProvider, node, ()):
            if qualified.source is QualifiedNameSource.IMPORT and qualified.name in self.clients:
                return True
            if qualified.source is QualifiedNameSource.LOCAL:  # defined in this file
                full = f"{self._module}.{qualified.name}"
                if any(full == name or full.endswith("." + name) for name in self.clients):
                    return True
        return False

    def _class_of(self, expr: cst.CSTNode, scope: Scope, depth: int = 0) -> ClassInfo | None:
        """The class of this file that ``expr`` is (or is an instance of): ``self``, ``Settings()``."""
        if dotted(expr) in _SELF:
            return scope.cls
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, cst.Call):
            return self._class_of(expr.func, scope, depth + 1)
        bindings: list[Binding] = []
        if isinstance(expr, cst.Name):
            bindings = scope.lookup(expr.value)
        elif isinstance(expr, cst.Attribute) and (owner := self._class_of(expr.value, scope, depth + 1)):
            bindings = owner.attrs.get(expr.attr.value, [])
        for binding in bindings:
            if isinstance(binding.node, cst.ClassDef):
                return self._classes.get(binding.node)
            if binding.kind == "value" and binding.node is not None:
                found = self._class_of(binding.node, binding.scope, depth + 1)
                if found is not None:
                    return found
        return None

    def _own_method(self, receiver: cst.CSTNode, method: str, scope: Scope) -> bool:
        """``receiver`` belongs to a class of this file that defines ``method``: a wrapper whose HTTP
        call, if any, is inside that method and is judged there."""
        owner = self._class_of(receiver, scope)
        return owner is not None and any(
            isinstance(statement, cst.FunctionDef) and statement.name.value == method
            for statement in owner.node.body.body
        )

    # --- values -------------------------------------------------------------------------------

    def _template(self, expr: cst.CSTNode, scope: Scope, depth: int) -> _Template:
        """The text ``expr`` evaluates to, as far as the file shows it."""
        hole: _Template = (_Piece(None, expr),)
        if depth > _MAX_DEPTH:
            return hole
        deeper = depth + 1
        if (text := _string(expr)) is not None:
            return (_Piece(text, expr),)
        if isinstance(expr, cst.ConcatenatedString):  # "..." f"..."
            return self._template(expr.left, scope, deeper) + self._template(expr.right, scope, deeper)
        if isinstance(expr, cst.Integer):
            return (_Piece(str(expr.evaluated_value), expr),)
        if isinstance(expr, cst.FormattedString):
            pieces: list[_Piece] = []
            for part in expr.parts:
                if isinstance(part, cst.FormattedStringText):
                    pieces.append(_Piece(part.value.replace("{{", "{").replace("}}", "}"), part))
                elif (
                    isinstance(part, cst.FormattedStringExpression)
                    and not part.conversion
                    and not part.format_spec
                ):
                    pieces.extend(_anchor(self._template(part.expression, scope, deeper), part.expression))
                else:
                    pieces.append(_Piece(None, part))
            return tuple(pieces)
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
            return self._template(expr.left, scope, deeper) + self._template(expr.right, scope, deeper)
        if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
            left = self._template(expr.left, scope, deeper)
            return left if _has_text(left) else self._template(expr.right, scope, deeper)
        if isinstance(expr, cst.IfExp):
            body = self._template(expr.body, scope, deeper)
            return body if _has_text(body) else self._template(expr.orelse, scope, deeper)
        if isinstance(expr, cst.Name):
            return self._pick(expr, scope.lookup(expr.value), deeper)
        if isinstance(expr, cst.Attribute) and (owner := self._class_of(expr.value, scope)):
            return self._pick(expr, owner.attrs.get(expr.attr.value, []), deeper)
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):  # config.MAINTAINX_URL
            for binding in scope.lookup(expr.value.value)[:1]:
                if binding.imported is not None:
                    return _pieces(self._external(binding.imported, expr.attr.value), expr) or hole
        if isinstance(expr, cst.Call):
            return self._call_template(expr, scope, deeper) or hole
        return hole

    def _pick(self, expr: cst.CSTNode, bindings: list[Binding], depth: int) -> _Template:
        """The first binding that evaluates to a MaintainX URL, else the first binding's text."""
        hole: _Template = (_Piece(None, expr),)
        if id(bindings) in self._active:
            return hole
        self._active.add(id(bindings))
        try:
            first: _Template | None = None
            for binding in bindings:
                node = binding.node
                template = hole
                if binding.kind == "value" and node is not None:
                    template = self._template(node, binding.scope, depth)
                elif (
                    binding.kind == "param" and isinstance(node, cst.Param) and node.default and binding.owner
                ):
                    via = (binding.owner, node.name.value)
                    template = self._template(node.default, binding.scope, depth)
                    template = tuple(replace(piece, via=piece.via or via) for piece in template)
                elif binding.imported is not None:  # from app.config import MAINTAINX_URL
                    template = _pieces(self._external(binding.imported, None), expr) or hole
                if self._is_maintainx(template):
                    return template
                first = first or template
            return first or hole
        finally:
            self._active.discard(id(bindings))

    def _call_template(self, call: cst.Call, scope: Scope, depth: int) -> _Template | None:
        func, args = call.func, call.args
        name = dotted(func) or ""
        short = name.rsplit(".", 1)[-1]
        if short in ("get", "getenv") and _string(_arg(call, 0)) is not None:  # os.environ.get("X", default)
            default = _arg(call, 1, "default")
            return self._template(default, scope, depth) if default is not None else None
        if name == "str" and args:
            return _anchor(self._template(args[0].value, scope, depth), args[0].value)
        if short == "urljoin" and len(args) >= 2:
            base = self._template(args[0].value, scope, depth)
            return (*base, _Piece("/", call), *self._template(args[1].value, scope, depth))
        if not isinstance(func, cst.Attribute) or not args:
            return None
        if func.attr.value == "join" and isinstance(args[0].value, (cst.List, cst.Tuple)):  # "/".join([...])
            separator = _string(func.value)
            if separator is None:
                return None
            pieces: list[_Piece] = []
            for index, element in enumerate(args[0].value.elements):
                pieces += [_Piece(separator, func.value)] if index else []
                pieces += self._template(element.value, scope, depth)
            return tuple(pieces)
        if func.attr.value == "format":
            return self._format(call, self._template(func.value, scope, depth), scope, depth)
        return None

    def _format(self, call: cst.Call, template: _Template, scope: Scope, depth: int) -> _Template | None:
        """``"{}/workorders".format(BASE)``, ``"{base}/workorders".format(base=BASE)``."""
        if len(template) != 1 or template[0].text is None:
            return None
        positional = [arg.value for arg in call.args if arg.keyword is None and not arg.star]
        try:
            fields = list(string.Formatter().parse(template[0].text))
        except ValueError:
            return None
        pieces: list[_Piece] = []
        counter = 0
        for literal, name, spec, conversion in fields:
            if literal:
                pieces.append(_Piece(literal, template[0].node))
            if name is None:
                continue
            value: cst.BaseExpression | None
            if name == "" or name.isdigit():
                index = int(name) if name else counter
                counter += 1
                value = positional[index] if index < len(positional) else None
            else:
                value = _keyword(call, name)
            if value is None or spec or conversion:
                pieces.append(_Piece(None, value or call))
            else:
                pieces.extend(_anchor(self._template(value, scope, depth), value))
        return tuple(pieces)

    def _receiver(self, expr: cst.CSTNode, scope: Scope, depth: int) -> _Template | str | None:
        """The MaintainX base URL template of the client ``expr``, "wrapper" for a configured one."""
        if depth > _MAX_DEPTH:
            return None
        if self.clients and self._configured(expr):
            return "wrapper"
        if isinstance(expr, cst.Await):
            return self._receiver(expr.expression, scope, depth + 1)
        if isinstance(expr, cst.Call):
            return self._constructed(expr, scope, depth + 1)
        bindings: list[Binding] = []
        if isinstance(expr, cst.Name):
            bindings = scope.lookup(expr.value)
        elif isinstance(expr, cst.Attribute) and (owner := self._class_of(expr.value, scope)):
            bindings = owner.attrs.get(expr.attr.value, [])
        for binding in bindings:
            found = None
            if binding.kind == "value" and binding.node is not None:
                found = self._receiver(binding.node, binding.scope, depth + 1)
            elif binding.kind == "param" and self.clients and isinstance(binding.node, cst.Param):
                annotation = binding.node.annotation  # def sync(client: MaintainXClient)
                found = "wrapper" if annotation and self._configured(annotation.annotation) else None
            if found is not None:
                return found
        return None

    def _constructed(self, call: cst.Call, scope: Scope, depth: int) -> _Template | str | None:
        """What a client built by ``call`` is relative to: its base_url=, a wrapper, a factory's client."""
        base_url = _keyword(call, "base_url")
        if base_url is not None:
            template = self._template(base_url, scope, depth)
            return template if self._is_maintainx(template) else None
        if self.clients and self._configured(call.func):
            return "wrapper"
        if isinstance(call.func, cst.Name):  # def make_client(): return httpx.Client(base_url=...)
            for binding in scope.lookup(call.func.value):
                function = (
                    self._functions.get(binding.node) if isinstance(binding.node, cst.FunctionDef) else None
                )
                for value in function.returns if function else ():
                    found = self._receiver(value, function, depth + 1)  # type: ignore[arg-type]
                    if found is not None:
                        return found
        return None

    # --- other modules of the project ---------------------------------------------------------

    def _external(self, imported: tuple[str, int, str | None], attribute: str | None) -> str | None:
        """A string constant another module of the project defines: ``from app.config import URL``
        (``attribute`` None) or ``config.URL`` after ``from app import config`` / ``import config``."""
        module, level, name = imported
        if attribute is None:
            path = self._module_file(module, level) if name else None
            return _module_strings(path).get(name or "") if path else None
        path = self._module_file(".".join(filter(None, (module, name))), level)
        return _module_strings(path).get(attribute) if path else None

    def _module_file(self, module: str, level: int) -> Path | None:
        """The file of ``module``: relative to this file, or below one of its parent folders."""
        if self._path is None:
            return None
        folders = [self._path.parents[level - 1]] if level else list(self._path.parents)[:_MAX_PARENTS]
        parts = module.split(".") if module else []
        for folder in folders:
            stem = folder.joinpath(*parts)
            for candidate in ((stem.with_suffix(".py"),) if parts else ()) + (stem / "__init__.py",):
                if candidate.is_file():
                    return candidate
        return None

    # --- query parameters ---------------------------------------------------------------------

    def _call_params(self, call: cst.Call, scope: Scope, verb: str) -> tuple[dict[str, Param], bool]:
        argument = _keyword(call, "params")
        if argument is None and verb == "GET":
            argument = _keyword(call, "fields")  # urllib3: request("GET", url, fields={...})
        if argument is None or (isinstance(argument, cst.Name) and argument.value == "None"):
            return {}, True
        return self._dict(argument, scope, 0)

    def _dict(self, expr: cst.BaseExpression, scope: Scope, depth: int) -> tuple[dict[str, Param], bool]:
        """The statically known entries of a params mapping, and whether every key is known."""
        found: dict[str, Param] = {}
        complete = True
        if depth > _MAX_DEPTH:
            return found, False

        def merge(more: tuple[dict[str, Param], bool]) -> None:
            nonlocal complete
            found.update(more[0])
            complete = complete and more[1]

        if isinstance(expr, cst.Dict):
            for element in expr.elements:
                if isinstance(element, cst.StarredDictElement):
                    merge(self._dict(element.value, scope, depth + 1))
                elif (key := _string(element.key)) is not None:
                    found[key] = self.literal(element.value, scope)
                else:
                    complete = False
        elif isinstance(expr, (cst.List, cst.Tuple)):  # [("limit", 200), ("cursor", c)]
            for element in expr.elements:
                pair = element.value
                key = (
                    _string(pair.elements[0].value) if isinstance(pair, cst.Tuple) and pair.elements else None
                )
                if key is not None and len(pair.elements) == 2:  # type: ignore[attr-defined]
                    found[key] = self.literal(pair.elements[1].value, scope)  # type: ignore[attr-defined]
                else:
                    complete = False
        elif isinstance(expr, cst.Call) and dotted(expr.func) == "dict":
            for arg in expr.args:
                if arg.keyword is not None:
                    found[arg.keyword.value] = self.literal(arg.value, scope)
                else:
                    merge(self._dict(arg.value, scope, depth + 1))
        elif isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):  # a | b
            merge(self._dict(expr.left, scope, depth + 1))
            merge(self._dict(expr.right, scope, depth + 1))
        elif isinstance(expr, cst.Name):
            merge(self._variable(expr.value, scope, depth))
        else:
            complete = False
        return found, complete

    def _variable(self, name: str, scope: Scope, depth: int) -> tuple[dict[str, Param], bool]:
        """A params variable: its assignments, ``params["k"] = v`` and ``params.update(...)``."""
        bindings = scope.lookup(name)
        if id(bindings) in self._active:  # params = {**params, "cursor": cursor}
            return {}, True
        if not bindings or any(b.kind != "value" or b.node is None for b in bindings):
            return {}, False  # a parameter, a loop variable, an import: not known here
        self._active.add(id(bindings))
        found: dict[str, Param] = {}
        complete = True
        try:
            for binding in bindings:
                more, ok = self._dict(binding.node, binding.scope, depth + 1)  # type: ignore[arg-type]
                found.update(more)
                complete = complete and ok
            owner = bindings[0].scope
            for index, value in owner.stores.get(name, []):
                if (key := _string(index)) is None:
                    complete = False
                else:
                    found[key] = self.literal(value, owner)  # type: ignore[arg-type]
            for update in owner.updates.get(name, []):
                key = _string(update.args[0].value) if update.args else None
                if isinstance(update.func, cst.Attribute) and update.func.attr.value == "setdefault" and key:
                    found[key] = Param(update)
                    continue
                more, ok = self._dict(cst.Call(cst.Name("dict"), update.args), owner, depth + 1)
                found.update(more)
                complete = complete and ok
        finally:
            self._active.discard(id(bindings))
        return found, complete

    def literal(self, expr: cst.BaseExpression, scope: Scope) -> Param:
        """``expr`` as written, with its literal value through names of this file bound exactly once."""
        return Param(expr, self._value(expr, scope, 0))

    def _value(self, expr: cst.CSTNode, scope: Scope, depth: int) -> object:
        if isinstance(expr, cst.Integer):
            return expr.evaluated_value
        negative = isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus)
        if negative and isinstance(expr.expression, cst.Integer):  # type: ignore[attr-defined]
            return -expr.expression.evaluated_value  # type: ignore[attr-defined]
        if (text := _string(expr)) is not None:
            return text
        if isinstance(expr, cst.Name) and depth < _MAX_DEPTH:
            bindings = scope.lookup(expr.value)
            if len(bindings) == 1 and bindings[0].kind == "value" and bindings[0].node is not None:
                return self._value(bindings[0].node, bindings[0].scope, depth + 1)
        return UNKNOWN


def _query_params(
    text: str, owners: list[int], template: _Template, query: tuple[int, int] | None
) -> tuple[dict[str, Param], bool]:
    """``?limit=50&cursor={c}`` -> parameters, each pointing at the text or expression it comes from."""
    params: dict[str, Param] = {}
    if query is None:
        return params, True
    complete = True
    position = query[0]
    for pair in text[query[0] : query[1]].split("&"):
        start, position = position, position + len(pair) + 1
        key, _, value = pair.partition("=")
        if not pair:
            continue
        if _HOLE in key:  # ?{urlencode(params)}: anything may be in there
            complete = False
            continue
        value_start = start + len(key) + 1
        if _HOLE in value:
            params[key] = Param(template[owners[value_start + value.index(_HOLE)]].node)
        else:
            params[key] = Param(template[owners[value_start if value else start]].node, value)
    return params, complete


def reads_key(expr: cst.CSTNode, keys: frozenset[str], attributes: frozenset[str], names: set[str]) -> bool:
    """Whether ``expr`` reads one of ``keys`` (``x["k"]``, ``x.get("k")``), ``attributes`` or ``names``."""
    if isinstance(expr, cst.Name):
        return expr.value in names
    if isinstance(expr, cst.Attribute):
        return expr.attr.value in attributes or reads_key(expr.value, keys, attributes, names)
    if isinstance(expr, cst.Subscript) and _string(_subscript_index(expr)) in keys:
        return True
    if isinstance(expr, cst.Call):
        func = expr.func
        is_get = isinstance(func, cst.Attribute) and func.attr.value == "get" and expr.args
        if is_get and _string(expr.args[0].value) in keys:
            return True
        return any(reads_key(node, keys, attributes, names) for node in (func, *(a.value for a in expr.args)))
    if isinstance(expr, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        return False
    return any(reads_key(child, keys, attributes, names) for child in expr.children)


def _anchor(template: _Template, node: cst.CSTNode) -> _Template:
    """Pieces substituted into a URL at ``node`` (``{PAGE_SIZE}``) are reported there."""
    return tuple(replace(piece, node=node) for piece in template)


def _pieces(text: str | None, node: cst.CSTNode) -> _Template:
    """A template of ``text`` (holes marked with _HOLE) written at ``node``."""
    if not text:
        return ()
    parts = text.split(_HOLE)
    pieces: list[_Piece] = []
    for index, part in enumerate(parts):
        pieces += [_Piece(None, node)] if index else []
        pieces += [_Piece(part, node)] if part else []
    return tuple(pieces)


def _file_path(context: PythonContext) -> Path | None:
    """This file on disk, to find the modules it imports; None when it cannot be located."""
    path = getattr(context, "path", None)  # when the engine provides it
    if isinstance(path, Path):
        return path.resolve()
    candidate = Path.cwd() / context.relpath  # relpath is relative to the scan root, usually the cwd
    return candidate.resolve() if candidate.is_file() else None


def _module_strings(path: Path) -> Mapping[str, str]:
    try:
        stat = path.stat()
    except OSError:
        return {}
    return _read_module_strings(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _read_module_strings(path: str, mtime: int, size: int) -> Mapping[str, str]:
    """Module-level string constants of a file (names bound once), with run-time parts as _HOLE.

    Only strings: a base URL defined in ``config.py`` makes the calls of ``client.py`` MaintainX calls.
    Numbers (an imported ``PAGE_SIZE``) are left out on purpose: results are cached per file, and a
    finding that depends on another file would outlive the fix made there.
    """
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return {}
    found: dict[str, str] = {}
    seen: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target, value = statement.targets[0], statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            target, value = statement.target, statement.value
        else:
            continue
        if not isinstance(target, ast.Name):
            continue
        if target.id in seen:  # bound twice: not a constant
            found.pop(target.id, None)
            continue
        seen.add(target.id)
        text = _ast_text(value, found)
        if text and text.replace(_HOLE, ""):
            found[target.id] = text
    return found


def _ast_text(node: ast.expr, known: Mapping[str, str]) -> str | None:
    """The text of a constant expression: literals, f-strings, ``+``, ``or``, ``os.environ.get`` defaults."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        return known.get(node.id)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            if isinstance(value, ast.FormattedValue) and value.conversion == -1 and value.format_spec is None:
                parts.append(_ast_text(value.value, known) or _HOLE)
            else:
                parts.append(_ast_text(value, known) or _HOLE)
        return "".join(parts)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return (_ast_text(node.left, known) or _HOLE) + (_ast_text(node.right, known) or _HOLE)
    if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
        texts = [_ast_text(value, known) for value in node.values]
        return next((text for text in texts if text), None)
    if isinstance(node, ast.Call) and len(node.args) >= 2:  # os.environ.get("X", "<default>"), os.getenv
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("get", "getenv") and isinstance(node.args[0], ast.Constant):
            return _ast_text(node.args[1], known)
    return None
