"""Name resolution helpers over libcst's QualifiedNameProvider."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import QualifiedNameProvider, QualifiedNameSource

from mxlint.checks.base import PythonContext

_RESOLVED = (QualifiedNameSource.IMPORT, QualifiedNameSource.BUILTIN)


def imported_names(context: PythonContext, node: cst.CSTNode) -> set[str]:
    """Qualified names of ``node`` that come from an import or the builtins, e.g. ``requests.get``.

    Local names are left out on purpose: a dict called ``requests`` is not the requests library.
    """
    names = context.lookup(QualifiedNameProvider, node, ())
    return {name.name for name in names if name.source in _RESOLVED}


def dotted(node: cst.CSTNode) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else ``None``."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def is_main_guard(node: cst.If) -> bool:
    """``if __name__ == "__main__":`` in either operand order."""
    test = node.test
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if not isinstance(target.operator, cst.Equal):
        return False
    sides = {_literal(test.left), _literal(target.comparator)}
    return sides == {"__name__", "__main__"}


def _literal(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.SimpleString):
        return node.evaluated_value if isinstance(node.evaluated_value, str) else None
    return None


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def has_star_kwargs(call: cst.Call) -> bool:
    return any(arg.star == "**" for arg in call.args)
