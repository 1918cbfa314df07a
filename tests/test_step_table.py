"""Pilot tests of the step table: numbers, following, layout and repaints.

Run this file as a script to print how long one step costs at 10 and at
100,000 rows; the tests themselves time nothing.
"""

from __future__ import annotations

import asyncio
import functools
import math
import time

import pytest
from textual import events
from textual.app import App, ComposeResult

from tui_descent.engine import History, Run, RunSettings
from tui_descent.numbers import format_number
from tui_descent.widgets.step_table import (
    StepTable,
    choose_layout,
    step_column_width,
)


def run_async(test):
    """Run an async test with asyncio.run, since no pytest async plugin is set up."""

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        asyncio.run(test(*args, **kwargs))

    return wrapper


class TableApp(App[None]):
    """A bare app with one step table and the keys the real app keeps."""

    BINDINGS = [("left", "record('left')"), ("n", "record('n')")]

    def __init__(self) -> None:
        super().__init__()
        self.recorded: list[str] = []

    def compose(self) -> ComposeResult:
        yield StepTable()

    def action_record(self, key: str) -> None:
        self.recorded.append(key)


def make_run(learning_rate=0.1, max_steps=50) -> Run:
    run = Run(settings=RunSettings(8.0, learning_rate, max_steps))
    run.run_to_end()
    return run


def cells(table: StepTable, y: int) -> list[str]:
    return table.render_line(y).text.split()


def screen_lines(app: App) -> list[str]:
    """Return the text the screen shows, as composed from the repaint caches.

    Unlike calling render_line, this shows a line that was never repainted
    with its old text, so it catches a missing refresh.
    """
    # NOTE: Compositor is private Textual API (checked against textual 8.2).
    return [strip.text for strip in app.screen._compositor.render_strips()]


def line_of_step(table: StepTable, step: int) -> int | None:
    for y in range(1, table.size.height):
        found = cells(table, y)
        if found and found[0] == str(step):
            return y
    return None


def count_render_calls(table: StepTable) -> list[int]:
    """Record the line number of every render_line call Textual makes."""
    calls: list[int] = []
    render_line = table.render_line

    def counting(y: int):
        calls.append(y)
        return render_line(y)

    table.render_line = counting
    return calls


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


@run_async
async def test_rows_show_known_numbers():
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(StepTable)
        table.show(make_run().history, 0)
        await settle(pilot)
        assert cells(table, 0) == ["step", "x", "f'(x)", "f(x)", "Δx"]
        # x_k = 8 * 0.8^k, f'(x) = 2x, f(x) = x², Δx = x_k - x_(k-1).
        assert cells(table, 1) == ["0", "8", "16", "64"]
        assert cells(table, 2) == ["1", "6.4", "12.8", "40.96", "-1.6"]
        assert cells(table, 3) == ["2", "5.12", "10.24", "26.2144", "-1.28"]
        assert cells(table, 4) == ["3", "4.096", "8.192", "16.777216", "-1.024"]
        assert screen_lines(app)[3].split() == cells(table, 3)


@run_async
async def test_columns_right_aligned():
    app = TableApp()
    async with app.run_test(size=(80, 12)) as pilot:
        table = app.query_one(StepTable)
        table.show(make_run().history, 0)
        await settle(pilot)
        header = table.render_line(0).text
        row = table.render_line(4).text
        for title, number in zip(["x", "f'(x)", "f(x)", "Δx"], cells(table, 4)[1:]):
            assert header.index(title) + len(title) == row.index(number) + len(number)


@run_async
async def test_current_row_followed_and_highlighted():
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(StepTable)
        table.show(make_run().history, 40)
        await settle(pilot)
        y = line_of_step(table, 40)
        assert y is not None
        current_style = table.get_component_rich_style("step-table--current")
        assert list(table.render_line(y))[0].style == current_style
        assert current_style.bgcolor != table.rich_style.bgcolor
        for other in range(1, 10):
            if other != y:
                assert list(table.render_line(other))[0].style != current_style


@run_async
async def test_stepping_forward_turns_the_page():
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(StepTable)
        history = make_run().history
        lines = []
        for step in range(20):
            table.show(history, step)
            await pilot.pause()
            lines.append(line_of_step(table, step))
        # 9 data rows fit under the header. Step 9 passes the bottom, so the
        # page turns and it lands on line 2, below step 8; so do steps 17.
        assert lines == [1, 2, 3, 4, 5, 6, 7, 8, 9] + [2, 3, 4, 5, 6, 7, 8, 9] + [2, 3, 4]
        assert screen_lines(app)[4].split()[0] == "19"


@run_async
async def test_stepping_back_scrolls_to_top_edge():
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(StepTable)
        history = make_run().history
        table.show(history, 30)
        await settle(pilot)
        top_step = int(cells(table, 1)[0])
        table.show(history, top_step - 1)
        await settle(pilot)
        assert line_of_step(table, top_step - 1) == 1


@run_async
async def test_dx_column_follows_width():
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(StepTable)
        table.show(make_run().history, 3)
        await settle(pilot)
        assert "Δx" in table.render_line(0).text
        assert len(cells(table, 3)) == 5

        await pilot.resize_terminal(45, 10)
        await settle(pilot)
        assert "Δx" not in table.render_line(0).text
        assert len(cells(table, 3)) == 4
        assert cells(table, 3)[:2] == ["2", "5.12"]
        assert "Δx" not in screen_lines(app)[0]


def test_layout_keeps_dx_until_six_digits():
    wide = choose_layout(200, 4)
    assert wide.show_dx
    assert wide.digits == 10
    assert choose_layout(wide.width, 4) == wide
    # A 6-digit number column is 12 wide, and each column after the step
    # column takes 2 more for the gap before it.
    six = choose_layout(4 + 4 * (12 + 2), 4)
    assert six.show_dx
    assert six.digits == 6
    narrow = choose_layout(six.width - 1, 4)
    assert not narrow.show_dx
    assert narrow.digits == 10
    tiniest = choose_layout(1, 6)
    assert not tiniest.show_dx
    assert tiniest.digits == 3


def test_step_column_fits_last_step():
    assert step_column_width(-1) == 4
    assert step_column_width(50) == 4
    assert step_column_width(99_999) == 5
    assert step_column_width(100_000) == 6


EDGE_ROWS = [
    (math.nan, math.inf, -math.inf),
    (1e308, 1e-320, -math.inf),
    (-1e308, 1e308, 1e-320),
    (math.inf, math.nan, 5e-324),
]


def edge_history() -> History:
    history = History()
    for row in EDGE_ROWS:
        history.append(*row)
    return history


@pytest.mark.parametrize("width", [80, 45, 12])
@run_async
async def test_edge_values_render_as_text(width):
    app = TableApp()
    async with app.run_test(size=(width, 8)) as pilot:
        table = app.query_one(StepTable)
        history = edge_history()
        for current in range(len(history)):
            table.show(history, current)
            await pilot.pause()
        lines = [table.render_line(y).text for y in range(8)]
        assert all(len(line) == table.scrollable_content_region.width for line in lines)
        if width == 80:
            assert cells(table, 1) == ["0", "nan", "inf", "-inf"]
            assert cells(table, 2)[:2] == ["1", "1e308"]
            assert float(cells(table, 2)[2]) == pytest.approx(1e-320, rel=1e-3)
            assert cells(table, 2)[3:] == ["-inf", "nan"]
            # Δx of step 2 is -1e308 - 1e308, which overflows to -inf.
            assert cells(table, 3) == ["2", "-1e308", "1e308", cells(table, 3)[3], "-inf"]
            assert cells(table, 4)[:3] == ["3", "inf", "nan"]
            assert cells(table, 4)[4] == "inf"


@run_async
async def test_long_history_shows_last_row():
    run = make_run(learning_rate=1.0, max_steps=100_000)
    assert len(run.history) == 100_001
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(StepTable)
        table.show(run.history, 100_000)
        await settle(pilot)
        # With lr = 1 the step x - 2x bounces between 8 and -8, and every
        # even step is back at 8.
        assert cells(table, 9) == ["100000", "8", "16", "64", "16"]
        assert cells(table, 8) == ["99999", "-8", "-16", "64", "-16"]
        assert screen_lines(app)[9].split() == cells(table, 9)


@run_async
async def test_next_step_repaints_two_lines():
    run = make_run(learning_rate=1.0, max_steps=100_000)
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(StepTable)
        table.show(run.history, 50_000)
        await settle(pilot)
        old_line = line_of_step(table, 50_000)
        calls = count_render_calls(table)
        table.show(run.history, 50_001)
        await settle(pilot)
        assert sorted(calls) == [old_line, old_line + 1]
        assert screen_lines(app)[old_line + 1].split()[0] == "50001"


@run_async
async def test_appended_row_repaints_two_lines():
    run = Run(settings=RunSettings(8.0, 0.1, 50))
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(StepTable)
        run.advance(4)
        table.show(run.history, 4)
        await settle(pilot)
        calls = count_render_calls(table)
        run.step()
        table.show(run.history, 5)
        await settle(pilot)
        # Row 4 loses the highlight and row 5 appears with it. The header and
        # rows 0 to 3 stay as they were.
        assert sorted(calls) == [5, 6]
        assert screen_lines(app)[6].split()[:2] == ["5", "2.62144"]


@run_async
async def test_rewritten_history_repaints():
    history = make_run(max_steps=10).history
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(StepTable)
        table.show(history, 5)
        await settle(pilot)
        history.truncate(3)
        for _ in range(8):
            history.append(1.5, 3.0, 2.25)
        table.show(history, 5)
        await settle(pilot)
        # Line 0 is the header, so row k is on line k + 1.
        assert screen_lines(app)[4].split()[:2] == ["3", "1.5"]
        assert screen_lines(app)[10].split()[:2] == ["9", "1.5"]


@run_async
async def test_new_history_replaces_old():
    app = TableApp()
    async with app.run_test(size=(80, 20)) as pilot:
        table = app.query_one(StepTable)
        table.show(make_run(max_steps=10).history, 5)
        await settle(pilot)
        table.show(make_run(learning_rate=0.5, max_steps=10).history, 5)
        await settle(pilot)
        assert table.current == 1
        assert screen_lines(app)[2].split() == ["1", "0", "0", "0", "-8"]
        assert screen_lines(app)[3].split() == []


@run_async
async def test_current_is_clamped():
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(StepTable)
        history = make_run(max_steps=10).history
        table.show(history, 10**9)
        assert table.current == 10
        table.show(history, -3)
        assert table.current == 0
        table.show(History(), 3)
        assert table.current == -1
        await settle(pilot)
        assert cells(table, 0)[0] == "step"
        assert cells(table, 1) == []


@run_async
async def test_show_before_mount():
    table = StepTable()
    table.show(make_run().history, 40)
    assert table.current == 40
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        await app.screen.mount(table)
        await settle(pilot)
        assert line_of_step(table, 40) is not None


def test_show_rejects_float_step():
    with pytest.raises(TypeError):
        StepTable().show(make_run().history, 2.5)


@pytest.mark.parametrize("size", [(1, 1), (0, 0), (1, 0), (3, 2)])
@run_async
async def test_tiny_sizes_do_not_crash(size):
    app = TableApp()
    async with app.run_test(size=size) as pilot:
        table = app.query_one(StepTable)
        for history, current in [
            (History(), 0),
            (make_run().history, 40),
            (edge_history(), -1),
            (edge_history(), 99),
        ]:
            table.show(history, current)
            await pilot.pause()
            for y in range(3):
                assert table.render_line(y).cell_length >= 0


@run_async
async def test_keys_scroll_and_leave_app_keys():
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(StepTable)
        table.show(make_run().history, 0)
        table.focus()
        await settle(pilot)
        await pilot.press("pagedown")
        assert table.scroll_offset.y == 9
        await pilot.press("down")
        assert table.scroll_offset.y == 10
        await pilot.press("up", "pageup")
        assert table.scroll_offset.y == 0
        await pilot.press("end")
        assert cells(table, 9)[0] == "50"
        await pilot.press("home")
        assert cells(table, 1)[0] == "0"
        await pilot.press("left", "n")
        assert app.recorded == ["left", "n"]


@run_async
async def test_mouse_wheel_scrolls():
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(StepTable)
        table.show(make_run().history, 0)
        await settle(pilot)
        table.post_message(
            events.MouseScrollDown(table, 5, 5, 0, 1, 0, False, False, False)
        )
        await settle(pilot)
        assert table.scroll_offset.y > 0


async def _measure_step_cost(rows: int, append: bool, repeats: int = 300):
    """Return mean seconds per step inside `show` and per whole frame.

    With ``append`` every step adds a row and the current row follows it to
    the bottom edge, so the view scrolls. Without it the current row moves
    between two rows in view, so only two lines repaint.
    """
    run = Run(settings=RunSettings(8.0, 1.0, rows + repeats))
    run.advance(rows - 1)
    app = TableApp()
    async with app.run_test(size=(80, 30)) as pilot:
        table = app.query_one(StepTable)
        table.show(run.history, run.last_step)
        await settle(pilot)
        in_show = 0.0
        started = time.perf_counter()
        for offset in range(repeats):
            if append:
                run.step()
                current = run.last_step
            else:
                current = rows - 1 - offset % 2
            before = time.perf_counter()
            table.show(run.history, current)
            in_show += time.perf_counter() - before
            await pilot.pause()
        frame = (time.perf_counter() - started) / repeats
        return in_show / repeats, frame


if __name__ == "__main__":
    for append in (False, True):
        for rows in (10, 100_001):
            show, frame = asyncio.run(_measure_step_cost(rows, append))
            kind = "append and follow" if append else "move in view"
            print(
                f"{kind:>17}, {rows:>7} rows: show {show * 1e3:.3f} ms, "
                f"show and repaint {frame * 1e3:.3f} ms"
            )


@run_async
async def test_last_row_turns_the_page():
    run = Run(settings=RunSettings(8.0, 0.1, 50, 1e-6))
    app = TableApp()
    async with app.run_test(size=(80, 10)) as pilot:
        table = app.query_one(StepTable)
        lines = []
        for step in range(12):
            if step:
                run.advance(1)
            table.show(run.history, run.last_step)
            await pilot.pause()
            lines.append(line_of_step(table, step))
        # The current row is always the last one computed, yet step 9 still
        # turns the page onto the blank lines below it and lands on line 2.
        assert lines == [1, 2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4]
        assert screen_lines(app)[4].split()[0] == "11"
        assert screen_lines(app)[5].split() == []
