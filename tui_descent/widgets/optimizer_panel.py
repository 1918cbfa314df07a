"""Choose the optimizer, the learning-rate schedule and their hyperparameters.

``OptimizerPanel`` is two rows of pickers and fields plus a line for the
rule's formula or an error. The main screen at 80x24 has no two rows to
spare, so the app shows the panel in ``OptimizerScreen``, a modal screen.
"""

from __future__ import annotations

import inspect
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.geometry import Region
from textual.message import Message
from textual.screen import ModalScreen
from textual.validation import ValidationResult, Validator
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from ..hyperparameters import Hyperparameter, build, parameters_of, values_of
from ..limits import exact_text
from ..optimizers import OPTIMIZERS, Optimizer
from ..schedules import SCHEDULES, Schedule, check_floor
from .option_list_guard import GuardedSelect


class HyperparameterValidator(Validator):
    """A Textual validator that parses one hyperparameter."""

    def __init__(self, parameter: Hyperparameter) -> None:
        super().__init__()
        self.parameter = parameter

    def validate(self, value: str) -> ValidationResult:
        """Succeed when the text parses and the class accepts the value."""
        try:
            self.parameter.parse(value)
        except ValueError as error:
            return self.failure(str(error), value)
        return self.success()


def field_id(kind: type, field: str) -> str:
    """Return the id of the input for ``field`` of ``kind``, such as ``adam-beta1``."""
    return f"{kind.slug}-{field}"


def summary_of(kind: type) -> str:
    """Return the first paragraph of the class docstring on one line."""
    # Docstrings mark names as ``name``; the panel shows them as plain text.
    paragraph = inspect.getdoc(kind).split("\n\n")[0].replace("``", "")
    return " ".join(paragraph.split())


class OptimizerPanel(Widget):
    """Pickers for the optimizer and the schedule, with their fields.

    Only the fields of the chosen optimizer and schedule show. Each field
    validates as it is typed; Enter in a field posts ``Applied`` when every
    shown field is valid, and otherwise names the first invalid value. Given
    the run's ``learning_rate``, Enter also rejects a cosine floor above it.

    | Key | Action |
    | :- | :- |
    | Enter | In a field: apply the choice and restart the run |
    """

    DEFAULT_CSS = """
    OptimizerPanel {
        height: auto;
    }
    OptimizerPanel > Horizontal {
        height: 1;
        margin-bottom: 1;
    }
    OptimizerPanel .row-label {
        width: 10;
    }
    OptimizerPanel Select {
        width: 20;
    }
    OptimizerPanel .param-label {
        padding: 0 1;
    }
    OptimizerPanel Input {
        width: 1fr;
        min-width: 8;
        max-width: 25;
    }
    /* 1.234567e-10 and the cursor after it: the row at 80 columns has
       room for this and two 8-cell fields. */
    OptimizerPanel Input.field-epsilon {
        min-width: 13;
    }
    OptimizerPanel #optimizer-rule {
        color: $text-muted;
    }
    OptimizerPanel #optimizer-message.-error {
        color: $text-error;
        text-style: bold;
    }
    """

    class Applied(Message):
        """Posted when the shown choice was applied with every field valid."""

        def __init__(self, optimizer: Optimizer, schedule: Schedule) -> None:
            super().__init__()
            self.optimizer = optimizer
            """The optimizer built from the picker and its fields."""
            self.schedule = schedule
            """The schedule built from the picker and its fields."""

    def __init__(
        self,
        optimizer: Optimizer,
        schedule: Schedule,
        learning_rate: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._optimizer = optimizer
        self._schedule = schedule
        self._learning_rate = learning_rate

    def compose(self) -> ComposeResult:
        with Horizontal(id="optimizer-row"):
            yield Label("optimizer", classes="row-label")
            yield self._picker("optimizer-kind", OPTIMIZERS, self._optimizer)
            yield from self._fields(OPTIMIZERS, self._optimizer)
        with Horizontal(id="schedule-row"):
            yield Label("schedule", classes="row-label")
            yield self._picker("schedule-kind", SCHEDULES, self._schedule)
            yield from self._fields(SCHEDULES, self._schedule)
        yield Static("", id="optimizer-rule", markup=False)
        yield Static("", id="optimizer-message", markup=False)

    @staticmethod
    def _picker(id: str, kinds: dict[str, type], chosen: Any) -> Select:
        options = [(kind.name, slug) for slug, kind in kinds.items()]
        return GuardedSelect(
            options, value=chosen.slug, allow_blank=False, compact=True, id=id
        )

    @staticmethod
    def _fields(kinds: dict[str, type], chosen: Any) -> ComposeResult:
        """Yield a label and an input for every field of every kind."""
        for kind in kinds.values():
            values = values_of(chosen) if type(chosen) is kind else {}
            for parameter in parameters_of(kind):
                value = values.get(parameter.field, parameter.default)
                classes = f"param {kind.slug}"
                yield Label(parameter.symbol, classes=f"param-label {classes}")
                yield Input(
                    exact_text(value),
                    id=field_id(kind, parameter.field),
                    classes=f"{classes} field-{parameter.field}",
                    compact=True,
                    validators=[HyperparameterValidator(parameter)],
                    validate_on=["changed", "submitted"],
                    select_on_focus=False,
                )

    def on_mount(self) -> None:
        self._show_fields()

    @property
    def message(self) -> str:
        """The text on the message line."""
        return str(self.query_one("#optimizer-message", Static).content)

    @property
    def optimizer_kind(self) -> type:
        """The optimizer class chosen in the picker."""
        return OPTIMIZERS[self.query_one("#optimizer-kind", Select).value]

    @property
    def schedule_kind(self) -> type:
        """The schedule class chosen in the picker."""
        return SCHEDULES[self.query_one("#schedule-kind", Select).value]

    def show_message(self, text: str, error: bool = False) -> None:
        """Put ``text`` on the message line, styled as an error if ``error``."""
        line = self.query_one("#optimizer-message", Static)
        line.update(text)
        line.set_class(error, "-error")

    def _show_fields(self) -> None:
        """Show the fields of the chosen kinds only, and the chosen rules."""
        chosen = {self.optimizer_kind.slug, self.schedule_kind.slug}
        for widget in self.query(".param"):
            widget.display = bool(chosen & set(widget.classes))
        rule = summary_of(self.optimizer_kind)
        if self.schedule_kind.slug != "constant":
            rule += " " + summary_of(self.schedule_kind)
        self.query_one("#optimizer-rule", Static).update(rule)

    def parsed(self) -> tuple[Optimizer, Schedule] | str:
        """Build the chosen optimizer and schedule, or return the first error."""
        try:
            optimizer = self._build(self.optimizer_kind)
            schedule = self._build(self.schedule_kind)
            if self._learning_rate is not None:
                check_floor(schedule, self._learning_rate, "floor", "η")
        except ValueError as error:
            return str(error)
        return optimizer, schedule

    def _build(self, kind: type) -> Any:
        texts = {
            parameter.field: self.query_one(
                f"#{field_id(kind, parameter.field)}", Input
            ).value
            for parameter in parameters_of(kind)
        }
        return build(kind, texts)

    def apply(self) -> bool:
        """Post ``Applied`` when every shown field is valid; else name the error."""
        outcome = self.parsed()
        if isinstance(outcome, str):
            self.show_message(f"{outcome}. The run on screen is unchanged.", error=True)
            return False
        self.post_message(self.Applied(*outcome))
        return True

    @on(Select.Changed)
    def _change_kind(self, event: Select.Changed) -> None:
        event.stop()
        self._show_fields()
        self.show_message("")

    @on(Input.Changed)
    def _show_field_error(self, event: Input.Changed) -> None:
        event.stop()
        result = event.validation_result
        if result is not None and not result.is_valid:
            self.show_message(result.failure_descriptions[0], error=True)
        else:
            self.show_message("")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply()

    @on(events.DescendantBlur)
    def _show_value_start(self, event: events.DescendantBlur) -> None:
        """Scroll a field that loses focus back to the start of its value.

        Textual 8.2.8 leaves a field scrolled to where the cursor was, so a value
        wider than its field would show only its end, and 1.234567e-10
        would read as 34567e-10.
        """
        if isinstance(event.widget, Input):
            event.widget.scroll_to(x=0, animate=False, force=True)

    @on(events.DescendantFocus)
    def _show_cursor(self, event: events.DescendantFocus) -> None:
        """Scroll a field that gains focus back to its cursor, which Textual
        scrolls to only when the cursor moves."""
        field = event.widget
        if not isinstance(field, Input):
            return
        cursor_x = (
            field.cursor_screen_offset.x
            - field.content_region.x
            + field.scroll_offset.x
        )
        field.scroll_to_region(Region(cursor_x, 0, 1, 1), animate=False, force=True)


class OptimizerScreen(ModalScreen[tuple[Optimizer, Schedule] | None]):
    """A modal screen around the optimizer panel for the selected run.

    It closes with the new (optimizer, schedule) once applied, or with None
    on Esc, leaving the run as it was. ``learning_rate`` is the run's η,
    which a cosine floor may not exceed; None skips that check.
    """

    AUTO_FOCUS = "#optimizer-kind"
    BINDINGS = [Binding("escape", "dismiss(None)", "Close", key_display="Esc")]

    def __init__(
        self,
        optimizer: Optimizer,
        schedule: Schedule,
        title: str,
        learning_rate: float | None = None,
    ) -> None:
        super().__init__()
        self._optimizer = optimizer
        self._schedule = schedule
        self._title = title
        self._learning_rate = learning_rate

    def compose(self) -> ComposeResult:
        with Vertical(id="optimizer-dialog"):
            yield Label(self._title, id="optimizer-title")
            yield OptimizerPanel(self._optimizer, self._schedule, self._learning_rate)
            with Horizontal(id="optimizer-buttons"):
                yield Button(
                    "Apply", id="optimizer-apply", variant="primary", compact=True
                )
                yield Label(
                    "Enter or Apply restarts the run; Esc closes",
                    id="optimizer-hint",
                )

    @property
    def panel(self) -> OptimizerPanel:
        """The panel inside the screen."""
        return self.query_one(OptimizerPanel)

    @on(Button.Pressed, "#optimizer-apply")
    def _press_apply(self, event: Button.Pressed) -> None:
        event.stop()
        self.panel.apply()

    @on(OptimizerPanel.Applied)
    def _close(self, event: OptimizerPanel.Applied) -> None:
        event.stop()
        self.dismiss((event.optimizer, event.schedule))
