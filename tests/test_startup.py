"""The first frame comes before numpy, plotext and the main views load."""

import subprocess
import sys

from app_checks import post_key, status_text
from tui_descent.app import DescentApp
from tui_descent.functions import QUADRATIC
from tui_descent.run_settings import RunSettings
from tui_descent.widgets.starting_view import StartingView, starting_text
from tui_descent.widgets.step_table import StepTable

HEAVY_MODULES = ("numpy", "plotext", "textual_plotext", "sympy")


def test_first_frame_modules_import_no_numpy():
    # A fresh interpreter, because this test process has numpy loaded.
    script = (
        "import sys, tui_descent.cli, tui_descent.app\n"
        f"print(' '.join(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_starting_text_names_the_run():
    text = starting_text(QUADRATIC, RunSettings(8.0, 0.1, 50))
    assert "f(x) = x²" in text
    assert "f'(x) = 2x" in text
    assert "x0 = 8" in text
    assert "η = 0.1" in text
    assert "up to 50 steps" in text


def test_step_keys_wait_for_the_views():
    app = DescentApp(views_after_first_frame=True)
    assert app.stepper is None
    assert app.check_action("step", ()) is False
    assert app.check_action("to_end", ()) is False
    assert app.check_action("quit", ()) is True


async def wait_for_views(app, pilot) -> None:
    """Pause until the app has mounted its views, for at most about 30 s."""
    for _ in range(300):
        if app.views is not None and app.views.table.is_mounted:
            return
        await pilot.pause(0.1)
    raise AssertionError("the views were not mounted within 30 s")


async def test_views_replace_the_starting_view():
    app = DescentApp(
        settings=RunSettings(8.0, 0.1, 50), views_after_first_frame=True
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_views(app, pilot)
        await pilot.pause()
        assert not app.query(StartingView)
        assert isinstance(app.focused, StepTable)
        await pilot.press("n", "n")
        assert app.stepper.current == 2
        assert "step 2 of 50" in status_text(app)


async def test_keys_pressed_while_loading_are_safe():
    app = DescentApp(views_after_first_frame=True)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("n", "g", "b", "a", "m", "e", "question_mark", "escape"):
            post_key(app, key)
        await wait_for_views(app, pilot)
        await pilot.pause()
        assert app.is_running
        assert app.views.status.is_mounted
