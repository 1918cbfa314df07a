"""Animated stepping at a steady pace, with a choice of speeds."""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer

PACES = (1, 2, 4, 8, 15, 30, 60, 120, 240)
"""Steps per second that + and - choose from."""

MAX_TICKS_PER_SECOND = 30
"""Above this many steps per second, a tick takes several steps at once, since
a terminal shows at most one frame per refresh."""

DEFAULT_PACE_INDEX = 3


class Playback:
    """A timer that calls back at the chosen pace while playing."""

    def __init__(self) -> None:
        self.pace_index = DEFAULT_PACE_INDEX
        self._timer: Timer | None = None
        self._callback: Callable[[], None] | None = None

    @property
    def playing(self) -> bool:
        """True while the timer runs."""
        return self._timer is not None

    @property
    def pace(self) -> int:
        """Steps per second."""
        return PACES[self.pace_index]

    @property
    def pace_label(self) -> str:
        """The pace in words, such as ``8 steps/s``."""
        unit = "step" if self.pace == 1 else "steps"
        return f"{self.pace} {unit}/s"

    @property
    def steps_per_tick(self) -> int:
        """Steps taken on each tick of the timer."""
        return max(1, self.pace // MAX_TICKS_PER_SECOND)

    def _interval(self) -> float:
        return self.steps_per_tick / self.pace

    def start(self, owner: MessagePump, callback: Callable[[], None]) -> None:
        """Call ``callback`` at the current pace until ``stop``."""
        self.stop()
        self._callback = callback
        self._timer = owner.set_interval(self._interval(), callback)

    def stop(self) -> None:
        """Stop calling back; does nothing when not playing."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def change_pace(self, owner: MessagePump, direction: int) -> None:
        """Move one pace up or down and, while playing, restart the timer."""
        index = self.pace_index + (1 if direction > 0 else -1)
        self.pace_index = max(0, min(len(PACES) - 1, index))
        if self._timer is not None and self._callback is not None:
            self.start(owner, self._callback)
