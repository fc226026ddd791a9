"""Fast traversal of libcst trees for analyses and the batched rule pass.

libcst's own visitors rebuild every node they pass (``_visit_and_replace_children``), which costs as
much as parsing the file. Rules and analyses only read the tree, so they walk the nodes' dataclass
fields directly, in source order, and skip the fields that only hold layout: whitespace, comments,
commas, parentheses and operators, about half of all nodes.

:func:`walk` and :func:`traverse` serve the analyses, :func:`visit` the batched rule pass.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import libcst as cst

# Fields holding only whitespace, comments or punctuation (plus every field named whitespace_*); the
# dots of a relative import are counted by analyses, not visited.
LAYOUT_FIELDS = frozenset(
    {
        "lpar", "rpar", "lbracket", "rbracket", "lbrace", "rbrace", "comma", "semicolon", "colon", "dot",
        "equal", "operator", "star_tok", "asynchronous", "newline", "trailing_whitespace", "leading_lines",
        "lines_after_decorators", "header", "footer", "relative", "trailing_comma", "separator",
        "first_colon", "second_colon",
    }
)  # fmt: skip
# Node types that live only in layout fields: a visitor that asks for one needs libcst's full walk.
LAYOUT_TYPES = frozenset(
    {
        "Comment", "EmptyLine", "Newline", "TrailingWhitespace", "SimpleWhitespace",
        "ParenthesizedWhitespace", "Comma", "Semicolon", "Colon", "Dot", "AssignEqual",
        "LeftParen", "RightParen", "LeftSquareBracket", "RightSquareBracket",
        "LeftCurlyBrace", "RightCurlyBrace", "Asynchronous", "ImportStar",
    }
)  # fmt: skip
# Source order where the dataclass declares fields in another order (decorators come after the body,
# a keyword after its argument's value, an ``except`` clause's type after its body...).
_SOURCE_ORDER: dict[type, tuple[str, ...]] = {
    cst.FunctionDef: ("decorators", "name", "type_parameters", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "name", "type_parameters", "bases", "keywords", "body"),
    cst.Arg: ("keyword", "value"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
    cst.IfExp: ("body", "test", "orelse"),
    cst.MatchCase: ("pattern", "guard", "body"),
    cst.Parameters: ("posonly_params", "posonly_ind", "params", "star_arg", "kwonly_params", "star_kwarg"),
    cst.TypeAlias: ("name", "type_parameters", "value"),
}
_FIELDS: dict[type, tuple[str, ...]] = {}
_IS_NODE: dict[type, bool] = {}  # issubclass(type, CSTNode), cached: CSTNode is an ABC, slow to check


def _fields(node_type: type) -> tuple[str, ...]:
    names = _FIELDS.get(node_type)
    if names is None:
        declared = [field.name for field in dataclasses.fields(node_type)]
        ordered = _SOURCE_ORDER.get(node_type, ())
        names = tuple(
            name
            for name in (*ordered, *(name for name in declared if name not in ordered))
            if name in declared and name not in LAYOUT_FIELDS and "whitespace" not in name
        )
        _FIELDS[node_type] = names
    return names


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The child nodes that carry meaning, in source order."""
    found: list[cst.CSTNode] = []
    is_node = _IS_NODE.get
    for name in _fields(type(node)):
        value = getattr(node, name)
        value_type = type(value)
        if value_type is list or value_type is tuple:
            for item in value:
                known = is_node(type(item))
                if known is None:
                    known = _IS_NODE[type(item)] = issubclass(type(item), cst.CSTNode)
                if known:
                    found.append(item)
        else:
            known = is_node(value_type)
            if known is None:
                known = _IS_NODE[value_type] = issubclass(value_type, cst.CSTNode)
            if known:
                found.append(value)
    return found


def walk(node: cst.CSTNode, prune: Callable[[cst.CSTNode], bool] | None = None) -> Iterator[cst.CSTNode]:
    """``node`` and its descendants in source order; a node ``prune`` selects is skipped with its subtree."""
    stack = [node]
    while stack:
        current = stack.pop()
        if prune is not None and prune(current):
            continue
        yield current
        stack.extend(reversed(children(current)))


# Called before a node's children; what it returns (if anything) is called after them.
Handler = Callable[[Any], Callable[[], object] | None]


def traverse(root: cst.CSTNode, handlers: Mapping[type, Handler]) -> None:
    """Walk ``root`` in source order, calling ``handlers[type(node)]`` (if any) on each node before its
    children; a callable the handler returns runs after the children (e.g. to leave a scope)."""
    handler_for = handlers.get
    stack: list[Any] = [root]
    while stack:
        item = stack.pop()
        if callable(item):  # a leave callback (nodes are not callable)
            item()
            continue
        handler = handler_for(type(item))
        if handler is not None and (leave := handler(item)) is not None:
            stack.append(leave)
        stack.extend(reversed(children(item)))


def handlers(collector: object) -> dict[type, Handler]:
    """The ``visit_<Node>`` methods of ``collector`` by node type, for :func:`traverse`."""
    names = _VISIT_METHODS.get(type(collector))
    if names is None:
        names = _VISIT_METHODS[type(collector)] = tuple(
            name for name in dir(type(collector)) if name.startswith("visit_")
        )
    return {getattr(cst, name[6:]): getattr(collector, name) for name in names}


_VISIT_METHODS: dict[type, tuple[str, ...]] = {}


def hook_names(visitor_type: type[cst.BatchableCSTVisitor]) -> tuple[str, ...]:
    """The ``visit_*``/``leave_*`` methods a visitor class defines (libcst's no-op stubs left out), as
    libcst's ``get_visitors`` finds them, but once per class: it inspects every member per instance."""
    names = _HOOKS.get(visitor_type)
    if names is None:
        names = _HOOKS[visitor_type] = tuple(
            name
            for name in dir(visitor_type)
            if name.startswith(("visit_", "leave_"))
            and callable(method := getattr(visitor_type, name))
            and not getattr(method, "_is_no_op", False)
        )
    return names


_HOOKS: dict[type, tuple[str, ...]] = {}


def needs_full_walk(visitors: Iterable[cst.BatchableCSTVisitor]) -> bool:
    """Whether a visitor asks for what :func:`visit` does not offer: layout nodes (comments, commas...)
    or libcst's per-attribute hooks (``visit_Call_func``)."""
    for visitor in visitors:
        for name in hook_names(type(visitor)):
            node_type = name.split("_", 1)[1]
            if node_type in LAYOUT_TYPES or "_" in node_type:
                return True
    return False


def visit(module: cst.Module, visitors: Iterable[cst.BatchableCSTVisitor]) -> None:
    """Run batchable visitors over ``module``: ``visit_<Type>`` before a node's children, ``leave_<Type>``
    after them, as libcst's ``visit_batched`` does, without rebuilding the tree."""
    before: dict[str, list[Callable[[Any], Any]]] = {}
    after: dict[str, list[Callable[[Any], Any]]] = {}
    for visitor in visitors:
        for name in hook_names(type(visitor)):
            kind, node_type = name.split("_", 1)
            (before if kind == "visit" else after).setdefault(node_type, []).append(getattr(visitor, name))
    if not before and not after:
        return  # rules that judge in finish() only: no traversal at all
    stack: list[tuple[cst.CSTNode, bool]] = [(module, False)]
    while stack:
        node, leaving = stack.pop()
        node_type = type(node).__name__
        if leaving:
            for function in after.get(node_type, ()):
                function(node)
            continue
        for function in before.get(node_type, ()):
            function(node)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(children(node)))
