"""Plain gradient descent in bulk: the rows of a run that need no stop check.

Running to the end of a long run spends its time in the step loop, and most
rows need only x - η f'(x), f'(x) and f(x). This loop computes just those.
It then checks a whole block of rows at once with numpy and keeps the rows
before the first one that would stop the run, stall it or start a bounce.
The engine's careful loop takes over from there, so the result is the same
bit for bit: every number here comes from the same scalar calls of f and f'
in the same order. This module is part of the maths layer: it imports no
textual, rich or plotext.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BLOCK = 4096
"""Rows computed between two checks."""


@dataclass(frozen=True)
class Block:
    """Rows of plain descent that passed every stop check."""

    x: np.ndarray
    slope: np.ndarray
    value: np.ndarray

    def __len__(self) -> int:
        return len(self.x)


def plain_block(
    f, df, start: tuple[float, float, float], rate: float, count: int, limits: tuple[float, float]
) -> Block:
    """Compute up to ``count`` rows after ``start``, each x = x - rate·slope.

    ``start`` is (x before the last row, x of the last row, slope there), the
    first x nan if unknown; ``limits`` is (tolerance, largest |x|). Returns
    the rows before the first one that the careful loop must see: a stall,
    a return to the x two steps back, a slope under the tolerance, anything
    infinite or nan, or |x| past the limit. An exception from f or f' ends
    the block early, and the careful loop then meets it too.
    """
    back, x, slope = start
    xs: list[float] = []
    slopes: list[float] = []
    append_x, append_slope = xs.append, slopes.append
    try:
        for _ in range(count):
            x = x - rate * slope
            slope = df(x)
            append_x(x)
            append_slope(slope)
    except Exception:  # noqa: BLE001 - the careful loop maps each error itself
        pass
    try:
        values = np.array([f(point) for point in xs], dtype=float)
        points = np.array(xs, dtype=float)
        slope_column = np.array(slopes, dtype=float)
    except Exception:  # noqa: BLE001 - as above, these rows go to the careful loop
        return _empty()
    if len(values) == 0:
        return _empty()
    keep = _rows_before_a_check(points, slope_column, values, start[:2], limits)
    return Block(points[:keep], slope_column[:keep], values[:keep])


def _rows_before_a_check(
    points: np.ndarray,
    slopes: np.ndarray,
    values: np.ndarray,
    earlier: tuple[float, float],
    limits: tuple[float, float],
) -> int:
    """Count the leading rows that no stop, stall or bounce check would catch."""
    tolerance, max_abs_x = limits
    with np.errstate(all="ignore"):
        magnitude = np.abs(slopes)
        suspect = ~(
            (tolerance <= magnitude)
            & (magnitude < np.inf)
            & (np.abs(points) <= max_abs_x)
            & (np.abs(values) < np.inf)
        )
    # With the two x before the block in front, a row stalls where it equals
    # the x one place back and starts a bounce where it equals the x two back.
    path = np.concatenate((np.array(earlier, dtype=float), points))
    suspect |= path[2:] == path[1:-1]
    suspect |= path[2:] == path[:-2]
    flagged = np.flatnonzero(suspect)
    return int(flagged[0]) if len(flagged) else len(points)


def _empty() -> Block:
    nothing = np.empty(0)
    return Block(nothing, nothing, nothing)
