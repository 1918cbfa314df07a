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
import pstats
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.pty_harness import PtyApp
from benchmarks.scenarios import BENCHMARKS, FASTER_PRESSES, start, terminal_size

_LINE = re.compile(r":\d+\)$")

SAMPLE_RATE = 500
"""py-spy samples per second."""

WAITING = ("poll' of 'select.epoll", "select.select", "acquire' of '_thread.lock")
"""cProfile names of built-ins in which the main thread waits, not works."""

IDLE_FRAMES = ("EpollSelector.select", "SelectSelector.select")
"""py-spy names of the innermost frames of a thread waiting for input."""

PACKAGES = (
    ("plotext", "plotext"),
    ("rich/", "rich"),
    ("textual/_compositor", "textual compositor"),
    ("textual/", "textual (other)"),
    ("tui_descent", "descend-tui code"),
    ("benchmarks/", "baseline code"),
    ("numpy/", "numpy"),
    ("~", "built-ins"),
)
"""Substrings of a function's file name and the package it is counted under."""

STAGES = (
    (
        "key handling: the action updates the widgets",
        (
            "DescentApp.action_step",
            "DescentApp.action_back",
            "DescentApp._play_tick",
            "DescentApp.refresh_views",
            "BaselineApp.action_step",
            "BaselineApp.action_back",
        ),
    ),
    (
        "  chart.show: view maths, data to plotext",
        ("DescentChart.show", "DescentChart.show_runs"),
    ),
    ("  table.show", ("StepTable.show", "DataTable.add_row", "DataTable.move_cursor")),
    ("  describe the step for the status line", ("describe",)),
    ("layout reflow", ("Compositor.reflow",)),
    ("compositor: render the changed regions", ("Compositor.render_update",)),
    ("  chart render", ("DescentChart.render", "PlotextPlot.render")),
    ("    plotext build", ("_figure_class.build",)),
    ("    rich Text.from_ansi", ("Text.from_ansi",)),
    ("  Textual: renderables to strips", ("Visual.to_strips",)),
    ("  table render_line", ("StepTable.render_line", "DataTable.render_line")),
    (
        "frame to escape codes",
        ("ChopsUpdate.render_segments", "LayoutUpdate.render_segments"),
    ),
    ("imports (start-up only)", ("_find_and_load",)),
    (
        "CSS: parse and apply (start-up only)",
        (
            "Stylesheet.parse",
            "Stylesheet.apply",
            "Stylesheet.update_nodes",
            "Stylesheet.reparse",
        ),
    ),
)
"""Stages of a key press and the functions whose samples count for each. A
sample counts for a stage when any of its frames is one of the functions."""


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


def record_startup(options: argparse.Namespace, output: str) -> float:
    """Start the program under py-spy; return the seconds to its settled screen."""
    argv, cwd = command(options, output)
    sampler = [
        py_spy(),
        "record",
        "--rate",
        str(SAMPLE_RATE),
        "--format",
        "raw",
        "--output",
        output,
        "--nonblocking",
        "--",
    ]
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
                [
                    py_spy(),
                    "record",
                    "--pid",
                    str(app.pid),
                    "--rate",
                    str(SAMPLE_RATE),
                    "--format",
                    "raw",
                    "--output",
                    output,
                    "--nonblocking",
                ],
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


def package_of(filename: str) -> str:
    """Return the package a profiled function's file belongs to."""
    for marker, name in PACKAGES:
        if marker in filename:
            return name
    return "other"


def read_samples(path: str) -> Counter:
    """Return busy main-thread stacks (tuples of frames) and their sample counts."""
    stacks: Counter = Counter()
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            # py-spy names the line being run; drop it to merge a function's
            # samples from all its lines.
            frames = tuple(_LINE.sub(")", frame) for frame in stack.split(";"))
            if "_bootstrap" in frames[0] or frames[-1].startswith(IDLE_FRAMES):
                continue  # another thread, or the main thread waiting
            stacks[frames] += int(count)
    return stacks


def report_samples(path: str, units: float, unit: str, top: int) -> None:
    """Print each stage's share of busy samples and the busiest functions."""
    stacks = read_samples(path)
    busy = sum(stacks.values())
    if not busy:
        print("no busy samples; was py-spy allowed to attach?")
        return
    per_press = 1000 / SAMPLE_RATE / units
    print(
        f"main thread busy about {busy * per_press:.1f} ms per {unit} "
        f"({busy} samples at {SAMPLE_RATE} Hz; py-spy shares the CPUs)"
    )
    print("\nshare of busy time by stage (stages nest; indented ones are parts):")
    for label, names in STAGES:
        count = sum(n for frames, n in stacks.items() if _has_function(frames, names))
        print(f"  {100 * count / busy:5.1f}%  {count * per_press:6.1f} ms  {label}")
    own: Counter = Counter()
    inclusive: Counter = Counter()
    for frames, count in stacks.items():
        own[package_of(frames[-1])] += count
        for frame in set(frames):
            inclusive[frame] += count
    print("\nown time by package:")
    for package, count in own.most_common():
        print(f"  {100 * count / busy:5.1f}%  {package}")
    print(f"\ntop {top} functions by inclusive share (outer loop frames left out):")
    shown = [(f, n) for f, n in inclusive.most_common() if n < 0.9 * busy]
    for frame, count in shown[:top]:
        print(f"  {100 * count / busy:5.1f}%  {frame}")


def _has_function(frames: tuple[str, ...], names: tuple[str, ...]) -> bool:
    """Tell whether any frame is one of the functions ``names``."""
    return any(frame.split(" (", 1)[0] in names for frame in frames)


def report_profile(path: str, presses: float, unit: str, top: int) -> None:
    """Print cProfile's time per press by package and the costliest functions."""
    stats = pstats.Stats(path).stats  # type: ignore[attr-defined]
    per_package: Counter = Counter()
    for entry, (_, _, own, _, _) in stats.items():
        if not any(marker in entry[2] for marker in WAITING):
            per_package[package_of(entry[0])] += own
    working = sum(per_package.values())
    print(
        f"main thread busy {1000 * working / presses:.1f} ms per {unit} "
        "under cProfile (inflated by its overhead)"
    )
    for package, seconds in per_package.most_common():
        print(f"  {1000 * seconds / presses:7.2f} ms  {package}")
    ranked = sorted(stats.items(), key=lambda item: -item[1][3])
    ranked = [
        item
        for item in ranked
        if item[0][0] != "~" and not any(marker in item[0][2] for marker in WAITING)
    ]
    print(f"\ntop {top} functions by cumulative time per {unit}:")
    for (filename, line, function), (_, calls, _, total, _) in ranked[:top]:
        filename = filename.split("site-packages/")[-1]
        print(
            f"  {1000 * total / presses:7.2f} ms  {calls / presses:7.1f} calls  "
            f"{filename}:{line}({function})"
        )


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
