"""Preset functions, each chosen to teach one thing about gradient descent.

The presets use hand-written numpy code for f, f' and f'', so importing this
module does not import sympy, whose import took about a second on a 2-core
development machine. Each callable
accepts a float or a numpy array. The slugs are the names that the command
line accepts, as in ``--preset double-well``.

This module is part of the maths layer: it imports no textual, rich or plotext.
"""

from __future__ import annotations

import numpy as np

from .functions import QUADRATIC, Function

# Powers are written as products because a Python float raises OverflowError
# on x**2 past about 1e154, while x * x gives inf as numpy does.


def _shifted_bowl(x):
    shift = x - 3.0
    return shift * shift + 1.0


def _shifted_bowl_slope(x):
    return 2.0 * (x - 3.0)


def _two(x):
    return 2.0 + 0.0 * x


def _quartic(x):
    square = x * x
    return square * square


def _quartic_slope(x):
    return 4.0 * x * x * x


def _quartic_curvature(x):
    return 12.0 * x * x


def _double_well(x):
    # x²(x² - 3) + x, not x⁴ - 3x² + x: past |x| ≈ 1.3e154 both powers are
    # inf, and inf - inf would give nan where f is +inf.
    square = x * x
    return square * (square - 3.0) + x


def _double_well_slope(x):
    return 4.0 * x * x * x - 6.0 * x + 1.0


def _double_well_curvature(x):
    return 12.0 * x * x - 6.0


def _wavy(x):
    return np.sin(3.0 * x) + 0.1 * x * x


def _wavy_slope(x):
    return 3.0 * np.cos(3.0 * x) + 0.2 * x


def _wavy_curvature(x):
    return -9.0 * np.sin(3.0 * x) + 0.2


def _abs(x):
    return np.abs(x)


def _abs_slope(x):
    """Return sign(x), or nan at the kink x = 0 where |x| has no slope."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sign(x) / (x != 0)


def _abs_curvature(x):
    """Return 0, or nan at the kink x = 0."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (0.0 * x) / (x != 0)


def _cubic(x):
    return x * x * x


def _cubic_slope(x):
    return 3.0 * x * x


def _cubic_curvature(x):
    return 6.0 * x


def _exp(x):
    with np.errstate(over="ignore"):
        return np.exp(x)


_PRESET_LIST = [
    ("quadratic", QUADRATIC),
    (
        "shifted-bowl",
        Function(
            name="(x − 3)² + 1",
            formula="(x-3)^2 + 1",
            derivative_formula="2(x − 3)",
            f=_shifted_bowl,
            df=_shifted_bowl_slope,
            d2f=_two,
            x_range=(-6.0, 12.0),
            default_start=-5.0,
            caption="The bowl moved: the slope is 0 at x = 3, so that is "
            "where descent stops, not at 0.",
            quadratic_curvature=2.0,
        ),
    ),
    (
        "quartic",
        Function(
            name="x⁴",
            formula="x^4",
            derivative_formula="4x³",
            f=_quartic,
            df=_quartic_slope,
            d2f=_quartic_curvature,
            x_range=(-2.5, 2.5),
            default_start=2.0,
            caption="A flat bottom: the slope 4x³ vanishes fast near 0, so "
            "the steps shrink and convergence is slow.",
        ),
    ),
    (
        "double-well",
        Function(
            name="x⁴ − 3x² + x",
            formula="x^4 - 3x^2 + x",
            derivative_formula="4x³ − 6x + 1",
            f=_double_well,
            df=_double_well_slope,
            d2f=_double_well_curvature,
            x_range=(-2.5, 2.5),
            default_start=1.6,
            caption="Two minima: the start decides which one you reach, and "
            "from the right it is not the lower one.",
        ),
    ),
    (
        "wavy",
        Function(
            name="sin(3x) + 0.1x²",
            formula="sin(3x) + 0.1x^2",
            derivative_formula="3cos(3x) + 0.2x",
            f=_wavy,
            df=_wavy_slope,
            d2f=_wavy_curvature,
            x_range=(-9.0, 9.0),
            default_start=7.0,
            caption="Many local minima: descent stops in the nearest dip, "
            "rarely in the lowest one.",
        ),
    ),
    (
        "abs",
        Function(
            name="|x|",
            formula="abs(x)",
            derivative_formula="sign(x)",
            f=_abs,
            df=_abs_slope,
            d2f=_abs_curvature,
            x_range=(-9.0, 9.0),
            default_start=7.25,
            caption="A kink at 0: the slope jumps from −1 to 1, so a fixed "
            "step bounces around 0 and never settles.",
        ),
    ),
    (
        "cubic",
        Function(
            name="x³",
            formula="x^3",
            derivative_formula="3x²",
            f=_cubic,
            df=_cubic_slope,
            d2f=_cubic_curvature,
            x_range=(-3.0, 3.0),
            default_start=2.0,
            caption="The slope is 0 at x = 0, yet that is no minimum: from a "
            "start below 0 descent runs off to −∞.",
        ),
    ),
    (
        "exp",
        Function(
            name="eˣ",
            formula="e^x",
            derivative_formula="eˣ",
            f=_exp,
            df=_exp,
            d2f=_exp,
            x_range=(-6.0, 3.0),
            default_start=2.0,
            caption="No minimum: the slope fades toward 0 but never reaches "
            "it, so descent keeps sliding left.",
        ),
    ),
]

PRESETS: dict[str, Function] = dict(_PRESET_LIST)
"""Preset functions by slug, in the order a picker shows them."""

DEFAULT_PRESET = "quadratic"
"""Slug of the function the app starts with."""


def preset(slug: str) -> Function:
    """Return the preset named ``slug``, or raise ValueError naming the choices."""
    try:
        return PRESETS[slug]
    except KeyError:
        choices = ", ".join(PRESETS)
        raise ValueError(
            f"unknown preset {slug!r}; choose one of {choices}"
        ) from None


def slug_of(function: Function) -> str | None:
    """Return the slug of a preset function, or None for any other function."""
    for slug, candidate in PRESETS.items():
        if candidate is function:
            return slug
    return None
