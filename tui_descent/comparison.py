"""Up to four runs on one function, stepped together with a shared step index.

The learner compares runs that differ in their settings (η = 0.1 against
η = 0.9, or gradient descent against momentum and Adam). All runs share the
step index k, and each run shows its step min(k, its last step), so a run
that stopped early stays on its last step while the others go on. One run is
selected: the table, the settings fields and the optimizer panel show it.
This module imports no textual, rich or plotext.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .behaviour import describe
from .engine import History, Run, RunSettings, StopReason
from .functions import QUADRATIC, Function
from .hyperparameters import describe_optimizer, describe_schedule
from .numbers import format_number

MAX_RUNS = 4
"""Most runs side by side; the chart has a distinct colour for each."""


@dataclass(frozen=True)
class SummaryRow:
    """The figures and behaviour of one run of a comparison at the shared step."""

    index: int
    """0-based position of the run. Labels and keys number runs from 1."""
    label: str
    step: int
    """The step shown: min(shared step, the run's last step)."""
    x: float
    value: float
    """f(x) at the step shown."""
    stop_reason: StopReason
    """The run's stop reason once the step shown is its last, else RUNNING."""
    state: str
    """The behaviour in a few words, from behaviour.describe."""


class Comparison:
    """One to four runs on the same function, a shared step and a selection."""

    def __init__(
        self, function: Function = QUADRATIC, settings: RunSettings | None = None
    ) -> None:
        self.function = function
        settings = settings or RunSettings(start=function.default_start)
        self.runs: list[Run] = [Run(function=function, settings=settings)]
        self.step = 0
        """The shared step index k."""
        self.selected = 0
        """Index of the selected run in ``runs``."""

    @property
    def run(self) -> Run:
        """The selected run."""
        return self.runs[self.selected]

    @property
    def settings(self) -> RunSettings:
        """The settings of the selected run."""
        return self.run.settings

    @property
    def current(self) -> int:
        """The step of the selected run on screen."""
        return self.step_of(self.selected)

    def step_of(self, index: int) -> int:
        """Return the step shown for run ``index``: min(k, its last step)."""
        return min(self.step, self.runs[index].last_step)

    @property
    def at_end(self) -> bool:
        """True when every run has stopped and k is at the last of their steps."""
        return all(run.stopped for run in self.runs) and self.step >= self._last_step()

    def _last_step(self) -> int:
        return max(run.last_step for run in self.runs)

    def forward(self, steps: int = 1) -> bool:
        """Move k on by ``steps``, computing each run that far; False if none moved.

        k stops at the last step of the longest run, so stepping past the end
        of every run changes nothing.
        """
        target = self.step + steps
        for run in self.runs:
            run.ensure(target)
        target = min(target, self._last_step())
        moved = target != self.step
        self.step = target
        return moved

    def back(self, steps: int = 1) -> bool:
        """Move k back by ``steps``; False when already at the start."""
        target = max(0, self.step - steps)
        moved = target != self.step
        self.step = target
        return moved

    def reset(self) -> None:
        """Go back to step 0, keeping the computed histories."""
        self.step = 0

    def to_end(self, chunk: int | None = None) -> bool:
        """Compute up to ``chunk`` more steps of every run (all when None) and
        move k to the last step computed.

        Returns True once every run has stopped, so a caller can compute long
        runs in chunks and keep the screen responsive in between.
        """
        for run in self.runs:
            if chunk is None:
                run.run_to_end()
            else:
                run.advance(chunk)
        self.step = self._last_step()
        return all(run.stopped for run in self.runs)

    def apply(self, settings: RunSettings, function: Function | None = None) -> None:
        """Restart the selected run with ``settings`` and go back to step 0.

        With a new ``function`` every run restarts on it, each keeping its own
        optimizer and η but starting from ``settings.start``.
        """
        if function is not None:
            self.function = function
            self.runs = [
                Run(function, replace(run.settings, start=settings.start))
                for run in self.runs
            ]
        self.runs[self.selected] = Run(self.function, settings)
        self.step = 0

    def restore(
        self, function: Function, runs: list[Run], selected: int, step: int
    ) -> None:
        """Show ``runs`` of ``function`` in place of the current ones, as a
        session file saved them: run ``selected`` selected, at shared step
        ``step``.

        Raises ValueError, changing nothing, for no runs, more than MAX_RUNS,
        a run of another function or a selection out of range.
        """
        if not 1 <= len(runs) <= MAX_RUNS:
            raise ValueError(f"expected 1 to {MAX_RUNS} runs, found {len(runs)}")
        if any(run.function is not function for run in runs):
            raise ValueError("every run of a comparison must descend the same function")
        if not 0 <= selected < len(runs):
            raise ValueError(f"selected run {selected} is not in 0..{len(runs) - 1}")
        self.function = function
        self.runs = list(runs)
        self.selected = selected
        for run in self.runs:
            run.ensure(step)
        self.step = min(max(step, 0), self._last_step())

    def add(self) -> bool:
        """Add a copy of the selected run and select it; False when full.

        The copy is computed up to k, so it appears at the same step.
        """
        if len(self.runs) >= MAX_RUNS:
            return False
        run = Run(self.function, self.settings)
        run.ensure(self.step)
        self.runs.append(run)
        self.selected = len(self.runs) - 1
        return True

    def remove(self, index: int | None = None) -> bool:
        """Remove run ``index`` (the selected one by default); False, changing
        nothing, for the only run or an index out of range.

        The selection stays on the same run where it can, and k moves back to
        the last step of the longest remaining run if it was beyond it.
        """
        index = self.selected if index is None else index
        if len(self.runs) == 1 or not 0 <= index < len(self.runs):
            return False
        del self.runs[index]
        if self.selected > index or self.selected == len(self.runs):
            self.selected -= 1
        self.step = min(self.step, self._last_step())
        return True

    def select(self, index: int) -> bool:
        """Select run ``index``; False, changing nothing, when there is none."""
        if not 0 <= index < len(self.runs):
            return False
        self.selected = index
        return True

    def select_next(self) -> None:
        """Select the next run, wrapping from the last to the first."""
        self.selected = (self.selected + 1) % len(self.runs)

    def label(self, index: int) -> str:
        """Name run ``index`` by its optimizer and what sets it apart, such as
        ``2 Adam η=0.5``.

        η and x0 appear only when they differ between runs, so labels stay
        short enough for a summary line at 80 columns.
        """
        settings = self.runs[index].settings
        parts = [str(index + 1), describe_optimizer(settings.optimizer)]
        rates = {
            run.settings.learning_rate
            for run in self.runs
            if run.settings.optimizer.uses_learning_rate
        }
        if settings.optimizer.uses_learning_rate and len(rates) > 1:
            parts.append(f"η={format_number(settings.learning_rate, 4)}")
        schedule = describe_schedule(settings.schedule)
        if schedule:
            parts.append(schedule)
        if len({run.settings.start for run in self.runs}) > 1:
            parts.append(f"x0={format_number(settings.start, 4)}")
        return " ".join(parts)

    def paths(self) -> list[tuple[str, History, int]]:
        """Return (label, history, step shown) for each run, for the chart."""
        return [
            (self.label(index), run.history, self.step_of(index))
            for index, run in enumerate(self.runs)
        ]

    def summary(self) -> list[SummaryRow]:
        """Return one row per run at the shared step, in run order."""
        return [self._summary_row(index) for index in range(len(self.runs))]

    def _summary_row(self, index: int) -> SummaryRow:
        run = self.runs[index]
        step = self.step_of(index)
        x, _, value = run.history.row(step)
        ended = run.stopped and step == run.last_step
        reason = run.stop_reason if ended else StopReason.RUNNING
        state = describe(run, step).state
        return SummaryRow(index, self.label(index), step, x, value, reason, state)
