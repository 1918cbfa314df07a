"""The report that batch mode prints: settings, step table, stop reason, chart.

Everything goes through a rich Console, which leaves out colour and cursor
codes when stdout is not a terminal or NO_COLOR is set.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .batch_chart import ChartSkipped, chart_text
from .behaviour import LOOSE_TOLERANCE, describe
from .engine import Run
from .numbers import format_number

HEAD_ROWS = 10
"""Rows printed from the start of a long run before the skipped ones."""
TAIL_ROWS = 10
"""Rows printed from the end of a long run after the skipped ones."""
RICH_TABLE_ROWS = 2_000
"""Most rows laid out as a rich Table. rich 15 takes about a millisecond a
row to measure and render a table, so longer tables (--all on a long run)
are streamed as text lines in the same layout instead."""
NUMBER_WIDTH = 12
"""Width of a number column in streamed lines: the longest text that
format_number returns with its default 6 digits, such as -0.000123457."""
_STREAM_CHUNK = 10_000


def print_report(console: Console, run: Run, *, show_all: bool, chart: bool) -> None:
    """Print the function, settings, step table, stop reason and chart of ``run``."""
    function = run.function
    console.print(f"f(x) = {function.formula}    f'(x) = {function.derivative_formula}")
    console.print(describe_settings(run.settings), style="dim")
    if show_all and len(run.history) > RICH_TABLE_ROWS:
        stream_table(console, run)
    else:
        console.print(build_table(run, show_all=show_all))
    skipped = skipped_rows(len(run.history), show_all)
    if skipped:
        first, last = skipped
        console.print(
            f"{last - first + 1:,} rows skipped (steps {first:,} to {last:,}); "
            "--all prints every row",
            style="dim",
        )
    description = describe(run, run.last_step)
    # A loose tolerance stops the engine as converged, but f still slopes
    # there, so the headline names the real cause.
    reason = run.stop_reason.value
    if description.state == LOOSE_TOLERANCE:
        reason = description.state
    console.print(f"Stopped at step {run.last_step:,}: {reason}.", style="bold")
    console.print(description.explanation)
    if chart:
        console.print()
        print_chart(console, run)


def print_chart(console: Console, run: Run) -> None:
    """Print the chart of ``run`` at the console's width, or a note on why not."""
    colour = console.color_system is not None and not console.no_color
    height = max(10, min(24, console.height - 8))
    try:
        text = chart_text(run, console.width, height, colour=colour)
    except ChartSkipped as skipped:
        console.print(f"(chart skipped: {skipped})", style="dim")
        return
    console.print(
        Text.from_ansi(text) if colour else Text(text), no_wrap=True, crop=True
    )


def skipped_rows(
    rows: int, show_all: bool, head: int = HEAD_ROWS, tail: int = TAIL_ROWS
) -> tuple[int, int] | None:
    """Return the first and last step the table leaves out, or None for none.

    A run of head + tail + 1 rows or fewer is shown whole, because a row of
    dots in place of one row saves nothing.
    """
    if show_all or rows <= head + tail + 1:
        return None
    return head, rows - tail - 1


def build_table(run: Run, *, show_all: bool = False) -> Table:
    """Build the table of steps: all of them, or the head and tail of a long run.

    The skipped rows (see ``skipped_rows``) are replaced by one row of dots.
    """
    table = Table(show_edge=False, pad_edge=False)
    for name in ("step", "x", "f'(x)", "f(x)"):
        table.add_column(name, justify="right")
    rows = len(run.history)
    skipped = skipped_rows(rows, show_all)
    if skipped is None:
        parts = [range(rows)]
    else:
        parts = [range(skipped[0]), range(skipped[1] + 1, rows)]
    for index, steps in enumerate(parts):
        if index:
            table.add_row("⋮", "⋮", "⋮", "⋮", style="dim")
        for step in steps:
            x, slope, value = run.history.row(step)
            table.add_row(
                f"{step:,}",
                format_number(x),
                format_number(slope),
                format_number(value),
            )
    return table


def stream_table(console: Console, run: Run) -> None:
    """Print every step of ``run`` as table lines, written in large chunks.

    The layout matches build_table's with fixed column widths, so the cost
    per row is one string format, whatever the run's length.
    """
    rows = len(run.history)
    widths = (max(4, len(f"{rows - 1:,}")), NUMBER_WIDTH, NUMBER_WIDTH, NUMBER_WIDTH)
    names = ("step", "x", "f'(x)", "f(x)")
    console.print(
        " ┃ ".join(name.rjust(width) for name, width in zip(names, widths)),
        style="bold",
        soft_wrap=True,
    )
    console.print("━╇━".join("━" * width for width in widths), soft_wrap=True)
    columns = (run.history.x, run.history.slope, run.history.value)
    for first in range(0, rows, _STREAM_CHUNK):
        lines = []
        for step in range(first, min(first + _STREAM_CHUNK, rows)):
            cells = [f"{step:,}".rjust(widths[0])]
            cells += [
                format_number(float(column[step])).rjust(NUMBER_WIDTH)
                for column in columns
            ]
            lines.append(" │ ".join(cells))
        # Rows are plain text, so they bypass rich's per-line rendering.
        console.file.write("\n".join(lines) + "\n")
    console.file.flush()


def describe_settings(settings) -> str:
    """Describe every field of the settings in one line, such as ``start 8, ...``."""
    parts = []
    for item in fields(settings):
        parts.append(
            f"{item.name.replace('_', ' ')} {_describe_value(getattr(settings, item.name))}"
        )
    return ", ".join(parts)


def _describe_value(value) -> str:
    if isinstance(value, float):
        return format_number(value)
    if is_dataclass(value) and not isinstance(value, type):
        name = getattr(value, "name", type(value).__name__)
        inner = ", ".join(
            f"{item.name} {_describe_value(getattr(value, item.name))}"
            for item in fields(value)
        )
        return f"{name} ({inner})" if inner else str(name)
    return str(value)
