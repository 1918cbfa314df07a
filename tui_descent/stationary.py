"""What kind of point a run converged to: a minimum, a maximum or a flat spot.

A converged run stopped where |f'(x)| fell below the tolerance, which happens
at the bottom of a dip, but also at a maximum, at a flat point such as x = 0
on x³, far out on a curve that only flattens (eˣ), or anywhere at all when
the tolerance is loose. ``is_flat`` separates the last case from the others.
``classify_point`` distinguishes the rest by the sign of f' on either side,
and ``lower_point`` finds a clearly lower value of f over the function's
x-range, which marks a minimum as only local. This module is part of the
maths layer: it imports no textual, rich or plotext.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

import numpy as np

from .functions import Function

PROBE_FRACTION = 0.01
"""Distance of the two slope probes from x, as a fraction of the width of the
function's x-range. Wide enough to step past the few tolerance-sized units
that separate a converged x from the true stationary point, and narrow enough
to stay inside one dip of the wavy preset (dips about 2 wide on a range of 18).
NOTE: this is a judgement, checked on the presets only. A typed f(x) whose
dips are narrower than 2% of its range can be misread as a flat point."""

CURVE_SAMPLES = 401
"""Points at which f is sampled over its x-range to find its lowest value."""

FLAT_SLOPE_FRACTION = 0.01
"""A slope counts as flat only when |f'(x)| is at most this fraction of the
mean slope of f over its x-range, (max f - min f) / range width: 0.045 for
x² on [-9, 9]. A run that converged at a steeper slope stopped because its
tolerance is loose, not because it found a flat point.
NOTE: the fraction is a judgement, checked on the presets only."""

LOWER_MARGIN = 1e-3
"""A sampled f counts as lower only by more than this fraction of the spread
of f over the x-range, so rounding near the same minimum never counts."""


class PointKind(Enum):
    """The shape of f around a point where its slope is about zero."""

    MINIMUM = "minimum"
    MAXIMUM = "maximum"
    FALLS_LEFT = "falls to the left"
    FALLS_RIGHT = "falls to the right"
    UNKNOWN = "unknown"
    """f' is nan or exactly zero at a probe, so the shape is undetermined."""


@dataclass(frozen=True)
class LowerPoint:
    """A sample of f over its x-range that is clearly below a given value."""

    x: float
    value: float


def probe_distance(function: Function, x: float, slope: float) -> float:
    """Return how far either side of x the slopes are read.

    The distance is at least PROBE_FRACTION of the x-range, and at least twice
    the Newton estimate |f'(x)/f''(x)| of the distance to the stationary
    point, so a loose tolerance does not leave both probes on one side of it.
    NOTE: on a flat bottom such as x⁴ the estimate is |x|/3, so for |x| above
    the 1% probe distance both probes stay on one side and a run stopped by
    a tolerance of 1e-3 to 0.05 is misread as "slope zero, not a minimum".
    """
    low, high = function.x_range
    distance = PROBE_FRACTION * (high - low)
    curvature = _evaluate(function.d2f, x) if function.d2f is not None else math.nan
    if curvature != 0 and math.isfinite(curvature):
        estimate = abs(slope / curvature)
        if math.isfinite(estimate):
            distance = max(distance, 2 * estimate)
    return distance


def classify_point(function: Function, x: float, slope: float) -> PointKind:
    """Classify the point x, where |f'(x)| is small, by the slope either side."""
    distance = probe_distance(function, x, slope)
    left = _evaluate(function.df, x - distance)
    right = _evaluate(function.df, x + distance)
    if math.isnan(left) or math.isnan(right) or left == 0 or right == 0:
        return PointKind.UNKNOWN
    if left < 0 < right:
        return PointKind.MINIMUM
    if left > 0 > right:
        return PointKind.MAXIMUM
    # Both slopes have one sign: f rises on one side and keeps falling on the
    # other, so x is no minimum.
    return PointKind.FALLS_LEFT if left > 0 else PointKind.FALLS_RIGHT


def flat_slope_limit(function: Function) -> float | None:
    """Return the largest |f'(x)| that counts as flat on ``function``.

    None when f has no finite spread over its x-range to measure slopes by.
    """
    lowest = _curve_minimum(function)
    if lowest is None:
        return None
    low, high = function.x_range
    limit = FLAT_SLOPE_FRACTION * lowest[2] / (high - low)
    return limit if math.isfinite(limit) else None


def is_flat(function: Function, slope: float) -> bool:
    """Tell whether ``slope`` is small enough on ``function`` to mark a
    stationary point, so that classify_point can read the shape around it.

    True when flat_slope_limit cannot measure the function.
    """
    limit = flat_slope_limit(function)
    return limit is None or abs(slope) <= limit


def lower_point(function: Function, value: float) -> LowerPoint | None:
    """Return the lowest sample of f over its x-range if it is clearly below
    ``value``, else None."""
    lowest = _curve_minimum(function)
    if lowest is None or not math.isfinite(value):
        return None
    x, low, spread = lowest
    if low < value - LOWER_MARGIN * spread:
        return LowerPoint(x, low)
    return None


@lru_cache(maxsize=16)
def _curve_minimum(function: Function) -> tuple[float, float, float] | None:
    """Return (x, f(x)) of the lowest finite sample and the spread of f."""
    xs = np.linspace(*function.x_range, CURVE_SAMPLES)
    ys = np.array([_evaluate(function.f, float(x)) for x in xs])
    finite = np.isfinite(ys)
    if not finite.any():
        return None
    xs, ys = xs[finite], ys[finite]
    index = int(np.argmin(ys))
    return float(xs[index]), float(ys[index]), float(ys.max() - ys.min())


def _evaluate(method, x: float) -> float:
    """Evaluate one of f, f' or f'' as a float, with failures as nan."""
    with np.errstate(all="ignore"):
        try:
            return float(method(x))
        except (ArithmeticError, ValueError, TypeError):
            return math.nan
