"""MX103: an ENV or ARG in a Dockerfile gives a key-like name a literal value (never echoed)."""

from __future__ import annotations

import re

from mxlint.checks.base import DockerfileRule, rule
from mxlint.sources.dockerfile import Instruction, assignments, expand

# Key-like names (case-insensitive): *API_KEY*, *TOKEN* (not TOKENIZERS_*), *SECRET*, *PASSWORD*, and
# MAINTAINX_* names that name a credential (MAINTAINX_BASE_URL or MAINTAINX_LOG_LEVEL are settings).
_KEY_LIKE = re.compile(r"API_?KEY|TOKEN(?!IZ)|SECRET|PASSW(?:OR)?D", re.IGNORECASE)
_MAINTAINX_CREDENTIAL = re.compile(r"^MAINTAINX_\w*(?:KEY|AUTH|CRED|BEARER)", re.IGNORECASE)
# Names that point at or describe a secret rather than hold it: TOKEN_URL, DB_PASSWORD_FILE, ...
# (SECRET_ID stays key-like: a Vault AppRole secret id is a credential).
_DESCRIBES = re.compile(
    r"(?:_(?:FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|PORT|NAME|HEADER|TTL|TIMEOUT|EXPIRY|LENGTH|SIZE|"
    r"ENABLED|TYPE|VERSION|MODE)|(?<!SECRET)_ID)$",
    re.IGNORECASE,
)
# Values that hold no secret: flags, and placeholders meant to be overridden at run time.
_NOT_SECRET = re.compile(
    r"(?:true|false|yes|no|on|off|none|null|nil|<[^>]*>|\*+|x+|\.\.\.|changeme|change[-_]me|"
    r"replace[-_]?me|placeholder|dummy|todo|tbd|your[-_ ].*)",
    re.IGNORECASE,
)
_DEFAULTED = re.compile(r"(?P<q>\"?)\$\{\w+:?-(?P<default>[^}$]*)\}(?P=q)")
_WHERE = {
    "ENV": "the image config keeps it, `docker inspect` shows it",
    "ARG": "the Dockerfile and the `RUN` steps' history (`docker history`) keep it",
}


def key_like(name: str) -> bool:
    return bool(_KEY_LIKE.search(name) or _MAINTAINX_CREDENTIAL.search(name)) and not _DESCRIBES.search(name)


def literal(raw: str) -> bool:
    """Whether the raw value bakes in text: not empty, not a variable reference, not a placeholder.
    ``${X:-default}`` alone counts as its default, which the image keeps when X is not given."""
    expansion = expand(raw, {})
    value = expansion.value or ""
    if expansion.references:
        defaulted = _DEFAULTED.fullmatch(raw.strip())
        if not defaulted:
            return False  # the value comes (at least partly) from a variable
        value = expand(defaulted.group("default"), {}).value or ""
    return bool(value.strip()) and not _NOT_SECRET.fullmatch(value.strip())


def _unwrap_onbuild(instruction: Instruction) -> Instruction:
    """``ONBUILD ENV K=V`` is an ``ENV`` for every image built from this one."""
    if instruction.keyword != "ONBUILD":
        return instruction
    keyword, _, rest = instruction.value.strip().partition(" ")
    return Instruction(keyword.upper(), rest, instruction.line, instruction.end_line)


@rule("MX103")
class DockerfileSecretInEnv(DockerfileRule):
    def check(self) -> None:
        for instruction in map(_unwrap_onbuild, self.context.dockerfile.instructions):
            for name, raw in assignments(instruction):
                if raw is not None and key_like(name) and literal(raw):
                    line, column = self._locate(instruction, name)
                    self.report(
                        line,
                        column,
                        keyword=instruction.keyword,
                        name=name,
                        where=_WHERE[instruction.keyword],
                    )

    def _locate(self, instruction: Instruction, name: str) -> tuple[int, int | None]:
        """The line and column of ``name`` inside a possibly continued instruction."""
        pattern = re.compile(rf"(?<![\w$]){re.escape(name)}(?=[=\s])")
        for line in range(instruction.line, instruction.end_line + 1):
            text = self.context.line_text(line)
            if not text.lstrip().startswith("#") and (match := pattern.search(text)):
                return line, match.start() + 1
        return instruction.line, None
