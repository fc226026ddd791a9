"""Reporters: pure functions ``render(result, **options) -> str``, one module per format."""

from __future__ import annotations

from collections.abc import Callable

from mxlint.model import RunResult
from mxlint.reporters import github, json, markdown, sarif, text

Renderer = Callable[..., str]

REPORTERS: dict[str, Renderer] = {
    "text": text.render,
    "json": json.render,
    "sarif": sarif.render,
    "github": github.render,
    "markdown": markdown.render,
}


def render(fmt: str, result: RunResult, **options: object) -> str:
    return REPORTERS[fmt](result, **options)
