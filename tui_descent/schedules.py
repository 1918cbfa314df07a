"""Learning-rate schedules: the rate η_k that the update from step k uses.

Each schedule is a frozen dataclass, so it can sit in the frozen RunSettings
and compare by value. ``rate(base, k, max_steps)`` takes the learning rate η
from the settings, the 0-based step k that the update starts from, and the
run's max steps. This module is part of the maths layer: it imports no
textual, rich or plotext.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar, Protocol

from .limits import exact_text


class Schedule(Protocol):
    """Interface the engine calls for the learning rate of each step."""

    name: ClassVar[str]
    slug: ClassVar[str]

    def rate(self, base: float, step: int, max_steps: int) -> float:
        """Return the learning rate for the update from ``step``."""
        ...


@dataclass(frozen=True)
class Constant:
    """The same rate at every step: η_k = η."""

    name: ClassVar[str] = "constant"
    slug: ClassVar[str] = "constant"

    def rate(self, base: float, step: int, max_steps: int) -> float:
        """Return ``base`` unchanged."""
        return base


@dataclass(frozen=True)
class StepDecay:
    """Drop the rate by ``factor`` every ``every`` steps:
    η_k = η · factor^⌊k / every⌋."""

    every: int = 10
    factor: float = 0.5

    name: ClassVar[str] = "step decay"
    slug: ClassVar[str] = "step"

    def __post_init__(self) -> None:
        if not (isinstance(self.every, int) and self.every >= 1):
            raise ValueError(
                f"step decay every = {self.every!r} is invalid; use a whole "
                "number of steps of at least 1, such as 10"
            )
        _check_factor("step decay factor", self.factor)

    def rate(self, base: float, step: int, max_steps: int) -> float:
        """Return ``base`` times ``factor`` once per ``every`` completed steps."""
        return base * self.factor ** (step // self.every)


@dataclass(frozen=True)
class ExponentialDecay:
    """Shrink the rate by ``factor`` at every step: η_k = η · factor^k."""

    factor: float = 0.95

    name: ClassVar[str] = "exponential decay"
    slug: ClassVar[str] = "exponential"

    def __post_init__(self) -> None:
        _check_factor("exponential decay factor", self.factor)

    def rate(self, base: float, step: int, max_steps: int) -> float:
        """Return ``base`` times ``factor`` to the power ``step``."""
        return base * self.factor**step


@dataclass(frozen=True)
class Cosine:
    """Follow half a cosine from η down to ``floor`` over the run's max steps:
    η_k = floor + (η - floor) · (1 + cos(π · min(k, K) / K)) / 2, K = max steps.
    """

    floor: float = 0.0

    name: ClassVar[str] = "cosine"
    slug: ClassVar[str] = "cosine"

    def __post_init__(self) -> None:
        if not math.isfinite(self.floor) or self.floor < 0:
            raise ValueError(
                f"cosine floor = {self.floor:g} is invalid; use a learning "
                "rate of 0 or more, such as 0 or 0.001"
            )

    def rate(self, base: float, step: int, max_steps: int) -> float:
        """Return the rate on the half cosine at ``step`` of ``max_steps``."""
        span = max(max_steps, 1)
        progress = min(step, span) / span
        return self.floor + (base - self.floor) * (1 + math.cos(math.pi * progress)) / 2


def check_floor(
    schedule: Schedule,
    learning_rate: float,
    floor_name: str = "cosine floor",
    rate_name: str = "learning rate",
) -> None:
    """Reject a cosine floor above the learning rate η that it decays from.

    Above η, the cosine would raise the rate over the run instead of
    lowering it. A floor of 0 always passes, so a negative η, which the app
    accepts to show climbing, still works with the default floor. Raises
    ValueError naming both values with ``floor_name`` and ``rate_name``,
    such as ``--min-lr`` and ``--lr`` on the command line.
    """
    floor = getattr(schedule, "floor", 0.0)
    if floor <= 0 or floor <= learning_rate:
        return
    if learning_rate > 0:
        lower_floor = f"{floor_name} {exact_text(learning_rate)} or less"
    else:
        lower_floor = f"{floor_name} 0"
    raise ValueError(
        f"{floor_name} {exact_text(floor)} is above {rate_name} "
        f"{exact_text(learning_rate)}, so the {schedule.name} schedule would raise "
        f"η over the run instead of lowering it. Use {lower_floor}, or "
        f"{rate_name} {exact_text(floor)} or more"
    )


def _check_factor(name: str, value: float) -> None:
    if not 0 < value <= 1:
        raise ValueError(
            f"{name} = {value!r} is invalid; use a number in (0, 1] such as 0.5"
        )


SCHEDULES: dict[str, type] = {
    kind.slug: kind for kind in (Constant, StepDecay, ExponentialDecay, Cosine)
}
"""Every schedule class by its command-line slug, in menu order."""


def schedule_from_slug(slug: str) -> Schedule:
    """Build the schedule named ``slug`` with its default parameters.

    Raises ValueError naming the slug and the choices when it is unknown.
    """
    kind = SCHEDULES.get(slug.strip().lower())
    if kind is None:
        choices = ", ".join(SCHEDULES)
        raise ValueError(f"unknown schedule {slug!r}; choose one of {choices}")
    return kind()
