"""Profile where a program spends its time per key press on a real pty.

Usage: python benchmarks/profile_step.py [--program app] [--size 80x24]
       [--keys nnnnnnnnnnnnnnnnnnnn] [--top 20] [-- EXTRA PROGRAM ARGS]

The program runs under benchmarks/profiled_launch.py. After start-up and one
warm-up step, cProfile runs in its main thread while the keys are pressed,
one at a time, each waiting for its frame. The report gives milliseconds per
key press: the time in each package (own time, waiting in select left out)
and the most expensive functions. Textual's writer thread, which only copies
finished frames to the terminal, is not profiled.
"""

from __future__ import annotations

import argparse
import os
import pstats
import signal
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scenarios import BENCHMARKS, start

WAITING = ("poll' of 'select.epoll", "select.select", "acquire' of '_thread.lock")
"""Built-ins in which the main thread waits for input rather than works."""

PACKAGES = (
    ("plotext", "plotext"),
    ("/rich/", "rich"),
    ("/textual/_compositor", "textual compositor"),
    ("/textual/", "textual (other)"),
    ("tui_descent", "descend-tui code"),
    ("/benchmarks/", "baseline code"),
    ("/numpy/", "numpy"),
    ("~", "built-ins"),
)
"""Substrings of a function's file name and the package it is counted under."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", choices=("app", "baseline"), default="app")
    parser.add_argument("--size", default="80x24", help="COLUMNSxROWS (default 80x24)")
    parser.add_argument("--keys", default="n" * 20, help="keys to press (default 20 n)")
    parser.add_argument("--top", type=int, default=20, help="functions listed")
    parser.add_argument("--save", metavar="PATH", help="keep the raw profile at PATH")
    parser.add_argument("extra", nargs="*", help="arguments passed to the program")
    options = parser.parse_args(argv)
    try:
        columns, rows = (int(part) for part in options.size.split("x"))
    except ValueError:
        parser.error(f"--size {options.size!r} must look like 80x24")
    options.size = (columns, rows)
    return options


def command(program: str, output: str, extra: list[str]) -> tuple[list[str], str]:
    """Return the argv and working directory that profile ``program``."""
    launcher = [sys.executable, str(BENCHMARKS / "profiled_launch.py"), output]
    if program == "app":
        argv = [*launcher, "-m", "tui_descent", *extra]
    else:
        argv = [*launcher, str(BENCHMARKS / "baseline_app.py"), *extra]
    return argv, str(BENCHMARKS.parent)


def record(options: argparse.Namespace, output: str) -> float:
    """Press the keys with the profiler on; return the seconds they took."""
    app, _ = start(command(options.program, output, options.extra), options.size)
    try:
        app.press(options.keys[0])
        os.kill(app.pid, signal.SIGUSR1)
        began = time.monotonic()
        for key in options.keys:
            app.press(key)
        elapsed = time.monotonic() - began
        os.kill(app.pid, signal.SIGUSR2)
        deadline = time.monotonic() + 10
        while not os.path.exists(output) and time.monotonic() < deadline:
            app.read_for(0.1)
    finally:
        app.close()
    return elapsed


def package_of(filename: str) -> str:
    """Return the package a profiled function's file belongs to."""
    for marker, name in PACKAGES:
        if marker in filename:
            return name
    return "other"


def describe(entry: tuple[str, int, str]) -> str:
    """Return "file:line(function)" with the file shortened to its package path."""
    filename, line, function = entry
    for root in ("site-packages/", "/work/main/"):
        if root in filename:
            filename = filename.split(root, 1)[1]
    return f"{filename}:{line}({function})"


def report(path: str, presses: int, top: int) -> None:
    """Print time per press by package and the costliest functions."""
    stats = pstats.Stats(path).stats  # type: ignore[attr-defined]
    per_package: dict[str, float] = {}
    working = 0.0
    for entry, (_, _, own, _, _) in stats.items():
        if any(marker in entry[2] for marker in WAITING):
            continue
        package = package_of(entry[0])
        per_package[package] = per_package.get(package, 0.0) + own
        working += own
    print(f"main thread busy {1000 * working / presses:.1f} ms per key press")
    print("\nown time per key press by package:")
    for package, seconds in sorted(per_package.items(), key=lambda item: -item[1]):
        share = 100 * seconds / working if working else 0
        print(f"  {1000 * seconds / presses:7.2f} ms  {share:4.0f}%  {package}")
    ranked = sorted(stats.items(), key=lambda item: -item[1][3])
    print(f"\ntop {top} functions by cumulative time per key press:")
    shown = 0
    for entry, (_, calls, _, total, _) in ranked:
        if entry[0] == "~" or any(marker in entry[2] for marker in WAITING):
            continue
        print(
            f"  {1000 * total / presses:7.2f} ms  "
            f"{calls / presses:8.1f} calls  {describe(entry)}"
        )
        shown += 1
        if shown == top:
            break


def main(argv: list[str] | None = None) -> int:
    """Profile the keys and print the report."""
    options = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="descend-tui-profile-") as folder:
        output = options.save or os.path.join(folder, "steps.prof")
        elapsed = record(options, output)
        if not os.path.exists(output):
            print("the program wrote no profile; did it crash?", file=sys.stderr)
            return 1
        presses = len(options.keys)
        size = f"{options.size[0]}x{options.size[1]}"
        print(
            f"{options.program} at {size}: {presses} key presses took "
            f"{elapsed:.2f} s including the quiet gap after each"
        )
        report(output, presses, options.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
