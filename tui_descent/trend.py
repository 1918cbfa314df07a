"""Measurements of the last steps of a run, read by ``behaviour.describe``.

Only a fixed window of rows before the measured step is read, so measuring
costs the same at step 100,000 as at step 10. This module is part of the
maths layer: it imports no textual, rich or plotext.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import pairwise

from .engine import Run

WINDOW = 16
"""How many steps before ``step`` the step-by-step trend is read from."""

SWING_WINDOW = 64
"""How many steps before ``step`` the size of momentum's swings is read from.
A swing is the stretch between two sign changes of f'(x); with β = 0.9 on x²
it lasts about 7 steps at η = 0.1 and 23 steps at η = 0.01, so 64 steps hold
at least two whole swings down to η = 0.01."""

STEADY = 1e-9
"""Relative change in |f'(x)| below which a bounce counts as constant size."""


@dataclass(frozen=True)
class Trend:
    """Measurements of the window of steps that ends at the measured step."""

    steps: int
    """Number of steps in the window (rows minus one)."""
    crossings: int
    """Steps in the window after which f'(x) has the other sign."""
    shrinking: bool
    """|f'(x)| fell at every step of the window."""
    growing: bool
    """|f'(x)| rose at every step of the window."""
    steady: bool
    """|f'(x)| changed by at most STEADY, relatively, at every step."""
    rising: bool
    """f(x) rose at every step of the window."""
    falling: bool
    """f(x) fell at every step of the window."""
    swung: bool
    """f'(x) changed sign in the last SWING_WINDOW steps."""
    swings_shrink: bool
    """Each swing across the minimum peaked lower than the one before."""
    factor: float
    """Mean factor by which |f'(x)| changed per step over the window."""


def measure_trend(run: Run, step: int) -> Trend:
    """Measure the window of at most WINDOW steps that ends at ``step``."""
    first = max(0, step - WINDOW)
    signed = run.history.slope[first : step + 1].tolist()
    slopes = [abs(s) for s in signed]
    signs = [s > 0 for s in signed]
    values = run.history.value[first : step + 1].tolist()
    ratios = [_ratio(after, before) for before, after in pairwise(slopes)]
    steps = len(slopes) - 1
    return Trend(
        steps=steps,
        crossings=sum(a != b for a, b in pairwise(signs)),
        shrinking=all(r < 1 for r in ratios),
        growing=all(r > 1 for r in ratios),
        steady=all(abs(r - 1) <= STEADY for r in ratios),
        rising=all(b > a for a, b in pairwise(values)),
        falling=all(b < a for a, b in pairwise(values)),
        **_measure_swings(run, step),
        factor=_ratio(slopes[-1], slopes[0]) ** (1 / steps),
    )


def _measure_swings(run: Run, step: int) -> dict[str, bool]:
    """Measure the swings across the minimum in the last SWING_WINDOW steps.

    ``swung`` is whether f'(x) changed sign at all. ``swings_shrink`` is
    whether each whole swing peaks at a smaller |f'(x)| than the one before;
    with fewer than two whole swings, it compares the peaks of the two halves.
    """
    first = max(0, step - SWING_WINDOW)
    signed = run.history.slope[first : step + 1].tolist()
    peaks: list[float] = []
    peak = None
    for before, after in pairwise(signed):
        if (before > 0) != (after > 0):
            if peak is not None:
                peaks.append(peak)
            peak = abs(after)
        elif peak is not None:
            peak = max(peak, abs(after))
    if len(peaks) >= 2:
        shrink = all(later < earlier for earlier, later in pairwise(peaks))
    else:
        half = len(signed) // 2
        magnitudes = [abs(s) for s in signed]
        shrink = max(magnitudes[half:]) < max(magnitudes[: half + 1])
    return {"swung": peak is not None, "swings_shrink": shrink}


def _ratio(after: float, before: float) -> float:
    if before == 0:
        return 1.0 if after == 0 else math.inf
    return after / before
