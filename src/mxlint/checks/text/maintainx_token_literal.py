"""MX102: MaintainX credentials written into code or docs, in the shapes detect-secrets misses.

One rule over Python, YAML and other text files (not Dockerfiles, manifests or ``.env`` files: their
literal values are MX103, MX104 and MX105). Two checks:

- an ``Authorization: Bearer <literal>`` header, or a string that starts with ``Bearer <literal>``,
  found with a regular expression in any of those files (``f"Bearer {token}"`` and
  ``"Bearer " + token`` hold no literal token);
- in Python only, a string literal given to a credential-like ``MAINTAINX_*`` name: an assignment
  (annotated or not, to a name, attribute or keyword argument), a dict or ``os.environ`` item, or the
  default of ``os.getenv``/``environ.get``/``setdefault``. Python's own tokenizer finds these without
  building a syntax tree, so a file costs one tokenize pass, and only when it mentions MaintainX.

A line detect-secrets already reports (MX101) is left to it, so one secret is one finding.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import tokenize
from collections.abc import Iterator

from mxlint.analysis.paths import is_test_path
from mxlint.analysis.secrets import is_key_like, is_literal_secret, names_a_variable
from mxlint.checks.base import TextRule, rule
from mxlint.checks.text.hardcoded_secret import allowlisted, scannable, secrets_in
from mxlint.config import Settings
from mxlint.model import FileKind

# RFC 6750 b64token; a `$VAR`, `${VAR}`, `{name}` or `<token>` after "Bearer" is no literal.
_TOKEN = r"(?P<token>[A-Za-z0-9\-._~+/]+=*)(?![\w{$<])"
_BEARER = re.compile(
    r"""(?ix)
    (?:\bauthorization\b["'\]]*\s*[:=,]\s*(?:[rbf]{0,2}["'])?\s*   # Authorization: / "Authorization": "
     | (?<![\w"'])[rbf]{0,2}["'])                                   # or a string that starts with it
    bearer\s+"""
    + _TOKEN
)
_MIN_TOKEN = 12  # shorter literals are examples ("abc123"), not tokens
_MIN_CREDENTIAL = 8
_MAINTAINX = re.compile(r"maintainx", re.IGNORECASE)
_MAINTAINX_NAME = re.compile(r"^maintainx_\w+$", re.IGNORECASE)


@rule("MX102")
class MaintainxTokenLiteral(TextRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        # Tests set fake tokens on purpose; a real MaintainX token (a JWT) there is still MX101.
        return not is_test_path(relpath)

    def check(self) -> None:
        if not scannable(self.context.relpath, self.context.data):
            return
        found: dict[int, tuple[int, str]] = {}  # line -> (column, what), first per line
        for line, column, what in self._findings():
            found.setdefault(line, (column, what))
        # detect-secrets' own allowlist pragma quiets this rule as it quiets MX101.
        found = {
            line: at
            for line, at in found.items()
            if not allowlisted(self.context.relpath, self.context.lines, line)
        }
        if not found:
            return
        flagged = {line for line, _, _ in secrets_in(self.context.relpath, self.context.lines, found)}
        for line, (column, what) in sorted(found.items()):
            if line not in flagged:
                self.report(line, column, what=what)

    def _findings(self) -> Iterator[tuple[int, int, str]]:
        for number, text in enumerate(self.context.lines, start=1):
            if "earer" not in text:
                continue
            for match in _BEARER.finditer(text):
                token = match.group("token")
                if _looks_random(token) and is_literal_secret(token):
                    yield number, match.start("token") + 1, "a literal `Authorization: Bearer` token"
        if self.context.kind is FileKind.PYTHON and _MAINTAINX.search(self.context.text):
            yield from _python_assignments(self.context.text)


def _python_assignments(text: str) -> Iterator[tuple[int, int, str]]:
    """Literal strings given to credential-like MAINTAINX_* names, from the token stream."""
    tokens = [t for t in _tokens(text) if t.type not in _LAYOUT]
    for index, token in enumerate(tokens):
        name = _maintainx_name(token)
        if name is None:
            continue
        value = _assigned_value(tokens, index, string_key=token.type == tokenize.STRING)
        if value is None:
            continue
        literal = _string(value)
        if literal is not None and _credential_shaped(literal):
            yield value.start[0], value.start[1] + 1, f"a literal value for `{name}`"


def _looks_random(token: str) -> bool:
    """A bearer token is machine-made: long, with letters and digits ("Bearer authentication" is prose)."""
    return (
        len(token) >= _MIN_TOKEN
        and any(char.isdigit() for char in token)
        and any(char.isalpha() for char in token)
    )


def _credential_shaped(value: str) -> bool:
    """A literal that can be a credential: no white space (a description is not), not a placeholder or
    a variable's name, and not trivially short."""
    return (
        len(value) >= _MIN_CREDENTIAL
        and not any(char.isspace() for char in value)
        and is_literal_secret(value)
        and not names_a_variable(value)
    )


_LAYOUT = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT})


def _tokens(text: str) -> list[tokenize.TokenInfo]:
    tokens: list[tokenize.TokenInfo] = []
    # Keep what was read before an error; a file that does not tokenize is MX000's business.
    with contextlib.suppress(tokenize.TokenError, SyntaxError):
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            tokens.append(token)
    return tokens


def _maintainx_name(token: tokenize.TokenInfo) -> str | None:
    """The credential-like MAINTAINX_* name a NAME token or a plain string key spells, if any."""
    if token.type == tokenize.NAME:
        name = token.string
    elif token.type == tokenize.STRING:
        name = _string(token) or ""
    else:
        return None
    return name if _MAINTAINX_NAME.match(name) and is_key_like(name) else None


def _assigned_value(
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


def _string(token: tokenize.TokenInfo) -> str | None:
    """The value of a plain string token (no f-string); None for anything else."""
    if token.type != tokenize.STRING:
        return None
    try:
        value = ast.literal_eval(token.string)
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None
