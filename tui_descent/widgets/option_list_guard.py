"""Page Up and Page Down that wait for an OptionList to lay out its lines.

In Textual 8.2.8 (textual/widgets/_option_list.py) an OptionList builds its
table from option index to screen line in ``_update_lines``. That method
returns early while the list has no content region: before its first
layout, or while the list is squeezed to no height. ``_move_page``, behind the
``page_up`` and ``page_down`` actions, reads that table without a check, so
a page key that reaches a list with options but without lines raises
KeyError and ends the app. A burst of keys hits this: Page Down in the same
instant as Enter on a Select, or ctrl+p for the command palette.

The classes here disable the two page actions through ``check_action``,
Textual's hook for dynamic actions, until the list has a content region.
Such a key is dropped, which is what Textual's own arithmetic gives a list
of no height: a page of 0 lines leaves the highlight where it is. Once the
lines exist, Textual's actions run unchanged.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.command import CommandList, CommandPalette
from textual.theme import ThemeProvider
from textual.widgets import OptionList, Select
from textual.widgets._select import SelectCurrent, SelectOverlay

PAGE_ACTIONS = frozenset({"page_up", "page_down"})
"""The OptionList actions that read the line table without a check."""


def has_lines(option_list: OptionList) -> bool:
    """Tell whether ``option_list`` has laid out the lines of its options.

    This is the condition under which Textual's ``_update_lines`` fills the
    table that the page actions read.
    """
    return bool(option_list.scrollable_content_region)


class GuardedSelectOverlay(SelectOverlay):
    """The drop-down list of a Select, with page keys that wait for its lines."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Disable Page Up and Page Down until the list has its lines."""
        if action in PAGE_ACTIONS and not has_lines(self):
            return False
        return super().check_action(action, parameters)


class GuardedSelect(Select):
    """A Select whose drop-down list is a ``GuardedSelectOverlay``."""

    def compose(self) -> ComposeResult:
        # NOTE: mirrors Select.compose of Textual 8.2.8 with the overlay
        # class swapped; tests/test_option_list_guard.py fails if a newer
        # Textual composes something else.
        yield SelectCurrent(self.prompt)
        overlay = GuardedSelectOverlay(type_to_search=self._type_to_search)
        yield overlay.data_bind(compact=Select.compact)


class GuardedCommandPalette(CommandPalette):
    """A command palette whose page keys wait for its command list's lines."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Disable the page bindings until the command list has its lines.

        The palette binds Page Up and Page Down to ``command_list('page_up')``
        and ``command_list('page_down')``, which call the list's action.
        """
        if action == "command_list" and set(parameters) & PAGE_ACTIONS:
            command_lists = self.query(CommandList)
            if not command_lists or not has_lines(command_lists.first()):
                return False
        return super().check_action(action, parameters)


class GuardedPalettes:
    """App mixin that opens ``GuardedCommandPalette`` instead of Textual's.

    ``App.action_command_palette`` (ctrl+p) and ``App.search_themes`` (the
    palette's Theme command) each push a plain CommandPalette. An App
    subclass that lists this class before ``App`` among its bases gets the
    guarded palette from both.
    """

    def action_command_palette(self) -> None:
        """Open the command palette unless one is open already."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(GuardedCommandPalette(id="--command-palette"))

    def search_themes(self) -> None:
        """Open a palette that lists the themes; picking one applies it."""
        palette = GuardedCommandPalette(
            providers=[ThemeProvider], placeholder="Search for themes…"
        )
        self.push_screen(palette)
