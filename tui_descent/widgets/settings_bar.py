"""The row of fields for start x, learning rate, maximum steps and tolerance."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from ..run_settings import RunSettings
from ..limits import check_learning_rate, check_max_steps, check_start
from ..limits import check_tolerance
from ..schedules import check_floor


class CheckValidator(Validator):
    """A Textual validator around one of the checks in ``limits``."""

    def __init__(self, check: Callable[[str], Any]) -> None:
        super().__init__()
        self.check = check

    def validate(self, value: str) -> ValidationResult:
        try:
            self.check(value)
        except ValueError as error:
            return self.failure(str(error), value)
        return self.success()


@dataclass(frozen=True)
class Field:
    """One setting: its input id, label, RunSettings attribute and check."""

    id: str
    label: str
    attribute: str
    check: Callable[[str], Any]


FIELDS = (
    Field("start", "x0", "start", check_start),
    Field("learning-rate", "η", "learning_rate", check_learning_rate),
    Field("max-steps", "steps", "max_steps", check_max_steps),
    Field("tolerance", "tol", "tolerance", check_tolerance),
)


def _format_setting(value: float | int) -> str:
    # Every digit of a float is shown, so Enter re-applies exactly the run's
    # value; only a trailing ".0" is dropped.
    if isinstance(value, float):
        return repr(value).removesuffix(".0")
    return str(value)


class SettingsBar(Widget):
    """Fields for the run settings, with a message line for errors.

    Enter in any field applies all four fields together; invalid text is
    named on the message line and the run on screen stays as it was.
    """

    class Applied(Message):
        """Posted when Enter was pressed and every field contains a valid value."""

        def __init__(self, settings: RunSettings) -> None:
            super().__init__()
            self.settings = settings
            """The settings built from the fields."""

    def __init__(self, settings: RunSettings, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._settings = settings

    def compose(self) -> ComposeResult:
        with Horizontal(id="fields"):
            for field in FIELDS:
                yield Label(field.label, classes="field-label")
                yield Input(
                    _format_setting(getattr(self._settings, field.attribute)),
                    id=field.id,
                    compact=True,
                    validators=[CheckValidator(field.check)],
                    validate_on=["changed", "submitted"],
                    select_on_focus=False,
                )
        message = Static("", id="settings-message", markup=False)
        message.display = False
        yield message

    @property
    def message(self) -> str:
        """The text on the message line."""
        return str(self.query_one("#settings-message", Static).content)

    def show_message(self, text: str, error: bool = False) -> None:
        """Put ``text`` on the message line, styled as an error if ``error``."""
        line = self.query_one("#settings-message", Static)
        line.update(text)
        line.set_class(error, "-error")
        # An empty line takes no room, so a small terminal keeps it for the chart.
        line.display = bool(text)

    def set_settings(self, settings: RunSettings) -> None:
        """Show ``settings`` in the fields, replacing what was typed."""
        self._settings = settings
        # Without prevent, the fields' Changed events would arrive after a
        # message the caller shows next and clear it.
        with self.prevent(Input.Changed):
            for field in FIELDS:
                value = getattr(settings, field.attribute)
                self.query_one(f"#{field.id}", Input).value = _format_setting(value)
        self.show_message("")

    def parsed_settings(self) -> tuple[RunSettings | None, list[str]]:
        """Parse every field; return the settings, or None and the errors."""
        changes: dict[str, Any] = {}
        errors: list[str] = []
        for field in FIELDS:
            text = self.query_one(f"#{field.id}", Input).value
            try:
                changes[field.attribute] = field.check(text)
            except ValueError as error:
                errors.append(str(error))
        if errors:
            return None, errors
        settings = replace(self._settings, **changes)
        try:
            check_floor(settings.schedule, settings.learning_rate, "floor", "η")
        except ValueError as error:
            return None, [str(error)]
        return settings, []

    @on(Input.Changed)
    def _show_field_error(self, event: Input.Changed) -> None:
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.show_message(result.failure_descriptions[0], error=True)
        else:
            self.show_message("")

    @on(events.DescendantBlur)
    def _discard_unapplied(self) -> None:
        """Show the run's settings again once the focus has left the fields.

        Text that was never applied with Enter would otherwise stay in a
        field and disagree with the run on screen. Tab between fields keeps
        the edits: the screen moves the focus before it sends the blur.
        """
        # The bar's own screen keeps its focus while a dialog is on top, so
        # this reads where the learner is, even if a dialog opened meanwhile.
        focused = self.screen.focused
        if focused is not None and self in focused.ancestors:
            return
        discarded = []
        for field in FIELDS:
            field_input = self.query_one(f"#{field.id}", Input)
            value = getattr(self._settings, field.attribute)
            try:
                unchanged = field.check(field_input.value) == value
            except ValueError:
                unchanged = False
            if not unchanged:
                with self.prevent(Input.Changed):
                    field_input.value = _format_setting(value)
                discarded.append(field.label)
        if discarded:
            self.show_message(
                f"Edits to {', '.join(discarded)} were not applied (Enter "
                "applies them); the fields show the run's settings again."
            )

    @on(Input.Submitted)
    def _apply(self, event: Input.Submitted) -> None:
        event.stop()
        settings, errors = self.parsed_settings()
        if settings is None:
            self.show_message(
                f"{errors[0]}. The run on screen is unchanged.", error=True
            )
            return
        self._settings = settings
        self.show_message("Applied: a new run starts from x0.")
        self.post_message(self.Applied(settings))
