"""The maths layer imports no textual, rich or plotext."""

import subprocess
import sys

import pytest

MATHS_MODULES = [
    "tui_descent.engine",
    "tui_descent.bulk_descent",
    "tui_descent.run_settings",
    "tui_descent.history",
    "tui_descent.trend",
    "tui_descent.sessions",
    "tui_descent.session_runs",
    "tui_descent.saved_state",
    "tui_descent.session_fields",
    "tui_descent.comparison",
    "tui_descent.hyperparameters",
    "tui_descent.stationary",
    "tui_descent.optimizer_options",
    "tui_descent.functions",
    "tui_descent.numbers",
    "tui_descent.limits",
    "tui_descent.stepper",
    "tui_descent.behaviour",
    "tui_descent.chart_view",
    "tui_descent.expressions",
    "tui_descent.presets",
    "tui_descent.preset_slugs",
    "tui_descent.optimizers",
    "tui_descent.schedules",
    "tui_descent.export",
]

UI_PACKAGES = ("textual", "rich", "plotext", "textual_plotext")


@pytest.mark.parametrize("module", MATHS_MODULES)
def test_maths_module_imports_no_ui(module):
    # A fresh interpreter, because this test session has imported textual.
    code = (
        f"import sys, {module}\n"
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] in {UI_PACKAGES!r})\n"
        "print(','.join(loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
