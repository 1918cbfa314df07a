"""Known answers for plain gradient descent on f(x) = x²."""

import math

import pytest

from tui_descent.engine import MAX_ABS_X, Run, RunSettings, StopReason


def run_to_end(start=8.0, learning_rate=0.1, max_steps=50, tolerance=1e-6):
    run = Run(settings=RunSettings(start, learning_rate, max_steps, tolerance))
    run.run_to_end()
    return run


def test_classic_series_matches_closed_form():
    run = run_to_end()
    assert run.last_step == 50
    for k in range(run.last_step + 1):
        x, slope, value = run.history.row(k)
        expected = 8 * 0.8**k
        assert x == pytest.approx(expected, rel=1e-12)
        assert slope == pytest.approx(2 * expected, rel=1e-12)
        assert value == pytest.approx(expected**2, rel=1e-12)
    assert run.stop_reason is StopReason.MAX_STEPS


def test_classic_series_converges_with_enough_steps():
    run = run_to_end(max_steps=1000)
    # |2 * 8 * 0.8^k| < 1e-6 is first true at k = ceil(log(1e-6 / 16) / log(0.8)).
    expected_steps = math.ceil(math.log(1e-6 / 16) / math.log(0.8))
    assert run.stop_reason is StopReason.CONVERGED
    assert run.last_step == expected_steps


def test_half_learning_rate_lands_in_one_step():
    run = run_to_end(learning_rate=0.5)
    assert run.last_step == 1
    assert run.history.row(1) == (0.0, 0.0, 0.0)
    assert run.stop_reason is StopReason.CONVERGED


def test_unit_learning_rate_bounces_forever():
    run = run_to_end(learning_rate=1.0, max_steps=200)
    xs = run.history.x
    assert run.stop_reason is StopReason.MAX_STEPS
    assert all(xs[k] == (8.0 if k % 2 == 0 else -8.0) for k in range(len(xs)))


def test_large_learning_rate_diverges_and_stops():
    run = run_to_end(learning_rate=1.1, max_steps=100_000)
    x, _, value = run.history.row(run.last_step)
    assert run.stop_reason is StopReason.DIVERGED
    assert abs(x) > MAX_ABS_X
    assert math.isfinite(run.history.row(run.last_step - 1)[2])
    # Every step multiplies x by 1 - 2 * 1.1 = -1.2.
    assert run.history.row(3)[0] == pytest.approx(8 * (-1.2) ** 3, rel=1e-12)


def test_zero_learning_rate_stalls_at_start():
    run = run_to_end(learning_rate=0.0)
    assert run.stop_reason is StopReason.STALLED
    assert run.last_step == 0


def test_negative_learning_rate_climbs_away():
    run = run_to_end(learning_rate=-0.1, max_steps=5)
    assert run.history.row(1)[0] == pytest.approx(8 * 1.2, rel=1e-12)
    assert run.stop_reason is StopReason.MAX_STEPS


def test_start_at_minimum_converges_at_once():
    run = run_to_end(start=0.0)
    assert run.last_step == 0
    assert run.stop_reason is StopReason.CONVERGED


def test_overflowing_start_is_diverged_not_converged():
    for start in (1e308, math.inf, -math.inf):
        run = run_to_end(start=start)
        assert run.stop_reason is StopReason.DIVERGED


def test_nan_start_is_never_converged():
    run = run_to_end(start=math.nan)
    assert run.stop_reason is not StopReason.CONVERGED
    assert run.stop_reason.stopped


def test_ensure_computes_only_what_is_asked():
    run = Run(settings=RunSettings(8.0, 0.1, 50, 1e-6))
    assert run.ensure(10) == 10
    assert run.last_step == 10
    assert run.ensure(3) == 3
    assert run.last_step == 10
    assert run.ensure(500) == 50


def test_history_grows_past_initial_capacity():
    run = run_to_end(learning_rate=1.0, max_steps=10_000)
    assert len(run.history) == 10_001
    assert run.history.x[-1] == 8.0


def test_pole_stops_as_undefined_not_overflowed():
    from tui_descent.expressions import parse_function

    for formula, start in (("1/x", 0.0), ("1/(x-2)", 2.0), ("log(x)", 0.0)):
        run = Run(function=parse_function(formula), settings=RunSettings(start=start))
        assert run.stop_reason is StopReason.UNDEFINED, formula
        assert "pole" in run.stop_detail


def test_overflow_at_start_stays_overflowed():
    from tui_descent.expressions import parse_function

    run = Run(function=parse_function("exp(x)"), settings=RunSettings(start=800.0))
    assert run.stop_reason is StopReason.OVERFLOWED


def test_far_divergence_with_nan_value_is_diverged():
    from tui_descent.expressions import parse_function

    run = Run(function=parse_function("x^4 - 3x^2 + x"), settings=RunSettings())
    run.run_to_end()
    assert run.stop_reason is StopReason.DIVERGED
