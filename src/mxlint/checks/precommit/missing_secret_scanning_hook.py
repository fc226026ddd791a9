"""MX107: no pre-commit hook that blocks commits holding secrets."""

from __future__ import annotations

import re

import yaml

from mxlint.checks.base import PrecommitRule, Project, rule
from mxlint.sources import yaml as y

CONFIG_NAMES = (".pre-commit-config.yaml", ".pre-commit-config.yml")
# Hook ids published by the scanners' own .pre-commit-hooks.yaml (research-rules §2.10); ggshield
# also publishes a pre-push hook and Docker variants of both. Talisman (thoughtworks/talisman:
# talisman-commit, talisman-push) and ripsecrets (sirwart/ripsecrets) block secret commits as well.
SCANNER_IDS = frozenset(
    {
        "detect-secrets", "gitleaks", "gitleaks-docker", "gitleaks-system", "trufflehog",
        "ggshield", "ggshield-push", "docker-ggshield", "docker-ggshield-push",
        "talisman-commit", "talisman-push", "ripsecrets",
    }
)  # fmt: skip
# A `repo: local` hook counts when its entry runs one of the scanners.
SCANNER_ENTRY = re.compile(
    r"(?<![\w-])(detect-secrets(-hook)?|gitleaks|trufflehog|ggshield|talisman|ripsecrets)(?![\w-])"
)
# Stages at which a hook stops a secret before it leaves the machine; `manual` alone never runs.
BLOCKING_STAGES = frozenset({"pre-commit", "commit", "pre-push", "push"})


@rule("MX107")
class MissingSecretScanningHook(PrecommitRule):
    def check(self) -> None:
        if not self.context.documents:  # empty, or comments only: no hook at all
            self.record({"scanner": False, "line": 1})
        for document in self.context.documents:
            repos_key = y.key_node(document, "repos")
            default_stages = _strings(y.get(document, "default_stages"))
            scanner = any(
                _is_scanner(hook, local=y.scalar(y.get(repo, "repo")) == "local")
                and _blocks(_strings(y.get(hook, "stages")) or default_stages)
                for repo in y.items(y.get(document, "repos"))
                for hook in y.items(y.get(repo, "hooks"))
            )
            # Plain data (the result cache stores facts as JSON): does a secret scanner run at commit or
            # push time, and where to anchor a finding (the `repos:` key, else line 1).
            self.record({"scanner": scanner, "line": y.line(repos_key) if repos_key is not None else 1})
            return  # pre-commit reads the first document only

    @classmethod
    def finalize(cls, project: Project) -> None:
        configs = [project.path(name) for name in CONFIG_NAMES if project.path(name) in project.files]
        facts = [fact for path, fact in project.facts_of(cls.RULE_ID) if path in configs]
        if not configs:
            if project.outer_facts_of(cls.RULE_ID) or not project.standalone:
                return  # the enclosing repository's config applies; its project is judged on it
            project.report(
                cls.RULE_ID,
                project.anchor(CONFIG_NAMES[0]),
                problem="the project has no `.pre-commit-config.yaml`",
            )
        elif facts and not any(fact["scanner"] for fact in facts):
            project.report(
                cls.RULE_ID,
                configs[0],
                facts[0]["line"],
                problem="no hook in `.pre-commit-config.yaml` scans for secrets",
            )
        # A config that did not parse has no fact: MX000 reports it.


def _is_scanner(hook: yaml.Node, local: bool) -> bool:
    if y.scalar(y.get(hook, "id")) in SCANNER_IDS:
        return True
    entry = y.scalar(y.get(hook, "entry"))
    return local and entry is not None and bool(SCANNER_ENTRY.search(entry))


def _strings(node: yaml.Node | None) -> list[str]:
    return [value for item in y.items(node) if (value := y.scalar(item)) is not None]


def _blocks(stages: list[str]) -> bool:
    return not stages or any(stage in BLOCKING_STAGES for stage in stages)
