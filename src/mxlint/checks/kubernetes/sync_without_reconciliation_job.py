"""MX702: a service that syncs with MaintainX (lists its records) but schedules no reconciliation."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Any

import libcst as cst
import yaml

from mxlint.analysis import syntax
from mxlint.analysis.maintainx import MaintainXCall
from mxlint.analysis.names import dotted
from mxlint.checks.base import KubernetesRule, Project, TextRule, YamlRule, rule
from mxlint.checks.python.project_facts import MaintainXUsage, relative
from mxlint.config import Settings
from mxlint.model import FileKind
from mxlint.sources.yaml import get, scalar

SCHEDULED = "scheduled"
_RECONCILE = re.compile(r"(?i)reconcil")
_CRON_KINDS = frozenset({"CronJob", "CronWorkflow", "ScheduledSparkApplication"})
# Scheduler APIs: APScheduler add_job/scheduled_job, schedule's every().do, Celery beat, rocketry.
_SCHEDULERS = frozenset(
    {
        "add_job",
        "scheduled_job",
        "do",
        "add_periodic_task",
        "periodic_task",
        "repeat",
        "cron",
        "every",
        "task",
    }
)


def _mentions(node: cst.CSTNode) -> bool:
    """A name, attribute or string in ``node`` that says reconcile."""
    for child in syntax.walk(node):
        text = child.value if isinstance(child, (cst.Name, cst.SimpleString)) else None
        if isinstance(text, str) and _RECONCILE.search(text):
            return True
    return False


class _Python(MaintainXUsage):
    ALSO = ("reconcil",)

    def fact(self, calls: list[MaintainXCall]) -> Any:
        for node in syntax.walk(self.context.module):
            if isinstance(node, cst.Call) and (dotted(node.func) or "").rsplit(".", 1)[-1] in _SCHEDULERS:
                if any(_mentions(arg.value) for arg in node.args):
                    return SCHEDULED
            elif isinstance(node, cst.FunctionDef) and _RECONCILE.search(node.name.value):
                for decorator in node.decorators:
                    target = decorator.decorator
                    name = dotted(target.func if isinstance(target, cst.Call) else target) or ""
                    if name.rsplit(".", 1)[-1] in _SCHEDULERS and name != "task":
                        return SCHEDULED
            elif isinstance(node, cst.Dict) and _beat_entry(node):
                return SCHEDULED
        lists = sum(1 for mx in calls if mx.lists)  # a limit=1 health probe syncs nothing
        return {"lists": lists} if lists else None


def _beat_entry(node: cst.Dict) -> bool:
    """Celery beat: ``{"task": "app.reconcile", "schedule": crontab(...)}``."""
    keys = {
        e.key.evaluated_value
        for e in node.elements
        if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString)
    }
    return "schedule" in keys and "task" in keys and _mentions(node)


def _scheduled_yaml(node: yaml.Node) -> tuple[bool, bool]:
    """(has a schedule key, mentions reconcile) anywhere in a YAML tree."""
    schedule = mentions = False
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            mentions |= bool(_RECONCILE.search(current.value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                schedule |= isinstance(key, yaml.ScalarNode) and "schedule" in key.value.lower()
                stack.extend((key, value))
    return schedule, mentions


class _Yaml(YamlRule):
    """GitHub Actions ``on: schedule``, Cloud Scheduler jobs, compose schedulers: a schedule key and a
    mention of reconcile in one document."""

    def check(self) -> None:
        if any(all(_scheduled_yaml(document)) for document in self.context.documents):
            self.record(SCHEDULED)


class _Crontab(TextRule):
    @classmethod
    def applies_to(cls, relpath: str, settings: Settings) -> bool:
        path = PurePosixPath(relpath)
        return "cron" in path.name.lower() or "cron.d" in path.parts[:-1]

    def check(self) -> None:
        lines = (line for line in self.context.lines if not line.lstrip().startswith("#"))
        if any(_RECONCILE.search(line) for line in lines):
            self.record(SCHEDULED)


@rule("MX702")
class SyncWithoutReconciliationJob(KubernetesRule):
    PARTS = {FileKind.PYTHON: _Python, FileKind.YAML: _Yaml, FileKind.TEXT: _Crontab}

    def check(self) -> None:
        for document in self.context.documents:
            kind = scalar(get(document, "kind"))
            if kind in _CRON_KINDS and _scheduled_yaml(document)[1]:
                self.record(SCHEDULED)

    @classmethod
    def finalize(cls, project: Project) -> None:
        facts: list[tuple[str, Any]] = project.facts_of(cls.RULE_ID)
        if any(fact == SCHEDULED for _, fact in facts):
            return
        syncing = sorted(path for path, fact in facts if isinstance(fact, dict))
        if syncing:
            anchor = project.anchor(*(relative(project.root, path) for path in syncing))
            project.report(cls.RULE_ID, anchor, 1, module=relative(project.root, syncing[0]))
