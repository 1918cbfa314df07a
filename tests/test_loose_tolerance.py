"""Runs that stop because the tolerance is above the slope of a sloped point.

On x² over [-9, 9] the spread of f is 81, so its mean slope is 81 / 18 = 4.5
and a slope counts as flat up to 1% of that, 0.045. Every expected value
below follows from x_k = 8 · 0.8^k and f'(x_k) = 16 · 0.8^k for η = 0.1.
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from textual.widgets import Input

from app_checks import status_text
from test_monkey import private_folders  # noqa: F401  (fixture used below)
from tui_descent.app import DescentApp
from tui_descent.batch import main as run_batch
from tui_descent.behaviour import describe
from tui_descent.engine import Run, RunSettings, StopReason
from tui_descent.functions import QUADRATIC
from tui_descent.presets import PRESETS
from tui_descent.stationary import flat_slope_limit, is_flat


def finished(function=QUADRATIC, start=8.0, tolerance=20.0):
    run = Run(function, RunSettings(start, 0.1, 50, tolerance))
    run.run_to_end()
    return run


def test_flat_limit_on_square():
    assert flat_slope_limit(QUADRATIC) == pytest.approx(0.045)


def test_flat_limit_boundary():
    assert is_flat(QUADRATIC, 0.0)
    assert is_flat(QUADRATIC, -0.045)
    assert not is_flat(QUADRATIC, 0.0451)
    assert not is_flat(QUADRATIC, 16.0)


def test_start_below_loose_tolerance():
    run = finished(tolerance=20.0)
    assert run.stop_reason is StopReason.CONVERGED
    assert run.last_step == 0
    description = describe(run, 0)
    assert description.state == "tolerance too loose"
    text = description.explanation
    assert "|f'(x0)| = 16 is already below the tolerance 20" in text
    assert "at the start x0 = 8" in text
    assert "this is not a minimum" in text
    assert "Set a tolerance below 0.045 (1% of f's average slope over the chart)" in text
    assert "such as 1e-6" in text
    assert "local minimum" not in text


def test_stop_after_steps_names_slope():
    # 16 · 0.8^k < 1 first at k = 13: 16 · 0.8^13 = 0.8796, x = 0.4398.
    run = finished(tolerance=1.0)
    assert run.last_step == 13
    description = describe(run, 13)
    assert description.state == "tolerance too loose"
    text = description.explanation
    assert "after 13 steps, |f'(x)| = 0.879609 at x = 0.439805" in text
    assert "below the tolerance 1, so the run stopped" in text
    assert "local minimum" not in text


def test_tight_tolerance_still_converges():
    # 16 · 0.8^27 = 0.0387 < 0.04, and 0.0387 is within the flat limit 0.045.
    run = finished(tolerance=0.04)
    assert run.last_step == 27
    assert describe(run, 27).state == "converged"


def test_wavy_slope_is_no_hilltop():
    # f'(7) = 3 cos 21 + 1.4 = -0.243, far above the flat limit of the wave.
    run = finished(PRESETS["wavy"], start=7.0, tolerance=20.0)
    description = describe(run, 0)
    assert description.state == "tolerance too loose"
    assert "|f'(x0)| = 0.243188" in description.explanation
    assert "hilltop" not in description.explanation


def test_quartic_slope_is_not_flat_point():
    # From x = 2 on x⁴, η = 0.1: x_1 = 2 - 0.1 · 32 = -1.2, f'(x_1) = -6.912.
    run = finished(PRESETS["quartic"], start=2.0, tolerance=20.0)
    assert run.last_step == 1
    description = describe(run, 1)
    assert description.state == "tolerance too loose"
    assert "|f'(x)| = 6.912 at x = -1.2" in description.explanation


def test_batch_report_explains_loose_tolerance():
    buffer = io.StringIO()
    console = Console(file=buffer, width=100, highlight=False, color_system=None)
    assert run_batch(["--tolerance", "20", "--no-chart"], console=console) == 1
    output = " ".join(buffer.getvalue().split())
    assert "Stopped at step 0: tolerance too loose." in output
    assert "(1% of f's average slope over the chart)" in output
    assert "Tolerance too loose" in output
    assert "already below the tolerance 20" in output


@pytest.mark.usefixtures("private_folders")
async def test_app_status_names_loose_tolerance():
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        field = app.query_one("#tolerance", Input)
        field.focus()
        await pilot.pause()
        field.value = "20"
        await pilot.press("enter")
        await pilot.pause()
        assert app.stepper.settings.tolerance == 20.0
        status = status_text(app)
        assert "tolerance too loose" in status
        assert "local minimum" not in status
