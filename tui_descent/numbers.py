"""Number formatting shared by the table, the status line and batch output.

This module imports no textual, rich or plotext.
"""

from __future__ import annotations

import math


def format_number(value: float, digits: int = 6) -> str:
    """Format a float in at most about ``digits + 6`` characters.

    Huge and tiny magnitudes, which fixed notation would make long or round
    to zero, switch to scientific notation. nan and inf are spelled out, so
    that no one mistakes them for numbers.
    """
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if 1e-4 <= magnitude < 10**digits:
        text = f"{value:.{digits}g}"
        # Rounding can carry past 10**digits (999999.7 at 6 digits gives
        # "1e+06"); such values take the scientific branch below instead.
        if "e" not in text:
            return text
    text = f"{value:.{max(digits - 3, 1)}e}"
    mantissa, exponent = text.split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent)}"
