"""``sources.python.locate`` must agree with libcst's PositionProvider on every node it is asked about."""

from __future__ import annotations

import inspect
import json
import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from mxlint.sources import SourceError
from mxlint.sources.python import decode, locate, parse

SAMPLE = textwrap.dedent(
    '''
    import requests  # comment

    @decorator(
        arg=1,
    )
    def fetch(session: requests.Session, *, retries: int = 3) -> dict:
        """Docstring."""
        for attempt in range(retries):
            response = session.get(
                "https://api.getmaintainx.com/v1/workorders",
                params={"limit": 200},  # trailing comment
            ); other = (1 +
                2)
            if response.status_code == 429:
                continue
            return response.json()
        return {}

    class Client:
        value = [x for x in (1, 2) if x]
        async def go(self):
            async with self.session.get("u") as resp:
                return await resp.json()
    '''
)
_WHITESPACE = (
    cst.BaseParenthesizableWhitespace,
    cst.TrailingWhitespace,
    cst.EmptyLine,
    cst.Newline,
    cst.Comment,
)


def _statement_line(node, parents, positions):
    while node is not None and not isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        if isinstance(node, cst.Decorator):
            return positions[node].start.line  # mxlint treats a decorator as its own statement
        node = parents.get(node)
    return positions[node].start.line if node is not None else None


@pytest.mark.parametrize("source", [SAMPLE, inspect.getsource(json.decoder)], ids=["sample", "json.decoder"])
def test_locate_agrees_with_position_provider(source: str) -> None:
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions, parents = wrapper.resolve(PositionProvider), wrapper.resolve(ParentNodeProvider)
    nodes = [node for node in positions if not isinstance(node, (*_WHITESPACE, cst.Module))]
    spans = locate(module, nodes)
    for node in nodes:
        expected = positions[node]
        span = spans[node]
        assert (span.line, span.column, span.end_line, span.end_column) == (
            expected.start.line,
            expected.start.column,
            expected.end.line,
            expected.end.column,
        ), type(node).__name__
        assert span.statement_line == _statement_line(node, parents, positions), type(node).__name__


def test_syntax_errors_use_cpython_diagnosis() -> None:
    with pytest.raises(SourceError) as caught:
        parse(b"def f(:\n    pass\n")
    assert (caught.value.line, caught.value.message) == (1, "cannot parse Python: invalid syntax")


def test_bad_encoding_declaration() -> None:
    with pytest.raises(SourceError, match="cannot decode Python source"):
        parse(b"# -*- coding: klingon -*-\nx = 1\n")


def test_decode_honours_the_declared_encoding() -> None:
    assert decode("# coding: latin-1\nname = 'café'\n".encode("latin-1")).endswith("café'\n")


def test_fast_visit_matches_libcst_order_for_meaningful_nodes() -> None:
    from mxlint.analysis import syntax

    class Recorder(cst.BatchableCSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.events: list[str] = []

        def visit_Name(self, node: cst.Name) -> None:
            self.events.append(f"+{node.value}")

        def leave_Call(self, original_node: cst.Call) -> None:
            self.events.append(f"-call:{cst.Module([]).code_for_node(original_node.func)}")

        def visit_Decorator(self, node: cst.Decorator) -> None:
            self.events.append("@")

    module = cst.parse_module(SAMPLE)
    theirs, ours = Recorder(), Recorder()
    MetadataWrapper(module, unsafe_skip_copy=True).visit_batched([theirs])
    syntax.visit(module, [ours])
    assert ours.events == theirs.events
    assert not syntax.needs_full_walk([ours])

    class WantsComments(cst.BatchableCSTVisitor):
        def visit_Comment(self, node: cst.Comment) -> None:
            pass

    assert syntax.needs_full_walk([WantsComments()])


def test_code_nested_deeper_than_cpython_compiles_is_mx000_and_the_scan_goes_on(lint) -> None:
    # libcst needs minutes on this (and overflows its native stack on longer chains); CPython refuses it.
    chain = "import requests\n\ntotal = " + " + ".join(["1"] * 5000) + "\n"
    result = lint({"generated.py": chain, "client.py": "import requests\nrequests.get('https://x')\n"})
    found = sorted((f.path, f.rule_id) for f in result.findings if f.rule_id in ("MX000", "MX201"))
    assert found == [("client.py", "MX201"), ("generated.py", "MX000")]
    assert "nested too deeply" in next(f.message for f in result.findings if f.rule_id == "MX000")
