"""The tight loop for constant-η gradient descent matches the general step."""

import numpy as np
import pytest

from tui_descent.engine import Run, RunSettings
from tui_descent.functions import QUADRATIC


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
