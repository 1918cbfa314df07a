"""The run history: growable numpy columns with one row per step.

This module is part of the maths layer: it imports no textual, rich or
plotext.
"""

from __future__ import annotations

import numpy as np

_INITIAL_CAPACITY = 64
_PENDING_ROWS = 256


class History:
    """Growable columns of x, slope f'(x), value f(x) and extra named columns,
    one row per step.

    Row 0 is the start point. New rows wait in a short Python list and are
    copied into the numpy columns in blocks, on the next read or when the list
    is full. Writing each number into numpy on its own would cost more than
    the rest of a step.
    Capacity doubles when full, so appending is amortised O(1) and reading a
    row never copies the columns.
    """

    def __init__(
        self, capacity: int = _INITIAL_CAPACITY, extra_columns: tuple[str, ...] = ()
    ) -> None:
        self._names = ("x", "slope", "value", *extra_columns)
        if len(set(self._names)) != len(self._names):
            raise ValueError(
                f"column names {self._names} repeat a name; give each column "
                "its own name"
            )
        self._columns = [np.empty(max(capacity, 1)) for _ in self._names]
        self._pending: list[tuple[float, ...]] = []
        self._length = 0

    def __len__(self) -> int:
        return self._length

    @property
    def extra_columns(self) -> tuple[str, ...]:
        """Names of the columns after x, slope and value."""
        return self._names[3:]

    def append(self, x: float, slope: float, value: float, *extra: float) -> None:
        """Add one row at the end; ``extra`` gives one value per extra column."""
        if len(extra) != len(self._names) - 3:
            raise ValueError(
                f"append got {len(extra)} extra values for the extra columns "
                f"{self.extra_columns}; pass one value per column"
            )
        self.append_row((x, slope, value, *extra))

    def append_row(self, row: tuple[float, ...]) -> None:
        """Add a row given as one tuple of every column's value, in column
        order, without checking its length: the fast path of the step loop."""
        pending = self._pending
        pending.append(row)
        self._length += 1
        if len(pending) >= _PENDING_ROWS:
            self._flush()

    def append_columns(self, *columns: np.ndarray) -> None:
        """Append one array per column, all of one length, in column order."""
        start = self._reserve(len(columns[0]))
        for column, values in zip(self._columns, columns, strict=True):
            column[start : self._length] = values

    def repeat_rows(self, rows: list[tuple[float, ...]], count: int) -> None:
        """Append ``count`` rows that cycle through ``rows`` in order.

        A run caught in a cycle fills its remaining steps here, at numpy
        speed, instead of computing rows it already has.
        """
        start = self._reserve(count)
        period = len(rows)
        for offset, row in enumerate(rows):
            for column, value in zip(self._columns, row, strict=True):
                column[start + offset : self._length : period] = value

    def _reserve(self, count: int) -> int:
        """Add ``count`` rows, not yet written, after the pending ones; return
        the index of the first. A count of 0 or less adds nothing."""
        self._flush()
        start = self._length
        count = max(0, count)
        while start + count > len(self._columns[0]):
            self._grow()
        self._length = start + count
        return start

    def truncate(self, length: int) -> None:
        """Drop every row from ``length`` on."""
        self._flush()
        self._length = max(0, min(length, self._length))

    def _flush(self) -> None:
        """Copy the pending rows into the numpy columns."""
        pending = self._pending
        if not pending:
            return
        while self._length > len(self._columns[0]):
            self._grow()
        start = self._length - len(pending)
        block = np.array(pending, dtype=float)
        for position, column in enumerate(self._columns):
            column[start : self._length] = block[:, position]
        pending.clear()

    def _grow(self) -> None:
        capacity = max(_INITIAL_CAPACITY, 2 * len(self._columns[0]))
        stored = self._length - len(self._pending)
        for position, column in enumerate(self._columns):
            grown = np.empty(capacity)
            grown[:stored] = column[:stored]
            self._columns[position] = grown

    def _column(self, position: int) -> np.ndarray:
        self._flush()
        return self._columns[position][: self._length]

    @property
    def x(self) -> np.ndarray:
        """x of every step, a view without copying."""
        return self._column(0)

    @property
    def slope(self) -> np.ndarray:
        """f'(x) of every step, a view without copying."""
        return self._column(1)

    @property
    def value(self) -> np.ndarray:
        """f(x) of every step, a view without copying."""
        return self._column(2)

    def columns(self) -> dict[str, np.ndarray]:
        """Return every column by name, for exports that write them all.

        The order is x, slope, value, then the extra columns.
        """
        return {name: self._column(i) for i, name in enumerate(self._names)}

    def row(self, step: int) -> tuple[float, float, float]:
        """Return (x, slope, value) of one step as Python floats."""
        self._check_step(step)
        x, slope, value = self._columns[:3]
        return float(x[step]), float(slope[step]), float(value[step])

    def extra(self, step: int) -> tuple[float, ...]:
        """Return the extra columns of one step as Python floats."""
        self._check_step(step)
        return tuple(float(column[step]) for column in self._columns[3:])

    def _check_step(self, step: int) -> None:
        if not 0 <= step < self._length:
            raise IndexError(f"step {step} is outside 0..{self._length - 1}")
        self._flush()
