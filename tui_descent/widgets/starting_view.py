"""The first frame's stand-in for the chart and table while they load."""

from __future__ import annotations

from textual.widgets import Static

from ..functions import Function
from ..numbers import format_number
from ..run_settings import RunSettings


class StartingView(Static):
    """The function and settings of the run about to start, as plain text."""

    DEFAULT_CSS = """
    StartingView {
        height: 1fr;
        padding: 1 2;
        color: $text-muted;
    }
    """

    def __init__(self, function: Function, settings: RunSettings) -> None:
        super().__init__(starting_text(function, settings), id="starting")


def starting_text(function: Function, settings: RunSettings) -> str:
    """Describe the run in two lines, then note that the chart is loading."""
    return (
        f"f(x) = {function.name}   f'(x) = {function.derivative_formula}\n"
        f"x0 = {format_number(settings.start)}   "
        f"η = {format_number(settings.learning_rate)}   "
        f"up to {settings.max_steps:,} steps\n\n"
        "Loading the chart and the step table…"
    )
