"""Several runs on one function, stepped together; no app involved."""

import subprocess
import sys
from dataclasses import replace

import pytest

from tui_descent.comparison import MAX_RUNS, Comparison
from tui_descent.engine import RunSettings, StopReason
from tui_descent.functions import QUADRATIC
from tui_descent.optimizers import Adam, Momentum, Newton
from tui_descent.presets import PRESETS
from tui_descent.stepper import Stepper


def comparison_of(*rates, max_steps=50):
    """Build a comparison on x² from x0 = 8 with one run per learning rate."""
    comparison = Comparison(QUADRATIC, RunSettings(8.0, rates[0], max_steps, 1e-6))
    for rate in rates[1:]:
        comparison.add()
        comparison.apply(replace(comparison.settings, learning_rate=rate))
    comparison.select(0)
    return comparison


def test_new_comparison_has_one_run():
    comparison = Comparison()
    assert len(comparison.runs) == 1
    assert comparison.step == 0
    assert comparison.current == 0
    assert comparison.settings == RunSettings()


def test_forward_steps_every_run():
    comparison = comparison_of(0.1, 0.2)
    assert comparison.forward(3)
    # On x² each step multiplies x by 1 - 2η: 0.8 for η = 0.1, 0.6 for 0.2.
    assert comparison.runs[0].history.row(3)[0] == pytest.approx(8 * 0.8**3)
    assert comparison.runs[1].history.row(3)[0] == pytest.approx(8 * 0.6**3)
    assert comparison.step_of(0) == 3
    assert comparison.step_of(1) == 3


def test_stopped_run_stays_on_last_step():
    comparison = comparison_of(0.1, 0.5)
    comparison.forward(5)
    # η = 0.5 lands on 0 in one step and converges there.
    assert comparison.runs[1].stop_reason is StopReason.CONVERGED
    assert comparison.step == 5
    assert comparison.step_of(0) == 5
    assert comparison.step_of(1) == 1
    comparison.select(1)
    assert comparison.current == 1


def test_forward_stops_at_longest_run():
    comparison = comparison_of(0.5, 0.25)
    # η = 0.25 halves x; |f'(x_k)| = 16 * 0.5^k falls below 1e-6 at k = 24.
    assert comparison.forward(30)
    assert comparison.step == 24
    assert comparison.at_end
    assert not comparison.forward()
    assert comparison.step == 24


def test_back_and_reset_move_shared_step():
    comparison = comparison_of(0.1, 0.5)
    comparison.forward(4)
    assert comparison.back(3)
    assert comparison.step == 1
    assert not comparison.back(0)
    comparison.reset()
    assert comparison.step == 0
    assert not comparison.back()


def test_to_end_in_chunks_finishes_every_run():
    comparison = comparison_of(0.1, 0.5)
    assert not comparison.to_end(20)
    assert comparison.step == 20
    assert not comparison.at_end
    assert not comparison.to_end(20)
    assert comparison.to_end(20)
    assert comparison.step == 50
    assert comparison.runs[0].stop_reason is StopReason.MAX_STEPS
    assert comparison.runs[1].last_step == 1
    assert comparison.at_end


def test_add_copies_selected_settings():
    comparison = comparison_of(0.3)
    comparison.forward(2)
    assert comparison.add()
    assert comparison.selected == 1
    assert comparison.settings == comparison.runs[0].settings
    assert comparison.runs[1] is not comparison.runs[0]
    # The copy is computed up to k, so it shows the same step at once.
    assert comparison.runs[1].last_step == 2
    assert comparison.current == 2


def test_add_stops_at_four_runs():
    comparison = Comparison()
    for _ in range(MAX_RUNS - 1):
        assert comparison.add()
    assert len(comparison.runs) == MAX_RUNS
    assert not comparison.add()
    assert len(comparison.runs) == MAX_RUNS
    assert comparison.selected == MAX_RUNS - 1


def test_remove_never_leaves_no_run():
    comparison = Comparison()
    assert not comparison.remove()
    assert not comparison.remove(0)
    assert len(comparison.runs) == 1


def test_remove_out_of_range_changes_nothing():
    comparison = comparison_of(0.1, 0.2)
    assert not comparison.remove(2)
    assert not comparison.remove(-1)
    assert len(comparison.runs) == 2


def test_remove_before_selected_keeps_selection():
    comparison = comparison_of(0.1, 0.2, 0.3)
    comparison.select(2)
    selected = comparison.run
    assert comparison.remove(0)
    assert comparison.selected == 1
    assert comparison.run is selected


def test_remove_selected_moves_selection():
    comparison = comparison_of(0.1, 0.2, 0.3)
    comparison.select(2)
    assert comparison.remove()
    assert comparison.selected == 1
    assert comparison.settings.learning_rate == 0.2
    comparison.select(0)
    assert comparison.remove()
    assert comparison.selected == 0
    assert comparison.settings.learning_rate == 0.2


def test_remove_clamps_step_to_remaining_runs():
    comparison = comparison_of(0.1, 0.5)
    comparison.forward(10)
    assert comparison.remove(0)
    assert comparison.step == 1
    assert comparison.current == 1


def test_select_checks_bounds():
    comparison = comparison_of(0.1, 0.2)
    assert comparison.select(1)
    assert comparison.selected == 1
    assert not comparison.select(2)
    assert not comparison.select(-1)
    assert comparison.selected == 1


def test_select_next_wraps():
    comparison = comparison_of(0.1, 0.2, 0.3)
    seen = []
    for _ in range(4):
        comparison.select_next()
        seen.append(comparison.selected)
    assert seen == [1, 2, 0, 1]


def test_apply_restarts_selected_run_only():
    comparison = comparison_of(0.1, 0.2)
    comparison.forward(5)
    other = comparison.runs[1]
    comparison.apply(replace(comparison.settings, optimizer=Adam()))
    assert comparison.step == 0
    assert comparison.runs[0].settings.optimizer == Adam()
    assert comparison.runs[1] is other


def test_new_function_restarts_every_run():
    comparison = comparison_of(0.1, 0.2)
    comparison.select(1)
    comparison.apply(replace(comparison.settings, optimizer=Momentum()))
    well = PRESETS["double-well"]
    comparison.apply(replace(comparison.settings, start=1.6), well)
    assert [run.function for run in comparison.runs] == [well, well]
    assert [run.settings.start for run in comparison.runs] == [1.6, 1.6]
    assert comparison.runs[0].settings.learning_rate == 0.1
    assert comparison.runs[1].settings.optimizer == Momentum()


def test_labels_name_what_differs():
    comparison = comparison_of(0.1, 0.5)
    comparison.add()
    comparison.apply(replace(comparison.settings, optimizer=Momentum(beta=0.5)))
    comparison.add()
    comparison.apply(replace(comparison.settings, optimizer=Newton(), start=3.0))
    labels = [comparison.label(index) for index in range(4)]
    assert labels[0] == "1 GD η=0.1 x0=8"
    assert labels[1] == "2 GD η=0.5 x0=8"
    # Run 3 started as a copy of run 1, the one selected at the time.
    assert labels[2] == "3 momentum β=0.5 η=0.1 x0=8"
    # Newton's method ignores η, so its label leaves it out.
    assert labels[3] == "4 Newton x0=3"


def test_labels_leave_out_shared_rate():
    comparison = comparison_of(0.1)
    comparison.add()
    comparison.apply(replace(comparison.settings, optimizer=Adam()))
    comparison.add()
    comparison.apply(replace(comparison.settings, optimizer=Newton()))
    labels = [comparison.label(index) for index in range(3)]
    assert labels == ["1 GD", "2 Adam", "3 Newton"]


def test_paths_give_each_run_its_step():
    comparison = comparison_of(0.1, 0.5)
    comparison.forward(3)
    paths = comparison.paths()
    assert [label for label, _, _ in paths] == ["1 GD η=0.1", "2 GD η=0.5"]
    assert [step for _, _, step in paths] == [3, 1]
    assert paths[1][1] is comparison.runs[1].history


def test_summary_rows_name_stop_reasons():
    comparison = comparison_of(0.1, 0.5, 1.0, 1.5, max_steps=600)
    comparison.to_end()
    rows = comparison.summary()
    assert [row.index for row in rows] == [0, 1, 2, 3]
    # η = 0.1: |f'(x_k)| = 16 * 0.8^k falls below 1e-6 at k = 75.
    assert rows[0].step == 75
    assert rows[0].stop_reason is StopReason.CONVERGED
    assert rows[0].x == pytest.approx(8 * 0.8**75)
    assert rows[0].value == pytest.approx((8 * 0.8**75) ** 2)
    # η = 0.5 lands on the minimum in one step.
    assert rows[1].step == 1
    assert rows[1].x == 0.0
    assert rows[1].state == "converged"
    # η = 1 bounces between 8 and -8 until max steps.
    assert rows[2].step == 600
    assert rows[2].stop_reason is StopReason.MAX_STEPS
    assert rows[2].x == 8.0
    # η = 1.5 multiplies x by -2 a step; 8 * 2^k passes 1e150 at k = 496.
    assert rows[3].step == 496
    assert rows[3].stop_reason is StopReason.DIVERGED
    assert rows[3].state == "diverged"


def test_summary_before_the_end_is_running():
    comparison = comparison_of(0.1, 0.5)
    comparison.forward(1)
    comparison.back()
    rows = comparison.summary()
    # At k = 0 neither run has reached its last step.
    assert [row.stop_reason for row in rows] == [StopReason.RUNNING] * 2
    assert [row.state for row in rows] == ["starting", "starting"]


def test_double_well_optimizers_end_differently():
    well = PRESETS["double-well"]
    comparison = Comparison(well, RunSettings(1.6, 0.1, 50, 1e-6))
    for optimizer in (Momentum(), Adam()):
        comparison.add()
        comparison.apply(replace(comparison.settings, optimizer=optimizer))
    comparison.to_end()
    rows = comparison.summary()
    # All three share η = 0.1, so the labels leave it out.
    assert [row.label for row in rows] == ["1 GD", "2 momentum", "3 Adam"]
    assert rows[0].stop_reason is StopReason.CONVERGED
    assert rows[0].state == "stuck in a local minimum"
    assert rows[0].x == pytest.approx(1.1309, abs=1e-4)


def test_stepper_scales_selected_rate_only():
    stepper = Stepper(QUADRATIC, RunSettings(8.0, 0.1, 50, 1e-6))
    stepper.add()
    assert stepper.scale_learning_rate(2)
    assert stepper.runs[1].settings.learning_rate == pytest.approx(0.2)
    assert stepper.runs[0].settings.learning_rate == 0.1
    assert not stepper.scale_learning_rate(1e301)


@pytest.mark.parametrize(
    "module", ["tui_descent.comparison", "tui_descent.hyperparameters", "tui_descent.stationary"]
)
def test_module_imports_no_ui(module):
    # A fresh interpreter, because this test session may have imported textual.
    code = (
        f"import sys, {module}\n"
        "ui = ('textual', 'rich', 'plotext', 'textual_plotext')\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ui)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
