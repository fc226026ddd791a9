"""What each name of a Python file refers to: scopes and bindings, by Python's rules.

``context.analysis(Scopes)`` walks the module once and is shared by every analysis that resolves names
(HTTP clients, MaintainX calls): a file checked by several rules builds its scopes once. ::

    scopes = context.analysis(Scopes)
    scope = scopes.calls[call]           # the innermost scope of every call, in source order
    for binding in scope.lookup("url"):  # every binding of the name the call would see
        binding.kind, binding.value, binding.scope

Scopes are the module, functions, lambdas and class bodies; comprehensions are folded into the scope
around them. :meth:`Scope.lookup` follows the LEGB rule (a class body is seen only from itself, not
from its methods), ``global`` and ``nonlocal``. A name keeps every binding of its scope, in source
order, without flow analysis: ``url = A`` then ``url = B`` gives both. The first parameter of a method
is bound as ``self`` of its class, whose ``self.x = ...`` assignments (in any method) are collected
with the class body's names as the class's attributes.

libcst's ScopeProvider/QualifiedNameProvider would cost 30-50 times as much, and do not follow
assignments, which the analyses need anyway.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from mxlint.analysis import syntax
from mxlint.analysis.names import dotted

if TYPE_CHECKING:  # a runtime import would be circular: rules import the analyses
    from mxlint.checks.base import PythonContext

# (module, relative level, name): ``from ..a import b`` is ("a", 2, "b"), ``import a.b`` ("a", 0, None).
Imported = tuple[str, int, str | None]


@dataclass(eq=False)
class Binding:
    """One binding of a name.

    ``kind``: "import"; "value" (assigned, ``with ... as``, walrus); "declared" (annotated, no value);
    "param"; "self" (a method's first parameter); "def"; "class"; "unknown" (an element of an unpacked
    value, ``*args``); "other" (a loop, ``except``, ``del`` or ``match`` target: no value worth following).
    """

    kind: str
    scope: Scope  # where the value, annotation or default is evaluated
    node: cst.CSTNode | None = None  # the Param, FunctionDef, ClassDef or ImportAlias that binds
    value: cst.BaseExpression | None = None
    annotation: cst.BaseExpression | None = None
    imported: Imported | None = None
    owner: Scope | None = None  # a parameter's function (or lambda)
    info: FunctionInfo | ClassInfo | None = None  # def: the function; class, self: the class

    @property
    def qualified(self) -> str | None:
        """The dotted name an import binds: ``requests.get`` for ``from requests import get``."""
        if self.imported is None:
            return None
        module, level, name = self.imported
        prefix = "." * level + module
        return prefix if name is None else f"{prefix}.{name}" if module else prefix + name

    @property
    def spelled(self) -> str | None:
        """The dotted name the import statement names: ``a.b`` for ``import a.b``, which binds ``a``
        (``qualified`` is then ``a``); otherwise ``qualified``."""
        if self.imported is not None and self.imported[2] is None and isinstance(self.node, cst.ImportAlias):
            return dotted(self.node.name) or self.qualified
        return self.qualified


class Scope:
    __slots__ = ("bindings", "cls", "globals", "kind", "module", "node", "nonlocals", "parent")

    def __init__(self, kind: str, node: cst.CSTNode, parent: Scope | None) -> None:
        self.kind = kind  # "module" | "function" (lambdas too) | "class"
        self.node = node
        self.parent = parent
        self.module: Scope = parent.module if parent is not None else self
        self.bindings: dict[str, list[Binding]] = {}
        self.globals: set[str] = set()
        self.nonlocals: set[str] = set()
        self.cls: ClassInfo | None = None  # a class body: its class

    def lookup(self, name: str) -> list[Binding]:
        """The bindings ``name`` refers to from this scope (the list itself: do not modify it)."""
        scope: Scope | None = self
        first = True
        while scope is not None:
            if name in scope.globals:
                scope = scope.module
            if (first or scope.kind != "class") and name in scope.bindings:
                return scope.bindings[name]
            first = False
            scope = scope.parent
        return []

    def chain(self) -> Iterator[Scope]:
        """This scope and the scopes around it, innermost first."""
        scope: Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent


@dataclass(eq=False)
class FunctionInfo:
    node: cst.FunctionDef
    outer: Scope  # where it is defined (its decorators, defaults and annotations are evaluated there)
    scope: Scope
    returns: list[cst.BaseExpression] = field(default_factory=list)
    yields: list[cst.BaseExpression] = field(default_factory=list)

    def decorated(self, names: Sequence[str]) -> bool:
        """Whether a decorator's last name is one of ``names`` (``@functools.cache``, ``@retry(...)``)."""
        for decorator in self.node.decorators:
            target = decorator.decorator
            target = target.func if isinstance(target, cst.Call) else target
            name = target.attr.value if isinstance(target, cst.Attribute) else getattr(target, "value", "")
            if name in names:
                return True
        return False


@dataclass(eq=False)
class ClassInfo:
    node: cst.ClassDef
    outer: Scope  # where it is defined (its bases are evaluated there)
    scope: Scope  # the class body
    instance: dict[str, list[Binding]] = field(default_factory=dict)  # self.x = ... in its methods
    # Class body names, then instance attributes: one list per name, for as long as the analysis lives.
    attributes: dict[str, list[Binding]] = field(default_factory=dict)


class Scopes:
    """The scopes of one file; ``context.analysis(Scopes)``. See the module docstring."""

    def __init__(self, context: PythonContext) -> None:
        collector = _Collector(context.module)
        self.module = collector.module
        self.calls: dict[cst.Call, Scope] = collector.calls
        self.functions: dict[cst.FunctionDef, FunctionInfo] = collector.functions
        self.classes: dict[cst.ClassDef, ClassInfo] = collector.classes
        # Assignments to attributes (``self.x = v``, ``session.request = f``), with their binding.
        self.attribute_targets: list[tuple[cst.Attribute, Binding]] = collector.attribute_targets
        self.imports: list[Binding] = collector.imports
        for target, binding in self.attribute_targets:
            if isinstance(target.value, cst.Name):
                for receiver in binding.scope.lookup(target.value.value):
                    if receiver.kind == "self" and isinstance(receiver.info, ClassInfo):
                        receiver.info.instance.setdefault(target.attr.value, []).append(binding)
        for info in self.classes.values():
            for names in (info.scope.bindings, info.instance):
                for name, bindings in names.items():
                    info.attributes.setdefault(name, []).extend(bindings)


class _Collector:
    """The one walk that builds the scopes (:func:`syntax.traverse`, no libcst visitor)."""

    def __init__(self, module: cst.Module) -> None:
        self.module = Scope("module", module, None)
        self.stack = [self.module]
        self.functions_stack: list[FunctionInfo | None] = []  # None for a lambda
        self.calls: dict[cst.Call, Scope] = {}
        self.functions: dict[cst.FunctionDef, FunctionInfo] = {}
        self.classes: dict[cst.ClassDef, ClassInfo] = {}
        self.attribute_targets: list[tuple[cst.Attribute, Binding]] = []
        self.imports: list[Binding] = []
        syntax.traverse(module, syntax.handlers(self))

    @property
    def scope(self) -> Scope:
        return self.stack[-1]

    def bind(self, name: str, binding: Binding) -> None:
        scope = self.scope
        if name in scope.globals:
            scope = self.module
        elif name in scope.nonlocals:
            outer = scope.parent
            while outer is not None and (outer.kind == "class" or name not in outer.bindings):
                outer = outer.parent
            scope = outer or scope
        scope.bindings.setdefault(name, []).append(binding)

    def bind_target(
        self,
        target: cst.BaseExpression,
        value: cst.BaseExpression | None,
        annotation: cst.BaseExpression | None = None,
        kind: str = "unknown",
    ) -> None:
        """Bind the names of an assignment target; without a value or annotation, as ``kind``:
        "unknown" (an element of an unpacked value) or "other" (a loop or ``except`` target)."""
        if value is not None:
            kind = "value"
        elif annotation is not None:
            kind = "declared"
        if isinstance(target, cst.Name):
            self.bind(target.value, Binding(kind, self.scope, value=value, annotation=annotation))
        elif isinstance(target, (cst.Tuple, cst.List)):
            targets = [element.value for element in target.elements]
            values = elements(value) if isinstance(value, (cst.Tuple, cst.List)) else None
            if values is None or len(values) != len(targets) or elements(target) is None:
                values = [None] * len(targets)  # starred or unknown: no element-wise values
            element_kind = "unknown" if kind in ("value", "declared") else kind
            for element, element_value in zip(targets, values, strict=True):
                self.bind_target(element, element_value, kind=element_kind)
        elif isinstance(target, cst.StarredElement):
            self.bind_target(target.value, None, kind="unknown" if kind in ("value", "declared") else kind)
        elif isinstance(target, cst.Attribute) and kind in ("value", "declared"):
            binding = Binding(kind, self.scope, value=value, annotation=annotation)
            self.attribute_targets.append((target, binding))

    # imports

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            module = dotted(alias.name) or ""
            if alias.asname is not None:  # import a.b as c binds c to a.b
                local, imported = dotted(alias.asname.name), module
            else:  # import a.b binds a
                local = imported = module.split(".")[0]
            if local:
                self._import(local, alias, (imported, 0, None))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = dotted(node.module) or "" if node.module is not None else ""
        for alias in node.names:
            name = dotted(alias.name) or ""
            local = dotted(alias.asname.name) if alias.asname is not None else name
            if local:
                self._import(local, alias, (module, len(node.relative), name))

    def _import(self, local: str, alias: cst.ImportAlias, imported: Imported) -> None:
        binding = Binding("import", self.scope, alias, imported=imported)
        self.imports.append(binding)
        self.bind(local, binding)

    # assignments and other bindings

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self.bind_target(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.bind_target(node.target, node.value, node.annotation.annotation)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        if isinstance(node.target, cst.Name):
            self.bind_target(node.target, None, kind="other")

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.bind_target(node.target, node.value)

    def visit_For(self, node: cst.For | cst.CompFor) -> None:
        self.bind_target(node.target, None, kind="other")

    visit_CompFor = visit_For  # noqa: N815 - comprehension targets are folded into the enclosing scope

    def visit_With(self, node: cst.With) -> None:
        for item in node.items:
            if item.asname is not None:
                self.bind_target(item.asname.name, item.item)  # clients' __enter__ returns the client

    def visit_ExceptHandler(self, node: cst.ExceptHandler | cst.ExceptStarHandler) -> None:
        if node.name is not None:
            self.bind_target(node.name.name, None, kind="other")

    visit_ExceptStarHandler = visit_ExceptHandler  # noqa: N815

    def visit_Del(self, node: cst.Del) -> None:
        for name in _names_in(node.target):
            self.bind_target(name, None, kind="other")

    def visit_MatchAs(self, node: cst.MatchAs | cst.MatchStar) -> None:
        if node.name is not None:
            self.bind_target(node.name, None, kind="other")

    visit_MatchStar = visit_MatchAs  # noqa: N815

    def visit_MatchMapping(self, node: cst.MatchMapping) -> None:
        if node.rest is not None:
            self.bind_target(node.rest, None, kind="other")

    def visit_Global(self, node: cst.Global) -> None:
        self.scope.globals.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.scope.nonlocals.update(item.name.value for item in node.names)

    # scopes

    def visit_ClassDef(self, node: cst.ClassDef) -> Callable[[], object]:
        outer = self.scope
        info = ClassInfo(node, outer, Scope("class", node, outer))
        info.scope.cls = info
        self.classes[node] = info
        self.bind(node.name.value, Binding("class", outer, node, info=info))
        self.stack.append(info.scope)
        return self.stack.pop

    def visit_FunctionDef(self, node: cst.FunctionDef) -> Callable[[], object]:
        outer = self.scope
        scope = Scope("function", node, outer)
        info = self.functions[node] = FunctionInfo(node, outer, scope)
        self.bind(node.name.value, Binding("def", outer, node, info=info))
        owner = outer.cls  # a method's class
        positional = [*node.params.posonly_params, *node.params.params]
        first = positional[0] if positional and owner and not info.decorated(("staticmethod",)) else None
        self._parameters(node.params, scope, outer, first, owner)
        self.functions_stack.append(info)
        self.stack.append(scope)
        return self._leave_function

    def visit_Lambda(self, node: cst.Lambda) -> Callable[[], object]:
        scope = Scope("function", node, self.scope)
        self._parameters(node.params, scope, self.scope, None, None)
        self.functions_stack.append(None)
        self.stack.append(scope)
        return self._leave_function

    def _leave_function(self) -> None:
        self.stack.pop()
        self.functions_stack.pop()

    def _parameters(
        self,
        params: cst.Parameters,
        scope: Scope,
        outer: Scope,
        first: cst.Param | None,
        owner: ClassInfo | None,
    ) -> None:
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            annotation = param.annotation.annotation if param.annotation else None
            kind, info = ("self", owner) if param is first else ("param", None)
            binding = Binding(kind, outer, param, annotation=annotation, owner=scope, info=info)
            scope.bindings.setdefault(param.name.value, []).append(binding)
        for star in (params.star_arg, params.star_kwarg):  # a tuple or dict of what is annotated
            if isinstance(star, cst.Param):
                binding = Binding("unknown", outer, star, owner=scope)
                scope.bindings.setdefault(star.name.value, []).append(binding)

    def visit_Return(self, node: cst.Return) -> None:
        if self.functions_stack and self.functions_stack[-1] is not None and node.value is not None:
            self.functions_stack[-1].returns.append(node.value)

    def visit_Yield(self, node: cst.Yield) -> None:
        function = self.functions_stack[-1] if self.functions_stack else None
        if function is not None and isinstance(node.value, cst.BaseExpression):
            function.yields.append(node.value)

    def visit_Call(self, node: cst.Call) -> None:
        self.calls[node] = self.scope


def elements(node: cst.Tuple | cst.List) -> list[cst.BaseExpression] | None:
    """The elements of a tuple or list display, or None when one is starred."""
    if any(not isinstance(element, cst.Element) for element in node.elements):
        return None
    return [element.value for element in node.elements]


def _names_in(node: cst.CSTNode) -> Iterator[cst.Name]:
    if isinstance(node, cst.Name):
        yield node
    elif isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            yield from _names_in(element.value)


def module_name(relpath: str) -> str:
    """The dotted module a file is, from its path relative to the scan root (``src/acme/mx.py`` ->
    ``src.acme.mx``); the import root may sit below the scan root, so compare names by suffix."""
    return relpath.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def absolute_name(qualified: str, relpath: str) -> str:
    """``qualified`` with a relative import's leading dots resolved against the package of the file
    at ``relpath``: ``.mx.Client`` in ``src/acme/sync.py`` is ``src.acme.mx.Client``."""
    level = len(qualified) - len(qualified.lstrip("."))
    if not level:
        return qualified
    package = relpath.removesuffix(".py").split("/")[:-1]  # a module's folder; an __init__'s package
    package = package[: len(package) - (level - 1)]
    return ".".join(filter(None, (*package, qualified[level:])))


def matches_configured(full: str, names: Iterable[str]) -> bool:
    """A resolved dotted name against configured ones, which may omit the leading source folders."""
    return any(full == name or full.endswith("." + name) for name in names)


def qualified_name(node: cst.CSTNode, scope: Scope, depth: int = 0) -> str | None:
    """The dotted name ``node`` refers to through the file's imports, or None when it is not imported:
    ``tenacity.retry`` for ``retry`` after ``from tenacity import retry`` or ``t.retry`` after
    ``import tenacity as t``; a module alias (``expo = backoff.expo``) assigned once is followed."""
    if depth > 8:
        return None
    if isinstance(node, cst.Attribute):
        base = qualified_name(node.value, scope, depth + 1)
        return f"{base}.{node.attr.value}" if base else None
    if not isinstance(node, cst.Name):
        return None
    bindings = scope.lookup(node.value)
    imported = {binding.qualified for binding in bindings if binding.kind == "import" and binding.qualified}
    if imported:
        return imported.pop() if len(imported) == 1 else None
    if (
        len(bindings) == 1
        and bindings[0].kind == "value"
        and isinstance(bindings[0].value, (cst.Name, cst.Attribute))
    ):
        return qualified_name(bindings[0].value, bindings[0].scope, depth + 1)
    return None


def called_name(scopes: Scopes, call: cst.Call) -> str | None:
    """What ``call`` calls, resolved through the file's imports (``logging.basicConfig``), or
    ``builtins.<name>`` for a bare name nothing in reach binds; None for a local or unknown callee.
    The cheap counterpart of libcst's QualifiedNameProvider, from the scopes already built."""
    scope = scopes.calls.get(call)
    if scope is None:
        return None
    if isinstance(call.func, cst.Name) and not scope.lookup(call.func.value):
        return f"builtins.{call.func.value}"
    return qualified_name(call.func, scope)
