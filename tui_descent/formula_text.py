"""Write sympy expressions as one readable line, such as ``3x² − 2``.

This module is part of the maths layer: it imports no textual, rich or plotext.
sympy itself is imported inside the functions, so importing this module stays
cheap.
"""

from __future__ import annotations

import re

from .numbers import format_number

_SUPERSCRIPT_OF = str.maketrans("0123456789−x", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ˣ")
_SUPERSCRIPTABLE = re.compile(r"−?[0-9]*x?")
_FUNCTION_NAMES = {"KinkSign": "sign", "KinkDelta": "δ"}
"""Display names of the kink functions that expression_compile defines."""


def format_formula(expr) -> str:
    """Write a sympy expression as one readable line, such as ``3x² − 2``.

    Products of a number and a factor are juxtaposed (``2x``), other factors
    are joined by ``·``, small integer powers of x use superscripts, and
    negative powers move under a ``/``.
    """
    import sympy

    if expr.is_Add:
        return _format_sum(expr)
    if expr.is_Mul:
        return _format_product(expr)
    if expr.is_Pow:
        return _format_power(expr.base, expr.exp)
    if isinstance(expr, sympy.exp):
        return _format_power(sympy.E, expr.args[0])
    if expr.is_Number:
        return _format_number(expr)
    if expr is sympy.E:
        return "e"
    if expr is sympy.pi:
        return "π"
    name = type(expr).__name__
    if isinstance(expr, sympy.Abs) or name == "RealAbs":
        return f"|{format_formula(expr.args[0])}|"
    if expr.is_Function:
        arguments = ", ".join(format_formula(arg) for arg in expr.args)
        return f"{_FUNCTION_NAMES.get(name, name)}({arguments})"
    return str(expr)


def _format_number(number) -> str:
    if number.is_Rational and max(abs(number.p), number.q) < 10**12:
        return str(number).replace("-", "−")
    return format_number(float(number), 10).replace("-", "−")


def _format_sum(expr) -> str:
    terms = expr.as_ordered_terms()
    text = format_formula(terms[0])
    for term in terms[1:]:
        if term.could_extract_minus_sign():
            text += " − " + format_formula(-term)
        else:
            text += " + " + format_formula(term)
    return text


def _format_factor(factor) -> str:
    text = format_formula(factor)
    return f"({text})" if factor.is_Add else text


def _format_product(expr) -> str:
    import sympy

    coefficient, rest = expr.as_coeff_Mul()
    sign = "−" if coefficient < 0 else ""
    coefficient = abs(coefficient)
    numerator, denominator = [], []
    for factor in rest.as_ordered_factors():
        if factor.is_Pow and factor.exp.is_number and factor.exp.is_negative:
            denominator.append(factor.base ** (-factor.exp))
        else:
            numerator.append(factor)
    if coefficient.is_Rational and coefficient.q != 1:
        denominator.insert(0, sympy.Integer(coefficient.q))
        coefficient = sympy.Integer(coefficient.p)
    top = "·".join(_format_factor(factor) for factor in numerator)
    if coefficient != 1 or not top:
        number = _format_number(coefficient)
        joiner = "·" if top[:1].isdigit() or "e" in number else ""
        top = number + joiner + top if top else number
    if not denominator:
        return sign + top
    product = sympy.Mul(*denominator)
    bottom = format_formula(product)
    if product.is_Mul or product.is_Add:
        bottom = f"({bottom})"
    return f"{sign}{top}/{bottom}"


def _format_power(base, exponent) -> str:
    import sympy

    if exponent == sympy.Rational(1, 2):
        inner = format_formula(base)
        return "√" + (inner if base.is_Atom or base.is_Function else f"({inner})")
    if exponent.is_number and exponent.is_negative and base is not sympy.E:
        positive = base**-exponent
        text = format_formula(positive)
        if not (positive.is_Atom or positive.is_Function or positive.is_Pow):
            text = f"({text})"
        return "1/" + text
    base_text = format_formula(base)
    if not (base.is_Symbol or base.is_Function or base is sympy.E) and not (
        base.is_Integer and base > 0
    ):
        base_text = f"({base_text})"
    exponent_text = format_formula(exponent)
    if _SUPERSCRIPTABLE.fullmatch(exponent_text) and exponent_text != "−":
        return base_text + exponent_text.translate(_SUPERSCRIPT_OF)
    if not (exponent.is_Symbol or (exponent.is_Integer or exponent.is_Float)):
        exponent_text = f"({exponent_text})"
    return f"{base_text}^{exponent_text}"
