"""The two status lines: where the run is, and what it is doing in words."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..numbers import format_number

STATE_STYLES = {
    "converged": "bold green",
    "running": "bold cyan",
    "converging": "bold cyan",
    "diverging": "bold red",
    "diverged": "bold red",
    "overflowed": "bold red",
    "undefined": "bold red",
    "oscillating": "bold yellow",
    "stalled": "bold yellow",
    "reached max steps": "bold yellow",
    "stuck": "bold yellow",
    "not a minimum": "bold yellow",
}


def state_style(state: str) -> str:
    """Return the rich style for a behaviour such as ``converging``."""
    for word, style in STATE_STYLES.items():
        if word in state:
            return style
    return "bold"


class StatusLine(Static):
    """Step k of N, x, f(x), the slope and the run's state, then a sentence."""

    def show(
        self,
        *,
        step: int,
        max_steps: int,
        row: tuple[float, float, float],
        learning_rate: float,
        state: str,
        explanation: str,
    ) -> None:
        """Display the figures of one step and the words that describe it."""
        x, slope, value = row
        text = Text(no_wrap=False, overflow="fold")
        text.append(f"step {step:,} of {max_steps:,}", style="bold")
        text.append(f"  x = {format_number(x)}")
        text.append(f"  f(x) = {format_number(value)}")
        text.append(f"  f'(x) = {format_number(slope)}")
        text.append(f"  η = {format_number(learning_rate)}")
        text.append("\n")
        # The state leads the second line, so a narrow terminal never splits
        # it from the sentence that explains it.
        text.append(state, style=state_style(state))
        text.append(f" · {explanation}")
        # A layout per step is costly, so one is asked for only when the
        # wrapped text needs a different number of rows.
        width = self.content_region.width if self.is_attached else 0
        rows = len(text.wrap(self.app.console, width)) if width > 0 else -1
        self.update(text, layout=rows != self._rows or rows < 0)
        self._rows = rows
        self.state = state

    _rows: int = -1
    """Rows the text last shown wrapped to, or -1 before it was measured."""

    state: str = ""
    """The state words last shown, such as ``converged``."""
