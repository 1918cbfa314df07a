"""The real app driven by key presses through Textual's Pilot."""

import pytest
from textual.widgets import Input

from app_checks import post_key
from tui_descent.app import DescentApp
from tui_descent.engine import RunSettings
from tui_descent.optimizers import Momentum
from tui_descent.widgets.settings_bar import SettingsBar
from tui_descent.widgets.status_line import StatusLine
from tui_descent.widgets.step_table import StepTable


def status_text(app: DescentApp) -> str:
    return str(app.query_one(StatusLine).content)


async def type_into(pilot, field_id: str, text: str) -> None:
    """Replace the text of one settings field and press Enter."""
    field = pilot.app.query_one(f"#{field_id}", Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


@pytest.mark.parametrize("key", ["n", "space", "right"])
async def test_step_keys_work_at_start_up(key):
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        assert app.stepper.current == 1
        assert app.stepper.run.history.row(1)[0] == pytest.approx(6.4)
        assert "step 1 of 50" in status_text(app)
        assert "x = 6.4" in status_text(app)


async def test_back_keys_rewind():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n", "n", "b", "left")
        assert app.stepper.current == 1
        await pilot.press("b", "b")
        assert app.stepper.current == 0


async def test_table_follows_current_step():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(12):
            await pilot.press("n")
        table = app.query_one(StepTable)
        lines = [table.render_line(y).text for y in range(table.size.height)]
        rows = [line.split() for line in lines[1:]]
        last = rows[-1]
        assert last[0] == "12"
        assert float(last[1]) == pytest.approx(8 * 0.8**12, rel=1e-6)


async def test_run_to_end_reports_max_steps():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert app.stepper.current == 50
        assert "reached max steps" in status_text(app)


async def test_half_rate_converges_in_one_step():
    app = DescentApp(settings=RunSettings(8.0, 0.5, 50, 1e-6))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert app.stepper.current == 1
        assert "converged" in status_text(app)


async def test_reset_returns_to_start():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n", "r")
        assert app.stepper.current == 0
        assert "step 0 of 50" in status_text(app)


async def test_rate_keys_halve_and_double():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "right_square_bracket")
        assert app.stepper.settings.learning_rate == pytest.approx(0.2)
        assert app.stepper.current == 0
        assert app.query_one("#learning-rate", Input).value == "0.2"
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert app.stepper.settings.learning_rate == pytest.approx(0.05)


async def test_typed_settings_apply_on_enter():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, "start", "5")
        await type_into(pilot, "learning-rate", "0.25")
        assert app.stepper.settings.start == 5.0
        assert app.stepper.settings.learning_rate == 0.25
        await pilot.press("escape", "n")
        assert app.stepper.run.history.row(1)[0] == pytest.approx(2.5)


async def test_invalid_rate_keeps_last_run():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n")
        await type_into(pilot, "learning-rate", "abc")
        message = app.query_one(SettingsBar).message
        assert "learning rate 'abc' is not a number" in message
        assert app.stepper.settings.learning_rate == 0.1
        assert app.stepper.current == 2
        assert app.query_one("#learning-rate", Input).value == "abc"


@pytest.mark.parametrize(
    ("field_id", "text", "expected"),
    [
        ("start", "1e400", "start cannot be infinite"),
        ("start", "nan", "start cannot be nan"),
        ("max-steps", "2.5", "not a whole number"),
        ("max-steps", "5000000", "out of range"),
        ("tolerance", "-1", "tolerance -1 is negative"),
    ],
)
async def test_bad_values_are_named(field_id, text, expected):
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_into(pilot, field_id, text)
        assert expected in app.query_one(SettingsBar).message
        assert app.stepper.settings == RunSettings()


async def test_typing_step_keys_in_field_does_not_step():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#start", Input).focus()
        await pilot.press("n", "b", "space")
        assert app.stepper.current == 0
        await pilot.press("escape", "n")
        assert app.stepper.current == 1


async def test_play_advances_and_pauses():
    # η = 1 bounces forever, so play cannot reach the end during the test.
    app = DescentApp(settings=RunSettings(8.0, 1.0, 100_000, 1e-6))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("plus", "plus", "plus", "p")
        assert app.playback.playing
        # Wait for a few ticks; a loaded machine may delay the timer.
        for _ in range(50):
            await pilot.pause(0.1)
            if app.stepper.current >= 3:
                break
        await pilot.press("p")
        assert not app.playback.playing
        reached = app.stepper.current
        assert reached > 0
        await pilot.pause(0.2)
        assert app.stepper.current == reached


async def test_play_stops_at_end_of_run():
    app = DescentApp(settings=RunSettings(8.0, 0.5, 50, 1e-6))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause(0.6)
        assert app.stepper.current == 1
        assert not app.playback.playing


async def test_help_screen_opens_and_closes():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        assert app.screen.__class__.__name__ != "HelpScreen"


async def test_diverging_run_stops_cleanly():
    app = DescentApp(settings=RunSettings(8.0, 1.5, 1_000_000, 1e-6))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert "diverg" in status_text(app)
        assert "converged" not in status_text(app)


@pytest.mark.parametrize("size", [(1, 1), (10, 5), (40, 12), (300, 100)])
async def test_any_size_survives_keys(size):
    app = DescentApp()
    async with app.run_test(size=size) as pilot:
        await pilot.press("n", "n", "g", "b", "r")
        await pilot.pause()
        assert app.stepper.current == 0


# Momentum takes the general step, a few µs each, and at η = 1e-6 x never
# repeats itself, so this run takes seconds to compute.
SLOW_LONG_RUN = RunSettings(8.0, 1e-6, 1_000_000, 0.0, optimizer=Momentum())


async def test_pause_key_stops_long_run_to_end():
    app = DescentApp(settings=SLOW_LONG_RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        # Pilot.press would wait for the app to go idle, which it does not
        # while computing.
        post_key(app, "g")
        await pilot.pause(0.3)
        assert 0 < app.stepper.run.last_step < 1_000_000
        post_key(app, "p")
        await pilot.pause(0.3)
        stopped_at = app.stepper.run.last_step
        assert stopped_at < 1_000_000
        await pilot.pause(0.5)
        assert app.stepper.run.last_step == stopped_at
        assert "stopped computing" in app.query_one(SettingsBar).message


@pytest.mark.parametrize("closer", ["q", None])
async def test_closing_while_computing_ends_cleanly(closer):
    app = DescentApp(settings=SLOW_LONG_RUN)
    async with app.run_test(size=(80, 24)) as pilot:
        post_key(app, "g")
        await pilot.pause(0.3)
        assert 0 < app.stepper.run.last_step < 1_000_000
        if closer:
            post_key(app, closer)
            await pilot.pause(0.3)
    # Leaving run_test shuts the app down from outside, as a signal does; it
    # raises here if the worker failed after the screen went away.
    assert app.return_code in (0, None)
