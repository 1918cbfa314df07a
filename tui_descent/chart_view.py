"""View maths for the descent chart: axis limits, ticks, decimation, clipping.

The chart widget hands plotext only what this module has prepared: limits that
are finite with min < max, and data already clipped to the view. plotext 5.3.2
raises or hangs on anything else, because it interpolates a line cell by cell
between two points however far outside the canvas they lie. This module is
pure numpy: it imports no textual, rich or plotext.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import numpy as np

from .functions import Function
from .numbers import format_number

MAX_MAGNITUDE = 1e300
"""Largest |x| or |f(x)| drawn. Limits stay within it, so a view's span (at
most 2e300) and twice that are finite floats. Points beyond it are counted
off the chart."""

_MIN_RELATIVE_SPAN = 1e-9
"""Smallest span of an axis relative to its largest |limit|, so tick labels
stay distinct and plotext's cell arithmetic keeps its precision."""

_MIN_SPAN = 1e-250
"""Smallest span of an axis, which keeps limits out of subnormal floats."""

_MARGIN = 0.05
"""Fraction of the span added above and below the curve in a new view."""

GROWTH_FACTOR = 4
"""A growing axis gets this many times the span it needs. Diverging descent
on x² multiplies f(x) by (1 - 2η)² a step, 1.44 at η = 1.1, so doubling
would last about two steps and quadrupling about four."""

CURVE_SAMPLES = 201
"""Samples used to size a new view: odd, so the middle of the range is one."""


@dataclass(frozen=True)
class View:
    """Axis limits of the chart, always finite with x_min < x_max, y_min < y_max."""

    x_min: float
    x_max: float
    y_min: float
    y_max: float

    @property
    def width(self) -> float:
        """Span of the x-axis."""
        return self.x_max - self.x_min

    @property
    def height(self) -> float:
        """Span of the y-axis."""
        return self.y_max - self.y_min

    def contains(self, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """Return a mask of the points inside the view, edges included."""
        xs = np.asarray(xs, dtype=float)
        ys = np.asarray(ys, dtype=float)
        inside_x = (xs >= self.x_min) & (xs <= self.x_max)
        return inside_x & (ys >= self.y_min) & (ys <= self.y_max)


def safe_limits(low: float, high: float) -> tuple[float, float]:
    """Return axis limits within ±MAX_MAGNITUDE with low < high.

    A non-finite limit takes the other's value, a reversed pair is swapped,
    and a span too narrow to resolve (zero included) widens around its middle.
    """
    if not math.isfinite(low):
        low = high if math.isfinite(high) else -1.0
    if not math.isfinite(high):
        high = low
    low, high = sorted((_clamp(low), _clamp(high)))
    minimum = max(max(abs(low), abs(high)) * _MIN_RELATIVE_SPAN, _MIN_SPAN)
    if high - low < minimum:
        middle = low / 2 + high / 2
        half = max(abs(middle) * 0.1, minimum) if middle != 0 else 1.0
        low, high = _clamp(middle - half), _clamp(middle + half)
    return low, high


def _clamp(value: float) -> float:
    return min(max(value, -MAX_MAGNITUDE), MAX_MAGNITUDE)


def make_view(x_min: float, x_max: float, y_min: float, y_max: float) -> View:
    """Build a View whose limits have passed through safe_limits."""
    return View(*safe_limits(x_min, x_max), *safe_limits(y_min, y_max))


def drawable_mask(xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Return a mask of the points with finite x and y within ±MAX_MAGNITUDE."""
    with np.errstate(all="ignore"):
        xs = np.abs(np.asarray(xs, dtype=float))
        ys = np.abs(np.asarray(ys, dtype=float))
        return (xs <= MAX_MAGNITUDE) & (ys <= MAX_MAGNITUDE)


def sample_curve(
    function: Function, x_min: float, x_max: float, count: int
) -> tuple[np.ndarray, np.ndarray]:
    """Evaluate f at ``count`` evenly spaced x, with nan where f fails.

    f is called once on the whole array. A function that rejects arrays is
    evaluated point by point instead, through Function.value_and_slope.
    """
    xs = np.linspace(x_min, x_max, max(count, 2))
    with np.errstate(all="ignore"):
        try:
            ys = np.broadcast_to(np.asarray(function.f(xs), dtype=float), xs.shape)
        except (ArithmeticError, ValueError, TypeError):
            ys = np.array([function.value_and_slope(float(x))[0] for x in xs])
    return xs, np.array(ys, dtype=float)


def initial_view(function: Function, start: float | None = None) -> View:
    """Frame the function's default x-range, widened to show ``start``.

    The y-limits cover the curve's drawable values over that range and f(start),
    with a margin of 5% of the span above and below.
    """
    x_min, x_max = safe_limits(*function.x_range)
    start_value = math.nan
    if start is not None and drawable_mask(start, 0.0):
        start_value = function.value_and_slope(start)[0]
        margin = _MARGIN * (max(x_max, start) - min(x_min, start))
        if start < x_min:
            x_min = start - margin
        if start > x_max:
            x_max = start + margin
    _, ys = sample_curve(function, x_min, x_max, CURVE_SAMPLES)
    ys = np.append(ys, start_value)
    ys = ys[drawable_mask(np.zeros_like(ys), ys)]
    if ys.size == 0:
        return make_view(x_min, x_max, -1.0, 1.0)
    y_min, y_max = float(ys.min()), float(ys.max())
    margin = _MARGIN * (y_max - y_min)
    return make_view(x_min, x_max, y_min - margin, y_max + margin)


def view_containing(view: View, xs: np.ndarray, ys: np.ndarray) -> View:
    """Return ``view`` itself while it shows every drawable point, else a larger one.

    An axis that must grow gets GROWTH_FACTOR times the span it needs, added
    on the side or sides that a point left, so a path that keeps moving out
    does not make the view change on every step.
    """
    mask = drawable_mask(xs, ys)
    if not mask.any():
        return view
    xs = np.asarray(xs, dtype=float)[mask]
    ys = np.asarray(ys, dtype=float)[mask]
    if view.contains(xs, ys).all():
        return view
    x_min, x_max = _grow(view.x_min, view.x_max, float(xs.min()), float(xs.max()))
    y_min, y_max = _grow(view.y_min, view.y_max, float(ys.min()), float(ys.max()))
    return make_view(x_min, x_max, y_min, y_max)


def _grow(low: float, high: float, data_low: float, data_high: float):
    needed_low, needed_high = min(low, data_low), max(high, data_high)
    extra = (GROWTH_FACTOR - 1) * (needed_high - needed_low)
    grows_low, grows_high = data_low < low, data_high > high
    if grows_low and grows_high:
        return needed_low - extra / 2, needed_high + extra / 2
    if grows_low:
        return needed_low - extra, needed_high
    if grows_high:
        return needed_low, needed_high + extra
    return low, high


def decimate(rows: int, budget: int) -> np.ndarray:
    """Choose at most ``budget`` row indices of 0..rows-1 to draw, in order.

    The first and last rows are always kept. The newest half of the budget is
    the most recent rows in full, and the other half strides evenly over the
    older ones. Cost grows with the budget only, never with ``rows``.
    """
    budget = max(int(budget), 2)
    if rows <= budget:
        return np.arange(max(rows, 0))
    recent = budget // 2
    recent_start = rows - recent
    older = np.linspace(0, recent_start - 1, budget - recent).round().astype(np.int64)
    # older is sorted, so dropping repeats needs only a neighbour test;
    # np.unique would import numpy.ma, about 35 ms, on first use.
    distinct = np.ones(len(older), dtype=bool)
    distinct[1:] = older[1:] != older[:-1]
    return np.concatenate([older[distinct], np.arange(recent_start, rows)])


def count_undrawable(xs: np.ndarray, ys: np.ndarray) -> tuple[int, int]:
    """Count points with a nan or inf coordinate, and finite ones beyond ±MAX_MAGNITUDE."""
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    finite = np.isfinite(xs) & np.isfinite(ys)
    non_finite = int(finite.size - np.count_nonzero(finite))
    too_large = int(finite.size - np.count_nonzero(drawable_mask(xs, ys))) - non_finite
    return non_finite, too_large


def describe_undrawable(non_finite: int, too_large: int) -> str:
    """Return a one-line note on the points left off the chart, or ''."""
    parts = []
    if non_finite:
        parts.append(f"{_points(non_finite)} with nan or inf")
    if too_large:
        parts.append(f"{_points(too_large)} beyond ±{format_number(MAX_MAGNITUDE)}")
    return "not drawn: " + ", ".join(parts) if parts else ""


def _points(count: int) -> str:
    return f"{count:,} point" + ("" if count == 1 else "s")


def fit_text(text: str, width: int, height: int, shorter: tuple[str, ...] = ()) -> str:
    """Wrap text into at most ``height`` lines of at most ``width`` characters.

    The first of ``text`` and the ``shorter`` versions that fits without
    breaking a word wins; when none does, ``text`` is broken and cut.
    """
    if width <= 0 or height <= 0:
        return ""
    for candidate in (text, *shorter):
        lines = textwrap.wrap(candidate, width=width, break_long_words=False)
        if len(lines) <= height and all(len(line) <= width for line in lines):
            return "\n".join(lines)
    lines = textwrap.wrap(text, width=width, break_long_words=True)
    return "\n".join(lines[:height])


def nice_ticks(low: float, high: float, count: int) -> tuple[list[float], list[str]]:
    """Place about ``count`` ticks at round values within [low, high], with labels.

    The step is 1, 2, 2.5 or 5 times a power of ten. Labels carry enough
    digits to tell neighbouring ticks apart, in scientific notation outside
    1e-4 <= |limit| < 1e6.
    """
    raw_step = (high - low) / max(count, 1)
    exponent = math.floor(math.log10(raw_step))
    # The tolerance keeps a step of 0.1 for a range of 0.30000000000000004 / 3.
    factor = next(
        f for f in (1, 2, 2.5, 5, 10) if f * 10.0**exponent >= raw_step * (1 - 1e-9)
    )
    step = factor * 10.0**exponent
    first, last = math.ceil(low / step), math.floor(high / step)
    ticks = [min(max(k * step, low), high) for k in range(first, last + 1)]
    ticks = ticks or [low, high]
    # A 2.5 step needs one digit more than its power of ten shows.
    extra = 1 if factor == 2.5 else 0
    largest = max(abs(low), abs(high))
    if 1e-4 <= largest < 1e6:
        decimals = max(0, extra - exponent)
        labels = [f"{tick + 0.0:.{decimals}f}" for tick in ticks]
    else:
        decimals = min(max(0, math.floor(math.log10(largest)) - exponent) + extra, 16)
        labels = [_scientific(tick, decimals) for tick in ticks]
    return ticks, labels


def _scientific(value: float, decimals: int) -> str:
    """Format like ``2.5e15``: no trailing zeros, no plus sign, no padding."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{decimals}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"


def clip_polyline(
    xs: np.ndarray, ys: np.ndarray, view: View
) -> tuple[np.ndarray, np.ndarray]:
    """Clip the line through the points to the view (Liang-Barsky, per segment).

    Returns the visible pieces as one polyline with nan between pieces, which
    plotext 5.3.2 treats as a gap. A segment with a nan or undrawable end is
    left out, so a dropped point breaks the line instead of being skipped.
    """
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    if xs.size < 2:
        return np.empty(0), np.empty(0)
    keep = drawable_mask(xs, ys)
    xs, ys = np.where(keep, xs, 0.0), np.where(keep, ys, 0.0)
    x0, y0, x1, y1 = xs[:-1], ys[:-1], xs[1:], ys[1:]
    enter, leave = _clip_parameters(x0, y0, x1 - x0, y1 - y0, view)
    visible = keep[:-1] & keep[1:] & (enter <= leave)
    # A piece continues the previous one when both pass the shared point unclipped.
    joined = visible[1:] & visible[:-1] & (leave[:-1] == 1.0) & (enter[1:] == 0.0)
    starts = visible & ~np.concatenate([[False], joined])
    ends = visible & ~np.concatenate([joined, [False]])
    start_x = np.where(enter == 0.0, x0, x0 + enter * (x1 - x0))
    start_y = np.where(enter == 0.0, y0, y0 + enter * (y1 - y0))
    end_x = np.where(leave == 1.0, x1, x0 + leave * (x1 - x0))
    end_y = np.where(leave == 1.0, y1, y0 + leave * (y1 - y0))
    return _interleave(view, starts, visible, ends, start_x, start_y, end_x, end_y)


def _clip_parameters(x0, y0, dx, dy, view: View):
    """Return the Liang-Barsky parameters where each segment enters and leaves."""
    enter = np.zeros_like(x0)
    leave = np.ones_like(x0)
    sides = (
        (-dx, x0 - view.x_min),
        (dx, view.x_max - x0),
        (-dy, y0 - view.y_min),
        (dy, view.y_max - y0),
    )
    with np.errstate(all="ignore"):
        for direction, distance in sides:
            ratio = distance / direction
            enter = np.where(direction < 0, np.maximum(enter, ratio), enter)
            leave = np.where(direction > 0, np.minimum(leave, ratio), leave)
            # A segment parallel to this side and outside it is invisible.
            leave = np.where((direction == 0) & (distance < 0), -1.0, leave)
    return enter, leave


def _interleave(view, starts, visible, ends, start_x, start_y, end_x, end_y):
    """Flatten the clipped segments into start, end, gap triples, keeping the flagged."""
    nan = np.full_like(start_x, np.nan)
    flags = np.stack([starts, visible, ends], axis=1).ravel()
    xs = np.stack([start_x, end_x, nan], axis=1).ravel()[flags]
    ys = np.stack([start_y, end_y, nan], axis=1).ravel()[flags]
    if xs.size:
        # The last piece needs no gap after it.
        xs, ys = xs[:-1], ys[:-1]
    # Rounding in the parameters may put an end a hair outside the view.
    xs = np.clip(xs, view.x_min, view.x_max)
    ys = np.clip(ys, view.y_min, view.y_max)
    return xs, ys


def dash_polyline(
    xs: np.ndarray,
    ys: np.ndarray,
    view: View,
    cells: tuple[int, int],
    max_dashes: int,
    dash: float = 2.0,
    gap: float = 1.5,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a clipped polyline into dashes ``dash`` cells long, ``gap`` cells apart.

    plotext 5.3.2 has no dashed line style, so each dash becomes its own piece
    of a polyline with nan gaps. ``cells`` (columns, rows) of the canvas turn
    data lengths into screen lengths. The newest segments, at the end of the
    polyline, get dashes first. Once ``max_dashes`` are placed, older segments
    are left undrawn, which bounds the work plotext does per frame.
    """
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    if xs.size < 2:
        return np.empty(0), np.empty(0)
    x0, y0, dx, dy = xs[:-1], ys[:-1], np.diff(xs), np.diff(ys)
    with np.errstate(all="ignore"):
        length = np.hypot(dx / view.width * cells[0], dy / view.height * cells[1])
    length = np.where(np.isfinite(length), length, 0.0)
    period = dash + gap
    counts = np.where(length > 0, np.ceil(length / period), 0).astype(np.int64)
    newest_first = np.cumsum(counts[::-1])[::-1]
    counts = np.where(newest_first <= max_dashes, counts, 0)
    segment = np.repeat(np.arange(counts.size), counts)
    first_dash = np.cumsum(counts) - counts
    order = np.arange(segment.size) - first_dash[segment]
    seg_length = length[segment]
    enter = order * period / seg_length
    leave = np.minimum(enter + dash / seg_length, 1.0)
    nan = np.full(segment.size, np.nan)
    xs = np.stack(
        [x0[segment] + enter * dx[segment], x0[segment] + leave * dx[segment], nan]
    )
    ys = np.stack(
        [y0[segment] + enter * dy[segment], y0[segment] + leave * dy[segment], nan]
    )
    return xs.T.ravel(), ys.T.ravel()


def tangent_segment(
    x: float, y: float, slope: float, view: View, fraction: float = 0.15
) -> tuple[np.ndarray, np.ndarray]:
    """Return the tangent line through (x, y) as a clipped polyline.

    The segment reaches ``fraction`` of the view's size to each side of the
    point, measured on screen, so a steep tangent is as long as a flat one.
    Returns empty arrays when the point or the slope is not drawable.
    """
    if not (drawable_mask(x, y) and math.isfinite(slope)):
        return np.empty(0), np.empty(0)
    with np.errstate(all="ignore"):
        angle = math.atan(slope * view.width / view.height)
    half_x = fraction * view.width * math.cos(angle)
    half_y = fraction * view.height * math.sin(angle)
    return clip_polyline([x - half_x, x + half_x], [y - half_y, y + half_y], view)
