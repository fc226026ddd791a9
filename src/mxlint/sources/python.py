"""Python source: libcst modules, parsed from bytes so PEP 263 encoding declarations are honoured."""

from __future__ import annotations

import ast
import io
import re
import symtable
import sys
import tokenize
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import libcst as cst
from libcst._nodes.internal import CodegenState

from mxlint.sources import SourceError

_MAX_MESSAGE = 160
_POSITION_PREFIX = re.compile(r"^(parser error: )?(error at \d+:\d+: )?")


def _shorten(message: str) -> str:
    message = _POSITION_PREFIX.sub("", message.splitlines()[0])
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def _cpython_parse(data: bytes) -> None:
    """CPython's verdict on ``data``: SyntaxError, or RecursionError for code nested deeper than it
    compiles. Python 3.10 builds such an AST without complaint and refuses it only when compiling; its
    symbol table pass (in C, several times faster than ``ast.parse``) is where it says so."""
    ast.parse(data)
    if sys.version_info < (3, 11):
        symtable.symtable(data, "<mxlint>", "exec")  # type: ignore[arg-type]  # bytes are accepted


def _syntax_error(data: bytes, error: cst.ParserSyntaxError) -> SourceError:
    """CPython's own diagnosis when it has one: its messages and positions are the ones users know.

    Only a file that failed to parse pays for this second look.
    """
    try:
        ast.parse(data)
    except SyntaxError as python_error:
        if python_error.lineno:
            column = python_error.offset if python_error.offset and python_error.offset > 0 else None
            return SourceError(f"cannot parse Python: {python_error.msg}", python_error.lineno, column)
    except (ValueError, RecursionError, MemoryError):
        pass
    return SourceError(
        f"cannot parse Python: {_shorten(error.message)}", error.raw_line, error.raw_column + 1
    )


def parse(data: bytes) -> cst.Module:
    _reject_what_cpython_cannot_build(data)
    try:
        return cst.parse_module(data)
    except cst.ParserSyntaxError as error:
        raise _syntax_error(data, error) from None
    except RecursionError:
        raise SourceError("cannot parse Python: the code is nested too deeply") from None
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        # Bad or unknown encoding declarations surface as these, before any token is read.
        raise SourceError(f"cannot decode Python source: {error}") from None
    except Exception as error:  # libcst raises a few other types on odd input; the scan must go on
        raise SourceError(f"cannot parse Python: {type(error).__name__}: {error}") from None


def _reject_what_cpython_cannot_build(data: bytes) -> None:
    """Code nested deeper than CPython can compile (a generated ``1 + 1 + ... + 1`` of thousands of
    terms) is not runnable Python, and libcst's parser takes minutes on it or overflows its native
    stack, which would take the whole scan down. CPython's parser answers in milliseconds."""
    try:
        _cpython_parse(data)
    except RecursionError:
        raise SourceError(
            "cannot parse Python: the code is nested too deeply for CPython to compile"
        ) from None
    except (SyntaxError, ValueError, MemoryError):
        pass  # libcst gives its own diagnosis (and accepts grammar newer than this interpreter's)


def check_syntax(data: bytes) -> None:
    """Raise :class:`SourceError` if ``data`` is not Python, for files no rule needs a tree of.

    CPython's parser is many times faster than libcst's; only what it rejects goes to libcst, so
    code in a grammar newer than the running interpreter's is not called broken.
    """
    try:
        _cpython_parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        parse(data)


def decode(data: bytes) -> str:
    """The text of a Python file, honouring its encoding declaration; undecodable bytes are replaced."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        encoding = "utf-8"
    try:
        return data.decode(encoding, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


@dataclass(frozen=True)
class Span:
    """Where a node is: 1-based lines, 0-based columns (libcst's convention), and the first line of
    the statement that holds it (for suppression comments)."""

    line: int
    column: int
    end_line: int
    end_column: int
    statement_line: int | None


# A decorator counts as a statement of its own: a finding on `@retry(...)` is suppressed from there.
_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement, cst.Decorator)


class _Locator(CodegenState):
    """Code generation that records where a few target nodes land, and nothing else.

    libcst's PositionProvider tracks the line and column of every node of the module, which costs
    several times the parse; findings need the positions of a handful of nodes. This state keeps
    token indexes for the targets (with PositionProvider's syntactic rules: hoisted start and end
    nodes, whitespace excluded) and turns them into lines and columns in one pass at the end.
    """

    def __init__(self, module: cst.Module, targets: Iterable[cst.CSTNode]) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.targets = set(targets)
        self.spans: dict[cst.CSTNode, tuple[int, int]] = {}  # node -> (start, end) token indexes
        self.statement_of: dict[cst.CSTNode, int] = {}  # node -> token index where its statement starts
        self._open: dict[cst.CSTNode, int] = {}
        self._statements: list[int] = []

    def before_codegen(self, node: cst.CSTNode) -> None:
        if node in self.targets:
            self._open[node] = len(self.tokens)

    def after_codegen(self, node: cst.CSTNode) -> None:
        if node in self.targets:
            start = self._open.pop(node)
            self.spans.setdefault(node, (start, len(self.tokens)))
            if self._statements:
                self.statement_of.setdefault(node, self._statements[-1])

    @contextmanager
    def record_syntactic_position(
        self, node: cst.CSTNode, *, start_node: cst.CSTNode | None = None, end_node: cst.CSTNode | None = None
    ) -> Iterator[None]:
        target = node in self.targets
        if target:
            self.targets.update(n for n in (start_node, end_node) if n is not None)
        statement = isinstance(node, _STATEMENTS)
        start = len(self.tokens)
        if statement:
            self._statements.append(start)
        try:
            yield
        finally:
            if statement:
                self._statements.pop()
            if target:
                begin = self.spans[start_node][0] if start_node is not None else start
                end = self.spans[end_node][1] if end_node is not None else len(self.tokens)
                self.spans[node] = (begin, end)
                if self._statements or statement:
                    self.statement_of[node] = start if statement else self._statements[-1]

    def positions(self, indexes: Iterable[int]) -> dict[int, tuple[int, int]]:
        """(line, column) after the first ``index`` tokens, for each index, in one pass."""
        wanted = sorted(set(indexes))
        result: dict[int, tuple[int, int]] = {}
        line, column, cursor = 1, 0, 0
        for index in wanted:
            for token in self.tokens[cursor:index]:
                parts = _NEWLINE.split(token)
                if len(parts) == 1:
                    column += len(token)
                else:
                    line += len(parts) - 1
                    column = len(parts[-1])
            cursor = index
            result[index] = (line, column)
        return result


_NEWLINE = re.compile(r"\r\n?|\n")


def locate(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[cst.CSTNode, Span]:
    """Spans of ``nodes`` (which must belong to ``module``), from one targeted code generation."""
    targets = list(nodes)
    if not targets:
        return {}
    locator = _Locator(module, targets)
    module._codegen(locator)
    wanted = [i for node in targets for i in locator.spans[node]]
    wanted += [locator.statement_of[node] for node in targets if node in locator.statement_of]
    at = locator.positions(wanted)
    spans = {}
    for node in targets:
        start, end = locator.spans[node]
        statement = locator.statement_of.get(node)
        spans[node] = Span(*at[start], *at[end], at[statement][0] if statement is not None else None)
    return spans
