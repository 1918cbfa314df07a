"""The descent engine: step rule, run history and stop reasons.

Plain gradient descent moves x against the slope, x_{k+1} = x_k - lr * f'(x_k).
A run records x, f'(x) and f(x) for every step in numpy arrays, so the table
and the chart can read any step without the engine keeping Python objects per
step. This module is part of the maths layer: it imports no textual, rich or
plotext.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from .functions import QUADRATIC, Function

MAX_ABS_X = 1e150
"""Beyond this |x| a run counts as diverged. The square of it is still a finite
float (1e300), so f, the table and the chart stay readable up to this point."""

_INITIAL_CAPACITY = 64


class StopReason(Enum):
    """Why a run stopped, or RUNNING while it can take another step."""

    RUNNING = "running"
    CONVERGED = "converged"
    MAX_STEPS = "reached max steps"
    DIVERGED = "diverged"
    OVERFLOWED = "overflowed"
    UNDEFINED = "undefined"
    STALLED = "stalled"

    @property
    def stopped(self) -> bool:
        """True for every reason except RUNNING."""
        return self is not StopReason.RUNNING


@dataclass(frozen=True)
class RunSettings:
    """The inputs of one run."""

    start: float = 8.0
    learning_rate: float = 0.1
    max_steps: int = 50
    tolerance: float = 1e-6


class History:
    """Growable columns of x, slope f'(x) and value f(x), one row per step.

    Row 0 is the start point. Capacity doubles when full, so appending is
    amortised O(1) and reading a row never copies the columns.
    """

    def __init__(self, capacity: int = _INITIAL_CAPACITY) -> None:
        self._x = np.empty(capacity)
        self._slope = np.empty(capacity)
        self._value = np.empty(capacity)
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def append(self, x: float, slope: float, value: float) -> None:
        """Add one row at the end, growing the columns when they are full."""
        if self._length == len(self._x):
            self._grow()
        index = self._length
        self._x[index] = x
        self._slope[index] = slope
        self._value[index] = value
        self._length += 1

    def truncate(self, length: int) -> None:
        """Drop every row from ``length`` on."""
        self._length = max(0, min(length, self._length))

    def _grow(self) -> None:
        capacity = max(_INITIAL_CAPACITY, 2 * len(self._x))
        for name in ("_x", "_slope", "_value"):
            column = getattr(self, name)
            grown = np.empty(capacity)
            grown[: self._length] = column[: self._length]
            setattr(self, name, grown)

    @property
    def x(self) -> np.ndarray:
        """x of every step, a view without copying."""
        return self._x[: self._length]

    @property
    def slope(self) -> np.ndarray:
        """f'(x) of every step, a view without copying."""
        return self._slope[: self._length]

    @property
    def value(self) -> np.ndarray:
        """f(x) of every step, a view without copying."""
        return self._value[: self._length]

    def columns(self) -> dict[str, np.ndarray]:
        """Return every column by name, for exports that write them all."""
        return {"x": self.x, "slope": self.slope, "value": self.value}

    def row(self, step: int) -> tuple[float, float, float]:
        """Return (x, slope, value) of one step as Python floats."""
        if not 0 <= step < self._length:
            raise IndexError(f"step {step} is outside 0..{self._length - 1}")
        return (
            float(self._x[step]),
            float(self._slope[step]),
            float(self._value[step]),
        )


@dataclass
class Run:
    """A deterministic gradient-descent run that computes steps on demand.

    Because every step follows from the one before, going back in time is a
    matter of reading an earlier row, and stepping forward again past rows
    already computed costs nothing.
    """

    function: Function = QUADRATIC
    settings: RunSettings = field(default_factory=RunSettings)
    history: History = field(default_factory=History)
    stop_reason: StopReason = StopReason.RUNNING

    def __post_init__(self) -> None:
        if len(self.history) == 0:
            self._record(self.settings.start)

    @property
    def last_step(self) -> int:
        """Index of the last computed step (0 is the start)."""
        return len(self.history) - 1

    @property
    def stopped(self) -> bool:
        """True once the run can take no further step."""
        return self.stop_reason.stopped

    def step(self) -> bool:
        """Compute one more step; return False when the run has stopped."""
        if self.stopped:
            return False
        x, slope, _ = self.history.row(self.last_step)
        with np.errstate(all="ignore"):
            next_x = x - self.settings.learning_rate * slope
        if next_x == x:
            self.stop_reason = StopReason.STALLED
            return False
        self._record(next_x)
        return True

    def advance(self, steps: int) -> int:
        """Compute up to ``steps`` more steps; return how many were taken."""
        taken = 0
        while taken < steps and self.step():
            taken += 1
        return taken

    def run_to_end(self) -> int:
        """Compute steps until the run stops; return how many were taken."""
        return self.advance(self.settings.max_steps - self.last_step)

    def ensure(self, step: int) -> int:
        """Compute steps until ``step`` exists or the run stops.

        Returns the step index that now exists nearest to ``step``.
        """
        if step > self.last_step:
            self.advance(step - self.last_step)
        return min(step, self.last_step)

    def _record(self, x: float) -> None:
        value, slope = self.function.value_and_slope(x)
        self.history.append(x, slope, value)
        self.stop_reason = self._check_stop(x, slope, value)

    def _check_stop(self, x: float, slope: float, value: float) -> StopReason:
        if math.isnan(x) or math.isnan(slope) or math.isnan(value):
            return StopReason.UNDEFINED
        if abs(x) > MAX_ABS_X:
            return StopReason.DIVERGED
        if math.isinf(slope) or math.isinf(value):
            # A finite x whose f or slope overflowed: far out on a steep curve
            # the numbers have left what a float can hold.
            return StopReason.OVERFLOWED
        if abs(slope) < self.settings.tolerance:
            return StopReason.CONVERGED
        if self.last_step >= self.settings.max_steps:
            return StopReason.MAX_STEPS
        return StopReason.RUNNING
