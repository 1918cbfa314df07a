"""The chart that batch mode prints: the curve and the descent path as text.

Drawn with the plotext module itself, because batch mode prints to the
terminal instead of into a widget. Axis limits, clipping and the points left
out come from chart_view, the same guards as the app's chart, so nan, inf and
huge values never reach plotext.
"""

from __future__ import annotations

import numpy as np
import plotext as plt

from .chart_view import (
    clip_polyline,
    count_undrawable,
    decimate,
    describe_undrawable,
    drawable_mask,
    initial_view,
    nice_ticks,
    sample_curve,
    view_containing,
)
from .engine import Run

MIN_WIDTH = 30
"""Narrowest chart drawn, in columns: room for tick labels and a plot area."""
MIN_HEIGHT = 8
"""Lowest chart drawn, in rows."""
PATH_POINTS = 2000
"""Most path points drawn; a longer run is thinned by chart_view.decimate."""


class ChartSkipped(Exception):
    """Raised when the chart cannot be drawn; the message gives the reason."""


def chart_text(run: Run, width: int, height: int, *, colour: bool) -> str:
    """Draw ``run`` as a ``width`` x ``height`` plotext chart and return the text.

    Without ``colour`` the text has no escape codes at all. Raises
    ChartSkipped when the size is too small or plotext fails.
    """
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ChartSkipped(
            f"{width}x{height} characters is too small; the chart needs at least "
            f"{MIN_WIDTH}x{MIN_HEIGHT}"
        )
    rows = decimate(len(run.history), PATH_POINTS)
    path_x = run.history.x[rows]
    path_y = run.history.value[rows]
    view = initial_view(run.function, run.settings.start)
    view = view_containing(view, path_x, path_y)
    curve_x, curve_y = sample_curve(run.function, view.x_min, view.x_max, 2 * width)
    try:
        text = _draw(
            run, view, (curve_x, curve_y), (path_x, path_y), width, height, colour
        )
    # plotext 5.3.2 raises assorted errors (ValueError, IndexError,
    # ZeroDivisionError) on data it cannot lay out; a chart is not worth a crash.
    except Exception as error:
        raise ChartSkipped(f"plotext failed: {error}") from error
    note = describe_undrawable(*count_undrawable(run.history.x, run.history.value))
    return text + (f"\n{note}" if note else "")


def _draw(run: Run, view, curve, path, width: int, height: int, colour: bool) -> str:
    plt.clear_figure()
    plt.plotsize(width, height)
    plt.theme("clear")
    plt.xlim(view.x_min, view.x_max)
    plt.ylim(view.y_min, view.y_max)
    curve_x, curve_y = clip_polyline(*curve, view)
    # plotext 5.3.2 raises IndexError while drawing the legend entry of a
    # series with no drawable point, so such a series gets no label.
    if np.isfinite(curve_y).any():
        plt.plot(curve_x, curve_y, label=f"f(x) = {run.function.formula}", color="blue")
    line_x, line_y = clip_polyline(*path, view)
    plt.plot(line_x, line_y, color="red")
    inside = drawable_mask(*path) & view.contains(*path)
    if inside.any():
        plt.scatter(path[0][inside], path[1][inside], label="steps", color="red")
    plt.xticks(*nice_ticks(view.x_min, view.x_max, max(2, width // 12)))
    plt.yticks(*nice_ticks(view.y_min, view.y_max, max(2, height // 4)))
    text = plt.build()
    plt.clear_figure()
    return text if colour else plt.uncolorize(text)
