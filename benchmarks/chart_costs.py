"""Time the chart's two costs as a run grows: updating the views, and the build.

Usage: python benchmarks/chart_costs.py [--size 80x24] [--repeats 5]

Runs the app headless with Textual's Pilot (no terminal output), moves to
several steps of a converging run (η = 0.1) and of a bouncing one (η = 1),
and times, for each: ``refresh_views`` (the key's own work: chart view maths,
table and status) and the chart's ``render`` (plotext's build and
Text.from_ansi). It also prints how many points the chart handed to plotext,
which is what plotext's build time grows with.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.scenarios import terminal_size

CASES = ((0.1, 10), (0.1, 50), (1.0, 10), (1.0, 100), (1.0, 1_000), (1.0, 100_000))
"""(learning rate, step) pairs to time."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size",
        type=terminal_size,
        default=(80, 24),
        help="COLUMNSxROWS (default 80x24)",
    )
    parser.add_argument("--repeats", type=int, default=5, help="timings per case")
    return parser.parse_args(argv)


def timed(function, repeats: int) -> float:
    """Return the median milliseconds of ``repeats`` calls of ``function``."""
    samples = []
    for _ in range(repeats):
        began = time.perf_counter()
        function()
        samples.append(1000 * (time.perf_counter() - began))
    return statistics.median(samples)


async def measure_case(learning_rate: float, step: int, options) -> str:
    """Time one case and return its line of the report."""
    from tui_descent.app import DescentApp
    from tui_descent.engine import RunSettings
    from tui_descent.widgets.chart import DescentChart

    settings = RunSettings(learning_rate=learning_rate, max_steps=max(step, 50))
    app = DescentApp(settings=settings)
    async with app.run_test(size=options.size) as pilot:
        app.stepper.forward(step)
        app.refresh_views()
        await pilot.pause()
        chart = app.query_one(DescentChart)
        views = timed(app.refresh_views, options.repeats)

        def render() -> None:
            chart.replot()
            chart.render()

        build = timed(render, options.repeats)
        width, height = chart.size
        return (
            f"η = {learning_rate:<4g} step {app.stepper.current:>7,}  chart {width}x{height}  "
            f"{chart.plotted_points:>6,} points  refresh_views {views:6.1f} ms  "
            f"replot + render {build:6.1f} ms"
        )


def main(argv: list[str] | None = None) -> int:
    """Time every case and print one line each."""
    options = parse_args(argv)
    columns, rows = options.size
    print(f"terminal {columns}x{rows}, median of {options.repeats} timings")
    for learning_rate, step in CASES:
        print(asyncio.run(measure_case(learning_rate, step, options)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
