"""Hand-computed results for the chart's view maths: limits, growth, clipping."""

import math
import subprocess
import sys

import numpy as np
import pytest

from tui_descent.chart_view import (
    MAX_MAGNITUDE,
    View,
    clip_polyline,
    count_undrawable,
    dash_polyline,
    decimate,
    describe_undrawable,
    fit_text,
    initial_view,
    nice_ticks,
    safe_limits,
    sample_curve,
    tangent_segment,
    view_containing,
)
from tui_descent.engine import Run, RunSettings
from tui_descent.functions import QUADRATIC, Function

NAN = math.nan
INF = math.inf


def diverging_path(steps):
    """Return x and f(x) of x² from 8 at η = 1.1, where x_k = 8 * (-1.2)^k."""
    run = Run(settings=RunSettings(8.0, 1.1, 100_000, 1e-6))
    run.advance(steps)
    return run.history.x.copy(), run.history.value.copy()


def test_initial_view_frames_default_range():
    view = initial_view(QUADRATIC, 8.0)
    # The curve spans [0, 81] over [-9, 9], and 5% of 81 is 4.05.
    assert view.x_min == -9.0
    assert view.x_max == 9.0
    assert view.y_min == pytest.approx(-4.05)
    assert view.y_max == pytest.approx(85.05)


def test_initial_view_widens_to_far_start():
    view = initial_view(QUADRATIC, 20.0)
    # The x-range grows to [-9, 20] plus 5% of its span 29 on the start's side.
    assert view.x_min == -9.0
    assert view.x_max == pytest.approx(21.45)
    assert view.y_max >= 400.0


@pytest.mark.parametrize("start", [NAN, INF, -INF, 1e301])
def test_initial_view_ignores_undrawable_start(start):
    assert initial_view(QUADRATIC, start) == initial_view(QUADRATIC, None)


def test_zero_width_range_gives_valid_limits():
    flat = Function(
        "c", "3", "0", lambda x: 3.0 + 0.0 * x, lambda x: 0.0 * x, x_range=(2.0, 2.0)
    )
    view = initial_view(flat, 2.0)
    assert view.x_min < 2.0 < view.x_max
    assert view.y_min < 3.0 < view.y_max


@pytest.mark.parametrize(
    "low, high",
    [
        (0.0, 0.0),
        (5.0, 5.0),
        (9.0, -9.0),
        (NAN, NAN),
        (INF, -INF),
        (NAN, 4.0),
        (1e308, 1.7e308),
        (-1e-300, 1e-300),
        (1e15, 1e15 + 1.0),
    ],
)
def test_safe_limits_are_finite_ordered_and_bounded(low, high):
    safe_low, safe_high = safe_limits(low, high)
    assert math.isfinite(safe_low)
    assert math.isfinite(safe_high)
    assert safe_low < safe_high
    assert -MAX_MAGNITUDE <= safe_low
    assert safe_high <= MAX_MAGNITUDE
    # Tick labels need a span well above float rounding at this magnitude.
    assert safe_high - safe_low > 1e-12 * max(abs(safe_low), abs(safe_high))


def test_safe_limits_keep_a_usable_range():
    assert safe_limits(-9.0, 9.0) == (-9.0, 9.0)
    assert safe_limits(0.0, 0.0) == (-1.0, 1.0)
    assert safe_limits(5.0, 5.0) == pytest.approx((4.5, 5.5))


def test_view_stays_identical_while_path_inside():
    view = initial_view(QUADRATIC, 8.0)
    run = Run(settings=RunSettings(8.0, 0.1, 50, 1e-6))
    run.run_to_end()
    for step in range(len(run.history)):
        xs = run.history.x[: step + 1]
        ys = run.history.value[: step + 1]
        assert view_containing(view, xs, ys) is view


def test_view_grows_once_to_four_times_needed_span():
    view = initial_view(QUADRATIC, 8.0)
    xs, ys = diverging_path(1)
    # x_1 = -9.6 and f = 92.16 leave the view at x_min and y_max. The x-axis
    # needs [-9.6, 9], span 18.6. The y-axis needs [-4.05, 92.16], span 96.21.
    grown = view_containing(view, xs, ys)
    assert grown.x_min == pytest.approx(-9.6 - 3 * 18.6)
    assert grown.x_max == 9.0
    assert grown.y_min == pytest.approx(-4.05)
    assert grown.y_max == pytest.approx(92.16 + 3 * 96.21)
    assert view_containing(grown, xs, ys) is grown
    run = Run(settings=RunSettings(8.0, 0.1, 50, 1e-6))
    run.run_to_end()
    assert view_containing(grown, run.history.x, run.history.value) is grown


def test_diverging_path_grows_view_rarely():
    view = initial_view(QUADRATIC, 8.0)
    steps = 60
    xs, ys = diverging_path(steps)
    changes = 0
    for step in range(len(xs)):
        grown = view_containing(view, xs[step : step + 1], ys[step : step + 1])
        changes += grown is not view
        view = grown
    assert view.contains(xs, ys).all()
    # Each growth makes an axis at least 4 times wider, and the last view is
    # at most 4 times the span the data needs, so an axis starting at span s
    # grows at most 1 + log4(needed / s) times.
    x_needed = 2 * 8 * 1.2**steps
    y_needed = 64 * 1.44**steps + 4.05
    x_bound = 1 + math.log(x_needed / 18, 4)
    y_bound = 1 + math.log(y_needed / 89.1, 4)
    assert changes <= math.floor(x_bound) + math.floor(y_bound)
    assert changes < steps // 2


def test_view_ignores_undrawable_points():
    view = initial_view(QUADRATIC, 8.0)
    xs = np.array([NAN, INF, -INF, 1e301, 2.0])
    ys = np.array([1.0, 1.0, 1.0, 1.0, 1e308])
    assert view_containing(view, xs, ys) is view


def test_view_growth_stops_at_max_magnitude():
    view = initial_view(QUADRATIC, 8.0)
    grown = view_containing(view, np.array([9e299]), np.array([9e299]))
    assert grown.x_max == MAX_MAGNITUDE
    assert grown.y_max == MAX_MAGNITUDE
    assert grown.contains(np.array([9e299]), np.array([9e299])).all()


def test_decimate_keeps_small_histories_whole():
    assert decimate(5, 160).tolist() == [0, 1, 2, 3, 4]
    assert decimate(0, 160).tolist() == []


def test_decimate_bounds_count_and_keeps_ends():
    rows = decimate(100_000, 160)
    assert len(rows) <= 160
    assert rows[0] == 0
    assert rows[-1] == 99_999
    assert np.all(np.diff(rows) > 0)
    # The newest half of the budget is every recent row.
    assert rows[-80:].tolist() == list(range(99_920, 100_000))


def test_decimate_with_tiny_budget_keeps_first_and_last():
    rows = decimate(1_000, 1)
    assert rows.tolist() == [0, 999]


def test_count_undrawable_separates_causes():
    xs = np.array([0.0, NAN, INF, 1e301, -1e308, 5.0, 1.0])
    ys = np.array([0.0, 1.0, 1.0, 1.0, 1.0, 25.0, -INF])
    assert count_undrawable(xs, ys) == (3, 2)


def test_describe_undrawable_counts_each_cause():
    assert describe_undrawable(0, 0) == ""
    assert describe_undrawable(1, 0) == "not drawn: 1 point with nan or inf"
    assert describe_undrawable(2, 3) == (
        "not drawn: 2 points with nan or inf, 3 points beyond ±1e300"
    )


def test_clip_polyline_cuts_at_view_edge():
    view = View(-9.0, 9.0, -1.0, 1.0)
    xs, ys = clip_polyline(np.array([0.0, 20.0]), np.array([0.0, 0.0]), view)
    assert xs.tolist() == [0.0, 9.0]
    assert ys.tolist() == [0.0, 0.0]


def test_clip_polyline_drops_outside_segment():
    view = View(-9.0, 9.0, -1.0, 1.0)
    xs, ys = clip_polyline(np.array([10.0, 20.0]), np.array([0.0, 0.0]), view)
    assert xs.size == 0
    assert ys.size == 0


def test_clip_polyline_breaks_where_line_leaves():
    view = View(0.0, 10.0, 0.0, 10.0)
    xs, ys = clip_polyline(np.array([1.0, 5.0, 1.0]), np.array([5.0, 20.0, 5.0]), view)
    # Out through y = 10 at x = 1 + 4 * 5/15, a gap, then back in.
    assert xs[:2] == pytest.approx([1.0, 1.0 + 4 / 3])
    assert math.isnan(xs[2])
    assert xs[3:] == pytest.approx([1.0 + 4 / 3, 1.0])
    assert ys[3:] == pytest.approx([10.0, 5.0])


def test_clip_polyline_joins_inside_points():
    view = View(0.0, 10.0, 0.0, 10.0)
    xs, ys = clip_polyline(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 1.0]), view)
    assert xs.tolist() == [1.0, 2.0, 3.0]
    assert ys.tolist() == [1.0, 2.0, 1.0]


def test_clip_polyline_breaks_at_undrawable_points():
    view = View(-10.0, 10.0, -10.0, 10.0)
    xs = np.array([1.0, NAN, 2.0, 3.0, 1e301, 4.0])
    ys = np.array([1.0, 1.0, 2.0, 3.0, 1.0, 4.0])
    clipped_xs, clipped_ys = clip_polyline(xs, ys, view)
    assert clipped_xs.tolist() == [2.0, 3.0]
    assert clipped_ys.tolist() == [2.0, 3.0]


def test_clip_polyline_handles_huge_far_points():
    view = View(-9.0, 9.0, -4.0, 85.0)
    xs, ys = clip_polyline(np.array([0.0, 1e300]), np.array([0.0, 1e300]), view)
    assert np.all(np.isfinite(xs))
    assert xs[0] == 0.0
    assert xs[1] == pytest.approx(9.0)
    assert ys[1] == pytest.approx(9.0)


def test_dash_polyline_places_dashes_by_cell():
    view = View(0.0, 10.0, 0.0, 10.0)
    # 10 cells long with a period of 2 + 1.5 cells: dashes start at 0, 3.5, 7.
    xs, ys = dash_polyline(
        np.array([0.0, 10.0]),
        np.array([5.0, 5.0]),
        view,
        cells=(10, 10),
        max_dashes=100,
    )
    starts, ends = xs[0::3], xs[1::3]
    assert starts.tolist() == pytest.approx([0.0, 3.5, 7.0])
    assert ends.tolist() == pytest.approx([2.0, 5.5, 9.0])
    assert np.isnan(xs[2::3]).all()
    assert ys[0::3].tolist() == [5.0, 5.0, 5.0]


def test_dash_polyline_drops_oldest_over_budget():
    view = View(0.0, 10.0, 0.0, 10.0)
    xs, _ = dash_polyline(
        np.array([0.0, 10.0, 0.0]),
        np.array([1.0, 1.0, 1.0]),
        view,
        cells=(10, 10),
        max_dashes=3,
    )
    # Only the newest segment, from 10 back to 0, keeps its three dashes.
    assert xs[0::3].tolist() == pytest.approx([10.0, 6.5, 3.0])


def test_dash_polyline_skips_gaps():
    view = View(0.0, 10.0, 0.0, 10.0)
    xs, _ = dash_polyline(
        np.array([0.0, 1.0, NAN, 5.0, 6.0]),
        np.zeros(5),
        view,
        cells=(10, 10),
        max_dashes=100,
    )
    assert xs[0::3].tolist() == [0.0, 5.0]


def test_tangent_is_horizontal_at_minimum():
    view = View(-10.0, 10.0, -10.0, 10.0)
    xs, ys = tangent_segment(0.0, 0.0, 0.0, view)
    assert xs.tolist() == pytest.approx([-3.0, 3.0])
    assert ys.tolist() == pytest.approx([0.0, 0.0])


def test_tangent_follows_slope_on_screen():
    view = View(-10.0, 10.0, -100.0, 100.0)
    xs, ys = tangent_segment(0.0, 0.0, 10.0, view)
    # Slope 10 on a view ten times taller than wide is 45° on screen.
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(10.0)


def test_tangent_survives_huge_and_undefined_slopes():
    view = View(-10.0, 10.0, -10.0, 10.0)
    xs, ys = tangent_segment(1.0, 1.0, 1e300, view)
    assert xs == pytest.approx([1.0, 1.0])
    assert ys == pytest.approx([-2.0, 4.0])
    for slope in (NAN, INF):
        xs, ys = tangent_segment(1.0, 1.0, slope, view)
        assert xs.size == 0
    xs, _ = tangent_segment(NAN, 1.0, 1.0, view)
    assert xs.size == 0


def test_nice_ticks_on_default_view():
    ticks, labels = nice_ticks(-9.0, 9.0, 5)
    assert ticks == [-5.0, 0.0, 5.0]
    assert labels == ["-5", "0", "5"]
    ticks, labels = nice_ticks(-4.05, 85.05, 4)
    assert ticks == [0.0, 25.0, 50.0, 75.0]
    assert labels == ["0", "25", "50", "75"]


def test_nice_ticks_label_huge_and_narrow_ranges():
    _, labels = nice_ticks(-1e300, 1e300, 4)
    assert labels == ["-1e300", "-5e299", "0", "5e299", "1e300"]
    _, labels = nice_ticks(1e15, 1e15 + 1e7, 4)
    assert labels == [
        "1e15",
        "1.0000000025e15",
        "1.000000005e15",
        "1.0000000075e15",
        "1.00000001e15",
    ]
    _, labels = nice_ticks(0.1, 0.4, 3)
    assert labels == ["0.1", "0.2", "0.3", "0.4"]


def test_fit_text_wraps_and_shortens():
    text = "enlarge the terminal to see the chart"
    assert fit_text(text, 0, 0) == ""
    assert fit_text(text, 20, 2) == "enlarge the terminal\nto see the chart"
    assert fit_text(text, 8, 1, ("enlarge",)) == "enlarge"
    assert fit_text(text, 2, 2) == "en\nla"


def test_sample_curve_falls_back_for_scalar_functions():
    root = Function("√x", "sqrt(x)", "1/(2sqrt(x))", math.sqrt, math.sqrt)
    xs, ys = sample_curve(root, -1.0, 4.0, 6)
    assert xs.tolist() == [-1.0, 0.0, 1.0, 2.0, 3.0, 4.0]
    assert math.isnan(ys[0])
    assert ys[1:].tolist() == pytest.approx([0.0, 1.0, math.sqrt(2), math.sqrt(3), 2.0])


def test_chart_view_imports_no_ui():
    code = (
        "import sys, tui_descent.chart_view; "
        "print(sorted({'textual', 'rich', 'plotext'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
