"""Functions of one variable that a run can descend, with their derivatives.

This module is part of the maths layer: it imports no textual, rich or plotext.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

RealFunction = Callable[[float], float]
"""A function of one real variable. Implementations built on numpy also accept
arrays, which the chart uses to draw the curve in one call."""


@dataclass(frozen=True)
class Function:
    """A differentiable function with what the app needs to teach with it."""

    name: str
    """Short name shown in titles and legends, such as ``x²``."""
    formula: str
    """f(x) as a learner would type it, such as ``x^2``."""
    derivative_formula: str
    """f'(x) in the same notation, such as ``2x``."""
    f: RealFunction
    df: RealFunction
    d2f: RealFunction | None = None
    """The second derivative, used by Newton's method; None where unknown."""
    x_range: tuple[float, float] = (-9.0, 9.0)
    """Default x-range of the chart."""
    default_start: float = 8.0
    caption: str = ""
    """One line on what this function teaches."""
    quadratic_curvature: float | None = None
    """f''(x) where it is a constant c > 0 (f is a parabola), else None.
    Plain gradient descent on such f diverges for any learning rate above 2/c."""

    def value_and_slope(self, x: float) -> tuple[float, float]:
        """Evaluate f(x) and f'(x) as Python floats, with overflow giving inf.

        Domain errors and overflow come back as nan or inf instead of raising,
        so a run can record the point and stop with a plain explanation.
        """
        # Imported here so that the command line and the first frame, which
        # need this module, do not wait for numpy.
        import numpy as np

        with np.errstate(all="ignore"):
            value = _evaluate(self.f, x)
            slope = _evaluate(self.df, x)
        return value, slope


def _evaluate(function: RealFunction, x: float) -> float:
    """Call ``function`` at ``x``: inf on overflow, nan where it is undefined."""
    try:
        return float(function(x))
    except OverflowError:
        return float("inf")
    except (ArithmeticError, ValueError, TypeError):
        # TypeError: float() of a complex result, such as a negative number
        # raised to a fractional power.
        return float("nan")


def _square(x):
    return x * x


def _double(x):
    return 2.0 * x


def _two(x):
    return 2.0 + 0.0 * x


QUADRATIC = Function(
    name="x²",
    formula="x^2",
    derivative_formula="2x",
    f=_square,
    df=_double,
    d2f=_two,
    x_range=(-9.0, 9.0),
    default_start=8.0,
    caption="A bowl with its minimum at x = 0: the classic first example.",
    quadratic_curvature=2.0,
)
"""f(x) = x², the default function."""
