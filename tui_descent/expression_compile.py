"""Compile sympy expressions of x into callables that return nan, not raise.

The |x| of a typed f(x) is built as RealAbs, whose derivative is KinkSign and
then KinkDelta. Unlike sympy's Abs of an argument that sympy cannot prove
real, these follow the plain chain rule (d|u|/dx = sign(u)·u'), and the
compiled code makes the sign nan at 0, where |u| has no slope.

This module is part of the maths layer: it imports no textual, rich or plotext.
sympy is imported inside the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import functools
import math

import numpy as np

from .expression_syntax import ExpressionError


@functools.cache
def kink_functions():
    """Return the sympy classes RealAbs, KinkSign and KinkDelta."""
    import sympy

    class KinkDelta(sympy.Function):
        """The slope of sign(u): 0 where u ≠ 0, undefined where u = 0."""

        nargs = 1

    class KinkSign(sympy.Function):
        """sign(u), undefined where u = 0."""

        nargs = 1

        def fdiff(self, argindex=1):
            return 2 * KinkDelta(self.args[0])

        @classmethod
        def eval(cls, arg):
            if arg.is_extended_positive:
                return sympy.S.One
            if arg.is_extended_negative:
                return sympy.S.NegativeOne
            return None

    class RealAbs(sympy.Function):
        """|u| for real u, with the derivative sign(u)·u'."""

        nargs = 1

        def fdiff(self, argindex=1):
            return KinkSign(self.args[0])

        @classmethod
        def eval(cls, arg):
            if arg.is_extended_nonnegative:
                return arg
            if arg.is_extended_nonpositive:
                return -arg
            return None

    return RealAbs, KinkSign, KinkDelta


def _kink_sign(value, *_):
    """Return the sign of a float, or nan at 0 where |x| has no slope."""
    # NOTE: a product that hides the kink, such as x·|x| (slope 0 at 0), is
    # also reported as undefined at 0, because f' = x·sign(x) + |x| is.
    if value == 0 or value != value:
        return math.nan
    return math.copysign(1.0, value)


def _kink_delta(value, *_):
    """Return 0, the slope of sign(x), or nan at 0 where it is undefined."""
    return math.nan if value == 0 or value != value else 0.0


def _kink_sign_array(value, *_):
    return np.where(value == 0, np.nan, np.sign(value))


def _kink_delta_array(value, *_):
    return np.where((value == 0) | np.isnan(value), np.nan, 0.0 * value)


class CompiledFunction:
    """f, f' or f'' compiled once: math-module code for floats, numpy for arrays.

    Calls with a float run the math code, which skips numpy's per-call
    overhead and the np.errstate guard around it. Where it raises or returns a
    complex number (log(-1), x^(1/3) at x < 0, overflow), the float is evaluated
    again with numpy, which returns nan or inf instead. So every call returns
    a real float or an array of them: nan where undefined, inf on overflow.
    """

    def __init__(self, scalar, array) -> None:
        self._scalar = scalar
        self._array = array

    def __call__(self, x):
        """Evaluate at a float, or elementwise at an array."""
        if isinstance(x, (int, float)):
            try:
                value = self._scalar(x)
            except (ArithmeticError, ValueError, TypeError):
                value = None
            if isinstance(value, (int, float)):
                return float(value)
            return float(self._evaluate_array(np.float64(x)))
        return self._evaluate_array(np.asarray(x, dtype=float))

    def _evaluate_array(self, x):
        with np.errstate(all="ignore"):
            result = np.asarray(self._array(x), dtype=float)
            # A constant f returns one number whatever x is, so broadcast it.
            return result + np.zeros_like(x)


def _prepare_for_numbers(expr, sympy):
    """Swap sympy's kink functions for ours and big integers for floats.

    sympy writes sign(0) as 0, but |x| has no slope at its kink, so the
    compiled code uses a sign that is nan at 0. Integers past 2^53 become
    floats so that numpy never meets a Python int it cannot convert.
    """
    real_abs, kink_sign, kink_delta = kink_functions()
    expr = expr.replace(sympy.Abs, real_abs)
    expr = expr.replace(sympy.sign, kink_sign)
    expr = expr.replace(sympy.DiracDelta, kink_delta)
    big = {
        number: sympy.Float(number)
        for number in expr.atoms(sympy.Rational)
        if max(abs(number.p), number.q) > 2**53
    }
    return expr.xreplace(big)


_SCALAR_NAMES = {
    "RealAbs": abs,
    "KinkSign": _kink_sign,
    "KinkDelta": _kink_delta,
}
_ARRAY_NAMES = {
    "RealAbs": np.abs,
    "KinkSign": _kink_sign_array,
    "KinkDelta": _kink_delta_array,
}


def compile_expression(expr, x) -> CompiledFunction:
    """Compile a sympy expression of ``x``, or raise ExpressionError.

    Raises where a constant overflows a float or sympy cannot write the
    expression as code (an unevaluated derivative, for instance).
    """
    import sympy

    expr = _prepare_for_numbers(expr, sympy)
    for number in expr.atoms(sympy.Number):
        if not math.isfinite(float(number)):
            raise ExpressionError(
                f"f(x) or its derivatives contain the constant "
                f"{sympy.Float(number, 3)}, which is too large for a float; "
                "use smaller numbers"
            )
    try:
        scalar = sympy.lambdify(x, expr, modules=[_SCALAR_NAMES, "math"])
        array = sympy.lambdify(x, expr, modules=[_ARRAY_NAMES, "numpy"])
    except (ValueError, TypeError, NotImplementedError) as error:
        raise ExpressionError(
            f"sympy could not compile {expr} ({error}); simplify f(x)"
        ) from error
    return CompiledFunction(scalar, array)
