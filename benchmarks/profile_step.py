"""Profile where a program spends its time per key press on a real pty.

Usage: python benchmarks/profile_step.py [--tool py-spy|cprofile]
       [--program app|baseline] [--size 80x24] [--keys nnnn...] [--top 20]
       [-- EXTRA PROGRAM ARGS]

After start-up and one warm-up key, the keys are pressed one at a time, each
waiting for its frame, while a profiler watches the program.

- py-spy (the default; ``pip install py-spy``) samples the running process
  from outside, so the program runs at nearly full speed. The report gives
  each stage's share of the main thread's busy samples, which is the
  figure to trust for "where does the time go".
- cprofile runs the program under benchmarks/profiled_launch.py and adds
  call counts, but its per-call overhead inflates code that makes many
  small calls (Textual's and Rich's) compared with the rest.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.profile_report import SAMPLE_RATE, report_profile, report_samples
from benchmarks.pty_harness import PtyApp
from benchmarks.scenarios import BENCHMARKS, FASTER_PRESSES, start, terminal_size


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tool", choices=("py-spy", "cprofile"), default="py-spy")
    parser.add_argument("--program", choices=("app", "baseline"), default="app")
    parser.add_argument(
        "--size",
        type=terminal_size,
        default=(80, 24),
        help="COLUMNSxROWS (default 80x24)",
    )
    parser.add_argument("--keys", default="n" * 30, help="keys to press (default 30 n)")
    parser.add_argument(
        "--play",
        type=float,
        metavar="SECONDS",
        help="instead of the keys, play at the fastest pace for SECONDS "
        "and report per second of play",
    )
    parser.add_argument(
        "--startup",
        action="store_true",
        help="instead of the keys, profile start-up until the first screen settles",
    )
    parser.add_argument("--top", type=int, default=20, help="functions listed")
    parser.add_argument("extra", nargs="*", help="arguments passed to the program")
    return parser.parse_args(argv)


def command(options: argparse.Namespace, output: str) -> tuple[list[str], str]:
    """Return the argv and working directory of the program to profile."""
    launcher = [sys.executable]
    if options.tool == "cprofile" and not options.startup:
        launcher += [str(BENCHMARKS / "profiled_launch.py"), output]
    if options.program == "app":
        argv = [*launcher, "-m", "tui_descent", *options.extra]
    else:
        argv = [*launcher, str(BENCHMARKS / "baseline_app.py"), *options.extra]
    return argv, str(BENCHMARKS.parent)


def py_spy() -> str:
    """Return the py-spy command beside this Python, or exit naming the fix."""
    beside = Path(sys.executable).parent / "py-spy"
    if beside.exists():
        return str(beside)
    sys.exit("py-spy is not installed; run pip install py-spy, or use --tool cprofile")


def py_spy_record(output: str) -> list[str]:
    """Return a py-spy record command line that writes raw samples to ``output``."""
    return [
        py_spy(),
        "record",
        "--rate",
        str(SAMPLE_RATE),
        "--format",
        "raw",
        "--output",
        output,
        "--nonblocking",
    ]


def record_startup(options: argparse.Namespace, output: str) -> float:
    """Start the program under py-spy; return the seconds to its settled screen."""
    argv, cwd = command(options, output)
    sampler = [*py_spy_record(output), "--"]
    app, first = start((sampler + argv, cwd), options.size)
    app.close()
    return first.latency


def record(options: argparse.Namespace, output: str) -> float:
    """Press the keys while the profiler runs; return the seconds they took."""
    if options.startup:
        return record_startup(options, output)
    app, _ = start(command(options, output), options.size)
    sampler = None
    try:
        if options.play:
            for _ in range(FASTER_PRESSES):
                app.press("+", timeout=1.0)
            app.press("p", quiet=0, timeout=0.5)
        else:
            app.press(options.keys[0])
        if options.tool == "cprofile":
            os.kill(app.pid, signal.SIGUSR1)
        else:
            sampler = subprocess.Popen(
                [*py_spy_record(output), "--pid", str(app.pid)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            app.read_for(1.0)  # py-spy needs a moment to attach.
        elapsed = _drive(app, options)
        if sampler is None:
            os.kill(app.pid, signal.SIGUSR2)
        else:
            sampler.send_signal(signal.SIGINT)
            sampler.wait(timeout=30)
        deadline = time.monotonic() + 10
        while not os.path.exists(output) and time.monotonic() < deadline:
            app.read_for(0.1)
    finally:
        app.close()
    return elapsed


def _drive(app: PtyApp, options: argparse.Namespace) -> float:
    """Press the keys, or let play run; return the seconds it took."""
    began = time.monotonic()
    if options.play:
        app.read_for(options.play)
    else:
        for key in options.keys:
            app.press(key)
    return time.monotonic() - began


def main(argv: list[str] | None = None) -> int:
    """Profile the keys and print the report."""
    options = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="descend-tui-profile-") as folder:
        output = os.path.join(folder, "steps.prof")
        elapsed = record(options, output)
        if not os.path.exists(output):
            print("no profile was written; did the program crash?", file=sys.stderr)
            return 1
        size = f"{options.size[0]}x{options.size[1]}"
        if options.startup:
            units, unit = 1, "start-up"
            print(
                f"{options.program} {' '.join(options.extra)} at {size}, "
                f"py-spy: start-up to the settled screen took {elapsed:.2f} s "
                "(slowed by sampling)"
            )
        elif options.play:
            units, unit = elapsed, "second of play"
            print(
                f"{options.program} {' '.join(options.extra)} at {size}, "
                f"{options.tool}: {elapsed:.1f} s of play at the fastest pace"
            )
        else:
            units, unit = len(options.keys), "key press"
            print(
                f"{options.program} {' '.join(options.extra)} at {size}, "
                f"{options.tool}: {units} key presses took {elapsed:.2f} s "
                "with the quiet gaps"
            )
        if options.tool == "cprofile":
            report_profile(output, units, unit, options.top)
        else:
            report_samples(output, units, unit, options.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
