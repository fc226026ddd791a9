"""``print(...)`` -> a call on the module's logger, for MX401's autofix.

The rewrite is exact or not made: the printed values become a %-style message whose rendering is the
line ``print`` wrote (``print("fetched", n, "orders")`` -> ``logger.info("fetched %s orders", n)``;
``%s`` applies ``str`` like ``print``; an f-string's plain ``{x}``/``{x!r}`` become ``%s``/``%r``). A
``print`` to ``sys.stderr`` becomes ``logger.warning``, which logging's last-resort handler still writes
to stderr when logging is not configured. Left alone: ``pprint``, ``*args``, a non-literal ``sep``, an
``end`` other than a newline, any other ``file``, comments inside the call, a module without a free
name for the logger (or with a star import), and prints that run at import time before the logger exists.

The logger is the module's existing ``NAME = logging.getLogger(...)`` when it has one; otherwise
``logger = logging.getLogger(__name__)`` is added after the imports, with ``import logging`` placed
among the standard-library imports (isort's order) when it is missing.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst

from mxlint.analysis.names import binding_counts, dotted, imported_names
from mxlint.analysis.syntax import walk
from mxlint.checks.base import PythonContext
from mxlint.fixers import ModuleStep, PythonFix

_STDERR, _STDOUT = "sys.stderr", "sys.stdout"


@dataclass(frozen=True)
class LoggerPlan:
    """The logger prints are sent to, and where it exists from on (a top-level statement index)."""

    name: str
    ready_at: int  # prints in top-level statements before this index run before the logger exists
    step: ModuleStep | None  # how to define it, when the module does not yet


def logger_plan(context: PythonContext) -> LoggerPlan | None:
    """Per module (``context.analysis``): the logger to use, or None when none can be added safely."""
    module = context.module
    if any(isinstance(n, cst.ImportStar) for n in walk(module)):
        return None  # a star import may bind any name
    bound = context.analysis(_bindings)
    for index, statement in enumerate(module.body):
        name = _logger_assignment(context, statement)
        if name is not None:
            # Defined before any function or class, so no code that runs earlier can use it.
            early = not any(isinstance(s, (cst.FunctionDef, cst.ClassDef)) for s in module.body[:index])
            return LoggerPlan(name, index + 1, None) if bound[name] == 1 and early else None
    if bound["logger"]:
        return None
    logging_name = _logging_alias(module)
    if logging_name is None and bound["logging"]:
        return None
    step = ModuleStep(("logger", "logger"), lambda m: define_logger(m, logging_name))
    return LoggerPlan("logger", _header_end(module), step)


def _bindings(context: PythonContext) -> Counter[str]:
    return binding_counts(context.module)


def print_fix(context: PythonContext, call: cst.Call) -> PythonFix | None:
    """The fix for one reported ``print`` call, or None when it cannot be rewritten exactly."""
    if not (isinstance(call.func, cst.Name) and call.func.value == "print"):
        return None  # pprint: its layout is not a log message
    plan: LoggerPlan | None = context.analysis(logger_plan)
    if plan is None or _runs_before(context.module, call, plan.ready_at):
        return None
    method = _method(context, call)
    if method is None or any(isinstance(n, cst.Comment) for n in _all_nodes(call)):
        return None
    sep = _separator(call)
    if sep is None:
        return None
    return PythonFix(call, lambda node: _to_logger(node, plan.name, method, sep), plan.step)


def _method(context: PythonContext, call: cst.Call) -> str | None:
    """``info``, or ``warning`` for stderr; None when the call has arguments a log call cannot keep."""
    method = "info"
    positional = 0
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            positional += 1
            continue
        key, value = arg.keyword.value, arg.value
        if key == "end" and not (_is_none(value) or _string(value) == "\n"):
            return None
        if key == "flush" and not (isinstance(value, cst.Name) and value.value in ("True", "False")):
            return None
        if key == "file" and not _is_none(value):
            stream = context.analysis(_std_streams).get(dotted(value) or "")
            if stream is None:
                return None
            method = "warning" if stream == _STDERR else method
        if key not in ("sep", "end", "flush", "file"):
            return None
    return method if positional else None  # print() writes an empty line: nothing to log


def _separator(call: cst.Call) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "sep" and not _is_none(arg.value):
            return _string(arg.value)
    return " "


def _to_logger(node: cst.CSTNode, logger: str, method: str, sep: str) -> cst.CSTNode:
    assert isinstance(node, cst.Call)
    values = [arg.value for arg in node.args if arg.keyword is None]
    pieces: list[list[str | tuple[str, cst.BaseExpression]]] = [_pieces(value) for value in values]
    params = [piece[1] for group in pieces for piece in group if isinstance(piece, tuple)]
    if len(values) == 1 and len(pieces[0]) == 1:
        message: cst.BaseExpression = values[0]  # print(x) writes str(x), as logging does with x
        params = []
    else:

        def literal(text: str) -> str:
            return text.replace("%", "%%") if params else text  # logging formats only with args

        text = literal(sep).join(
            "".join(piece[0] if isinstance(piece, tuple) else literal(piece) for piece in group)
            for group in pieces
        )
        message = cst.SimpleString(_quote(text, _quote_char(values)))
    return node.with_changes(
        func=cst.Attribute(cst.Name(logger), cst.Name(method)), args=_layout(node.args, [message, *params])
    )


def _pieces(value: cst.BaseExpression) -> list[str | tuple[str, cst.BaseExpression]]:
    """Literal text, or (placeholder, expression) pairs, that render like ``str(value)``."""
    text = _string(value)
    if text is not None:
        return [text]
    if isinstance(value, cst.FormattedString) and _plain_fstring(value):
        pieces: list[str | tuple[str, cst.BaseExpression]] = []
        for part in value.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value.replace("{{", "{").replace("}}", "}"))
            else:
                assert isinstance(part, cst.FormattedStringExpression)
                pieces.append(("%r" if part.conversion == "r" else "%s", part.expression))
        return pieces
    return [("%s", value)]


def _plain_fstring(value: cst.FormattedString) -> bool:
    if value.prefix.lower() != "f":
        return False  # raw or bytes-like prefixes: the text parts are not plain
    for part in value.parts:
        if isinstance(part, cst.FormattedStringText) and "\\" in part.value:
            return False
        if isinstance(part, cst.FormattedStringExpression) and (
            part.format_spec is not None or part.conversion not in (None, "s", "r") or part.equal
        ):
            return False
    return True


def _layout(old: Sequence[cst.Arg], values: Sequence[cst.BaseExpression]) -> list[cst.Arg]:
    """New arguments in the old call's layout: its separator, and its last argument's ending."""
    separator = (
        old[0].comma
        if len(old) > 1 and isinstance(old[0].comma, cst.Comma)
        else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    )
    args = [cst.Arg(value=value, comma=separator) for value in values]
    args[-1] = args[-1].with_changes(comma=old[-1].comma, whitespace_after_arg=old[-1].whitespace_after_arg)
    return args


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _quote_char(values: Sequence[cst.BaseExpression]) -> str:
    for value in values:
        if isinstance(value, cst.SimpleString):
            return value.quote[0]
        if isinstance(value, cst.FormattedString):
            return value.start[-1]
    return '"'


def _quote(text: str, quote: str) -> str:
    escapes = {"\\": "\\\\", quote: "\\" + quote, "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    body = "".join(
        escapes.get(char, char if char.isprintable() else char.encode("unicode_escape").decode("ascii"))
        for char in text
    )
    return quote + body + quote


def _all_nodes(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Every node below ``node``, layout included (comments live in whitespace)."""
    found: list[cst.CSTNode] = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, child: cst.CSTNode) -> bool:
            found.append(child)
            return True

    node.visit(Collect())
    return found


def _std_streams(context: PythonContext) -> dict[str, str]:
    """Spellings that surely name ``sys.stdout``/``sys.stderr`` (``sys.stderr``, ``stderr``): the name
    is bound once in the module, by a top-level import from ``sys``. Cheaper than a scope analysis."""
    module, found, bound = context.module, {}, context.analysis(_bindings)
    for statement in module.body:
        for small in _imports(statement):
            if isinstance(small, cst.Import):
                for alias in small.names:
                    name = alias.evaluated_alias or alias.evaluated_name
                    if alias.evaluated_name == "sys" and bound[name] == 1:
                        found.update({f"{name}.stdout": _STDOUT, f"{name}.stderr": _STDERR})
            elif _module_name(small.module) == "sys" and not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    name = alias.evaluated_alias or alias.evaluated_name
                    if alias.evaluated_name in ("stdout", "stderr") and bound[name] == 1:
                        found[name] = f"sys.{alias.evaluated_name}"
    return found


# --- the module's logger -------------------------------------------------------------------------


def _logger_assignment(context: PythonContext, statement: cst.BaseStatement) -> str | None:
    """``NAME`` for a top-level ``NAME = logging.getLogger(...)``."""
    if not isinstance(statement, cst.SimpleStatementLine) or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if not (isinstance(assign, cst.Assign) and len(assign.targets) == 1):
        return None
    target, value = assign.targets[0].target, assign.value
    if not (isinstance(target, cst.Name) and isinstance(value, cst.Call)):
        return None
    if not (dotted(value.func) or "").endswith("getLogger"):
        return None  # resolving names costs a scope analysis of the module: only for candidates
    return target.value if "logging.getLogger" in imported_names(context, value.func) else None


def _logging_alias(module: cst.Module) -> str | None:
    """The name a top-level ``import logging [as x]`` binds."""
    for statement in module.body:
        for small in _imports(statement):
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if _module_name(alias.name) == "logging":
                        return alias.evaluated_alias or "logging"
    return None


def _imports(statement: cst.CSTNode) -> list[cst.Import | cst.ImportFrom]:
    if not isinstance(statement, cst.SimpleStatementLine):
        return []
    return [small for small in statement.body if isinstance(small, (cst.Import, cst.ImportFrom))]


def _module_name(node: cst.BaseExpression | None) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_module_name(node.value)}.{node.attr.value}"
    return ""


def _is_header(statement: cst.CSTNode, index: int) -> bool:
    """Docstring, imports, and ``try``/``if`` blocks holding only imports (``TYPE_CHECKING``)."""
    if isinstance(statement, cst.SimpleStatementLine):
        if _imports(statement) and len(_imports(statement)) == len(statement.body):
            return True
        return index == 0 and len(statement.body) == 1 and _docstring(statement.body[0])
    if isinstance(statement, (cst.If, cst.Try)):
        lines = [n for n in walk(statement) if isinstance(n, cst.SimpleStatementLine)]
        return bool(lines) and all(
            all(isinstance(s, (cst.Import, cst.ImportFrom, cst.Pass)) for s in line.body) for line in lines
        )
    return False


def _docstring(small: cst.BaseSmallStatement) -> bool:
    return isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString))


def _header_end(module: cst.Module) -> int:
    index = 0
    while index < len(module.body) and _is_header(module.body[index], index):
        index += 1
    return index


def _runs_before(module: cst.Module, call: cst.Call, ready_at: int) -> bool:
    """Whether ``call`` runs at import time in a top-level statement before index ``ready_at``."""
    for statement in module.body[:ready_at]:
        if any(node is call for node in walk(statement)):
            return not _deferred(statement, call)
    return False


def _deferred(root: cst.CSTNode, call: cst.Call) -> bool:
    """Whether ``call`` sits in a function or lambda body under ``root`` (runs later, when called)."""
    for node in walk(root):
        if isinstance(node, (cst.FunctionDef, cst.Lambda)) and any(n is call for n in walk(node)):
            return True
    return False


def define_logger(module: cst.Module, logging_name: str | None) -> cst.Module:
    """``module`` with ``logger = logging.getLogger(__name__)`` after its imports (and the import)."""
    body = list(module.body)
    end = _header_end(module)
    logging_ref = logging_name or "logging"
    logger = cst.parse_statement(f"logger = {logging_ref}.getLogger(__name__)\n")
    assert isinstance(logger, cst.SimpleStatementLine)
    logger = logger.with_changes(leading_lines=[cst.EmptyLine()] if end else [])
    if end < len(body) and not body[end].leading_lines:
        blank = 2 if isinstance(body[end], (cst.FunctionDef, cst.ClassDef)) else 1  # PEP 8
        body[end] = body[end].with_changes(leading_lines=[cst.EmptyLine()] * blank)
    body.insert(end, logger)
    if logging_name is None:
        body = _add_import(body, end)
    return module.with_changes(body=body)


def _add_import(body: list[cst.BaseStatement], end: int) -> list[cst.BaseStatement]:
    """``import logging`` where isort would put it: among the standard-library ``import x`` lines."""
    statement = cst.parse_statement("import logging\n")
    assert isinstance(statement, cst.SimpleStatementLine)
    plain, from_, other = [], [], []
    for index in range(end):
        for small in _imports(body[index])[:1]:
            names = [small.names[0].name] if isinstance(small, cst.Import) else [small.module]
            root = _module_name(names[0]).split(".")[0] if not getattr(small, "relative", ()) else ""
            if root == "__future__":
                continue
            if root in sys.stdlib_module_names:
                (plain if isinstance(small, cst.Import) else from_).append((index, _module_name(names[0])))
            else:
                other.append(index)
    if plain:
        after = [index for index, name in plain if name.lower() > "logging"]
        if not after:
            return _insert(body, plain[-1][0] + 1, statement, same_section=True, after=True)
        return _insert(body, after[0], statement, same_section=True)
    if from_:
        return _insert(body, from_[0][0], statement, same_section=True)
    if other:
        return _insert(body, other[0], statement, same_section=False)
    # No import to join: right before the logger (inserted at ``end``), after the docstring.
    return _insert(body, end, statement, same_section=False)


def _insert(
    body: list[cst.BaseStatement],
    index: int,
    statement: cst.SimpleStatementLine,
    *,
    same_section: bool,
    after: bool = False,
) -> list[cst.BaseStatement]:
    if after:  # after the previous import of the section: no blank line between
        return [*body[:index], statement, *body[index:]]
    following = body[index]
    statement = statement.with_changes(leading_lines=following.leading_lines)
    following = following.with_changes(leading_lines=[] if same_section else [cst.EmptyLine()])
    return [*body[:index], statement, following, *body[index + 1 :]]
