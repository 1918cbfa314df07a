"""The scenarios of one benchmark run, in the order they are measured."""

from __future__ import annotations

import argparse

from benchmarks import scenarios
from benchmarks.targets import SIZES, key


class Plan:
    """The scenarios of one benchmark run, sized by --quick."""

    def __init__(self, options: argparse.Namespace, programs: scenarios.Programs):
        self.programs = programs
        quick = options.quick
        self.presses = 6 if quick else 10
        self.play_seconds = 3.0 if quick else 5.0
        self.history = 10_000 if quick else 100_000
        self.memory_steps = 100_000 if quick else 1_000_000
        self.idle_seconds = 3.0 if quick else 5.0

    def warm_up(self) -> None:
        """Start each program once, so caches are warm for every repeat."""
        for command in (
            self.programs.app(),
            self.programs.baseline(),
            self.programs.bare(),
        ):
            app, _ = scenarios.start(command, SIZES[0])
            app.close()

    def repeat(self, index: int):
        """Yield (results key, scenario call) pairs of one repeat, interleaved."""
        flip = index % 2 == 1
        for size in SIZES:
            yield from _ordered(self._stepping(size), flip)
            yield from _ordered(self._play(size), flip)
        yield from _ordered(self._history(10), flip)
        yield self._app_history(self.history)
        yield self._steady_history(self.history)
        yield from _ordered(self._startup(), flip)

    def once(self):
        """Yield the scenarios too slow to repeat: the baseline's long history
        and the app's long run for memory."""
        yield self._baseline_history(self.history)
        yield self._memory()

    def _stepping(self, size):
        programs, presses = self.programs, self.presses
        return [
            (
                key("step", "baseline", size),
                lambda: scenarios.stepping(programs.baseline(), size, presses),
            ),
            (
                key("step", "app", size),
                lambda: scenarios.stepping(programs.app(), size, presses),
            ),
        ]

    def _play(self, size):
        args = ("--lr", "1.0", "--max-steps", "1000000")
        seconds = self.play_seconds
        return [
            (
                key("play", "baseline", size),
                lambda: scenarios.play(self.programs.baseline(*args), size, seconds),
            ),
            (
                key("play", "app", size),
                lambda: scenarios.play(self.programs.app(*args), size, seconds),
            ),
        ]

    def _history(self, steps: int):
        return [self._baseline_history(steps), self._app_history(steps)]

    def _app_history(self, steps: int):
        """Return the app's run to the end of ``steps`` steps, then b and n there.

        At η = 1, x bounces between -8 and 8 and the run never converges,
        so it lasts exactly ``steps`` steps.
        """
        size, presses = SIZES[0], self.presses
        app = self.programs.app("--lr", "1.0", "--max-steps", str(steps))
        label = "history-long" if steps > 10 else "history-short"
        return key(label, "app", size), lambda: scenarios.jump_then_probe(
            app, size, steps, presses
        )

    def _steady_history(self, steps: int):
        """Return the app's run to the end of a run whose x never repeats.

        At η = 0.0001 each step multiplies x by 0.9998, and with a tolerance
        of 0 the run lasts exactly ``steps`` steps, each one computed.
        """
        size, presses = SIZES[0], self.presses
        app = self.programs.app(
            "--lr", "0.0001", "--tolerance", "0", "--max-steps", str(steps)
        )
        return key("history-steady", "app", size), lambda: scenarios.jump_then_probe(
            app, size, steps, presses
        )

    def _baseline_history(self, steps: int):
        """Return the baseline preloaded with ``steps`` rows, then n presses.

        The baseline descends at η = 0.1, where x soon reaches 0: its chart
        then draws a path that stays on one spot, which keeps plotext's cost
        per step small enough to measure 100,000 rows in minutes. With the
        app's bouncing path at η = 1 it took seconds per step at 10,000 rows.
        """
        size = SIZES[0]
        presses = self.presses if steps <= 10 else 3
        baseline = self.programs.baseline(
            "--history", str(steps), "--max-steps", str(steps + 2 * presses)
        )
        label = "history-long" if steps > 10 else "history-short"
        return key(label, "baseline", size), lambda: scenarios.preload_then_probe(
            baseline, size, presses
        )

    def _startup(self):
        size, seconds = SIZES[0], self.idle_seconds
        return [
            (
                key("startup", "bare", size),
                lambda: scenarios.startup_and_idle(self.programs.bare(), size, seconds),
            ),
            (
                key("startup", "app", size),
                lambda: scenarios.startup_and_idle(self.programs.app(), size, seconds),
            ),
        ]

    def _memory(self):
        """Return the app's long run to the end, for its peak memory."""
        steps = self.memory_steps
        command = self.programs.app("--lr", "1.0", "--max-steps", str(steps))
        return key("memory", "app", SIZES[0]), lambda: scenarios.long_run_memory(
            command, SIZES[0], steps
        )


def _ordered(pair: list, flip: bool) -> list:
    """Return the pair as given, or reversed on every other repeat."""
    return pair[::-1] if flip else pair
