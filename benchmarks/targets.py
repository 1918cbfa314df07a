"""The speed issue's targets, each tied to the figures that decide it."""

from __future__ import annotations

from .report import Target

SIZES = ((80, 24), (200, 50))
"""Terminal sizes (columns, rows) of the key-press and play scenarios."""


def key(scenario: str, program: str, size: tuple[int, int]) -> str:
    """Return the results key of one scenario, program and terminal size."""
    return f"{scenario}/{program}/{size[0]}x{size[1]}"


def _sized_targets() -> list[Target]:
    """Return the targets measured at both terminal sizes."""
    targets = []
    for size in SIZES:
        label = f"{size[0]}x{size[1]}"
        step_app, step_base = key("step", "app", size), key("step", "baseline", size)
        play_app, play_base = key("play", "app", size), key("play", "baseline", size)
        targets += [
            Target(
                f"key → last byte, {label} (ms)",
                (step_app, "latency_ms"),
                (step_base, "latency_ms"),
                0.4,
            ),
            Target(
                f"bytes per step, {label}",
                (step_app, "bytes"),
                (step_base, "bytes"),
                0.2,
            ),
            Target(
                f"play, steps/s, {label}",
                (play_app, "steps_per_s"),
                (play_base, "steps_per_s"),
                2.0,
                at_least=True,
            ),
        ]
    return targets


SMALL = SIZES[0]
TARGETS: list[Target] = _sized_targets() + [
    Target(
        "step with long history / with 10 steps (ms)",
        (key("history-long", "app", SMALL), "latency_ms"),
        (key("history-short", "app", SMALL), "latency_ms"),
        1.2,
    ),
    Target(
        "run to end: long run / 10-step run (ms)",
        (key("history-long", "app", SMALL), "jump_ms"),
        (key("history-short", "app", SMALL), "jump_ms"),
        2.0,
    ),
    Target(
        "run to end, x never repeats: long / 10-step run (ms)",
        (key("history-steady", "app", SMALL), "jump_ms"),
        (key("history-short", "app", SMALL), "jump_ms"),
        2.0,
    ),
    Target(
        "start-up to first frame / bare Textual app (ms)",
        (key("startup", "app", SMALL), "first_frame_ms"),
        (key("startup", "bare", SMALL), "first_frame_ms"),
        1.15,
    ),
    Target(
        "start-up to settled screen / bare Textual app (ms)",
        (key("startup", "app", SMALL), "startup_ms"),
        (key("startup", "bare", SMALL), "startup_ms"),
        1.15,
    ),
    Target(
        "peak memory of the long run (MB)",
        (key("memory", "app", SMALL), "peak_mb"),
        None,
        200,
        strict=True,
    ),
    Target(
        "idle: bytes written",
        (key("startup", "app", SMALL), "idle_bytes"),
        None,
        0,
    ),
    Target(
        "idle: CPU (% of a core)",
        (key("startup", "app", SMALL), "idle_cpu_percent"),
        None,
        0.5,
        strict=True,
    ),
]
"""Every target of the speed issue, in the order the results table shows."""
