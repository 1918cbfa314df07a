"""A virtual table of the steps of a run that follows the current step.

The table renders only the rows on screen, reading them straight from the
run's numpy columns, so showing a step costs the same at 10 rows as at 100,000
and the widget keeps no Python object per row. Line 0 of the widget is the
header. Line ``y`` below it shows row ``scroll_y + y - 1``. The virtual
height leaves a page of blank lines below the last row, so the table can turn
a page when the current row is the last one, and it grows a page at a time,
so adding a row needs no layout on most steps.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from functools import lru_cache

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.cache import LRUCache
from textual.events import Resize
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..engine import History
from ..numbers import format_number

TITLES = ("step", "x", "f'(x)", "f(x)", "Δx")
"""Column titles. The last column, Δx = x_k - x_(k-1), shows only when the
widget is wide enough for it."""

_GAP = 2
"""Spaces between two columns."""

_MAX_DIGITS = 10
_MIN_DIGITS = 3
_MIN_DIGITS_WITH_DX = 6
"""Below this precision the Δx column gives way to more digits in the others."""

_ROW_CACHE_SIZE = 1024
"""Formatted rows kept for scrolling back and forth, several screens' worth."""


def number_width(digits: int) -> int:
    """Return the widest text that format_number makes with ``digits``.

    Fixed notation takes up to ``digits + 6`` characters (sign, "0.000" and
    the digits). Scientific notation keeps at least one decimal, so it takes
    up to 9 ("-1.2e-320") however few digits are asked for.
    """
    return max(digits + 6, 9)


@dataclass(frozen=True)
class ColumnLayout:
    """Column widths and number precision chosen for one widget width."""

    step_width: int
    digits: int
    show_dx: bool

    @property
    def number_width(self) -> int:
        """Width of each number column."""
        return number_width(self.digits)

    @property
    def number_columns(self) -> int:
        """How many number columns the layout has: 4 with Δx, else 3."""
        return 4 if self.show_dx else 3

    @property
    def width(self) -> int:
        """Total width of a row, gaps included."""
        numbers = self.number_columns * (self.number_width + _GAP)
        return self.step_width + numbers


def step_column_width(last_step: int) -> int:
    """Return the width of the step column for steps up to ``last_step``."""
    return max(len(TITLES[0]), len(str(max(last_step, 0))))


@lru_cache(maxsize=64)
def choose_layout(width: int, step_width: int) -> ColumnLayout:
    """Choose the most digits that fit ``width``, keeping Δx while it fits.

    When even the narrowest layout is too wide, it is returned anyway and the
    rows are cropped at the right edge.
    """
    for show_dx, lowest in ((True, _MIN_DIGITS_WITH_DX), (False, _MIN_DIGITS)):
        for digits in range(_MAX_DIGITS, lowest - 1, -1):
            layout = ColumnLayout(step_width, digits, show_dx)
            if layout.width <= width:
                return layout
    return ColumnLayout(step_width, _MIN_DIGITS, False)


def format_cells(layout: ColumnLayout, step: str, numbers: list[str]) -> str:
    """Join right-aligned cells into one row of text."""
    cells = [step.rjust(layout.step_width)]
    cells.extend(text.rjust(layout.number_width) for text in numbers)
    return (" " * _GAP).join(cells)


def format_header(layout: ColumnLayout) -> str:
    """Return the header row for ``layout``."""
    titles = list(TITLES[1 : 1 + layout.number_columns])
    return format_cells(layout, TITLES[0], titles)


def format_row(
    layout: ColumnLayout,
    step: int,
    row: tuple[float, float, float],
    previous_x: float | None,
) -> str:
    """Return the text of one row of (x, slope, value).

    Δx is blank when ``previous_x`` is None, which is the case on step 0.
    """
    x = row[0]
    numbers = [format_number(number, layout.digits) for number in row]
    if layout.show_dx:
        if previous_x is None:
            numbers.append("")
        else:
            # Subtracting Python floats does not raise. inf - inf gives nan
            # and an overflow gives inf, which format_number spells out.
            numbers.append(format_number(x - previous_x, layout.digits))
    return format_cells(layout, str(step), numbers)


class StepTable(ScrollView, can_focus=True, inherit_bindings=False):
    """A scrolling table of step, x, f'(x), f(x) and Δx for one run.

    The app owns the current step and calls `show` whenever it or the history
    changes. The keys only scroll the view:

    | Key | Action |
    | :- | :- |
    | up, down | Scroll one row. |
    | pageup, pagedown | Scroll one page. |
    | home, end | Scroll to the first or the last row. |
    """

    # Every other key is left to the app, which binds left, right and letters.
    BINDINGS = [
        Binding("up", "scroll_up", "Scroll up", show=False),
        Binding("down", "scroll_down", "Scroll down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "First row", show=False),
        Binding("end", "scroll_end", "Last row", show=False),
    ]

    COMPONENT_CLASSES = {
        "step-table--header",
        "step-table--row",
        "step-table--current",
    }
    """
    | Class | Description |
    | :- | :- |
    | `step-table--header` | The line of column titles. |
    | `step-table--row` | Every other row, and the blank lines below the last. |
    | `step-table--current` | The row of the current step. |
    """

    DEFAULT_CSS = """
    StepTable {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
    }
    StepTable > .step-table--header {
        text-style: bold;
        color: $text-primary;
    }
    StepTable > .step-table--current {
        background: $accent;
        color: $text;
        text-style: bold;
    }
    """

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._history: History | None = None
        self._current = -1
        # The length and last row seen by the previous `show`, to tell rows
        # appended to the same History from rows rewritten after a truncate.
        self._length = 0
        self._last_row: tuple[float, float, float] | None = None
        # Keyed by the layout, the step and the numbers themselves, so a
        # rewritten or replaced history can never show a stale text.
        self._row_texts: LRUCache[tuple, str] = LRUCache(_ROW_CACHE_SIZE)

    @property
    def history(self) -> History | None:
        """The history on display, or None before the first `show`."""
        return self._history

    @property
    def current(self) -> int:
        """The highlighted step after clamping, or -1 while there is none."""
        return self._current

    @property
    def page_rows(self) -> int:
        """How many data rows fit below the header."""
        return max(self.scrollable_content_region.height - 1, 0)

    def show(self, history: History, current: int) -> None:
        """Display ``history`` with step ``current`` highlighted and in view.

        ``current`` is clamped to the rows that exist. Passing the same History
        with rows appended repaints only the lines that changed unless the view
        scrolls or the step column grows wider.

        Raises:
            TypeError: If ``current`` is not an integer.
        """
        current = operator.index(current)
        length = len(history)
        old_length = self._length
        rows_kept = history is self._history and self._rows_unchanged(history)
        old_current = self._current
        old_top = self.scroll_offset.y
        old_step_width = step_column_width(old_length - 1)

        self._history = history
        self._current = min(max(current, 0), length - 1)
        self._length = length
        self._last_row = history.row(length - 1) if length else None
        self._set_virtual_height(_padded_height(length, self.page_rows))
        self._follow_current()

        step_width_kept = step_column_width(length - 1) == old_step_width
        if rows_kept and step_width_kept and self.scroll_offset.y == old_top:
            visible = range(old_top, old_top + self.page_rows)
            self._refresh_rows(visible, old_current, old_current + 1)
            self._refresh_rows(visible, self._current, self._current + 1)
            self._refresh_rows(visible, old_length, length)
        else:
            self.refresh()

    def _rows_unchanged(self, history: History) -> bool:
        """Tell whether rows seen before are still there with the same values."""
        # NOTE: Only the last row seen is compared, so a truncate that rewrites
        # earlier rows but leaves that one equal goes unnoticed until a scroll.
        if self._last_row is None:
            return True
        old_last = self._length - 1
        if len(history) <= old_last:
            return False
        return _same_floats(history.row(old_last), self._last_row)

    def _set_virtual_height(self, height: int) -> None:
        """Set the scrollable height, one line per row plus the header."""
        # The virtual width stays 0 because the columns always fit the widget
        # width, so there is nothing to scroll sideways.
        size = Size(0, height)
        if size != self.virtual_size:
            # Assigning virtual_size would repaint every line (in Textual 8.2
            # it is a reactive declared with layout=True). A layout alone
            # updates the scrollbar, and `show` repaints the lines it changed.
            self.set_reactive(StepTable.virtual_size, size)
            self.refresh(layout=True, repaint=False)

    def _follow_current(self) -> None:
        """Scroll the least that brings the current row into view.

        A row in the page below the view turns the page: it lands on the
        second line, so the next steps forward repaint two rows each instead
        of shifting every row. A row in the page above is brought to the top
        edge. A row further away is centred, which the maximum scroll clamps
        at the ends.
        """
        page = self.page_rows
        if self._current < 0 or page == 0:
            return
        top = self.scroll_offset.y
        bottom = top + page - 1
        if top <= self._current <= bottom:
            return
        if bottom < self._current < bottom + page:
            target = self._current - min(1, page - 1)
        elif top - page < self._current < top:
            target = self._current
        else:
            # Blank lines below the last row are for turning pages only.
            target = min(self._current - page // 2, self._length - page)
        self.scroll_to(y=max(target, 0), animate=False, force=True)

    def _refresh_rows(self, visible: range, start: int, stop: int) -> None:
        """Repaint the lines of rows ``start`` to ``stop - 1`` within ``visible``."""
        first = max(start, visible.start)
        last = min(stop, visible.stop)
        if first < last:
            self.refresh_lines(first + 1, last - first)

    def on_resize(self, event: Resize) -> None:
        """Keep the current row in view when the widget changes size."""
        self._set_virtual_height(_padded_height(self._length, self.page_rows))
        self._follow_current()

    def action_scroll_end(self) -> None:
        """Scroll so the last row is on the bottom line."""
        self.scroll_to(y=max(self._length - self.page_rows, 0), animate=False)

    def action_page_down(self) -> None:
        """Scroll down by the rows below the header."""
        self.scroll_to(y=self.scroll_y + max(self.page_rows, 1), animate=False)

    def action_page_up(self) -> None:
        """Scroll up by the rows below the header."""
        self.scroll_to(y=self.scroll_y - max(self.page_rows, 1), animate=False)

    def render_line(self, y: int) -> Strip:
        """Render line ``y`` of the widget: the header, a row, or blank."""
        width = self.scrollable_content_region.width
        if width <= 0:
            return Strip([], 0)
        history = self._history
        last_step = len(history) - 1 if history is not None else 0
        layout = choose_layout(width, step_column_width(last_step))
        if y == 0:
            style = self.get_component_rich_style("step-table--header")
            return _strip(format_header(layout), width, style)
        # Component styles are cached by Textual until the next refresh, while
        # self.rich_style walks every ancestor on each call.
        row = self.scroll_offset.y + y - 1
        if history is None or not 0 <= row < len(history):
            return Strip.blank(width, self.get_component_rich_style("step-table--row"))
        if row == self._current:
            style = self.get_component_rich_style("step-table--current")
        else:
            style = self.get_component_rich_style("step-table--row")
        return _strip(self._row_text(layout, history, row), width, style)

    def _row_text(self, layout: ColumnLayout, history: History, step: int) -> str:
        """Return the formatted text of row ``step``, from the cache if there."""
        row = history.row(step)
        previous_x = float(history.x[step - 1]) if step > 0 else None
        key = (layout, step, row, previous_x)
        text = self._row_texts.get(key)
        if text is None:
            text = format_row(layout, step, row, previous_x)
            self._row_texts[key] = text
        return text


def _padded_height(rows: int, page: int) -> int:
    """Return the virtual height for ``rows`` rows: the header, the rows and
    a page of blank lines, rounded up to whole pages."""
    page = max(page, 1)
    return -(-(rows + 1 + page) // page) * page


def _strip(text: str, width: int, style: Style) -> Strip:
    """Pad or crop ``text`` to ``width`` cells in one style."""
    # Every character the table writes (digits, signs, letters, "'" and "Δ")
    # is one cell wide, so the string length is the cell length.
    text = text[:width].ljust(width)
    return Strip([Segment(text, style)], width)


def _same_floats(
    first: tuple[float, float, float], second: tuple[float, float, float]
) -> bool:
    """Compare two rows, counting nan as equal to nan."""
    return all(
        a == b or (math.isnan(a) and math.isnan(b)) for a, b in zip(first, second)
    )
