"""Measure descend-tui against its reference apps on a real pseudo-terminal.

Usage: python benchmarks/run.py [--quick] [--repeats N] [--commit REV]

Every ratio divides two medians measured in this same run, with the app and
its reference started in alternating order, so load from other processes on
the machine falls on both. docs/benchmarks.md explains each figure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script: make the benchmarks package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import scenarios
from benchmarks.plan import Plan
from benchmarks.report import (
    Results,
    commit_of,
    format_table,
    machine_description,
    target_rows,
)
from benchmarks.targets import TARGETS

REPO = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one repeat, shorter runs, 10,000-step history and a 100,000-step "
        "memory run (about 2 minutes); its figures are not the targets' own",
    )
    parser.add_argument(
        "--repeats", type=int, default=None, help="repeats of each scenario (default 3)"
    )
    parser.add_argument(
        "--commit",
        metavar="REV",
        help="measure the app as committed at REV (exported to a temporary "
        "folder) instead of the working tree",
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="Python that runs the apps; it needs descend-tui's dependencies "
        "(default: the one running this script)",
    )
    parser.add_argument(
        "--json", metavar="PATH", help="also write every sample to PATH"
    )
    parser.add_argument(
        "--from-json",
        metavar="PATH",
        help="measure nothing; print the report of samples saved with --json",
    )
    options = parser.parse_args(argv)
    if options.repeats is None:
        options.repeats = 1 if options.quick else 3
    if options.repeats < 1:
        parser.error(f"--repeats {options.repeats} must be at least 1")
    return options


def export_commit(revision: str, folder: str) -> None:
    """Write the tui_descent package as committed at ``revision`` into ``folder``."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", revision, "tui_descent"],
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        sys.exit(f"git archive {revision} failed: {archive.stderr.decode().strip()}")
    subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)


def progress(message: str) -> None:
    """Print one progress line to stderr, keeping stdout for the results."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(options: argparse.Namespace, programs: scenarios.Programs) -> Results:
    """Run every scenario, alternating the app and its reference."""
    plan = Plan(options, programs)
    results = Results()
    progress("warm-up: one start of each program")
    plan.warm_up()
    for repeat in range(options.repeats):
        for name, run in plan.repeat(repeat):
            progress(f"repeat {repeat + 1}/{options.repeats}: {name}")
            results.add(name, run())
    for name, run in plan.once():
        progress(f"once: {name}")
        results.add(name, run())
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the results; return the exit status."""
    options = parse_args(argv)
    if options.from_json:
        saved = json.loads(Path(options.from_json).read_text())
        results = Results()
        results.samples = saved["samples"]
        print_report(results, saved["commit"], saved["machine"], saved["heading"])
        return 0
    machine = machine_description()
    with tempfile.TemporaryDirectory(prefix="descend-tui-bench-") as folder:
        if options.commit:
            export_commit(options.commit, folder)
            programs = scenarios.Programs(python=options.python, app_dir=folder)
            commit = commit_of(str(REPO), options.commit)
        else:
            programs = scenarios.Programs(python=options.python)
            commit = commit_of(str(REPO)) + _dirty_note()
        started = time.monotonic()
        try:
            results = measure(options, programs)
        except scenarios.BenchmarkError as error:
            print(f"benchmark failed: {error}", file=sys.stderr)
            return 1
    machine["load average after"] = machine_description()["load average"]
    heading = (
        f"{options.repeats} repeat(s){', quick' if options.quick else ''}, "
        f"{time.monotonic() - started:.0f} s"
    )
    if options.json:
        saved = {
            "commit": commit,
            "machine": machine,
            "heading": heading,
            "samples": results.samples,
        }
        Path(options.json).write_text(json.dumps(saved, indent=1))
    print_report(results, commit, machine, heading)
    return 0


def print_report(
    results: Results, commit: str, machine: dict[str, str], heading: str
) -> None:
    """Print the targets table and every measured figure."""
    print(f"descend-tui benchmark, app at commit {commit}")
    print("; ".join(f"{name}: {value}" for name, value in machine.items()))
    print(f"{heading}\n")
    print(format_table(target_rows(results, TARGETS)))
    print()
    print(format_table(detail_rows(results)))


def detail_rows(results: Results) -> list[list[str]]:
    """Return every measured metric as "median [min–max]" per scenario."""
    rows = [["scenario", "metric", "median [min–max]", "samples"]]
    for name, figures in results.samples.items():
        for metric, values in figures.items():
            rows.append([name, metric, results.spread(name, metric), str(len(values))])
    return rows


def _dirty_note() -> str:
    """Return a note when the measured package differs from the commit."""
    status = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "tui_descent"],
        capture_output=True,
        text=True,
        check=False,
    )
    return " plus uncommitted changes in tui_descent/" if status.stdout.strip() else ""


if __name__ == "__main__":
    sys.exit(main())
