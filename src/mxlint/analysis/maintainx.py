"""Is this call a MaintainX API call, on which endpoint, with which query parameters?

A call counts as a MaintainX call (checklist.md, "Scope") when its URL contains a MaintainX base
(``getmaintainx.com`` or an extra base from ``[tool.mxlint.maintainx] base-urls``), written in the
call (literal, f-string, ``+``, ``str.format``, ``"/".join``, ``urljoin``) or reached through names of
the file: module constants (``os.environ.get("X", "<default>")`` included), function locals, parameter
defaults, ``self.x``/``settings.x`` attributes of a class of the file, and the ``base_url=`` of the
client the call is made on (``httpx.Client(base_url=...)``, any constructor, directly, through a
variable, ``self.client``, ``with ... as client`` or a factory function of the file). Calls on
instances of configured wrapper classes (``clients = ["acme.mx.MaintainXClient"]``) and calls of
configured wrapper functions count too, with the path they are given. HTTP verbs are recognised by
the call's shape (``x.get(url)``, ``x.request("GET", url)``, ``x.stream("GET", url)``), not by the
library.

Only this file is read: results are cached per file, so a fact taken from another module would
outlive a change made there. Instead, a name the file cannot resolve (imported, a parameter, an
attribute of an object it does not define) whose identifier contains ``maintainx`` (any case:
``MAINTAINX_URL``, ``settings.maintainx_base_url``) is taken as a MaintainX base URL when it leads a
URL: ``f"{MAINTAINX_URL}/workorders"``, ``MAINTAINX_URL + path``, ``urljoin(MAINTAINX_URL, path)``,
``httpx.Client(base_url=settings.maintainx_url)``.

Usage: ``calls = context.analysis(MaintainXCalls)``, then ``calls.calls()`` (every MaintainX call of
the file) or ``calls.classify(node)``; ``calls.facts_of(node)`` gives the enclosing function's
evidence. Names are resolved through the file's shared scopes (:mod:`mxlint.analysis.scopes`).
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cache
from typing import TYPE_CHECKING

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.names import dotted, has_star_kwargs, keyword
from mxlint.analysis.scopes import (
    Binding,
    ClassInfo,
    FunctionInfo,
    Scope,
    Scopes,
    absolute_name,
    matches_configured,
    module_name,
)
from mxlint.analysis.triggers import Words
from mxlint.config import Settings

if TYPE_CHECKING:  # a runtime import would be circular: rules import the analyses
    from mxlint.checks.base import PythonContext

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
_HOLE = "\x00"  # stands for text known only at run time
_GUESSED = "\x01"  # stands for a MaintainX base URL known only by its name, at the start of a URL
_MAX_DEPTH = 12


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

    @property
    def probe(self) -> bool:
        """A GET for one record (``limit=1``): a health probe or a look at the latest change."""
        limit = self.params.get("limit")
        return limit is not None and str(limit.value) == "1"

    @property
    def lists(self) -> bool:
        """A GET that lists a list endpoint's records; a one-record probe lists nothing."""
        return self.verb == "GET" and self.list_endpoint is not None and not self.probe


@dataclass(eq=False)
class Facts:
    """Evidence from one function's own code (lambdas and class bodies in it included, nested functions
    not), or from the module's top-level code, that rules judge a call by."""

    calls: list[cst.Call] = field(default_factory=list)
    assignments: list[tuple[cst.BaseExpression, cst.BaseExpression]] = field(default_factory=list)
    returns: list[cst.BaseExpression] = field(default_factory=list)  # return and yield values
    stores: dict[str, list[tuple[cst.BaseExpression, cst.BaseExpression]]] = field(default_factory=dict)
    updates: dict[str, list[cst.Call]] = field(default_factory=dict)  # name.update(...), .setdefault
    strings: set[str] = field(default_factory=set)  # string literals and f-string text
    keywords: set[str] = field(default_factory=set)  # keyword argument names in calls
    keys: set[str] = field(default_factory=set)  # static dict keys and subscript-assignment keys
    attributes: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, root: cst.CSTNode) -> Facts:
        facts = cls()
        handlers = syntax.handlers(facts)
        for node in syntax.walk(root, lambda node: type(node) is cst.FunctionDef and node is not root):
            handler = handlers.get(type(node))
            if handler is not None:
                handler(node)
        return facts

    def _assign(self, target: cst.BaseExpression, value: cst.BaseExpression, store: bool = True) -> None:
        self.assignments.append((target, value))
        if store and isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            index = _subscript_index(target)
            if index is not None:
                self.stores.setdefault(target.value.value, []).append((index, value))
                if (key := _string(index)) is not None:
                    self.keys.add(key)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assign(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assign(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._assign(node.target, node.value, store=False)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._assign(node.target, node.value)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.returns.append(node.value)

    def visit_Yield(self, node: cst.Yield) -> None:
        if isinstance(node.value, cst.BaseExpression):
            self.returns.append(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)
        func = node.func
        updated = isinstance(func, cst.Attribute) and func.attr.value in _UPDATES
        if updated and isinstance(func.value, cst.Name):
            self.updates.setdefault(func.value.value, []).append(node)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.keywords.add(node.keyword.value)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if (key := _string(node.key)) is not None:
            self.keys.add(key)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if (value := _string(node)) is not None:
            self.strings.add(value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self.strings.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.attributes.add(node.attr.value)


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


def _assigned(bindings: list[Binding]) -> list[Binding]:
    """Bindings that give a value: an annotation alone (``url: str``) assigns nothing."""
    return [binding for binding in bindings if binding.kind != "declared"]


# --- URL templates ------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Piece:
    text: str | None  # None: known only at run time
    node: cst.CSTNode  # where the text is written
    via: tuple[Scope, str] | None = None  # (function, parameter) whose default supplied the text
    guessed: bool = False  # a MaintainX base URL by its name only: counts where it leads the URL


_Template = tuple[_Piece, ...]


def _render(template: _Template) -> tuple[str, list[int]]:
    """The text, run-time parts as _HOLE (a leading guessed base as _GUESSED), and for each character
    the index of its piece."""
    text, owners = [], []
    leading = True
    for index, piece in enumerate(template):
        chunk = piece.text if piece.text is not None else _GUESSED if piece.guessed and leading else _HOLE
        leading = leading and not chunk
        text.append(chunk)
        owners.extend([index] * len(chunk))
    return "".join(text), owners


def _has_text(template: _Template) -> bool:
    return any(piece.text or piece.guessed for piece in template)


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


def maintainx_words(settings: Settings) -> list[str]:
    """Words a file that may call MaintainX holds: ``maintainx`` (``getmaintainx.com``, an imported
    ``MAINTAINX_URL``, a ``MaintainXClient``), a configured base URL or a configured wrapper's name."""
    return [
        "maintainx",
        *settings.maintainx_base_urls,
        *(n.rsplit(".", 1)[-1] for n in settings.maintainx_clients),
    ]


@cache
def trigger_pattern(settings: Settings, also: tuple[str, ...] = ()) -> Words:
    """Files that may call MaintainX; ``also``: words one of which must occur in the file too."""
    return Words(maintainx_words(settings), also) if also else Words(maintainx_words(settings))


class MaintainXCalls:
    """Per-file analysis: which calls go to MaintainX. ``context.analysis(MaintainXCalls)``."""

    def __init__(self, context: PythonContext) -> None:
        self.bases = context.settings.maintainx_base_urls
        self.clients = frozenset(context.settings.maintainx_clients)
        self.client_names = frozenset(name.rsplit(".", 1)[-1] for name in self.clients)
        self._scope_of: dict[cst.Call, Scope] = context.analysis(Scopes).calls
        self._facts: dict[Scope, Facts] = {}
        self._classified: dict[cst.Call, MaintainXCall | None] = {}
        self._active: set[int] = set()  # binding lists being resolved, against cycles (url = url + "/x")
        self._relpath = context.relpath
        self._module = module_name(context.relpath)

    def facts_of(self, call: cst.Call) -> Facts:
        """The evidence of the function (or module code) ``call`` is made in."""
        return self._facts_in(self._scope_of[call])

    def calls(self) -> list[MaintainXCall]:
        """Every MaintainX call of the file, in source order."""
        found = (self.classify(call) for call in self._scope_of)
        return [mx for mx in found if mx is not None]

    def classify(self, call: cst.Call) -> MaintainXCall | None:
        if call not in self._classified:
            scope = self._scope_of.get(call)
            self._classified[call] = self._classify(call, scope) if scope else None
        return self._classified[call]

    def body(self, mx: MaintainXCall) -> dict[str, Param]:
        """The statically known top-level keys of the JSON body ``mx`` sends: ``json=`` (a literal, a
        variable with its ``body["k"] = v`` stores and ``.update()`` calls), or ``data=json.dumps(...)``."""
        argument = _keyword(mx.call, "json")
        if argument is None:
            data = _keyword(mx.call, "data") or _keyword(mx.call, "content")
            if isinstance(data, cst.Call) and dotted(data.func) in ("json.dumps", "dumps") and data.args:
                argument = data.args[0].value
        scope = self._scope_of.get(mx.call)
        if argument is None or scope is None:
            return {}
        return self._dict(argument, scope, 0)[0]

    def scope_of(self, call: cst.Call) -> Scope | None:
        return self._scope_of.get(call)

    def _facts_in(self, scope: Scope) -> Facts:
        while scope.parent is not None and not isinstance(scope.node, cst.FunctionDef):
            scope = scope.parent  # lambdas and class bodies belong to the code around them
        if scope not in self._facts:
            self._facts[scope] = Facts.of(scope.node)
        return self._facts[scope]

    # --- call shapes --------------------------------------------------------------------------

    def _shape(
        self, call: cst.Call, scope: Scope
    ) -> tuple[str, cst.BaseExpression, cst.CSTNode | None] | None:
        """(verb, URL expression, receiver) of an HTTP-shaped call; a wrapper function is its own receiver."""
        func = call.func
        if self.clients and self._configured(func, scope):  # fetch("/workorders"), api.fetch(path=...)
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
        return "://" in _render(template)[0] or self._is_maintainx(template)

    def _is_maintainx(self, template: _Template) -> bool:
        text = _render(template)[0]
        return text.startswith(_GUESSED) or any(base in text for base in self.bases)

    def _split(self, text: str, absolute: bool) -> tuple[int, int, tuple[int, int] | None] | None:
        """Where the path of a URL starts and ends, and the span of its query string."""
        start = 0
        if text.startswith(_GUESSED):  # the whole base: the path follows it
            start = len(_GUESSED)
        elif absolute:
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

    def _configured(self, node: cst.CSTNode, scope: Scope) -> bool:
        """Whether ``node`` names a configured wrapper class, function or instance (names resolved)."""
        text = dotted(node)
        if not text or text.rsplit(".", 1)[-1] not in self.client_names:
            return False
        head, _, rest = text.partition(".")
        for binding in scope.lookup(head):
            if binding.kind == "import" and binding.qualified:
                if binding.qualified.startswith("."):  # from .maintainx import Client
                    full = absolute_name(f"{binding.qualified}.{rest}".rstrip("."), self._relpath)
                    if matches_configured(full, self.clients):
                        return True
                elif ".".join(filter(None, (binding.qualified, rest))) in self.clients:
                    return True
            elif binding.scope.kind == "module" and matches_configured(
                f"{self._module}.{text}", self.clients
            ):
                return True  # defined in this file
        return False

    def _class_of(self, expr: cst.CSTNode, scope: Scope, depth: int = 0) -> ClassInfo | None:
        """The class of this file that ``expr`` is (or is an instance of): ``self``, ``Settings()``."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(expr, cst.Call):
            return self._class_of(expr.func, scope, depth + 1)
        bindings: list[Binding] = []
        if isinstance(expr, cst.Name):
            bindings = scope.lookup(expr.value)
        elif isinstance(expr, cst.Attribute) and (owner := self._class_of(expr.value, scope, depth + 1)):
            bindings = owner.attributes.get(expr.attr.value, [])
        for binding in bindings:
            if binding.kind in ("class", "self") and isinstance(binding.info, ClassInfo):
                return binding.info
            if binding.kind == "value" and binding.value is not None:
                found = self._class_of(binding.value, binding.scope, depth + 1)
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
            return self._pick(expr, expr.value, scope.lookup(expr.value), deeper)
        if isinstance(expr, cst.Attribute):
            owner = self._class_of(expr.value, scope)
            bindings = owner.attributes.get(expr.attr.value, []) if owner else []
            return self._pick(expr, expr.attr.value, bindings, deeper)
        if isinstance(expr, cst.Call):
            return self._call_template(expr, scope, deeper) or hole
        return hole

    def _pick(self, expr: cst.CSTNode, name: str, bindings: list[Binding], depth: int) -> _Template:
        """The first binding that evaluates to a MaintainX URL, else the first binding's text. A name
        the file cannot resolve (imported, a parameter, unbound) counts as a MaintainX base URL when
        it says so: ``MAINTAINX_URL``, ``settings.maintainx_base_url``."""
        hole: _Template = (_Piece(None, expr),)
        guess: _Template = (_Piece(None, expr, guessed=True),) if "maintainx" in name.lower() else hole
        if not _assigned(bindings):
            return guess
        if id(bindings) in self._active:
            return hole
        self._active.add(id(bindings))
        try:
            first: _Template | None = None
            for binding in _assigned(bindings):
                template = hole
                node = binding.node
                if binding.kind == "value" and binding.value is not None:
                    template = self._template(binding.value, binding.scope, depth)
                elif binding.kind == "param" and isinstance(node, cst.Param) and binding.owner is not None:
                    if node.default is not None:
                        via = (binding.owner, node.name.value)
                        template = self._template(node.default, binding.scope, depth)
                        template = tuple(replace(piece, via=piece.via or via) for piece in template)
                    if not self._is_maintainx(template) and guess is not hole:
                        template = guess
                elif binding.kind == "import":
                    template = guess
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
        if self.clients and self._configured(expr, scope):
            return "wrapper"
        if isinstance(expr, cst.Await):
            return self._receiver(expr.expression, scope, depth + 1)
        if isinstance(expr, cst.Call):
            return self._constructed(expr, scope, depth + 1)
        bindings: list[Binding] = []
        if isinstance(expr, cst.Name):
            bindings = scope.lookup(expr.value)
        elif isinstance(expr, cst.Attribute) and (owner := self._class_of(expr.value, scope)):
            bindings = owner.attributes.get(expr.attr.value, [])
        for binding in bindings:
            found = None
            if binding.kind == "value" and binding.value is not None:
                found = self._receiver(binding.value, binding.scope, depth + 1)
            elif binding.kind == "param" and self.clients and binding.annotation is not None:
                # def sync(client: MaintainXClient)
                found = "wrapper" if self._configured(binding.annotation, binding.scope) else None
            if found is not None:
                return found
        return None

    def _constructed(self, call: cst.Call, scope: Scope, depth: int) -> _Template | str | None:
        """What a client built by ``call`` is relative to: its base_url=, a wrapper, a factory's client."""
        base_url = _keyword(call, "base_url")
        if base_url is not None:
            template = self._template(base_url, scope, depth)
            return template if self._is_maintainx(template) else None
        if self.clients and self._configured(call.func, scope):
            return "wrapper"
        if isinstance(call.func, cst.Name):  # def make_client(): return httpx.Client(base_url=...)
            for binding in scope.lookup(call.func.value):
                function = binding.info if isinstance(binding.info, FunctionInfo) else None
                for value in (*function.returns, *function.yields) if function else ():
                    found = self._receiver(value, function.scope, depth + 1)  # type: ignore[union-attr]
                    if found is not None:
                        return found
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
        assigned = _assigned(bindings)
        if not assigned or any(b.kind != "value" or b.value is None for b in assigned):
            return {}, False  # a parameter, a loop variable, an import: not known here
        self._active.add(id(bindings))
        found: dict[str, Param] = {}
        complete = True
        try:
            for binding in assigned:
                more, ok = self._dict(binding.value, binding.scope, depth + 1)  # type: ignore[arg-type]
                found.update(more)
                complete = complete and ok
            owner = assigned[0].scope
            facts = self._facts_in(owner)
            for index, value in facts.stores.get(name, []):
                if (key := _string(index)) is None:
                    complete = False
                else:
                    found[key] = self.literal(value, owner)
            for update in facts.updates.get(name, []):
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
            bindings = _assigned(scope.lookup(expr.value))
            if len(bindings) == 1 and bindings[0].kind == "value" and bindings[0].value is not None:
                return self._value(bindings[0].value, bindings[0].scope, depth + 1)
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
    return any(reads_key(child, keys, attributes, names) for child in syntax.children(expr))


def _anchor(template: _Template, node: cst.CSTNode) -> _Template:
    """Pieces substituted into a URL at ``node`` (``{PAGE_SIZE}``) are reported there."""
    return tuple(replace(piece, node=node) for piece in template)
