"""Does a module keep state durably, and which names flow into a call? (for MX304)

Cheap syntactic evidence, read from one file: a store's import, a file write, a call that hands a value
to a function named like a store.
"""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.names import dotted

# A module that stores anything durably: files, databases, key-value stores, object storage.
STORES = re.compile(
    r"\b(sqlite3|shelve|dbm|redis|psycopg2?|pymysql|asyncpg|aiosqlite|sqlalchemy|peewee|pymongo|boto3|"
    r"diskcache|firestore|google\.cloud|django\.db|tortoise|motor)\b"
)
WRITERS = frozenset(
    {"write_text", "write_bytes", "dump", "execute", "executemany", "commit", "put_object", "hset", "set"}
)
# A bare ``update`` is left out: ``params.update(...)`` on a dict is the common case, not a store.
_SAVERS = re.compile(r"(?i)^(save|store|persist|write|put|set|commit|checkpoint|record|upsert|update_|dump)")


def reads(expr: cst.CSTNode) -> set[str]:
    """Globals (``X``) and own attributes (``self.x``) an expression reads."""
    found: set[str] = set()
    for node in syntax.walk(expr):
        if isinstance(node, cst.Name):
            found.add(node.value)
        elif isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            found.add(f"self.{node.attr.value}")  # any receiver: the first parameter is usually self
    return found


def flows_into(call: cst.Call, assignments: list[tuple[cst.BaseExpression, cst.BaseExpression]]) -> set[str]:
    """Names a call's arguments read, directly or through local assignments (``params = {...}``,
    ``params["updatedAt[gte]"] = X``), to a fixed point."""
    read = set().union(*(reads(arg.value) for arg in call.args)) if call.args else set()
    pairs = [pair for target, value in assignments for pair in _pairs(target, value)]
    changed = True
    while changed:
        changed = False
        for name, value in pairs:
            if name in read:
                more = reads(value) - read
                if more:
                    read |= more
                    changed = True
    return read


def _pairs(target: cst.BaseExpression, value: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]]:
    """(assigned name, value) of ``x = v``, ``x["k"] = v`` and ``a, b = u, v`` (an unpacked value of
    unknown shape goes to every name)."""
    if isinstance(target, cst.Subscript):
        target = target.value
    if isinstance(target, cst.Name):
        return [(target.value, value)]
    if isinstance(target, (cst.Tuple, cst.List)):
        targets = [element.value for element in target.elements]
        values = (
            [element.value for element in value.elements] if isinstance(value, (cst.Tuple, cst.List)) else []
        )
        if len(values) != len(targets):
            values = [value] * len(targets)
        return [pair for t, v in zip(targets, values, strict=True) for pair in _pairs(t, v)]
    return []


def handed_to_savers(module: cst.Module, configured: frozenset[str] = frozenset()) -> set[str]:
    """State handed to a function that looks like it stores it (``save_watermark(LAST_SYNC)``), or to a
    configured store (``[tool.mxlint.maintainx] state-stores``, matched by the last name)."""
    saved: set[str] = set()
    for node in syntax.walk(module):
        if isinstance(node, cst.Call):
            name = (dotted(node.func) or "").rsplit(".", 1)[-1]
            if _SAVERS.match(name) or name in configured:
                saved |= set().union(*(reads(arg.value) for arg in node.args)) if node.args else set()
    return saved


def writes_file(call: cst.Call) -> bool:
    """``open(path, "w")``: a mode that writes, appends or creates."""
    mode = call.args[1].value if len(call.args) > 1 and call.args[1].keyword is None else None
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "mode":
            mode = arg.value
    text = mode.evaluated_value if isinstance(mode, cst.SimpleString) else ""
    return any(flag in str(text) for flag in "wax+")
