"""Scan a large real Python tree with mxlint and report files, lines, wall time and lines per second.

By default the tree is the standard library of the running interpreter: thousands of files nobody on
this project wrote, on every machine. mxlint runs at ``--jobs 1`` and at all CPUs; when bandit is
installed (``pip install -e '.[bench]'``) it scans the same tree in the same run for comparison.
Peak memory is the largest resident set of any single process (mxlint or one of its workers).

    python benchmarks/bench.py                    # the standard library
    python benchmarks/bench.py --tree ~/src/app   # any other tree
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Runs one command and prints its wall time and the peak RSS of it and its descendants (KiB on Linux).
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
wall = time.perf_counter() - start
print(wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


@dataclass
class Measurement:
    label: str
    wall: float
    peak_mib: float
    exit_code: int


def measure(label: str, command: list[str], cwd: Path) -> Measurement:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True, check=True
    )
    wall, peak_kib, code = done.stdout.split()
    return Measurement(label, float(wall), int(peak_kib) / 1024, int(code))


def python_files(tree: Path) -> tuple[int, int]:
    """Files and lines mxlint's discovery would visit (same excludes as a real scan)."""
    from mxlint.discovery import Discovery
    from mxlint.model import FileKind

    sources = [s for s in Discovery(tree).collect([tree]) if s.kind is FileKind.PYTHON]
    lines = 0
    for source in sources:
        with source.path.open("rb") as handle:
            lines += sum(1 for _ in handle)
    return len(sources), lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tree", type=Path, default=Path(sysconfig.get_paths()["stdlib"]))
    parser.add_argument(
        "--jobs", type=int, nargs="*", help="--jobs values to measure (default: 1 and all CPUs)"
    )
    parser.add_argument("--no-bandit", action="store_true", help="skip the bandit comparison")
    args = parser.parse_args()
    tree = args.tree.resolve()
    cpus = os.cpu_count() or 1
    jobs = args.jobs or sorted({1, cpus})

    files, lines = python_files(tree)
    print(f"tree: {tree}\nPython files: {files:,}  lines: {lines:,}  CPUs: {cpus}\n")

    results = []
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report.json"
        for count in jobs:
            command = [sys.executable, "-m", "mxlint", "check", ".", "--format", "json"]
            command += ["--output", str(report), "--fail-on", "never", "--jobs", str(count), "--no-cache"]
            results.append(measure(f"mxlint --jobs {count}", command, tree))
        findings = len(json.loads(report.read_text()))
        bandit = shutil.which("bandit", path=str(Path(sys.executable).parent)) or shutil.which("bandit")
        if bandit and not args.no_bandit:
            excluded = ",".join(str(tree / name) for name in ("site-packages", "__pycache__"))
            # Absolute paths on both sides: bandit matches -x against the paths it walks, so a relative
            # walk would silently scan site-packages too.
            command = [bandit, "-r", str(tree), "-x", excluded, "-q", "-f", "json"]
            command += ["-o", str(Path(scratch) / "bandit.json")]
            results.append(measure("bandit -r", command, Path(scratch)))

    print(f"{'tool':<18}{'wall s':>9}{'lines/s':>12}{'peak MiB':>10}")
    for result in results:
        print(f"{result.label:<18}{result.wall:>9.2f}{lines / result.wall:>12,.0f}{result.peak_mib:>10.0f}")
    print(f"\nmxlint findings: {findings}")
    bandit_runs = [r for r in results if r.label.startswith("bandit")]
    if bandit_runs:
        fastest = min(r.wall for r in results if r.label.startswith("mxlint"))
        print(f"mxlint at its fastest takes {fastest / bandit_runs[0].wall:.0%} of bandit's wall time")


if __name__ == "__main__":
    main()
