"""MX301: a GET on a MaintainX list endpoint that never follows ``nextCursor``/``nextPageUrl``."""

from __future__ import annotations

import libcst as cst

from mxlint.analysis.maintainx import Facts, MaintainXCalls, reads_key, trigger_pattern
from mxlint.analysis.names import dotted
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.triggers import Trigger
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

_NEXT_KEYS = frozenset({"nextCursor", "nextPageUrl"})
_NEXT_ATTRIBUTES = frozenset({"nextCursor", "nextPageUrl", "next_cursor", "next_page_url"})
# Calls that only look at a value: passing the cursor to them does not hand it on.
_LOOKS_ONLY = frozenset(
    {"bool", "len", "str", "repr", "print", "isinstance", "log", "debug", "info", "warning", "warn", "error"}
)

NEVER_READ = "reads one page only: nextCursor is never followed"
NOT_SENT = "reads {field} but never sends it back {how}: only the first page is ever fetched"


@rule("MX301")
class UnpaginatedListCall(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)  # tests register mocks of list endpoints; they list nothing

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return trigger_pattern(settings)

    def finish(self) -> None:
        analysis: MaintainXCalls = self.context.analysis(MaintainXCalls)
        judged: set[tuple[Facts, str]] = set()  # one finding per function and endpoint (a retry is no news)
        for mx in analysis.calls():
            if not mx.lists or mx.list_endpoint is None or not mx.params_complete:
                continue
            if "cursor" in mx.params or mx.path_parameter:  # a page fetcher: its caller drives the loop
                continue
            scope = analysis.facts_of(mx.call)
            if (scope, mx.list_endpoint) in judged or _sends_cursor(scope):
                continue
            judged.add((scope, mx.list_endpoint))
            read = sorted(_NEXT_KEYS & scope.strings) + sorted(_NEXT_ATTRIBUTES & scope.attributes)
            endpoint = mx.list_endpoint.replace("{id}", "<id>")
            if not read:
                self.report(mx.call, endpoint=endpoint, problem=NEVER_READ)
            elif not _hands_on(scope):
                field = "nextPageUrl" if read[0] in ("nextPageUrl", "next_page_url") else "nextCursor"
                how = "as the next URL" if field == "nextPageUrl" else "as the `cursor` parameter"
                self.report(mx.call, endpoint=endpoint, problem=NOT_SENT.format(field=field, how=how))


def _sends_cursor(scope: Facts) -> bool:
    """``cursor`` as a dict key, a subscript store, a keyword argument or a ``cursor=`` query."""
    return (
        "cursor" in scope.keys
        or "cursor" in scope.keywords
        or any("cursor=" in text for text in scope.strings)
    )


def _hands_on(scope: Facts) -> bool:
    """Whether the next-page value read here leaves the function.

    It may be returned or yielded (the caller drives the loop), stored on an object or in a
    mapping, or passed to a call (the next request, a recursive call, a state store).
    """
    tainted: set[str] = set()

    def carries(node: cst.CSTNode) -> bool:
        return reads_key(node, _NEXT_KEYS, _NEXT_ATTRIBUTES, tainted)

    changed = True
    while changed:  # names assigned from the next-page value, transitively
        changed = False
        for target, value in scope.assignments:
            if isinstance(target, cst.Name) and target.value not in tainted and carries(value):
                tainted.add(target.value)
                changed = True
    if any(carries(value) for value in scope.returns):
        return True
    if any(not isinstance(target, cst.Name) and carries(value) for target, value in scope.assignments):
        return True
    for call in scope.calls:
        name = (dotted(call.func) or "").rsplit(".", 1)[-1]
        if name not in _LOOKS_ONLY and any(carries(arg.value) for arg in call.args):
            return True
    return False
