"""Turn a typed f(x) into a Function with exact, compiled derivatives.

expression_syntax parses the text without eval into a tree. Here the tree is
checked constant by constant (huge powers, division by zero, values that are
not real) before sympy builds the expression, so nothing typed can make sympy
hang or fill memory. sympy then works out f' and f'' exactly, formula_text
writes them readably and lambdify compiles them for floats and numpy arrays.
sympy is imported on the first parse, not with this module.

This module is part of the maths layer: it imports no textual, rich or plotext.
"""

from __future__ import annotations

import math

import numpy as np

from .expression_compile import CompiledFunction, compile_expression, kink_functions
from .expression_syntax import (
    CONSTANTS,
    FUNCTION_NAMES,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NUMBER_CHARS,
    ExpressionError,
    Node,
    parse_tree,
)
from .formula_text import format_formula
from .functions import Function

__all__ = [
    "FUNCTION_NAMES",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "MAX_NUMBER_CHARS",
    "CompiledFunction",
    "ExpressionError",
    "format_formula",
    "parse_function",
]

MAX_EXPONENT = 1000
"""Largest |exponent| accepted where the exponent is a constant."""
MAX_SLOPE_NODES = 300
"""Largest f'(x) accepted, counted in sympy tree nodes.

The cost of the second derivative and of compiling grows quickly with this
size: (x+1)(x+2)...(x+16) has an f' of 737 nodes and an f'' of 5281."""
MAX_NODES_FOR_CURVATURE = 120
"""Largest f'(x), in sympy tree nodes, whose f''(x) is worked out. Beyond it
d2f is None, which keeps every parse well under a second (an estimate from
towers such as x^x^x^x^x^x^x^x and long products on a 2-core machine)."""


def parse_function(text: str) -> Function:
    """Parse a typed f(x) into a Function with exact f' and f''.

    Raises ExpressionError, a ValueError, with the column of the first problem.
    """
    tree = parse_tree(text)
    return _build_function(text, tree)


_MATH_FUNCTIONS = {
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "sinh": math.sinh,
    "cosh": math.cosh,
    "tanh": math.tanh,
    "exp": math.exp,
    "log": math.log,
    "ln": math.log,
    "sqrt": math.sqrt,
    "abs": abs,
}
_SYMPY_NAMES = {"ln": "log"}


class _SympyBuilder:
    """Build the sympy expression of a tree, checking every constant first.

    Each constant subtree is evaluated with floats before sympy builds it, so
    a huge power such as 9^9^9 is rejected instead of computed exactly.
    """

    def __init__(self, text: str) -> None:
        import sympy

        self.sympy = sympy
        self.x = sympy.Symbol("x", real=True)
        self.text = text

    def build(self, node: Node):
        """Return the sympy expression of ``node`` and its float or None."""
        built = [self.build(child) for child in node.children]
        values = [value for _, value in built]
        value = self._estimate(node, values)
        return self._combine(node, [expr for expr, _ in built]), value

    def _fail(self, node: Node, problem: str) -> ExpressionError:
        snippet = self.text[node.start - 1 : node.end - 1]
        return ExpressionError(f"{snippet!r} at column {node.start} {problem}")

    def _estimate(self, node: Node, values: list[float | None]) -> float | None:
        """Evaluate a constant node with floats; None where it depends on x."""
        if node.kind in ("/", "^") and values[1] is not None:
            self._check_right_operand(node, values[1])
        if node.kind == "x" or None in values:
            return None
        try:
            value = self._evaluate(node, values)
        except ZeroDivisionError:
            raise self._fail(node, "divides by zero") from None
        except OverflowError:
            value = math.inf
        except ValueError:
            value = math.nan
        if isinstance(value, complex) or math.isnan(value):
            raise self._fail(node, "is not a real number")
        if math.isinf(value):
            raise self._fail(node, "is too large for a float; use smaller numbers")
        return value

    def _check_right_operand(self, node: Node, value: float) -> None:
        if node.kind == "/" and value == 0:
            raise self._fail(node, "divides by zero")
        if node.kind == "^" and not abs(value) <= MAX_EXPONENT:
            raise self._fail(
                node,
                f"has too large an exponent; use exponents between "
                f"-{MAX_EXPONENT} and {MAX_EXPONENT}",
            )

    def _evaluate(self, node: Node, values: list) -> float | complex:
        kind = node.kind
        if kind == "num":
            return float(node.text)
        if kind == "const":
            return CONSTANTS[node.text]
        if kind == "neg":
            return -values[0]
        if kind == "call":
            return _MATH_FUNCTIONS[node.text](values[0])
        left, right = values
        if kind == "+":
            return left + right
        if kind == "-":
            return left - right
        if kind == "*":
            return left * right
        if kind == "/":
            return left / right
        return left**right

    def _combine(self, node: Node, children: list):
        sympy = self.sympy
        kind = node.kind
        if kind == "num":
            if node.text.isdigit():
                return sympy.Integer(node.text)
            return sympy.Float(node.text)
        if kind == "x":
            return self.x
        if kind == "const":
            return sympy.E if node.text == "e" else sympy.pi
        if kind == "neg":
            return -children[0]
        if kind == "call" and node.text == "abs":
            real_abs, _, _ = kink_functions()
            return real_abs(children[0])
        if kind == "call":
            name = _SYMPY_NAMES.get(node.text, node.text)
            return getattr(sympy, name)(children[0])
        left, right = children
        operations = {
            "+": lambda: left + right,
            "-": lambda: left - right,
            "*": lambda: left * right,
            "/": lambda: left / right,
            "^": lambda: left**right,
        }
        return operations[kind]()


def _choose_range(function: CompiledFunction, slope: CompiledFunction):
    """Return the x-range where f and f' are finite, and a start point in it.

    The range spans the finite samples of a 361-point grid over [-9, 9], so
    log(x) gets [0.05, 9]. The start is the finite sample nearest 17/18 of the
    way across, which is 8 for the full grid, as for the default x².
    """
    xs = np.arange(-180, 181) / 20
    finite = np.isfinite(function(xs)) & np.isfinite(slope(xs))
    if np.count_nonzero(finite) < 2:
        raise ExpressionError(
            "f(x) or f'(x) has no real value for -9 ≤ x ≤ 9; "
            "choose a function defined there"
        )
    low, high = float(xs[finite].min()), float(xs[finite].max())
    target = low + (high - low) * 17 / 18
    start = float(xs[finite][np.argmin(np.abs(xs[finite] - target))])
    return (low, high), start


def _check_defined(expr, sympy, what: str) -> None:
    if expr.has(sympy.I, sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        raise ExpressionError(
            f"{what} is undefined for every x (sympy gives {expr}); "
            "check for a division by zero or a power of 0"
        )
    if expr.has(sympy.Derivative):
        raise ExpressionError(
            f"sympy could not work out {what} as a formula; simplify f(x)"
        )


def _count_nodes(expr, sympy) -> int:
    return sum(1 for _ in sympy.preorder_traversal(expr))


def _differentiate(expr, x, sympy):
    """Return f' and f'', or f' and None where f'' would cost too much."""
    slope = sympy.diff(expr, x)
    _check_defined(slope, sympy, "f'(x)")
    size = _count_nodes(slope, sympy)
    if size > MAX_SLOPE_NODES:
        raise ExpressionError(
            f"f(x) is too complex: f'(x) has {size} parts and the limit is "
            f"{MAX_SLOPE_NODES}; type a shorter formula"
        )
    if size > MAX_NODES_FOR_CURVATURE:
        return slope, None
    curvature = sympy.diff(slope, x)
    undefined = (sympy.I, sympy.zoo, sympy.oo, -sympy.oo, sympy.nan)
    if curvature.has(*undefined, sympy.Derivative):
        return slope, None
    return slope, curvature


def _build_function(text: str, tree: Node) -> Function:
    builder = _SympyBuilder(text)
    sympy, x = builder.sympy, builder.x
    expr, _ = builder.build(tree)
    # sympy turns sqrt(x^2) into its own Abs(x), which needs our chain rule too.
    expr = expr.replace(sympy.Abs, kink_functions()[0])
    _check_defined(expr, sympy, "f(x)")
    slope_expr, curvature_expr = _differentiate(expr, x, sympy)
    f = compile_expression(expr, x)
    df = compile_expression(slope_expr, x)
    d2f = None if curvature_expr is None else compile_expression(curvature_expr, x)
    x_range, start = _choose_range(f, df)
    curvature = None
    if curvature_expr is not None and curvature_expr.is_Number:
        if curvature_expr > 0:
            curvature = float(curvature_expr)
    return Function(
        name=format_formula(expr),
        formula=text.strip(),
        derivative_formula=format_formula(slope_expr),
        f=f,
        df=df,
        d2f=d2f,
        x_range=x_range,
        default_start=start,
        quadratic_curvature=curvature,
    )
