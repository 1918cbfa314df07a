"""The chart of f(x) with the descent path, drawn by plotext inside Textual.

The view (axis limits) stays fixed while the path stays inside it, so a new
step changes only a few cells on screen. All view maths lives in
tui_descent.chart_view, and this module only draws what that module prepared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import RenderResult
from textual.geometry import Region
from textual.strip import Strip
from textual_plotext import PlotextPlot

from ..chart_view import (
    View,
    clip_polyline,
    count_undrawable,
    describe_undrawable,
    fit_text,
    initial_view,
    nice_ticks,
    sample_curve,
    view_containing,
)
from ..engine import History, RunSettings
from ..functions import Function
from ..numbers import format_number
from .chart_overlay import (  # noqa: F401 - PATH_RICH_COLORS is re-exported.
    CURRENT_COLOR,
    OVERLAY_COLORS,
    PATH_COLORS,
    PATH_RICH_COLORS,
    TANGENT_COLOR,
    ChartPath,
    OverlayDrawing,
)
from .chart_raster import CellGrid, changed_spans
from .chart_rows import (
    Background,
    compose_row,
    draw_legend,
    make_strip,
    parse_cells,
    rich_color,
)

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

LEGEND_MIN_SIZE = (40, 16)
"""Smallest widget size, in cells, that gets a legend. In a smaller one the
legend would hide most of the curve."""


class DescentChart(OverlayDrawing, PlotextPlot):
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
        """Points the last replot drew: curve samples, path dots and marks."""
        self.tangent_at: tuple[float, float, float] | None = None
        """(x, f(x), f'(x)) where the last replot drew the tangent, or None."""
        self.drawn_steps: list[tuple[str, float, float]] = []
        """(label, x_k, x_{k+1}) of each next step the last replot drew."""
        self._function: Function | None = None
        self._settings: RunSettings | None = None
        self._paths: list[ChartPath] = []
        self._selected = 0
        self._view: View | None = None
        self._data_notice = ""
        self._build_error = ""
        self._version = 0
        self._frame_key: tuple = ()
        self._lines: list[Strip] = []
        self._background: Background | None = None
        self._background_key: tuple = ()
        self._grid: CellGrid | None = None
        self._curve_points = 0
        self._colors = [rich_color(name) for name in OVERLAY_COLORS]

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
                paths.append(
                    replace(earlier, label=label, current=current, color=color)
                )
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
        """Draw the current data and repaint the rows that changed."""
        self.plotted_points = 0
        self.tangent_at = None
        self.drawn_steps = []
        self._version += 1
        self._data_notice = ""
        if self._function is not None and self._view is not None:
            self._update_view()
        changed = self._redraw()
        if changed is None:
            self.refresh()
        elif changed:
            # Only the cells that changed are sent to the terminal.
            self.refresh(*changed)

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

    def _redraw(self) -> list[Region] | None:
        """Recompute every row; return the regions that changed, or None for all."""
        width, height = self.size
        theme = self._get_plotext_theme_name(self.app.theme) if self.is_attached else ""
        self._frame_key = (width, height, theme, self._version)
        if self._function is None or not self._fits(width, height):
            self._background = None
            self._lines = [_text_strip(line, width) for line in self._notice_lines()]
            return None
        full = self._ensure_background(width, height, theme)
        background = self._background
        if background is None:
            self._lines = [_text_strip(line, width) for line in self._notice_lines()]
            return None
        grid = self._draw_overlay(background)
        left, top = background.canvas[:2]
        old = self._grid
        if full or old is None or old.glyph.shape != grid.glyph.shape:
            self._lines = list(background.strips)
            spans = [(row, 0, grid.columns) for row in range(grid.rows)]
        else:
            spans = changed_spans(old, grid)
        for row, _, _ in spans:
            self._lines[top + row] = compose_row(background, grid, row, self._colors)
        self._grid = grid
        if full:
            return None
        return [
            Region(left + start, top + row, stop - start, 1)
            for row, start, stop in spans
        ]

    def _notice_lines(self) -> list[str]:
        """Return the text shown instead of the chart, one string per row."""
        width, height = self.size
        if self._function is None:
            return []
        if not self._fits(width, height):
            return fit_text(TOO_SMALL, width, height, TOO_SMALL_SHORTER).split("\n")
        return fit_text(self._build_error, width, height).split("\n")

    def _ensure_background(self, width: int, height: int, theme: str) -> bool:
        """Build the background if its look changed; tell whether it did."""
        key = (
            width,
            height,
            theme,
            self._view,
            self._function,
            self._title(width),
            tuple((path.label, path.color) for path in self._paths),
            self.show_tangent,
            self._data_notice,
        )
        if key == self._background_key:
            return False
        self._background_key = key
        self._background = self._build_background(width, height, theme)
        return True

    def _build_background(self, width: int, height: int, theme: str):
        """Have plotext draw the axes, labels and curve; None if it raised."""
        plt, view = self.plt, self._view
        plt.clear_data()
        plot_height = height - 1 if self._data_notice else height
        x_ticks, x_labels = nice_ticks(view.x_min, view.x_max, max(width // 14, 2))
        y_ticks, y_labels = nice_ticks(view.y_min, view.y_max, max(plot_height // 4, 2))
        label_width = max((len(label) for label in y_labels), default=0)
        plt.title(self._title(width - label_width - 2))
        plt.xlabel("x")
        plt.ylabel("f(x)")
        plt.xlim(view.x_min, view.x_max)
        plt.ylim(view.y_min, view.y_max)
        plt.xticks(x_ticks, x_labels)
        plt.yticks(y_ticks, y_labels)
        xs, ys = sample_curve(
            self._function, view.x_min, view.x_max, min(200, 2 * (width - label_width))
        )
        xs, ys = clip_polyline(xs, ys, view)
        self._curve_points = len(xs)
        if len(xs):
            plt.plot(xs.tolist(), ys.tolist(), color=CURVE_COLOR)
        try:
            plt.plotsize(width, plot_height)
            # plotsize alone does not always resize the figure, so set the
            # size directly too, as textual-plotext 1.0.1 does in its render().
            plt._set_size(width, plot_height)
            plt.theme(theme)
            built = plt.build()
            self._build_error = ""
        except PLOTEXT_ERRORS as error:
            self.log.error(
                f"plotext could not build the chart at {width}x{height}: {error!r}"
            )
            self._build_error = (
                f"chart not drawn: plotext raised {type(error).__name__}"
            )
            return None
        # plotext ends every line with a newline, the last one included.
        text = Text.from_ansi(built.removesuffix("\n"), no_wrap=True)
        if self._data_notice:
            text.append("\n")
            text.append(fit_text(self._data_notice, width, 1), style="bold yellow")
        return self._make_background(text, width, plot_height)

    def _make_background(self, text: Text, width: int, plot_height: int) -> Background:
        """Turn plotext's output into cells and note where its canvas lies."""
        chars, styles = parse_cells(text, width, self.app.console)
        matrix = self.plt.monitor.matrix
        columns, rows = matrix.Cols_canvas, matrix.Rows_canvas
        # plotext counts matrix rows from the bottom.
        top = plot_height - rows.stop
        canvas = (columns.start, top, len(columns), len(rows))
        background = Background(chars, styles, canvas)
        if width >= LEGEND_MIN_SIZE[0] and self.size.height >= LEGEND_MIN_SIZE[1]:
            draw_legend(background, self._legend_entries())
        background.strips = [
            make_strip(row_chars, row_styles)
            for row_chars, row_styles in zip(background.chars, background.styles)
        ]
        self._grid = None
        return background

    def _legend_entries(self) -> list[tuple[str, str, Style]]:
        """Return (sample, label, colour) for the curve, each run and the marks."""
        entries = [("──", "f(x)", rich_color(CURVE_COLOR))]
        entries += [("╌●", path.label, rich_color(path.color)) for path in self._paths]
        if self._paths and self.show_tangent:
            entries.append(("··", "tangent", rich_color(TANGENT_COLOR)))
        if self._paths:
            entries.append(("◆", "current", rich_color(CURRENT_COLOR)))
        return entries

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

    def render_line(self, y: int) -> Strip:
        """Return row ``y`` of the chart, redrawing first if anything changed."""
        width, height = self.size
        theme = self._get_plotext_theme_name(self.app.theme)
        if self._frame_key != (width, height, theme, self._version):
            self._redraw()
        if 0 <= y < len(self._lines):
            return self._lines[y].crop_extend(0, width, None)
        return Strip.blank(width)

    def render(self) -> RenderResult:
        """Return the whole chart as text, as render_line draws it row by row."""
        _, height = self.size
        lines = [self.render_line(y) for y in range(min(height, len(self._lines)))]
        rows = []
        for line in lines:
            row = Text(no_wrap=True)
            for segment in line:
                row.append(segment.text, segment.style)
            # Padding to the width is for the screen, not for readers of the text.
            row.rstrip()
            rows.append(row)
        return Text("\n", no_wrap=True).join(rows)


def _text_strip(line: str, width: int) -> Strip:
    """Return one line of plain text as a strip ``width`` cells wide."""
    return Strip([Segment(line[:width])], len(line[:width])).crop_extend(0, width, None)
