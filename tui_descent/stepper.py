"""The learner's position in the runs on screen: which step, and how it moves.

The app keeps one Stepper and calls it to step, rewind, reset or change the
settings. A Stepper is a Comparison (up to four runs stepped together) with
the learning-rate keys on top, and with a single run it behaves as one run
and its current step. Runs are deterministic, so stepping back only moves the
step index and stepping forward again reuses rows already computed. This
module imports no textual, rich or plotext.
"""

from __future__ import annotations

from dataclasses import replace

from .comparison import Comparison

MIN_LEARNING_RATE = 1e-300
MAX_LEARNING_RATE = 1e300
"""Bounds for halving and doubling, so the rate stays a normal, finite float."""


class Stepper(Comparison):
    """The runs on screen, the shared step and the selected run."""

    def scale_learning_rate(self, factor: float) -> bool:
        """Multiply the selected run's learning rate by ``factor`` and restart.

        Returns False, changing nothing, when the result would leave
        [1e-300, 1e300] in size, where halving or doubling stops making sense.
        """
        rate = self.settings.learning_rate * factor
        if rate != 0 and not MIN_LEARNING_RATE <= abs(rate) <= MAX_LEARNING_RATE:
            return False
        self.apply(replace(self.settings, learning_rate=rate))
        return True
