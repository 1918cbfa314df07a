"""The tight loop for constant-η gradient descent matches the general step."""

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_descent.engine import History, Run, RunSettings, StopReason
from tui_descent.expressions import parse_function
from tui_descent.functions import QUADRATIC
from tui_descent.presets import PRESETS


def general_run(function, settings):
    """Run step by step through the general path, which the loop must match."""
    run = Run(function=function, settings=settings)
    with np.errstate(all="ignore"):
        while run._step():
            pass
    return run


@pytest.mark.parametrize(
    "rate, max_steps", [(1.0, 5_000), (0.1, 500), (1.1, 5_000), (0.0, 10), (-0.5, 200)]
)
def test_tight_loop_is_bit_identical(rate, max_steps):
    settings = RunSettings(8.0, rate, max_steps, 1e-6)
    fast = Run(function=QUADRATIC, settings=settings)
    taken = fast.run_to_end()
    slow = general_run(QUADRATIC, settings)
    assert taken == len(slow.history) - 1
    assert fast.stop_reason is slow.stop_reason
    for name, column in fast.history.columns().items():
        assert np.array_equal(column, slow.history.columns()[name], equal_nan=True), (
            name
        )


def test_tight_loop_resumes_in_chunks():
    settings = RunSettings(8.0, 1.0, 1_000, 1e-6)
    chunked = Run(function=QUADRATIC, settings=settings)
    while chunked.advance(300):
        pass
    whole = Run(function=QUADRATIC, settings=settings)
    whole.run_to_end()
    assert np.array_equal(chunked.history.x, whole.history.x)
    # x bounces between 8 and -8, so the last of 1,000 steps is back at 8.
    assert chunked.history.row(1_000) == (8.0, 16.0, 64.0)


def shifted_bowl():
    """f(x) = x² + x: at η = 1 it maps x to -x - 1, a bounce off centre."""
    return replace(
        QUADRATIC,
        name="x² + x",
        f=lambda x: x * x + x,
        df=lambda x: 2.0 * x + 1.0,
    )


@pytest.mark.parametrize("max_steps", [2, 3, 1_000, 1_001])
@pytest.mark.parametrize("function", [QUADRATIC, shifted_bowl()], ids=["x²", "x²+x"])
def test_bounce_fill_is_bit_identical(function, max_steps):
    settings = RunSettings(8.0, 1.0, max_steps, 0.0)
    fast = Run(function=function, settings=settings)
    fast.run_to_end()
    slow = general_run(function, settings)
    assert fast.last_step == slow.last_step == max_steps
    assert fast.stop_reason is slow.stop_reason is StopReason.MAX_STEPS
    for name, column in fast.history.columns().items():
        assert np.array_equal(column, slow.history.columns()[name]), name


def test_bounce_fill_gives_known_rows():
    run = Run(function=shifted_bowl(), settings=RunSettings(8.0, 1.0, 100_001, 0.0))
    run.run_to_end()
    # 8 → -9 → 8 …: odd steps sit at -9 with f = 72 and f' = -17.
    assert run.history.row(100_001) == (-9.0, -17.0, 72.0)
    assert run.history.row(100_000) == (8.0, 17.0, 72.0)
    assert run.step() is False


@pytest.mark.parametrize("chunk", [1, 2, 3, 7])
def test_bounce_fill_resumes_in_small_chunks(chunk):
    settings = RunSettings(8.0, 1.0, 50, 0.0)
    chunked = Run(function=shifted_bowl(), settings=settings)
    while chunked.advance(chunk):
        pass
    whole = general_run(shifted_bowl(), settings)
    assert np.array_equal(chunked.history.x, whole.history.x)
    assert np.array_equal(chunked.history.value, whole.history.value)
    assert chunked.stop_reason is StopReason.MAX_STEPS


def test_history_repeat_rows_keeps_earlier_rows():
    history = History()
    history.append(1.0, 2.0, 3.0)
    history.repeat_rows([(4.0, 5.0, 6.0), (7.0, 8.0, 9.0), (1.5, 2.5, 3.5)], 200)
    assert len(history) == 201
    assert history.row(0) == (1.0, 2.0, 3.0)
    assert history.row(1) == (4.0, 5.0, 6.0)
    assert history.row(3) == (1.5, 2.5, 3.5)
    # Row k is rows[(k - 1) % 3].
    assert history.row(199) == (4.0, 5.0, 6.0)
    assert history.row(200) == (7.0, 8.0, 9.0)
    history.append(0.0, 0.0, 0.0)
    assert history.row(201) == (0.0, 0.0, 0.0)


@settings(max_examples=60, deadline=None)
@given(
    slug=st.sampled_from(sorted(PRESETS)),
    start=st.floats(-10, 10),
    rate=st.sampled_from([0.05, 0.25, 0.5, 1.0, 1.5]) | st.floats(0, 2),
)
def test_tight_loop_matches_general_step_on_every_preset(slug, start, rate):
    function = PRESETS[slug]
    settings = RunSettings(start, rate, 300, 0.0)
    fast = Run(function=function, settings=settings)
    fast.run_to_end()
    slow = general_run(function, settings)
    assert fast.stop_reason is slow.stop_reason
    for name, column in fast.history.columns().items():
        assert np.array_equal(column, slow.history.columns()[name], equal_nan=True), (
            name
        )


TYPED_FORMULAS = ["1/x", "log(x)", "sqrt(x)", "x^3", "sin(x)*exp(-x^2)", "abs(x)", "x^4 - 3x^2"]


@settings(max_examples=80, deadline=None)
@given(
    formula=st.sampled_from(TYPED_FORMULAS),
    start=st.floats(-3, 3),
    rate=st.floats(0, 1.5),
    tolerance=st.sampled_from([0.0, 1e-6, 0.5]),
)
def test_bulk_loop_matches_general_step_on_typed_formulas(formula, start, rate, tolerance):
    function = parse_function(formula)
    settings = RunSettings(start, rate, 3_000, tolerance)
    fast = Run(function=function, settings=settings)
    fast.run_to_end()
    slow = general_run(function, settings)
    assert fast.stop_reason is slow.stop_reason
    assert fast.last_step == slow.last_step
    for name, column in fast.history.columns().items():
        assert np.array_equal(column, slow.history.columns()[name], equal_nan=True), (
            name
        )
