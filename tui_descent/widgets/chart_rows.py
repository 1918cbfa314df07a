"""The chart's fixed background as cells, and its rows with the overlay drawn in.

plotext's output is parsed once per view into one character and one style per
cell. A frame then copies only the rows the overlay touches, sets the drawn
cells and groups equal styles into segments, so a step costs a few rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from .chart_raster import BRAILLE_BASE, CellGrid

PLOTEXT_ANSI = {
    "red": 1,
    "green+": 10,
    "cyan": 6,
    "orange": 3,
    "orange+": 11,
    "gray+": 7,
    "blue+": 12,
}
"""ANSI colour numbers of the plotext colour names the chart uses (plotext
5.3.2's color_codes)."""


def rich_color(plotext_name: str) -> Style:
    """Return a rich style with the foreground of a plotext colour name."""
    return Style(color=f"color({PLOTEXT_ANSI[plotext_name]})")


@dataclass
class Background:
    """plotext's drawing of one view, one character and one style per cell."""

    chars: list[list[str]]
    styles: list[list[Style]]
    canvas: tuple[int, int, int, int]
    """Left column, top row, columns and rows of plotext's data area."""
    legend: tuple[int, int, int, int] = (0, 0, 0, 0)
    """Left column, top row, columns and rows of the legend box, if any."""
    strips: list[Strip] = field(default_factory=list)
    """Each row without overlay, made once."""

    @property
    def height(self) -> int:
        """Number of rows."""
        return len(self.chars)


def parse_cells(text: Text, width: int, console: Console) -> tuple[list, list]:
    """Split rich text into rows of ``width`` characters and styles."""
    chars: list[list[str]] = []
    styles: list[list[Style]] = []
    blank = Style()
    for line in text.split("\n", allow_blank=True):
        row_chars: list[str] = []
        row_styles: list[Style] = []
        for segment in line.render(console):
            style = segment.style or blank
            for char in segment.text:
                row_chars.append(char)
                row_styles.append(style)
        row_chars = (row_chars + [" "] * width)[:width]
        row_styles = (row_styles + [blank] * width)[:width]
        chars.append(row_chars)
        styles.append(row_styles)
    return chars, styles


def draw_legend(
    background: Background, entries: Sequence[tuple[str, str, Style]]
) -> None:
    """Box (sample, label, colour) entries into the canvas's top-left corner."""
    left, top, columns, rows = background.canvas
    inner = max(len(label) for _, label, _ in entries) + 4
    if inner + 2 > columns or len(entries) + 2 > rows:
        return
    lines = ["┌" + "─" * inner + "┐"]
    lines += [f"│ {sample:2} {label:<{inner - 4}}│" for sample, label, _ in entries]
    lines.append("└" + "─" * inner + "┘")
    for offset, line in enumerate(lines):
        row = top + offset
        for column, char in enumerate(line):
            background.chars[row][left + column] = char
        if 0 < offset <= len(entries):
            color = entries[offset - 1][2]
            for column in (left + 2, left + 3):
                base = background.styles[row][column]
                background.styles[row][column] = base + color
    background.legend = (left, top, inner + 2, len(lines))


def make_strip(chars: list[str], styles: list[Style]) -> Strip:
    """Join cells into a strip, one segment per run of equal styles."""
    segments = []
    start = 0
    for index in range(1, len(chars) + 1):
        if index == len(chars) or styles[index] != styles[start]:
            segments.append(Segment("".join(chars[start:index]), styles[start]))
            start = index
    return Strip(segments, len(chars)).simplify()


def compose_row(
    background: Background, grid: CellGrid, row: int, colors: Sequence[Style]
) -> Strip:
    """Return canvas row ``row`` of ``grid`` drawn over the background."""
    left, top = background.canvas[:2]
    drawn = grid.glyph[row].nonzero()[0]
    if drawn.size == 0:
        return background.strips[top + row]
    chars = list(background.chars[top + row])
    styles = list(background.styles[top + row])
    for column in drawn.tolist():
        glyph = int(grid.glyph[row, column])
        cell = left + column
        under = ord(chars[cell])
        if glyph > BRAILLE_BASE and BRAILLE_BASE < under < BRAILLE_BASE + 256:
            # Keep the curve's dots that share the cell with the path's.
            glyph |= under
        chars[cell] = chr(glyph)
        styles[cell] = styles[cell] + colors[int(grid.color[row, column])]
    return make_strip(chars, styles)
