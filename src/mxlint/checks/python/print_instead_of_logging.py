"""MX401: ``print``/``pprint`` in library code instead of structured logging."""

from __future__ import annotations

import libcst as cst

from mxlint.analysis.names import binds_name, dotted, imported_names, is_main_guard, keyword
from mxlint.analysis.paths import is_cli_path, is_test_path
from mxlint.checks.base import PythonContext, PythonRule, Report, rule
from mxlint.config import Settings
from mxlint.fixers import PythonFix
from mxlint.fixers.loggers import print_fix

_PRINTERS = {"builtins.print": "print", "pprint.pprint": "pprint", "pprint.pp": "pprint"}
_STD_STREAMS = {"sys.stdout", "sys.stderr", "stdout", "stderr", "None"}
_CLI_DECORATORS = ("command", "group", "callback")  # click and typer entry points


@rule("MX401")
class PrintInsteadOfLogging(PythonRule):
    TRIGGER = r"print"

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not (is_test_path(relpath) or is_cli_path(relpath))

    def __init__(self, context: PythonContext) -> None:
        super().__init__(context)
        self.candidates: list[tuple[cst.Call, str | None]] = []  # (call, enclosing top-level function)
        self.main_guard = 0
        self.cli_functions = 0
        self.main_calls: set[str] = set()  # functions the __main__ block calls are CLI entry points
        self.scopes: list[str | None] = []  # enclosing defs/classes; None marks a class
        self.printer_names = {"print", "pprint", "pp"}  # plus local aliases of pprint's functions

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if dotted(node.module) == "pprint" and not isinstance(node.names, cst.ImportStar):
            self.printer_names.update(alias.evaluated_alias or alias.evaluated_name for alias in node.names)

    def visit_If(self, node: cst.If) -> None:
        self.main_guard += is_main_guard(node)

    def leave_If(self, original_node: cst.If) -> None:
        self.main_guard -= is_main_guard(original_node)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append(None)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(node.name.value)
        self.cli_functions += _is_cli_entry(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()
        self.cli_functions -= _is_cli_entry(original_node)

    def visit_Call(self, node: cst.Call) -> None:
        name = dotted(node.func)
        if name is None:
            return
        if self.main_guard:
            self.main_calls.add(name)
        if name.rsplit(".", 1)[-1] not in self.printer_names:
            return
        if self.main_guard or self.cli_functions or _to_real_file(node):
            return
        self.candidates.append((node, self.scopes[0] if self.scopes else None))

    def finish(self) -> None:
        # Where nothing binds the name 'print', every 'print' is the builtin: no scope analysis needed.
        plain_builtin = bool(self.candidates) and not binds_name(self.context.module, "print")
        for call, top_level in self.candidates:
            if top_level in self.main_calls:
                continue
            func = call.func
            if plain_builtin and isinstance(func, cst.Name) and func.value == "print":
                self.report(call, name="print")
                continue
            printer = next((_PRINTERS[q] for q in imported_names(self.context, func) if q in _PRINTERS), None)
            if printer:
                self.report(call, name=printer)

    def fix(self, report: Report) -> PythonFix | None:
        """``print`` -> the module logger, when exact (see :mod:`mxlint.fixers.loggers`)."""
        assert isinstance(report.node, cst.Call)
        return print_fix(self.context, report.node)


def _is_cli_entry(node: cst.FunctionDef) -> bool:
    for decorator in node.decorators:
        target = decorator.decorator
        name = dotted(target.func if isinstance(target, cst.Call) else target)
        if name and "." in name and name.rsplit(".", 1)[-1] in _CLI_DECORATORS:
            return True
    return False


def _to_real_file(call: cst.Call) -> bool:
    """``print(..., file=handle)`` writes to a file, not a log; stdout, stderr and None do not count."""
    target = keyword(call, "file") or keyword(call, "stream")
    return target is not None and dotted(target.value) not in _STD_STREAMS
