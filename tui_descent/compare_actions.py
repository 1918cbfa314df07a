"""The app's actions for side-by-side runs and for the optimizer panel.

DescentApp inherits these, so the keys that add, remove and select runs sit
in one place and app.py only composes and routes.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .autosave import Autosave
    from .optimizers import Optimizer
    from .playback import Playback
    from .schedules import Schedule
    from .stepper import Stepper

# NOTE: the widgets and comparison.py are imported inside the actions,
# because app.py imports this module before its first frame and those
# bring in numpy and plotext.


class CompareActions:
    """Actions for the a, x, s, 1–4 and m keys; mixed into DescentApp."""

    stepper: Stepper
    playback: Playback
    autosave: Autosave

    def refresh_comparison(self) -> None:
        """Show a summary line per run while there are two runs or more."""
        from .widgets.run_summary import RunSummary

        stepper = self.stepper
        several = len(stepper.runs) > 1
        rows = stepper.summary() if several else []
        self.query_one(RunSummary).show(rows, stepper.selected)
        # Lets app.tcss shrink the table and status to make room for the lines.
        self.set_class(several, "-compare")

    def action_add_run(self) -> None:
        """Add a copy of the selected run and select it."""
        self.playback.stop()
        source = self.stepper.selected + 1
        if not self.stepper.add():
            from .comparison import MAX_RUNS

            self._tell(
                f"{MAX_RUNS} runs is the limit; press x to remove the selected run",
                error=True,
            )
            return
        self._show_selected(
            f"run {self.stepper.selected + 1} is a copy of run {source}: change "
            "its η here or press m for its optimizer"
        )

    def action_remove_run(self) -> None:
        """Remove the selected run, unless it is the only one."""
        self.playback.stop()
        removed = self.stepper.selected + 1
        if not self.stepper.remove():
            self._tell("the only run cannot be removed; press a to add one", error=True)
            return
        self._show_selected(f"removed run {removed}")

    def action_select_run(self, index: int) -> None:
        """Select run ``index`` (0-based) for the table, fields and panel."""
        if not self.stepper.select(index):
            count = len(self.stepper.runs)
            self._tell(
                f"there is no run {index + 1}, only {count}; press a to add one",
                error=True,
            )
            return
        self._show_selected("")

    def action_next_run(self) -> None:
        """Select the next run, wrapping round to the first."""
        self.stepper.select_next()
        self._show_selected("")

    def action_optimizer(self) -> None:
        """Open the optimizer panel for the selected run."""
        self.playback.stop()
        from .widgets.optimizer_panel import OptimizerScreen

        settings = self.stepper.settings
        title = f"Optimizer and schedule of run {self.stepper.selected + 1}"
        screen = OptimizerScreen(settings.optimizer, settings.schedule, title)
        self.push_screen(screen, self._apply_optimizer)

    def _apply_optimizer(self, chosen: tuple[Optimizer, Schedule] | None) -> None:
        if chosen is None:
            return
        optimizer, schedule = chosen
        settings = replace(self.stepper.settings, optimizer=optimizer, schedule=schedule)
        self.stepper.apply(settings)
        self._show_selected(f"run {self.stepper.selected + 1} now uses {optimizer.name}")

    def _show_selected(self, message: str) -> None:
        """Put the selected run's settings in the fields and redraw."""
        from .widgets.settings_bar import SettingsBar

        bar = self.query_one(SettingsBar)
        bar.set_settings(self.stepper.settings)
        bar.show_message(message)
        self.refresh_views()

    def _tell(self, message: str, error: bool = False) -> None:
        from .widgets.settings_bar import SettingsBar

        self.query_one(SettingsBar).show_message(message, error=error)
