"""The chart widget in a real Textual app: sizes, guards, fixed view, decimation."""

import math

import pytest
from textual.app import App, ComposeResult

from tui_descent.engine import History, Run, RunSettings
from tui_descent.functions import QUADRATIC
from tui_descent.widgets.chart import TOO_SMALL, DescentChart


class ChartApp(App[None]):
    """An app holding only the chart, so its size is the terminal's."""

    def compose(self) -> ComposeResult:
        yield DescentChart()


def make_run(learning_rate=0.1, steps=5, max_steps=50):
    run = Run(settings=RunSettings(8.0, learning_rate, max_steps, 1e-6))
    run.advance(steps)
    return run


def show_run(chart, run, current=None):
    current = run.last_step if current is None else current
    chart.show(QUADRATIC, run.history, current, settings=run.settings)


def screen_lines(chart):
    return chart.render().plain.split("\n")


def count_changed_cells(before, after):
    changed = 0
    for old, new in zip(before, after, strict=True):
        changed += sum(a != b for a, b in zip(old.ljust(len(new)), new.ljust(len(old))))
    return changed


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_chart_draws_title_axes_and_legend(size):
    app = ChartApp()
    async with app.run_test(size=size) as pilot:
        chart = app.query_one(DescentChart)
        show_run(chart, make_run())
        await pilot.pause()
        lines = screen_lines(chart)
        text = "\n".join(lines)
        assert len(lines) == size[1]
        assert "f(x) = x²  ·  x0 = 8, η = 0.1" in lines[0]
        # plotext writes the y label and the x label on the bottom line.
        assert lines[-1].split() == ["f(x)", "x"]
        for label in ("f(x)", "path", "tangent", "current"):
            assert label in text
        assert "◆" in text
        assert chart.notice == ""


async def test_step_inside_view_changes_few_cells():
    app = ChartApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(DescentChart)
        run = make_run(steps=10)
        show_run(chart, run, current=3)
        await pilot.pause()
        view, before = chart.view, screen_lines(chart)
        show_run(chart, run, current=4)
        await pilot.pause()
        after = screen_lines(chart)
        assert chart.view is view
        # The step moves the current point, the tangent and the step arrow and
        # adds a dash: a few dozen of the 1,920 cells, never the whole chart.
        assert 0 < count_changed_cells(before, after) < 120


async def test_new_run_resets_view():
    app = ChartApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(DescentChart)
        show_run(chart, make_run(learning_rate=1.1, steps=30, max_steps=100))
        await pilot.pause()
        assert chart.view.x_max > 100
        show_run(chart, make_run(learning_rate=0.1))
        await pilot.pause()
        assert (chart.view.x_min, chart.view.x_max) == (-9.0, 9.0)


async def test_stepping_back_keeps_view():
    app = ChartApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(DescentChart)
        run = make_run(learning_rate=1.1, steps=30, max_steps=100)
        show_run(chart, run)
        await pilot.pause()
        view = chart.view
        show_run(chart, run, current=2)
        await pilot.pause()
        assert chart.view is view


@pytest.mark.parametrize("size", [(0, 0), (1, 1), (2, 2), (5, 3), (23, 30), (80, 7)])
async def test_tiny_sizes_show_notice(size):
    app = ChartApp()
    async with app.run_test(size=size) as pilot:
        chart = app.query_one(DescentChart)
        show_run(chart, make_run())
        await pilot.pause()
        assert chart.notice == TOO_SMALL
        lines = chart.render().plain.split("\n")
        assert len(lines) <= max(size[1], 1)
        assert all(len(line) <= size[0] for line in lines)
        assert chart.plotted_points == 0


async def test_divergence_to_end_sets_notice():
    app = ChartApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(DescentChart)
        run = make_run(learning_rate=1.1, steps=0, max_steps=100_000)
        run.run_to_end()
        for current in range(0, run.last_step + 1, 250):
            show_run(chart, run, current)
            await pilot.pause()
        show_run(chart, run)
        await pilot.pause()
        # The last x is past 1e150, so f(x) = x² is past 1e300.
        assert abs(run.history.x[-1]) > 1e150
        assert chart.notice == "not drawn: 1 point beyond ±1e300"
        lines = screen_lines(chart)
        assert len(lines) == 24
        assert lines[-1].rstrip() == "not drawn: 1 point beyond ±1e300"
        assert chart.view.y_max <= 1e300


async def test_hand_made_nan_inf_history_sets_notice():
    history = History()
    rows = [
        (8.0, 16.0, 64.0),
        (math.nan, math.nan, math.nan),
        (math.inf, math.inf, math.inf),
        (1e308, 2e308, 1e308),
        (-1e308, -math.inf, math.inf),
        (2.0, 4.0, 4.0),
    ]
    for row in rows:
        history.append(*row)
    app = ChartApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(DescentChart)
        for current in range(len(rows)):
            chart.show(QUADRATIC, history, current)
            await pilot.pause()
            assert chart.render().plain
        assert chart.notice == (
            "not drawn: 3 points with nan or inf, 1 point beyond ±1e300"
        )
        assert (chart.view.x_min, chart.view.x_max) == (-9.0, 9.0)


async def test_resize_during_run_keeps_drawing():
    app = ChartApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(DescentChart)
        run = make_run(learning_rate=1.1, steps=0, max_steps=300)
        sizes = [(40, 12), (3, 3), (120, 40), (1, 1), (24, 8), (80, 24)]
        for size in sizes:
            run.advance(10)
            show_run(chart, run)
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert chart.size == size
            lines = screen_lines(chart)
            assert len(lines) <= max(size[1], 1)
        assert chart.notice == ""
        assert "f(x) = x²" in screen_lines(chart)[0]


async def test_long_history_is_decimated():
    app = ChartApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(DescentChart)
        # η = 1 bounces between 8 and -8, so every segment spans the chart.
        run = make_run(learning_rate=1.0, steps=100_000, max_steps=100_000)
        assert len(run.history) == 100_001
        show_run(chart, run)
        await pilot.pause()
        # Rows are decimated to 2 per column and the repeated segments of
        # the bounce are drawn once, so the points drawn stay near the cells:
        # curve <= 200, a few dots per cell of two crossing segments, marks.
        assert 0 < chart.plotted_points <= 200 + 2 * 4 * 2 * 80 + 2 * 80 + 100
        assert "◆" in chart.render().plain


async def test_plotext_failure_shows_notice(monkeypatch):
    app = ChartApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(DescentChart)

        def fail():
            raise ZeroDivisionError("float division by zero")

        monkeypatch.setattr(chart.plt, "build", fail)
        show_run(chart, make_run())
        await pilot.pause()
        assert (
            chart.render().plain == "chart not drawn: plotext raised ZeroDivisionError"
        )
        assert chart.notice == "chart not drawn: plotext raised ZeroDivisionError"


async def test_empty_chart_renders_nothing():
    app = ChartApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(DescentChart)
        await pilot.pause()
        assert chart.render().plain == ""
        assert chart.notice == ""
        assert chart.view is None
        chart.show(QUADRATIC, History(), 0)
        await pilot.pause()
        assert "f(x) = x²" in screen_lines(chart)[0]
        assert chart.notice == ""


async def test_notice_follows_current_step():
    history = History()
    for row in [(8.0, 16.0, 64.0), (math.nan, math.nan, math.nan), (1.0, 2.0, 1.0)]:
        history.append(*row)
    app = ChartApp()
    async with app.run_test(size=(80, 24)) as pilot:
        chart = app.query_one(DescentChart)
        notices = []
        for current in (0, 1, 2, 0, 2):
            chart.show(QUADRATIC, history, current)
            await pilot.pause()
            notices.append(chart.notice)
        nan_notice = "not drawn: 1 point with nan or inf"
        assert notices == ["", nan_notice, nan_notice, "", nan_notice]
