"""The programmatic entry point: ``run(Options) -> RunResult``. No printing, no ``sys.exit``."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pathspec

from mxlint import baseline as baseline_module
from mxlint import config as config_module
from mxlint import engine, registry
from mxlint.cache import ResultCache
from mxlint.config import Config
from mxlint.discovery import Discovery
from mxlint.model import Finding, RunResult

SCOPES = ("auto", "files", "project", "all")


class UsageError(Exception):
    """The request cannot be carried out as given (missing path, bad selector); one line for the user."""


@dataclass(frozen=True)
class Options:
    paths: tuple[str, ...] = (".",)
    select: tuple[str, ...] = ()  # replaces the configuration's select when given
    ignore: tuple[str, ...] = ()  # added to the configuration's ignore
    exclude: tuple[str, ...] = ()  # added to the configuration's exclude
    jobs: int | None = None
    scope: str = "auto"
    config: Config | None = None  # None: discover it from the scanned paths upwards
    progress: engine.Progress | None = None
    cache: bool = False  # reuse per-file results from <scan root>/.mxlint_cache
    baseline: Path | None = None  # report only findings this baseline file does not hold
    write_baseline: Path | None = None  # record every finding here; none is then reported as new


def scan_root(paths: Sequence[Path], cwd: Path) -> Path:
    """The folder output paths are relative to: the working folder when it holds every path."""
    folders = [path if path.is_dir() else path.parent for path in paths]
    if all(folder == cwd or cwd in folder.parents for folder in folders):
        return cwd
    return Path(os.path.commonpath([str(folder) for folder in folders]))


def _check_paths(paths: Sequence[Path], cwd: Path) -> None:
    for path in paths:
        try:
            path.lstat()
        except FileNotFoundError:
            raise UsageError(f"path does not exist: {os.path.relpath(path, cwd)}") from None
        except OSError as error:  # e.g. inside a folder the user may not search
            raise UsageError(f"cannot access {os.path.relpath(path, cwd)}: {error.strerror}") from None
        if not (path.is_symlink() or path.is_dir() or path.is_file()):  # a FIFO, a device, a socket
            raise UsageError(f"not a regular file or folder: {os.path.relpath(path, cwd)}")


def load_config(paths: Sequence[str], explicit: str | None = None) -> Config:
    if explicit:
        return config_module.load_file(Path(explicit))
    absolute = [Path(os.path.abspath(path)) for path in paths] or [Path.cwd()]
    _check_paths(absolute, Path.cwd())
    start = Path(os.path.commonpath([str(p if p.is_dir() else p.parent) for p in absolute]))
    return config_module.discover(start)


def _per_file_ignored(config: Config, root: Path) -> list[tuple[pathspec.GitIgnoreSpec, set[str]]]:
    ignored = []
    for glob, selectors in config.per_file_ignores:
        ids = set().union(
            *(registry.resolve_selector(token) for token in registry.split_selectors(selectors))
        )
        ignored.append((pathspec.GitIgnoreSpec.from_lines([glob]), ids))
    return ignored


def _config_relative(finding: Finding, root: Path, base: Path | None) -> str:
    if base is None:
        return finding.path
    try:
        return (root / finding.path).relative_to(base).as_posix()
    except ValueError:
        return finding.path


def run(options: Options) -> RunResult:
    cwd = Path.cwd()
    paths = [Path(os.path.abspath(path)) for path in options.paths or (".",)]
    _check_paths(paths, cwd)
    if options.scope not in SCOPES:
        raise UsageError(f"unknown scope {options.scope!r}; expected one of {', '.join(SCOPES)}")
    config = options.config if options.config is not None else load_config(options.paths)
    known: frozenset[baseline_module.Key] = frozenset()
    if options.baseline is not None and options.write_baseline is None:
        try:  # before the scan, so a wrong path fails at once
            known = baseline_module.load(options.baseline)
        except baseline_module.BaselineError as error:
            raise UsageError(str(error)) from None

    select = registry.split_selectors(options.select or config.select)
    ignore = registry.split_selectors((*config.ignore, *options.ignore))
    try:
        rules = engine.enabled_rules(select, ignore, dict(config.priority))
    except registry.UnknownSelectorError as error:
        raise UsageError(str(error)) from None

    only_files = all(path.is_file() for path in paths)
    scope = options.scope if options.scope != "auto" else ("files" if only_files else "all")
    if only_files and scope in ("project", "all"):
        # Repository-level rules judge what a whole project holds; a few named files would make them
        # report what they did not see (no .gitignore, no health route) or pass what they did not check.
        raise UsageError(
            f"--scope {scope} runs repository-level rules, which need the project's folder, not files;"
            " name the folder, or use --scope files"
        )
    plan = engine.Plan(
        rules=tuple(rules),
        settings=config.settings,
        file_rules=scope in ("files", "all"),
        project_rules=scope in ("project", "all"),
    )

    root = scan_root(paths, cwd)
    discovery = Discovery(root, (*config.exclude, *options.exclude))
    sources = discovery.collect(paths)
    folders = [discovery.relpath(path) or "." for path in paths if path.is_dir()]
    # A scanned folder holding .git (a folder, or a worktree's file) is a repository in its own right.
    repositories = frozenset(folder for folder in folders if (root / folder / ".git").exists())

    def read_line(relpath: str, line: int) -> str:
        try:
            with (root / relpath).open(encoding="utf-8", errors="replace") as handle:
                for number, text in enumerate(handle, start=1):
                    if number == line:
                        return text
        except OSError:
            pass
        return ""

    cache = (
        ResultCache(root, [plan.rules, plan.settings, plan.file_rules, plan.project_rules])
        if options.cache
        else None
    )
    outcome = engine.run(
        plan, sources, folders, read_line, options.jobs, options.progress, cache, repositories
    )
    per_file = _per_file_ignored(config, root)
    findings, suppressed = [], []
    for finding in outcome.findings:
        relative = _config_relative(finding, root, config.base_dir)
        if any(finding.rule_id in ids and spec.match_file(relative) for spec, ids in per_file):
            continue
        (suppressed if finding.suppressed else findings).append(finding)
    if options.write_baseline is not None:
        try:
            baseline_module.write(options.write_baseline, findings)
        except baseline_module.BaselineError as error:
            raise UsageError(str(error)) from None
        known = frozenset(map(baseline_module.key, findings))
    findings, baselined = baseline_module.split(findings, known)
    return RunResult(
        findings=findings,
        suppressed=suppressed,
        baselined=baselined,
        rules=rules,
        notifications=[*discovery.notifications, *outcome.notifications],
        files_checked=outcome.files_checked,
        skipped=tuple(meta.id for meta in rules if not plan.runs(meta)),
        kinds_scanned=frozenset(source.kind for source in sources),
        subjects_seen=outcome.subjects,
    )
