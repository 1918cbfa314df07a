"""SVG snapshots of the main screen at fixed terminal sizes.

Update them after an intended change with ``pytest --snapshot-update``.
"""

import pytest

from tui_descent.app import DescentApp
from tui_descent.engine import RunSettings


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_screen_after_six_steps(snap_compare, size):
    assert snap_compare(DescentApp(), press=["n"] * 6, terminal_size=size)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_main_screen_oscillating(snap_compare, size):
    app = DescentApp(settings=RunSettings(8.0, 0.9, 50, 1e-6))
    assert snap_compare(app, press=["n"] * 5, terminal_size=size)


def test_help_screen(snap_compare):
    assert snap_compare(DescentApp(), press=["question_mark"], terminal_size=(80, 24))
