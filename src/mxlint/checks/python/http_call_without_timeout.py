"""MX201: an outbound HTTP call or client that can wait forever (or longer than 30 s)."""

from __future__ import annotations

import libcst as cst

from mxlint.analysis.http_clients import IMPORT_TRIGGER, Client, HttpCall, HttpClients
from mxlint.analysis.names import dotted
from mxlint.analysis.paths import is_test_path
from mxlint.checks.base import PythonRule, Report, rule
from mxlint.config import Settings
from mxlint.fixers import PythonFix
from mxlint.fixers.arguments import add_keyword

CEILING = 30.0  # seconds: the checklist's recommended timeout
_AIOHTTP_DEFAULT = "uses aiohttp's 300 s default"
# What a missing timeout means, by (library, kind); absent pairs have a bounded default.
_MISSING = {
    ("requests", "function"): "without a timeout: it can wait forever",
    ("requests", "method"): "without a timeout: it can wait forever",
    ("aiohttp", "function"): f"without a timeout {_AIOHTTP_DEFAULT}",
    ("aiohttp", "constructor"): f"without a timeout {_AIOHTTP_DEFAULT}",
    ("urllib3", "constructor"): "without a timeout: requests made through it can wait forever",
}


@rule("MX201")
class HttpCallWithoutTimeout(PythonRule):
    TRIGGER = IMPORT_TRIGGER

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)  # tests talk to mocks and local servers

    def finish(self) -> None:
        self.clients: HttpClients = self.context.analysis(HttpClients)
        for http_call in self.clients.calls():
            problem = self._problem(http_call)
            if problem:
                self.report(http_call.call, call=self._display(http_call), problem=problem)

    def fix(self, report: Report) -> PythonFix | None:
        """``timeout=30`` on a requests call that has none. An explicit ``timeout=None`` or a longer
        timeout was chosen by someone and a client-level default changes every call: not rewritten."""
        assert isinstance(report.node, cst.Call)
        http_call = self.clients.classify(report.node)
        if http_call is None or http_call.library != "requests" or http_call.kind == "constructor":
            return None
        if http_call.may_pass("timeout"):
            return None
        return PythonFix(report.node, lambda call: add_keyword(call, "timeout", f"{CEILING:g}"))

    def _problem(self, http_call: HttpCall) -> str | None:
        if http_call.kind == "constructor":
            client = http_call.client
            if client is None or client.subclass is not None:
                return None  # a subclass's __init__ may set the timeout itself
            problem = self._judge(http_call)
            return None if problem and self._every_call_bounded(client) else problem
        if http_call.library == "requests" and any(c.default_timeout_enforced for c in http_call.clients):
            return None
        if self._injected(http_call) and http_call.argument("timeout") is None:
            return None  # configured: sessions from elsewhere carry a default timeout
        return self._judge(http_call)

    def _injected(self, http_call: HttpCall) -> bool:
        """A session known only by its annotation, when the project says such sessions are built with
        a default timeout (``[tool.mxlint.http] trust-injected-sessions``)."""
        return (
            self.context.settings.trust_injected_sessions
            and bool(http_call.clients)
            and all(client.constructor is None and client.subclass is None for client in http_call.clients)
        )

    def _judge(self, http_call: HttpCall) -> str | None:
        timeout = http_call.argument("timeout")
        if timeout is None:
            if http_call.may_pass("timeout"):
                return None  # through **kwargs
            return _MISSING.get((http_call.library, http_call.kind))
        if http_call.library == "aiohttp" and http_call.kind != "method" and _is_none(timeout):
            return f"timeout=None {_AIOHTTP_DEFAULT}"  # ClientSession treats None as "use the default"
        value = self.clients.timeout_value(timeout, http_call.call)
        if value is None:
            return None  # configuration or computed: trusted
        if value.seconds is None:
            shown = self._source(timeout)
            if value.expression is not timeout:
                shown += f" ({self._source(value.expression)})"
            return f"timeout={shown} disables the timeout"
        if value.seconds > CEILING:
            return f"timeout of {value.seconds:g} s is above the {CEILING:g} s ceiling"
        return None

    def _every_call_bounded(self, client: Client) -> bool:
        """A client-level default never applies when every request on the client sets its own."""
        calls = self.clients.calls_on(client)
        return bool(calls) and all(
            call.argument("timeout") is not None and self._judge(call) is None for call in calls
        )

    def _display(self, http_call: HttpCall) -> str:
        spelled = dotted(http_call.call.func) or self._source(http_call.call.func)
        if http_call.kind != "method" and spelled != http_call.name:
            return f"`{spelled}` ({http_call.name})"
        return f"`{spelled}`"

    def _source(self, node: cst.CSTNode) -> str:
        text = " ".join(self.context.module.code_for_node(node).split())
        return text if len(text) <= 60 else text[:59] + "…"


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"
