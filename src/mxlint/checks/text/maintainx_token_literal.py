"""MX102: MaintainX credentials written into code, config or docs, in the shapes detect-secrets misses.

Two checks, one finding per line:

- an ``Authorization: Bearer <literal>`` header, or a string that starts with ``Bearer <literal>``,
  found with a regular expression in every file the rule reads (``f"Bearer {token}"`` and
  ``"Bearer " + token`` hold no literal token);
- a literal given to a credential-like ``MAINTAINX_*`` name, read with each format's own grammar
  (:mod:`mxlint.analysis.assignments`): Python, YAML (compose files, workflows), JSON, TOML, INI
  and shell scripts, and only when the file holds a ``MAINTAINX_`` name. Dockerfiles, manifests
  and ``.env`` files are not read for names: their literal values are MX103, MX104 and MX105.

A line is left to the rule that already reports its secret: to MX101 when detect-secrets reports
it, to MX103/MX104/MX105 when the Bearer token is (part of) a credential value they report. Lines
detect-secrets' allowlist pragma covers are quiet, as they are for MX101.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mxlint.analysis import assignments, credential_values
from mxlint.analysis.credential_values import CredentialValue
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.secrets import is_literal_secret, is_maintainx_credential, is_maintainx_credential_name
from mxlint.checks.base import DockerfileContext, ManifestContext, TextRule, YamlContext, rule
from mxlint.checks.text.hardcoded_secret import allowlisted, scannable, secrets_in
from mxlint.config import Settings
from mxlint.model import FileKind
from mxlint.sources import SourceError

# RFC 6750 b64token; a `$VAR`, `${VAR}`, `{name}` or `<token>` after "Bearer" is no literal.
_TOKEN = r"(?P<token>[A-Za-z0-9\-._~+/]+=*)(?![\w{$<])"
_BEARER = re.compile(
    r"""(?ix)
    (?:\bauthorization\b["'\]]*\s*[:=,]\s*(?:[rbf]{0,2}["'])?\s*   # Authorization: / "Authorization": "
     | (?<![\w"'])[rbf]{0,2}["']                                    # or a string that starts with it
     | (?<=\w)[:=][ \t]*)                                           # or a value: AUTH_HEADER=Bearer ...
    bearer\s+"""
    + _TOKEN
)
_MIN_TOKEN = 12  # shorter literals are examples ("abc123"), not tokens
# Every name MX102 reads starts with it: a file without it is not read for names at all.
_MAINTAINX = re.compile(r"maintainx_", re.IGNORECASE)


@rule("MX102")
class MaintainxTokenLiteral(TextRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        # Tests set fake tokens on purpose; a real MaintainX token (a JWT) there is still MX101.
        return not is_test_path(relpath)

    def check(self) -> None:
        relpath, lines = self.context.relpath, self.context.lines
        if not scannable(relpath, self.context.data):
            return
        found: dict[int, tuple[int, str, str]] = {}  # line -> (column, literal, what), first per line
        for line, column, literal, what in self._findings():
            if line not in found and not allowlisted(relpath, lines, line):
                found[line] = (column, literal, what)
        if found and self.context.kind in (FileKind.DOCKERFILE, FileKind.KUBERNETES, FileKind.DOTENV):
            owned = self._credential_values()
            found = {n: f for n, f in found.items() if not any(v.holds(n, f[1]) for v in owned)}
        if not found:
            return
        flagged = {line for line, _, _ in secrets_in(relpath, lines, found)}
        for line, (column, _, what) in sorted(found.items()):
            if line not in flagged:
                self.report(line, column, what=what)

    def _findings(self) -> Iterator[tuple[int, int, str, str]]:
        for number, text in enumerate(self.context.lines, start=1):
            if "earer" not in text:
                continue
            for match in _BEARER.finditer(text):
                token = match.group("token")
                if _looks_random(token) and is_literal_secret(token):
                    yield number, match.start("token") + 1, token, "a literal `Authorization: Bearer` token"
        if not _MAINTAINX.search(self.context.text):
            return
        context = self.context
        for found in assignments.of_file(
            context.relpath, context.kind, context.text, context.lines, self._documents,
            is_maintainx_credential_name, _MAINTAINX,
        ):  # fmt: skip
            if is_maintainx_credential(found.name, found.value):
                yield found.line, found.column, found.value, f"a literal value for `{found.name}`"

    def _documents(self) -> list:
        """The YAML tree; none when the file does not parse (MX000 reports that)."""
        try:
            return self.context.documents if isinstance(self.context, YamlContext) else []
        except SourceError:
            return []

    def _credential_values(self) -> list[CredentialValue]:
        """The values MX103, MX104 or MX105 report in this file (whether or not they are enabled)."""
        context = self.context
        try:
            if isinstance(context, DockerfileContext):
                return list(credential_values.dockerfile(context.dockerfile, context.lines))
            if isinstance(context, ManifestContext):
                return list(credential_values.manifest(context.documents))
        except SourceError:
            return []  # not parsed: those rules report nothing here
        return list(credential_values.dotenv(context.lines)) if context.kind is FileKind.DOTENV else []


def _looks_random(token: str) -> bool:
    """A bearer token is machine-made: long, with letters and digits ("Bearer authentication" is prose)."""
    return (
        len(token) >= _MIN_TOKEN
        and any(char.isdigit() for char in token)
        and any(char.isalpha() for char in token)
    )
