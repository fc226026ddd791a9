"""Python source: libcst modules, parsed from bytes so PEP 263 encoding declarations are honoured."""

from __future__ import annotations

import ast
import io
import re
import tokenize

import libcst as cst

from mxlint.sources import SourceError

_MAX_MESSAGE = 160
_POSITION_PREFIX = re.compile(r"^(parser error: )?(error at \d+:\d+: )?")


def _shorten(message: str) -> str:
    message = _POSITION_PREFIX.sub("", message.splitlines()[0])
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


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
