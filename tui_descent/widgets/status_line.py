"""The two status lines: where the run is, and what it is doing in words."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region
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
    "too loose": "bold yellow",
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
        self._show_text(text)
        self.state = state

    def _show_text(self, text: Text) -> None:
        """Show ``text``, repainting only the cells that differ from before.

        A layout is asked for only when the wrapped text needs a different
        number of rows, because a layout per step is costly.
        """
        width = self.content_region.width if self.is_attached else 0
        lines = (
            [line.plain for line in text.wrap(self.app.console, width)]
            if width > 0
            else []
        )
        old_lines, self._lines = self._lines, lines
        self._text = text
        if width <= 0 or len(lines) != len(old_lines) or not _narrow(lines):
            self.refresh(layout=True)
            return
        regions = [
            Region(start, row, stop - start, 1)
            for row, (old, new) in enumerate(zip(old_lines, lines))
            for start, stop in [_changed_span(old, new)]
            if stop > start
        ]
        if regions and regions[0].y == 0:
            # The first line is sent whole, so "step N of M" arrives in one
            # piece: benchmarks/run.py reads the step shown from the output.
            regions[0] = Region(0, 0, width, 1)
        # Equal words in a new style (the state's colour) also need a repaint.
        if regions or text.spans != self._spans:
            self.refresh(*(regions or [Region(0, 0, width, len(lines))]))
        self._spans = list(text.spans)
        # NOTE: a repaint of regions still renders the whole text, but only
        # the regions' cells are sent to the terminal.

    @property
    def content(self) -> Text:
        """The text last shown."""
        return self._text

    def render(self) -> Text:
        """Return the text last shown."""
        return self._text

    _text: Text = Text()
    _lines: tuple[str, ...] | list[str] = ()
    """The plain lines of the text last shown, as wrapped to the width."""
    _spans: tuple | list = ()
    """The style spans of the text last shown."""

    state: str = ""
    """The state words last shown, such as ``converged``."""


def _narrow(lines: list[str]) -> bool:
    """Tell whether every character of the lines takes one cell."""
    return all(cell_len(line) == len(line) for line in lines)


def _changed_span(old: str, new: str) -> tuple[int, int]:
    """Return the first and past-the-last column where two lines differ."""
    length = max(len(old), len(new))
    old, new = old.ljust(length), new.ljust(length)
    start = next((i for i in range(length) if old[i] != new[i]), length)
    stop = next(
        (i for i in range(length, start, -1) if old[i - 1] != new[i - 1]), start
    )
    return start, stop
