"""The chart's moving parts: each run's path, the marks and the tangent.

DescentChart mixes this in. Every frame draws them afresh into a CellGrid the
size of plotext's canvas, decimated to a few points per column, so the cost
follows the cells drawn and not the length of the history.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..chart_view import (
    clip_polyline,
    decimate,
    drawable_mask,
    tangent_segment,
)
from ..engine import History
from .chart_raster import (
    CellGrid,
    bin_index,
    polyline_segments,
    sample_segments,
    to_bins,
)
from .chart_rows import Background

PATH_COLORS = ("red", "green+", "cyan", "orange")
"""Colours of up to four overlaid runs, first run first. Textual draws ANSI
colours in its theme's shades, where magenta and red look alike; these four
stay apart in textual-dark (plotext's "orange" is ANSI yellow)."""
PATH_RICH_COLORS = ("red", "bright_green", "cyan", "yellow")
"""The same ANSI colours by their rich names, for widgets that name runs in text."""
CURRENT_COLOR = "orange+"
"""plotext's name for bright yellow (ANSI colour 11)."""
TANGENT_COLOR = "gray+"

OVERLAY_COLORS = (*PATH_COLORS, CURRENT_COLOR, TANGENT_COLOR)
"""Colours the overlay draws in; a grid cell stores its index here."""

DASH = (2.0, 1.5)
"""Length of a dash of the path and of the gap after it, in cells."""


@dataclass
class ChartPath:
    """One run drawn on the chart: its rows up to ``current`` and its colour."""

    label: str
    history: History
    current: int
    color: str
    scanned: int = 0
    """Rows already checked against the view, counted from row 0."""
    scanned_undrawable: tuple[int, int] = (0, 0)
    """(non-finite, too large) counts among the scanned rows."""
    undrawable: tuple[int, int] = (0, 0)
    """(non-finite, too large) counts among rows 0..current."""


class OverlayDrawing:
    """Draw the runs of a DescentChart into a grid; see that class's fields."""

    def _draw_overlay(self, background: Background) -> CellGrid:
        """Draw every run, then the selected run's marks, into a fresh grid."""
        columns, rows = background.canvas[2:]
        grid = CellGrid(max(columns, 0), max(rows, 0))
        self.plotted_points = self._curve_points
        if grid.columns == 0 or grid.rows == 0:
            return grid
        for index, path in enumerate(self._paths):
            self._draw_path(grid, path, selected=index == self._selected)
        if self._paths:
            self._draw_selected(grid, self._paths[self._selected])
        grid.clear(*_relative(background.legend, background.canvas))
        return grid

    def _cells(self, grid: CellGrid, xs, ys, scale: tuple[int, int] = (1, 1)):
        """Map data to continuous (column, row from the bottom) coordinates."""
        view = self._view
        return (
            to_bins(xs, view.x_min, view.x_max, grid.columns * scale[0]),
            to_bins(ys, view.y_min, view.y_max, grid.rows * scale[1]),
        )

    def _draw_path(self, grid: CellGrid, path: ChartPath, *, selected: bool) -> None:
        """Draw one run's dashed path and points; for a run not ``selected``,
        also its step ahead and its current point in the run's colour."""
        view, color = self._view, self._color_number(path.color)
        if path.current < 0:
            return
        rows = decimate(path.current + 1, 2 * grid.columns)
        xs, ys = path.history.x[rows], path.history.value[rows]
        line_xs, line_ys = clip_polyline(xs, ys, view)
        dot_xs, dot_ys = self._cells(grid, line_xs, line_ys, (2, 4))
        dots = sample_segments(*polyline_segments(dot_xs, dot_ys), (2, 4), DASH)
        self.plotted_points += grid.put_braille(*dots, color)
        inside = drawable_mask(xs, ys) & view.contains(xs, ys)
        cell_xs, cell_ys = self._cells(grid, xs[inside], ys[inside])
        self.plotted_points += grid.put(
            bin_index(cell_xs), bin_index(cell_ys), "●", color
        )
        if not selected:
            x, _, value = path.history.row(path.current)
            if self.show_next_step and path.current + 1 < len(path.history):
                self._draw_next_step(grid, path, x, value)
            self._put_point(grid, x, value, "◆", color)

    def _put_point(self, grid: CellGrid, x: float, y: float, glyph: str, color: int):
        """Draw one marker at (x, y) when it is drawable and in view."""
        if drawable_mask(x, y) and self._view.contains(x, y):
            cell_x, cell_y = self._cells(grid, np.array([x]), np.array([y]))
            self.plotted_points += grid.put(
                bin_index(cell_x), bin_index(cell_y), glyph, color
            )

    def _put_line(self, grid: CellGrid, xs, ys, glyph: str, color: int) -> None:
        """Draw a clipped polyline cell by cell with ``glyph``."""
        cell_xs, cell_ys = self._cells(grid, xs, ys)
        points = sample_segments(*polyline_segments(cell_xs, cell_ys))
        self.plotted_points += grid.put(
            bin_index(points[0]), bin_index(points[1]), glyph, color
        )

    def _draw_selected(self, grid: CellGrid, path: ChartPath) -> None:
        """Draw the tangent, the step ahead and the current point of the
        selected run, after every path, so they are on top."""
        if path.current < 0:
            return
        x, slope, value = path.history.row(path.current)
        if self.show_tangent:
            tangent_xs, tangent_ys = tangent_segment(x, value, slope, self._view)
            self._put_line(
                grid, tangent_xs, tangent_ys, "·", self._color_number(TANGENT_COLOR)
            )
            if len(tangent_xs):
                self.tangent_at = (x, value, slope)
        if self.show_next_step and path.current + 1 < len(path.history):
            self._draw_next_step(grid, path, x, value)
        self._put_point(grid, x, value, "◆", self._color_number(CURRENT_COLOR))

    def _draw_next_step(
        self, grid: CellGrid, path: ChartPath, x: float, value: float
    ) -> None:
        """Draw the move from x_k to x_{k+1} at height f(x_k), with an arrow head."""
        next_x = float(path.history.x[path.current + 1])
        step_xs, step_ys = clip_polyline(
            np.array([x, next_x]), np.array([value, value]), self._view
        )
        color = self._color_number(path.color)
        self._put_line(grid, step_xs, step_ys, "─", color)
        if len(step_xs):
            self.drawn_steps.append((path.label, x, next_x))
        if len(step_xs) and step_xs[-1] == next_x:
            self._put_point(grid, next_x, value, "▶" if next_x > x else "◀", color)

    def _color_number(self, plotext_name: str) -> int:
        """Return the index of a colour in the grid's colour table."""
        return OVERLAY_COLORS.index(plotext_name)


def _relative(box: tuple[int, int, int, int], canvas: tuple[int, int, int, int]):
    """Express a box on the widget as (left, top, columns, rows) on the canvas."""
    left, top, columns, rows = box
    return max(left - canvas[0], 0), max(top - canvas[1], 0), columns, rows
