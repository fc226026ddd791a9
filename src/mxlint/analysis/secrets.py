"""Shared vocabulary of the secret rules: which names hold credentials, which values are placeholders.

The rules that use it never put a value in a message: they report the name and the line only.
"""

from __future__ import annotations

import re

# auth.secret-manager's key-like names: MAINTAINX_*, *_API_KEY, *TOKEN*, *SECRET*, *PASSWORD*.
_SECRET_WORD = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|(?:^|_)API_?KEY$|^MAINTAINX_")
# Names that hold configuration about a credential, not the credential: where it lives (a path, a
# secret-manager name, a URL), how it is used (a header, a type) or its limits. A secret kept in a
# file and referenced by `*_FILE` is the recommended pattern, not a finding.
_NOT_A_CREDENTIAL = re.compile(
    r"_(?:URL|URI|HOST|PORT|PATH|FILE|DIR|ENDPOINT|ID|IDS|NAME|REF|ARN|VERSION|REGION|TIMEOUT|TTL|"
    r"EXPIRY|EXPIRES|EXPIRATION|LENGTH|LIMIT|SIZE|LEVEL|ENABLED|HEADER|TYPE|PREFIX|SCOPE|SCOPES|"
    r"ENV|ENVIRONMENT|RETRIES|FIELD|LABEL|PATTERN|REGEX|PROMPT|MESSAGE|FORMAT|VAR|VARIABLE)$"
)


def is_key_like(name: str) -> bool:
    """Whether an environment-style name holds a credential (``MAINTAINX_API_KEY``, ``DB_PASSWORD``)."""
    return bool(_SECRET_WORD.search(name.upper())) and not describes_credential(name)


def describes_credential(name: str) -> bool:
    """Whether a name is about a credential rather than holding one (``SECRET_NAME``, ``token_url``)."""
    return bool(_NOT_A_CREDENTIAL.search(name.upper().replace("-", "_")))


_PLACEHOLDER = re.compile(
    r"""(?ix)^(?:
        <[^<>]*>                                   # <token>, <your-api-key>
      | \$\{[^}]*\} | \$[A-Za-z_]\w* | \$\(.*\)    # ${VAR}, $VAR, $(command): references
      | \{\{.*\}\} | \{[A-Za-z_]\w*\} | %\(\w+\)s  # templates
      | [x*.#_\-]+                                 # xxx, ****, ..., ---
      | (?:change|replace|fill|set|insert|enter|put|add)[-_ ]?(?:me|it|this|in)?(?:[-_ ]\w+)*
      | your[-_ ]\S* | my[-_ ]?(?:api[-_ ]?)?(?:key|token|secret|password)
      | (?:todo|tbd|fixme|placeholder|dummy|example|sample|redacted|none|null|nil|undefined|empty|
         secret|token|password|api[-_]?key|key)(?:[-_ ]?(?:here|value))?
    )$"""
)


def is_placeholder(value: str) -> bool:
    """An empty, templated or obviously fake value (``""``, ``changeme``, ``<token>``, ``${X}``, ``xxx``)."""
    stripped = value.strip()
    return not stripped or bool(_PLACEHOLDER.match(stripped))


_REFERENCE = re.compile(r"\$\{[^}]*\}|\$[A-Za-z_]\w*")
_URL_WITHOUT_CREDENTIALS = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s:]+(?::\d+)?(?:[/?#]\S*)?$", re.I)
_NOT_SECRET_SCALAR = re.compile(r"^(?:[-+]?\d+(?:\.\d+)?|true|false|yes|no|on|off)$", re.I)


def is_literal_secret(value: str) -> bool:
    """Whether a value given to a key-like name is a literal credential: not a placeholder, not a
    reference to another variable, not a number, flag or plain URL (``TOKEN_TTL=3600``)."""
    if is_placeholder(value) or _REFERENCE.search(value):
        return False
    stripped = value.strip()
    return not (_NOT_SECRET_SCALAR.match(stripped) or _URL_WITHOUT_CREDENTIALS.match(stripped))


_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def names_a_variable(value: str) -> bool:
    """A value that is the name of an environment variable (``"MAINTAINX_API_KEY"``), not a secret."""
    return bool(_ENV_NAME.match(value))
