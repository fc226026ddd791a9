"""MX501: a literal ``limit`` on a MaintainX list call outside 100..200."""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis.maintainx import MaintainXCalls, trigger_pattern
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.triggers import Trigger
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

API_MAXIMUM = 200  # research-rules.md §1.2: limit is 1..200 on every list endpoint
API_DEFAULT = 100
TOO_LARGE = "above the API maximum of 200: the request is rejected with 400"
TOO_SMALL = "below 100, the API default: more requests against the 100 requests/minute quota; use 200"


@rule("MX501")
class PageSizeOutOfRange(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)  # tests register mocks of list endpoints; they list nothing

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return trigger_pattern(settings, also=("limit",))

    def finish(self) -> None:
        reported: set[cst.CSTNode] = set()  # a URL constant holding ?limit=50 used twice is one finding
        for mx in self.context.analysis(MaintainXCalls).calls():
            limit = mx.params.get("limit")
            if mx.verb != "GET" or mx.list_endpoint is None or limit is None or limit.node in reported:
                continue
            value = _integer(limit.value)
            if value is None or value == 1:  # not a literal (trusted), or a one-record probe
                continue
            problem = TOO_LARGE if value > API_MAXIMUM else TOO_SMALL if value < API_DEFAULT else None
            if problem:
                reported.add(limit.node)
                endpoint = mx.list_endpoint.replace("{id}", "<id>")
                self.report(limit.node, limit=value, endpoint=endpoint, problem=problem)


def _integer(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None
