"""MX401: ``print``/``pprint`` in library code instead of structured logging."""

from __future__ import annotations

import re

import libcst as cst

from mxlint.analysis.names import binds_name, dotted, is_main_guard, keyword
from mxlint.analysis.paths import is_cli_path, is_test_path
from mxlint.analysis.scopes import Scopes, called_name
from mxlint.checks.base import PythonContext, PythonRule, Report, rule
from mxlint.config import Settings
from mxlint.fixers import PythonFix
from mxlint.fixers.loggers import print_fix

_PRINTERS = {"builtins.print": "print", "pprint.pprint": "pprint", "pprint.pp": "pprint"}
_STD_STREAMS = {"sys.stdout", "sys.stderr", "stdout", "stderr", "None"}
_CLI_DECORATORS = ("command", "group", "callback")  # click and typer entry points
# A module that parses a command line is a program's front end: its output is for a person.
_CLI_LIBRARIES = frozenset({"argparse", "click", "typer", "docopt", "fire", "optparse"})
# A function named for printing (print_report, pprint, show_summary) prints on purpose: its caller asked.
_OUTPUT_FUNCTION = re.compile(r"^_*(print|pprint|pp|display|show|echo)(_|$)")


@rule("MX401")
class PrintInsteadOfLogging(PythonRule):
    TRIGGER = r"print"

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        return not (is_test_path(relpath) or is_cli_path(relpath))

    def __init__(self, context: PythonContext) -> None:
        super().__init__(context)
        self.candidates: list[cst.Call] = []
        self.output_functions = 0  # enclosing CLI entry points and printing functions
        self.printer_names = {"print", "pprint", "pp"}  # plus local aliases of pprint's functions
        self.command_line = False  # imports a command-line parser or has a __main__ block

    def visit_Import(self, node: cst.Import) -> None:
        if any(alias.evaluated_name.split(".")[0] in _CLI_LIBRARIES for alias in node.names):
            self.command_line = True

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = dotted(node.module) if node.module else None
        if module and module.split(".")[0] in _CLI_LIBRARIES:
            self.command_line = True
        if module == "pprint" and not isinstance(node.names, cst.ImportStar):
            self.printer_names.update(alias.evaluated_alias or alias.evaluated_name for alias in node.names)

    def visit_If(self, node: cst.If) -> None:
        self.command_line |= is_main_guard(node)  # runnable as a script: `python -m pkg.tool`

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.output_functions += _prints_on_purpose(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.output_functions -= _prints_on_purpose(original_node)

    def visit_Call(self, node: cst.Call) -> None:
        name = dotted(node.func)
        if name is None:
            return
        if name.rsplit(".", 1)[-1] not in self.printer_names:
            return
        if self.output_functions or _to_real_file(node):
            return
        self.candidates.append(node)

    def finish(self) -> None:
        if self.command_line:
            return
        # Where nothing binds the name 'print', every 'print' is the builtin: no scope analysis needed.
        plain_builtin = bool(self.candidates) and not binds_name(self.context.module, "print")
        for call in self.candidates:
            func = call.func
            if plain_builtin and isinstance(func, cst.Name) and func.value == "print":
                self.report(call, name="print")
                continue
            printer = _PRINTERS.get(called_name(self.context.analysis(Scopes), call) or "")
            if printer:
                self.report(call, name=printer)

    def fix(self, report: Report) -> PythonFix | None:
        """``print`` -> the module logger, when exact (see :mod:`mxlint.fixers.loggers`)."""
        assert isinstance(report.node, cst.Call)
        return print_fix(self.context, report.node)


def _prints_on_purpose(node: cst.FunctionDef) -> bool:
    """A click/typer entry point, or a function whose name says it prints."""
    if _OUTPUT_FUNCTION.match(node.name.value):
        return True
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
