"""History columns: growth, buffered rows, extra columns and truncation."""

import math

import pytest

from tui_descent.history import History


def filled(rows, extra_columns=()):
    history = History(capacity=4, extra_columns=extra_columns)
    for step in range(rows):
        history.append(
            float(step),
            2.0 * step,
            float(step * step),
            *([0.5 * step] * len(extra_columns)),
        )
    return history


def test_rows_read_back_past_buffer_and_growth():
    history = filled(1000)
    assert len(history) == 1000
    assert history.row(0) == (0.0, 0.0, 0.0)
    assert history.row(999) == (999.0, 1998.0, 998001.0)
    assert history.x.tolist() == [float(step) for step in range(1000)]


def test_views_include_rows_still_buffered():
    history = filled(3)
    # Three rows are far fewer than one buffered block, yet every view has them.
    assert history.slope.tolist() == [0.0, 2.0, 4.0]
    history.append(3.0, 6.0, 9.0)
    assert history.value.tolist() == [0.0, 1.0, 4.0, 9.0]


def test_extra_columns_follow_the_three_main_ones():
    history = filled(5, extra_columns=("velocity",))
    assert list(history.columns()) == ["x", "slope", "value", "velocity"]
    assert history.extra(4) == (2.0,)
    assert history.columns()["velocity"].tolist() == [0.0, 0.5, 1.0, 1.5, 2.0]


def test_truncate_then_append_overwrites_the_tail():
    history = filled(600)
    history.truncate(100)
    history.append(-1.0, -2.0, 1.0)
    assert len(history) == 101
    assert history.row(99) == (99.0, 198.0, 9801.0)
    assert history.row(100) == (-1.0, -2.0, 1.0)


def test_nan_and_inf_are_stored_as_given():
    history = History()
    history.append(math.inf, math.nan, -math.inf)
    x, slope, value = history.row(0)
    assert x == math.inf
    assert math.isnan(slope)
    assert value == -math.inf


def test_wrong_extra_count_is_rejected():
    history = History(extra_columns=("m", "v"))
    with pytest.raises(ValueError, match="append got 1 extra values"):
        history.append(1.0, 2.0, 3.0, 4.0)


def test_repeated_column_name_is_rejected():
    with pytest.raises(ValueError, match="repeat a name"):
        History(extra_columns=("x",))


def test_row_outside_history_is_rejected():
    history = filled(2)
    with pytest.raises(IndexError, match=r"step 2 is outside 0\.\.1"):
        history.row(2)
    with pytest.raises(IndexError, match=r"step -1 is outside 0\.\.1"):
        history.extra(-1)
