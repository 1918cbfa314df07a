"""Preset functions: derivatives, agreement with the parser, runs that teach."""

import math
import subprocess
import sys

import numpy as np
import pytest

from tui_descent.engine import Run, RunSettings, StopReason
from tui_descent.expressions import parse_function
from tui_descent.functions import QUADRATIC
from tui_descent.preset_slugs import PRESET_SLUGS
from tui_descent.presets import DEFAULT_PRESET, PRESETS, preset, slug_of

SLUGS = list(PRESETS)


def sample_points(function):
    """Return points inside the preset's range, away from 0 (the |x| kink)."""
    low, high = function.x_range
    return [x for x in np.linspace(low, high, 9)[1:-1] if abs(x) > 1e-3]


def run(function, start, learning_rate=0.1, max_steps=50):
    settings = RunSettings(
        start=start, learning_rate=learning_rate, max_steps=max_steps
    )
    result = Run(function=function, settings=settings)
    result.run_to_end()
    return result


def test_expected_slugs_are_offered():
    assert SLUGS == [
        "quadratic",
        "shifted-bowl",
        "quartic",
        "double-well",
        "wavy",
        "abs",
        "cubic",
        "exp",
    ]
    assert PRESETS[DEFAULT_PRESET] is QUADRATIC


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize(("name", "derivative_name"), [("f", "df"), ("df", "d2f")])
def test_derivative_matches_central_difference(slug, name, derivative_name):
    function = PRESETS[slug]
    original = getattr(function, name)
    derivative = getattr(function, derivative_name)
    step = 1e-6
    for x in sample_points(function):
        estimate = (original(x + step) - original(x - step)) / (2 * step)
        assert derivative(x) == pytest.approx(estimate, rel=1e-5, abs=1e-5)


@pytest.mark.parametrize("slug", SLUGS)
def test_preset_matches_its_parsed_formula(slug):
    function = PRESETS[slug]
    parsed = parse_function(function.formula)
    for x in sample_points(function):
        assert function.f(x) == pytest.approx(parsed.f(x), rel=1e-12)
        assert function.df(x) == pytest.approx(parsed.df(x), rel=1e-12)
        assert function.d2f(x) == pytest.approx(parsed.d2f(x), rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("slug", SLUGS)
def test_preset_accepts_arrays(slug):
    function = PRESETS[slug]
    xs = np.linspace(*function.x_range, 5)
    for callable_ in (function.f, function.df, function.d2f):
        values = np.asarray(callable_(xs))
        assert values.shape == (5,)


@pytest.mark.parametrize("slug", SLUGS)
def test_extreme_inputs_do_not_raise(slug):
    function = PRESETS[slug]
    for x in (1e200, -1e200, math.inf, math.nan):
        value, slope = function.value_and_slope(x)
        assert isinstance(value, float)
        assert isinstance(slope, float)
    assert math.isnan(function.value_and_slope(math.nan)[1])


@pytest.mark.parametrize("slug", SLUGS)
def test_start_inside_range_and_caption_one_line(slug):
    function = PRESETS[slug]
    low, high = function.x_range
    assert low < function.default_start < high
    assert function.caption
    assert "\n" not in function.caption
    assert len(function.caption) <= 100


def test_parabolas_have_quadratic_curvature():
    assert PRESETS["quadratic"].quadratic_curvature == 2.0
    assert PRESETS["shifted-bowl"].quadratic_curvature == 2.0
    for slug in ("quartic", "double-well", "wavy", "abs", "cubic", "exp"):
        assert PRESETS[slug].quadratic_curvature is None


def test_quadratic_converges():
    result = run(PRESETS["quadratic"], 8.0, max_steps=1000)
    assert result.stop_reason is StopReason.CONVERGED
    assert result.history.x[-1] == pytest.approx(0.0, abs=1e-6)


def test_shifted_bowl_converges_to_three():
    function = PRESETS["shifted-bowl"]
    result = run(function, function.default_start, max_steps=1000)
    assert result.stop_reason is StopReason.CONVERGED
    assert result.history.x[-1] == pytest.approx(3.0, abs=1e-6)


def test_quartic_is_slower_than_quadratic():
    quadratic = run(PRESETS["quadratic"], 1.0, max_steps=1000)
    quartic = run(PRESETS["quartic"], 1.0, max_steps=1000)
    assert quadratic.stop_reason is StopReason.CONVERGED
    assert quadratic.last_step < 100
    assert quartic.stop_reason is StopReason.MAX_STEPS
    assert 0.01 < quartic.history.x[-1] < 0.1


def test_double_well_start_decides_the_minimum():
    function = PRESETS["double-well"]
    # The minima are the outer roots of f'(x) = 4x³ - 6x + 1.
    left, _, right = sorted(np.roots([4.0, 0.0, -6.0, 1.0]).real)
    from_right = run(function, function.default_start)
    from_left = run(function, -function.default_start)
    assert from_right.stop_reason is StopReason.CONVERGED
    assert from_left.stop_reason is StopReason.CONVERGED
    assert from_right.history.x[-1] == pytest.approx(right, abs=1e-6)
    assert from_left.history.x[-1] == pytest.approx(left, abs=1e-6)
    assert function.f(left) < function.f(right)


def test_wavy_stops_in_a_local_minimum():
    function = PRESETS["wavy"]
    result = run(function, function.default_start)
    x = result.history.x[-1]
    assert result.stop_reason is StopReason.CONVERGED
    assert function.d2f(x) > 0
    # The lowest point of sin(3x) + 0.1x² is near x = -0.5, far from here.
    assert function.f(x) > function.f(-0.5)


def test_abs_bounces_and_never_converges():
    function = PRESETS["abs"]
    result = run(function, function.default_start, max_steps=500)
    tail = result.history.x[-10:]
    assert result.stop_reason is StopReason.MAX_STEPS
    assert np.all(np.abs(tail) <= 0.1)
    assert np.all(np.sign(tail[1:]) == -np.sign(tail[:-1]))


def test_abs_landing_on_kink_is_undefined():
    result = run(PRESETS["abs"], 1.0, learning_rate=0.5)
    assert result.history.x.tolist() == [1.0, 0.5, 0.0]
    assert result.stop_reason is StopReason.UNDEFINED


def test_cubic_creeps_to_zero_or_runs_off():
    function = PRESETS["cubic"]
    creeping = run(function, function.default_start)
    assert creeping.stop_reason is StopReason.MAX_STEPS
    assert np.all(np.diff(creeping.history.x) < 0)
    assert 0 < creeping.history.x[-1] < 0.1
    running_off = run(function, -function.default_start, max_steps=1000)
    assert running_off.stop_reason is StopReason.DIVERGED
    assert running_off.history.x[-1] < 0


def test_exp_slides_left_without_converging():
    function = PRESETS["exp"]
    result = run(function, function.default_start)
    assert result.stop_reason is StopReason.MAX_STEPS
    assert np.all(np.diff(result.history.x) < 0)
    assert result.history.x[-1] < 0


def test_unknown_preset_names_the_choices():
    with pytest.raises(ValueError, match="unknown preset 'nope'; choose one of"):
        preset("nope")
    assert preset("double-well") is PRESETS["double-well"]


def test_slug_of_finds_presets_only():
    assert slug_of(PRESETS["wavy"]) == "wavy"
    assert slug_of(QUADRATIC) == "quadratic"
    assert slug_of(parse_function("x^2")) is None


def test_importing_presets_does_not_import_sympy():
    code = "import sys, tui_descent.presets; print('sympy' in sys.modules)"
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert output.stdout.strip() == "False"


def test_preset_slugs_match_the_presets():
    assert PRESET_SLUGS == tuple(PRESETS)


@pytest.mark.parametrize("x", [1e155, -1e155, 1e200, -1e300])
def test_double_well_is_infinite_far_out_not_nan(x):
    assert PRESETS["double-well"].f(x) == math.inf
