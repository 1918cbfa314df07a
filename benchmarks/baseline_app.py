"""The straightforward build that the speed targets are measured against.

A textual-plotext PlotextPlot (a 200-point parabola plus the descent path)
above Textual's stock DataTable, with one status line. Every step replots
the whole chart and adds a row to the table, the way a first version of the
app would. Keys: n steps, b steps back, g runs to the end, p plays or
pauses, + is accepted and ignored (play already runs as fast as the app can
draw), q quits. Run it with ``python benchmarks/baseline_app.py --help``.
"""

from __future__ import annotations

import argparse

import numpy as np
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual_plotext import PlotextPlot

CURVE_POINTS = 200
PLAY_INTERVAL = 1 / 60
"""Seconds between two play ticks, one step each: faster than any frame."""


def descend(start: float, learning_rate: float, steps: int) -> list[float]:
    """Return x_0 .. x_steps of gradient descent on f(x) = x²."""
    xs = [start]
    for _ in range(steps):
        xs.append(xs[-1] - learning_rate * 2 * xs[-1])
    return xs


class BaselineApp(App[None]):
    """Gradient descent on x² drawn the straightforward way."""

    CSS = """
    PlotextPlot { height: 2fr; }
    DataTable { height: 1fr; }
    #status { height: 1; }
    """
    BINDINGS = [
        Binding("n", "step", "Step"),
        Binding("b", "back", "Back"),
        Binding("g", "to_end", "Run to end"),
        Binding("p", "toggle_play", "Play/pause"),
        Binding("plus", "faster", "Faster"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, options: argparse.Namespace) -> None:
        super().__init__()
        self.options = options
        self.xs = descend(options.start, options.lr, options.history)
        self.current = len(self.xs) - 1
        self.play_timer = None

    def compose(self) -> ComposeResult:
        yield PlotextPlot()
        yield DataTable()
        yield Static(id="status")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.cursor_type = "row"
        table.add_columns("step", "x", "f'(x)", "f(x)")
        table.add_rows(self.row(step) for step in range(len(self.xs)))
        self.redraw()

    def row(self, step: int) -> tuple[str, str, str, str]:
        """Return the table cells of one step."""
        x = self.xs[step]
        return (str(step), f"{x:.6g}", f"{2 * x:.6g}", f"{x * x:.6g}")

    def redraw(self) -> None:
        """Replot the chart, move the table cursor and rewrite the status."""
        chart = self.query_one(PlotextPlot)
        plt = chart.plt
        plt.clear_data()
        plt.clear_figure()
        curve = np.linspace(-10, 10, CURVE_POINTS)
        plt.plot(curve.tolist(), (curve**2).tolist(), color="blue")
        path = np.array(self.xs[: self.current + 1])
        plt.plot(path.tolist(), (path**2).tolist(), color="red", marker="dot")
        plt.title("f(x) = x²")
        chart.refresh()
        self.query_one(DataTable).move_cursor(row=self.current)
        x = self.xs[self.current]
        self.query_one("#status", Static).update(
            f"step {self.current:,} of {self.options.max_steps:,}  "
            f"x = {x:.6g}  f(x) = {x * x:.6g}"
        )

    def action_step(self) -> None:
        """Take one step, computing and adding a row when it is new."""
        if self.current >= self.options.max_steps:
            self.stop_play()
            return
        if self.current + 1 == len(self.xs):
            self.xs.extend(descend(self.xs[-1], self.options.lr, 1)[1:])
            self.query_one(DataTable).add_row(*self.row(self.current + 1))
        self.current += 1
        self.redraw()

    def action_back(self) -> None:
        """Move the cursor one step back."""
        if self.current > 0:
            self.current -= 1
            self.redraw()

    def action_to_end(self) -> None:
        """Compute every remaining step, add all rows and show the last."""
        first_new = len(self.xs)
        missing = self.options.max_steps + 1 - first_new
        if missing > 0:
            self.xs.extend(descend(self.xs[-1], self.options.lr, missing)[1:])
            table = self.query_one(DataTable)
            table.add_rows(self.row(step) for step in range(first_new, len(self.xs)))
        self.current = len(self.xs) - 1
        self.redraw()

    def action_toggle_play(self) -> None:
        """Start or stop stepping on a timer."""
        if self.play_timer is None:
            self.play_timer = self.set_interval(PLAY_INTERVAL, self.action_step)
        else:
            self.stop_play()

    def stop_play(self) -> None:
        """Stop the play timer if it runs."""
        if self.play_timer is not None:
            self.play_timer.stop()
            self.play_timer = None

    def action_faster(self) -> None:
        """Accept + like the app does; play is already at its fastest."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Parse the options, named as the app names them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--start", type=float, default=8.0, help="x0 (default 8)")
    parser.add_argument("--lr", type=float, default=0.1, help="η (default 0.1)")
    parser.add_argument(
        "--max-steps", type=int, default=50, help="last step (default 50)"
    )
    parser.add_argument(
        "--history",
        type=int,
        default=0,
        help="steps computed and added to the table before the first frame",
    )
    options = parser.parse_args(argv)
    if not 0 <= options.history <= options.max_steps:
        parser.error(f"--history {options.history} must be between 0 and --max-steps")
    return options


if __name__ == "__main__":
    BaselineApp(parse_args()).run()
