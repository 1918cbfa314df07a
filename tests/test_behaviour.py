"""Descriptions of known runs on f(x) = x², read at chosen steps."""

import math

import numpy as np
import pytest

from tui_descent.behaviour import Description, describe
from tui_descent.engine import History, Run, RunSettings, StopReason
from tui_descent.functions import Function
from tui_descent.optimizers import Adam, Momentum, Nesterov, Newton
from tui_descent.schedules import ExponentialDecay, StepDecay
from tui_descent.trend import SWING_WINDOW


def finished(start=8.0, learning_rate=0.1, max_steps=50, tolerance=1e-6):
    run = Run(settings=RunSettings(start, learning_rate, max_steps, tolerance))
    run.run_to_end()
    return run


def test_small_rate_converges_smoothly():
    run = finished(learning_rate=0.1)
    description = describe(run, 10)
    assert description.state == "converging"
    # Each step multiplies x, and so f'(x) = 2x, by 1 - 2 * 0.1 = 0.8.
    assert "factor of 0.8" in description.explanation


def test_smooth_convergence_estimates_steps_left():
    run = finished(learning_rate=0.1, max_steps=1000)
    # |f'(x_10)| = 16 * 0.8^10; steps until below 1e-6 at factor 0.8:
    left = math.ceil(math.log(1e-6 / (16 * 0.8**10)) / math.log(0.8))
    assert f"about {left} more steps" in describe(run, 10).explanation


def test_rate_above_half_converges_oscillating():
    run = finished(learning_rate=0.9)
    description = describe(run, 10)
    assert description.state == "converging, oscillating"
    # 1 - 2 * 0.9 = -0.8: x changes sign and shrinks by 0.8 every step.
    assert "factor of 0.8" in description.explanation
    assert "0.5" in description.explanation


def test_unit_rate_oscillates_with_constant_size():
    run = finished(learning_rate=1.0)
    description = describe(run, 7)
    assert description.state == "oscillating"
    # x_6 = 8 and x_7 = -8.
    assert "between 8 and -8" in description.explanation


def test_rate_above_one_diverges_naming_threshold():
    run = finished(learning_rate=1.1)
    description = describe(run, 10)
    assert description.state == "diverging"
    assert "above 1 diverges" in description.explanation
    assert "η = 0.5" in description.explanation


def test_diverged_run_names_the_limit():
    run = finished(learning_rate=1.1, max_steps=100_000)
    description = describe(run, run.last_step)
    assert run.stop_reason is StopReason.DIVERGED
    assert description.state == "diverged"
    assert "1e150" in description.explanation
    assert "above 1 diverges" in description.explanation


def test_zero_rate_is_stalled():
    run = finished(learning_rate=0.0)
    description = describe(run, 0)
    assert description.state == "stalled"
    assert "η = 0" in description.explanation


def test_tiny_rate_is_stalled_by_float_spacing():
    run = finished(learning_rate=1e-320)
    description = describe(run, 0)
    assert description.state == "stalled"
    # The spacing of floats near 8 is 2^-49.
    assert "1.776e-15" in description.explanation


def test_half_rate_converges_at_step_one():
    run = finished(learning_rate=0.5)
    description = describe(run, 1)
    assert description.state == "converged"
    assert "after 1 step" in description.explanation


def test_start_at_minimum_converges_at_step_zero():
    run = finished(start=0.0)
    description = describe(run, 0)
    assert description.state == "converged"
    assert "at the start" in description.explanation


def test_earlier_step_of_finished_run_describes_trend():
    run = finished(learning_rate=0.5)
    assert describe(run, 0).state == "starting"
    run = finished(learning_rate=0.1, max_steps=1000)
    assert run.stop_reason is StopReason.CONVERGED
    assert describe(run, 40).state == "converging"
    assert describe(run, run.last_step).state == "converged"


def test_max_steps_reports_trend_before_stop():
    run = finished(learning_rate=1.0)
    description = describe(run, run.last_step)
    assert description.state == "reached max steps"
    assert "oscillating" in description.explanation


def test_negative_rate_is_climbing():
    run = finished(learning_rate=-0.1, max_steps=5)
    assert describe(run, 3).state == "climbing"


def test_zero_rate_before_first_step_is_not_moving():
    run = Run(settings=RunSettings(8.0, 0.0, 50, 1e-6))
    assert describe(run, 0).state == "not moving"


def hand_made_run(rows, reason):
    history = History()
    for row in rows:
        history.append(*row)
    return Run(history=history, stop_reason=reason)


@pytest.mark.parametrize(
    ("row", "state"),
    [
        ((1.0, math.nan, 1.0), "undefined"),
        ((1.0, 0.0, math.nan), "undefined"),
        ((math.nan, math.nan, math.nan), "undefined"),
        ((1.0, math.inf, 1.0), "overflowed"),
        ((1.0, 0.0, math.inf), "overflowed"),
        ((math.inf, math.inf, math.inf), "diverged"),
    ],
)
def test_non_finite_row_is_never_converged(row, state):
    # The stop reason claims convergence on purpose: the row must win.
    run = hand_made_run([(8.0, 16.0, 64.0), row], StopReason.CONVERGED)
    description = describe(run, 1)
    assert description.state == state
    assert "onverged" not in description.explanation


def test_nan_start_is_undefined():
    run = finished(start=math.nan)
    assert describe(run, 0).state == "undefined"


def test_overflow_at_finite_x_is_overflowed():
    exp_like = Function(
        name="e^x",
        formula="exp(x)",
        derivative_formula="exp(x)",
        f=np.exp,
        df=np.exp,
    )
    run = Run(function=exp_like, settings=RunSettings(800.0, 0.1, 5, 1e-6))
    assert run.stop_reason is StopReason.OVERFLOWED
    assert describe(run, 0).state == "overflowed"


def test_step_outside_history_is_rejected():
    run = finished(learning_rate=0.1, max_steps=3)
    with pytest.raises(IndexError, match=r"step 4 is outside 0\.\.3"):
        describe(run, 4)


def test_reads_only_a_window_of_history():
    run = finished(learning_rate=0.1, max_steps=200, tolerance=0.0)
    late = describe(run, 150)
    # Erase everything before the window: the description must not change.
    first = 150 - SWING_WINDOW
    run.history.x[:first] = math.nan
    run.history.slope[:first] = math.nan
    run.history.value[:first] = math.nan
    assert describe(run, 150) == late


def test_description_is_frozen():
    description = Description("running", "text")
    with pytest.raises(AttributeError):
        description.state = "other"


def run_with(optimizer, learning_rate=0.1, max_steps=300, start=8.0, function=None):
    settings = RunSettings(start, learning_rate, max_steps, 1e-6, optimizer=optimizer)
    run = Run(settings=settings) if function is None else Run(function, settings)
    run.run_to_end()
    return run


def test_momentum_swings_are_converging_overshooting():
    run = run_with(Momentum())
    # With β = 0.9 and η = 0.1 x first crosses 0 near step 5; by step 40 it
    # has swung across several times with shrinking peaks.
    description = describe(run, 40)
    assert description.state == "converging, overshooting"
    assert "swing" in description.explanation


def test_momentum_divergence_names_its_threshold():
    run = run_with(Momentum(), learning_rate=2.0, max_steps=40)
    description = describe(run, 30)
    assert description.state == "diverging"
    # Heavy ball on x² (c = 2) diverges for η > 2(1 + 0.9) / 2 = 1.9.
    assert "above 1.9 diverges with momentum" in description.explanation
    assert "η = 0.95 or less" in description.explanation


def test_nesterov_divergence_names_its_threshold():
    run = run_with(Nesterov(beta=0.5), learning_rate=1.0, max_steps=40)
    description = describe(run, 30)
    assert description.state == "diverging"
    # 2(1 + 0.5) / ((1 + 2 * 0.5) * 2) = 0.75.
    assert "above 0.75 diverges" in description.explanation


def test_adaptive_divergence_gives_generic_advice():
    run = run_with(Adam(), learning_rate=0.1, max_steps=40)
    description = describe(run, 10)
    assert description.state == "converging"
    assert "above" not in description.explanation


def test_newton_without_curvature_explains_why():
    plain = Function(
        name="x² without f''",
        formula="x^2",
        derivative_formula="2x",
        f=lambda x: x * x,
        df=lambda x: 2 * x,
    )
    run = run_with(Newton(), function=plain)
    description = describe(run, 0)
    assert description.state == "undefined"
    assert "needs f''(x)" in description.explanation


def test_newton_at_zero_rate_is_not_stalled():
    run = run_with(Newton(), learning_rate=0.0)
    assert describe(run, 1).state == "converged"


def test_decaying_schedule_rate_is_used_for_stall():
    settings = RunSettings(8.0, 0.1, 200, 1e-6, schedule=ExponentialDecay(0.5))
    run = Run(settings=settings)
    run.run_to_end()
    # η_k = 0.1 * 0.5^k shrinks until η_k * f'(x) no longer changes x.
    assert run.stop_reason is StopReason.STALLED
    description = describe(run, run.last_step)
    assert description.state == "stalled"
    assert "too small to change" in description.explanation


def test_newton_start_explains_the_jump():
    run = Run(settings=RunSettings(8.0, 0.1, 5, 1e-6, optimizer=Newton()))
    description = describe(run, 0)
    assert description.state == "starting"
    assert "parabola" in description.explanation


def test_slow_factor_shows_digits_below_one():
    run = finished(learning_rate=0.0001, max_steps=20)
    # 1 - 2 * 0.0001 = 0.9998, which three digits would round to 1.
    assert "factor of 0.9998 per step" in describe(run, 10).explanation


def test_schedule_that_reaches_zero_is_named():
    schedule = StepDecay(every=1, factor=0.5)
    settings = RunSettings(8.0, 1e-300, 2000, 1e-6, Momentum(), schedule)
    run = Run(settings=settings)
    run.run_to_end()
    # 1e-300 * 0.5^k drops below the smallest float (about 4.9e-324) after
    # about 75 halvings. The velocity keeps changing until then, so only a
    # rate of exactly 0 freezes the run.
    assert run.stop_reason is StopReason.STALLED
    assert 70 < run.last_step < 80
    description = describe(run, run.last_step)
    assert description.state == "stalled"
    assert "step decay schedule has brought η down to 0" in description.explanation


def preset_run(slug, start, optimizer=None, learning_rate=0.1):
    from tui_descent.optimizers import GradientDescent
    from tui_descent.presets import PRESETS

    settings = RunSettings(
        start, learning_rate, 100_000, 1e-6, optimizer or GradientDescent()
    )
    run = Run(PRESETS[slug], settings)
    run.run_to_end()
    return run


def test_double_well_right_start_is_local_minimum():
    run = preset_run("double-well", 1.6)
    assert run.stop_reason is StopReason.CONVERGED
    description = describe(run, run.last_step)
    assert description.state == "stuck in a local minimum"
    # x⁴ - 3x² + x has its lower minimum near x = -1.30, f = -3.51; the
    # curve is sampled every 0.0125 over [-2.5, 2.5], so x reads -1.3.
    assert "lower near x = -1.3 (f ≈ -3.51)" in description.explanation


def test_double_well_left_start_is_global():
    run = preset_run("double-well", -1.6)
    assert describe(run, run.last_step).state == "converged"


def test_wavy_dip_is_local_minimum():
    run = preset_run("wavy", 7.0, learning_rate=0.05)
    description = describe(run, run.last_step)
    assert description.state == "stuck in a local minimum"
    # sin(3x) + 0.1x² is lowest near x = -0.5, where f is about -0.97.
    assert "f ≈ -0.972" in description.explanation


def test_cubic_flat_point_is_not_minimum():
    run = preset_run("cubic", 2.0)
    assert run.stop_reason is StopReason.CONVERGED
    description = describe(run, run.last_step)
    assert description.state == "slope zero, not a minimum"
    # f'(x) = 3x² is positive on both sides of 0, so f falls to the left.
    assert "keeps falling to the left" in description.explanation


def test_cubic_start_at_zero_is_not_minimum():
    run = preset_run("cubic", 0.0)
    assert run.last_step == 0
    assert describe(run, 0).state == "slope zero, not a minimum"


def test_newton_reaching_a_maximum_says_so():
    from tui_descent.optimizers import Newton

    # The double well's maximum is near x = 0.17, where 4x³ - 6x + 1 = 0 and
    # f'' = 12x² - 6 < 0; Newton's method from 0.1 jumps to it.
    run = preset_run("double-well", 0.1, optimizer=Newton())
    description = describe(run, run.last_step)
    assert description.state == "slope zero, not a minimum"
    assert "maximum" in description.explanation
    assert "maxima included" in description.explanation
    assert run.history.row(run.last_step)[0] == pytest.approx(0.16994, abs=1e-4)


def test_quartic_flat_bottom_is_a_minimum():
    # x⁴ converges at |x| near 0.0063, where f'' is tiny but f rises both ways.
    run = preset_run("quartic", 2.0)
    assert run.stop_reason is StopReason.CONVERGED
    assert describe(run, run.last_step).state == "converged"
