"""The descend-tui application: composes the views and routes the keys."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace

from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Footer, Input, Static

from .behaviour import describe
from .commands import PresetCommands
from .compare_actions import CompareActions
from .engine import RunSettings
from .file_actions import export_run, open_run, save_screenshot
from .functions import QUADRATIC, Function
from .keys import BINDINGS
from .playback import Playback
from .recovery import RecoveryMixin
from .sessions import Session
from .stepper import Stepper
from .widgets.chart import DescentChart
from .widgets.function_panel import FunctionPanel
from .widgets.run_summary import RunSummary
from .widgets.settings_bar import SettingsBar
from .widgets.status_line import StatusLine
from .widgets.step_table import StepTable

RUN_TO_END_CHUNK = 2_000
"""Steps computed between two looks at the clock while running to the end."""

COMPUTE_SLICE = 0.1
"""Seconds of computing between two progress updates while running to the end."""

PROGRESS_PAUSE = 1 / 60
"""Seconds left to the screen between chunks, about one frame."""

MIN_SIZE = (30, 10)
"""Columns and rows below which the screen shows only the too-small notice."""


class DescentApp(RecoveryMixin, CompareActions, App[None]):
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
    ) -> None:
        super().__init__()
        self.stepper = Stepper(function, settings)
        self.playback = Playback()
        if session is not None:
            self.stepper.apply(session.settings, session.function)
            self.stepper.forward(session.current_step)

    def compose(self) -> ComposeResult:
        yield Static(
            f"Enlarge the terminal to {MIN_SIZE[0]}×{MIN_SIZE[1]}",
            id="too-small",
        )
        yield FunctionPanel(self.stepper.function)
        yield SettingsBar(self.stepper.settings)
        with Horizontal(id="body"):
            yield DescentChart()
            yield StepTable()
        yield RunSummary(id="summary")
        yield StatusLine(id="status")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_views()

    def refresh_views(self) -> None:
        """Show the stepper's current step in the chart, table and status."""
        stepper = self.stepper
        run = stepper.run
        self.query_one(DescentChart).show_runs(
            stepper.function, stepper.paths(), stepper.selected, settings=run.settings
        )
        self.query_one(StepTable).show(run.history, stepper.current)
        description = describe(run, stepper.current)
        self.query_one(StatusLine).show(
            step=stepper.current,
            max_steps=run.settings.max_steps,
            row=run.history.row(stepper.current),
            learning_rate=run.settings.learning_rate,
            state=description.state,
            explanation=description.explanation,
        )
        self.refresh_comparison()
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
        self.query_one(SettingsBar).show_message(
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
        self.query_one(SettingsBar).show_message(
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
        status = self.query_one(SettingsBar)
        shown = False
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
            shown = True
            await asyncio.sleep(PROGRESS_PAUSE)
            if not status.is_attached:
                return  # the app closed during the pause
            slice_ends = time.perf_counter() + COMPUTE_SLICE
        if shown:
            status.show_message("")
        self.refresh_views()

    def action_scale_rate(self, factor: float) -> None:
        """Multiply the learning rate by ``factor`` and restart the run."""
        bar = self.query_one(SettingsBar)
        self.playback.stop()
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
        await export_run(self)

    @work(exclusive=True, group="files")
    async def action_open(self) -> None:
        """Ask for a saved JSON run and open it where it was."""
        self.playback.stop()
        await open_run(self)

    @work(exclusive=True, group="files")
    async def action_screenshot(self) -> None:
        """Ask for a path and save the screen as SVG."""
        await save_screenshot(self)

    def open_session(self, session: Session) -> None:
        """Show a loaded session: its function, settings and step."""
        self.playback.stop()
        self.stepper.apply(session.settings, session.function)
        self.stepper.forward(session.current_step)
        self.query_one(FunctionPanel).set_function(session.function)
        self.query_one(SettingsBar).set_settings(session.settings)
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
            self.query_one(StepTable).focus()

    @on(FunctionPanel.Changed)
    def _change_function(self, event: FunctionPanel.Changed) -> None:
        function = event.function
        self.playback.stop()
        settings = replace(self.stepper.settings, start=function.default_start)
        self.stepper.apply(settings, function)
        bar = self.query_one(SettingsBar)
        bar.set_settings(settings)
        bar.show_message(
            f"New f(x): the run starts at its default x0 = {function.default_start:g}; "
            "type another x0 and press Enter to change it"
        )
        self.refresh_views()

    def choose_function(self, function: Function) -> None:
        """Descend ``function`` from its default start, as if picked in the panel."""
        self.query_one(FunctionPanel).set_function(function)
        self.post_message(FunctionPanel.Changed(function))

    @on(SettingsBar.Applied)
    def _apply_settings(self, event: SettingsBar.Applied) -> None:
        self.playback.stop()
        self.stepper.apply(event.settings)
        self.query_one(StepTable).focus()
        self.refresh_views()
