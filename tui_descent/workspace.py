"""The main screen's views and the stepper behind them, built after the first frame.

Importing this module brings in numpy, plotext and every widget of the main
screen, which together take most of the start-up time. The app imports it
once its first frame is on the screen, so on a slow link the settings
appear at once and the chart a moment later.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from textual.containers import Horizontal
from textual.widget import Widget

from .functions import Function
from .presets import slug_of
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


def start_for(function: Function, current: float) -> tuple[float, str]:
    """Choose x0 for a newly chosen function; return it and a line saying why.

    A preset starts where it teaches best. A typed formula keeps the x0 on
    screen when f and f' are finite there, and else starts at its default.
    """
    default = function.default_start
    change = "type another x0 and press Enter to change it"
    if slug_of(function) is not None:
        return default, f"New f(x): the run starts at its default x0 = {default:g}; {change}"
    value, slope = function.value_and_slope(current)
    if math.isfinite(value) and math.isfinite(slope):
        return current, f"New f(x): the run starts again from x0 = {current:g}"
    return default, (
        f"New f(x): f or f' is not finite at x0 = {current:g}, so the run starts "
        f"at x0 = {default:g}; {change}"
    )
