"""Summary lines of side-by-side runs at every width.

A narrow line gives up the run's settings, then its behaviour, then the step
count, then digits, but keeps the colour dot, the ▸ marker and uncut values
of x and f(x).
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from rich.cells import cell_len
from rich.console import Console
from test_optimizer_panel import pick, retype

from tui_descent.app import DescentApp
from tui_descent.comparison import SummaryRow
from tui_descent.engine import RunSettings, StopReason
from tui_descent.numbers import format_number
from tui_descent.optimizers import OPTIMIZERS, Adam, Momentum
from tui_descent.schedules import SCHEDULES, Cosine
from tui_descent.widgets.chart import PATH_RICH_COLORS
from tui_descent.widgets.run_summary import (
    RunSummary,
    number_text,
    shorten_label,
    summary_table,
)

TRIAL_LABEL = "3 Adam ε=1.23457e-10 η=0.2 cosine floor=0.0999"
"""The label of the third run that a learner built at 80x24."""

ROWS = [
    SummaryRow(
        0, "1 GD η=0.1", 10, 0.858993459, 0.737869763, StopReason.RUNNING, "converging"
    ),
    SummaryRow(
        1,
        "2 momentum β=0.5",
        50_000,
        -1.5e-300,
        float("nan"),
        StopReason.MAX_STEPS,
        "stuck in a local minimum",
    ),
    SummaryRow(
        2, TRIAL_LABEL, 10, 6.04681234, 36.5640123, StopReason.RUNNING, "converging"
    ),
]
"""Hand-made rows with long labels, a long behaviour, tiny x and a nan."""

NUMBER = re.compile(r"(x|f\(x\)) ([=≈]) (\S+)")


def rendered_lines(app) -> list[str]:
    """Return the summary's lines as the screen draws them."""
    summary = app.query_one(RunSummary)
    return [summary.render_line(y).text for y in range(summary.size.height)]


def printed_lines(rows, selected: int, width: int) -> list[str]:
    """Print the summary to a console ``width`` columns wide."""
    console = Console(file=StringIO(), width=width, color_system=None)
    console.print(summary_table(rows, selected))
    return console.file.getvalue().splitlines()


def number_problems(line: str, row: SummaryRow) -> list[str]:
    """List each x or f(x) in ``line`` that is not ``row``'s value rounded.

    ``=`` must show the 5 digits of the full line, and ``≈`` a rounding to
    fewer digits, never digits cut off.
    """
    problems = []
    for name, sign, displayed in NUMBER.findall(line):
        value = row.x if name == "x" else row.value
        full = format_number(value, 5)
        rounded = {format_number(value, digits) for digits in range(2, 5)}
        if sign == "=" and displayed != full:
            problems.append(f"{name} = {displayed}, expected {full}")
        if sign == "≈" and displayed not in rounded - {full}:
            problems.append(f"{name} ≈ {displayed}, expected one of {sorted(rounded)}")
    return problems


async def build_trial_runs(pilot) -> None:
    """Add two runs and give the third Adam, ε = 1.234567e-10, η = 0.2 and a
    cosine floor of 0.0999 with keys, then take ten steps."""
    await pilot.press("a", "a", "right_square_bracket", "m")
    await pick(pilot, "optimizer-kind", "adam", list(OPTIMIZERS))
    await retype(pilot, "adam-epsilon", "1.234567e-10")
    await pilot.press("m")
    await pick(pilot, "schedule-kind", "cosine", list(SCHEDULES))
    await retype(pilot, "cosine-floor", "0.0999")
    await pilot.press(*["n"] * 10)
    await pilot.pause()


def assert_marks_first(app, lines: list[str]) -> None:
    """Check each line opens with the marker and the run's coloured dot."""
    summary = app.query_one(RunSummary)
    for index, line in enumerate(lines):
        marker = "▸" if index == app.stepper.selected else " "
        assert line.startswith(marker + "●"), line
        first = next(iter(summary.render_line(index)))
        assert first.text == marker + "●"
        assert first.style.color.name == PATH_RICH_COLORS[index]


async def test_trial_line_at_80_columns():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await build_trial_runs(pilot)
        assert app.stepper.label(2) == TRIAL_LABEL
        lines = rendered_lines(app)
        assert len(lines) == 3
        assert_marks_first(app, lines)
        rows = app.stepper.summary()
        for line, row in zip(lines, rows, strict=True):
            assert number_problems(line, row) == []
            assert cell_len(line) <= 78
        # The trial's f(x) of 36.564 had been drawn as "36.56".
        assert "x = 6.0468  f(x) = 36.564" in lines[2]
        assert lines[2].startswith("▸● 3 Adam ε=1.23457e-10 η=0.2 … 10 steps")
        assert lines[2].rstrip().endswith("converging")


async def test_long_labels_at_120_columns():
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a", "a", "a")
        stepper = app.stepper
        stepper.select(1)
        stepper.apply(RunSettings(-3.25, 0.5, 50, 1e-6, Momentum(beta=0.123456)))
        stepper.select(3)
        adam = Adam(beta1=0.123456, beta2=0.99999, epsilon=1.234567e-10)
        stepper.apply(RunSettings(8.0, 0.2, 50, 1e-6, adam, Cosine(floor=0.0999)))
        stepper.forward(50)
        app.refresh_views()
        await pilot.pause()
        lines = rendered_lines(app)
        assert len(lines) == 4
        assert_marks_first(app, lines)
        for line, row in zip(lines, stepper.summary(), strict=True):
            assert number_problems(line, row) == []
            assert cell_len(line) <= 118
            # Every value shows in full, since only the labels are shortened.
            assert f"x = {format_number(row.x, 5)}" in line
            assert f"f(x) = {format_number(row.value, 5)}" in line
            assert row.state in line
        assert "4 Adam β₁=0.123456 β₂=0.99999 ε=1.23457e-10 η=0.2 cosine …" in lines[3]


async def test_wide_layout_keeps_whole_lines():
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await build_trial_runs(pilot)
        lines = rendered_lines(app)
        full_lines = app.query_one(RunSummary).lines
        for line, full in zip(lines, full_lines, strict=True):
            # The same words after the marker, only spaced into columns.
            assert line.split()[1:] == full[2:].split()
            assert "…" not in line


async def test_resize_refits_lines():
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await build_trial_runs(pilot)
        assert TRIAL_LABEL in rendered_lines(app)[2]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        lines = rendered_lines(app)
        assert TRIAL_LABEL not in lines[2]
        assert_marks_first(app, lines)


@pytest.mark.parametrize("width", range(8, 131))
def test_every_width_keeps_marks_and_numbers(width):
    lines = printed_lines(ROWS, 2, width)
    assert len(lines) == 3
    for line, row in zip(lines, ROWS, strict=True):
        assert cell_len(line) <= width
        assert line.startswith("▸●" if row.index == 2 else " ●")
        assert number_problems(line, row) == []
        if row.state not in line:
            assert line.rstrip().endswith("…"), line


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        # Only the labels are shortened, whole words at a time.
        (80, "▸● 3 Adam …         10 steps x = 6.0468    f(x) = 36.564  converging"),
        # The step count goes before any digit.
        (60, "▸● 3 Adam …     x = 6.0468    f(x) = 36.564  converging"),
        # Rounded, and shown with ≈ so that no one reads 36.56 as exact.
        (50, "▸● 3 Adam …     x ≈ 6.047     f(x) ≈ 36.56  conve…"),
        # f(x) goes whole, never cut to a few digits.
        (30, "▸● 3 … x ≈ 6         …"),
        (4, "▸● …"),
        (3, "▸●"),
    ],
)
def test_narrow_line_reads(width, expected):
    assert printed_lines(ROWS, 2, width)[2].rstrip() == expected


def test_no_rows_print_blank_line():
    assert printed_lines([], 0, 80) == [""]


def test_fitting_lines_match_full_text():
    lines = printed_lines(ROWS, 2, 130)
    assert lines[1].split() == [
        "●",
        *ROWS[1].label.split(),
        "50,000",
        "steps",
        "x",
        "=",
        "-1.5e-300",
        "f(x)",
        "=",
        "nan",
        *ROWS[1].state.split(),
    ]


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (100, TRIAL_LABEL),
        (46, TRIAL_LABEL),
        (45, "3 Adam ε=1.23457e-10 η=0.2 cosine …"),
        (28, "3 Adam ε=1.23457e-10 η=0.2 …"),
        (27, "3 Adam ε=1.23457e-10 …"),
        (0, "3 Adam …"),
    ],
)
def test_shorten_label_drops_whole_words(width, expected):
    assert shorten_label(TRIAL_LABEL, width) == expected


def test_shorten_label_keeps_short_labels():
    assert shorten_label("2 GD", 0) == "2 GD"
    assert shorten_label("2 GD η=0.5", 0, keep=1) == "2 …"


@pytest.mark.parametrize(
    ("value", "digits", "expected"),
    [
        (36.5640123, 5, "f(x) = 36.564"),
        (36.5640123, 4, "f(x) ≈ 36.56"),
        (36.5640123, 2, "f(x) ≈ 37"),
        # Rounding that changes nothing keeps the = sign.
        (8.0, 2, "f(x) = 8"),
        (float("nan"), 2, "f(x) = nan"),
        (float("-inf"), 2, "f(x) = -inf"),
    ],
)
def test_number_text_rounds_with_sign(value, digits, expected):
    assert number_text("f(x)", value, digits) == expected
