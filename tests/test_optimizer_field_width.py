"""Long values in the optimizer panel's fields, typed with keys.

Adam's ε row is the fullest at 80 columns. A value that fits shows whole
while typed, and a value wider than its field shows its start once the
field loses focus.
"""

from __future__ import annotations

import pytest
from test_monkey import private_folders  # noqa: F401  (fixture used below)
from test_optimizer_panel import pick
from textual.widgets import Input

from tui_descent.app import DescentApp
from tui_descent.optimizers import OPTIMIZERS

pytestmark = pytest.mark.usefixtures("private_folders")

LONG_EPSILON = "0.000000000123456789"
"""ε = 1.23456789e-10 in 20 characters, wider than the field at any size."""


async def type_epsilon(pilot, text: str) -> Input:
    """Open the panel with m, choose Adam and type ``text`` as its ε."""
    await pilot.press("m")
    await pick(pilot, "optimizer-kind", "adam", list(OPTIMIZERS))
    field = pilot.app.screen.query_one("#adam-epsilon", Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()
    return field


async def focus_beta1(pilot) -> None:
    pilot.app.screen.query_one("#adam-beta1", Input).focus()
    await pilot.pause()


def drawn(field: Input) -> str:
    """Return the cells of ``field`` that the screen shows."""
    return field.render_line(0).text[: field.content_size.width]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_typed_epsilon_shows_whole(size):
    app = DescentApp()
    async with app.run_test(size=size) as pilot:
        field = await type_epsilon(pilot, "1.234567e-10")
        assert field.value == "1.234567e-10"
        # At 80 columns this had been drawn as "34567e-10" while typed.
        assert drawn(field).startswith("1.234567e-10")
        await focus_beta1(pilot)
        assert drawn(field).startswith("1.234567e-10")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_long_value_shows_start_after_blur(size):
    app = DescentApp()
    async with app.run_test(size=size) as pilot:
        field = await type_epsilon(pilot, LONG_EPSILON)
        width = field.content_size.width
        assert width < len(LONG_EPSILON)
        # While typed, the cursor at the end keeps the end in view.
        assert drawn(field).rstrip().endswith("123456789")
        await focus_beta1(pilot)
        assert drawn(field) == LONG_EPSILON[:width]
        assert field.value == LONG_EPSILON


async def test_refocus_brings_cursor_back():
    app = DescentApp()
    async with app.run_test(size=(80, 24)) as pilot:
        field = await type_epsilon(pilot, LONG_EPSILON)
        typed_cells = drawn(field)
        typed_cursor = field.cursor_screen_offset
        await focus_beta1(pilot)
        assert drawn(field) != typed_cells
        field.focus()
        await pilot.pause()
        assert field.cursor_position == len(LONG_EPSILON)
        assert drawn(field) == typed_cells
        assert field.cursor_screen_offset == typed_cursor
