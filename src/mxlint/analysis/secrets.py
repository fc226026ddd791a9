"""Shared vocabulary of the secret rules: which names hold credentials, which values are placeholders.

The rules that use it never put a value in a message: they report the name and the line only.
"""

from __future__ import annotations

import re

# auth.secret-manager's key-like names: MAINTAINX_*, *_API_KEY, *TOKEN*, *SECRET*, *PASSWORD*. Names are
# compared in upper snake case, so `apiKey`, `api-key` and `API_KEY` are one name.
_CREDENTIAL_WORD = re.compile(
    r"API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|TOKEN(?!IZ)|SECRET|PASSW(?:OR)?D|PASSPHRASE|CREDENTIAL|BEARER"
)
# A MAINTAINX_* name that says it holds the credential (MAINTAINX_KEY, MAINTAINX_AUTH_HEADER_VALUE);
# other MAINTAINX_* settings (MAINTAINX_SYNC_MODE) count only when their value looks generated.
_MAINTAINX_CREDENTIAL = re.compile(r"^MAINTAINX_(?:\w+_)?(?:KEY|AUTH|CREDS?)(?:_|$)")
_MAINTAINX = re.compile(r"^MAINTAINX_")
# Names that hold configuration about a credential, not the credential: where it lives (a path, a
# secret-manager name or reference, a URL), how it is used (a header, a type, a hashing algorithm)
# or its limits (TOKEN_TTL_SECONDS, MAX_TOKENS). A secret kept in a file and referenced by `*_FILE`
# is the recommended pattern, not a finding. `*SECRET_ID` stays a credential (a Vault AppRole
# secret id is one).
_NOT_A_CREDENTIAL = re.compile(
    r"_(?:URL|URI|HOST|HOSTNAME|PORT|PATH|FILE|DIR|ENDPOINT|IDS|NAME|NAMES|REF|ARN|VERSION|REGION|"
    r"PROJECT|LOCATION|TIMEOUT|TTL|EXPIRY|EXPIRES|EXPIRATION|SECONDS|MINUTES|HOURS|DAYS|LENGTH|LIMIT|"
    r"SIZE|COUNT|LEVEL|ENABLED|DISABLED|HEADER|TYPE|PREFIX|SCOPE|SCOPES|AUDIENCE|ISSUER|METHOD|MODE|"
    r"BACKEND|PROVIDER|STORE|HASHER|ALGORITHM|ENV|ENVIRONMENT|RETRIES|FIELD|LABEL|PATTERN|REGEX|"
    r"PROMPT|MESSAGE|FORMAT|VAR|VARIABLE|USER|USERNAME|EMAIL)$"
    r"|(?<!SECRET)_ID$|TOKENS$|^(?:MAX|MIN|NUM|EXISTING|USE|ENABLE|DISABLE)_"
)
_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _normalise(name: str) -> str:
    return re.sub(r"[-. ]", "_", _CAMEL_HUMP.sub("_", name.strip())).upper()


def is_key_like(name: str) -> bool:
    """Whether a name says it holds a credential (``MAINTAINX_API_KEY``, ``DB_PASSWORD``, ``apiToken``)."""
    name = _normalise(name)
    named = bool(_CREDENTIAL_WORD.search(name) or _MAINTAINX_CREDENTIAL.search(name))
    return named and not _NOT_A_CREDENTIAL.search(name)


def describes_credential(name: str) -> bool:
    """Whether a name is about a credential rather than holding one (``SECRET_NAME``, ``tokenUrl``)."""
    return bool(_NOT_A_CREDENTIAL.search(_normalise(name)))


def is_credential_assignment(name: str, value: str) -> bool:
    """Whether ``name=value`` (an env file, a Dockerfile ENV, a manifest env entry) gives a credential
    a literal value: a key-like name with a literal value, or any other ``MAINTAINX_*`` name with a
    value that looks generated. The one judgement of MX103, MX104 and MX105."""
    if not is_literal_secret(value):
        return False
    if is_key_like(name):
        return True
    normalised = _normalise(name)
    return bool(_MAINTAINX.match(normalised)) and not describes_credential(name) and looks_generated(value)


# MX102's names: a MAINTAINX_* name that says it holds the credential, in any case (`maintainx_token`).
_MAINTAINX_NAME = re.compile(r"^maintainx_\w+$", re.IGNORECASE)
_MIN_MAINTAINX_VALUE = 8
_AUTH_SCHEME = re.compile(r"^(?:bearer|token|basic)\s+(?=\S+$)", re.IGNORECASE)


def is_maintainx_credential_name(name: str) -> bool:
    """``MAINTAINX_API_KEY``, ``maintainx_token``; not ``MAINTAINX_BASE_URL`` or ``MAINTAINX_ORG_ID``."""
    return bool(_MAINTAINX_NAME.match(name)) and is_key_like(name)


def is_maintainx_credential(name: str, value: str) -> bool:
    """Whether ``name = value`` writes a MaintainX credential (MX102): a credential-like
    ``MAINTAINX_*`` name given a literal that can be one (after an ``Authorization`` scheme such as
    ``Bearer``): no white space (a description is not), not a placeholder, reference, path or
    variable's name, and not trivially short."""
    value = _AUTH_SCHEME.sub("", value.strip())  # MAINTAINX_AUTH="Bearer <token>" holds the token
    return (
        is_maintainx_credential_name(name)
        and len(value) >= _MIN_MAINTAINX_VALUE
        and not any(char.isspace() for char in value)
        and is_literal_secret(value)
    )


# One word of 16 characters or more, not a URL or a path, with at least 20 % digits or a mix of upper
# case, lower case and digits (MaintainX API keys are long bearer tokens).
_ONE_LONG_WORD = re.compile(r"^(?!https?://|/)\S{16,}$")


def looks_generated(value: str) -> bool:
    value = value.strip()
    if not _ONE_LONG_WORD.match(value):
        return False
    digits = sum(character.isdigit() for character in value)
    mixed = any(c.isupper() for c in value) and any(c.islower() for c in value) and digits > 0
    return digits >= 0.2 * len(value) or mixed


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


# A placeholder's words inside a longer value: `ghp_your_token_here`, `xoxb-your-bot-token`,
# `super-secret-jwt-key-change-in-production`, `django-insecure-change-me`; and AWS's documented
# example keys (`AKIAIOSFODNN7EXAMPLE`, `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`).
_PLACEHOLDER_WORDS = re.compile(
    r"""(?ix)(?:^|[^a-z0-9])(?:
        your | changeme | replaceme
      | (?:change|replace)[-_ .](?:me|this|it|in|before|with|to)
    )(?:$|[^a-z0-9])"""
)
_AWS_EXAMPLE_KEY = re.compile(r"EXAMPLE(?:KEY)?$")


def is_placeholder(value: str) -> bool:
    """An empty, templated or obviously fake value (``""``, ``changeme``, ``<token>``, ``${X}``, ``xxx``,
    ``ghp_your_token_here``, ``secret-change-in-production``, AWS's ``AKIAIOSFODNN7EXAMPLE``)."""
    stripped = value.strip()
    return (
        not stripped
        or bool(_PLACEHOLDER.match(stripped))
        or bool(_PLACEHOLDER_WORDS.search(stripped))
        or bool(_AWS_EXAMPLE_KEY.search(stripped))
    )


_REFERENCE = re.compile(r"\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_]\w*|\{\{|\{%|^ENC\[")
# Elided or masked example values: `whsec_...`, `mx_live_XXXXXXXXXXXX`, `sk-****`.
_ELIDED = re.compile(r"\.\.\.|…|XXXX|\*\*\*\*")
# Where a secret manager keeps the credential, not the credential: a Google Secret Manager resource
# name, an AWS ARN (Secrets Manager, SSM Parameter Store), an Azure App Service Key Vault reference
# and a Bank-Vaults `vault:` path. A `scheme://` reference (op://, sm://, ref+vault://) is a URL below.
_SECRET_MANAGER_REFERENCE = re.compile(
    r"""(?x)^(?:
        projects/[\w.-]+/secrets/[\w-]+(?:/versions/[\w-]+)?
      | arn:aws[\w-]*:[\w-]+:[\w-]*:\d*:\S+
      | @Microsoft\.KeyVault\([^()]+\)
      | vault:[\w./-]+(?:\#[\w.-]+)?
    )$"""
)
_URL_WITHOUT_CREDENTIALS = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@\s:]+(?::\d+)?(?:[/?#]\S*)?$", re.I)
_NOT_SECRET_SCALAR = re.compile(r"^(?:[-+]?\d+(?:\.\d+)?|true|false|yes|no|on|off)$", re.I)


def is_literal_secret(value: str) -> bool:
    """Whether a value given to a key-like name is a literal credential: not a placeholder, not a
    reference to another variable, a template or an encrypted value (SOPS ``ENC[...]``), not the name
    of a variable, a number, flag, plain URL (``TOKEN_TTL=3600``) or file path
    (``GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/google/key.json``), and not a secret manager's
    reference (``projects/acme/secrets/maintainx-api-key/versions/latest``, ``arn:aws:secretsmanager:…``)."""
    if is_placeholder(value) or _REFERENCE.search(value) or _ELIDED.search(value):
        return False
    stripped = value.strip()
    return not (
        _NOT_SECRET_SCALAR.match(stripped)
        or _URL_WITHOUT_CREDENTIALS.match(stripped)
        or names_a_variable(stripped)
        or looks_like_path(stripped)
        or _SECRET_MANAGER_REFERENCE.match(stripped)
    )


# A file that holds a key, a certificate or a service-account document, named by its extension.
_KEY_FILE_EXTENSION = (
    r"\.(?:json|pem|key|crt|cer|cert|der|csr|p8|p12|pfx|jks|keystore|truststore|pub|asc|gpg|pgp|ppk|"
    r"keytab|kdbx)"
)
_KEY_FILE_NAME = re.compile(rf"[\w@-]+(?:\.[\w@-]+)*{_KEY_FILE_EXTENSION}", re.IGNORECASE)
# Where a path starts: `/`, `./`, `../`, `~/` (or `~user/`), a Windows drive (`C:\`, `C:/`).
_PATH_ROOT = re.compile(r"^(?:\.{1,2}[/\\]|~[\w.-]*/|[A-Za-z]:[/\\]|/)")
# One directory or file name: letters, digits, `_ - . @`. Base64's `+` and `=` are not in it.
_PATH_SEGMENT = re.compile(r"[\w@.-]+")
_MIN_RANDOM_SEGMENT = 12
# A part that reads as a name: a lower-case word (`var`, `secrets`) or one with a separator (`tls.key`,
# `service-account`, `.config`). A path has at least one.
_WORDY_SEGMENT = re.compile(r"[a-z]{3,}[a-z0-9]*|.*[^.][._@-].*|\.[\w-]+")


def looks_like_path(value: str) -> bool:
    """Whether a value is a file path, not a credential: absolute (``/etc/ssl/private/tls.key``),
    relative with ``./``, ``../`` or ``~/``, a Windows path, a relative path or bare file name ending
    in a key, certificate or JSON extension (``service-account.json``, ``certs/tls.pem``). Every part
    must read as a name: base64 (``abc/def+ghi==``, ``/9j/4AAQSkZJRg…``) has ``+``/``=`` or random
    mixed-case runs and is not a path."""
    value = value.strip()
    root = _PATH_ROOT.match(value)
    rest = value[root.end() :] if root else value
    segments = re.split(r"[/\\]", rest)
    if segments and not segments[-1] and len(segments) > 1:
        segments.pop()  # a trailing separator: `/mnt/secrets/`
    if not all(_PATH_SEGMENT.fullmatch(segment) for segment in segments):
        return False
    if any(_random_segment(segment) for segment in segments):
        return False
    if not any(_WORDY_SEGMENT.fullmatch(segment) for segment in segments):
        return False  # `/Xk3/mP9q/R2sT`: short random runs between slashes
    return bool(root) or bool(_KEY_FILE_NAME.fullmatch(segments[-1]))


def _random_segment(segment: str) -> bool:
    """A run of upper case, lower case and digits with no separator, as base64 and tokens have:
    ``4AAQSkZJRgABAQ``, not ``google``, ``tls.key`` or ``my-project-1a2b3c.json``."""
    return (
        len(segment) >= _MIN_RANDOM_SEGMENT
        and not any(char in "._-@" for char in segment)
        and any(char.isupper() for char in segment)
        and any(char.islower() for char in segment)
        and any(char.isdigit() for char in segment)
    )


_ENV_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def names_a_variable(value: str) -> bool:
    """A value that is the name of an environment variable (``"MAINTAINX_API_KEY"``), not a secret."""
    return bool(_ENV_NAME.match(value))
