"""One line per run of a comparison: its step, x, f(x) and why it stopped.

The lines show only while there are two runs or more, because with one run
the status line already shows all of it. When the lines are wider than the
widget, ``SummaryTable`` gives up parts in a fixed order, so that the run's
colour dot, the selection marker and the values of x and f(x) stay readable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ..comparison import SummaryRow
from ..numbers import format_number
from .chart import PATH_RICH_COLORS
from .status_line import state_style

FULL_DIGITS = 5
"""Significant digits of x and f(x) when the line has room for them."""
MIN_DIGITS = 2
"""Fewest significant digits that x and f(x) are rounded to on narrow lines."""
MIN_STATE = 6
"""Minimum width of the behaviour, in columns, before the step count goes."""
ELLIPSIS = "…"


def row_text(row: SummaryRow) -> str:
    """Return one summary line as plain text, with nothing shortened."""
    return (
        f"{row.label}  {_steps(row.step)}  x = {format_number(row.x, FULL_DIGITS)}  "
        f"f(x) = {format_number(row.value, FULL_DIGITS)}  {row.state}"
    )


class RunSummary(Static):
    """A line per run: colour, label, steps, x, f(x) and behaviour.

    At a run's last step the behaviour is its stop reason in words, such as
    ``reached max steps`` or ``stuck in a local minimum`` (a converged run
    whose point is not the lowest). The selected run is marked with ▸ and
    drawn in bold.
    """

    DEFAULT_CSS = """
    RunSummary {
        display: none;
        height: auto;
        padding: 0 1;
    }
    RunSummary.-shown {
        display: block;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.lines: list[str] = []
        """The lines last shown, in full and as plain text, selected run
        marked with ▸. The screen may show them shortened to its width."""

    def show(self, rows: Sequence[SummaryRow], selected: int) -> None:
        """Show a line per row, or hide the widget when there is one row."""
        self.lines = [
            ("▸ " if row.index == selected else "  ") + row_text(row) for row in rows
        ]
        # A class, not the display attribute: an inline style would beat the
        # app's rule that hides everything below the smallest usable size.
        several = len(rows) > 1
        self.set_class(several, "-shown")
        if not several:
            return
        self.update(summary_table(rows, selected))


def summary_table(rows: Sequence[SummaryRow], selected: int) -> SummaryTable:
    """Build the summary as a renderable that fits each line to its width."""
    return SummaryTable(tuple(rows), selected)


@dataclass(frozen=True)
class SummaryTable:
    """A rich renderable of the summary rows, laid out again at each width.

    When everything fits, it is a grid with one column per part and the
    behaviour column takes the width left over. Narrower, it gives up parts
    in this order until the widest row fits:

    1. the settings in each label, whole words from the end, marked ``…``,
       down to the run number and the optimizer;
    2. the end of the behaviour, down to 6 columns ending in ``…``;
    3. the step count, and the behaviour takes its place;
    4. digits of x and f(x), rounded and shown with ``≈``, down to 2;
    5. all of the behaviour but ``…``, then the optimizer in the label,
       then whole columns from the right.

    The dot and the ▸ marker come first at any width of 2 or more, and no
    number is ever cut.
    """

    rows: tuple[SummaryRow, ...]
    selected: int

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> RenderResult:
        yield self.table(options.max_width)

    def table(self, width: int) -> Table:
        """Return the grid of cells shortened to fit ``width`` columns."""
        table = Table.grid(padding=(0, 1), expand=True)
        if not self.rows:
            return table
        columns = self._fitted_columns(width)
        for column in columns:
            table.add_column(
                no_wrap=True,
                justify=column.justify,
                ratio=1 if column.grows else None,
                overflow="ellipsis" if column.grows else "crop",
            )
        for index in range(len(self.rows)):
            table.add_row(*(column.cells[index] for column in columns))
        return table

    def _fitted_columns(self, width: int) -> list[_Column]:
        """Return the columns of the first stage that fits ``width``, in the
        order of the class docstring."""
        for stage in _STAGES:
            columns = self._try_stage(width, stage)
            if columns is not None:
                return columns
        return self._drop_columns(width)

    def _try_stage(self, width: int, stage: _Stage) -> list[_Column] | None:
        """Fit the label and behaviour into what the other columns leave, or
        return None when even their shortest forms do not fit."""
        fixed = [self._marks()]
        if stage.steps:
            fixed.append(
                _Column([Text(_steps(row.step)) for row in self.rows], "right")
            )
        fixed.append(self._numbers("x", [row.x for row in self.rows], stage.digits))
        fixed.append(
            self._numbers("f(x)", [row.value for row in self.rows], stage.digits)
        )
        # The label and the behaviour each take a column and a space before it.
        room = width - sum(column.width + 1 for column in fixed) - 1
        full_state = max(cell_len(row.state) for row in self.rows)
        shortest_label = max(
            cell_len(shorten_label(row.label, 0, stage.keep)) for row in self.rows
        )
        if room - full_state >= shortest_label:
            label_width = room - full_state
            state_width = full_state
        elif room - shortest_label >= min(stage.min_state, full_state):
            label_width = shortest_label
            state_width = room - shortest_label
        else:
            return None
        labels = self._labels(label_width, stage.keep)
        return [fixed[0], labels, *fixed[1:], self._states(state_width)]

    def _drop_columns(self, width: int) -> list[_Column]:
        """Return the narrowest cells, dropping whole columns from the right
        until they fit, and end each row in …."""
        columns = [
            self._marks(),
            self._labels(0, keep=1),
            self._numbers("x", [row.x for row in self.rows], MIN_DIGITS),
            self._numbers("f(x)", [row.value for row in self.rows], MIN_DIGITS),
            _Column([Text(ELLIPSIS) for _ in self.rows], grows=True),
        ]
        while len(columns) > 2 and sum(c.width + 1 for c in columns) - 1 > width:
            del columns[-2]
        if columns[0].width + 2 > width:
            # Too narrow even for "▸● …": the dot and marker alone remain.
            del columns[1:]
        return columns

    def _marks(self) -> _Column:
        cells = []
        for row in self.rows:
            color = PATH_RICH_COLORS[row.index % len(PATH_RICH_COLORS)]
            mark = "▸●" if row.index == self.selected else " ●"
            cells.append(Text(mark, style=color))
        return _Column(cells)

    def _labels(self, width: int, keep: int) -> _Column:
        cells = []
        for row in self.rows:
            style = "bold" if row.index == self.selected else ""
            label = shorten_label(row.label, width, keep)
            cells.append(Text(label, style=style))
        return _Column(cells)

    def _states(self, width: int) -> _Column:
        cells = []
        for row in self.rows:
            text = Text(row.state, style=state_style(row.state))
            text.truncate(width, overflow="ellipsis")
            cells.append(text)
        return _Column(cells, grows=True)

    @staticmethod
    def _numbers(name: str, values: list[float], digits: int) -> _Column:
        return _Column([Text(number_text(name, value, digits)) for value in values])


class _Stage(NamedTuple):
    """One step down in the class docstring of ``SummaryTable``."""

    digits: int
    steps: bool
    """Whether the step count shows."""
    min_state: int
    """Minimum width of the behaviour in columns, ``…`` included."""
    keep: int
    """Words of the label that always stay."""


_STAGES = (
    _Stage(FULL_DIGITS, True, MIN_STATE, 2),
    *(
        _Stage(digits, False, MIN_STATE, 2)
        for digits in range(FULL_DIGITS, MIN_DIGITS - 1, -1)
    ),
    _Stage(MIN_DIGITS, False, 1, 2),
    _Stage(MIN_DIGITS, False, 1, 1),
)


@dataclass
class _Column:
    """The cells of one grid column and how the column lays them out."""

    cells: list[Text]
    justify: str = "left"
    grows: bool = False
    """Whether the column takes the width the others leave."""

    @property
    def width(self) -> int:
        """The width of the widest cell."""
        return max(cell.cell_len for cell in self.cells)


def shorten_label(label: str, width: int, keep: int = 2) -> str:
    """Fit ``label`` into ``width`` columns by dropping whole words from its end.

    A shortened label ends in `` …``, so that no number in it reads as a
    different value. The first ``keep`` words, such as the run number and
    the optimizer in ``3 Adam η=0.2``, always stay, so the result may be
    wider than ``width``.
    """
    if cell_len(label) <= width:
        return label
    words = label.split(" ")
    if len(words) <= keep:
        return label
    for count in range(len(words) - 1, keep, -1):
        shortened = " ".join(words[:count]) + " " + ELLIPSIS
        if cell_len(shortened) <= width:
            return shortened
    return " ".join(words[:keep]) + " " + ELLIPSIS


def number_text(name: str, value: float, digits: int) -> str:
    """Return ``name = value`` at ``digits`` significant digits, with ≈ in
    place of = when that rounds away digits that the full line shows."""
    text = format_number(value, digits)
    sign = "=" if text == format_number(value, FULL_DIGITS) else "≈"
    return f"{name} {sign} {text}"


def _steps(count: int) -> str:
    return "1 step" if count == 1 else f"{count:,} steps"
