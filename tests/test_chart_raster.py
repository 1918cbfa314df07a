"""The chart's overlay grid: plotext's cell mapping, braille dots, dashes."""

import numpy as np
import plotext
import plotext._core

from tui_descent.widgets.chart_raster import (
    BRAILLE_BASE,
    CellGrid,
    bin_index,
    polyline_segments,
    sample_segments,
    to_bins,
)


def plotext_marker_cell(x, y, limits=(-9.0, 9.0, -3.0, 81.0), size=(60, 20)):
    """Return (column, row from the bottom) of a marker on plotext's canvas."""
    plotext.clf()
    plotext.plotsize(*size)
    plotext.xlim(*limits[:2])
    plotext.ylim(*limits[2:])
    plotext.scatter([x], [y], marker="●")
    plotext.build()
    matrix = plotext._core._figure._active.monitor.matrix
    columns, rows = matrix.Cols_canvas, matrix.Rows_canvas
    found = [
        (column - columns.start, row - rows.start)
        for row in rows
        for column in columns
        if matrix.marker[row][column] == "●"
    ]
    return found, (len(columns), len(rows))


def test_bins_match_plotext_markers():
    for x, y in [(8.0, 64.0), (-9.0, -3.0), (0.1, 0.01), (3.3, 40.0), (9.0, 81.0)]:
        found, (columns, rows) = plotext_marker_cell(x, y)
        column = int(bin_index(to_bins(np.array([x]), -9.0, 9.0, columns))[0])
        row = int(bin_index(to_bins(np.array([y]), -3.0, 81.0, rows))[0])
        assert found == [(column, row)], (x, y)


def test_braille_dots_merge_in_one_cell():
    grid = CellGrid(3, 2)
    # Dot (0, 0) is the bottom-left dot of the bottom-left cell (bit 0x40),
    # dot (1, 3) its top-right dot (bit 0x08).
    drawn = grid.put_braille(np.array([0.5, 1.5]), np.array([0.5, 3.5]), 2)
    assert drawn == 2
    assert grid.glyph[1, 0] == BRAILLE_BASE + 0x40 + 0x08
    assert chr(grid.glyph[1, 0]) == "⡈"
    assert grid.color[1, 0] == 2
    assert np.count_nonzero(grid.glyph) == 1


def test_put_drops_cells_outside():
    grid = CellGrid(4, 3)
    grid.put(np.array([-1, 0, 3, 4]), np.array([0, 2, 3, 1]), "●", 1)
    # Only (0, 2 up) lands inside: the top row, first column.
    assert np.argwhere(grid.glyph).tolist() == [[0, 0]]
    assert grid.glyph[0, 0] == ord("●")


def test_dashes_leave_gaps():
    xs, _ = sample_segments(
        np.array([0.0]),
        np.array([0.0]),
        np.array([7.0]),
        np.array([0.0]),
        dash=(2.0, 1.5),
    )
    # Along 7 cells, points every half cell: dashes start at 0, 3.5 and 7.
    assert xs.tolist() == [0.0, 0.5, 1.0, 1.5, 3.5, 4.0, 4.5, 5.0, 7.0]


def test_repeated_segments_drawn_once():
    xs = np.array([8.0, -8.0, 8.0, -8.0, 8.0, np.nan, 1.0, 2.0])
    ys = np.array([64.0, 64.0, 64.0, 64.0, 64.0, np.nan, 1.0, 4.0])
    x0, y0, x1, y1 = polyline_segments(xs, ys)
    assert list(zip(x0, y0, x1, y1)) == [
        (8.0, 64.0, -8.0, 64.0),
        (-8.0, 64.0, 8.0, 64.0),
        (1.0, 1.0, 2.0, 4.0),
    ]
