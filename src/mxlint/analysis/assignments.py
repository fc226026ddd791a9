"""Literal values given to names, read from each format with its own grammar, with positions.

MX102 asks these readers for the values given to ``MAINTAINX_*`` names; the ``wanted`` predicate
picks the names, so a reader builds nothing for the others. Each reader yields an
:class:`Assignment` whose position is the value's first character (never shown: a message names
the variable only). A file a reader cannot read yields what was read before the error: a file that
does not parse is MX000's business, not a reason to miss the lines that did.

- Python and JSON: the Python tokenizer (JSON's strings, numbers and punctuation are Python
  tokens), so a ``"NAME": "value"`` pair is found without building a tree: an assignment, annotated
  or not, a keyword argument, a dict or ``os.environ`` item, a ``getenv`` default (Python), an
  object member or a ``{"name": ..., "value": ...}`` pair (JSON, as in ECS task definitions).
- YAML (docker compose, GitHub workflows, any config): the composed node tree: a mapping entry
  (``environment:``/``env:`` maps), a ``NAME=value`` list item (compose's list form, ``-e``
  arguments) and a ``{name: ..., value: ...}`` mapping.
- TOML: each line that holds an assignment is parsed with ``tomllib`` (a key/value pair is one line
  in TOML), so quoting, escapes, inline tables and dotted keys are TOML's.
- INI (``.ini``, ``.cfg``, ``.conf``, ``.properties``): ``key = value`` and ``key: value`` lines as
  configparser reads them, ``;`` and ``#`` comments removed, one pair of quotes stripped.
- Shell scripts: each line split into words as the shell does (``shlex``), and every ``NAME=value``
  word is an assignment (``export NAME=...``, ``NAME=... command``, ``docker run -e NAME=...``). A
  value holding ``$`` or a backquote is an expansion, not a literal.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json as json_module
import re
import shlex
import tokenize
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml as yaml_module

try:
    import tomllib
except ImportError:  # Python < 3.11
    import tomli as tomllib

from mxlint.model import FileKind
from mxlint.sources.yaml import get, scalar

Wanted = Callable[[str], bool]


@dataclass(frozen=True)
class Assignment:
    line: int  # 1-based, of the value
    column: int  # 1-based, of the value
    name: str
    value: str  # compared, never put in a message


# --- which reader reads a file ----------------------------------------------------------------------

_JSON = (".json", ".jsonc")
_TOML = (".toml",)
_INI = (".ini", ".cfg", ".conf", ".properties")
_SHELL = (".sh", ".bash", ".zsh", ".ksh", ".envrc", ".profile", ".bashrc", ".zshrc", ".bash_profile")
_SHEBANG = re.compile(r"^#!.*\b(?:ba|z|k|da)?sh\b")


def format_of(relpath: str, kind: FileKind, first_line: str) -> str | None:
    """The reader for a file: ``python``, ``yaml``, ``json``, ``toml``, ``ini``, ``shell`` or None."""
    if kind is FileKind.PYTHON:
        return "python"
    if kind is FileKind.YAML:
        return "yaml"
    if kind is not FileKind.TEXT:
        return None
    name = PurePosixPath(relpath).name.lower()
    for suffixes, reader in ((_JSON, "json"), (_TOML, "toml"), (_INI, "ini"), (_SHELL, "shell")):
        if name.endswith(suffixes):
            return reader
    return "shell" if _SHEBANG.match(first_line) else None


# --- Python and JSON: tokens -------------------------------------------------------------------------

_LAYOUT = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT})


def python(text: str, wanted: Wanted) -> Iterator[Assignment]:
    """Strings given to wanted names: ``NAME = "..."``, ``NAME: str = "..."``, ``f(NAME="...")``,
    ``{"NAME": "..."}``, ``environ["NAME"] = "..."``, ``getenv("NAME", "...")``."""
    tokens = _tokens(text)
    for index, token in enumerate(tokens):
        name = _name(token, _python_string)
        if name is None or not wanted(name):
            continue
        value = _python_value(tokens, index, string_key=token.type == tokenize.STRING)
        literal = None if value is None else _python_string(value)
        if value is not None and literal is not None:
            yield Assignment(value.start[0], value.start[1] + 1, name, literal)


def json(text: str, wanted: Wanted) -> Iterator[Assignment]:
    """Object members ``"NAME": "..."`` and ``{"name": "NAME", "value": "..."}`` pairs."""
    tokens = _tokens(text)
    for index in range(len(tokens)):
        member = _json_member(tokens, index)
        if member is None:
            continue
        key, value, at = member
        if wanted(key):
            yield Assignment(at.start[0], at.start[1] + 1, key, value)
        elif key == "name" and wanted(value) and _string_at(tokens, index + 3) == ",":
            given = _json_member(tokens, index + 4)  # {"name": "MAINTAINX_API_KEY", "value": "..."}
            if given is not None and given[0] == "value":
                yield Assignment(given[2].start[0], given[2].start[1] + 1, value, given[1])


def _json_member(tokens: list[tokenize.TokenInfo], index: int) -> tuple[str, str, tokenize.TokenInfo] | None:
    """(key, string value, the value's token) of a ``"key": "value"`` member starting at ``index``."""
    if index + 2 >= len(tokens) or tokens[index + 1].string != ":":
        return None
    key, value = _json_string(tokens[index]), _json_string(tokens[index + 2])
    return None if key is None or value is None else (key, value, tokens[index + 2])


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    tokens: list[tokenize.TokenInfo] = []
    # Keep what was read before an error; a file that does not tokenize is MX000's business.
    with contextlib.suppress(tokenize.TokenError, SyntaxError):
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type not in _LAYOUT:
                tokens.append(token)
    return tokens


def _string_at(tokens: list[tokenize.TokenInfo], index: int) -> str | None:
    return tokens[index].string if index < len(tokens) else None


def _name(token: tokenize.TokenInfo, string: Callable[[tokenize.TokenInfo], str | None]) -> str | None:
    """The name a NAME token or a plain string token spells."""
    if token.type == tokenize.NAME:
        return token.string
    if token.type == tokenize.STRING:
        return string(token)
    return None


def _python_value(
    tokens: list[tokenize.TokenInfo], index: int, string_key: bool
) -> tokenize.TokenInfo | None:
    """The token that starts the value given to the name at ``index``."""
    following = tokens[index + 1 : index + 3]
    if not following:
        return None
    operator = following[0].string
    if string_key:
        # {"MAINTAINX_API_KEY": "..."}, environ["MAINTAINX_API_KEY"] = "...", getenv("...", "default")
        if operator in (":", ","):
            return following[1] if len(following) > 1 else None
        if operator == "]" and len(following) > 1 and following[1].string == "=":
            return tokens[index + 3] if index + 3 < len(tokens) else None
        return None
    if operator == "=":  # MAINTAINX_API_KEY = "...", also keyword arguments and attributes
        return following[1] if len(following) > 1 else None
    if operator == ":":  # MAINTAINX_API_KEY: str = "..." (the annotation ends at '=' on the same line)
        for position in range(index + 2, len(tokens) - 1):
            if tokens[position].start[0] != tokens[index].start[0]:
                return None
            if tokens[position].string == "=":
                return tokens[position + 1]
    return None


def _python_string(token: tokenize.TokenInfo) -> str | None:
    """The value of a plain string token (no f-string); None for anything else."""
    if token.type != tokenize.STRING:
        return None
    try:
        value = ast.literal_eval(token.string)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def _json_string(token: tokenize.TokenInfo) -> str | None:
    if token.type != tokenize.STRING or not token.string.startswith('"'):
        return None
    try:
        value = json_module.loads(token.string)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


# --- YAML: the node tree -----------------------------------------------------------------------------

_NULL = "tag:yaml.org,2002:null"
_PAIR = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)", re.DOTALL)


def yaml(documents: Iterable[yaml_module.Node], wanted: Wanted) -> Iterator[Assignment]:
    """Mapping entries ``NAME: value``, list items ``- NAME=value`` and ``{name: NAME, value: ...}``."""
    seen: set[int] = set()
    pending = list(documents)
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml_module.MappingNode):
            yield from _yaml_mapping(node, wanted)
            pending.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml_module.SequenceNode):
            for item in node.value:
                if isinstance(item, yaml_module.ScalarNode):
                    yield from _yaml_pair_item(item, wanted)
            pending.extend(node.value)


def _yaml_mapping(node: yaml_module.MappingNode, wanted: Wanted) -> Iterator[Assignment]:
    for key, value in node.value:
        if isinstance(key, yaml_module.ScalarNode) and wanted(key.value) and _yaml_string(value):
            yield Assignment(value.start_mark.line + 1, value.start_mark.column + 1, key.value, value.value)
    name, value = scalar(get(node, "name")), get(node, "value")
    if name and wanted(name) and isinstance(value, yaml_module.ScalarNode) and _yaml_string(value):
        yield Assignment(value.start_mark.line + 1, value.start_mark.column + 1, name, value.value)


def _yaml_string(node: yaml_module.Node) -> bool:
    return isinstance(node, yaml_module.ScalarNode) and node.tag != _NULL


def _yaml_pair_item(item: yaml_module.ScalarNode, wanted: Wanted) -> Iterator[Assignment]:
    match = _PAIR.fullmatch(item.value)
    if match and wanted(match.group("name")):
        quoted = 1 if item.style in ("'", '"') else 0
        column = item.start_mark.column + 1 + quoted + match.start("value")
        yield Assignment(item.start_mark.line + 1, column, match.group("name"), match.group("value"))


# --- TOML: one key/value line at a time, through tomllib ---------------------------------------------


def toml(lines: Sequence[str], wanted: Wanted, hint: Callable[[str], bool]) -> Iterator[Assignment]:
    """``NAME = "value"``, ``env = { NAME = "value" }``, ``env.NAME = "value"`` and ``["NAME=value"]``
    on lines ``hint`` accepts (a cheap test that the line can name a wanted name)."""
    for number, text in enumerate(lines, start=1):
        if "=" not in text or not hint(text):
            continue
        try:
            table = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            continue  # a table header, a multi-line value, or not TOML
        for name, value in _toml_strings(table):
            if wanted(name):
                yield Assignment(number, _value_column(text, name, value), name, value)


def _toml_strings(table: Any) -> Iterator[tuple[str, str]]:
    for key, value in table.items() if isinstance(table, dict) else ():
        if isinstance(value, str):
            yield key, value
        elif isinstance(value, dict):
            yield from _toml_strings(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str) and (match := _PAIR.fullmatch(item)):
                    yield match.group("name"), match.group("value")
                elif isinstance(item, dict):
                    yield from _toml_strings(item)


def _value_column(text: str, name: str, value: str) -> int:
    """The column of the value given to ``name`` on one line: after the name's ``=``, else the name."""
    at = text.find(name)
    if at < 0:
        return 1
    equals = text.find("=", at + len(name))
    if equals < 0:
        return at + 1
    start = equals + 1
    while start < len(text) and text[start] in " \t":
        start += 1
    return start + 1


# --- INI: configparser's lines ------------------------------------------------------------------------

_INI_LINE = re.compile(r"^(?P<key>[^\s=:;#\[][^=:]*?)\s*[=:]\s*(?P<value>.*?)\s*$")
_INLINE_COMMENT = re.compile(r"\s[;#].*$")


def ini(lines: Sequence[str], wanted: Wanted) -> Iterator[Assignment]:
    """``NAME = value`` and ``NAME: value`` lines (not continuation lines: they start indented)."""
    for number, text in enumerate(lines, start=1):
        match = _INI_LINE.match(text)
        if match is None or not wanted(match.group("key")):
            continue
        raw = match.group("value")
        value = _INLINE_COMMENT.sub("", raw).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        yield Assignment(number, match.start("value") + 1, match.group("key"), value)


# --- shell scripts: words -----------------------------------------------------------------------------

_EXPANSION = re.compile(r"[$`]")


def shell(lines: Sequence[str], wanted: Wanted, hint: Callable[[str], bool]) -> Iterator[Assignment]:
    """Every ``NAME=value`` word of a command line ``hint`` accepts: ``export NAME=...``,
    ``NAME=... cmd``, ``env NAME=... cmd``, ``docker run -e NAME=...``."""
    for number, text in enumerate(lines, start=1):
        if "=" not in text or not hint(text) or text.lstrip().startswith("#"):
            continue
        for word in _words(text.rstrip().removesuffix("\\")):
            match = _PAIR.fullmatch(word)
            if match is None or not wanted(match.group("name")) or _EXPANSION.search(match.group("value")):
                continue
            name = match.group("name")
            at = re.search(rf"(?<![\w$]){re.escape(name)}=", text)
            column = at.end() + 1 if at else 1
            yield Assignment(number, column, name, match.group("value"))


def _words(text: str) -> list[str]:
    lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:  # an unclosed quote: the value goes on over the next lines
        return []


# --- one file ----------------------------------------------------------------------------------------


def of_file(
    relpath: str,
    kind: FileKind,
    text: str,
    lines: Sequence[str],
    documents: Callable[[], Iterable[yaml_module.Node]],
    wanted: Wanted,
    hint: re.Pattern[str],
) -> Iterator[Assignment]:
    """The wanted assignments of one file, read by its format's reader (nothing for other formats).
    ``documents`` gives the YAML tree (composed once per file by its context); ``hint`` is a cheap
    pattern every line naming a wanted name matches, for the line-by-line readers."""
    reader = format_of(relpath, kind, lines[0] if lines else "")
    if reader == "python":
        yield from python(text, wanted)
    elif reader == "json":
        yield from json(text, wanted)
    elif reader == "yaml":
        yield from yaml(documents(), wanted)
    elif reader == "toml":
        yield from toml(lines, wanted, hint.search)
    elif reader == "ini":
        yield from ini(lines, wanted)
    elif reader == "shell":
        yield from shell(lines, wanted, hint.search)
