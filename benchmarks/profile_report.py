"""Turn py-spy samples or a cProfile dump into time per key press by stage.

Used by benchmarks/profile_step.py, which records the profiles.
"""

from __future__ import annotations

import pstats
import re
from collections import Counter

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
