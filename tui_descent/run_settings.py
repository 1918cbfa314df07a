"""The inputs of one descent run, apart from the function.

Kept apart from the engine so that the command line can check its options
without importing numpy. This module is part of the maths layer: it imports
no textual, rich or plotext.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .optimizers import GradientDescent, Optimizer
from .schedules import Constant, Schedule


@dataclass(frozen=True)
class RunSettings:
    """The inputs of one run. Frozen, so equal settings compare and hash equal."""

    start: float = 8.0
    learning_rate: float = 0.1
    max_steps: int = 50
    tolerance: float = 1e-6
    optimizer: Optimizer = field(default_factory=GradientDescent)
    schedule: Schedule = field(default_factory=Constant)

    def extra_columns(self) -> tuple[str, ...]:
        """Name the history columns these settings add after x, slope and value.

        The optimizer's state comes first; a schedule other than constant adds
        ``learning_rate``, the η that the update from each row uses.
        """
        names = tuple(self.optimizer.state_names)
        if not isinstance(self.schedule, Constant):
            names += ("learning_rate",)
        return names
