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
from benchmarks.report import (
    Results,
    commit_of,
    format_table,
    machine_description,
    target_rows,
)
from benchmarks.targets import SIZES, TARGETS, key

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


class Plan:
    """The scenarios of one benchmark run, sized by --quick."""

    def __init__(self, options: argparse.Namespace, programs: scenarios.Programs):
        self.programs = programs
        quick = options.quick
        self.presses = 6 if quick else 10
        self.play_seconds = 3.0 if quick else 5.0
        self.history = 10_000 if quick else 100_000
        self.memory_steps = 100_000 if quick else 1_000_000
        self.idle_seconds = 3.0 if quick else 5.0

    def warm_up(self) -> None:
        """Start each program once, so caches are warm for every repeat."""
        for command in (
            self.programs.app(),
            self.programs.baseline(),
            self.programs.bare(),
        ):
            app, _ = scenarios.start(command, SIZES[0])
            app.close()

    def repeat(self, index: int):
        """Yield (results key, scenario call) pairs of one repeat, interleaved."""
        flip = index % 2 == 1
        for size in SIZES:
            yield from _ordered(self._stepping(size), flip)
            yield from _ordered(self._play(size), flip)
        yield from _ordered(self._history(10), flip)
        yield self._app_history(self.history)
        yield from _ordered(self._startup(), flip)

    def once(self):
        """Yield the scenarios too slow to repeat: the baseline's long history
        and the app's long run for memory."""
        yield self._baseline_history(self.history)
        yield self._memory()

    def _stepping(self, size):
        programs, presses = self.programs, self.presses
        return [
            (
                key("step", "baseline", size),
                lambda: scenarios.stepping(programs.baseline(), size, presses),
            ),
            (
                key("step", "app", size),
                lambda: scenarios.stepping(programs.app(), size, presses),
            ),
        ]

    def _play(self, size):
        args = ("--lr", "1.0", "--max-steps", "1000000")
        seconds = self.play_seconds
        return [
            (
                key("play", "baseline", size),
                lambda: scenarios.play(self.programs.baseline(*args), size, seconds),
            ),
            (
                key("play", "app", size),
                lambda: scenarios.play(self.programs.app(*args), size, seconds),
            ),
        ]

    def _history(self, steps: int):
        return [self._baseline_history(steps), self._app_history(steps)]

    def _app_history(self, steps: int):
        """Return the app's run to the end of ``steps`` steps, then b and n there.

        At η = 1, x bounces between -8 and 8 and the run never converges,
        so it lasts exactly ``steps`` steps.
        """
        size, presses = SIZES[0], self.presses
        app = self.programs.app("--lr", "1.0", "--max-steps", str(steps))
        label = "history-long" if steps > 10 else "history-short"
        return key(label, "app", size), lambda: scenarios.jump_then_probe(
            app, size, steps, presses
        )

    def _baseline_history(self, steps: int):
        """Return the baseline preloaded with ``steps`` rows, then n presses.

        The baseline descends at η = 0.1, where x soon reaches 0: its chart
        then draws a path that stays on one spot, which keeps plotext's cost
        per step small enough to measure 100,000 rows in minutes. With the
        app's bouncing path at η = 1 it took seconds per step at 10,000 rows.
        """
        size = SIZES[0]
        presses = self.presses if steps <= 10 else 3
        baseline = self.programs.baseline(
            "--history", str(steps), "--max-steps", str(steps + 2 * presses)
        )
        label = "history-long" if steps > 10 else "history-short"
        return key(label, "baseline", size), lambda: scenarios.preload_then_probe(
            baseline, size, presses
        )

    def _startup(self):
        size, seconds = SIZES[0], self.idle_seconds
        return [
            (
                key("startup", "bare", size),
                lambda: scenarios.startup_and_idle(self.programs.bare(), size, seconds),
            ),
            (
                key("startup", "app", size),
                lambda: scenarios.startup_and_idle(self.programs.app(), size, seconds),
            ),
        ]

    def _memory(self):
        """Return the app's long run to the end, for its peak memory."""
        steps = self.memory_steps
        command = self.programs.app("--lr", "1.0", "--max-steps", str(steps))
        return key("memory", "app", SIZES[0]), lambda: scenarios.long_run_memory(
            command, SIZES[0], steps
        )


def _ordered(pair: list, flip: bool) -> list:
    """Return the pair as given, or reversed on every other repeat."""
    return pair[::-1] if flip else pair


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
