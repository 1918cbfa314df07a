"""Draw the chart's moving parts into a grid of cells with numpy.

The curve, axes and labels come from plotext once per view. The path, the
current point, the tangent and the next step change on every step, so they
are drawn here into a grid the size of plotext's canvas, with the same value
to cell mapping plotext uses, and only the rows that changed are repainted.
The work grows with the cells drawn, never with the length of the history.
"""

from __future__ import annotations

import numpy as np

BRAILLE_BASE = 0x2800
"""Code point of the empty braille cell; each of its 8 dots adds one bit."""

_DOT_BITS = np.array([[0x40, 0x04, 0x02, 0x01], [0x80, 0x20, 0x10, 0x08]])
"""Bit of the braille dot at [column within the cell][row from the cell's bottom]."""

MAX_SAMPLES = 200_000
"""Most points sampled along the segments of one layer. Older segments
beyond them are left undrawn, which bounds a frame's cost."""


def to_bins(values: np.ndarray, low: float, high: float, bins: int) -> np.ndarray:
    """Map values to plotext's continuous bin coordinate (5.3.2's get_matrix_data).

    The floor of the result, after rounding to 8 decimals as plotext does,
    is the bin the value falls in.
    """
    values = np.asarray(values, dtype=float)
    return 0.5 + (bins - 1) * (values - low) / (high - low)


def bin_index(coordinates: np.ndarray) -> np.ndarray:
    """Return the bin of each continuous coordinate, as plotext rounds it."""
    return np.floor(np.round(coordinates, 8)).astype(np.int64)


def sample_segments(
    x0: np.ndarray,
    y0: np.ndarray,
    x1: np.ndarray,
    y1: np.ndarray,
    cell_size: tuple[float, float] = (1.0, 1.0),
    dash: tuple[float, float] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return points every half unit along each segment from (x0, y0) to (x1, y1).

    ``cell_size`` is how many units make one cell across and down, which
    turns ``dash`` (dash length, gap length, in cells) into units. With
    ``dash``, only the points within a dash are kept, each segment starting
    with a dash. Segments past MAX_SAMPLES points, counted from the last one,
    are dropped.
    """
    dx, dy = x1 - x0, y1 - y0
    counts = (np.ceil(np.maximum(np.abs(dx), np.abs(dy)) * 2) + 1).astype(np.int64)
    newest_first = np.cumsum(counts[::-1])[::-1]
    counts = np.where(newest_first <= MAX_SAMPLES, counts, 0)
    segment = np.repeat(np.arange(counts.size), counts)
    first = np.cumsum(counts) - counts
    order = np.arange(segment.size) - first[segment]
    t = order / np.maximum(counts - 1, 1)[segment]
    xs = x0[segment] + t * dx[segment]
    ys = y0[segment] + t * dy[segment]
    if dash is not None:
        length = np.hypot(dx / cell_size[0], dy / cell_size[1])
        along = t * length[segment]
        keep = np.mod(along, dash[0] + dash[1]) < dash[0]
        xs, ys = xs[keep], ys[keep]
    return xs, ys


def polyline_segments(
    xs: np.ndarray, ys: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split a polyline with nan gaps into its distinct segments.

    Segments repeated to within a hundredth of a unit are drawn once, so a
    path bouncing between two points costs two segments, not thousands.
    """
    if xs.size < 2:
        empty = np.empty(0)
        return empty, empty, empty, empty
    ends = np.stack([xs[:-1], ys[:-1], xs[1:], ys[1:]], axis=1)
    ends = ends[np.isfinite(ends).all(axis=1)]
    if ends.shape[0] > 1:
        ends = ends[_first_of_each(np.round(ends, 2))]
    return ends[:, 0], ends[:, 1], ends[:, 2], ends[:, 3]


def _first_of_each(rows: np.ndarray) -> list[int]:
    """Return the index of each distinct row's first appearance, in order.

    A set does what np.unique(axis=0) would, without np.unique importing
    numpy.ma (about 35 ms) during the first chart drawn; a path is decimated
    to a few hundred segments, so the Python loop stays short.
    """
    seen: set[tuple[float, ...]] = set()
    first = []
    for index, row in enumerate(map(tuple, rows.tolist())):
        if row not in seen:
            seen.add(row)
            first.append(index)
    return first


class CellGrid:
    """Glyphs and colour numbers for a block of cells, row 0 at the top.

    Glyph 0 means "nothing drawn here": the background shows through.
    Later drawing covers earlier drawing, as plotext layers its series.
    """

    def __init__(self, columns: int, rows: int) -> None:
        self.columns = columns
        self.rows = rows
        self.glyph = np.zeros((rows, columns), dtype=np.int32)
        self.color = np.zeros((rows, columns), dtype=np.int8)

    def put(
        self, columns: np.ndarray, rows_up: np.ndarray, glyph: str, color: int
    ) -> int:
        """Draw ``glyph`` at each (column, row counted from the bottom) inside.

        Returns how many points were given, for the chart's point count.
        """
        columns = np.asarray(columns, dtype=np.int64)
        rows_up = np.asarray(rows_up, dtype=np.int64)
        inside = (columns >= 0) & (columns < self.columns)
        inside &= (rows_up >= 0) & (rows_up < self.rows)
        rows = self.rows - 1 - rows_up[inside]
        self.glyph[rows, columns[inside]] = ord(glyph)
        self.color[rows, columns[inside]] = color
        return int(columns.size)

    def put_braille(self, dot_x: np.ndarray, dot_y: np.ndarray, color: int) -> int:
        """Set the braille dots at continuous dot coordinates (2 × 4 per cell).

        Dots landing in one cell merge into one braille glyph, which covers
        whatever was drawn there before. Returns how many dots were given.
        """
        dot_x, dot_y = bin_index(dot_x), bin_index(dot_y)
        columns, rows_up = dot_x // 2, dot_y // 4
        inside = (columns >= 0) & (columns < self.columns)
        inside &= (rows_up >= 0) & (rows_up < self.rows)
        bits = _DOT_BITS[dot_x[inside] % 2, dot_y[inside] % 4]
        rows = self.rows - 1 - rows_up[inside]
        flat = rows * self.columns + columns[inside]
        layer = np.zeros(self.rows * self.columns, dtype=np.int32)
        np.bitwise_or.at(layer, flat, bits)
        cells = np.flatnonzero(layer)
        self.glyph.flat[cells] = BRAILLE_BASE + layer[cells]
        self.color.flat[cells] = color
        return int(dot_x.size)

    def clear(self, left: int, top: int, columns: int, rows: int) -> None:
        """Erase a rectangle, such as the legend's, so the background shows there."""
        self.glyph[top : top + rows, left : left + columns] = 0


def changed_spans(old: CellGrid, new: CellGrid) -> list[tuple[int, int, int]]:
    """Return (row, first column, column after the last) where two grids differ."""
    differs = (old.glyph != new.glyph) | (old.color != new.color)
    spans = []
    for row in np.flatnonzero(differs.any(axis=1)).tolist():
        columns = np.flatnonzero(differs[row])
        spans.append((row, int(columns[0]), int(columns[-1]) + 1))
    return spans
