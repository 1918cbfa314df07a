"""Numbers at the edges of a float, typed into the app and given to batch mode.

Starts and learning rates of 0, negative, subnormal (1e-320) and near the
largest float (1e308), and runs whose f(x) or slope overflow or turn nan
part-way. The app must apply or reject each value with a message, and the
status line and the table must stay honest: never "converged" for a row
with nan or inf. The property test at the end checks the same of the
engine over random settings and every preset.
"""

from __future__ import annotations

import io
import math
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from textual.widgets import Input

from app_checks import check_consistent, status_text
from tmux_helpers import installed_command
from tui_descent.app import DescentApp
from tui_descent.batch import main as run_batch
from tui_descent.behaviour import describe
from tui_descent.engine import MAX_ABS_X, Run, RunSettings, StopReason
from tui_descent.numbers import format_number
from tui_descent.presets import PRESETS
from tui_descent.widgets.function_panel import FunctionPanel
from tui_descent.widgets.settings_bar import SettingsBar
from tui_descent.widgets.status_line import StatusLine
from tui_descent.widgets.step_table import StepTable

LARGEST = "1.7976931348623157e308"

# (f(x) typed, or None for x²), [(field, text), ...], state words after "g".
# The states follow from the update x - η·f'(x) by hand: η = 0 or a
# subnormal η leaves 8 - η·16 == 8 (stalled); η = 1e308 gives 8 - 1.6e309,
# which is -inf (diverged); x0 = 1e10 on x^4 reaches x = 2.56e92 at step 2,
# where x^4 overflows (overflowed); sqrt(x) from 1 with η = 1 steps to
# x = -0.207, where the root is nan (undefined).
APPLIED = [
    (None, [("start", "0")], "converged"),
    (None, [("start", "-0")], "converged"),
    (None, [("start", "1e-320")], "converged"),
    (None, [("start", "-1e150")], "reached max steps"),
    (None, [("learning-rate", "0")], "stalled"),
    (None, [("learning-rate", "1e-320")], "stalled"),
    (None, [("learning-rate", "5e-324")], "stalled"),
    (None, [("learning-rate", "1e-400")], "stalled"),
    (None, [("learning-rate", "1e308")], "diverged"),
    (None, [("learning-rate", LARGEST)], "diverged"),
    (None, [("learning-rate", "-1e308")], "diverged"),
    (None, [("learning-rate", "-1"), ("max-steps", "1000")], "diverged"),
    (None, [("tolerance", "0")], "reached max steps"),
    (None, [("max-steps", "0")], "reached max steps"),
    (None, [("max-steps", "1000000")], "converged"),
    ("x^4", [("start", "1e10"), ("learning-rate", "1")], "overflowed"),
    ("sqrt(x)", [("start", "1"), ("learning-rate", "1")], "undefined"),
    ("exp(x)", [("start", "710")], "overflowed"),
    ("1/x", [("start", "0")], "undefined"),
    ("log(x)", [("start", "-1")], "undefined"),
]

REJECTED = [
    ("start", "1e308", "start 1e308 is too large"),
    ("start", "-1e151", "start -1e151 is too large"),
    ("start", "nan", "start cannot be nan"),
    ("start", "-inf", "start cannot be infinite"),
    ("learning-rate", "1e400", "learning rate cannot be infinite"),
    ("learning-rate", "-1e999", "learning rate cannot be infinite"),
    ("learning-rate", "0x1p3", "learning rate '0x1p3' is not a number"),
    ("tolerance", "-1e-320", "tolerance -1e-320 is negative"),
    ("tolerance", "inf", "tolerance cannot be infinite"),
    ("max-steps", "1e6.5", "max steps '1e6.5' is not a whole number"),
    ("max-steps", "2e6", "max steps 2000000 is out of range"),
    ("max-steps", "", "max steps is empty"),
    ("max-steps", "1000001", "max steps 1000001 is out of range"),
    ("max-steps", "-1", "max steps -1 is out of range"),
]


async def set_field(pilot, field_id: str, text: str) -> None:
    """Replace the text of one field and press Enter in it."""
    field = pilot.app.query_one(f"#{field_id}", Input)
    field.focus()
    await pilot.pause()
    field.value = text
    await pilot.press("enter")
    await pilot.pause()


async def choose_formula(pilot, formula: str) -> None:
    """Type ``formula`` into the f(x) field and wait for the parse to finish."""
    panel = pilot.app.query_one(FunctionPanel)
    await set_field(pilot, "function-input", formula)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert panel.function.formula == formula, panel.message


def current_row_text(app: DescentApp) -> str:
    """Return the table line of the current step as it is drawn."""
    table = app.query_one(StepTable)
    step = str(app.stepper.current)
    for y in range(1, table.size.height):
        text = table.render_line(y).text
        if text.split()[:1] == [step]:
            return text
    raise AssertionError(f"step {step} is not in view in the table")


@pytest.mark.parametrize(("formula", "edits", "state"), APPLIED)
async def test_edge_value_applies_honestly(formula, edits, state):
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        if formula is not None:
            await choose_formula(pilot, formula)
        for field_id, text in edits:
            await set_field(pilot, field_id, text)
            assert "Applied" in app.query_one(SettingsBar).message
        await pilot.press("escape", "g")
        await app.workers.wait_for_complete()
        await pilot.pause()

        check_consistent(app)
        assert app.stepper.run.stopped
        shown_state = app.query_one(StatusLine).state
        assert shown_state == state, status_text(app)
        x, slope, value = app.stepper.run.history.row(app.stepper.current)
        row_text = current_row_text(app)
        for number in (x, slope, value):
            assert format_number(number) in row_text
            assert format_number(number) in status_text(app)


async def test_edge_values_are_rejected_by_name():
    # One app for the whole table: each rejection must leave it as it was.
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("n", "n")
        before = app.stepper.settings
        for field_id, text, message in REJECTED:
            await set_field(pilot, field_id, text)
            bar_message = app.query_one(SettingsBar).message
            assert message in bar_message, f"{field_id} := {text!r}: {bar_message!r}"
            assert app.stepper.settings == before, f"{field_id} := {text!r}"
            assert app.stepper.current == 2, f"{field_id} := {text!r}"
            await pilot.press("escape")
            check_consistent(app)


@pytest.mark.parametrize(
    ("field_id", "text", "state"),
    [("learning-rate", "1e308", "diverged"), ("learning-rate", "-1e-320", "stalled")],
)
async def test_typed_keys_apply_edge_value(field_id, text, state):
    # Key by key, as a person types, rather than setting the field's value.
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        field = app.query_one(f"#{field_id}", Input)
        field.focus()
        await pilot.pause()
        await pilot.press("end", *["backspace"] * len(field.value), *text, "enter")
        assert field.value == text
        await pilot.press("escape", "g")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one(StatusLine).state == state
        check_consistent(app)


async def test_field_keeps_every_digit():
    app = DescentApp()
    async with app.run_test(size=(120, 40)) as pilot:
        await set_field(pilot, "start", "0.1234567890123")
        await pilot.press("escape", "right_square_bracket")
        start_field = app.query_one("#start", Input)
        assert start_field.value == "0.1234567890123"
        await set_field(pilot, "start", start_field.value)
        assert app.stepper.settings.start == 0.1234567890123


# Batch mode, in-process: (arguments, exit status, text in the output).
BATCH = [
    (["--lr", "1e308"], 1, "diverged"),
    (["--lr", "-1e308"], 1, "diverged"),
    (["--lr", "0"], 1, "stalled"),
    (["--lr", "1e-320"], 1, "stalled"),
    (["--start", "1e-320"], 0, "converged"),
    (["--start", "-1e150"], 1, "reached max steps"),
    (["--tolerance", "1e308"], 1, "tolerance too loose"),
    (["--max-steps", "0"], 1, "reached max steps"),
    (["--preset", "quartic", "--start", "1e10", "--lr", "1"], 1, "overflowed"),
    (["--function", "sqrt(x)", "--start", "1", "--lr", "1"], 1, "undefined"),
    (["--function", "exp(x)", "--start", "710"], 1, "overflowed"),
]


@pytest.mark.parametrize(("arguments", "status", "words"), BATCH)
def test_batch_edge_values(arguments, status, words):
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, highlight=False, color_system=None)
    assert run_batch(arguments, console=console) == status
    output = buffer.getvalue()
    assert "Stopped at step" in output
    assert f": {words}." in output


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--start", "1e308"], "start 1e308 is too large"),
        (["--lr", "nan"], "learning rate cannot be nan"),
        (["--start", "-inf"], "start cannot be infinite"),
        (["--lr", "-1e400"], "learning rate cannot be infinite"),
        (["--max-steps", "1000001"], "max steps 1000001 is out of range"),
    ],
)
def test_batch_rejects_edge_values(arguments, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_batch(arguments)
    assert exit_info.value.code == 2
    stderr = capsys.readouterr().err
    assert message in stderr
    assert stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("arguments", "status", "words"),
    [
        (["--start", "1e308"], 2, "start 1e308 is too large"),
        (["--lr", "1e308", "--no-chart"], 1, "diverged"),
    ],
)
def test_installed_batch_prints_no_traceback(arguments, status, words):
    result = subprocess.run(
        [installed_command(), "run", *arguments],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == status
    assert words in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


CONVERGED_STATES = {
    "converged",
    "stuck in a local minimum",
    "slope zero, not a minimum",
    "tolerance too loose",
}
"""What the status may call a run that stopped with |f'(x)| below tolerance."""

EDGE_FLOATS = [0.0, -0.0, 5e-324, -5e-324, 1e-320, 1e-300, 1.0, -1.0, 0.5, 2.0,
               1e150, -1e150, 1e151, 1e308, -1e308, 1.7976931348623157e308]
finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(
    function=st.sampled_from(list(PRESETS.values())),
    start=st.sampled_from(EDGE_FLOATS) | finite,
    learning_rate=st.sampled_from(EDGE_FLOATS) | finite,
    max_steps=st.integers(min_value=0, max_value=200),
    tolerance=st.sampled_from([0.0, 5e-324, 1e-12, 1e-6, 1.0, 1e308])
    | st.floats(min_value=0, allow_nan=False, allow_infinity=False),
    first_steps=st.integers(min_value=0, max_value=200),
)
def test_stop_reason_matches_history(
    function, start, learning_rate, max_steps, tolerance, first_steps
):
    run = Run(
        function=function,
        settings=RunSettings(
            start=start,
            learning_rate=learning_rate,
            max_steps=max_steps,
            tolerance=tolerance,
        ),
    )
    run.advance(first_steps)
    check_stop_reason(run)
    run.run_to_end()
    assert run.stop_reason is not StopReason.RUNNING, "run_to_end left it running"
    check_stop_reason(run)
    assert not run.step(), "a stopped run took another step"
    for step in range(run.last_step):
        x, slope, value = run.history.row(step)
        # The run went on from this row, so it passed every stop test.
        assert abs(x) <= MAX_ABS_X, f"step {step}: x = {x}"
        assert tolerance <= abs(slope) < math.inf, f"step {step}: f'(x) = {slope}"
        assert abs(value) < math.inf, f"step {step}: f(x) = {value}"


def check_stop_reason(run: Run) -> None:
    """Check that the stop reason agrees with the last row and the step count."""
    x, slope, value = run.history.row(run.last_step)
    reason = run.stop_reason
    max_steps = run.settings.max_steps
    assert run.last_step <= max_steps
    if reason is StopReason.RUNNING:
        assert run.last_step < max_steps
    elif reason is StopReason.CONVERGED:
        assert abs(x) <= MAX_ABS_X
        assert abs(slope) < run.settings.tolerance
        assert math.isfinite(value)
    elif reason is StopReason.DIVERGED:
        assert not math.isfinite(x) or abs(x) > MAX_ABS_X
    elif reason is StopReason.OVERFLOWED:
        assert math.isfinite(x)
        assert math.isinf(slope) or math.isinf(value)
    elif reason is StopReason.UNDEFINED:
        has_nan = math.isnan(x) or math.isnan(slope) or math.isnan(value)
        assert has_nan or run.stop_detail
    elif reason is StopReason.MAX_STEPS:
        assert run.last_step == max_steps
    elif reason is StopReason.STALLED:
        assert run.last_step < max_steps
    else:
        raise AssertionError(f"unknown stop reason {reason}")
    state = describe(run, run.last_step).state
    if reason is StopReason.CONVERGED:
        assert state in CONVERGED_STATES
    elif not all(math.isfinite(number) for number in (x, slope, value)):
        assert "converged" not in state, f"{state!r} for the row {(x, slope, value)}"
