"""Page keys sent to option lists before their first layout.

Textual 8.2.8 raises KeyError when Page Up or Page Down reaches an
OptionList that has options but no lines yet. Each test here posts a page
key on every turn of the event loop from the moment a list opens until it
has its lines, so that some key lands in that window. Then it checks that
the app is alive and that the page keys and Enter work on the laid-out list.
"""

from __future__ import annotations

import asyncio

import pytest
from app_checks import check_alive, post_key
from test_monkey import private_folders  # noqa: F401  (fixture used below)
from textual.command import CommandList
from textual.widgets import OptionList, Select
from textual.widgets._select import SelectOverlay

from tui_descent.app import DescentApp
from tui_descent.presets import PRESETS
from tui_descent.widgets.function_panel import FunctionPanel
from tui_descent.widgets.option_list_guard import (
    GuardedCommandPalette,
    GuardedSelectOverlay,
    has_lines,
)

# A crash must not make the app's recovery write into the real HOME.
pytestmark = pytest.mark.usefixtures("private_folders")

MAX_TURNS = 2000
"""Turns of the event loop to wait for a list's first layout; one screen
refresh takes a few dozen turns."""


def laid_out(option_list: OptionList) -> bool:
    """Tell whether ``option_list`` has room on screen, so Textual gave it lines."""
    return option_list.scrollable_content_region.area > 0


async def page_until_laid_out(app, find_list, key: str) -> OptionList:
    """Post ``key`` on every turn until ``find_list()`` returns a list with lines.

    Returns the list. Fails if it has no lines after MAX_TURNS turns.
    """
    for _ in range(MAX_TURNS):
        post_key(app, key)
        await asyncio.sleep(0)
        option_list = find_list()
        if option_list is not None and option_list.option_count and laid_out(
            option_list
        ):
            return option_list
    raise AssertionError(f"no laid-out list after {MAX_TURNS} turns")


def palette_list(app) -> CommandList | None:
    """Return the command list of the open palette, or None before it opens."""
    lists = app.screen.query(CommandList)
    return lists.first() if lists else None


async def check_palette_pages(app, key: str) -> None:
    """Open the palette, page at once, then page and pick on the laid-out list."""
    async with app.run_test(size=(100, 30)) as pilot:
        post_key(app, "ctrl+p")
        command_list = await page_until_laid_out(app, lambda: palette_list(app), key)
        await pilot.pause()
        check_alive(app)
        assert isinstance(app.screen, GuardedCommandPalette)
        await pilot.press("ctrl+home")
        assert command_list.highlighted == 0
        await pilot.press("pagedown")
        lower = command_list.highlighted
        assert lower is not None and lower > 0
        await pilot.press("pageup")
        assert command_list.highlighted < lower
        check_alive(app)


@pytest.mark.parametrize("key", ["pageup", "pagedown"])
async def test_palette_page_keys_at_once(key):
    await check_palette_pages(DescentApp(), key)


async def test_theme_palette_is_guarded():
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.search_themes()
        await pilot.pause()
        assert isinstance(app.screen, GuardedCommandPalette)


@pytest.mark.parametrize("key", ["pageup", "pagedown"])
async def test_preset_list_page_keys_at_once(key):
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one("#function-preset", Select).focus()
        await pilot.pause()
        post_key(app, "enter")
        overlay = await page_until_laid_out(
            app, lambda: app.query_one(SelectOverlay), key
        )
        await pilot.pause()
        check_alive(app)
        assert isinstance(overlay, GuardedSelectOverlay)
        assert app.focused is overlay
        # The eight presets fit in the drop-down, so Page Down reaches the
        # last one and Enter picks it.
        await pilot.press("pagedown", "enter")
        await pilot.pause()
        check_alive(app)
        assert app.query_one(FunctionPanel).function is PRESETS["exp"]
        assert list(PRESETS)[-1] == "exp"


async def test_hidden_overlay_ignores_page_action():
    # A closed drop-down has no height, which is the state the guard covers.
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        overlay = app.query_one(SelectOverlay)
        await pilot.pause()
        # The presets and the blank "typed f(x)" entry.
        assert overlay.option_count == len(PRESETS) + 1
        assert not laid_out(overlay)
        assert not has_lines(overlay)
        assert overlay.check_action("page_down", ()) is False
        assert overlay.check_action("cursor_down", ()) is True


async def test_optimizer_pickers_are_guarded():
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        overlays = app.screen.query(SelectOverlay)
        assert len(overlays) == 2
        assert all(isinstance(overlay, GuardedSelectOverlay) for overlay in overlays)
