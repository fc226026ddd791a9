"""Rewrites behind ``mxlint check --fix``: what a rule's ``fix`` method returns, and how the fixes of
one file are applied together.

A Python fix names the node a rule reported and a function that rewrites it. All fixes of a file are
applied in one libcst pass, each to its node as already rewritten by the fixes nested inside it (a
``print(requests.get(url))`` gets both), so fixes compose without positions going stale. Module-level
changes (defining a logger) are steps keyed by what they add, applied once after the pass. Everything
not rewritten is reproduced byte for byte by libcst, comments and formatting included.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import libcst as cst

from mxlint.analysis.syntax import children, walk


@dataclass(frozen=True)
class ModuleStep:
    """A change to the whole module that several fixes may need; applied once per ``key``."""

    key: Hashable
    apply: Callable[[cst.Module], cst.Module]


@dataclass(frozen=True, eq=False)
class PythonFix:
    """Rewrite ``node`` (as found in the checked module) with ``rewrite``."""

    node: cst.CSTNode
    rewrite: Callable[[cst.CSTNode], cst.CSTNode]
    step: ModuleStep | None = None


class _Rewriter(cst.CSTTransformer):
    """Rewrites the fixed nodes; descends only into their ancestors (a libcst transform rebuilds every
    node it enters, which on a large module costs as much as parsing it)."""

    def __init__(self, module: cst.Module, fixes: Sequence[PythonFix]) -> None:
        super().__init__()
        self.by_node: dict[int, list[PythonFix]] = {}
        for fix in fixes:
            self.by_node.setdefault(id(fix.node), []).append(fix)
        parents = {id(child): node for node in walk(module) for child in children(node)}
        self.enter: set[int] = set()
        for fix in fixes:
            key = id(fix.node)
            while key not in self.enter:
                self.enter.add(key)
                parent = parents.get(key)
                if parent is None:
                    break
                key = id(parent)

    def on_visit(self, node: cst.CSTNode) -> bool:
        return id(node) in self.enter

    def on_leave(self, original_node: cst.CSTNode, updated_node: cst.CSTNode) -> cst.CSTNode:  # type: ignore[override]
        for fix in self.by_node.get(id(original_node), ()):
            if fix.node is original_node:
                updated_node = fix.rewrite(updated_node)
        return updated_node


def apply(module: cst.Module, fixes: Sequence[PythonFix]) -> cst.Module:
    """``module`` with every fix applied (nodes first, then the module steps, in order)."""
    updated = module.visit(_Rewriter(module, fixes))
    assert isinstance(updated, cst.Module)
    done: set[Hashable] = set()
    for fix in fixes:
        if fix.step is not None and fix.step.key not in done:
            done.add(fix.step.key)
            updated = fix.step.apply(updated)
    return updated
