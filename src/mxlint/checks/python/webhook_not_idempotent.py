"""MX302: a MaintainX webhook handler that never records or checks a dedupe key."""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis.names import dotted, keyword
from mxlint.analysis.paths import is_test_path
from mxlint.analysis.triggers import Trigger
from mxlint.analysis.web import Webhook, WebRoutes, webhook_trigger
from mxlint.checks.base import PythonRule, rule
from mxlint.config import Settings

# A call or decorator named like a dedupe step: is_duplicate(), store.seen(key), @idempotent.
_DEDUPE_NAME = re.compile(r"(?i)idempot|dedup|duplicate|seen|already|processed|replay")
# A value named as a dedupe key (event.dedupe_key, idempotency_key) handed to a call whose result the
# handler uses: ``if not await store.first_delivery(pool, event.dedupe_key): return ...``.
_KEY_NAME = re.compile(r"(?i)^_*(?:dedup(?:e|lication)?|idempotency)_?key$")
# Store operations that check and record in one step, or check membership.
_STORE_CHECKS = frozenset(
    {"exists", "setnx", "sismember", "sadd", "hsetnx", "get_or_create", "on_conflict_do_nothing"}
)
# Check-and-set calls whose result says whether the key was new: Django's ``cache.add`` (False when
# the key exists), ``seen.add`` on a store: they count when the result is used, not thrown away.
_ADD_CHECKS = frozenset({"add"})
# Insert-if-absent in SQL (``INSERT ... ON CONFLICT DO NOTHING``), MongoDB and DynamoDB.
_SQL_UPSERT = re.compile(
    r"(?i)on\s+conflict|insert\s+or\s+ignore|insert\s+ignore|on\s+duplicate\s+key|not\s+exists"
    r"|\$setOnInsert|attribute_not_exists"
)
# The error a unique key raises on a second insert: ``except IntegrityError`` (Django, SQLAlchemy,
# sqlite3, psycopg2), psycopg's ``UniqueViolation``, asyncpg's, pymongo's ``DuplicateKeyError``, a
# DynamoDB conditional put.
_DUPLICATE_ERRORS = frozenset(
    {
        "IntegrityError", "UniqueViolation", "UniqueViolationError", "DuplicateKeyError",
        "ConditionalCheckFailedException",
    }
)  # fmt: skip
# Payload fields that make a dedupe key with the entity id (MaintainX payloads carry no event id).
_KEY_FIELDS = frozenset({"occurredAt", "occurred_at"})
_LITERALS = (
    cst.List,
    cst.Tuple,
    cst.Set,
    cst.Dict,
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
)


@rule("MX302")
class WebhookNotIdempotent(PythonRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not is_test_path(relpath)

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        return webhook_trigger(settings)

    def finish(self) -> None:
        web: WebRoutes = self.context.analysis(WebRoutes)
        for webhook in web.webhooks():
            self.judged_subject()
            if not _deduplicates(web, webhook, self.context.settings.web.dedupe_functions):
                name = webhook.handler.node.name
                self.report(name, handler=name.value)


def _deduplicates(web: WebRoutes, webhook: Webhook, functions: tuple[str, ...]) -> bool:
    """A dedupe step by name, or a dedupe key (entity id + occurredAt, the signature, a body hash)
    together with a store check (``in``, ``exists``, ``setnx``, ``INSERT ... ON CONFLICT``...)."""
    for decorator in webhook.handler.node.decorators:  # @idempotent, @dedupe(key=...)
        target = (
            decorator.decorator.func if isinstance(decorator.decorator, cst.Call) else decorator.decorator
        )
        if _DEDUPE_NAME.search(dotted(target) or ""):
            return True
    key = store = False
    for function in webhook.code:
        if web.uses(function, functions):
            return True
        if any(_DEDUPE_NAME.search(name.rsplit(".", 1)[-1]) for name in web.dependencies(function)):
            return True  # dependencies=[Depends(reject_duplicates)]
        code = web.own_code(function)
        gets: set[str] = set()
        sets: set[str] = set()
        for call in code.calls:
            name = web.qualified(call.func, function.scope) or dotted(call.func) or ""
            short = call.func.attr.value if isinstance(call.func, cst.Attribute) else name.rsplit(".", 1)[-1]
            if _DEDUPE_NAME.search(short) or (call not in code.discarded and _passes_key(call)):
                return True
            key = key or name.startswith("hashlib.")  # a body hash: hashlib.sha256(body).hexdigest()
            nx = short == "set" and keyword(call, "nx") is not None
            added = short in _ADD_CHECKS and call not in code.discarded  # if not cache.add(key, 1): ...
            store = store or short in _STORE_CHECKS or nx or added
            receiver = dotted(call.func.value) if isinstance(call.func, cst.Attribute) else None
            if receiver and short in ("get", "set"):  # if cache.get(key): return ... cache.set(key, 1)
                (gets if short == "get" else sets).add(receiver)
        store = store or bool(gets & sets) or any(_duplicate_error(handler) for handler in code.handlers)
        strings = list(web.strings([function]))
        key = key or any(text in _KEY_FIELDS for text in strings)
        key = key or any(attribute.attr.value in _KEY_FIELDS for attribute in code.attributes)
        key = key or any(text.lower().startswith("x-maintainx-webhook") for text in strings)
        store = store or any(_SQL_UPSERT.search(text) for text in strings)
        store = store or any(_membership(comparison) for comparison in code.comparisons)
    return key and store


def _passes_key(call: cst.Call) -> bool:
    """An argument named as a dedupe key: ``first_delivery(pool, event.dedupe_key)``."""
    return any(_KEY_NAME.match((dotted(arg.value) or "").rsplit(".", 1)[-1]) for arg in call.args)


def _duplicate_error(handler: cst.ExceptHandler) -> bool:
    """``except IntegrityError``, ``except (DuplicateKeyError, ValueError)``: a second insert of a key."""
    caught = handler.type
    types = [element.value for element in caught.elements] if isinstance(caught, cst.Tuple) else [caught]
    return any((dotted(node) or "").rsplit(".", 1)[-1] in _DUPLICATE_ERRORS for node in types if node)


def _membership(comparison: cst.Comparison) -> bool:
    """``key in seen``: a value looked up in a collection (``"t" in fields`` checks a field instead)."""
    left = comparison.left
    for target in comparison.comparisons:
        if isinstance(target.operator, (cst.In, cst.NotIn)) and not isinstance(left, _LITERALS):
            container = target.comparator
            headers = isinstance(container, cst.Attribute) and container.attr.value in ("headers", "META")
            if not isinstance(container, _LITERALS) and not headers:
                return True
        left = target.comparator
    return False
