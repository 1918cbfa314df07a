"""The learner's position in a run: which step is shown, and how it moves.

The app keeps one Stepper and asks it to step, rewind, reset or change the
settings. Runs are deterministic, so stepping back only moves the cursor and
stepping forward again reuses rows already computed. This module imports no
textual, rich or plotext.
"""

from __future__ import annotations

from dataclasses import replace

from .engine import Run, RunSettings
from .functions import QUADRATIC, Function

MIN_LEARNING_RATE = 1e-300
MAX_LEARNING_RATE = 1e300
"""Bounds for halving and doubling, so the rate stays a normal, finite float."""


class Stepper:
    """A run plus the step the learner is looking at."""

    def __init__(
        self, function: Function = QUADRATIC, settings: RunSettings | None = None
    ) -> None:
        self.function = function
        self.settings = settings or RunSettings(start=function.default_start)
        self.run = Run(function=self.function, settings=self.settings)
        self.current = 0

    @property
    def at_end(self) -> bool:
        """True when the current step is the last one the run will have."""
        return self.run.stopped and self.current == self.run.last_step

    def forward(self, steps: int = 1) -> bool:
        """Move ``steps`` steps on, computing them if needed; False if none."""
        target = self.run.ensure(self.current + steps)
        moved = target != self.current
        self.current = target
        return moved

    def back(self, steps: int = 1) -> bool:
        """Move ``steps`` steps back; False when already at the start."""
        target = max(0, self.current - steps)
        moved = target != self.current
        self.current = target
        return moved

    def reset(self) -> None:
        """Go back to step 0, keeping the computed history."""
        self.current = 0

    def to_end(self, chunk: int | None = None) -> bool:
        """Compute up to ``chunk`` more steps (all when None) and show the last.

        Returns True once the run has stopped, so a caller can compute a long
        run in chunks and keep the screen responsive in between.
        """
        if chunk is None:
            self.run.run_to_end()
        else:
            self.run.advance(chunk)
        self.current = self.run.last_step
        return self.run.stopped

    def apply(self, settings: RunSettings, function: Function | None = None) -> None:
        """Start a new run with new settings and, optionally, a new function."""
        if function is not None:
            self.function = function
        self.settings = settings
        self.run = Run(function=self.function, settings=settings)
        self.current = 0

    def scale_learning_rate(self, factor: float) -> bool:
        """Multiply the learning rate by ``factor`` and restart.

        Returns False, changing nothing, when the result would leave
        [1e-300, 1e300] in size, where halving or doubling stops making sense.
        """
        rate = self.settings.learning_rate * factor
        if rate != 0 and not MIN_LEARNING_RATE <= abs(rate) <= MAX_LEARNING_RATE:
            return False
        self.apply(replace(self.settings, learning_rate=rate))
        return True
