"""SVG snapshots of side-by-side runs and of the optimizer panel.

Update them after an intended change with
``pytest tests/test_snapshots_compare.py --snapshot-update``.
"""

import pytest

from tui_descent.app import DescentApp
from tui_descent.presets import PRESETS

from test_optimizer_panel import choose_in_app, retype


async def four_runs_on_double_well(pilot) -> None:
    """Set up GD, momentum, Adam and Newton from x0 = 1.6, with keys."""
    for slug in ("momentum", "adam", "newton"):
        await pilot.press("a")
        await choose_in_app(pilot, slug)
    await pilot.press("2")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_four_runs_after_six_steps(snap_compare, size):
    app = DescentApp(PRESETS["double-well"])
    assert snap_compare(
        app, press=["n"] * 6, terminal_size=size, run_before=four_runs_on_double_well
    )


def test_four_runs_at_their_ends(snap_compare):
    app = DescentApp(PRESETS["double-well"])
    assert snap_compare(
        app, press=["g", "1"], terminal_size=(120, 40), run_before=four_runs_on_double_well
    )


def test_four_learning_rates_on_parabola(snap_compare):
    async def rates(pilot):
        for rate in ("0.5", "0.9", "1.1"):
            await pilot.press("a")
            await retype(pilot, "learning-rate", rate)
            await pilot.press("escape")

    assert snap_compare(
        DescentApp(), press=["n"] * 4, terminal_size=(120, 40), run_before=rates
    )


def test_optimizer_panel_screen(snap_compare):
    async def open_panel(pilot):
        await pilot.press("a")
        await choose_in_app(pilot, "adam")

    assert snap_compare(
        DescentApp(), press=["m"], terminal_size=(80, 24), run_before=open_panel
    )
