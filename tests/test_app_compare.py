"""Side-by-side runs in the real app, driven by key presses."""

from io import StringIO

import pytest
from rich.console import Console
from textual.widgets import Input

from tui_descent.app import DescentApp
from tui_descent.comparison import Comparison
from tui_descent.engine import RunSettings, StopReason
from tui_descent.optimizers import Adam, GradientDescent, Momentum
from tui_descent.presets import PRESETS
from tui_descent.widgets.chart import PATH_COLORS, DescentChart
from tui_descent.widgets.run_summary import RunSummary, summary_table
from tui_descent.widgets.settings_bar import SettingsBar
from tui_descent.widgets.status_line import StatusLine
from tui_descent.widgets.step_table import StepTable

from test_optimizer_panel import choose_in_app, retype


def table_rows(app) -> list[list[str]]:
    table = app.query_one(StepTable)
    lines = [table.render_line(y).text for y in range(table.size.height)]
    return [line.split() for line in lines[1:] if line.strip()]


def summary_lines(app) -> list[str]:
    return app.query_one(RunSummary).lines


def run_reasons(app) -> list[StopReason]:
    return [run.stop_reason for run in app.stepper.runs]


async def add_run_with_rate(pilot, rate: str) -> None:
    """Press a, then type η for the new run and press Enter."""
    await pilot.press("a")
    await retype(pilot, "learning-rate", rate)
    await pilot.press("escape")


async def test_add_key_copies_up_to_four():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "a", "a")
        assert len(app.stepper.runs) == 4
        assert app.stepper.selected == 3
        assert app.query_one(RunSummary).display
        await pilot.press("a")
        assert len(app.stepper.runs) == 4
        message = app.query_one(SettingsBar).message
        assert "4 runs is the limit; press x to remove the selected run" in message


async def test_single_run_hides_summary():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        assert not app.query_one(RunSummary).display
        assert len(app.query_one(DescentChart).paths) == 1


async def test_step_keys_move_every_run():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await add_run_with_rate(pilot, "0.25")
        await pilot.press("n", "n", "n", "b")
        assert app.stepper.step == 2
        # x_k = 8 (1 - 2η)^k: 8 * 0.8^2 and 8 * 0.5^2.
        xs = [run.history.row(2)[0] for run in app.stepper.runs]
        assert xs == [pytest.approx(5.12), pytest.approx(2.0)]
        await pilot.press("r")
        assert app.stepper.step == 0


async def test_chart_draws_one_path_per_run():
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await add_run_with_rate(pilot, "0.5")
        await add_run_with_rate(pilot, "0.9")
        await pilot.press("n", "n")
        chart = app.query_one(DescentChart)
        paths = chart.paths
        assert [path.label for path in paths] == ["1 GD η=0.1", "2 GD η=0.5", "3 GD η=0.9"]
        assert [path.color for path in paths] == list(PATH_COLORS[:3])
        assert [path.history for path in paths] == [run.history for run in app.stepper.runs]
        # η = 0.5 converged at step 1, so it stays there while k = 2.
        assert [path.current for path in paths] == [2, 1, 2]


async def test_tangent_follows_selected_run():
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await add_run_with_rate(pilot, "0.25")
        await pilot.press("n")
        chart = app.query_one(DescentChart)
        # Run 2 (η = 0.25) is selected: x_1 = 4, f = 16, f'(x) = 8.
        assert chart.tangent_at == (4.0, 16.0, 8.0)
        await pilot.press("1")
        # Run 1 (η = 0.1): x_1 = 6.4, f'(x) = 12.8.
        assert chart.tangent_at[0] == pytest.approx(6.4)
        assert chart.tangent_at[2] == pytest.approx(12.8)


async def test_next_step_drawn_for_each_run():
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await add_run_with_rate(pilot, "0.25")
        await pilot.press("n", "n", "b")
        steps = app.query_one(DescentChart).drawn_steps
        # At k = 1 both runs have row 2 computed, so both arrows show:
        # 6.4 -> 5.12 for η = 0.1 and 4 -> 2 for η = 0.25.
        assert [label for label, _, _ in steps] == ["1 GD η=0.1", "2 GD η=0.25"]
        assert steps[0][1:] == (pytest.approx(6.4), pytest.approx(5.12))
        assert steps[1][1:] == (4.0, 2.0)


async def test_table_shows_selected_run():
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await add_run_with_rate(pilot, "0.25")
        await pilot.press("n", "n", "n")
        assert table_rows(app)[-1][:2] == ["3", "1"]
        await pilot.press("1")
        last = table_rows(app)[-1]
        assert last[0] == "3"
        assert float(last[1]) == pytest.approx(8 * 0.8**3)
        assert "step 3 of 50" in str(app.query_one(StatusLine).content)


async def test_select_keys_update_fields():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await add_run_with_rate(pilot, "0.7")
        await pilot.press("1")
        assert app.query_one("#learning-rate", Input).value == "0.1"
        await pilot.press("2")
        assert app.query_one("#learning-rate", Input).value == "0.7"
        await pilot.press("s")
        assert app.stepper.selected == 0
        await pilot.press("3")
        assert app.stepper.selected == 0
        message = app.query_one(SettingsBar).message
        assert "there is no run 3, only 2; press a to add one" in message


async def test_x_removes_selected_never_last():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("x")
        assert len(app.stepper.runs) == 1
        assert "the only run cannot be removed" in app.query_one(SettingsBar).message
        await add_run_with_rate(pilot, "0.3")
        await pilot.press("x")
        assert len(app.stepper.runs) == 1
        assert app.stepper.settings.learning_rate == 0.1
        assert app.query_one("#learning-rate", Input).value == "0.1"
        assert not app.query_one(RunSummary).display


async def test_rate_keys_change_selected_run_only():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "right_square_bracket")
        rates = [run.settings.learning_rate for run in app.stepper.runs]
        assert rates == [0.1, pytest.approx(0.2)]


async def test_summary_names_each_stop_reason():
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await add_run_with_rate(pilot, "0.5")
        await add_run_with_rate(pilot, "1")
        await pilot.press("g")
        await pilot.pause()
        lines = summary_lines(app)
        assert len(lines) == 3
        assert lines[0].startswith("  1 GD η=0.1  50 steps")
        assert lines[0].endswith("reached max steps")
        assert lines[1].startswith("  2 GD η=0.5  1 step  x = 0")
        assert lines[1].endswith("converged")
        # η = 1 bounces between 8 and -8; after 50 steps x is back at 8.
        assert lines[2].startswith("▸ 3 GD η=1  50 steps  x = 8")
        assert lines[2].endswith("reached max steps")
        reasons = [run.stop_reason for run in app.stepper.runs]
        assert reasons == [StopReason.MAX_STEPS, StopReason.CONVERGED, StopReason.MAX_STEPS]


async def test_run_to_end_finishes_long_runs_in_chunks():
    # 50,000 steps each are three chunks of 20,000 for the app's worker.
    settings = RunSettings(8.0, 1e-6, 50_000, 1e-6)
    app = DescentApp(settings=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        await retype(pilot, "max-steps", "30000")
        await pilot.press("escape", "g")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.stepper.step == 50_000
        assert [run.last_step for run in app.stepper.runs] == [50_000, 30_000]
        assert app.stepper.current == 30_000
        assert app.stepper.at_end


async def test_new_function_applies_to_every_run():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await add_run_with_rate(pilot, "0.3")
        app.choose_function(PRESETS["double-well"])
        await pilot.pause()
        runs = app.stepper.runs
        assert [run.function for run in runs] == [PRESETS["double-well"]] * 2
        assert [run.settings.start for run in runs] == [1.6, 1.6]
        assert [run.settings.learning_rate for run in runs] == [0.1, 0.3]


async def test_double_well_gd_momentum_adam():
    app = DescentApp(PRESETS["double-well"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("a")
        await choose_in_app(pilot, "momentum")
        await pilot.press("a")
        await choose_in_app(pilot, "adam")
        optimizers = [run.settings.optimizer for run in app.stepper.runs]
        assert optimizers == [GradientDescent(), Momentum(), Adam()]
        await pilot.press("n", "n", "n")
        assert [app.stepper.step_of(i) for i in range(3)] == [3, 3, 3]
        await pilot.press("g")
        await pilot.pause()
        lines = summary_lines(app)
        # Plain descent from 1.6 settles in the right-hand, higher well.
        assert lines[0].startswith("  1 GD  8 steps  x = 1.1309")
        assert lines[0].endswith("stuck in a local minimum")
        assert run_reasons(app)[0] is StopReason.CONVERGED
        await pilot.press("1")
        status = str(app.query_one(StatusLine).content)
        assert "lower near x = -1.3 (f ≈ -3.51)" in status


def test_summary_fits_78_columns():
    comparison = Comparison(PRESETS["double-well"], RunSettings(1.6, 0.1, 50, 1e-6))
    for optimizer in (Momentum(), Adam(), GradientDescent()):
        comparison.add()
        comparison.apply(RunSettings(1.6, 0.1, 50, 1e-6, optimizer))
    comparison.to_end()
    console = Console(file=StringIO(), width=78, color_system=None)
    console.print(summary_table(comparison.summary(), 1))
    lines = console.file.getvalue().splitlines()
    # 78 columns is what an 80-column terminal leaves inside the padding.
    assert len(lines) == 4
    assert "…" not in console.file.getvalue()
    assert lines[0].rstrip().endswith("stuck in a local minimum")
    assert lines[1].startswith("▸● 2 momentum")
    assert lines[1].rstrip().endswith("reached max steps")


@pytest.mark.parametrize("size", [(29, 10), (20, 5), (80, 9)])
async def test_too_small_terminal_hides_the_summary_too(size):
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a", "a")
        assert app.query_one(RunSummary).display
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert app.query_one("#too-small").display
        assert not app.query_one(RunSummary).display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.query_one(RunSummary).display
