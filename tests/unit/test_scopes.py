"""The scope model shared by the HTTP-client and MaintainX analyses (``mxlint.analysis.scopes``)."""

from __future__ import annotations

import inspect
import json
import textwrap

import libcst as cst
import pytest

from mxlint.analysis import scopes as scopes_module
from mxlint.analysis import syntax
from mxlint.analysis.http_clients import HttpClients
from mxlint.analysis.maintainx import MaintainXCalls
from mxlint.analysis.scopes import Binding, Scope, Scopes
from mxlint.checks.base import PythonContext
from mxlint.config import Settings
from mxlint.model import FileKind


def context_of(code: str) -> PythonContext:
    source = textwrap.dedent(code)
    context = PythonContext("app.py", FileKind.PYTHON, source.encode(), Settings())
    context.attach(cst.parse_module(source))
    return context


def scope_of_call(scopes: Scopes, callee: str) -> Scope:
    return next(scope for call, scope in scopes.calls.items() if getattr(call.func, "value", None) == callee)


def kinds(bindings: list[Binding]) -> list[str]:
    return [binding.kind for binding in bindings]


def test_lookup_follows_python_rules() -> None:
    scopes = Scopes(
        context_of(
            """
            import os.path, requests as r
            from ..pkg import name as alias
            URL: str
            URL = "https://a"
            counter = 0
            first, second = 1, 2
            head, *rest = values()

            class Client:
                URL = "https://b"
                session: r.Session
                body = probe()

                def method(self, url=URL, *args, key: int = 1, **kwargs):
                    global counter
                    counter = 1
                    self.base = url
                    probe()
                    return lambda page=1: probe()

                @staticmethod
                def static(self):
                    probe()

            for item in items:
                pass
            """
        )
    )
    module = scopes.module
    assert kinds(module.lookup("URL")) == ["declared", "value"]
    assert [b.qualified for b in module.lookup("os")] == ["os"]
    assert [b.qualified for b in module.lookup("r")] == ["requests"]
    assert [b.imported for b in module.lookup("alias")] == [("pkg", 2, "name")]
    assert [b.qualified for b in module.lookup("alias")] == ["..pkg.name"]
    assert kinds(module.lookup("counter")) == ["value", "value"]  # the global statement
    assert [code(b.value) for b in module.lookup("second")] == ["2"]  # element-wise
    assert kinds(module.lookup("rest")) == ["unknown"]
    assert kinds(module.lookup("item")) == ["other"]

    body = scope_of_call(scopes, "probe")  # the class body sees its own names
    assert body.kind == "class" and [code(b.value) for b in body.lookup("URL")] == ['"https://b"']
    info = body.cls
    assert info is not None
    method = scopes.functions[info.node.body.body[3]]  # type: ignore[index]
    # A method does not see the class body: URL is the module's; the default is evaluated in the body.
    assert [code(b.value) for b in method.scope.lookup("URL") if b.value] == ['"https://a"']
    (url,) = method.scope.lookup("url")
    assert (url.kind, url.scope, url.owner) == ("param", body, method.scope)
    assert kinds(method.scope.lookup("self")) == ["self"] and method.scope.lookup("self")[0].info is info
    assert kinds(method.scope.lookup("args")) == kinds(method.scope.lookup("kwargs")) == ["unknown"]
    assert kinds(method.scope.lookup("key")) == ["param"]
    # self.base = url in a method is an attribute of the class, after the body's names
    assert kinds(info.attributes["base"]) == ["value"]
    assert kinds(info.attributes["session"]) == ["declared"]
    lambda_scope = next(s for s in scopes.calls.values() if isinstance(s.node, cst.Lambda))
    assert kinds(lambda_scope.lookup("page")) == ["param"] and lambda_scope.parent is method.scope
    assert [type(r) for r in method.returns] == [cst.Lambda] and not method.yields
    static = scopes.functions[info.node.body.body[4]]  # type: ignore[index]
    assert kinds(static.scope.lookup("self")) == ["param"]


def test_nonlocal_binds_in_the_enclosing_function() -> None:
    scopes = Scopes(
        context_of(
            """
            def outer():
                session = None
                def inner():
                    nonlocal session
                    session = make()
                return inner
            """
        )
    )
    outer = next(info for info in scopes.functions.values() if info.node.name.value == "outer")
    assert kinds(outer.scope.bindings["session"]) == ["value", "value"]


def test_the_scopes_are_built_once_per_file(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[object] = []
    collector = scopes_module._Collector

    class Counting(collector):  # type: ignore[misc, valid-type]
        def __init__(self, module: cst.Module) -> None:
            built.append(module)
            super().__init__(module)

    monkeypatch.setattr(scopes_module, "_Collector", Counting)
    context = context_of(
        """
        import requests
        BASE = "https://api.getmaintainx.com/v1"
        requests.get(f"{BASE}/workorders")
        """
    )
    assert len(context.analysis(HttpClients).calls()) == 1
    assert len(context.analysis(MaintainXCalls).calls()) == 1
    assert len(built) == 1


def code(node: cst.CSTNode | None) -> str | None:
    return None if node is None else cst.Module([]).code_for_node(node)


# The walker the scopes are built on (kept here: tests/unit/test_python_source.py covers its events).
SAMPLE = textwrap.dedent(
    """
    from .. import a, b as c
    @decorator(key=value)
    def f[T](x, /, y=1, *args, z: int = 2, **kwargs) -> T:
        try:
            return g(key=value)[1:2:3] if x else h
        except (KeyError, ValueError) as error:
            match x:
                case {"k": 1, **rest} if rest:
                    pass
                case [1, *others] | (2 | 3):
                    pass
    type Alias[U] = list[U]
    """
)


@pytest.mark.parametrize("source", [SAMPLE, inspect.getsource(json.decoder)], ids=["sample", "json.decoder"])
def test_children_come_in_source_order(source: str) -> None:
    for node in syntax.walk(cst.parse_module(source)):
        ours = syntax.children(node)
        assert not any(type(child).__name__ in syntax.LAYOUT_TYPES for child in ours if child is not None)
        theirs = [child for child in node.children if any(child is mine for mine in ours)]
        assert [id(child) for child in ours] == [id(child) for child in theirs], type(node).__name__
