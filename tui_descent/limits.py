"""Checks for the numbers a learner types, shared by the fields and options.

Each check takes text and returns the parsed value, or raises ValueError with
a message that names the value and states what is accepted. ``exact_text``
is the way back, from a value to the text of a field. This module imports
no textual, rich or plotext.
"""

from __future__ import annotations

import math

MAX_STEPS_LIMIT = 1_000_000
"""Largest step count accepted. The history of a run costs 24 bytes a step
for x, slope and f(x), plus the optimizer's state columns."""

MAX_ABS_START = 1e150
"""Largest |x0| accepted; matches the engine's divergence bound so the start
and its f(x) are finite and drawable."""


def exact_text(value: float | int) -> str:
    """Format a number with every digit, so that parsing the text gives it back.

    A field that shows this text re-applies exactly the same value on Enter,
    and two close values in a message never print the same. Only a trailing
    ".0" is dropped.
    """
    if isinstance(value, float):
        return repr(value).removesuffix(".0")
    return str(value)


def parse_float(text: str, what: str) -> float:
    """Parse a finite float, naming ``what`` in the ValueError if it is not one."""
    cleaned = text.strip().replace("_", "")
    if not cleaned:
        raise ValueError(f"{what} is empty; type a number such as 0.1")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(
            f"{what} {text.strip()!r} is not a number; type a number such as 0.1 or 1e-3"
        ) from None
    if math.isnan(value):
        raise ValueError(f"{what} cannot be nan; type a finite number")
    if math.isinf(value):
        raise ValueError(f"{what} cannot be infinite; type a finite number")
    return value


def check_start(text: str) -> float:
    """Parse a start point x0: any finite number with |x0| <= 1e150."""
    value = parse_float(text, "start")
    if abs(value) > MAX_ABS_START:
        raise ValueError(
            f"start {text.strip()} is too large; use a value between "
            f"-{MAX_ABS_START:g} and {MAX_ABS_START:g}"
        )
    return value


def check_learning_rate(text: str) -> float:
    """Parse a learning rate: any finite number.

    Zero and negative rates are accepted on purpose: the app shows what they
    do (nothing moves, or each step climbs uphill).
    """
    return parse_float(text, "learning rate")


def check_tolerance(text: str) -> float:
    """Parse a tolerance: a finite number >= 0."""
    value = parse_float(text, "tolerance")
    if value < 0:
        raise ValueError(
            f"tolerance {text.strip()} is negative; use 0 or a small positive "
            "number such as 1e-6"
        )
    return value


def _whole_float(text: str) -> int | None:
    """Return the whole number that ``text`` writes as a float, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value != int(value):
        return None
    return int(value)


def check_max_steps(text: str) -> int:
    """Parse a maximum step count: a whole number from 0 to 1,000,000.

    A whole number written with an exponent, such as 1e6, is accepted.
    """
    cleaned = text.strip().replace("_", "").replace(",", "")
    if not cleaned:
        raise ValueError("max steps is empty; type a whole number such as 50")
    try:
        value = int(cleaned)
    except ValueError:
        value = _whole_float(cleaned)
    if value is None:
        raise ValueError(
            f"max steps {text.strip()!r} is not a whole number; type one such as 50"
        )
    if not 0 <= value <= MAX_STEPS_LIMIT:
        raise ValueError(
            f"max steps {value} is out of range; use 0 to {MAX_STEPS_LIMIT:,}"
        )
    return value
