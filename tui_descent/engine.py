"""The descent engine: run settings, run history and stop reasons.

An optimizer (plain gradient descent by default, x_{k+1} = x_k - η f'(x_k))
moves x from step to step, with η taken from a learning-rate schedule. A run
records x, f'(x), f(x) and the optimizer's state for every step in numpy
arrays, so the table and the chart can read any step without the engine
keeping Python objects per step. This module is part of the maths layer: it
imports no textual, rich or plotext.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from .bulk_descent import BLOCK, plain_block
from .functions import QUADRATIC, Function
from .history import History
from .numbers import format_number
from .optimizers import GradientDescent, UndefinedStepError
from .run_settings import RunSettings
from .schedules import Constant

__all__ = ["MAX_ABS_X", "History", "Run", "RunSettings", "StopReason"]

MAX_ABS_X = 1e150
"""Beyond this |x| a run counts as diverged. The square of it is still a finite
float (1e300), so f, the table and the chart stay readable up to this point."""


CAREFUL_STEPS = 64
"""Steps the careful loop takes each time a bulk block ends early."""

BULK_MINIMUM = 64
"""Minimum steps for a bulk block and a bounce check against the history."""


class StopReason(Enum):
    """The reason a run stopped, or RUNNING while it can take another step."""

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


@dataclass
class Run:
    """A deterministic descent run that computes steps on demand.

    Because every step follows from the row before it (x, f'(x) and the
    optimizer's state), going back in time is a matter of reading an earlier
    row, and stepping forward again past rows already computed costs nothing.
    """

    function: Function = QUADRATIC
    settings: RunSettings = field(default_factory=RunSettings)
    history: History = field(default_factory=History)
    stop_reason: StopReason = StopReason.RUNNING
    stop_detail: str = ""
    """Reason the last update failed, as a sentence for the learner (for
    example Newton's method where f''(x) = 0). Empty for every other stop."""

    def __post_init__(self) -> None:
        expected = self.settings.extra_columns()
        if len(self.history) == 0 and self.history.extra_columns != expected:
            self.history = History(extra_columns=expected)
        if self.history.extra_columns != expected:
            raise ValueError(
                f"history columns {self.history.extra_columns} do not match the "
                f"{expected} that these settings need; pass an empty History"
            )
        self._state_size = len(self.settings.optimizer.state_names)
        # Only a schedule other than constant adds a learning_rate column, so
        # the same flag shows whether η changes from step to step.
        self._records_rate = len(expected) > self._state_size
        # (step, x, slope, state) of the last row as Python floats, so a step
        # reads no numpy scalars. Step -1 marks it as not yet read.
        self._last: tuple[int, float, float, tuple[float, ...]] = (-1, 0.0, 0.0, ())
        if len(self.history) == 0:
            initial = (0.0,) * self._state_size
            with np.errstate(all="ignore"):
                self._record(self.settings.start, initial, 0)

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
        with np.errstate(all="ignore"):
            return self._step()

    def advance(self, steps: int) -> int:
        """Compute up to ``steps`` more steps; return how many were taken."""
        taken = 0
        # One errstate for the whole loop: entering it costs more than a step.
        with np.errstate(all="ignore"):
            if self._is_plain_descent():
                return self._advance_plain(steps)
            step = self._step
            while taken < steps and step():
                taken += 1
        return taken

    def _is_plain_descent(self) -> bool:
        """Tell whether the run is gradient descent with a constant η."""
        return (
            type(self.settings.optimizer) is GradientDescent
            and not self._records_rate
            and self._state_size == 0
        )

    def _advance_plain(self, steps: int) -> int:
        """Take up to ``steps`` plain descent steps, in bulk where possible.

        Blocks of rows that need no stop check come from bulk_descent. Each
        time a block ends early, the careful loop takes a few steps, which
        meet whatever ended it. A few steps, such as one key press, go
        straight to the careful loop.
        """
        if steps < BULK_MINIMUM:
            return self._advance_careful(steps)
        taken = 0
        while taken < steps and self.stop_reason is StopReason.RUNNING:
            taken += self._advance_bulk(steps - taken)
            if taken < steps:
                taken += self._advance_careful(steps - taken, CAREFUL_STEPS)
        return taken

    def _advance_bulk(self, steps: int) -> int:
        """Append rows from bulk_descent until one needs the careful loop."""
        step, x, slope, _ = self._last_row()
        settings = self.settings
        # The row at max_steps stops the run, so the careful loop adds it.
        bulk_steps = min(steps, settings.max_steps - step - 1)
        back = float(self.history.x[step - 1]) if step > 0 else math.nan
        limits = (settings.tolerance, MAX_ABS_X)
        taken = 0
        while taken < bulk_steps:
            count = min(BLOCK, bulk_steps - taken)
            block = plain_block(
                self.function.f,
                self.function.df,
                (back, x, slope),
                settings.learning_rate,
                count,
                limits,
            )
            if len(block) == 0:
                break
            self.history.append_columns(block.x, block.slope, block.value)
            taken += len(block)
            back = float(block.x[-2]) if len(block) > 1 else x
            x, slope = float(block.x[-1]), float(block.slope[-1])
            if len(block) < count:
                break
        self._last = (step + taken, x, slope, ())
        return taken

    def _advance_careful(self, steps: int, pause_after: int | None = None) -> int:
        """Take up to ``steps`` plain descent steps in one tight loop.

        It computes what _step and _record do for GradientDescent with a
        constant η, bit for bit, with every lookup hoisted out of the loop.
        It returns after ``pause_after`` steps, unless the run starts to
        bounce: then it fills all ``steps``.
        """
        if self.stop_reason is not StopReason.RUNNING or steps <= 0:
            return 0
        step, x, slope, _ = self._last_row()
        settings, function = self.settings, self.function
        rate, max_steps, tolerance = (
            settings.learning_rate,
            settings.max_steps,
            settings.tolerance,
        )
        f, df, append, inf = function.f, function.df, self.history.append_row, math.inf
        taken = 0
        reason = StopReason.RUNNING
        # The last two rows. Each x determines the next, so once an x comes
        # back the run repeats itself from there on. Reading them flushes the
        # history's pending rows, which a single step need not pay for.
        before = latest = (math.nan, math.nan, math.nan)
        if steps >= BULK_MINIMUM:
            latest = self.history.row(step)
            if step > 0:
                before = self.history.row(step - 1)
        if pause_after is None:
            pause_after = steps
        while taken < pause_after:
            next_x = x - rate * slope
            if next_x == x:
                reason = StopReason.STALLED
                break
            if next_x == before[0] and _same_sign(next_x, before[0]):
                return self._repeat_bounce([before, latest], steps - taken, taken)
            try:
                value = float(f(next_x))
            except OverflowError:
                value = inf
            except (ArithmeticError, ValueError, TypeError):
                value = math.nan
            try:
                slope = float(df(next_x))
            except OverflowError:
                slope = inf
            except (ArithmeticError, ValueError, TypeError):
                slope = math.nan
            x = next_x
            step += 1
            before, latest = latest, (x, slope, value)
            append(latest)
            taken += 1
            if not (
                step < max_steps
                and tolerance <= abs(slope) < inf
                and abs(x) <= MAX_ABS_X
                and abs(value) < inf
            ):
                reason = self._check_stop(x, slope, value, step)
                if reason.stopped:
                    break
        self._last = (step, x, slope, ())
        self.stop_reason = reason
        return taken

    def _repeat_bounce(
        self, cycle: list[tuple[float, float, float]], steps: int, taken: int
    ) -> int:
        """Fill up to ``steps`` rows of a run bouncing between two rows.

        Every row of the cycle has passed the stop checks already, so only
        max_steps can end it. Returns ``taken`` plus the rows filled.
        """
        last = self.last_step
        count = min(steps, self.settings.max_steps - last)
        self.history.repeat_rows(cycle, count)
        x, slope, value = cycle[(count - 1) % 2]
        self._last = (last + count, x, slope, ())
        self.stop_reason = self._check_stop(x, slope, value, last + count)
        return taken + count

    def _step(self) -> bool:
        if self.stop_reason is not StopReason.RUNNING:
            return False
        last = self._last
        if last[0] != len(self.history) - 1:
            last = self._last_row()
        step, x, slope, state = last
        settings = self.settings
        optimizer = settings.optimizer
        rate = settings.learning_rate
        if self._records_rate:
            rate = settings.schedule.rate(rate, step, settings.max_steps)
        try:
            next_x, next_state = optimizer.update(
                x, slope, state, rate, step + 1, self.function
            )
        except UndefinedStepError as error:
            return self._stop_undefined(str(error))
        except ArithmeticError as error:
            return self._stop_undefined(
                f"the {optimizer.name} update failed at x = {format_number(x)} "
                f"({error}), so the run stopped."
            )
        # A rule that uses η cannot move x when η = 0, whatever its state.
        frozen = next_state == state or (rate == 0 and optimizer.uses_learning_rate)
        if next_x == x and frozen:
            self.stop_reason = StopReason.STALLED
            return False
        self._record(next_x, next_state, step + 1)
        return True

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

    def _last_row(self) -> tuple[int, float, float, tuple[float, ...]]:
        """Return (step, x, slope, state) of the last row, cached as floats.

        The cache is checked against the history length, so a caller that
        truncates the history still gets the right row.
        """
        step = len(self.history) - 1
        if self._last[0] != step:
            x, slope, _ = self.history.row(step)
            state = self.history.extra(step)[: self._state_size]
            self._last = (step, x, slope, state)
        return self._last

    def _stop_undefined(self, detail: str) -> bool:
        self.stop_reason = StopReason.UNDEFINED
        self.stop_detail = detail
        return False

    def _record(self, x: float, state: tuple[float, ...], step: int) -> None:
        value, slope = _evaluate(self.function, x)
        if self._records_rate:
            settings = self.settings
            rate = settings.schedule.rate(
                settings.learning_rate, step, settings.max_steps
            )
            self.history.append_row((x, slope, value, *state, rate))
        else:
            self.history.append_row((x, slope, value, *state))
        self._last = (step, x, slope, state)
        self.stop_reason = self._check_stop(x, slope, value, step)

    def _is_pole(self, x: float) -> bool:
        """Tell a pole (1/x at 0) from an overflow far out on a steep curve.

        Beside a pole or a domain edge (log at 0), f is finite on at least one
        side. Around an overflow it is infinite on both sides. So f is probed a
        relative 1e-9 away on each side.
        """
        offset = 1e-9 * max(1.0, abs(x))
        values = (_evaluate(self.function, x + side * offset)[0] for side in (-1, 1))
        return any(math.isfinite(value) for value in values)

    def _check_stop(
        self, x: float, slope: float, value: float, step: int
    ) -> StopReason:
        settings = self.settings
        # Fast path for the usual step; nan fails every comparison, so any nan
        # falls through to the checks below.
        if (
            step < settings.max_steps
            and settings.tolerance <= abs(slope) < math.inf
            and abs(x) <= MAX_ABS_X
            and abs(value) < math.inf
        ):
            return StopReason.RUNNING
        # x beyond the bound is divergence even where f(x) came out nan, as
        # x⁴ − 3x² gives inf − inf far out.
        if math.isnan(x):
            return StopReason.UNDEFINED
        if abs(x) > MAX_ABS_X:
            return StopReason.DIVERGED
        if math.isnan(slope) or math.isnan(value):
            return StopReason.UNDEFINED
        if math.isinf(slope) or math.isinf(value):
            if self._is_pole(x):
                self.stop_detail = (
                    f"f or f'(x) is infinite at x = {format_number(x)}, where f "
                    "is undefined (a pole, as 1/x has at 0), so the run stopped."
                )
                return StopReason.UNDEFINED
            # A finite x whose f or slope overflowed: far out on a steep curve
            # the numbers have left what a float can hold.
            return StopReason.OVERFLOWED
        if abs(slope) < settings.tolerance:
            return StopReason.CONVERGED
        if step >= settings.max_steps:
            return StopReason.MAX_STEPS
        return StopReason.RUNNING


def _same_sign(value: float, other: float) -> bool:
    """Tell whether two equal floats also agree in sign, as 0.0 and -0.0 do not."""
    return math.copysign(1.0, value) == math.copysign(1.0, other)


def _evaluate(function: Function, x: float) -> tuple[float, float]:
    """Evaluate f(x) and f'(x) as Function.value_and_slope does, minus errstate.

    Callers hold np.errstate(all="ignore") themselves: entering it on every
    call made value_and_slope most of the cost of a step.
    """
    # NOTE: mirrors Function.value_and_slope, and also maps the TypeError of
    # a complex result to nan; keep the two in step.
    try:
        value = float(function.f(x))
    except OverflowError:
        value = math.inf
    except (ArithmeticError, ValueError, TypeError):
        value = math.nan
    try:
        slope = float(function.df(x))
    except OverflowError:
        slope = math.inf
    except (ArithmeticError, ValueError, TypeError):
        slope = math.nan
    return value, slope
