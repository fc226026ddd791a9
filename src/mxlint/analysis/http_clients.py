"""Outbound HTTP calls and the clients they go through: requests, httpx, aiohttp and urllib3.

``context.analysis(HttpClients)`` answers, for any ``cst.Call`` of a file, whether it sends an HTTP
request or builds a client, of which library, with which verb, URL and client::

    clients = self.context.analysis(HttpClients)
    for http_call in clients.calls():          # every HTTP call of the file, in source order
        http_call.library, http_call.kind, http_call.verb, http_call.url, http_call.client

Names are resolved, not matched as text: ``import requests as r``, ``from requests import get as g``
and ``from httpx import Client`` all resolve, while a dict called ``requests`` or an attribute
``self.requests`` that never holds a session does not. Receivers are followed through local and
global variables, ``self`` attributes (assigned in any method, as class attributes, or declared by
annotation, inherited from a base class of the module), ``with``/``async with`` targets, factory
functions and methods (their ``return`` values, or a ``-> requests.Session`` annotation), properties
and parameters annotated with a client type.

Names are resolved through the file's shared scopes (:mod:`mxlint.analysis.scopes`), not libcst's
QualifiedNameProvider, which costs 30-50 times as much and does not follow assignments. A file that
imports none of the libraries is never walked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import libcst as cst

from mxlint.analysis.scopes import Binding, ClassInfo, FunctionInfo, Scope, Scopes
from mxlint.analysis.scopes import elements as scope_elements

if TYPE_CHECKING:  # a runtime import would be circular: rules import this module
    from mxlint.checks.base import PythonContext

LIBRARIES = ("requests", "httpx", "aiohttp", "urllib3")

# An import of one of the libraries (``import os, requests``, ``from httpx import Client``, also inside
# a function or after ``;``). Rules built on this analysis can use it as their TRIGGER.
IMPORT_TRIGGER = (
    r"(?:^|;)[ \t]*(?:from|import)[ \t]+(?:[\w.]+(?:[ \t]+as[ \t]+\w+)?[ \t]*,[ \t]*)*"
    r"(?:requests|requests_toolbelt|httpx|aiohttp|urllib3)\b"
)
_IMPORT_PATTERN = re.compile(IMPORT_TRIGGER.encode(), re.MULTILINE)


@dataclass(frozen=True, eq=False)
class Client:
    """A client object of the module: built by a constructor, or only known by a type annotation."""

    library: str  # "requests" | "httpx" | "aiohttp" | "urllib3"
    type: str  # canonical class, e.g. "requests.Session", "httpx.AsyncClient", "urllib3.PoolManager"
    constructor: cst.Call | None  # the call that built it; None when known by annotation or as `self`
    timeout: cst.BaseExpression | None  # client-level timeout argument of the constructor
    base_url: cst.BaseExpression | None  # httpx/aiohttp/requests-toolbelt base_url, urllib3 pool host/url
    default_timeout_enforced: bool  # a timeout is injected for every request (see HttpClients)
    subclass: cst.ClassDef | None = None  # module class it is an instance of (a subclass of `type`)


@dataclass(frozen=True, eq=False)
class HttpCall:
    """One outbound HTTP call or client construction."""

    call: cst.Call
    library: str
    kind: str  # "function" (requests.get), "method" (session.get), "constructor" (httpx.Client(...))
    name: str  # canonical callee: "requests.get", "requests.Session.get", "httpx.Client"
    verb: str | None  # "GET", "POST", ...; a literal method of request("GET", url) is resolved
    url: cst.BaseExpression | None  # the URL argument as written (a client's base_url is on the client)
    clients: tuple[Client, ...] = ()  # method: what the receiver may be; constructor: the client built
    params: tuple[str, ...] = ()  # the callee's positional parameters (without self)

    @property
    def client(self) -> Client | None:
        return self.clients[0] if self.clients else None

    def argument(self, name: str) -> cst.BaseExpression | None:
        """The value passed for parameter ``name``, by keyword or by position."""
        return argument(self.call, name, self.params)

    def may_pass(self, name: str) -> bool:
        """Whether ``name`` is passed, or may be through ``**kwargs`` (or ``*args`` for a positional one)."""
        if self.argument(name) is not None:
            return True
        stars = {arg.star for arg in self.call.args}
        return "**" in stars or ("*" in stars and name in self.params)


@dataclass(frozen=True)
class TimeoutValue:
    """A statically known timeout: the bound on a stalled read, in seconds (None: no limit)."""

    seconds: float | None
    expression: cst.BaseExpression  # what decided it: the argument, or the constant a name holds


def argument(call: cst.Call, name: str, params: Sequence[str] = ()) -> cst.BaseExpression | None:
    """The value of parameter ``name`` in ``call``, by keyword or by its position in ``params``."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    if name not in params:
        return None
    index = params.index(name)
    for position, arg in enumerate(call.args):
        if arg.keyword is not None or arg.star:
            return None  # positions after a *args are unknown
        if position == index:
            return arg.value
    return None


# --- library tables -----------------------------------------------------------------------------

_VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
_URL = ("url",)
_METHOD_URL = ("method", "url")

# Module-level functions that send a request: canonical name -> positional parameters.
_FUNCTIONS: dict[str, tuple[str, ...]] = {
    **{f"requests.{verb}": _URL for verb in _VERBS},
    "requests.request": _METHOD_URL,
    **{f"httpx.{verb}": _URL for verb in _VERBS},
    "httpx.request": _METHOD_URL,
    "httpx.stream": _METHOD_URL,
    "aiohttp.request": _METHOD_URL,
    "urllib3.request": _METHOD_URL,
}

_SESSION_REQUEST = ("method", "url", "params", "data", "headers", "cookies", "files", "auth", "timeout")
_REQUESTS_METHODS = {**{verb: _URL for verb in _VERBS}, "request": _SESSION_REQUEST, "send": ("request",)}
_HTTPX_METHODS = {
    **{verb: _URL for verb in _VERBS},
    "request": _METHOD_URL,
    "stream": _METHOD_URL,
    "send": ("request",),
}
_AIOHTTP_METHODS = {**{verb: _URL for verb in _VERBS}, "request": _METHOD_URL}
_MANAGER_METHODS = dict.fromkeys(
    ("request", "request_encode_url", "request_encode_body", "urlopen"), _METHOD_URL
)
_POOL_URLOPEN = ("method", "url", "body", "headers", "retries", "redirect", "assert_same_host", "timeout")
_POOL_METHODS = {**_MANAGER_METHODS, "urlopen": _POOL_URLOPEN}
_ALL_METHODS = frozenset().union(_REQUESTS_METHODS, _HTTPX_METHODS, _AIOHTTP_METHODS, _POOL_METHODS)


@dataclass(frozen=True)
class _ClientType:
    library: str
    name: str  # canonical class the constructor returns
    params: tuple[str, ...]  # positional parameters of the constructor
    methods: Mapping[str, tuple[str, ...]]  # request-sending methods -> positional parameters
    base_url: str | None = None  # the constructor parameter that holds the base URL (or host)


def _types() -> dict[str, _ClientType]:
    session = _ClientType("requests", "requests.Session", (), _REQUESTS_METHODS)
    toolbelt = "requests_toolbelt.sessions.BaseUrlSession"
    pool_params = ("host", "port", "timeout")
    pool = _ClientType("urllib3", "urllib3.HTTPConnectionPool", pool_params, _POOL_METHODS, "host")
    https_pool = _ClientType("urllib3", "urllib3.HTTPSConnectionPool", pool_params, _POOL_METHODS, "host")
    proxy = _ClientType("urllib3", "urllib3.ProxyManager", ("proxy_url",), _MANAGER_METHODS)
    socks = "urllib3.contrib.socks.SOCKSProxyManager"
    return {
        "requests.Session": session,
        "requests.session": session,
        toolbelt: _ClientType("requests", toolbelt, ("base_url",), _REQUESTS_METHODS, "base_url"),
        "httpx.Client": _ClientType("httpx", "httpx.Client", (), _HTTPX_METHODS, "base_url"),
        "httpx.AsyncClient": _ClientType("httpx", "httpx.AsyncClient", (), _HTTPX_METHODS, "base_url"),
        "aiohttp.ClientSession": _ClientType(
            "aiohttp", "aiohttp.ClientSession", ("base_url",), _AIOHTTP_METHODS, "base_url"
        ),
        "urllib3.PoolManager": _ClientType("urllib3", "urllib3.PoolManager", (), _MANAGER_METHODS),
        "urllib3.ProxyManager": proxy,
        "urllib3.proxy_from_url": _ClientType("urllib3", proxy.name, ("url",), _MANAGER_METHODS),
        socks: _ClientType("urllib3", socks, ("proxy_url",), _MANAGER_METHODS),
        "urllib3.HTTPConnectionPool": pool,
        "urllib3.HTTPSConnectionPool": https_pool,
        "urllib3.connection_from_url": _ClientType("urllib3", pool.name, ("url",), _POOL_METHODS, "url"),
    }


_CLIENT_TYPES = _types()
_ADAPTERS = frozenset({"requests.adapters.HTTPAdapter", "requests.adapters.BaseAdapter"})
# Where the libraries define what they re-export at the top level (canonical = the public name).
_MODULE_ALIASES = (
    ("requests.packages.urllib3.", "urllib3."),
    ("requests.api.", "requests."),
    ("requests.sessions.", "requests."),
    ("httpx._api.", "httpx."),
    ("httpx._client.", "httpx."),
    ("httpx._config.", "httpx."),
    ("aiohttp.client.", "aiohttp."),
    ("urllib3.poolmanager.", "urllib3."),
    ("urllib3.connectionpool.", "urllib3."),
    ("urllib3.util.timeout.", "urllib3."),
    ("urllib3.util.Timeout", "urllib3.Timeout"),
    ("requests.HTTPAdapter", "requests.adapters.HTTPAdapter"),
)
_WRAPPER_TYPES = ("Optional", "Union", "Annotated", "ClassVar", "Final")
_PROPERTIES = ("property", "cached_property")


def _is_library(name: str) -> bool:
    return name.split(".")[0] in (*LIBRARIES, "requests_toolbelt")


def canonical(name: str) -> str:
    """The public name of a library object: ``requests.api.get`` -> ``requests.get``."""
    for prefix, replacement in _MODULE_ALIASES:
        if name == prefix or name.startswith(prefix):
            name = replacement + name[len(prefix) :]
    return name


# --- values the resolver tracks -------------------------------------------------------------------


@dataclass(eq=False)
class _Site:
    """Where a client comes from: a constructor call, an annotation, or ``self`` in a client subclass."""

    type: _ClientType
    constructor: cst.Call | None
    subclass: ClassInfo | None = None


@dataclass(frozen=True)
class _Instance:
    info: ClassInfo


@dataclass(frozen=True)
class _ClassRef:
    info: ClassInfo


@dataclass(frozen=True)
class _FunctionRef:
    info: FunctionInfo


_Value = _Site | _Instance | _ClassRef | _FunctionRef
_UNKNOWN: Any = object()
_MAX_DEPTH = 12


class HttpClients:
    """Per-file analysis of outbound HTTP calls; see the module docstring.

    ``Client.default_timeout_enforced`` is true for a session on which the module mounts an adapter
    whose class overrides ``send`` (an ``HTTPAdapter`` subclass of the module) or an adapter it cannot
    see into (imported from another module); for an instance of a client subclass of the module that
    overrides ``request`` or ``send`` (or mounts such an adapter on ``self``); and for a client whose
    request methods the module replaces (``session.request = partial(session.request, timeout=10)``).
    """

    def __init__(self, context: PythonContext) -> None:
        self._classified: dict[cst.Call, HttpCall | None] = {}
        self._all: list[HttpCall] | None = None
        self._memo: dict[Any, tuple[_Value, ...] | None] = {}  # None: being computed
        self._cycle = False
        self._sites: dict[Any, _Site] = {}
        self._clients: dict[_Site, Client] = {}
        self._client_class_memo: dict[ClassInfo, _ClientType | None] = {}
        self._mro: dict[ClassInfo, list[ClassInfo]] = {}
        self._enforced_sites: set[_Site] = set()
        self._enforced_classes: set[ClassInfo] = set()
        self._strings: dict[cst.SimpleString, cst.BaseExpression | None] = {}
        self._scope_of: dict[cst.Call, Scope] = {}
        # A file that imports none of the libraries has no HTTP call: its scopes are not even built.
        if not _IMPORT_PATTERN.search(context.data):
            return
        scopes: Scopes = context.analysis(Scopes)
        if not any(_is_library(binding.qualified or "") for binding in scopes.imports):
            return
        self._scope_of = scopes.calls
        self._client_classes = [info for info in scopes.classes.values() if self._client_class(info)]
        self._find_enforcement(scopes)

    # public API

    def classify(self, call: cst.Call) -> HttpCall | None:
        """The HTTP call ``call`` makes, or None when it is not one (or not of this file)."""
        if call not in self._classified:
            scope = self._scope_of.get(call)
            self._classified[call] = self._classify(call, scope) if scope is not None else None
        return self._classified[call]

    def calls(self) -> list[HttpCall]:
        """Every HTTP call and client construction of the file, in source order."""
        if self._all is None:
            classified = (self.classify(call) for call in self._scope_of)
            self._all = [http_call for http_call in classified if http_call is not None]
        return self._all

    def calls_on(self, client: Client) -> list[HttpCall]:
        """The method calls of the file whose receiver may be ``client``."""
        return [c for c in self.calls() if c.kind == "method" and any(cl is client for cl in c.clients)]

    def timeout_value(self, expression: cst.BaseExpression, where: cst.Call) -> TimeoutValue | None:
        """The read bound ``expression`` sets when passed as a timeout in ``where``; None if not known.

        Literals, ``(connect, read)`` tuples (judged by the read part), ``httpx.Timeout``,
        ``aiohttp.ClientTimeout`` and ``urllib3.Timeout`` calls, simple arithmetic and names assigned
        once (module constants) are evaluated; anything else (configuration, calls) is not known.
        """
        scope = self._scope_of.get(where)
        if scope is None:
            return None
        seconds = self._seconds(expression, scope, 0)
        if seconds is _UNKNOWN:
            return None
        for _ in range(_MAX_DEPTH):  # name the constant behind ``timeout=TIMEOUT``
            constant = self._constant(expression, scope)
            if constant is None:
                break
            expression, scope = constant.value, constant.scope
        return TimeoutValue(seconds, expression)

    # preparation

    def _find_enforcement(self, scopes: Scopes) -> None:
        for call, scope in scopes.calls.items():
            func = call.func
            if not (isinstance(func, cst.Attribute) and func.attr.value == "mount"):
                continue
            adapter = argument(call, "adapter", ("prefix", "adapter"))
            if adapter is not None and self._adapter_kind(adapter, scope, 0) != "plain":
                self._enforce(func.value, scope)
        for target, binding in scopes.attribute_targets:  # session.request = partial(session.request, ...)
            if target.attr.value in _ALL_METHODS:
                self._enforce(target.value, binding.scope)

    def _enforce(self, receiver: cst.BaseExpression, scope: Scope) -> None:
        for site in self._client_sites(receiver, scope):
            if site.constructor is None and site.subclass is not None:
                self._enforced_classes.add(site.subclass)
            else:
                self._enforced_sites.add(site)

    def _adapter_kind(self, node: cst.BaseExpression, scope: Scope, depth: int) -> str:
        """What a mounted adapter does about timeouts: "plain" for requests' own adapters (and module
        subclasses that leave ``send`` alone), "timeout" for a module class that overrides ``send``,
        "unknown" for what the file cannot show (an adapter imported from elsewhere may inject a
        timeout, so it is given the benefit of the doubt)."""
        kinds: set[str] = set()
        if depth > _MAX_DEPTH:
            return "unknown"
        if isinstance(node, cst.Name):
            for binding in scope.lookup(node.value) or [Binding("unknown", scope)]:
                value = binding.value if binding.kind == "value" else None
                kind = self._adapter_kind(value, binding.scope, depth + 1) if value is not None else "unknown"
                kinds.add(kind)
        elif isinstance(node, cst.Call):
            if self._qualified(node.func, scope, 0) in _ADAPTERS:
                return "plain"
            for callee in self._values(node.func, scope):
                if isinstance(callee, _ClassRef):
                    kinds.add(self._adapter_class_kind(callee.info))
                elif isinstance(callee, _FunctionRef):
                    returned = callee.info.returns
                    kinds.update(self._adapter_kind(r, callee.info.scope, depth + 1) for r in returned)
        for kind in ("timeout", "unknown", "plain"):
            if kind in kinds:
                return kind
        return "unknown"

    def _adapter_class_kind(self, info: ClassInfo) -> str:
        chain = self._module_mro(info)
        if any(self._defines(owner, ("send",)) for owner in chain):
            return "timeout"
        bases = [(base.value, owner.outer) for owner in chain for base in owner.node.bases]
        external = {self._qualified(base, scope, 0) for base, scope in bases}
        external.discard(None)
        return "plain" if external and external <= _ADAPTERS else "unknown"

    # classification

    def _classify(self, call: cst.Call, scope: Scope) -> HttpCall | None:
        func = call.func
        name = self._qualified(func, scope, 0)
        if name in _FUNCTIONS:
            params = _FUNCTIONS[name]
            return self._http_call(call, name.split(".")[0], "function", name, params, name.rsplit(".", 1)[1])
        if name in _CLIENT_TYPES or (self._client_classes and not isinstance(func, cst.Call)):
            built = [v for v in self._values(call, scope) if isinstance(v, _Site) and v.constructor is call]
            if built:
                client = self._client(built[0])
                return HttpCall(call, client.library, "constructor", client.type, None, None, (client,))
        if not (isinstance(func, cst.Attribute) and func.attr.value in _ALL_METHODS):
            return None
        method = func.attr.value
        sites = [s for s in self._client_sites(func.value, scope) if method in s.type.methods]
        if not sites or len({site.type.library for site in sites}) > 1:
            return None
        if any(site.subclass and self._defines_in_mro(site.subclass, method) for site in sites):
            return None  # the module's own method, not the library's
        clients = tuple(dict.fromkeys(self._client(site) for site in sites))
        first = sites[0].type
        return self._http_call(
            call, first.library, "method", f"{first.name}.{method}", first.methods[method], method, clients
        )

    def _http_call(
        self,
        call: cst.Call,
        library: str,
        kind: str,
        name: str,
        params: tuple[str, ...],
        method: str,
        clients: tuple[Client, ...] = (),
    ) -> HttpCall:
        verb = method.upper() if method in _VERBS else None
        if "method" in params:
            literal = argument(call, "method", params)
            if isinstance(literal, cst.SimpleString) and isinstance(literal.evaluated_value, str):
                verb = literal.evaluated_value.upper()
        return HttpCall(call, library, kind, name, verb, argument(call, "url", params), clients, params)

    def _client(self, site: _Site) -> Client:
        if site not in self._clients:
            constructor, client_type = site.constructor, site.type
            self._clients[site] = Client(
                library=client_type.library,
                type=client_type.name,
                constructor=constructor,
                timeout=argument(constructor, "timeout", client_type.params) if constructor else None,
                base_url=(
                    argument(constructor, client_type.base_url, client_type.params)
                    if constructor and client_type.base_url
                    else None
                ),
                default_timeout_enforced=self._enforced(site),
                subclass=site.subclass.node if site.subclass else None,
            )
        return self._clients[site]

    def _enforced(self, site: _Site) -> bool:
        if site in self._enforced_sites:
            return True
        if site.subclass is None:
            return False
        chain = self._module_mro(site.subclass)
        overridden = ("request", "send")
        return any(info in self._enforced_classes or self._defines(info, overridden) for info in chain)

    # name resolution

    def _qualified(self, node: cst.BaseExpression, scope: Scope, depth: int) -> str | None:
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.Attribute):
            base = self._qualified(node.value, scope, depth + 1)
            return canonical(f"{base}.{node.attr.value}") if base else None
        if not isinstance(node, cst.Name):
            return None
        bindings = scope.lookup(node.value)
        imported = {canonical(b.qualified) for b in bindings if b.kind == "import" and b.qualified}
        if imported:  # one name imported from two places (try/except ImportError) must agree
            return imported.pop() if len(imported) == 1 else None
        if len(bindings) == 1 and bindings[0].kind == "value" and bindings[0].annotation is None:
            value = bindings[0].value
            if isinstance(value, (cst.Name, cst.Attribute)):  # get = requests.get
                return self._qualified(value, bindings[0].scope, depth + 1)
        return None

    def _memoized(self, key: Any, compute: Callable[[], Iterable[_Value]]) -> tuple[_Value, ...]:
        """``compute()`` once per key. A cycle (``s = s or Session()``) contributes nothing, and results
        computed while a cycle was open are partial, so they are not kept."""
        if key in self._memo:
            result = self._memo[key]
            if result is None:
                self._cycle = True
                return ()
            return result
        self._memo[key] = None
        outer_cycle, self._cycle = self._cycle, False
        result = tuple(dict.fromkeys(compute()))
        if self._cycle:
            del self._memo[key]
        else:
            self._memo[key] = result
        self._cycle = self._cycle or outer_cycle
        return result

    def _values(self, node: cst.BaseExpression, scope: Scope) -> tuple[_Value, ...]:
        """What ``node`` may evaluate to, as far as clients are concerned (empty: unknown)."""
        return self._memoized(node, lambda: self._compute_values(node, scope))

    def _compute_values(self, node: cst.BaseExpression, scope: Scope) -> Iterator[_Value]:
        if isinstance(node, cst.Await):
            yield from self._values(node.expression, scope)
        elif isinstance(node, cst.NamedExpr):
            yield from self._values(node.value, scope)
        elif isinstance(node, cst.BooleanOperation):
            yield from self._values(node.left, scope)
            yield from self._values(node.right, scope)
        elif isinstance(node, cst.IfExp):
            yield from self._values(node.body, scope)
            yield from self._values(node.orelse, scope)
        elif isinstance(node, cst.Name):
            bindings = scope.lookup(node.value)
            if not any(map(_is_other, bindings)):  # a name reused for a loop variable, a dict...
                for binding in bindings:
                    yield from self._binding_values(binding)
        elif isinstance(node, cst.Attribute):
            for base in self._values(node.value, scope):
                if isinstance(base, (_Instance, _ClassRef)):
                    yield from self._attribute_values(base.info, node.attr.value)
        elif isinstance(node, cst.Call):
            yield from self._call_values(node, scope)

    def _binding_values(self, binding: Binding) -> tuple[_Value, ...]:
        return self._memoized(binding, lambda: self._compute_binding_values(binding))

    def _compute_binding_values(self, binding: Binding) -> Iterator[_Value]:
        if binding.kind == "def":
            yield _FunctionRef(binding.info)
        elif binding.kind == "class":
            yield _ClassRef(binding.info)
        elif binding.kind == "self" and binding.info is not None:
            client_type = self._client_class(binding.info)
            if client_type is not None:
                yield self._site(binding.info, client_type, None, binding.info)
            else:
                yield _Instance(binding.info)
        else:
            if binding.value is not None:
                yield from self._values(binding.value, binding.scope)
            if binding.annotation is not None:
                yield from self._annotation_values(binding.annotation, binding.scope)

    def _call_values(self, call: cst.Call, scope: Scope) -> Iterator[_Value]:
        name = self._qualified(call.func, scope, 0)
        if name in _CLIENT_TYPES:
            yield self._site(call, _CLIENT_TYPES[name], call)
            return
        for callee in self._values(call.func, scope):
            if isinstance(callee, _ClassRef):
                client_type = self._client_class(callee.info)
                if client_type is not None:
                    yield self._site(call, client_type, call, callee.info)
                else:
                    yield _Instance(callee.info)
            elif isinstance(callee, _FunctionRef):
                yield from self._returned(callee.info)

    def _returned(self, info: FunctionInfo) -> tuple[_Value, ...]:
        """What calling a function of the module gives: its returns (yields for a context manager),
        else its return annotation."""
        return self._memoized(info, lambda: self._compute_returned(info))

    def _compute_returned(self, info: FunctionInfo) -> list[_Value]:
        produced = info.yields if info.decorated(("contextmanager", "asynccontextmanager")) else info.returns
        values = [value for expression in produced for value in self._values(expression, info.scope)]
        if not values and info.node.returns is not None:
            values.extend(self._annotation_values(info.node.returns.annotation, info.outer))
        return values

    def _attribute_values(self, info: ClassInfo, attr: str) -> Iterator[_Value]:
        for owner in self._module_mro(info):
            bindings = owner.attributes.get(attr, ())
            if not bindings:
                continue
            if any(map(_is_other, bindings)):
                return
            for binding in bindings:
                if binding.kind == "def" and binding.info.decorated(_PROPERTIES):
                    yield from self._returned(binding.info)
                else:
                    yield from self._binding_values(binding)
            return

    def _annotation_values(self, annotation: cst.BaseExpression, scope: Scope) -> Iterator[_Value]:
        if isinstance(annotation, cst.SimpleString):
            parsed = self._parse_string(annotation)
            if parsed is not None:
                yield from self._annotation_values(parsed, scope)
        elif isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
            yield from self._annotation_values(annotation.left, scope)
            yield from self._annotation_values(annotation.right, scope)
        elif isinstance(annotation, cst.Subscript):
            wrapper = (self._qualified(annotation.value, scope, 0) or "").rsplit(".", 1)[-1]
            if wrapper in _WRAPPER_TYPES:
                elements = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
                for element in elements[:1] if wrapper == "Annotated" else elements:
                    yield from self._annotation_values(element, scope)
        elif isinstance(annotation, (cst.Name, cst.Attribute)):
            name = self._qualified(annotation, scope, 0)
            if name in _CLIENT_TYPES:
                yield self._site(annotation, _CLIENT_TYPES[name], None)
                return
            for value in self._values(annotation, scope):
                if isinstance(value, _ClassRef):
                    client_type = self._client_class(value.info)
                    if client_type is not None:
                        yield self._site(annotation, client_type, None, value.info)
                    else:
                        yield _Instance(value.info)

    def _parse_string(self, node: cst.SimpleString) -> cst.BaseExpression | None:
        if node not in self._strings:
            text = node.evaluated_value
            try:
                self._strings[node] = cst.parse_expression(text) if isinstance(text, str) else None
            except Exception:  # a string annotation that is not an expression
                self._strings[node] = None
        return self._strings[node]

    def _client_sites(self, node: cst.BaseExpression, scope: Scope) -> list[_Site]:
        return [value for value in self._values(node, scope) if isinstance(value, _Site)]

    def _site(
        self,
        key: Any,
        client_type: _ClientType,
        constructor: cst.Call | None,
        subclass: ClassInfo | None = None,
    ) -> _Site:
        if key not in self._sites:
            self._sites[key] = _Site(client_type, constructor, subclass)
        return self._sites[key]

    # classes of the module

    def _module_mro(self, info: ClassInfo) -> list[ClassInfo]:
        """``info`` and its base classes that the module defines, nearest first."""
        if info not in self._mro:
            self._mro[info] = self._compute_mro(info)
        return self._mro[info]

    def _compute_mro(self, info: ClassInfo) -> list[ClassInfo]:
        chain: list[ClassInfo] = []
        pending = [info]
        while pending:
            current = pending.pop(0)
            if current in chain:
                continue
            chain.append(current)
            for base in current.node.bases:
                for value in self._values(base.value, current.outer):
                    if isinstance(value, _ClassRef):
                        pending.append(value.info)
        return chain

    def _client_class(self, info: ClassInfo) -> _ClientType | None:
        """The library client type a class of the module derives from, if any."""
        if info not in self._client_class_memo:
            self._client_class_memo[info] = None
            found = None
            for owner in self._module_mro(info):
                for base in owner.node.bases:
                    found = found or _CLIENT_TYPES.get(self._qualified(base.value, owner.outer, 0) or "")
            self._client_class_memo[info] = found
        return self._client_class_memo[info]

    def _defines(self, info: ClassInfo, names: Sequence[str]) -> bool:
        return any(b.kind == "def" for name in names for b in info.scope.bindings.get(name, ()))

    def _defines_in_mro(self, info: ClassInfo, name: str) -> bool:
        return any(self._defines(owner, (name,)) for owner in self._module_mro(info))

    # timeout values

    def _seconds(self, node: cst.BaseExpression, scope: Scope, depth: int) -> Any:
        """Seconds (float), None for "no limit", or _UNKNOWN."""
        if depth > _MAX_DEPTH:
            return _UNKNOWN
        if isinstance(node, cst.Name):
            if node.value == "None":
                return None
            constant = self._constant(node, scope)
            return self._seconds(constant.value, constant.scope, depth + 1) if constant else _UNKNOWN
        if isinstance(node, (cst.Integer, cst.Float)):
            return float(node.evaluated_value)
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Plus):
            return self._seconds(node.expression, scope, depth + 1)
        if isinstance(node, cst.BinaryOperation):
            return _arithmetic(
                node.operator,
                self._seconds(node.left, scope, depth + 1),
                self._seconds(node.right, scope, depth + 1),
            )
        if isinstance(node, (cst.Tuple, cst.List)):
            elements = scope_elements(node)
            if elements and len(elements) >= 2:  # (connect, read[, write, pool]): judged by read
                return self._seconds(elements[1], scope, depth + 1)
            return _UNKNOWN
        if isinstance(node, cst.Call) and not any(arg.star for arg in node.args):
            return self._timeout_object(node, scope, depth)
        return _UNKNOWN

    def _constant(self, node: cst.BaseExpression, scope: Scope) -> Binding | None:
        """The assignment of a name assigned exactly once (``TIMEOUT = 30``)."""
        if not isinstance(node, cst.Name) or node.value == "None":
            return None
        bindings = scope.lookup(node.value)
        if len(bindings) == 1 and bindings[0].kind == "value" and bindings[0].value is not None:
            return bindings[0]
        return None

    def _timeout_object(self, call: cst.Call, scope: Scope, depth: int) -> Any:
        name = self._qualified(call.func, scope, 0)
        if name == "httpx.Timeout":
            read = argument(call, "read")
            read = read if read is not None else argument(call, "timeout", ("timeout",))
            return self._seconds(read, scope, depth + 1) if read is not None else _UNKNOWN
        if name == "aiohttp.ClientTimeout":
            parts = ("total", "connect", "sock_read", "sock_connect")
            bounds = (argument(call, "total", parts), argument(call, "sock_read", parts))
        elif name == "urllib3.Timeout":
            parts = ("total", "connect", "read")
            bounds = (argument(call, "total", parts), argument(call, "read", parts))
        else:
            return _UNKNOWN
        # A missing total/read means no limit (aiohttp's field default, urllib3's socket default).
        seconds = [self._seconds(bound, scope, depth + 1) if bound is not None else None for bound in bounds]
        if _UNKNOWN in seconds:
            return _UNKNOWN
        limits = [value for value in seconds if value is not None]
        return min(limits) if limits else None


# Values that are certainly not a client: a name or attribute also bound to one of these is ambiguous.
_NOT_CLIENTS = (
    cst.Dict, cst.List, cst.Set, cst.Tuple, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp,
    cst.SimpleString, cst.ConcatenatedString, cst.FormattedString, cst.Integer, cst.Float, cst.Lambda,
)  # fmt: skip


def _is_other(binding: Binding) -> bool:
    return binding.kind == "other" or (binding.kind == "value" and isinstance(binding.value, _NOT_CLIENTS))


def _arithmetic(operator: cst.BaseBinaryOp, left: Any, right: Any) -> Any:
    if not isinstance(left, float) or not isinstance(right, float):
        return _UNKNOWN
    if isinstance(operator, cst.Add):
        return left + right
    if isinstance(operator, cst.Subtract):
        return left - right
    if isinstance(operator, cst.Multiply):
        return left * right
    if isinstance(operator, (cst.Divide, cst.FloorDivide)) and right:
        return left / right if isinstance(operator, cst.Divide) else left // right
    return _UNKNOWN
