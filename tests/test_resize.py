"""Terminal sizes from 1x1 to 300x100, and resizes in the middle of play.

Below MIN_SIZE the screen must show only the one-line notice; from
MIN_SIZE on the layout is back. Either way the keys keep working and the
status line, the table and the stepper agree.
"""

from __future__ import annotations

import pytest
from textual.widgets import Static

from app_checks import check_consistent
from tmux_helpers import ShellTerminal, installed_command
from tui_descent.app import MIN_SIZE, DescentApp
from tui_descent.engine import RunSettings
from tui_descent.widgets.status_line import StatusLine

NOTICE = "Enlarge the terminal to 30×10"

SIZES = [
    (1, 1), (2, 1), (1, 2), (12, 3), (29, 9), (29, 60), (200, 9), (30, 10),
    (31, 11), (40, 12), (60, 20), (80, 24), (109, 30), (110, 30), (120, 40),
    (200, 60), (300, 100),
]
"""Widths and heights on both sides of MIN_SIZE and of the 110-column
breakpoint where the chart and the table go side by side."""


def too_small(width: int, height: int) -> bool:
    return width < MIN_SIZE[0] or height < MIN_SIZE[1]


def check_layout(app: DescentApp, size: tuple[int, int]) -> None:
    """Check that the notice shows exactly when ``size`` is below MIN_SIZE."""
    notice = app.query_one("#too-small", Static)
    status = app.query_one(StatusLine)
    if too_small(*size):
        assert notice.display, f"no notice at {size}"
        assert not status.display, f"status still shown at {size}"
    else:
        assert not notice.display, f"notice shown at {size}"
        assert status.display, f"status hidden at {size}"
        assert status.region.height >= 1, f"status has no room at {size}"


async def test_notice_is_one_line_below_min_width():
    app = DescentApp()
    async with app.run_test(size=(MIN_SIZE[0] - 1, MIN_SIZE[1])) as pilot:
        await pilot.pause()
        notice = app.query_one("#too-small", Static)
        assert str(notice.content) == NOTICE
        assert notice.region.height == 1


@pytest.mark.parametrize("size", SIZES)
async def test_each_size_starts_and_steps(size):
    app = DescentApp()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        check_layout(app, size)
        await pilot.press("n", "n", "n", "b")
        await pilot.pause()
        assert app.stepper.current == 2
        check_consistent(app)


async def test_resize_sweep_while_playing():
    settings = RunSettings(start=8.0, learning_rate=0.001, max_steps=100_000)
    app = DescentApp(settings=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("plus", "plus", "p")
        assert app.playback.playing
        steps_seen = []
        for size in [*SIZES, *reversed(SIZES), (80, 24)]:
            await pilot.resize_terminal(*size)
            await pilot.pause(0.05)
            check_layout(app, size)
            check_consistent(app)
            steps_seen.append(app.stepper.current)
        await pilot.press("p")
        assert not app.playback.playing
        assert steps_seen[-1] > steps_seen[0], "play did not advance during the sweep"


async def test_keys_work_while_too_small():
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.resize_terminal(10, 4)
        await pilot.pause()
        await pilot.press("n", "n", "right_square_bracket", "n")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.stepper.settings.learning_rate == 0.2
        assert app.stepper.current == 1
        check_layout(app, (100, 30))
        check_consistent(app)


def test_resize_in_tmux(tmp_path):
    shell = ShellTerminal(tmp_path / "state")
    try:
        shell.wait_for("$")
        # Exported sizes go stale at the first resize; the app must ignore them.
        stale_size = ["env", "COLUMNS=100", "LINES=30", installed_command()]
        shell.start_app("--max-steps", "40", program=stale_size)
        shell.wait_for("step 0 of 40")
        shell.send("n", "n", "p")
        for width, height in [(20, 5), (1, 1), (300, 100), (29, 9), (30, 10), (80, 24)]:
            shell.resize(width, height)
            if too_small(width, height):
                # Only the first characters fit in the narrowest windows.
                shell.wait_for(NOTICE[: max(width - 1, 1)])
            else:
                shell.wait_for(" of 40")
        # Play went on through the resizes and stops at the last step.
        shell.wait_for("step 40 of 40")
        shell.send("b")
        shell.wait_for("step 39 of 40")
        shell.send("q")
        assert shell.wait_for_exit_status() == 0
    finally:
        shell.close()
