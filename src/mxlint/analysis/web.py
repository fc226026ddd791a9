"""Web routes of a Python file: FastAPI, Flask, Django, aiohttp and Starlette handlers, their paths and
methods, and what the handlers read from the request.

    web = context.analysis(WebRoutes)
    for route in web.routes:          # decorators first, then registrations, then views
        route.framework, route.path, route.methods, route.handler, route.node
    web.code(handler)                 # the handler and the functions of this file it calls
    web.body_reads(handler)           # request-body reads in that code (json, raw, form, body params)
    web.dependencies(function)        # the functions it hands to FastAPI's Depends()/Security()
    web.uses(function, configured)    # whether it calls, depends on or is decorated with a configured one

Routes are found where they are declared, with names resolved through the file's imports and
assignments (:mod:`mxlint.analysis.scopes`):

- decorators on an app or router built in the file, or on a name the file imports when it imports a
  web framework: FastAPI/APIRouter ``@app.get/post/.../api_route``, Flask/Blueprint ``@app.route(...,
  methods=[...])`` and ``@bp.post``, aiohttp ``web.RouteTableDef`` ``@routes.post``, Starlette
  ``@app.route``; a router's ``prefix=``/``url_prefix=`` is prepended;
- registration calls: FastAPI ``add_api_route``, Flask ``add_url_rule``, aiohttp ``router.add_get/
  add_post/add_route/add_view`` and ``web.get/post/route/view(...)``, Starlette ``Route(...)`` and
  ``add_route``, Django ``path()``/``re_path()``/``url()``;
- views whose route is declared in another file (a Django ``views.py``, aiohttp handlers registered in
  ``main.py``): the verb methods of class-based views (Django ``View``/DRF ``APIView``, aiohttp
  ``web.View``, Starlette ``HTTPEndpoint``, Flask ``MethodView``), and module functions whose first
  parameter is a request (annotated with a framework's request type, or named ``request`` in a module
  importing Django) that no function of the file calls and that are views by more than taking the
  request (a signature check or a body parser takes it too): under a Django/DRF view decorator, in a
  views module (``views.py``, ``*_views.py``, a ``views/`` package; not ``_private``), or returning a
  framework response on every path (``HttpResponse(...)``, ``web.json_response(...)``, ``render(...)``,
  ``-> web.Response``). Their path is unknown (``None``).

A path that is not a literal or a module constant is ``None``; ``methods`` is ``None`` when any method
is accepted or the methods are not known.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.names import dotted, keyword
from mxlint.analysis.scopes import Binding, ClassInfo, FunctionInfo, Scope, Scopes
from mxlint.analysis.triggers import Words
from mxlint.config import Settings
from mxlint.sources import python as python_source

if TYPE_CHECKING:  # a runtime import would be circular: rules import the analyses
    from mxlint.checks.base import PythonContext

# Top-level modules that make a file a web module, and the framework each stands for.
FRAMEWORKS = {
    "fastapi": "fastapi",
    "starlette": "starlette",
    "flask": "flask",
    "quart": "flask",
    "django": "django",
    "rest_framework": "django",
    "aiohttp": "aiohttp",
}
# Constructors of objects that declare routes, and the keyword holding their path prefix.
_APPS = {
    "fastapi.FastAPI": ("fastapi", None),
    "fastapi.APIRouter": ("fastapi", "prefix"),
    "fastapi.routing.APIRouter": ("fastapi", "prefix"),
    "flask.Flask": ("flask", None),
    "flask.Blueprint": ("flask", "url_prefix"),
    "quart.Quart": ("flask", None),
    "quart.Blueprint": ("flask", "url_prefix"),
    "aiohttp.web.RouteTableDef": ("aiohttp", None),
    "aiohttp.web.Application": ("aiohttp", None),
    "starlette.applications.Starlette": ("starlette", None),
    "starlette.routing.Router": ("starlette", None),
}
APP_CONSTRUCTORS = frozenset(
    name for name, (_, prefix) in _APPS.items() if prefix is None and "Route" not in name
)
VERBS = ("get", "post", "put", "patch", "delete", "head", "options")
_DECORATOR_METHODS = frozenset({*VERBS, "route", "api_route"})
_DECORATING = ("fastapi", "flask", "aiohttp", "starlette")  # frameworks that route with decorators
_AIOHTTP_ADDERS = {f"add_{verb}": verb.upper() for verb in VERBS}
_ROUTE_FUNCTIONS = {  # route declarations by call, to (framework, path position, handler position)
    "starlette.routing.Route": ("starlette", 0, 1),
    "django.urls.path": ("django", 0, 1),
    "django.urls.re_path": ("django", 0, 1),
    "django.conf.urls.url": ("django", 0, 1),
    **{f"aiohttp.web.{verb}": ("aiohttp", 0, 1) for verb in VERBS},
    "aiohttp.web.route": ("aiohttp", 1, 2),
    "aiohttp.web.view": ("aiohttp", 0, 1),
}
REQUEST_TYPES = frozenset(
    {
        "fastapi.Request", "starlette.requests.Request", "aiohttp.web.Request", "aiohttp.web.BaseRequest",
        "aiohttp.web_request.Request", "django.http.HttpRequest", "django.http.request.HttpRequest",
        "rest_framework.request.Request", "flask.Request", "quart.Request",
    }
)  # fmt: skip
_VIEW_BASES = frozenset(
    {
        "django.views.View", "django.views.generic.View", "django.views.generic.base.View",
        "rest_framework.views.APIView", "rest_framework.generics.GenericAPIView", "aiohttp.web.View",
        "starlette.endpoints.HTTPEndpoint", "flask.views.MethodView", "quart.views.MethodView",
    }
)  # fmt: skip
_GLOBAL_REQUESTS = frozenset({"flask.request", "quart.request"})
_DJANGO_METHOD_DECORATORS = {"require_POST": ("POST",), "require_GET": ("GET",), "require_safe": ("GET",)}
_DICT_TYPES = frozenset({"dict", "Dict", "Mapping", "MutableMapping"})
# FastAPI parameters it fills itself, never from the body.
_INJECTED = frozenset(
    {
        "str", "int", "float", "bool", "bytes", "UUID", "BackgroundTasks", "Response", "WebSocket",
        "HTTPConnection", "SecurityScopes", "Any", "object",
    }
)  # fmt: skip
_JSON_LOADERS = frozenset(
    {"json.loads", "orjson.loads", "ujson.loads", "simplejson.loads", "rapidjson.loads"}
)
_MAX_DEPTH = 12
# What a view answers with: the frameworks' response classes (``HttpResponse``, ``JsonResponse``,
# ``web.Response``, ``JSONResponse``, aiohttp's ``web.HTTPNoContent``) and response shortcuts.
_RESPONSE_NAME = re.compile(r"Response$|^HTTP[A-Z]|^Http[A-Z]")
_RESPONSE_SHORTCUTS = frozenset(
    {"render", "redirect", "render_to_response", "json_response", "jsonify", "make_response"}
)
# FastAPI parameters filled by a dependency of another module that, by their name or the dependency's,
# are the request body: ``event: dict = Depends(verified_event)``, ``payload = Depends(webhook_payload)``.
_DEPENDENCY_BODY = re.compile(r"(?i)(?:^|_)(?:event|payload|body|delivery)$")
_DEPENDS = frozenset({"Depends", "Security"})


@dataclass(eq=False)
class Route:
    framework: str
    node: cst.CSTNode  # the decorator, the registration call, or the view's ``def``
    path: str | None
    methods: frozenset[str] | None  # None: any method, or not known
    handler: FunctionInfo | None  # None when the view is defined in another file
    include: str | None = None  # Django ``include("pkg.urls")``: a module of routes, not a view

    def accepts(self, method: str) -> bool:
        return self.methods is None or method in self.methods


@dataclass(frozen=True, eq=False)
class BodyRead:
    """A read of the request body: ``kind`` is "json" (parsed JSON or an unvalidated dict body
    parameter), "raw" (bytes or text), "form", "model" (a FastAPI body parameter typed with a model,
    already validated), or "dependency" (a FastAPI parameter that a dependency of another module fills
    with the body: ``event: dict = Depends(verified_event)``; what it does is not seen)."""

    node: cst.CSTNode
    kind: str
    function: FunctionInfo


@dataclass(eq=False)
class _Code:
    """One function's own code (nested functions excluded)."""

    calls: list[cst.Call] = field(default_factory=list)
    attributes: list[cst.Attribute] = field(default_factory=list)
    comparisons: list[cst.Comparison] = field(default_factory=list)
    assignments: list[tuple[cst.BaseExpression, cst.BaseExpression]] = field(default_factory=list)
    strings: list[str] = field(default_factory=list)
    names: list[cst.Name] = field(default_factory=list)
    returns: list[cst.Return] = field(default_factory=list)
    handlers: list[cst.ExceptHandler] = field(default_factory=list)
    discarded: set[cst.Call] = field(default_factory=set)  # calls whose value is thrown away


def trigger(settings: Settings, *also: str) -> Words:
    """Files that may declare routes: they name a web framework (or one of ``also``)."""
    return Words([*FRAMEWORKS, *also])


def webhook_trigger(settings: Settings) -> Words:
    """Files that may hold a MaintainX webhook handler: they mention MaintainX, or, when webhook paths
    are configured, they may declare routes."""
    if settings.web.webhook_paths:
        return trigger(settings, "maintainx")
    return Words(["maintainx"])


def configured(name: str, functions: tuple[str, ...]) -> bool:
    """Whether the dotted call name ``name`` is one of the configured ``functions`` (matched by the
    full name or by the last component, as a call in the file may use a short or local name)."""
    short = name.rsplit(".", 1)[-1]
    return any(name == wanted or short == wanted.rsplit(".", 1)[-1] for wanted in functions)


@dataclass(frozen=True, eq=False)
class Webhook:
    """A MaintainX webhook handler: the route, the handler and the code it runs (helpers included)."""

    route: Route
    handler: FunctionInfo
    code: list[FunctionInfo]
    reads: list[BodyRead]

    @property
    def delegated(self) -> bool:
        """The body arrives through a FastAPI dependency of another module (``event: dict =
        Depends(verified_event)``), where the signature is likely verified, out of sight."""
        return any(read.kind == "dependency" for read in self.reads)


_SIGNATURE_HEADER = re.compile(r"(?i)x[-_]maintainx[-_]webhook")
# A `hook` route of a file that mentions MaintainX may still receive another service's deliveries: its
# path or name names that sender, or its code reads that sender's signature header (Stripe-Signature,
# X-Hub-Signature-256, X-Slack-Signature, X-Shopify-Hmac-Sha256) or calls its SDK's verifier.
_OTHER_SENDER = re.compile(
    r"(?<![a-z])(stripe|github|gitlab|bitbucket|slack|twilio|shopify|sendgrid|mailgun|postmark|paypal|"
    r"square|adyen|braintree|jira|atlassian|zendesk|hubspot|salesforce|servicenow|docusign|okta|auth0|"
    r"intercom|pagerduty|sentry|zapier|discord|telegram|whatsapp|zoom|calendly|typeform|sns)(?![a-z])"
)
_HEADER_NAME = re.compile(r"[\w-]+")


class WebRoutes:
    """Per-file analysis; ``context.analysis(WebRoutes)``. See the module docstring."""

    def __init__(self, context: PythonContext) -> None:
        self.context = context
        self.scopes: Scopes = context.analysis(Scopes)
        self.frameworks = {
            FRAMEWORKS[root]
            for binding in self.scopes.imports
            if (root := (binding.qualified or "").split(".")[0]) in FRAMEWORKS
        }
        self.routes: list[Route] = []
        self.apps: list[cst.Call] = []  # app constructors (FastAPI(), Flask(__name__), ...)
        self._code: dict[FunctionInfo, _Code] = {}
        self._reachable: dict[FunctionInfo, list[FunctionInfo]] = {}
        if not self.frameworks:
            return
        self._find_routes()
        self._find_views()

    def webhooks(self) -> list[Webhook]:
        """The file's MaintainX webhook handlers, one per handler function.

        MaintainX delivers by POST, so the route must accept POST, and then one of: its code reads an
        ``x-maintainx-webhook-*-signature`` header; its path matches ``[tool.mxlint.web]
        webhook-paths``; or it reads the request body (a FastAPI dependency of another module that
        is named like the body counts) and its path or function name contains ``maintainx``, or
        contains ``hook`` in a file that mentions MaintainX.
        """
        found: list[Webhook] = []
        seen: set[FunctionInfo] = set()
        mentions = re.search(rb"(?i)maintainx", self.context.data) is not None
        globs = self.context.settings.web.webhook_paths
        for route in self.routes:
            handler = route.handler
            if handler is None or handler in seen or not route.accepts("POST"):
                continue
            code = self.code(handler)
            reads = self.body_reads(handler, route)
            texts = [(route.path or "").lower(), handler.node.name.value.lower()]
            signed = any(_SIGNATURE_HEADER.search(text) for text in self.strings(code))
            listed = route.path is not None and any(fnmatch.fnmatchcase(route.path, glob) for glob in globs)
            named = any("maintainx" in text for text in texts) or (
                mentions and any("hook" in text for text in texts) and not self._other_sender(texts, code)
            )
            if not (signed or listed or (reads and named)):
                continue
            seen.add(handler)
            found.append(Webhook(route, handler, code, reads))
        return found

    def _other_sender(self, texts: list[str], code: list[FunctionInfo]) -> bool:
        """The route's path or name names another sender, or its code reads another signature header
        (a string elsewhere in the code, such as a Slack URL it forwards to, says nothing)."""
        if any(_OTHER_SENDER.search(text) for text in texts):
            return True
        for text in self.strings(code):
            low = text.lower()
            signature = ("signature" in low or "hmac" in low) and _HEADER_NAME.fullmatch(low)
            if signature and ("-" in low or low.startswith("http_") or _OTHER_SENDER.search(low)):
                return True
        return False

    def lines(self, nodes: list[cst.CSTNode]) -> dict[cst.CSTNode, int]:
        """First lines of ``nodes`` (one targeted code generation for all of them)."""
        spans = python_source.locate(self.context.module, nodes)
        return {node: span.line for node, span in spans.items()}

    # --- names --------------------------------------------------------------------------------

    def qualified(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> str | None:
        """The imported dotted name ``node`` stands for: ``hmac.new`` for ``from hmac import new``."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.Attribute):
            base = self.qualified(node.value, scope, depth + 1)
            return f"{base}.{node.attr.value}" if base else None
        if not isinstance(node, cst.Name):
            return None
        bindings = scope.lookup(node.value)
        imported = {b.qualified for b in bindings if b.kind == "import" and b.qualified}
        if imported:
            return imported.pop() if len(imported) == 1 else None
        if len(bindings) == 1 and bindings[0].kind == "value" and isinstance(bindings[0].value, cst.Name):
            return self.qualified(bindings[0].value, bindings[0].scope, depth + 1)
        return None

    def _app(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> tuple[str, str] | None:
        """(framework, path prefix) of an app or router ``node`` refers to."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.Call):
            found = _APPS.get(self.qualified(node.func, scope) or "")
            if found is None:
                return None
            framework, prefix_keyword = found
            prefix = keyword(node, prefix_keyword) if prefix_keyword else None
            return framework, (self.string(prefix.value, scope) or "") if prefix else ""
        bindings: list[Binding] = []
        if isinstance(node, cst.Name):
            bindings = scope.lookup(node.value)
        elif isinstance(node, cst.Attribute) and node.attr.value == "router":  # aiohttp app.router
            return self._app(node.value, scope, depth + 1)
        for binding in bindings:
            if binding.kind == "value" and binding.value is not None:
                found = self._app(binding.value, binding.scope, depth + 1)
            elif binding.annotation is not None:  # def register(app: FastAPI)
                name = self.qualified(binding.annotation, binding.scope) or ""
                found = (_APPS[name][0], "") if name in _APPS else None
            else:
                found = None
            if found is not None:
                return found
        return None

    def string(self, node: cst.BaseExpression | None, scope: Scope, depth: int = 0) -> str | None:
        """A literal string, or a name bound once to one."""
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
            value = node.evaluated_value
            return value if isinstance(value, str) else None
        if isinstance(node, cst.Name) and depth < _MAX_DEPTH:
            bindings = [b for b in scope.lookup(node.value) if b.kind != "declared"]
            if len(bindings) == 1 and bindings[0].kind == "value" and bindings[0].value is not None:
                return self.string(bindings[0].value, bindings[0].scope, depth + 1)
        return None

    def _strings(self, node: cst.BaseExpression | None, scope: Scope) -> frozenset[str] | None:
        """``["GET", "POST"]`` -> {"GET", "POST"}; None when not a literal list of strings."""
        if node is None or not isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return None
        values = [self.string(element.value, scope) for element in node.elements]
        if any(value is None for value in values):
            return None
        return frozenset(value.upper() for value in values if value is not None)

    # --- routes -------------------------------------------------------------------------------

    def _find_routes(self) -> None:
        for function in self.scopes.functions.values():
            for decorator in function.node.decorators:
                self._decorator(decorator, function)
        for call, scope in self.scopes.calls.items():
            name = self.qualified(call.func, scope) or ""
            if name in APP_CONSTRUCTORS:
                self.apps.append(call)
            elif name in _ROUTE_FUNCTIONS:
                self._route_function(call, scope, name)
            elif isinstance(call.func, cst.Attribute):
                self._registration(call, scope)

    def _decorator(self, decorator: cst.Decorator, function: FunctionInfo) -> None:
        target = decorator.decorator
        if not isinstance(target, cst.Call) or not isinstance(target.func, cst.Attribute):
            return
        method = target.func.attr.value
        if method not in _DECORATOR_METHODS:
            return
        scope = function.outer
        app = self._app(target.func.value, scope)
        args = _positional(target)
        first = self.string(args[0], scope) if args else self.string(_kw(target, "path", "rule"), scope)
        if app is None:
            # A router imported from another module: a route only where the path reads like one, in a
            # file importing a framework that routes with decorators (FastAPI files import Starlette too).
            decorating = [name for name in _DECORATING if name in self.frameworks]
            if not decorating or first is None or not first.startswith("/"):
                return
            app = (decorating[0], "")
        framework, prefix = app
        if framework == "aiohttp" and method == "route":  # @routes.route("POST", "/path")
            verb = first
            path = self.string(args[1], scope) if len(args) > 1 else None
            methods = None if verb in (None, "*") else frozenset({verb.upper()})
        else:
            path = first
            methods = frozenset({method.upper()}) if method in VERBS else None
            if method in ("route", "api_route"):
                methods = self._strings(_kw(target, "methods"), scope)
                if _kw(target, "methods") is None:
                    methods = frozenset({"GET"})
        full = prefix + path if path is not None else None
        self.routes.append(Route(framework, decorator, full, methods, function))

    def _registration(self, call: cst.Call, scope: Scope) -> None:
        func = call.func
        assert isinstance(func, cst.Attribute)
        method = func.attr.value
        known = {"add_api_route", "add_url_rule", "add_route", "add_view", *_AIOHTTP_ADDERS}
        if method not in known:
            return
        app = self._app(func.value, scope)
        if app is None:
            return
        framework, prefix = app
        args = _positional(call)
        path_node = args[0] if args else _kw(call, "path", "rule")
        handler_node = args[1] if len(args) > 1 else _kw(call, "endpoint", "view_func", "handler")
        methods: frozenset[str] | None = self._strings(_kw(call, "methods"), scope)
        if method in _AIOHTTP_ADDERS:
            methods = frozenset({_AIOHTTP_ADDERS[method]})
        elif framework == "aiohttp" and method == "add_route":  # add_route("POST", "/path", handler)
            verb = self.string(args[0], scope) if args else None
            methods = None if verb in (None, "*") else frozenset({verb.upper()})
            path_node = args[1] if len(args) > 1 else None
            handler_node = args[2] if len(args) > 2 else None
        elif method == "add_url_rule":
            handler_node = _kw(call, "view_func") or (args[2] if len(args) > 2 else None)
            methods = methods if _kw(call, "methods") is not None else frozenset({"GET"})
        elif _kw(call, "methods") is None and method != "add_view":
            methods = frozenset({"GET"})
        path = self.string(path_node, scope) if path_node is not None else None
        full = prefix + path if path is not None else None
        self._add(framework, call, full, methods, handler_node, scope)

    def _route_function(self, call: cst.Call, scope: Scope, name: str) -> None:
        framework, path_at, handler_at = _ROUTE_FUNCTIONS[name]
        args = _positional(call)
        path = self.string(args[path_at], scope) if len(args) > path_at else None
        handler_node = (
            args[handler_at] if len(args) > handler_at else _kw(call, "endpoint", "view", "handler")
        )
        methods: frozenset[str] | None = None
        verb = name.rsplit(".", 1)[-1]
        if framework == "aiohttp":
            if verb in VERBS:
                methods = frozenset({verb.upper()})
            elif verb == "route":
                method = self.string(args[0], scope) if args else None
                methods = None if method in (None, "*") else frozenset({method.upper()})
        elif framework == "starlette":
            methods = self._strings(_kw(call, "methods"), scope)
            if _kw(call, "methods") is None:
                methods = frozenset({"GET"})
        if framework == "django":
            path = "/" + path.lstrip("^/") if path is not None else None
            if isinstance(handler_node, cst.Call) and (
                self.qualified(handler_node.func, scope) or ""
            ).endswith(".include"):
                included = _positional(handler_node)
                module = self.string(included[0], scope) if included else None
                self.routes.append(Route(framework, call, path, None, None, include=module or ""))
                return
        self._add(framework, call, path, methods, handler_node, scope)

    def _add(
        self,
        framework: str,
        node: cst.CSTNode,
        path: str | None,
        methods: frozenset[str] | None,
        handler_node: cst.BaseExpression | None,
        scope: Scope,
    ) -> None:
        if isinstance(handler_node, cst.Call) and isinstance(handler_node.func, cst.Attribute):
            handler_node = handler_node.func.value  # View.as_view("name")
        target = self._binding(handler_node, scope) if handler_node is not None else None
        if isinstance(target, ClassInfo):
            for verb, method in _verb_methods(target, self.scopes):
                if methods is None or verb in methods:
                    self.routes.append(Route(framework, node, path, frozenset({verb}), method))
            return
        self.routes.append(Route(framework, node, path, methods, target))

    def _binding(self, node: cst.BaseExpression, scope: Scope) -> FunctionInfo | ClassInfo | None:
        if not isinstance(node, cst.Name):
            return None
        for binding in scope.lookup(node.value):
            if binding.kind in ("def", "class") and binding.info is not None:
                return binding.info
        return None

    def _find_views(self) -> None:
        """Views routed elsewhere: request-first functions and class-based views of the file."""
        routed = {route.handler for route in self.routes if route.handler is not None}
        for info in self.scopes.classes.values():
            bases = {self.qualified(base.value, info.outer) for base in info.node.bases}
            if bases & _VIEW_BASES:
                framework = _framework_of(bases & _VIEW_BASES)
                for verb, method in _verb_methods(info, self.scopes):
                    if method not in routed:
                        routed.add(method)
                        self.routes.append(Route(framework, method.node, None, frozenset({verb}), method))
        # A function a handler of the file (a class-based view's too) calls or depends on is a helper.
        helpers = {helper for handler in routed for helper in self.code(handler)}
        views = []
        for function in self.scopes.functions.values():
            if function in helpers or function.outer.kind != "module":
                continue
            view = self._view_framework(function)
            if view is not None:
                views.append(Route(view[0], function.node, None, view[1], function))
        # A request-first function another view calls (``_payload(request)``) is a helper too.
        called = {helper for route in views for helper in self.code(route.handler)[1:]}  # type: ignore[arg-type]
        self.routes.extend(route for route in views if route.handler not in called)

    def _view_framework(self, function: FunctionInfo) -> tuple[str, frozenset[str] | None] | None:
        methods: frozenset[str] | None = None
        decorated = False
        for decorator in function.node.decorators:
            target = decorator.decorator
            func = target.func if isinstance(target, cst.Call) else target
            name = (self.qualified(func, function.outer) or "").rsplit(".", 1)[-1]
            if name in _DJANGO_METHOD_DECORATORS:
                methods, decorated = frozenset(_DJANGO_METHOD_DECORATORS[name]), True
            elif name in ("require_http_methods", "api_view") and isinstance(target, cst.Call):
                args = _positional(target)
                methods, decorated = self._strings(args[0], function.outer) if args else None, True
            elif name == "csrf_exempt":
                decorated = True
            else:  # an exception handler, a middleware, a test fixture: not a view
                return None
        params = [*function.node.params.posonly_params, *function.node.params.params]
        if not params:
            return None
        first = params[0]
        annotation = first.annotation.annotation if first.annotation else None
        kind = self.qualified(annotation, function.outer) if annotation is not None else None
        if kind in REQUEST_TYPES:
            framework = FRAMEWORKS[kind.split(".")[0]]
        elif "django" in self.frameworks and first.name.value == "request" and (decorated or not annotation):
            framework = "django"
        else:
            return None
        # Taking the request is not enough: a signature check or a body parser takes it too. A view
        # routed from another file is decorated as a view, lives in a views module (Django's
        # ``urls.py`` routes ``views.receive``), or answers with a response on every path.
        if decorated or self._in_views_module(function) or self._responds(function):
            return framework, methods
        return None

    def _in_views_module(self, function: FunctionInfo) -> bool:
        path = PurePosixPath(self.context.relpath)
        views = path.stem == "views" or path.stem.endswith("_views") or "views" in path.parent.parts
        return views and not function.node.name.value.startswith("_")

    def _responds(self, function: FunctionInfo, depth: int = 0) -> bool:
        """Whether ``function`` returns a framework response on every path (``HttpResponse(...)``,
        ``web.json_response(...)``, ``render(...)``, a name assigned one, a helper that responds), or
        is annotated to (``-> web.Response``)."""
        if function.node.returns is not None:
            return self._response(function.node.returns.annotation, function.outer)
        code = self.own_code(function)
        if not code.returns or not _terminates(function.node.body):
            return False
        assigned: dict[str, list[cst.BaseExpression]] = {}
        for target, value in code.assignments:
            if isinstance(target, cst.Name):
                assigned.setdefault(target.value, []).append(value)
        for statement in code.returns:
            value = _awaited(statement.value) if statement.value is not None else None
            if isinstance(value, cst.Name) and len(assigned.get(value.value, ())) == 1:
                value = _awaited(assigned[value.value][0])
            if not isinstance(value, cst.Call):
                return False
            if self._response(value.func, function.scope):
                continue
            callee = self._callee(value.func, function) if isinstance(value.func, cst.Name) else None
            if callee is None or depth >= 3 or not self._responds(callee, depth + 1):
                return False
        return True

    def _response(self, node: cst.BaseExpression, scope: Scope) -> bool:
        name = self.qualified(node, scope) or ""
        short = name.rsplit(".", 1)[-1]
        framework = name.split(".")[0] in FRAMEWORKS
        return framework and (_RESPONSE_NAME.search(short) is not None or short in _RESPONSE_SHORTCUTS)

    # --- handler code -------------------------------------------------------------------------

    def own_code(self, function: FunctionInfo) -> _Code:
        if function not in self._code:
            code = self._code[function] = _Code()
            prune = _nested(function.node)
            # The body, and parameter defaults, ``Annotated`` metadata and decorators: FastAPI's
            # Depends(verify_signature), a @verify_signature decorator of the file.
            roots: list[cst.CSTNode] = [function.node.body, *(d.decorator for d in function.node.decorators)]
            params = (*function.node.params.params, *function.node.params.kwonly_params)
            roots += [p.default for p in params if p.default is not None]
            roots += [meta for p in params for meta in _annotated(p)]
            for node in (node for root in roots for node in syntax.walk(root, prune)):
                if isinstance(node, cst.Call):
                    code.calls.append(node)
                elif isinstance(node, cst.Attribute):
                    code.attributes.append(node)
                elif isinstance(node, cst.Comparison):
                    code.comparisons.append(node)
                elif isinstance(node, cst.Assign):
                    code.assignments.extend((target.target, node.value) for target in node.targets)
                elif isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr)) and node.value:
                    code.assignments.append((node.target, node.value))
                elif isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
                    value = node.evaluated_value
                    code.strings.append(value if isinstance(value, str) else "")
                elif isinstance(node, cst.FormattedStringText):
                    code.strings.append(node.value)
                elif isinstance(node, cst.Name):
                    code.names.append(node)
                elif isinstance(node, cst.Return):
                    code.returns.append(node)
                elif isinstance(node, cst.ExceptHandler):
                    code.handlers.append(node)
                elif isinstance(node, cst.Expr) and isinstance(_awaited(node.value), cst.Call):
                    code.discarded.add(_awaited(node.value))  # type: ignore[arg-type]
        return self._code[function]

    def code(self, handler: FunctionInfo) -> list[FunctionInfo]:
        """``handler`` and the functions of this file it calls or hands on (``add_task(process, x)``,
        ``Depends(verify)``, a decorator), transitively: module functions by name, methods through
        ``self``."""
        if handler in self._reachable:
            return self._reachable[handler]
        found = self._reachable[handler] = [handler]
        seen = {handler}
        index = 0
        while index < len(found):
            function = found[index]
            index += 1
            for name in self.own_code(function).names:
                target = self._callee(name, function)
                if target is not None and target not in seen:
                    seen.add(target)
                    found.append(target)
            for attribute in self.own_code(function).attributes:
                target = self._method(attribute, function)
                if target is not None and target not in seen:
                    seen.add(target)
                    found.append(target)
        return found

    def _callee(self, name: cst.Name, function: FunctionInfo) -> FunctionInfo | None:
        for binding in function.scope.lookup(name.value):
            if binding.kind == "def" and isinstance(binding.info, FunctionInfo):
                return binding.info
        return None

    def _method(self, attribute: cst.Attribute, function: FunctionInfo) -> FunctionInfo | None:
        if not isinstance(attribute.value, cst.Name):
            return None
        for binding in function.scope.lookup(attribute.value.value):
            if binding.kind == "self" and isinstance(binding.info, ClassInfo):
                for candidate in binding.info.attributes.get(attribute.attr.value, []):
                    if candidate.kind == "def" and isinstance(candidate.info, FunctionInfo):
                        return candidate.info
        return None

    def strings(self, functions: list[FunctionInfo]) -> Iterator[str]:
        """String literals of the code, module constants it names (a string, or a call's string
        arguments: ``RECORD = text("INSERT ...")``), and FastAPI header parameter names."""
        for function in functions:
            code = self.own_code(function)
            yield from code.strings
            for name in code.names:
                value = self.string(name, function.scope)
                if value is not None:
                    yield value
                else:
                    yield from self._call_constant(name, function.scope)
            for param in function.node.params.params:
                yield param.name.value

    def _call_constant(self, name: cst.Name, scope: Scope) -> Iterator[str]:
        bindings = [b for b in scope.lookup(name.value) if b.kind != "declared"]
        binding = bindings[0] if len(bindings) == 1 else None
        if binding and binding.scope.kind == "module" and isinstance(binding.value, cst.Call):
            for arg in binding.value.args:
                value = self.string(arg.value, binding.scope)
                if value is not None:
                    yield value

    def body_reads(self, handler: FunctionInfo, route: Route | None = None) -> list[BodyRead]:
        """Request-body reads in the handler's code, in order: handler first, then its helpers."""
        reads: list[BodyRead] = []
        framework = route.framework if route else None
        for index, function in enumerate(self.code(handler)):
            requests = self._requests(function, framework if index == 0 else None)
            if index == 0 and framework == "fastapi":
                reads.extend(self._body_params(function))
            raw_names: set[str] = set()
            code = self.own_code(function)
            for target, value in code.assignments:
                if isinstance(target, cst.Name) and self._read(value, requests, function) == "raw":
                    raw_names.add(target.value)
            seen: set[cst.CSTNode] = set()
            for node in [*code.calls, *code.attributes]:
                kind = self._read(node, requests, function)
                if kind is None and isinstance(node, cst.Call) and node.args:
                    loader = self.qualified(node.func, function.scope) in _JSON_LOADERS
                    argument = node.args[0].value
                    if loader and (
                        self._read(_awaited(argument), requests, function) == "raw"
                        or (isinstance(argument, cst.Name) and argument.value in raw_names)
                    ):
                        kind = "json"
                if kind is not None and node not in seen:
                    seen.update(syntax.walk(node))
                    reads.append(BodyRead(node, kind, function))
        reads.sort(key=lambda read: read.kind != "json")  # stable: JSON reads first, in source order
        return reads

    def _requests(self, function: FunctionInfo, framework: str | None) -> set[str]:
        """Names that hold the request in ``function`` (a handler of ``framework``, or a helper when
        None): its request parameter, or Flask's global."""
        names: set[str] = set()
        params = [*function.node.params.posonly_params, *function.node.params.params]
        if params and function.outer.kind == "class":
            params = params[1:]
        for index, param in enumerate([*params, *function.node.params.kwonly_params]):
            annotation = param.annotation.annotation if param.annotation else None
            kind = self.qualified(annotation, function.outer) if annotation is not None else None
            if kind in REQUEST_TYPES or param.name.value in ("request", "req"):
                names.add(param.name.value)
            elif index == 0 and annotation is None and framework in ("aiohttp", "starlette", "django"):
                names.add(param.name.value)  # aiohttp, Starlette and Django pass the request first
        for name in ("request", "req"):
            if any(
                b.kind == "import" and b.qualified in _GLOBAL_REQUESTS for b in function.scope.lookup(name)
            ):
                names.add(name)
        return names

    def _read(self, node: cst.BaseExpression, requests: set[str], function: FunctionInfo) -> str | None:
        """What a request-body read gives: "json", "raw", "form", or None when it is not one."""
        node = _awaited(node)
        call = isinstance(node, cst.Call)
        target = node.func if isinstance(node, cst.Call) else node
        if not isinstance(target, cst.Attribute) or not _is_request(target.value, requests, function, self):
            return None
        attr = target.attr.value
        if attr == "json" or (call and attr == "get_json"):
            return "json"
        if attr == "data":  # Flask: bytes; Django REST framework: parsed JSON
            return "json" if "rest_framework" in self._roots() else "raw"
        if (attr == "body" or (call and attr in ("get_data", "read", "text", "stream"))) or attr == "content":
            return "raw"
        if attr in ("form", "POST", "values") or (call and attr == "post"):
            return "form"
        return None

    def _roots(self) -> set[str]:
        return {(binding.qualified or "").split(".")[0] for binding in self.scopes.imports}

    def _body_params(self, function: FunctionInfo) -> Iterator[BodyRead]:
        """FastAPI parameters that are the request body: dict-typed ones (unvalidated) or models."""
        for param in (*function.node.params.params, *function.node.params.kwonly_params):
            default = param.default
            # What FastAPI fills the parameter from: its default, or a call in ``Annotated[...]``.
            calls = [meta for meta in _annotated(param) if isinstance(meta, cst.Call)]
            marker = default if default is not None else calls[0] if calls else None
            default_name = (
                self.qualified(marker.func, function.outer) or "" if isinstance(marker, cst.Call) else ""
            ).rsplit(".", 1)[-1]
            if default_name in _DEPENDS and isinstance(marker, cst.Call):
                if self._delegated(param, marker, function):
                    yield BodyRead(param, "dependency", function)
                continue
            if marker is not None and default_name != "Body":
                continue  # Query(), Header(), a plain default: not the body
            annotation = _unwrap(param.annotation.annotation) if param.annotation else None
            if annotation is None:
                if default_name == "Body":
                    yield BodyRead(param, "json", function)
                continue
            name = dotted(annotation) or ""
            qualified = self.qualified(annotation, function.outer) or name
            short = qualified.rsplit(".", 1)[-1]
            if short in _DICT_TYPES:
                yield BodyRead(param, "json", function)
            elif qualified in REQUEST_TYPES or short in _INJECTED:
                continue
            elif name[:1].isupper() or default_name == "Body":
                yield BodyRead(param, "model", function)

    def _delegated(self, param: cst.Param, depends: cst.Call, function: FunctionInfo) -> bool:
        """Whether ``param = Depends(f)`` is the request body read by ``f`` of another module: the
        parameter or ``f`` is named like the body (``event``, ``payload``, ``verified_body``). A
        dependency of this file is followed instead (:meth:`code`)."""
        args = _positional(depends)
        target = args[0] if args else _kw(depends, "dependency")
        if target is None or (isinstance(target, cst.Name) and self._callee(target, function)):
            return False
        name = (dotted(target) or "").rsplit(".", 1)[-1]
        return any(_DEPENDENCY_BODY.search(text) for text in (param.name.value, name))

    def dependencies(self, function: FunctionInfo) -> Iterator[str]:
        """Names of the functions ``function`` hands to FastAPI: ``Depends(verify)`` in a parameter
        default, ``Annotated`` metadata or ``dependencies=[...]``; ``Security(verify)``."""
        for target in self._dependency_targets(function):
            name = self.qualified(target, function.scope) or dotted(target)
            if name:
                yield name

    def _dependency_targets(self, function: FunctionInfo) -> Iterator[cst.BaseExpression]:
        for call in self.own_code(function).calls:
            if (self.qualified(call.func, function.scope) or "").rsplit(".", 1)[-1] in _DEPENDS:
                args = _positional(call)
                target = args[0] if args else _kw(call, "dependency")
                if target is not None:
                    yield target

    def _used(self, function: FunctionInfo) -> Iterator[cst.BaseExpression]:
        """What ``function`` calls, depends on or is wrapped by: call targets, ``Depends`` targets and
        bare decorators (``@verify_signature``; a called decorator is among the calls)."""
        yield from (call.func for call in self.own_code(function).calls)
        yield from self._dependency_targets(function)
        yield from (d.decorator for d in function.node.decorators if not isinstance(d.decorator, cst.Call))

    def uses(self, function: FunctionInfo, functions: tuple[str, ...]) -> bool:
        """Whether ``function`` calls one of the configured ``functions``, depends on one or is decorated
        with one."""
        if not functions:
            return False
        names = (self.qualified(node, function.scope) or dotted(node) or "" for node in self._used(function))
        return any(configured(name, functions) for name in names)


def _annotated(param: cst.Param) -> list[cst.BaseExpression]:
    """The metadata of an ``Annotated[T, Depends(f)]`` parameter annotation (``[Depends(f)]``)."""
    annotation = param.annotation.annotation if param.annotation else None
    if isinstance(annotation, cst.Subscript) and (dotted(annotation.value) or "").endswith("Annotated"):
        return [
            element.slice.value for element in annotation.slice[1:] if isinstance(element.slice, cst.Index)
        ]
    return []


def _is_request(node: cst.BaseExpression, requests: set[str], function: FunctionInfo, web: WebRoutes) -> bool:
    if isinstance(node, cst.Name):
        return node.value in requests
    if isinstance(node, cst.Attribute):
        receiver = node.value
        if (  # aiohttp class-based views: self.request
            node.attr.value == "request"
            and isinstance(receiver, cst.Name)
            and any(b.kind == "self" for b in function.scope.lookup(receiver.value))
        ):
            return True
        return web.qualified(node, function.scope) in _GLOBAL_REQUESTS  # flask.request.json
    return False


def _awaited(node: cst.BaseExpression) -> cst.BaseExpression:
    return node.expression if isinstance(node, cst.Await) else node


def _unwrap(annotation: cst.BaseExpression) -> cst.BaseExpression:
    """``Optional[X]``/``Annotated[X, ...]``/``dict[str, Any]`` -> ``X``/``dict``; ``X | None`` -> ``X``."""
    if isinstance(annotation, cst.Subscript):
        name = (dotted(annotation.value) or "").rsplit(".", 1)[-1]
        if name in ("Optional", "Annotated") and annotation.slice:
            inner = annotation.slice[0].slice
            if isinstance(inner, cst.Index):
                return _unwrap(inner.value)
        return annotation.value
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        return _unwrap(annotation.left)
    return annotation


def _terminates(block: cst.BaseSuite | Sequence[cst.BaseStatement]) -> bool:
    """Whether a block always ends in ``return`` or ``raise`` (it never falls off its end)."""
    if isinstance(block, cst.SimpleStatementSuite):
        return isinstance(block.body[-1], (cst.Return, cst.Raise))
    statements = block.body if isinstance(block, cst.IndentedBlock) else block
    if not statements:
        return False
    last = statements[-1]
    if isinstance(last, cst.SimpleStatementLine):
        return isinstance(last.body[-1], (cst.Return, cst.Raise))
    if isinstance(last, cst.If):
        orelse = last.orelse
        branch = orelse.body if isinstance(orelse, cst.Else) else [orelse] if orelse is not None else None
        return _terminates(last.body) and branch is not None and _terminates(branch)
    if isinstance(last, cst.With):
        return _terminates(last.body)
    if isinstance(last, cst.Try):
        if last.finalbody is not None and _terminates(last.finalbody.body):
            return True
        main = _terminates(last.body) or (last.orelse is not None and _terminates(last.orelse.body))
        return main and all(_terminates(handler.body) for handler in last.handlers)
    return False


def _nested(root: cst.CSTNode):  # type: ignore[no-untyped-def]
    return lambda node: isinstance(node, (cst.FunctionDef, cst.ClassDef)) and node is not root


def _positional(call: cst.Call) -> list[cst.BaseExpression]:
    return [arg.value for arg in call.args if arg.keyword is None and not arg.star]


def _kw(call: cst.Call, *names: str) -> cst.BaseExpression | None:
    for name in names:
        found = keyword(call, name)
        if found is not None:
            return found.value
    return None


def _verb_methods(info: ClassInfo, scopes: Scopes) -> Iterator[tuple[str, FunctionInfo]]:
    for statement in info.node.body.body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value in VERBS:
            yield statement.name.value.upper(), scopes.functions[statement]


def _framework_of(bases: set[str | None]) -> str:
    root = sorted(base for base in bases if base)[0].split(".")[0]
    return FRAMEWORKS.get(root, root)


_ROUTE_SEGMENT = re.compile(r"[^/]+")


def segments(path: str) -> list[str]:
    """Path segments with regex anchors and converters removed: ``^ready/?$`` -> ["ready"]."""
    return [part.strip("^$?") for part in _ROUTE_SEGMENT.findall(path) if part.strip("^$?")]


# `live` pairs with `ready` (`/live` and `/ready` are a common pair of probe paths).
HEALTH_SEGMENTS = frozenset({"health", "healthz", "healthcheck", "health-check", "live", "livez", "liveness"})
READY_SEGMENTS = frozenset({"ready", "readyz", "readiness"})
# Libraries that serve health and readiness routes themselves (django-health-check, flask-healthz,
# fastapi-health, py-healthcheck), imported or included (Django ``include("health_check.urls")``).
HEALTH_LIBRARIES = frozenset({"health_check", "flask_healthz", "fastapi_health", "healthcheck"})


@dataclass(frozen=True)
class Service:
    """What a file contributes to the repository-level route rules (picklable)."""

    line: int  # where the app is built, else the first route declared
    app: bool  # the file builds an app (FastAPI(), Flask(__name__), web.Application(), Starlette())
    health: bool
    ready: bool
    metrics: bool  # a /metrics route
    unknown: bool  # a route declared here whose path is not a literal: it could be any of them
    declared: bool = True  # routes are declared here, not only views routed from another file


def service(context: PythonContext) -> Service | None:
    """The file's routes as a :class:`Service`, or None when it declares none (``context.analysis``)."""
    web: WebRoutes = context.analysis(WebRoutes)
    if not web.routes:
        return None
    web_settings = context.settings.web
    health = ready = metrics = unknown = False
    for route in web.routes:
        if route.include is not None:
            library = route.include.split(".")[0]
            health = health or library in HEALTH_LIBRARIES
            ready = ready or library in HEALTH_LIBRARIES
            metrics = metrics or library == "django_prometheus"
            continue
        declared = not isinstance(route.node, cst.FunctionDef)  # a view routed elsewhere is not
        if route.path is None:
            unknown = unknown or declared
            name = route.handler.node.name.value.lower() if route.handler else ""
            health = health or name in HEALTH_SEGMENTS
            ready = ready or name in READY_SEGMENTS
            continue
        parts = {part.lower() for part in segments(route.path)}
        health = health or bool(parts & HEALTH_SEGMENTS) or _matches(route.path, web_settings.health_paths)
        ready = ready or bool(parts & READY_SEGMENTS) or _matches(route.path, web_settings.readiness_paths)
        metrics = metrics or "metrics" in parts
    if web._roots() & HEALTH_LIBRARIES:
        health = ready = True
    declared = [route.node for route in web.routes if not isinstance(route.node, cst.FunctionDef)]
    lines = web.lines(web.apps or declared or [route.node for route in web.routes])
    return Service(min(lines.values()), bool(web.apps), health, ready, metrics, unknown, bool(declared))


def _matches(path: str, globs: tuple[str, ...]) -> bool:
    return any(
        fnmatch.fnmatchcase(path, glob) or fnmatch.fnmatchcase(path.rstrip("/"), glob) for glob in globs
    )


def service_anchor(facts: list[tuple[str, Service]]) -> tuple[str, int]:
    """Where a repository-level route finding goes: the file that builds the app (first by path), else
    the first file declaring routes (a Django ``urls.py``), else the first with views, at that line."""
    path, found = min(facts, key=lambda item: (not item[1].app, not item[1].declared, item[0]))
    return path, found.line
