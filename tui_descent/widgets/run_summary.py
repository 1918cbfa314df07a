"""One line per run of a comparison: its step, x, f(x) and why it stopped.

The lines show only while there are two runs or more, because with one run
the status line already shows all of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ..comparison import SummaryRow
from ..numbers import format_number
from .chart import PATH_RICH_COLORS
from .status_line import state_style


def row_text(row: SummaryRow) -> str:
    """Return one summary line as plain text, the way it reads on screen."""
    return (
        f"{row.label}  {_steps(row.step)}  x = {format_number(row.x, 5)}  "
        f"f(x) = {format_number(row.value, 5)}  {row.state}"
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
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.lines: list[str] = []
        """The lines last shown, as plain text, selected run marked with ▸."""
        self.display = False

    def show(self, rows: Sequence[SummaryRow], selected: int) -> None:
        """Show a line per row, or hide the widget when there is one row."""
        self.lines = [
            ("▸ " if row.index == selected else "  ") + row_text(row) for row in rows
        ]
        self.display = len(rows) > 1
        if not self.display:
            return
        self.update(summary_table(rows, selected))


def summary_table(rows: Sequence[SummaryRow], selected: int) -> Table:
    """Build the summary as a rich grid, one row per run.

    The behaviour column takes the width left over and ends in … when cut.
    """
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, justify="right")
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
    for row in rows:
        table.add_row(*_cells(row, row.index == selected))
    return table


def _cells(row: SummaryRow, selected: bool) -> list[Text]:
    color = PATH_RICH_COLORS[row.index % len(PATH_RICH_COLORS)]
    return [
        Text("▸●" if selected else " ●", style=color),
        Text(row.label, style="bold" if selected else ""),
        Text(_steps(row.step)),
        Text(f"x = {format_number(row.x, 5)}"),
        Text(f"f(x) = {format_number(row.value, 5)}"),
        Text(row.state, style=state_style(row.state)),
    ]


def _steps(count: int) -> str:
    return "1 step" if count == 1 else f"{count:,} steps"
