"""Show where the bytes of each step go: which widgets, rows and escape codes.

Usage: python benchmarks/bytes_by_widget.py [--program app|baseline]
       [--size 80x24] [--keys nnnnnnnnnn] [-- EXTRA PROGRAM ARGS]

The program runs on a pty as in run.py. Each key's output is split at the
cursor moves that Textual writes before every changed stretch of a line
(``ESC[row;colH``), and each stretch is charged to the widget at that cell.
A copy of the program started headless with Textual's Pilot at the same size
shows which widget is where. With pyte installed (``pip install pyte``),
the output is also played on an emulated screen, to count the cells whose
character or colours really changed, which is the least a step must send.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scenarios import Programs, start, terminal_size

CURSOR_MOVE = re.compile(rb"\x1b\[(\d+);(\d+)H")
SGR = re.compile(rb"\x1b\[[0-9;]*m")
CONTAINERS = {
    "Screen",
    "Horizontal",
    "Vertical",
    "Container",
    "VerticalScroll",
    "HorizontalScroll",
    "Grid",
    "Center",
    "Middle",
    "ScrollableContainer",
}
"""Layout-only classes, skipped when naming the widget that owns a cell."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", choices=("app", "baseline"), default="app")
    parser.add_argument(
        "--size",
        type=terminal_size,
        default=(80, 24),
        help="COLUMNSxROWS (default 80x24)",
    )
    parser.add_argument("--keys", default="n" * 10, help="keys to press (default 10 n)")
    parser.add_argument("extra", nargs="*", help="arguments passed to the program")
    return parser.parse_args(argv)


def build_app(program: str, extra: list[str]):
    """Build the program's App object from its command line without running it."""
    if program == "baseline":
        from benchmarks.baseline_app import BaselineApp
        from benchmarks.baseline_app import parse_args as baseline_args

        return BaselineApp(baseline_args(extra))
    from tui_descent.app import DescentApp
    from tui_descent.cli import build_parser, function_from_args, settings_from_args

    # The same parser and builders as the command, without its terminal check.
    args = build_parser().parse_args(extra)
    return DescentApp(
        function=function_from_args(args),
        settings=settings_from_args(args),
        session=args.load,
    )


def widget_map(
    program: str, extra: list[str], size: tuple[int, int]
) -> list[list[str]]:
    """Return the name of the widget at each cell, row by row, via Pilot."""

    async def read_map() -> list[list[str]]:
        app = build_app(program, extra)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.pause()
            return [
                [_owner(app.screen.get_widget_at(x, y)[0]) for x in range(size[0])]
                for y in range(size[1])
            ]

    return asyncio.run(read_map())


def _owner(widget) -> str:
    """Name the outermost non-layout widget that contains ``widget``."""
    name = type(widget).__name__
    for node in widget.ancestors_with_self:
        kind = type(node).__name__
        if kind not in CONTAINERS and node is not widget.app:
            name = kind + (f"#{node.id}" if node.id else "")
    return name


def stretches(data: bytes) -> list[tuple[int, int, bytes]]:
    """Split output into (row, column, bytes) stretches, 0-based, at cursor moves."""
    found = []
    moves = list(CURSOR_MOVE.finditer(data))
    for move, following in zip(moves, moves[1:] + [None]):
        end = following.start() if following else len(data)
        row, column = int(move.group(1)) - 1, int(move.group(2)) - 1
        found.append((row, column, data[move.start() : end]))
    return found


def repeated_style_bytes(data: bytes) -> int:
    """Count bytes of "reset, then the same style again" pairs, which change nothing.

    A stretch of cells in one style is often written as several segments,
    each closed by ``ESC[0m`` and reopened with the full style.
    """
    wasted = 0
    previous = b""
    for match in re.finditer(rb"(\x1b\[0m)?(\x1b\[[0-9;]*m)", data):
        reset, style = match.group(1), match.group(2)
        if reset and style == previous and match.start() + len(reset) == match.start(2):
            wasted += len(reset) + len(style)
        if style != b"\x1b[0m":
            previous = style
    return wasted


def changed_cells(screen, before: list[list[tuple]]) -> list[tuple[int, int]]:
    """Return the cells of a pyte screen that differ from ``before``."""
    after = snapshot(screen)
    return [
        (y, x)
        for y, (old_row, new_row) in enumerate(zip(before, after))
        for x, (old, new) in enumerate(zip(old_row, new_row))
        if old != new
    ]


def snapshot(screen) -> list[list[tuple]]:
    """Return each cell's character and colours on a pyte screen."""
    return [
        [
            (cell.data, cell.fg, cell.bg, cell.bold, cell.reverse)
            for cell in (screen.buffer[y][x] for x in range(screen.columns))
        ]
        for y in range(screen.lines)
    ]


def emulator(size: tuple[int, int]):
    """Return a pyte screen and byte stream, or None when pyte is missing."""
    try:
        import pyte
    except ImportError:
        print(
            "pyte is not installed, so changed cells are not counted "
            "(pip install pyte)\n"
        )
        return None
    screen = pyte.Screen(*size)
    return screen, pyte.ByteStream(screen)


def measure(options: argparse.Namespace, owners: list[list[str]]) -> dict:
    """Press the keys on a pty and charge each key's bytes to widgets."""
    programs = Programs()
    command = (programs.app if options.program == "app" else programs.baseline)(
        *options.extra
    )
    app, first = start(command, options.size)
    terminal = emulator(options.size)
    totals = {
        "bytes": Counter(),
        "rows": Counter(),
        "cells": Counter(),
        "sgr": 0,
        "repeated": 0,
        "empty_moves": 0,
        "per_press": [],
    }
    try:
        if terminal:
            terminal[1].feed(first.data)
        for key in options.keys:
            before = snapshot(terminal[0]) if terminal else None
            data = app.press(key).data
            totals["per_press"].append(len(data))
            totals["sgr"] += sum(len(match) for match in SGR.findall(data))
            totals["repeated"] += repeated_style_bytes(data)
            for row, column, piece in stretches(data):
                if CURSOR_MOVE.sub(b"", piece) in (b"", b"\r\n"):
                    totals["empty_moves"] += 1
                    continue
                owner = owners[min(row, len(owners) - 1)][
                    min(column, options.size[0] - 1)
                ]
                totals["bytes"][owner] += len(piece)
                totals["rows"][owner] += 1
            if terminal:
                terminal[1].feed(data)
                for y, x in changed_cells(terminal[0], before):
                    totals["cells"][owners[y][x]] += 1
    finally:
        app.close()
    return totals


def main(argv: list[str] | None = None) -> int:
    """Measure and print bytes per key press by widget."""
    options = parse_args(argv)
    owners = widget_map(options.program, options.extra, options.size)
    totals = measure(options, owners)
    presses = len(options.keys)
    total = sum(totals["per_press"])
    size = f"{options.size[0]}x{options.size[1]}"
    print(
        f"{options.program} {' '.join(options.extra)} at {size}: keys {options.keys!r}"
    )
    print(
        f"bytes per press: median {statistics.median(totals['per_press']):,.0f}, "
        f"min {min(totals['per_press']):,}, max {max(totals['per_press']):,}"
    )
    print(
        f"colour and style codes (SGR): {100 * totals['sgr'] / total:.0f}% of the bytes, "
        f"of which a reset followed by the same style again: "
        f"{100 * totals['repeated'] / total:.0f}% of the bytes"
    )
    print(
        f"cursor moves followed by no text: {totals['empty_moves'] / presses:.1f} "
        "per press (left out of the table below)\n"
    )
    print(
        f"{'widget':<28}{'bytes/press':>12}{'share':>7}{'line stretches':>16}"
        f"{'cells changed':>15}"
    )
    for owner, count in totals["bytes"].most_common():
        print(
            f"{owner:<28}{count / presses:>12,.0f}{100 * count / total:>6.0f}%"
            f"{totals['rows'][owner] / presses:>16.1f}"
            f"{totals['cells'][owner] / presses:>15.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
