"""Every field of the optimizer panel shows its whole value at 80x24.

The panel sits in a dialog 70 cells wide at 80 columns. Adam's row is the
fullest: a label, the picker and three fields, which share what is left.
"""

from __future__ import annotations

import pytest
from textual.widgets import Input

from test_monkey import private_folders  # noqa: F401  (fixture used below)
from test_optimizer_panel import pick
from tui_descent.app import DescentApp
from tui_descent.optimizers import OPTIMIZERS, Adam, RMSProp
from tui_descent.schedules import SCHEDULES, Cosine, StepDecay
from tui_descent.widgets.optimizer_panel import OptimizerScreen

pytestmark = pytest.mark.usefixtures("private_folders")

LONG_VALUES = [
    (Adam(0.123456, 0.99999, 1.5e-10), StepDecay(1000, 0.123456)),
    (RMSProp(0.999999, 1e-100), Cosine(0.0001)),
]
"""Values of up to eight characters, the longest a learner usually types."""


def cut_fields(screen) -> list[str]:
    """List each shown field whose value is not drawn whole inside its row."""
    cut = []
    for field in screen.query(Input):
        if not field.display:
            continue
        drawn = field.render_line(0).text
        inside = field.region.right <= field.parent.region.right
        if field.value not in drawn or not inside:
            cut.append(f"{field.id}: {field.value!r} drawn as {drawn!r}")
    return cut


async def test_every_default_value_fits():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        for optimizer_kind in OPTIMIZERS.values():
            for schedule_kind in SCHEDULES.values():
                screen = OptimizerScreen(optimizer_kind(), schedule_kind(), "layout")
                await app.push_screen(screen)
                await pilot.pause()
                assert cut_fields(screen) == [], (optimizer_kind, schedule_kind)
                app.pop_screen()
                await pilot.pause()


@pytest.mark.parametrize(("optimizer", "schedule"), LONG_VALUES)
async def test_eight_character_values_fit(optimizer, schedule):
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = OptimizerScreen(optimizer, schedule, "layout")
        await app.push_screen(screen)
        await pilot.pause()
        assert cut_fields(screen) == []


async def test_adam_epsilon_shown_whole_after_m():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OptimizerScreen)
        await pick(pilot, "optimizer-kind", "adam", list(OPTIMIZERS))
        epsilon = screen.query_one("#adam-epsilon", Input)
        assert epsilon.display
        assert "1e-08" in epsilon.render_line(0).text
        assert cut_fields(screen) == []
