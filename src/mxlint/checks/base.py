"""Base classes for rules, one per file kind. Bases iterate; rules only judge and call ``report``.

A rule module defines one class decorated with ``@rule("MXnnn")``; that id is the only link to the
rule's YAML in ``rules/``. The registry checks at load time that code and data match one to one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar, TypeVar

import libcst as cst
from libcst._metadata_dependent import LazyValue
from libcst.metadata import MetadataWrapper, ProviderT

from mxlint.analysis import syntax
from mxlint.analysis.triggers import Trigger
from mxlint.config import Settings
from mxlint.model import FileKind
from mxlint.sources import dockerfile as dockerfile_source
from mxlint.sources import python as python_source
from mxlint.sources import yaml as yaml_source

_RULES: dict[str, type[Rule]] = {}
R = TypeVar("R", bound="type[Rule]")


def rule(rule_id: str) -> Callable[[R], R]:
    """Register a rule class under the id of its YAML metadata."""

    def register(cls: R) -> R:
        if rule_id in _RULES:
            raise ValueError(f"{rule_id} is registered twice ({_RULES[rule_id].__name__}, {cls.__name__})")
        cls.RULE_ID = rule_id
        for part in cls.PARTS.values():
            part.RULE_ID = rule_id  # a part records facts under its rule's id
        _RULES[rule_id] = cls
        return cls

    return register


def registered() -> dict[str, type[Rule]]:
    import mxlint.checks  # noqa: F401 - importing the package registers every rule

    return dict(_RULES)


@dataclass
class Report:
    """A rule's raw report, before the engine formats, suppresses and fingerprints it."""

    rule_id: str
    args: dict[str, Any]
    line: int = 1
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    node: cst.CSTNode | None = None  # Python: positions are resolved after the traversal
    path: str | None = None  # repository-level reports: the anchor file


@dataclass
class FileContext:
    """What a rule sees of the file it checks, and where its reports and facts go."""

    relpath: str
    kind: FileKind
    data: bytes
    settings: Settings
    reports: list[Report] = field(default_factory=list)
    facts: dict[str, list[Any]] = field(default_factory=dict)
    kustomize_patch: bool = False  # a kustomization applies this manifest as a patch (discovery)

    @cached_property
    def text(self) -> str:
        return self.data.decode("utf-8-sig", errors="replace")  # without a byte-order mark

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""

    def statement_line(self, report: Report) -> int | None:
        """First line of the statement holding the report, where the kind has statements."""
        return None

    def resolve_positions(self) -> None:
        """Turn node-based reports into lines and columns (kinds with syntax trees override this)."""


class Rule:
    """Common surface of every rule. Subclasses set ``KIND`` and call :meth:`report`."""

    RULE_ID: ClassVar[str]
    KIND: ClassVar[FileKind]
    CONTEXT: ClassVar[type[FileContext]] = FileContext
    # A repository-level rule may gather facts from kinds its own base cannot read: each such kind
    # maps to a helper class of that kind's base (unregistered), which records under the rule's id.
    PARTS: ClassVar[Mapping[FileKind, type[Rule]]] = {}

    def __init__(self, context: FileContext) -> None:
        super().__init__()
        self.context = context

    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        """Whether the rule looks at this file at all (e.g. a rule that skips test files)."""
        return True

    def record(self, fact: Any) -> None:
        """Keep a picklable fact for this rule's :meth:`finalize` (repository-level rules)."""
        self.context.facts.setdefault(self.RULE_ID, []).append(fact)

    def judged_subject(self) -> None:
        """Note that this file holds what the rule's YAML ``subject`` names (a webhook handler), so the
        readiness report tells "passed" from "nothing to judge"."""
        self.record(SUBJECT)

    @classmethod
    def finalize(cls, project: Project) -> None:
        """Repository-level judgement over the facts every file contributed; file rules skip it."""

    def fix(self, report: Report) -> Any:
        """How to rewrite the code behind one of this rule's reports, or None when no exact rewrite
        exists. Asked only for rules whose YAML says ``autofix: true``, after the check, on the
        rule's own instance; Python rules return a :class:`mxlint.fixers.PythonFix`."""
        return None

    @classmethod
    def check_file(cls, rules: Sequence[type[Rule]], context: FileContext) -> list[Rule]:
        """Run ``rules`` (all of this base's kind) over one file; each base knows its document.

        Returns the rule instances that ran, for :meth:`fix`."""
        raise NotImplementedError

    @classmethod
    def runner(cls, kind: FileKind) -> type[Rule]:
        """The class that runs on files of ``kind``: a part, or the rule itself."""
        return cls.PARTS.get(kind, cls)

    @classmethod
    def base(cls) -> type[Rule]:
        """The base class that runs this rule: the nearest one defining :meth:`check_file`."""
        return next(klass for klass in cls.__mro__ if "check_file" in vars(klass))


@dataclass
class Project:
    """The repository-level view a rule's :meth:`Rule.finalize` gets: files and facts, no content."""

    root: str
    files: Mapping[str, FileKind]
    facts: Mapping[str, list[tuple[str, Any]]]  # rule id -> (relative path, fact)
    reports: list[Report] = field(default_factory=list)
    # Facts of files in the folders that enclose this project (a service inside a scanned monorepo
    # inherits the repository's .gitignore and pre-commit config); empty for a top-level project.
    outer_facts: Mapping[str, list[tuple[str, Any]]] = field(default_factory=dict)
    # A repository in its own right: the scan root or a folder holding a project manifest. A plain
    # sub-folder scanned alone (`mxlint check docs/`) is not, so repository hygiene (.gitignore,
    # pre-commit config) is not judged on it: those files live at the root mxlint was not shown.
    standalone: bool = True

    def facts_of(self, rule_id: str) -> list[tuple[str, Any]]:
        return list(self.facts.get(rule_id, ()))

    def outer_facts_of(self, rule_id: str) -> list[tuple[str, Any]]:
        """Facts from files directly in an enclosing folder, outermost first."""
        return sorted(self.outer_facts.get(rule_id, ()), key=lambda entry: entry[0].count("/"))

    def report(self, rule_id: str, path: str, line: int = 1, **args: Any) -> None:
        self.reports.append(Report(rule_id, args, line=line, path=path))

    def path(self, name: str) -> str:
        """A path relative to the scan root for ``name`` relative to this project's root."""
        return name if self.root == "." else f"{self.root}/{name}"

    def anchor(self, *candidates: str) -> str:
        """Where a repository-level finding goes (contract): the first of ``candidates`` (relative to
        the project root; the file that should change, then the one that motivates the finding) that
        exists, else a root manifest, else the project's shallowest file: code scanning cannot show an
        alert on a file that is not in the repository."""
        for name in (*candidates, *ROOT_MANIFESTS):
            if self.path(name) in self.files:
                return self.path(name)
        if self.files:
            return min(self.files, key=lambda path: (path.count("/"), path))
        return self.path(candidates[0]) if candidates else self.path(ROOT_MANIFESTS[0])


SUBJECT = "subject"  # the fact :meth:`Rule.judged_subject` records

ROOT_MANIFESTS = ("pyproject.toml", "requirements.txt", "setup.py", "setup.cfg", "Pipfile", "Dockerfile")


class DocumentRule(Rule):
    """A rule over a non-Python file. The context parses the document once, on first use; each rule's
    :meth:`check` reads it and calls :meth:`report` with 1-based positions."""

    def check(self) -> None:
        raise NotImplementedError

    def report(
        self,
        line: int,
        column: int | None = None,
        end_line: int | None = None,
        end_column: int | None = None,
        **args: Any,
    ) -> None:
        self.context.reports.append(
            Report(self.RULE_ID, args, line=line, column=column, end_line=end_line, end_column=end_column)
        )

    @classmethod
    def check_file(cls, rules: Sequence[type[Rule]], context: FileContext) -> list[Rule]:
        instances: list[Rule] = []
        for rule_cls in rules:
            assert issubclass(rule_cls, DocumentRule)
            if rule_cls.applies_to(context.relpath, context.settings):
                instance = rule_cls(context)
                instance.check()
                instances.append(instance)
        return instances


class DockerfileContext(FileContext):
    @cached_property
    def dockerfile(self) -> dockerfile_source.Dockerfile:
        return dockerfile_source.parse(self.data)


class YamlContext(FileContext):
    TEMPLATES_SKIP: ClassVar[bool] = False

    @cached_property
    def documents(self) -> list[Any]:
        """The file's YAML documents as pyyaml nodes (see :mod:`mxlint.sources.yaml`)."""
        return yaml_source.compose(self.text, templates_skip=self.TEMPLATES_SKIP)


class ManifestContext(YamlContext):
    TEMPLATES_SKIP = True  # a Helm template is not a manifest until rendered


class DockerfileRule(DocumentRule):
    KIND = FileKind.DOCKERFILE
    CONTEXT = DockerfileContext
    context: DockerfileContext


class KubernetesRule(DocumentRule):
    KIND = FileKind.KUBERNETES
    CONTEXT = ManifestContext
    context: ManifestContext


class YamlRule(DocumentRule):
    KIND = FileKind.YAML
    CONTEXT = YamlContext
    context: YamlContext


class PrecommitRule(DocumentRule):
    KIND = FileKind.PRECOMMIT
    CONTEXT = YamlContext
    context: YamlContext


class GitignoreRule(DocumentRule):
    """Reads ``context.lines``."""

    KIND = FileKind.GITIGNORE


class DotenvRule(DocumentRule):
    """Reads ``context.lines``."""

    KIND = FileKind.DOTENV


class TextRule(DocumentRule):
    """Reads raw text. Its YAML may list several kinds: it then runs on each, beside their own rules."""

    KIND = FileKind.TEXT


class PythonContext(FileContext):
    """A Python file: the libcst module and its metadata, resolved on demand and only once."""

    module: cst.Module
    wrapper: MetadataWrapper

    def attach(self, module: cst.Module) -> None:
        self.module = module
        self.wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self._analyses: dict[type, Any] = {}

    @cached_property
    def text(self) -> str:
        return python_source.decode(self.data)

    def metadata(self, provider: ProviderT) -> Mapping[cst.CSTNode, Any]:
        """Every node's value for ``provider``, resolved on first use (values may be lazy)."""
        return self.wrapper.resolve(provider)

    def lookup(self, provider: ProviderT, node: cst.CSTNode, default: Any = None) -> Any:
        """One node's metadata, like ``get_metadata`` in a visitor, usable outside the traversal."""
        value = self.metadata(provider).get(node, default)
        return value() if isinstance(value, LazyValue) else value

    def analysis(self, factory: Callable[[PythonContext], Any]) -> Any:
        """A per-file analysis shared by every rule that asks for it (computed once)."""
        if factory not in self._analyses:
            self._analyses[factory] = factory(self)
        return self._analyses[factory]

    def resolve_positions(self) -> None:
        """Lines and columns of the reported nodes only (see ``sources.python.locate``)."""
        self._statement_lines: dict[int, int | None] = {}
        spans = python_source.locate(self.module, {r.node for r in self.reports if r.node is not None})
        for report in self.reports:
            if report.node is None:
                continue
            span = spans[report.node]
            report.line, report.column = span.line, span.column + 1
            report.end_line, report.end_column = span.end_line, span.end_column + 1
            self._statement_lines[id(report)] = span.statement_line

    def statement_line(self, report: Report) -> int | None:
        return getattr(self, "_statement_lines", {}).get(id(report))


class PythonRule(Rule, cst.BatchableCSTVisitor):
    """A libcst visitor; every Python rule of a file runs in one batched traversal.

    The traversal is :func:`mxlint.analysis.syntax.visit`, which reads the tree without rebuilding it
    and skips layout nodes; a rule that visits comments or punctuation gets libcst's full walk.

    ``TRIGGER`` is a regular expression over the raw source: when it does not match, the rule cannot
    fire, so the file is neither parsed nor given metadata for it. ``METADATA_DEPENDENCIES`` are
    resolved only for files where a rule that declares them is active. Positions are never declared:
    they are computed after the traversal, and only for files with findings.
    """

    KIND = FileKind.PYTHON
    CONTEXT = PythonContext
    TRIGGER: ClassVar[str | None] = None
    context: PythonContext

    @classmethod
    def trigger(cls, settings: Settings) -> Trigger | None:
        """The rule's trigger: ``TRIGGER`` compiled, or a rule's own (e.g. :class:`Words`)."""
        return re.compile(cls.TRIGGER.encode(), re.MULTILINE) if cls.TRIGGER else None

    def report(self, node: cst.CSTNode, **args: Any) -> None:
        self.context.reports.append(Report(self.RULE_ID, args, node=node))

    def finish(self) -> None:
        """Called once after the traversal, for rules that judge a whole function or module."""

    @classmethod
    def check_file(cls, rules: Sequence[type[Rule]], context: FileContext) -> list[Rule]:
        assert isinstance(context, PythonContext)
        active = []
        for rule_cls in rules:
            assert issubclass(rule_cls, PythonRule)
            if not rule_cls.applies_to(context.relpath, context.settings):
                continue
            pattern = _trigger(rule_cls, context.settings)
            if pattern is None or pattern.search(context.data):
                active.append(rule_cls)
        if not active:
            # No rule can fire here, but a file that is not Python must still be reported (MX000).
            python_source.check_syntax(context.data)
            return []
        context.attach(python_source.parse(context.data))
        visitors = [rule_cls(context) for rule_cls in active]
        if syntax.needs_full_walk(visitors):
            context.wrapper.visit_batched(visitors)
        else:
            with ExitStack() as resolved:
                for visitor in visitors:
                    if visitor.get_inherited_dependencies():
                        resolved.enter_context(visitor.resolve(context.wrapper))
                syntax.visit(context.module, visitors)
        for visitor in visitors:
            visitor.finish()
        context.resolve_positions()
        return list(visitors)


_TRIGGERS: dict[tuple[type[PythonRule], Settings], Trigger | None] = {}


def _trigger(rule_cls: type[PythonRule], settings: Settings) -> Trigger | None:
    key = (rule_cls, settings)
    if key not in _TRIGGERS:
        _TRIGGERS[key] = rule_cls.trigger(settings)
    return _TRIGGERS[key]


# The base class that owns each file kind (its context parses the document); a new kind adds its base
# here and a parser in sources/.
KIND_BASES: dict[FileKind, type[Rule]] = {
    base.KIND: base
    for base in (
        PythonRule, DockerfileRule, KubernetesRule, YamlRule, PrecommitRule,
        GitignoreRule, DotenvRule, TextRule,
    )
}  # fmt: skip
