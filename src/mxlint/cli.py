"""Command line: parse flags, call :func:`mxlint.api.run`, pick a reporter, choose the exit code.

Exit codes: 0 no finding at or above ``--fail-on``; 1 at least one; 2 usage, configuration or
internal error, reported as one line on stderr (with a traceback only under ``--verbose``).
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from mxlint import __version__, docs, registry
from mxlint.config import FAIL_ON_CHOICES, ConfigError
from mxlint.model import Priority

if TYPE_CHECKING:  # the engine and libcst load only when a check runs
    from mxlint import api
    from mxlint.model import RunResult

# Kept here, not imported from the engine, so `--version`, `rules` and `explain` never load libcst.
FORMATS = ("github", "json", "markdown", "sarif", "text")
SCOPES = ("auto", "files", "project", "all")

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# click >= 8.2 raises this for a bare `mxlint`; older versions print the help themselves.
_NO_ARGS: type[Exception] | tuple[()] = getattr(click.exceptions, "NoArgsIsHelpError", ())
_PROGRESS_MIN_FILES = 200


def _fail(message: str) -> NoReturn:
    click.echo(f"mxlint: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _colour_wanted(stream: object) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


class _Progress:
    """A one-line counter on stderr, shown only on a terminal and only for long scans."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total < _PROGRESS_MIN_FILES or (done % 25 and done != total):
            return
        sys.stderr.write(f"\rmxlint: checked {done}/{total} files")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="mxlint", message="%(prog)s %(version)s")
def cli() -> None:
    """mxlint: checks a MaintainX integration against the go-live production checklist."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report here."
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON_CHOICES, case_sensitive=False),
    help="Exit 1 when a finding at or above this priority remains [default: P2, or the config's].",
)
@click.option("--select", multiple=True, help="Only these rules: id, name, checklist key or priority.")
@click.option("--ignore", multiple=True, help="Skip these rules: id, name, checklist key or priority.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Configuration file.")
@click.option("--exclude", multiple=True, help="Gitignore-style pattern of paths to skip.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), help="Worker processes [default: CPUs].")
@click.option(
    "--no-cache", is_flag=True, help="Re-check every file instead of reusing .mxlint_cache results."
)
@click.option(
    "--scope",
    type=click.Choice(SCOPES),
    default="auto",
    show_default=True,
    help="files: per-file rules; project: repository-level rules; auto: files when only files are named.",
)
@click.option("--sarif-category", default="mxlint/", show_default=True, help="SARIF automationDetails.id.")
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only findings this baseline file does not hold.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record every current finding in this baseline file (then none is reported).",
)
@click.option(
    "--fix", is_flag=True, help="Rewrite the findings that have an exact fix, then report what remains."
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print the fixes --fix would make as a unified diff; write nothing.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print findings only, no summary.")
@click.option("--verbose", "-v", is_flag=True, help="Print diagnostics, and tracebacks on internal errors.")
def check(
    paths: tuple[str, ...],
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_path: str | None,
    exclude: tuple[str, ...],
    jobs: int | None,
    no_cache: bool,
    scope: str,
    sarif_category: str,
    baseline_path: Path | None,
    write_baseline: Path | None,
    fix: bool,
    show_diff: bool,
    quiet: bool,
    verbose: bool,
) -> None:
    """Check PATHS (files or folders; default: the current folder)."""
    from mxlint import api
    from mxlint.reporters import REPORTERS

    paths = paths or (".",)
    if not all(paths):
        _fail("a PATH is empty; name a file or folder (default: the current folder)")
    if fmt == "sarif" and not sarif_category.strip():
        _fail("--sarif-category must not be empty: it is the code-scanning category of the upload")
    progress = _Progress(enabled=sys.stderr.isatty() and not quiet)
    try:
        config = api.load_config(paths, config_path)
        options = api.Options(
            paths=paths,
            select=select,
            ignore=ignore,
            exclude=exclude,
            jobs=jobs,
            scope=scope,
            config=config,
            progress=progress,
            cache=not no_cache,
            baseline=baseline_path,
            write_baseline=write_baseline,
        )
        result = api.run(options)
        if fix or show_diff:
            result = _autofix(options, result, show_diff, output)
    except (ConfigError, api.UsageError) as error:
        _fail(str(error))
    finally:
        progress.clear()

    if write_baseline is not None and not quiet:
        count = len(result.baselined)
        click.echo(f"mxlint: wrote {count} finding{'' if count == 1 else 's'} to {write_baseline}", err=True)
    if not quiet:
        # Diagnostics, not findings: a file skipped on purpose (a Helm template) or a folder that could
        # not be listed. A file that did not parse is already an MX000 finding in the report.
        reported = {
            finding.path for finding in (*result.findings, *result.suppressed) if finding.rule_id == "MX000"
        }
        for note in result.notifications:
            if verbose or note.path not in reported:
                click.echo(f"mxlint: {note.level}: {note.path}: {note.message}", err=True)
    if verbose:
        click.echo(
            f"mxlint: {result.files_checked} files checked, {len(result.rules)} rules enabled", err=True
        )

    stream = sys.stdout if output is None else None
    render_options: dict[str, object] = {}
    if fmt == "text":
        render_options["color"] = stream is not None and _colour_wanted(stream)
    if fmt == "sarif":
        render_options["category"] = sarif_category
    report = REPORTERS[fmt](result, **render_options)
    if fmt == "text" and quiet:
        report = "".join(line + "\n" for line in report.splitlines() if line and not _is_summary(line))
    if output is None:
        sys.stdout.write(report)
        sys.stdout.flush()
    else:
        try:
            output.write_text(report, encoding="utf-8")
        except OSError as error:
            _fail(f"cannot write {output}: {error.strerror or error}")

    threshold = fail_on or config.fail_on
    gate = None if threshold.lower() == "never" else Priority(threshold.upper())
    sys.exit(EXIT_FINDINGS if result.fails(gate) else EXIT_OK)


def _autofix(options: api.Options, result: RunResult, show_diff: bool, output: Path | None) -> RunResult:
    """Apply (or, with ``--diff``, print and exit) the exact fixes; return the result of a re-check."""
    from mxlint import api, autofix

    fixes = autofix.plan(options, result)
    for note in fixes.notifications:
        click.echo(f"mxlint: {note.path}: {note.message}", err=True)
    counted = f"{_plural(fixes.fixed, 'finding')} in {_plural(len(fixes.files), 'file')}"
    if show_diff:
        diff = fixes.diff()
        if output is None:
            sys.stdout.write(diff)
            sys.stdout.flush()
        else:
            output.write_text(diff, encoding="utf-8")
        done = (
            f"{counted} can be fixed (nothing written; --fix applies them)"
            if fixes.files
            else "nothing to fix"
        )
        click.echo(f"mxlint: {done}", err=True)
        sys.exit(EXIT_FINDINGS if fixes.files else EXIT_OK)
    if not fixes.files:
        click.echo("mxlint: nothing to fix", err=True)
        return result
    fixes.write()
    click.echo(f"mxlint: fixed {counted}", err=True)
    return api.run(options)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _is_summary(line: str) -> bool:
    return line.startswith(("Found ", "All checks passed"))


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True
)
def rules(fmt: str) -> None:
    """List every rule: id, checklist key, priority and title."""
    metas = registry.all_rules()
    if fmt == "markdown":
        click.echo(docs.rules_document(metas), nl=False)
    elif fmt == "json":
        entries = [
            {
                "id": meta.id,
                "name": meta.name,
                "title": meta.title,
                "checklist": meta.checklist,
                "priority": meta.priority.value,
                "category": meta.category,
                "kinds": [kind.value for kind in meta.kinds],
                "scope": meta.scope.value,
                "precision": meta.precision,
                "autofix": meta.autofix,
                "help_uri": meta.help_uri,
            }
            for meta in metas
        ]
        click.echo(json.dumps(entries, indent=2))
    else:
        for meta in metas:
            key = meta.checklist or "(mxlint)"
            click.echo(f"{meta.id}  {meta.priority.value}  {key:<34} {meta.name:<34} {meta.title}")


@cli.command()
@click.argument("handle")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the rule's section of docs/rules.md.",
)
def explain(handle: str, fmt: str) -> None:
    """Show the documentation of a rule (by id or name) or of every rule of a checklist key."""
    meta = registry.lookup(handle)
    metas = [meta] if meta else [m for m in registry.all_rules() if m.checklist == handle]
    if not metas:
        _fail(f"no rule or checklist key named {handle!r} (see 'mxlint rules')")
    render = docs.rule_markdown if fmt == "markdown" else docs.rule_text
    click.echo("\n".join(render(m) for m in metas), nl=False)


def main() -> None:
    """Console entry point: click's errors become one line and exit 2, never a traceback."""
    verbose = "--verbose" in sys.argv or "-v" in sys.argv
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.Abort:
        click.echo("mxlint: aborted", err=True)
        sys.exit(EXIT_ERROR)
    except _NO_ARGS as error:
        click.echo(error.format_message(), err=True)  # bare `mxlint`: the help, as ruff does, exit 2
        sys.exit(EXIT_ERROR)
    except click.ClickException as error:
        _fail(error.format_message())
    except SystemExit:
        raise
    except BrokenPipeError:
        sys.exit(EXIT_ERROR)
    except Exception as error:  # the last line of defence: one line, exit 2
        if verbose:
            traceback.print_exc()
        _fail(f"internal error: {type(error).__name__}: {error}")
    sys.exit(EXIT_OK)
