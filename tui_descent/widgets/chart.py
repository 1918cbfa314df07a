"""The chart of f(x) with the descent path, drawn by plotext inside Textual.

The view (axis limits) stays fixed while the path stays inside it, so a new
step changes only a few cells on screen. All view maths lives in
tui_descent.chart_view, and this module only draws what that module prepared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from ..chart_view import (
    View,
    clip_polyline,
    count_undrawable,
    dash_polyline,
    decimate,
    describe_undrawable,
    drawable_mask,
    fit_text,
    initial_view,
    nice_ticks,
    sample_curve,
    tangent_segment,
    view_containing,
)
from ..engine import History, RunSettings
from ..functions import Function
from ..numbers import format_number

PLOTEXT_ERRORS = (ZeroDivisionError, OverflowError, ValueError, IndexError)
"""Exceptions that plotext 5.3.2 raised in trials on equal limits, limits
near ±1e308, data far outside the limits and inf in the data. The chart
prepares its input so that none of these should occur, and catches them as a
last guard."""

MIN_WIDTH = 24
MIN_HEIGHT = 8
"""Smallest widget size, in cells, at which the chart is drawn. Below it the
widget shows TOO_SMALL, because the axes leave almost no room for the curve
(a judgement by eye: plotext itself drew every size down to 1x1 in trials)."""

TOO_SMALL = "enlarge the terminal to see the chart"
TOO_SMALL_SHORTER = ("enlarge the terminal", "enlarge", "too small")

CURVE_COLOR = "blue+"
PATH_COLORS = ("red", "green+", "cyan", "orange")
"""Colours of up to four overlaid runs, first run first. Textual draws ANSI
colours in its theme's shades, where magenta and red look alike; these four
stay apart in textual-dark (plotext's "orange" is ANSI yellow)."""
PATH_RICH_COLORS = ("red", "bright_green", "cyan", "yellow")
"""The same ANSI colours by their rich names, for widgets that name runs in text."""
CURRENT_COLOR = "orange+"
"""plotext's name for bright yellow (ANSI colour 11)."""
TANGENT_COLOR = "gray+"

LEGEND_MIN_SIZE = (40, 16)
"""Smallest widget size, in cells, that gets a legend. In a smaller one the
legend would hide most of the curve."""

MAX_DASHES = 600
"""Maximum number of dashes drawn per path. Older segments beyond them are
left undrawn, which bounds the points handed to plotext."""


@dataclass
class ChartPath:
    """One run drawn on the chart: its rows up to ``current`` and its colour."""

    label: str
    history: History
    current: int
    color: str
    scanned: int = 0
    """Rows already checked against the view, counted from row 0."""
    scanned_undrawable: tuple[int, int] = (0, 0)
    """(non-finite, too large) counts among the scanned rows."""
    undrawable: tuple[int, int] = (0, 0)
    """(non-finite, too large) counts among rows 0..current."""


class DescentChart(PlotextPlot):
    """f(x), the descent path, the current point and its tangent."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.show_tangent = True
        """Whether to draw the tangent at the current point."""
        self.show_next_step = True
        """Whether to draw the step from x_k to x_{k+1} when that row exists."""
        self.plotted_points = 0
        """Points handed to plotext by the last replot, gaps included."""
        self.tangent_at: tuple[float, float, float] | None = None
        """(x, f(x), f'(x)) where the last replot drew the tangent, or None."""
        self.drawn_steps: list[tuple[str, float, float]] = []
        """(label, x_k, x_{k+1}) of each next step the last replot drew."""
        self._legend = True
        self._function: Function | None = None
        self._settings: RunSettings | None = None
        self._paths: list[ChartPath] = []
        self._selected = 0
        self._view: View | None = None
        self._data_notice = ""
        self._build_error = ""
        self._version = 0
        self._rendered: tuple[tuple, Text] | None = None

    @property
    def view(self) -> View | None:
        """Axis limits in use, or None before the first show()."""
        return self._view

    @property
    def notice(self) -> str:
        """Sentence naming what the chart could not draw, or '' when all is drawn."""
        width, height = self.size
        parts = [self._data_notice, self._build_error]
        if self._function is not None and not self._fits(width, height):
            parts.insert(0, TOO_SMALL)
        return "; ".join(part for part in parts if part)

    def show(
        self,
        function: Function,
        history: History,
        current: int,
        *,
        settings: RunSettings | None = None,
    ) -> None:
        """Draw ``function`` and the run in ``history`` up to row ``current``."""
        self.show_runs(function, [("path", history, current)], settings=settings)

    def show_runs(
        self,
        function: Function,
        runs: Sequence[tuple[str, History, int]],
        selected: int = 0,
        *,
        settings: RunSettings | None = None,
    ) -> None:
        """Draw ``function`` and each (label, history, current row) in ``runs``.

        Each run gets the next of PATH_COLORS. The tangent is drawn at the
        current point of run ``selected`` only, and ``settings`` (the selected
        run's) go into the title only when there is one run.
        """
        previous = {id(path.history): path for path in self._paths}
        paths = []
        new_view = self._view is None or function != self._function
        for index, (label, history, current) in enumerate(runs[: len(PATH_COLORS)]):
            current = min(max(current, 0), len(history) - 1)
            if len(runs) == 1:
                label = "path"  # The title already names the run's settings.
            color = PATH_COLORS[index]
            earlier = previous.get(id(history))
            # A history shorter than what was scanned has been truncated and rerun.
            if earlier is None or len(history) < earlier.scanned:
                new_view = True
                paths.append(ChartPath(label, history, current, color))
            else:
                paths.append(replace(earlier, label=label, current=current, color=color))
        self._selected = min(max(selected, 0), max(len(paths) - 1, 0))
        if new_view:
            paths = [ChartPath(p.label, p.history, p.current, p.color) for p in paths]
            self._view = initial_view(function, self._start_of(function, paths))
        self._function = function
        self._settings = settings if len(paths) == 1 else None
        self._paths = paths
        self.replot()

    @property
    def paths(self) -> tuple[ChartPath, ...]:
        """The runs drawn, in the order given to show_runs."""
        return tuple(self._paths)

    def _start_of(self, function: Function, paths: list[ChartPath]) -> float:
        """Return x0 of the selected run, where a new view is centred."""
        if paths and len(paths[self._selected].history):
            return float(paths[self._selected].history.x[0])
        return function.default_start

    def replot(self) -> None:
        """Clear the plot, draw the current data and refresh the widget."""
        self.plt.clear_data()
        self.plotted_points = 0
        self.tangent_at = None
        self.drawn_steps = []
        self._version += 1
        self._data_notice = ""
        if self._function is not None and self._view is not None:
            self._update_view()
            width, height = self.size
            if self._fits(width, height):
                self._draw(width, height)
        self.refresh()

    def on_resize(self) -> None:
        """Redraw for the new size, which sets the decimation budget and dashes."""
        self.replot()

    @staticmethod
    def _fits(width: int, height: int) -> bool:
        return width >= MIN_WIDTH and height >= MIN_HEIGHT

    def _update_view(self) -> None:
        """Grow the view over rows not yet scanned and count undrawable rows."""
        view = self._view
        non_finite = too_large = 0
        for path in self._paths:
            rows = path.current + 1
            xs, ys = path.history.x, path.history.value
            if rows > path.scanned:
                new_xs, new_ys = xs[path.scanned : rows], ys[path.scanned : rows]
                view = view_containing(view, new_xs, new_ys)
                added = count_undrawable(new_xs, new_ys)
                path.scanned_undrawable = (
                    path.scanned_undrawable[0] + added[0],
                    path.scanned_undrawable[1] + added[1],
                )
                path.scanned = rows
            if rows == path.scanned:
                path.undrawable = path.scanned_undrawable
            else:
                # Only a step back lands here, and it reads the rows once.
                path.undrawable = count_undrawable(xs[:rows], ys[:rows])
            non_finite += path.undrawable[0]
            too_large += path.undrawable[1]
        self._view = view
        self._data_notice = describe_undrawable(non_finite, too_large)

    def _draw(self, width: int, height: int) -> None:
        """Hand the curve, paths, markers, labels and ticks to plotext."""
        plt, view = self.plt, self._view
        plot_height = height - 1 if self._data_notice else height
        x_ticks, x_labels = nice_ticks(view.x_min, view.x_max, max(width // 14, 2))
        y_ticks, y_labels = nice_ticks(view.y_min, view.y_max, max(plot_height // 4, 2))
        label_width = max((len(label) for label in y_labels), default=0)
        cells = (max(width - label_width - 2, 1), max(plot_height - 5, 1))
        self._legend = width >= LEGEND_MIN_SIZE[0] and height >= LEGEND_MIN_SIZE[1]
        plt.title(self._title(width - label_width - 2))
        plt.xlabel("x")
        plt.ylabel("f(x)")
        plt.xlim(view.x_min, view.x_max)
        plt.ylim(view.y_min, view.y_max)
        plt.xticks(x_ticks, x_labels)
        plt.yticks(y_ticks, y_labels)
        self._draw_curve(cells[0])
        for index, path in enumerate(self._paths):
            self._draw_path(path, cells, selected=index == self._selected)
        if self._paths:
            self._draw_selected(self._paths[self._selected])

    def _title(self, columns: int) -> str:
        """Return the title, without the settings when they do not fit."""
        title = f"f(x) = {self._function.name}"
        if self._settings is None:
            return title
        start = format_number(self._settings.start, 4)
        rate = format_number(self._settings.learning_rate, 4)
        full = f"{title}  ·  x0 = {start}, η = {rate}"
        if self._settings.optimizer.slug != "gd":
            full += f", {self._settings.optimizer.name}"
        return full if len(full) <= columns else title

    def _add_line(self, xs: np.ndarray, ys: np.ndarray, **options) -> None:
        """Hand one series to plotext as lists, counting its points."""
        self._add_series(self.plt.plot, xs, ys, options)

    def _add_markers(self, xs: np.ndarray, ys: np.ndarray, **options) -> None:
        """Hand one series of unjoined markers to plotext, counting its points."""
        self._add_series(self.plt.scatter, xs, ys, options)

    def _add_series(
        self, method, xs: np.ndarray, ys: np.ndarray, options: dict
    ) -> None:
        if len(xs) == 0:
            return
        if not self._legend:
            options.pop("label", None)
        self.plotted_points += len(xs)
        method(xs.tolist(), ys.tolist(), **options)

    def _draw_curve(self, columns: int) -> None:
        view = self._view
        xs, ys = sample_curve(
            self._function, view.x_min, view.x_max, min(200, 2 * columns)
        )
        xs, ys = clip_polyline(xs, ys, view)
        self._add_line(xs, ys, color=CURVE_COLOR, label="f(x)")

    def _draw_path(
        self, path: ChartPath, cells: tuple[int, int], *, selected: bool = True
    ) -> None:
        """Draw one run's dashed path and points; for a run not ``selected``,
        also its step ahead and its current point in the run's colour."""
        view = self._view
        if path.current < 0:
            return
        rows = decimate(path.current + 1, 2 * cells[0])
        xs, ys = path.history.x[rows], path.history.value[rows]
        line_xs, line_ys = clip_polyline(xs, ys, view)
        line_xs, line_ys = dash_polyline(line_xs, line_ys, view, cells, MAX_DASHES)
        self._add_line(
            line_xs, line_ys, color=path.color, marker="braille", label=path.label
        )
        inside = drawable_mask(xs, ys) & view.contains(xs, ys)
        self._add_markers(xs[inside], ys[inside], color=path.color, marker="●")
        if not selected:
            x, _, value = path.history.row(path.current)
            if self.show_next_step and path.current + 1 < len(path.history):
                self._draw_next_step(path, x, value)
            if drawable_mask(x, value) and view.contains(x, value):
                self._add_markers(
                    np.array([x]), np.array([value]), color=path.color, marker="◆"
                )

    def _draw_selected(self, path: ChartPath) -> None:
        """Draw the tangent, the step ahead and the current point of the
        selected run, after every path, so they are on top and last in the
        legend."""
        view = self._view
        if path.current < 0:
            return
        x, slope, value = path.history.row(path.current)
        if self.show_tangent:
            tangent_xs, tangent_ys = tangent_segment(x, value, slope, view)
            self._add_line(
                tangent_xs, tangent_ys, color=TANGENT_COLOR, marker="·", label="tangent"
            )
            if len(tangent_xs):
                self.tangent_at = (x, value, slope)
        if self.show_next_step and path.current + 1 < len(path.history):
            self._draw_next_step(path, x, value)
        if drawable_mask(x, value) and view.contains(x, value):
            self._add_markers(
                np.array([x]),
                np.array([value]),
                color=CURRENT_COLOR,
                marker="◆",
                label="current",
            )

    def _draw_next_step(self, path: ChartPath, x: float, value: float) -> None:
        """Draw the move from x_k to x_{k+1} at height f(x_k), with an arrow head."""
        next_x = float(path.history.x[path.current + 1])
        step_xs, step_ys = clip_polyline(
            np.array([x, next_x]), np.array([value, value]), self._view
        )
        self._add_line(step_xs, step_ys, color=path.color, marker="─")
        if len(step_xs):
            self.drawn_steps.append((path.label, x, next_x))
        if len(step_xs) and step_xs[-1] == next_x:
            arrow = "▶" if next_x > x else "◀"
            self._add_markers(
                step_xs[-1:], step_ys[-1:], color=path.color, marker=arrow
            )

    def render(self) -> RenderResult:
        """Build the plot for the current size, or a short notice when it cannot be drawn."""
        width, height = self.size
        if self._function is None:
            return Text("")
        if not self._fits(width, height):
            return Text(
                fit_text(TOO_SMALL, width, height, TOO_SMALL_SHORTER), no_wrap=True
            )
        theme = self._get_plotext_theme_name(self.app.theme)
        key = (width, height, theme, self._version)
        if self._rendered is not None and self._rendered[0] == key:
            return self._rendered[1]
        text = self._build(width, height, theme)
        self._rendered = (key, text)
        return text

    def _build(self, width: int, height: int, theme: str) -> Text:
        """Run plotext's build, falling back to a text notice if it raises."""
        plot_height = height - 1 if self._data_notice else height
        try:
            self.plt.plotsize(width, plot_height)
            # plotsize alone does not always resize the figure, so set the
            # size directly too, as textual-plotext 1.0.1 does in its render().
            self.plt._set_size(width, plot_height)
            self.plt.theme(theme)
            # plotext ends every line with a newline, the last one included.
            text = Text.from_ansi(self.plt.build().removesuffix("\n"), no_wrap=True)
            self._build_error = ""
        except PLOTEXT_ERRORS as error:
            self.log.error(
                f"plotext could not build the chart at {width}x{height}: {error!r}"
            )
            self._build_error = (
                f"chart not drawn: plotext raised {type(error).__name__}"
            )
            return Text(fit_text(self._build_error, width, height), no_wrap=True)
        if self._data_notice:
            text.append("\n")
            text.append(fit_text(self._data_notice, width, 1), style="bold yellow")
        return text
