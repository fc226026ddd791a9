"""MX106: the project's root ``.gitignore`` is missing or lets ``.env`` files and keys be committed."""

from __future__ import annotations

import pathspec

from mxlint.checks.base import GitignoreRule, Project, rule

GITIGNORE = ".gitignore"
# Paths that must be ignored (auth.gitignore): an env file at the root and below it, and a key file.
PROBES = (".env", "config/.env", "x.key")


@rule("MX106")
class GitignoreMissesSecrets(GitignoreRule):
    def check(self) -> None:
        # Every .gitignore records its lines; finalize judges only the project's root one.
        self.record(tuple(self.context.lines))

    @classmethod
    def finalize(cls, project: Project) -> None:
        root_file = project.path(GITIGNORE)
        lines = next((fact for path, fact in project.facts_of(cls.RULE_ID) if path == root_file), None)
        if lines is None:
            if root_file not in project.files:
                project.report(
                    cls.RULE_ID, project.anchor(GITIGNORE), problem="the project has no `.gitignore`"
                )
            return  # present but unreadable: MX000 says so
        spec = pathspec.GitIgnoreSpec.from_lines(lines)  # git semantics: anchors, negations, last match wins
        missed = [probe for probe in PROBES if not spec.match_file(probe)]
        if missed:
            listed = ", ".join(f"`{probe}`" for probe in missed)
            project.report(cls.RULE_ID, root_file, problem=f"the root `.gitignore` does not ignore {listed}")
