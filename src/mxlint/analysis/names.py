"""Name resolution helpers over libcst's QualifiedNameProvider."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import QualifiedNameProvider, QualifiedNameSource

from mxlint.analysis.syntax import walk

if TYPE_CHECKING:  # a runtime import would be circular: rules import the analyses
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
    """``if __name__ == "__main__":`` in either operand order, also as a term of an ``and``
    (``if sys.platform != "win32" and __name__ == "__main__":``)."""
    return _is_main_test(node.test)


def _is_main_test(test: cst.BaseExpression) -> bool:
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _is_main_test(test.left) or _is_main_test(test.right)
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


def binds_name(module: cst.Module, name: str) -> bool:
    """Whether any statement of ``module`` binds ``name``: def, class, parameter, assignment target,
    loop or comprehension target, ``as`` name, import, ``global``, match capture.

    Cheap compared with scope analysis; when it says no, every use of ``name`` is the builtin.
    """
    for node in walk(module):
        for target in _binding_targets(node):
            if _names_in(target, name):
                return True
    return False


def binding_counts(module: cst.Module) -> Counter[str]:
    """How many times each name is bound in ``module``, in any scope (see :func:`binds_name`)."""
    counts: Counter[str] = Counter()
    for node in walk(module):
        for target in _binding_targets(node):
            counts.update(_bound_names(target))
    return counts


def _bound_names(target: cst.CSTNode | None) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _bound_names(element.value)]
    if isinstance(target, cst.StarredElement):
        return _bound_names(target.value)
    return []


def _binding_targets(node: cst.CSTNode) -> tuple[cst.CSTNode | None, ...]:
    if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Param)):
        return (node.name,)
    if isinstance(
        node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.NamedExpr, cst.For, cst.CompFor)
    ):
        return (node.target,)
    if isinstance(node, cst.AsName):
        return (node.name,)
    if isinstance(node, cst.ImportAlias):
        return (node.name,) if node.asname is None else ()
    if isinstance(node, (cst.Global, cst.Nonlocal)):
        return tuple(item.name for item in node.names)
    if isinstance(node, (cst.MatchAs, cst.MatchStar)):
        return (node.name,)
    return ()


def _names_in(target: cst.CSTNode | None, name: str) -> bool:
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_names_in(element.value, name) for element in target.elements)
    if isinstance(target, cst.StarredElement):
        return _names_in(target.value, name)
    return False
