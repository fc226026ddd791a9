"""MX101: detect-secrets over every text file of the scan, values kept out of every output.

detect-secrets' settings are process-global: without a settings context no plugin runs (its issue
#709). The plugin list below is configured once per process with ``transient_settings`` and kept for
the process's life (workers are forked from the parent, or configure themselves on first use).

Speed: detect-secrets calls every plugin on every line through dependency injection, about
200 ms per thousand lines here. Lines that no plugin can match are skipped first. Every plugin we
enable declares its regular expressions (``denylist``): a line is searched with a pattern only when
it holds the pattern's fixed text (``AKIA``, ``eyJ``, ``-us``, found with ``str.find``); patterns
without one are searched over the whole file, the keyword detector's word list over the lower-cased
file. Only the lines found go through detect-secrets' own per-line scan and filters. Measured over
520k lines of installed packages and 300k of the standard library: 6 to 8 ms per thousand lines,
with the same findings.
"""

from __future__ import annotations

import atexit
import bisect
import itertools
import re
from collections.abc import Collection, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath

try:  # the regular-expression parser, to find the fixed text of detect-secrets' patterns
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # Python < 3.11
    import sre_constants
    import sre_parse

from detect_secrets.core import scan
from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class
from detect_secrets.filters.allowlist import is_line_allowlisted
from detect_secrets.filters.heuristic import is_lock_file, is_non_text_file
from detect_secrets.plugins import keyword
from detect_secrets.settings import get_plugins, transient_settings
from detect_secrets.util.code_snippet import get_code_snippet

from mxlint.analysis.paths import is_test_path
from mxlint.analysis.secrets import (
    describes_credential,
    is_literal_secret,
    is_placeholder,
    names_a_variable,
)
from mxlint.checks.base import TextRule, rule

# Files larger than this are not scanned: generated data, dumps and bundles, not configuration.
MAX_BYTES = 1024 * 1024

# Every detect-secrets plugin that recognises a credential by its format, plus the keyword detector.
# Left out, to stay quiet on ordinary repositories:
# - Base64HighEntropyString, HexHighEntropyString: they flag hashes (`--hash=sha256:` pins in
#   requirements files, package-lock `integrity` fields, SRI attributes, git SHAs) and random test
#   data (detect-secrets #693); a high-entropy value assigned to a credential name is still found
#   by the keyword detector, a JWT by JwtTokenDetector, and MaintainX bearer tokens by MX102.
# - IPPublicDetector: a public IP address is not a credential.
PLUGINS = (
    "ArtifactoryDetector", "AWSKeyDetector", "AzureStorageKeyDetector", "BasicAuthDetector",
    "CloudantDetector", "DiscordBotTokenDetector", "GitHubTokenDetector", "GitLabTokenDetector",
    "IbmCloudIamDetector", "IbmCosHmacDetector", "JwtTokenDetector", "KeywordDetector",
    "MailchimpDetector", "NpmDetector", "OpenAIDetector", "PrivateKeyDetector", "PypiTokenDetector",
    "SendGridDetector", "SlackDetector", "SoftlayerDetector", "SquareOAuthDetector", "StripeDetector",
    "TelegramBotTokenDetector", "TwilioKeyDetector",
)  # fmt: skip
# detect-secrets' default heuristic filters that look at a line or a value (the allowlist pragma
# among them). Its filename filters are applied below on the path, since mxlint reads the content.
FILTERS = tuple(
    f"detect_secrets.filters.{name}"
    for name in (
        "allowlist.is_line_allowlisted",
        "heuristic.is_sequential_string",
        "heuristic.is_potential_uuid",
        "heuristic.is_likely_id_string",
        "heuristic.is_templated_secret",
        "heuristic.is_prefixed_with_dollar_sign",
        "heuristic.is_indirect_reference",
        "heuristic.is_not_alphanumeric_string",
    )
)
# The keyword detector is the noisy one in tests, where fixtures set fake passwords on purpose.
TEST_QUIET_TYPES = frozenset({"Secret Keyword"})
# Files that hold hashes of secrets or data by design.
SKIPPED_NAMES = frozenset({".secrets.baseline", ".gitleaksignore"})

_SETTINGS: ExitStack | None = None


def _configure() -> None:
    """Enter detect-secrets' settings context once per process; it stays active afterwards."""
    global _SETTINGS
    if _SETTINGS is not None:
        return
    available = {cls.__name__ for cls in get_mapping_from_secret_type_to_class().values()}
    stack = ExitStack()
    stack.enter_context(
        transient_settings(
            {
                "plugins_used": [{"name": name} for name in PLUGINS if name in available],
                "filters_used": [{"path": path} for path in FILTERS],
            }
        )
    )
    _SETTINGS = stack
    # Leave the context while the interpreter can still import (it restores the previous settings);
    # left to garbage collection at shutdown, it fails noisily.
    atexit.register(stack.close)


# detect-secrets' keyword-shaped detectors (Cloudant, IBM, SoftLayer) start with this boundary and have
# no fixed text; each requires one of a few words, so only lines holding one are searched.
_KEYWORD_SHAPED = "(?:(?<=\\W)|(?<=^))"
_REQUIRED_WORDS = ("(?:key|pwd", "secret[-_]?(?:access)?[-_]?key")
_GUARD = re.compile("key|pw|pass|token")  # over lower-cased text
_MIN_ANCHOR = 2  # a shorter fixed text (":" or ".") would select most lines


@dataclass(frozen=True)
class _Prefilter:
    # (fixed text every match contains, lower-cased for case-insensitive patterns; the pattern):
    # only lines holding the text are searched, with the pattern itself, as detect-secrets would.
    anchored: tuple[tuple[str, bool, re.Pattern[str]], ...]
    whole_text: tuple[re.Pattern[str], ...]  # no usable fixed text: searched over the file
    lowered: re.Pattern[str]  # the keyword list, searched over the lower-cased file (much faster)
    guarded: tuple[re.Pattern[str], ...]  # searched only on lines _GUARD finds


def _fixed_text(pattern: re.Pattern[str]) -> str:
    """The longest run of literal characters every match of ``pattern`` contains ("" if unknown)."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    except Exception:  # a private parser: any surprise only costs speed
        return ""
    best, run = "", ""
    for op, value in parsed:
        if op is sre_constants.LITERAL:
            run += chr(value)
            best = max(best, run, key=len)
        else:
            run = ""
    return best


@cache
def _prefilter() -> _Prefilter | None:
    """How to find the lines a plugin can report, or None when a plugin declares no patterns."""
    anchored: list[tuple[str, bool, re.Pattern[str]]] = []
    whole: list[re.Pattern[str]] = []
    guarded: list[re.Pattern[str]] = []
    for plugin in get_plugins():
        if type(plugin).__name__ == "KeywordDetector":
            continue
        denylist = getattr(plugin, "denylist", None)
        if not denylist:
            return None
        for pattern in denylist:
            source = pattern.pattern
            fixed = _fixed_text(pattern)
            if len(fixed) >= _MIN_ANCHOR:
                folded = bool(pattern.flags & re.IGNORECASE)
                anchored.append((fixed.lower() if folded else fixed, folded, pattern))
            elif source.startswith(_KEYWORD_SHAPED) and any(word in source for word in _REQUIRED_WORDS):
                guarded.append(pattern)
            else:
                whole.append(re.compile(source, pattern.flags | re.MULTILINE))
    lowered = re.compile("|".join(word.lower() for word in keyword.DENYLIST))
    return _Prefilter(tuple(anchored), tuple(whole), lowered, tuple(guarded))


def _line_numbers(starts: list[int], matches: Iterator[re.Match[str]]) -> set[int]:
    """1-based numbers of the lines each match touches, given the offsets where lines start."""
    found: set[int] = set()
    for match in matches:
        first = bisect.bisect_right(starts, match.start())
        last = bisect.bisect_right(starts, max(match.end() - 1, match.start()))
        found.update(range(first, last + 1))
    return found


def _candidate_lines(lines: list[str]) -> list[int]:
    """Lines a plugin pattern matches or may match: a superset of the lines the plugins can report."""
    prefilter = _prefilter()
    if prefilter is None:
        return list(range(1, len(lines) + 1))
    text = "\n".join(lines)  # the rule's own line split (splitlines), so numbers agree
    lowered = text.lower()  # str.lower keeps every "\n", so line numbers agree
    starts = [0, *itertools.accumulate(len(line) + 1 for line in lines)][:-1] if lines else [0]
    lowered_starts = starts if len(lowered) == len(text) else _starts(lowered)
    found = _line_numbers(starts, (m for pattern in prefilter.whole_text for m in pattern.finditer(text)))
    found |= _line_numbers(lowered_starts, prefilter.lowered.finditer(lowered))
    for fixed, folded, pattern in prefilter.anchored:
        haystack, offsets = (lowered, lowered_starts) if folded else (text, starts)
        position = haystack.find(fixed)
        while position >= 0:
            number = bisect.bisect_right(offsets, position)
            if number not in found and pattern.search(lines[number - 1]):
                found.add(number)
            position = haystack.find(fixed, offsets[number] if number < len(offsets) else len(haystack))
    if prefilter.guarded:
        for number in _line_numbers(lowered_starts, _GUARD.finditer(lowered)) - found:
            if any(pattern.search(lines[number - 1]) for pattern in prefilter.guarded):
                found.add(number)
    return sorted(found)


def _starts(text: str) -> list[int]:
    return [0, *(match.end() for match in re.finditer("\n", text))]


def secrets_in(
    relpath: str, lines: list[str], only: Collection[int] | None = None
) -> Iterator[tuple[int, str, int | None]]:
    """(line, detect-secrets type, 1-based column or None) for each potential secret, once per line
    and type, on every line or on the ``only`` ones. The value is only compared here, never returned."""
    _configure()
    quiet = TEST_QUIET_TYPES if is_test_path(relpath) else frozenset()
    seen: set[tuple[int, str]] = set()
    candidates = _candidate_lines(lines) if only is None else sorted(only)
    for number in candidates:
        # An mxlint ignore comment is for mxlint's suppression step; detect-secrets would read its
        # `: ignore[MX101]` as an indirect reference and drop the finding before it can be suppressed.
        line = _MXLINT_COMMENT.sub("", lines[number - 1]).rstrip()
        snippet = get_code_snippet(lines=lines, line_number=number)
        # The same steps as detect-secrets' scan._process_line_based_plugins, for one line.
        if scan._is_filtered_out(["line"], filename=relpath, line=line, context=snippet):
            continue
        for plugin in get_plugins():
            for secret in scan._scan_line(
                plugin=plugin, filename=relpath, line=line, line_number=number, context=snippet
            ):
                value = secret.secret_value or ""
                if secret.type in quiet or is_placeholder(value) or (number, secret.type) in seen:
                    continue
                if scan._is_filtered_out(
                    ["context"], filename=relpath, secret=value, plugin=plugin, line=line, context=snippet
                ):
                    continue
                column = line.find(value) + 1 if value else 0
                if secret.type == "Secret Keyword" and not _keyword_credential(line, value, column, lines):
                    continue
                seen.add((number, secret.type))
                yield number, secret.type, column or None


def allowlisted(relpath: str, lines: list[str], number: int) -> bool:
    """Whether detect-secrets' inline allowlist covers line ``number``: ``pragma: allowlist secret``
    on it, or ``pragma: allowlist nextline secret`` alone on the line above, in any comment syntax
    detect-secrets knows (``#``, ``//``, ``/* */``, ``--``, ``<!-- -->``)."""
    line = _MXLINT_COMMENT.sub("", lines[number - 1]).rstrip()
    return is_line_allowlisted(relpath, line, get_code_snippet(lines=lines, line_number=number))


_NAME = re.compile(r"[A-Za-z_][\w.-]*")
_CHARACTER_CLASSES = (
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^\w\s]"),
)
MIN_KEYWORD_VALUE = 8


def _credential_like(value: str) -> bool:
    """Whether a keyword-named value could be a credential rather than prose or a setting: at least
    8 characters, no white space, and two kinds of character (``"DSA"``, ``"will be replaced"`` and
    ``"blerg"`` in docs and comments are not; ``"Plant-Floor-2019!"`` is)."""
    if len(value) < MIN_KEYWORD_VALUE or any(char.isspace() for char in value):
        return False
    return sum(1 for pattern in _CHARACTER_CLASSES if pattern.search(value)) >= 2


_MXLINT_COMMENT = re.compile(r"#\s*mxlint\s*:.*$")
# A name of lower-case words and numbers: a Secret's or key's name (`maintainx-api-key:latest`,
# `db-password`), not a generated credential.
_IDENTIFIER = re.compile(r"[a-z]+(?:\d+)?(?:[-_.:/](?:[a-z]+|\d+))+")
_ENV_STYLE_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_REFERENCE_SPAN = re.compile(r"\$\{[^}]*\}")
# A type written as a string (`secret_key: "Optional[str]"`, OpenAPI models' `"secrets": "List[V1Ref]"`).
_TYPE_EXPRESSION = re.compile(r"[A-Za-z_][\w.]*\[[\w\[\], .|]*\]")
# Bitnami sealed secrets hold values encrypted for one cluster: safe to commit by design.
_SEALED_SECRET = re.compile(r"^kind:\s*SealedSecret\s*$", re.MULTILINE)


def _keyword_credential(line: str, value: str, column: int, lines: list[str]) -> bool:
    """Whether the keyword detector's hit can be a credential, not a name (``API_KEY_VARIABLE =
    "MAINTAINX_API_KEY"``, ``secretName: maintainx-credentials``), a description (``secret_type =
    "JWT"``), a reference default (``${DB_PASSWORD:changeme}``) or a sealed secret."""
    name, assigned, rest = value.partition("=")
    if assigned and rest and _ENV_STYLE_NAME.fullmatch(name):
        value = rest  # `--set-secrets=MAINTAINX_API_KEY=maintainx-api-key:latest` maps a name to a secret
    if names_a_variable(value) or not _credential_like(value) or _IDENTIFIER.fullmatch(value):
        return False
    # A plain URL, an elided example (`sk-...xyz123`), a path or a type is no credential.
    if not is_literal_secret(value) or _TYPE_EXPRESSION.fullmatch(value):
        return False
    before = line[: max(column - 1, 0)]
    if _describing_name(before) or _names_itself(before, value):
        return False
    if any(span.start() < column <= span.end() for span in _REFERENCE_SPAN.finditer(line)):
        return False
    return not _SEALED_SECRET.search("\n".join(lines))


def _names_itself(before_value: str, value: str) -> bool:
    """An OpenAPI model's attribute map: ``"client_secret": "clientSecret"`` maps a name to its JSON key."""
    names = _NAME.findall(before_value)
    normalise = re.compile(r"[^a-z0-9]")
    return bool(names) and normalise.sub("", names[-1].lower()) == normalise.sub("", value.lower())


def _describing_name(before_value: str) -> bool:
    """Whether the keyword detector's match is a name about a credential (``secret_type = "JWT"``):
    the last name before the value."""
    names = _NAME.findall(before_value)
    return bool(names) and describes_credential(names[-1].rsplit(".", 1)[-1])


def scannable(relpath: str, data: bytes) -> bool:
    name = PurePosixPath(relpath).name
    if name in SKIPPED_NAMES or is_lock_file(name) or is_non_text_file(name) or name.endswith(".min.js"):
        return False
    return len(data) <= MAX_BYTES and b"\0" not in data


@rule("MX101")
class HardcodedSecret(TextRule):
    def check(self) -> None:
        if not scannable(self.context.relpath, self.context.data):
            return
        # One finding per line: a JWT under `api_key = ` is one secret, not a JWT and a keyword.
        by_line: dict[int, list[tuple[str, int | None]]] = {}
        for line, secret_type, column in secrets_in(self.context.relpath, self.context.lines):
            by_line.setdefault(line, []).append((secret_type, column))
        for line, found in sorted(by_line.items()):
            found.sort(key=lambda item: item[0] == "Secret Keyword")  # the format detector names it best
            types = " / ".join(secret_type for secret_type, _ in found)
            self.report(line, found[0][1], secret_type=types)
