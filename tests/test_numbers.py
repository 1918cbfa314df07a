"""Number formatting for the table, the status line and batch output."""

import math

import pytest

from tui_descent.limits import check_max_steps
from tui_descent.numbers import format_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.1, "0.1"),
        (8.0, "8"),
        (2.62144, "2.62144"),
        (6.871947673600001, "6.87195"),
        (0.0, "0"),
        (-0.0, "0"),
        (123456789.0, "1.235e8"),
        (0.00001234, "1.234e-5"),
        (1e-320, "1e-320"),
        (1e308, "1e308"),
        (-1.0031740622916407e150, "-1.003e150"),
        (999999.7, "1e6"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
    ],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


def test_format_number_ten_digits_carry():
    assert format_number(9999999999.7, digits=10) == "1e10"


@pytest.mark.parametrize(
    ("text", "steps"), [("1e6", 1_000_000), ("2.5e2", 250), (" 1_000 ", 1000), ("0", 0)]
)
def test_max_steps_accepts_whole_numbers_in_any_notation(text, steps):
    assert check_max_steps(text) == steps
