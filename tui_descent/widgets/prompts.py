"""Small modal prompts: ask for a file path, confirm an overwrite."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static


class PathPrompt(ModalScreen[str | None]):
    """Ask for a file path; dismiss with the text, or None on Esc."""

    AUTO_FOCUS = "#prompt-path"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, default: str, hint: str = "") -> None:
        super().__init__()
        self._title = title
        self._default = default
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(self._title, classes="prompt-title")
            yield Input(self._default, id="prompt-path", select_on_focus=False)
            yield Static(
                self._hint or "Enter accepts, Esc cancels.",
                id="prompt-message",
                markup=False,
            )

    @property
    def message(self) -> str:
        """The text under the field: the hint or the last error."""
        return str(self.query_one("#prompt-message", Static).content)

    @on(Input.Submitted, "#prompt-path")
    def _accept(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            message = self.query_one("#prompt-message", Static)
            message.update("The path is empty; type a file name, or press Esc to cancel.")
            message.add_class("-error")
            return
        self._close(text)

    def _close(self, result: str | None) -> None:
        # A second Enter or Esc queued before the prompt closed must not
        # dismiss the screen below it.
        if self.is_active:
            self.dismiss(result)

    def action_cancel(self) -> None:
        """Close the prompt without a path."""
        self._close(None)


class ConfirmPrompt(ModalScreen[bool]):
    """Ask a yes-or-no question; y or Enter confirms, n or Esc declines."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="prompt"):
            yield Label(self._question, classes="prompt-title")
            yield Static("y: yes    n or Esc: no", markup=False)

    def action_answer(self, answer: bool) -> None:
        """Close the prompt with ``answer``; a key queued after it does nothing."""
        if self.is_active:
            self.dismiss(answer)
