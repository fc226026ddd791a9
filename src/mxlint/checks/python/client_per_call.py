"""MX502: a connection pool thrown away after one request, or rebuilt on every loop iteration."""

from __future__ import annotations

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.http_clients import IMPORT_TRIGGER, HttpCall, HttpClients
from mxlint.analysis.loops import Structure
from mxlint.analysis.paths import is_test_path
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

# Module-level functions that open (and close) a session of their own for each request.
_THROWAWAY = frozenset(
    {*(f"{lib}.{verb}" for lib in ("requests", "httpx")
       for verb in ("get", "post", "put", "patch", "delete", "head", "options", "request")),
     "httpx.stream", "aiohttp.request"}
)  # fmt: skip
_POOLS = frozenset(
    {"requests.Session", "httpx.Client", "httpx.AsyncClient", "aiohttp.ClientSession", "urllib3.PoolManager"}
)
_ONCE = frozenset({"main", "__main__"})  # entry points run once: one client for one request is fine


@rule("MX502")
class ClientPerCall(PythonRule):
    TRIGGER = IMPORT_TRIGGER

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)  # tests talk to mocks and local servers

    def finish(self) -> None:
        clients: HttpClients = self.context.analysis(HttpClients)
        structure: Structure = self.context.analysis(Structure)
        for http_call in clients.calls():
            if http_call.kind == "function" and http_call.name in _THROWAWAY:
                what = f"`{http_call.name}` opens a new connection for this one request"
                self.report(http_call.call, what=what)
            elif http_call.kind == "constructor" and http_call.client and http_call.client.type in _POOLS:
                what = self._per_call(http_call, clients, structure)
                if what:
                    self.report(http_call.call, what=what)

    def _per_call(self, http_call: HttpCall, clients: HttpClients, structure: Structure) -> str | None:
        kind = http_call.client.type  # type: ignore[union-attr]
        if structure.in_loop(http_call.call):
            return f"a new `{kind}` is built on every loop iteration"
        function = structure.function_of.get(http_call.call)
        if function is None or function.name.value in _ONCE:
            return None
        uses = clients.calls_on(http_call.client)  # type: ignore[arg-type]
        if len(uses) != 1 or structure.function_of.get(uses[0].call) is not function:
            return None
        if structure.in_loop(uses[0].call) or _escapes(http_call.call, function):
            return None
        return f"a new `{kind}` is built for a single request in `{function.name.value}()`"


def _escapes(constructor: cst.Call, function: cst.FunctionDef) -> bool:
    """Whether the client outlives the call: it is not bound to a local name (``self.session = ...``,
    returned directly), or that name is used other than as a method receiver (returned, passed on,
    stored)."""
    name = None
    for node in syntax.walk(function.body):
        if isinstance(node, cst.Assign) and node.value is constructor:
            targets = [target.target for target in node.targets]
            name = targets[0].value if len(targets) == 1 and isinstance(targets[0], cst.Name) else None
            if name is None:
                return True
        elif isinstance(node, cst.WithItem) and node.item is constructor:
            if node.asname is None or not isinstance(node.asname.name, cst.Name):
                return False  # with Client(): the client is never used by name
            name = node.asname.name.value
        elif isinstance(node, (cst.Return, cst.Yield)) and node.value is constructor:
            return True
    if name is None:
        return False  # used in place: requests.Session().get(url)
    receivers = set()
    for node in syntax.walk(function.body):
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == name:
            receivers.add(node.value)
    for node in syntax.walk(function.body):
        is_use = isinstance(node, cst.Name) and node.value == name and node not in receivers
        if is_use and not _is_binding(node, function):
            return True
    return False


def _is_binding(name: cst.Name, function: cst.FunctionDef) -> bool:
    """``name`` is the target of the assignment or ``with ... as`` that binds the client."""
    for node in syntax.walk(function.body):
        if isinstance(node, cst.AssignTarget) and node.target is name:
            return True
        if isinstance(node, cst.AsName) and node.name is name:
            return True
    return False
