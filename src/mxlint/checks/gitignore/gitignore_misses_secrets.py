"""MX106: the project's root ``.gitignore`` is missing or lets ``.env`` files and keys be committed."""

from __future__ import annotations

from pathlib import PurePosixPath

import pathspec

from mxlint.checks.base import GitignoreRule, Project, rule

GITIGNORE = ".gitignore"
# Paths that must be ignored (auth.gitignore): an env file at the root and below it, and a key file.
PROBES = (".env", "config/.env", "x.key")


@rule("MX106")
class GitignoreMissesSecrets(GitignoreRule):
    def check(self) -> None:
        # Every .gitignore records its lines; finalize judges only the project's root one.
        self.record(list(self.context.lines))  # plain data: the result cache stores facts as JSON

    @classmethod
    def finalize(cls, project: Project) -> None:
        root_file = project.path(GITIGNORE)
        lines = next((fact for path, fact in project.facts_of(cls.RULE_ID) if path == root_file), None)
        # .gitignore files of enclosing folders (a service in a monorepo) apply first, as in git.
        outer = project.outer_facts_of(cls.RULE_ID)
        if lines is None:
            if root_file not in project.files and not outer and project.standalone:
                project.report(
                    cls.RULE_ID, project.anchor(GITIGNORE), problem="the project has no `.gitignore`"
                )
            # Present but unreadable: MX000 says so. Covered by an enclosing folder's .gitignore: the
            # project that owns that file is judged on it.
            return
        specs = [(_folder(path), _spec(fact)) for path, fact in outer]
        specs.append((project.root, _spec(lines)))
        missed = [probe for probe in PROBES if not _ignored(specs, project.path(probe))]
        if missed:
            listed = ", ".join(f"`{probe}`" for probe in missed)
            project.report(cls.RULE_ID, root_file, problem=f"the root `.gitignore` does not ignore {listed}")


def _spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(lines)  # git semantics: anchors, negations, last match wins


def _folder(path: str) -> str:
    return str(PurePosixPath(path).parent)


def _ignored(specs: list[tuple[str, pathspec.GitIgnoreSpec]], path: str) -> bool:
    """git's verdict for ``path`` (relative to the scan root). git cannot re-include a file whose
    folder is excluded (``config/`` then ``!config/.env`` still ignores it), so folders are judged
    first, outermost first."""
    parts = path.split("/")
    folders = ["/".join(parts[:depth]) + "/" for depth in range(1, len(parts))]
    return any(_verdict(specs, folder) for folder in folders) or _verdict(specs, path)


def _verdict(specs: list[tuple[str, pathspec.GitIgnoreSpec]], path: str) -> bool:
    """The deepest ``.gitignore`` with a match for ``path`` decides; one applies only below its folder."""
    verdict = False
    for folder, spec in specs:
        if folder != "." and not path.startswith(folder + "/"):
            continue
        result = spec.check_file(path if folder == "." else path.removeprefix(folder + "/"))
        if result.include is not None:
            verdict = result.include
    return verdict
