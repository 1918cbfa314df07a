"""Checks of the running app's state, shared by the monkey, resize and edge tests.

Each check raises AssertionError naming what disagrees, so a test that
drives the app at random can report the first inconsistency it meets.
"""

from __future__ import annotations

import math

from textual import events
from textual.keys import key_to_character
from textual.widgets import Input

from tui_descent.app import DescentApp
from tui_descent.widgets.function_panel import FunctionPanel, describe_function
from tui_descent.widgets.settings_bar import FIELDS, SettingsBar
from tui_descent.widgets.status_line import StatusLine
from tui_descent.widgets.step_table import StepTable

SETTING_FIELD_IDS = tuple(field.id for field in FIELDS)
"""Ids of the four settings inputs: start, learning-rate, max-steps, tolerance."""


def status_text(app: DescentApp) -> str:
    """Return the two lines of the status bar as plain text."""
    return str(app.query_one(StatusLine).content)


def post_key(app: DescentApp, key: str) -> None:
    """Queue one key press without waiting for the app to handle it.

    Pilot.press waits about 40 ms for the app to go idle after every key;
    queueing a batch and pausing once makes thousands of keys affordable.
    """
    event = events.Key(key, key_to_character(key))
    event.set_sender(app)
    app.post_message(event)


def editing_a_field(app: DescentApp) -> bool:
    """Tell whether the focus is in a text field or off the main screen."""
    return isinstance(app.focused, Input) or app.screen is not app.screen_stack[0]


def check_alive(app: DescentApp) -> None:
    """Fail when the app has exited or recorded an unhandled exception."""
    assert app._exception is None, f"the app raised {app._exception!r}"
    assert app.return_code is None, f"the app exited with {app.return_code}"
    assert app.is_running, "the app is no longer running"


def check_step_views(app: DescentApp) -> None:
    """Check that the status line and the table show the stepper's step."""
    stepper = app.stepper
    run = stepper.run
    assert 0 <= stepper.current <= run.last_step, (
        f"current step {stepper.current} outside 0..{run.last_step}"
    )
    status = status_text(app)
    expected = f"step {stepper.current:,} of {run.settings.max_steps:,}"
    assert expected in status, f"{expected!r} not in the status {status!r}"
    table = app.query_one(StepTable)
    assert table.current == stepper.current, (
        f"table highlights {table.current}, stepper is at {stepper.current}"
    )
    assert table.history is run.history, "the table shows another run's history"


def check_not_falsely_converged(app: DescentApp) -> None:
    """Fail when the status calls a row with nan or inf converged."""
    stepper = app.stepper
    row = stepper.run.history.row(stepper.current)
    if all(math.isfinite(number) for number in row):
        return
    state = app.query_one(StatusLine).state
    assert "converged" not in state, f"state {state!r} for the row {row}"


def check_settings_shown(app: DescentApp) -> None:
    """Check that the fields show the run's settings and function.

    Skipped while a field has the focus or another screen is open, because
    the text being edited need not match the run until Enter is pressed.
    """
    if editing_a_field(app):
        return
    settings = app.stepper.settings
    bar = app.query_one(SettingsBar)
    for field in FIELDS:
        text = bar.query_one(f"#{field.id}", Input).value
        expected = getattr(settings, field.attribute)
        try:
            parsed = field.check(text)
        except ValueError:
            parsed = None
        assert parsed == expected, (
            f"field {field.id} shows {text!r} while the run uses {expected!r}"
        )
    panel = app.query_one(FunctionPanel)
    assert panel.function == app.stepper.function, (
        f"panel shows {panel.function.name!r}, run uses {app.stepper.function.name!r}"
    )
    assert panel.formulas == describe_function(app.stepper.function)


def check_consistent(app: DescentApp) -> None:
    """Run every check above."""
    check_alive(app)
    check_step_views(app)
    check_not_falsely_converged(app)
    check_settings_shown(app)
