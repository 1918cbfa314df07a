"""Measurement scenarios: each starts one program on a pty and returns figures.

Every scenario returns a dict from a metric name to a list of samples, so
repeats can be pooled. Times are in milliseconds, sizes in bytes.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

from .pty_harness import SYNC_END, Burst, PtyApp, frame_steps

BENCHMARKS = Path(__file__).resolve().parent
STARTUP_TIMEOUT = 120.0
"""Seconds allowed until the first frame; the baseline loading 100,000 table
rows needs tens of seconds on a busy 2-core machine."""
STARTUP_QUIET = 1.0
"""Quiet gap that ends start-up, longer than a key's because the app's
start-up drew frames up to 0.6 s apart in trials."""
FASTER_PRESSES = 6
"""Presses of + that take the app from its default pace to its fastest."""


class BenchmarkError(RuntimeError):
    """A program did not behave as a scenario needs, so nothing was measured."""


@dataclass(frozen=True)
class Programs:
    """How to launch the app under test and the two reference apps."""

    python: str = sys.executable
    app_dir: str = str(BENCHMARKS.parent)
    """Directory that contains the tui_descent package to run."""

    def app(self, *args: str) -> tuple[list[str], str]:
        """Return the argv and working directory of the app, as a user runs it."""
        return [self.python, "-m", "tui_descent", *args], self.app_dir

    def baseline(self, *args: str) -> tuple[list[str], str]:
        """Return the argv and working directory of the straightforward build."""
        return [self.python, str(BENCHMARKS / "baseline_app.py"), *args], self.app_dir

    def bare(self) -> tuple[list[str], str]:
        """Return the argv and working directory of the one-Static app."""
        return [self.python, str(BENCHMARKS / "bare_app.py")], self.app_dir


def terminal_size(text: str) -> tuple[int, int]:
    """Parse "COLUMNSxROWS", such as "80x24", for an argparse option."""
    try:
        columns, rows = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid terminal size {text!r}: write COLUMNSxROWS, such as 80x24"
        ) from None
    if columns < 1 or rows < 1:
        raise argparse.ArgumentTypeError(f"terminal size {text!r} must be at least 1x1")
    return columns, rows


def has_frame(burst: Burst) -> bool:
    """Tell whether a burst contains at least one finished frame."""
    return burst.frames > 0


class ShowsStep:
    """A test for ``read_burst``: has a frame shown "step N of"?

    It parses only the chunks added since the last call, so waiting through
    a long run to the end stays linear in the output size.
    """

    def __init__(self, step: int) -> None:
        self.step = step
        self.seen = False
        self._parsed = 0
        self._pending = b""

    def __call__(self, burst: Burst) -> bool:
        for _, chunk in burst.chunks[self._parsed :]:
            self._pending += chunk
            *frames, self._pending = self._pending.split(SYNC_END)
            for frame in frames:
                found = frame_steps([(0.0, frame + SYNC_END)])
                self.seen |= any(shown == self.step for _, shown in found)
        self._parsed = len(burst.chunks)
        return self.seen


def start(
    command: tuple[list[str], str], size: tuple[int, int]
) -> tuple[PtyApp, Burst]:
    """Start a program and wait until its first screen has settled."""
    argv, cwd = command
    app = PtyApp(argv, size[0], size[1], cwd=cwd)
    first = app.read_burst(app.started, STARTUP_QUIET, STARTUP_TIMEOUT, until=has_frame)
    if not first.frames:
        app.close()
        raise BenchmarkError(
            f"{' '.join(argv)} drew no frame within {STARTUP_TIMEOUT:g} s at "
            f"{size[0]}x{size[1]}; run it by hand to see why"
        )
    return app, first


def probe(app: PtyApp, keys: str) -> dict[str, list[float]]:
    """Press each key once and record latency, bytes and frames per press."""
    figures: dict[str, list[float]] = {"latency_ms": [], "bytes": [], "frames": []}
    for key in keys:
        burst = app.press(key)
        if burst.latency is None:
            raise BenchmarkError(f"key {key!r} changed nothing on screen")
        figures["latency_ms"].append(burst.latency * 1000)
        figures["bytes"].append(burst.size)
        figures["frames"].append(burst.frames)
    return figures


def stepping(
    command: tuple[list[str], str], size: tuple[int, int], presses: int
) -> dict[str, list[float]]:
    """Time single steps (n) from the start of a run, after one warm-up step."""
    app, first = start(command, size)
    try:
        app.press("n")
        figures = probe(app, "n" * presses)
    finally:
        app.close()
    figures["startup_ms"] = [first.latency * 1000]
    figures["first_screen_bytes"] = [first.size]
    figures["late_bytes"] = [app.late_bytes]
    return figures


def play(
    command: tuple[list[str], str], size: tuple[int, int], seconds: float
) -> dict[str, list[float]]:
    """Play at the fastest pace and count the steps and frames that arrive."""
    app, _ = start(command, size)
    try:
        for _ in range(FASTER_PRESSES):
            # The baseline draws nothing for +, so wait briefly.
            app.press("+", timeout=1.0)
        app.press("p", quiet=0, timeout=0.5)
        app.read_for(0.5)
        burst = app.read_for(seconds)
        app.press("p")
    finally:
        app.close()
    steps = frame_steps(burst.chunks)
    if len(steps) < 2:
        raise BenchmarkError(f"play showed {len(steps)} steps in {seconds:g} s")
    (first_time, first_step), (last_time, last_step) = steps[0], steps[-1]
    return {
        "steps_per_s": [(last_step - first_step) / (last_time - first_time)],
        "frames_per_s": [burst.frames / seconds],
        "bytes_per_s": [burst.size / seconds],
    }


def jump_then_probe(
    command: tuple[list[str], str], size: tuple[int, int], last: int, presses: int
) -> dict[str, list[float]]:
    """Run to the end (g), then time steps back and forward there (b, n)."""
    app, _ = start(command, size)
    try:
        reached = ShowsStep(last)
        jump = app.press("g", timeout=STARTUP_TIMEOUT, until=reached)
        if not reached.seen:
            raise BenchmarkError(f"g did not reach step {last:,}")
        app.press("b")
        app.press("n")
        figures = probe(app, "bn" * (presses // 2))
    finally:
        app.close()
    figures["jump_ms"] = [jump.latency * 1000]
    figures["jump_first_frame_ms"] = [first_frame_ms(jump)]
    return figures


def first_frame_ms(burst: Burst) -> float:
    """Return milliseconds from the action to the end of the burst's first frame."""
    for arrived, chunk in burst.chunks:
        if SYNC_END in chunk:
            return (arrived - burst.started) * 1000
    return burst.latency * 1000


def preload_then_probe(
    command: tuple[list[str], str], size: tuple[int, int], presses: int
) -> dict[str, list[float]]:
    """Time the first frame of a preloaded program, then steps that add rows."""
    app, first = start(command, size)
    try:
        app.press("n")
        figures = probe(app, "n" * presses)
    finally:
        app.close()
    figures["startup_ms"] = [first.latency * 1000]
    return figures


def startup_and_idle(
    command: tuple[list[str], str], size: tuple[int, int], idle_seconds: float
) -> dict[str, list[float]]:
    """Time start-up to the settled first screen, then watch the idle app."""
    app, first = start(command, size)
    try:
        cpu_before = app.cpu_seconds()
        idle = app.read_for(idle_seconds)
        cpu_used = app.cpu_seconds() - cpu_before
        memory = app.memory_kib()
    finally:
        app.close()
    return {
        "startup_ms": [first.latency * 1000],
        "first_frame_ms": [first_frame_ms(first)],
        "first_byte_ms": [first.first_byte * 1000],
        "idle_bytes": [idle.size],
        "idle_cpu_percent": [100 * cpu_used / idle_seconds],
        "rss_mb": [memory["VmRSS"] * 1024 / 1e6],
    }


def long_run_memory(
    command: tuple[list[str], str], size: tuple[int, int], last: int
) -> dict[str, list[float]]:
    """Run to the end of a long run and read the peak resident memory."""
    app, _ = start(command, size)
    try:
        before = app.memory_kib()["VmHWM"]
        reached = ShowsStep(last)
        jump = app.press("g", timeout=600, until=reached)
        if not reached.seen:
            raise BenchmarkError(f"g did not reach step {last:,} within 600 s")
        peak = app.memory_kib()["VmHWM"]
    finally:
        app.close()
    return {
        "peak_mb": [peak * 1024 / 1e6],
        "startup_peak_mb": [before * 1024 / 1e6],
        "run_to_end_s": [jump.latency],
    }
