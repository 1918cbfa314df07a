"""A compact panel to choose f(x): a preset picker and a field for a formula.

The panel is three lines tall: the picker and the field, then f(x) and f'(x),
then the preset's caption or the error in what was typed.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static
from textual.worker import get_current_worker

from ..expressions import ExpressionError, parse_function
from ..functions import Function
from ..presets import DEFAULT_PRESET, PRESETS, slug_of
from .option_list_guard import GuardedSelect


_MAX_NAME_CHARS = 32
"""Maximum length of f(x) before f'(x) on the line, so 80 columns fit both."""


def describe_function(function: Function) -> str:
    """Return the line ``f(x) = …   f'(x) = …``, shortening a long f(x) with …"""
    name = function.name
    if len(name) > _MAX_NAME_CHARS:
        name = name[: _MAX_NAME_CHARS - 1] + "…"
    return f"f(x) = {name}   f'(x) = {function.derivative_formula}"


class FunctionPanel(Widget):
    """Choose the function to descend, from the presets or typed as a formula.

    Picking a preset, or pressing Enter on a valid formula, posts
    ``FunctionPanel.Changed``. Invalid text is explained on the message line
    and nothing is posted, so the previous function stays. The formula is
    parsed in a thread worker, so a slow sympy never freezes the screen.

    | Key | Action |
    | :- | :- |
    | Enter | In the field: parse the formula and use it |
    | Esc | Leave the field or the picker |
    """

    DEFAULT_CSS = """
    FunctionPanel {
        height: auto;
    }
    FunctionPanel > #function-row {
        height: 1;
    }
    FunctionPanel #function-preset {
        width: 24;
    }
    FunctionPanel #function-label {
        padding: 0 1;
    }
    FunctionPanel #function-input {
        width: 1fr;
    }
    FunctionPanel #function-formulas, FunctionPanel #function-message {
        height: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    FunctionPanel #function-message {
        color: $text-muted;
    }
    FunctionPanel #function-message.-error {
        color: $text-error;
    }
    """

    BINDINGS = [
        Binding("escape", "leave_field", "Leave field", key_display="Esc", show=False)
    ]

    class Changed(Message):
        """Posted when the user picked a preset or entered a valid formula."""

        def __init__(self, function: Function) -> None:
            super().__init__()
            self.function = function
            """The function now shown in the panel."""

    def __init__(self, function: Function | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._function = function or PRESETS[DEFAULT_PRESET]
        self._parse_count = 0

    def compose(self) -> ComposeResult:
        options = [(function.name, slug) for slug, function in PRESETS.items()]
        with Horizontal(id="function-row"):
            yield GuardedSelect(
                options,
                prompt="typed f(x)",
                value=slug_of(self._function) or Select.NULL,
                compact=True,
                id="function-preset",
            )
            yield Label("f(x) =", id="function-label")
            yield Input(
                self._function.formula,
                placeholder="type f(x) such as 3x^2 - 2x + 1 and press Enter",
                compact=True,
                select_on_focus=False,
                id="function-input",
            )
        yield Static(
            describe_function(self._function), id="function-formulas", markup=False
        )
        yield Static(self._function.caption, id="function-message", markup=False)

    @property
    def function(self) -> Function:
        """The function shown in the panel, the last one chosen."""
        return self._function

    @property
    def message(self) -> str:
        """The text on the message line: a caption, a progress note or an error."""
        return str(self.query_one("#function-message", Static).content)

    @property
    def formulas(self) -> str:
        """The text of the ``f(x) = …   f'(x) = …`` line."""
        return str(self.query_one("#function-formulas", Static).content)

    def set_function(self, function: Function) -> None:
        """Show ``function`` chosen elsewhere, such as on the command line.

        Posts no Changed message, because the caller chose the function.
        """
        self._parse_count += 1  # A parse still running must not replace it.
        self._show(function)

    def _show(self, function: Function) -> None:
        self._function = function
        select = self.query_one("#function-preset", Select)
        with self.prevent(Select.Changed):
            select.value = slug_of(function) or Select.NULL
        with self.prevent(Input.Changed):
            self.query_one("#function-input", Input).value = function.formula
        formulas = self.query_one("#function-formulas", Static)
        formulas.update(describe_function(function))
        self._show_message(function.caption)

    def _show_message(self, text: str, error: bool = False) -> None:
        line = self.query_one("#function-message", Static)
        line.update(text)
        line.set_class(error, "-error")

    @on(Select.Changed, "#function-preset")
    def _pick_preset(self, event: Select.Changed) -> None:
        event.stop()
        # The Select also posts Changed when it mounts with the first value.
        if event.value is Select.NULL or PRESETS[event.value] is self._function:
            return
        self._parse_count += 1
        self._show(PRESETS[str(event.value)])
        self.post_message(self.Changed(self._function))

    @on(Input.Submitted, "#function-input")
    def _submit_formula(self, event: Input.Submitted) -> None:
        event.stop()
        self._parse_count += 1
        self._show_message("Working out f'(x)…")
        self._parse(event.value, self._parse_count)

    @work(thread=True, exclusive=True, group="function-panel-parse")
    def _parse(self, text: str, count: int) -> None:
        """Parse ``text`` off the event loop and hand the outcome back to it."""
        try:
            outcome: Function | str = parse_function(text)
        except ExpressionError as error:
            outcome = str(error)
        except Exception as error:  # noqa: BLE001
            # A parser bug must show as a message, not end the app.
            self.log.error(f"parsing {text!r} failed: {error!r}")
            outcome = f"f(x) could not be worked out ({error}); try another formula"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._finish_parse, outcome, count)

    def _finish_parse(self, outcome: Function | str, count: int) -> None:
        if count != self._parse_count:
            return  # Another pick or formula came after this one.
        if isinstance(outcome, str):
            self._show_message(f"{outcome}. f(x) is unchanged.", error=True)
            return
        self._show(outcome)
        self.post_message(self.Changed(outcome))

    def action_leave_field(self) -> None:
        """Move the focus out of the panel, so that app keys work again."""
        self.screen.set_focus(None)
