"""Where each call of a Python file sits: its enclosing function and the loop around it.

``context.analysis(Structure)`` answers "is this call repeated by a loop of its own function?" (a
``for``/``while`` body or a comprehension) and "which function is it in?", for rules about work done
once per item (a client built per iteration, a lookup per item, a polling loop).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from mxlint.analysis import syntax

if TYPE_CHECKING:  # a runtime import would be circular: rules import the analyses
    from mxlint.checks.base import PythonContext

LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_FUNCTIONS = (cst.FunctionDef, cst.Lambda)


class Structure:
    """For every call: the innermost function (None at module level) and the innermost loop between
    them that repeats it (None when the call runs once per call of its function)."""

    def __init__(self, context: PythonContext) -> None:
        self.function_of: dict[cst.Call, cst.FunctionDef | None] = {}
        self.loop_of: dict[cst.Call, cst.CSTNode | None] = {}
        self.functions: dict[str, list[cst.FunctionDef]] = {}  # by name, methods included
        self._walk(context.module, None, None)

    def _walk(self, node: cst.CSTNode, function: cst.FunctionDef | None, loop: cst.CSTNode | None) -> None:
        stack: list[tuple[cst.CSTNode, cst.FunctionDef | None, cst.CSTNode | None]] = [(node, function, loop)]
        while stack:
            current, function, loop = stack.pop()
            if isinstance(current, cst.Call):
                self.function_of[current] = function
                self.loop_of[current] = loop
            if isinstance(current, cst.FunctionDef):
                self.functions.setdefault(current.name.value, []).append(current)
                # Decorators and defaults run where the function is defined; the body per call.
                for decorator in current.decorators:
                    stack.append((decorator, function, loop))
                stack.append((current.params, function, loop))
                stack.append((current.body, current, None))
                continue
            if isinstance(current, cst.Lambda):
                stack.append((current.body, function, None))
                continue
            if isinstance(current, (cst.For, cst.While)):
                head = current.iter if isinstance(current, cst.For) else current.test
                stack.append(
                    (head, function, loop) if isinstance(current, cst.For) else (head, function, current)
                )
                stack.append((current.body, function, current))
                if current.orelse is not None:
                    stack.append((current.orelse, function, loop))
                continue
            inner = current if isinstance(current, LOOPS) else loop
            for child in reversed(syntax.children(current)):
                stack.append((child, function, inner))

    def in_loop(self, call: cst.Call) -> bool:
        return self.loop_of.get(call) is not None
