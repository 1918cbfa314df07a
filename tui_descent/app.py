"""The descend-tui application: composes the views and routes the keys.

The first frame shows only the function and settings. The chart, the table
and numpy behind them are imported right after it (see workspace.py), so the
screen appears as fast as a bare Textual app's would.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work
from textual.app import App, ComposeResult
from textual.widgets import Footer, Input, Static

from .commands import PresetCommands
from .compare_actions import CompareActions
from .functions import QUADRATIC, Function
from .keys import BINDINGS
from .playback import Playback
from .recovery import RecoveryMixin
from .run_settings import RunSettings
from .schedules import check_floor
from .widgets.option_list_guard import GuardedPalettes
from .widgets.starting_view import StartingView

if TYPE_CHECKING:
    from .sessions import Session
    from .stepper import Stepper
    from .widgets.function_panel import FunctionPanel
    from .widgets.settings_bar import SettingsBar
    from .workspace import Views

RUN_TO_END_CHUNK = 10_000
"""Steps computed between two looks at the clock while running to the end."""

COMPUTE_SLICE = 0.1
"""Seconds of computing between two progress updates while running to the end."""

PROGRESS_PAUSE = 1 / 60
"""Seconds left to the screen between chunks, about one frame."""

MIN_SIZE = (30, 10)
"""Columns and rows below which the screen shows only the too-small notice."""

ACTIONS_BEFORE_VIEWS = frozenset({"quit", "help", "command_palette"})
"""Actions that work in the instant before the chart and table are mounted."""


class DescentApp(RecoveryMixin, CompareActions, GuardedPalettes, App[None]):
    """Walk gradient descent down a curve one key press at a time."""

    TITLE = "descend-tui"
    CSS_PATH = "app.tcss"
    AUTO_FOCUS = "StepTable"
    BINDINGS = BINDINGS
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_SIZE[0], "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_SIZE[1], "-tall")]
    COMMANDS = App.COMMANDS | {PresetCommands}

    def __init__(
        self,
        function: Function = QUADRATIC,
        settings: RunSettings | None = None,
        session: Session | None = None,
        *,
        views_after_first_frame: bool = False,
    ) -> None:
        """Start at ``session``'s step if given.

        With ``views_after_first_frame`` the stepper and the views are built
        after the first frame is drawn, as the command line requests. Without
        it they are built here, so tests that drive the app find them at once.
        """
        super().__init__()
        self.playback = Playback()
        self._launch = (function, settings, session)
        self.stepper: Stepper | None = None
        self.views: Views | None = None
        if not views_after_first_frame:
            self._create_stepper()

    def _create_stepper(self) -> None:
        from .workspace import start_stepper

        self.stepper = start_stepper(*self._launch)

    def compose(self) -> ComposeResult:
        yield Static(
            f"Enlarge the terminal to {MIN_SIZE[0]}×{MIN_SIZE[1]}",
            id="too-small",
        )
        if self.stepper is None:
            function, settings, session = self._launch
            if session is not None:
                function, settings = session.function, session.settings
            yield StartingView(function, settings or RunSettings(function.default_start))
        else:
            self.views = self._create_views()
            yield from self.views.widgets()
        yield Footer(show_command_palette=False, compact=True)

    def _create_views(self) -> Views:
        from .workspace import Views

        return Views.for_stepper(self.stepper)

    def on_mount(self) -> None:
        if self.views is None:
            self.call_after_refresh(self._mount_views)
        else:
            self.refresh_views()

    async def _mount_views(self) -> None:
        """Replace the starting view with the chart, table and status."""
        self._create_stepper()
        views = self._create_views()
        await self.query_one(StartingView).remove()
        await self.mount_all(views.widgets(), before=self.query_one(Footer))
        # Set only now: check_action keeps the run's keys off until then.
        self.views = views
        views.table.focus()
        self.refresh_views()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Disable the keys that need a run until the views are mounted."""
        if self.views is None and action not in ACTIONS_BEFORE_VIEWS:
            return False
        return super().check_action(action, parameters)

    def refresh_views(self) -> None:
        """Show the stepper's current step in the chart, table and status."""
        stepper = self.stepper
        run = stepper.run
        self.views.chart.show_runs(
            stepper.function, stepper.paths(), stepper.selected, settings=run.settings
        )
        self.views.table.show(run.history, stepper.current)
        from .behaviour import describe

        description = describe(run, stepper.current)
        self.views.status.show(
            step=stepper.current,
            max_steps=run.settings.max_steps,
            row=run.history.row(stepper.current),
            learning_rate=run.settings.learning_rate,
            state=description.state,
            explanation=description.explanation,
        )
        self.refresh_comparison()
        # Every change of the runs or the step ends here, which is when the
        # saved session falls behind.
        self.autosave.request()
        if self.playback.playing and stepper.at_end:
            self.action_toggle_play()

    def action_step(self) -> None:
        """Take one step forward."""
        if self.stepper.forward():
            self.refresh_views()

    def action_back(self) -> None:
        """Go one step back."""
        if self.stepper.back():
            self.refresh_views()

    def _cancel_run_to_end(self) -> bool:
        """Stop a run to the end that is computing; False if none is."""
        running = [
            worker
            for worker in self.workers
            if worker.group == "run-to-end" and worker.is_running
        ]
        if not running:
            return False
        self.workers.cancel_group(self, "run-to-end")
        self.views.bar.show_message(
            f"stopped computing at step {self.stepper.current:,}; g goes on"
        )
        self.refresh_views()
        return True

    def action_reset(self) -> None:
        """Go back to the start of the run."""
        self._cancel_run_to_end()
        self.playback.stop()
        self.stepper.reset()
        self.refresh_views()

    def action_toggle_play(self) -> None:
        """Start or stop stepping at a steady pace."""
        if self._cancel_run_to_end():
            return
        if self.playback.playing:
            self.playback.stop()
        elif not self.stepper.at_end:
            self.playback.start(self, self._play_tick)
        self._announce_pace()

    def action_change_pace(self, direction: int) -> None:
        """Play faster for a positive ``direction``, slower for a negative one."""
        self.playback.change_pace(self, direction)
        self._announce_pace()

    def _announce_pace(self) -> None:
        state = "playing" if self.playback.playing else "paused"
        self.views.bar.show_message(
            f"{state} at {self.playback.pace_label}; p plays or pauses, + and - change the pace"
        )

    def _play_tick(self) -> None:
        if self.stepper.forward(self.playback.steps_per_tick):
            self.refresh_views()
        else:
            self.playback.stop()
            self.refresh_views()

    @work(exclusive=True, group="run-to-end")
    async def action_to_end(self) -> None:
        """Compute the rest of the run in chunks and show its last step."""
        self.playback.stop()
        status = self.views.bar
        progress_shown = False
        slice_ends = time.perf_counter() + COMPUTE_SLICE
        while not self.stepper.to_end(RUN_TO_END_CHUNK):
            if time.perf_counter() < slice_ends:
                continue
            # Only the progress text is redrawn until the end: drawing the
            # chart and table for steps about to be passed costs more than
            # computing them. sleep(0) would not give the screen a turn.
            status.show_message(
                f"computing… step {self.stepper.current:,}; p or r stops"
            )
            progress_shown = True
            await asyncio.sleep(PROGRESS_PAUSE)
            # Shutting down clears is_running first, then removes widgets.
            if not (self.is_running and status.is_attached):
                return
            slice_ends = time.perf_counter() + COMPUTE_SLICE
        if progress_shown:
            status.show_message("")
        self.refresh_views()

    def action_scale_rate(self, factor: float) -> None:
        """Multiply the learning rate by ``factor`` and restart the run."""
        bar = self.views.bar
        self.playback.stop()
        settings = self.stepper.settings
        try:
            check_floor(settings.schedule, settings.learning_rate * factor, "floor", "η")
        except ValueError as error:
            bar.show_message(str(error), error=True)
            return
        if not self.stepper.scale_learning_rate(factor):
            bar.show_message(
                f"learning rate {self.stepper.settings.learning_rate:g} cannot "
                "change further that way; type a value in the η field",
                error=True,
            )
            return
        bar.set_settings(self.stepper.settings)
        self.refresh_views()

    @work(exclusive=True, group="files")
    async def action_export(self) -> None:
        """Ask for a path and save the run as JSON or CSV."""
        self.playback.stop()
        from .file_actions import export_run

        await export_run(self)

    @work(exclusive=True, group="files")
    async def action_open(self) -> None:
        """Ask for a saved JSON run and open it where it was."""
        self.playback.stop()
        from .file_actions import open_run

        await open_run(self)

    @work(exclusive=True, group="files")
    async def action_screenshot(self) -> None:
        """Ask for a path and save the screen as SVG."""
        from .file_actions import save_screenshot

        await save_screenshot(self)

    def open_session(self, session: Session) -> None:
        """Show a loaded session: every run, the selected one and the step.

        The runs on screen are replaced, so a one-run file leaves one run.
        """
        self.playback.stop()
        session.apply_to(self.stepper)
        self.views.panel.set_function(session.function)
        self.views.bar.set_settings(session.settings)
        self.refresh_views()
        for warning in session.warnings:
            self.notify(warning, severity="warning")

    def action_help(self) -> None:
        """Open the help screen."""
        # Imported here: Markdown takes about a tenth of the start-up time.
        from .widgets.help_screen import HelpScreen

        self.push_screen(HelpScreen(self.BINDINGS))

    def action_leave_field(self) -> None:
        """Leave the field being edited, so the step keys work again."""
        if isinstance(self.focused, Input):
            self.views.table.focus()

    def on_function_panel_changed(self, event: FunctionPanel.Changed) -> None:
        """Descend the function picked or typed in the function panel."""
        function = event.function
        self.playback.stop()
        from .workspace import start_for

        start, message = start_for(function, self.stepper.settings.start)
        settings = replace(self.stepper.settings, start=start)
        self.stepper.apply(settings, function)
        bar = self.views.bar
        bar.set_settings(settings)
        bar.show_message(message)
        self.refresh_views()

    def choose_function(self, function: Function) -> None:
        """Descend ``function`` from its default start, as if picked in the panel."""
        self.views.panel.set_function(function)
        self.post_message(self.views.panel.Changed(function))

    def on_settings_bar_applied(self, event: SettingsBar.Applied) -> None:
        """Restart the run with the settings typed in the settings bar."""
        self.playback.stop()
        self.stepper.apply(event.settings)
        self.views.table.focus()
        self.refresh_views()
