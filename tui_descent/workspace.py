"""The main screen's views and the stepper behind them, built after the first frame.

Importing this module brings in numpy, plotext and every widget of the main
screen, which together take most of the start-up time. The app imports it
once its first frame is on the screen, so on a slow link the settings
appear at once and the chart a moment later.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.containers import Horizontal
from textual.widget import Widget

from .functions import Function
from .run_settings import RunSettings
from .sessions import Session
from .stepper import Stepper
from .widgets.chart import DescentChart
from .widgets.function_panel import FunctionPanel
from .widgets.run_summary import RunSummary
from .widgets.settings_bar import SettingsBar
from .widgets.status_line import StatusLine
from .widgets.step_table import StepTable


def start_stepper(
    function: Function, settings: RunSettings | None, session: Session | None
) -> Stepper:
    """Create the stepper for a new app, at the session's step if one is given."""
    stepper = Stepper(function, settings)
    if session is not None:
        session.apply_to(stepper)
    return stepper


@dataclass
class Views:
    """The widgets of the main screen that show a stepper."""

    panel: FunctionPanel
    bar: SettingsBar
    chart: DescentChart
    table: StepTable
    summary: RunSummary
    status: StatusLine

    @classmethod
    def for_stepper(cls, stepper: Stepper) -> Views:
        """Create the views for ``stepper``'s function and settings."""
        return cls(
            panel=FunctionPanel(stepper.function),
            bar=SettingsBar(stepper.settings),
            chart=DescentChart(),
            table=StepTable(),
            summary=RunSummary(id="summary"),
            status=StatusLine(id="status"),
        )

    def widgets(self) -> list[Widget]:
        """List the widgets in screen order, the chart and table in one row."""
        body = Horizontal(self.chart, self.table, id="body")
        return [self.panel, self.bar, body, self.summary, self.status]
