"""Choosing f(x) in the real app: presets, typed formulas, the command line."""

import pytest
from textual.widgets import Input, Select

from tui_descent.app import DescentApp
from tui_descent.cli import build_parser, function_from_args, settings_from_args
from tui_descent.presets import PRESETS
from tui_descent.run_settings import RunSettings
from tui_descent.widgets.function_panel import FunctionPanel
from tui_descent.widgets.settings_bar import SettingsBar
from tui_descent.widgets.status_line import StatusLine


async def wait_for_function(pilot, formula: str) -> None:
    """Wait until the app descends the function typed as ``formula``.

    The first parse imports sympy in a worker thread, which took over 5 s on
    a loaded 2-core machine, so the wait is up to 30 s.
    """
    for _ in range(600):
        await pilot.pause(0.05)
        if pilot.app.stepper.function.formula == formula:
            return
    raise AssertionError(f"the app never switched to {formula!r}")


async def test_typed_formula_descends_with_exact_slope():
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        field = app.query_one("#function-input", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"x^4", "enter")
        await wait_for_function(pilot, "x^4")
        assert "f'(x) = 4x³" in app.query_one(FunctionPanel).formulas
        await pilot.press("escape", "n")
        start = app.stepper.settings.start
        expected = start - 0.1 * 4 * start**3
        assert app.stepper.run.history.row(1)[0] == pytest.approx(expected)


async def test_bad_formula_keeps_previous_function():
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "n")
        field = app.query_one("#function-input", Input)
        field.focus()
        field.value = ""
        await pilot.press(*"os.system(1)", "enter")
        for _ in range(600):
            await pilot.pause(0.05)
            if "not allowed" in app.query_one(FunctionPanel).message:
                break
        assert "not allowed" in app.query_one(FunctionPanel).message
        assert app.stepper.function.formula == "x^2"
        assert app.stepper.current == 2


async def test_preset_pick_restarts_at_preset_start():
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        app.query_one("#function-preset", Select).value = "double-well"
        await pilot.pause()
        double_well = PRESETS["double-well"]
        assert app.stepper.function is double_well
        assert app.stepper.current == 0
        assert app.stepper.settings.start == double_well.default_start
        assert app.query_one("#start", Input).value == f"{double_well.default_start:g}"


async def test_palette_offers_presets():
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"quartic")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert app.stepper.function is PRESETS["quartic"]
        assert "step 0" in str(app.query_one(StatusLine).content)


@pytest.mark.parametrize("slug", list(PRESETS))
async def test_every_preset_runs_to_end(slug):
    app = DescentApp(function=PRESETS[slug])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert app.stepper.run.stopped
        assert app.query_one(StatusLine).state


def test_command_line_preset_and_start():
    args = build_parser().parse_args(["--preset", "double-well"])
    assert function_from_args(args) is PRESETS["double-well"]
    assert settings_from_args(args).start == PRESETS["double-well"].default_start
    args = build_parser().parse_args(["--function", "x^4 - 3x^2 + x", "--start", "2"])
    assert function_from_args(args).derivative_formula == "4x³ − 6x + 1"
    assert settings_from_args(args).start == 2.0


async def type_formula(app, pilot, formula: str) -> None:
    """Type ``formula`` into the f(x) field, press Enter and wait for it."""
    field = app.query_one("#function-input", Input)
    field.focus()
    field.value = ""
    await pilot.press(*formula, "enter")
    await wait_for_function(pilot, formula)
    await pilot.pause()


async def test_typed_formula_keeps_valid_x0():
    app = DescentApp(settings=RunSettings(3.0, 0.05, 50))
    async with app.run_test(size=(100, 30)) as pilot:
        await type_formula(app, pilot, "x^4")
        assert app.stepper.settings.start == 3.0
        assert app.stepper.settings.learning_rate == 0.05
        assert app.query_one("#start", Input).value == "3"
        assert "starts again from x0 = 3" in app.query_one(SettingsBar).message


async def test_formula_outside_domain_resets_x0():
    app = DescentApp(settings=RunSettings(0.0, 0.1, 50))
    async with app.run_test(size=(100, 30)) as pilot:
        await type_formula(app, pilot, "log(x)")
        start = app.stepper.settings.start
        assert start == app.stepper.function.default_start
        assert start > 0
        message = app.query_one(SettingsBar).message
        assert "not finite at x0 = 0" in message
        assert f"starts at x0 = {start:g}" in message
