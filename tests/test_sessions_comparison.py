"""Session files that contain every run of a side-by-side comparison.

Quadratic runs have exact values: gradient descent on x² from 8 gives
x_k = 8 (1 - 2η)^k, so η = 0.1 gives 8·0.8^k, η = 0.25 gives 8·0.5^k, and
η = 0.5 lands on 0 at step 1, where the slope is 0 and the run converges.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tui_descent.comparison import Comparison
from tui_descent.engine import Run, RunSettings, StopReason
from tui_descent.export import save_session
from tui_descent.functions import QUADRATIC
from tui_descent.optimizers import Adam, Momentum
from tui_descent.session_runs import comparison_text, save_comparison
from tui_descent.sessions import SessionError, load_session
from tui_descent.stepper import Stepper


def three_runs(step: int = 6, selected: int = 1) -> Stepper:
    """Return η = 0.1, η = 0.05 with momentum, and η = 0.5 at ``step``."""
    stepper = Stepper(QUADRATIC, RunSettings(learning_rate=0.1, max_steps=40))
    stepper.add()
    stepper.apply(
        RunSettings(learning_rate=0.05, max_steps=40, optimizer=Momentum(beta=0.5))
    )
    stepper.add()
    stepper.apply(RunSettings(learning_rate=0.5, max_steps=40))
    stepper.forward(step)
    stepper.select(selected)
    return stepper


def saved(tmp_path, stepper: Stepper, **options) -> dict:
    path = tmp_path / "comparison.json"
    save_comparison(path, stepper, **options)
    return json.loads(path.read_text(encoding="utf-8"))


def load_document(tmp_path, document: dict):
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return load_session(path)


def load_error(tmp_path, document: dict) -> str:
    with pytest.raises(SessionError) as caught:
        load_document(tmp_path, document)
    return str(caught.value)


# Writing


def test_comparison_file_lists_every_run(tmp_path):
    document = saved(tmp_path, three_runs())
    assert document["selected_run"] == 1
    assert document["shared_step"] == 6
    assert [entry["settings"]["learning_rate"] for entry in document["runs"]] == [
        0.1,
        0.05,
        0.5,
    ]
    assert document["runs"][1]["settings"]["optimizer"] == {
        "kind": "momentum",
        "beta": 0.5,
    }
    assert document["runs"][2]["stop_reason"] == "converged"
    assert document["runs"][2]["last_step"] == 1


def test_top_level_describes_selected_run(tmp_path):
    document = saved(tmp_path, three_runs())
    assert document["settings"]["learning_rate"] == 0.05
    assert document["current_step"] == 6
    assert len(document["history"]["x"]) == 7


def test_one_run_file_has_no_comparison_fields(tmp_path):
    stepper = Stepper(QUADRATIC, RunSettings(learning_rate=0.1))
    stepper.forward(3)
    document = saved(tmp_path, stepper)
    for name in ("runs", "selected_run", "shared_step"):
        assert name not in document


def test_text_without_history_is_small():
    text = comparison_text(three_runs(), with_history=False)
    document = json.loads(text)
    assert "history" not in document
    assert len(document["runs"]) == 3
    assert len(text) < 4000


# Loading


def test_round_trip_restores_every_run(tmp_path):
    original = three_runs()
    path = tmp_path / "comparison.json"
    save_comparison(path, original)

    session = load_session(path)

    assert session.warnings == ()
    assert [run.settings for run in session.runs] == [
        run.settings for run in original.runs
    ]
    assert session.selected == 1
    assert session.shared_step == 6
    assert session.current_step == 6
    assert session.run is session.runs[1]
    assert session.settings.learning_rate == 0.05
    for loaded, run in zip(session.runs, original.runs, strict=True):
        np.testing.assert_array_equal(
            loaded.history.columns()["x"], run.history.columns()["x"]
        )


def test_run_stopped_early_keeps_last_step(tmp_path):
    path = tmp_path / "comparison.json"
    save_comparison(path, three_runs(step=6, selected=2))

    session = load_session(path)

    assert session.selected == 2
    assert session.shared_step == 6
    assert session.current_step == 1
    assert session.run.stop_reason is StopReason.CONVERGED
    assert session.runs[0].history.row(6)[0] == pytest.approx(8 * 0.8**6)


def test_file_without_history_recomputes_runs(tmp_path):
    path = tmp_path / "compact.json"
    path.write_text(comparison_text(three_runs(), with_history=False), encoding="utf-8")

    session = load_session(path)

    assert session.warnings == ()
    assert len(session.runs) == 3
    assert session.runs[0].history.row(6)[0] == pytest.approx(8 * 0.8**6)
    assert session.runs[2].history.row(1)[0] == 0.0


def test_apply_to_replaces_runs_on_screen(tmp_path):
    path = tmp_path / "comparison.json"
    save_comparison(path, three_runs())
    stepper = Stepper(QUADRATIC, RunSettings(learning_rate=0.3))
    stepper.add()
    stepper.add()
    stepper.add()

    load_session(path).apply_to(stepper)

    assert [run.settings.learning_rate for run in stepper.runs] == [0.1, 0.05, 0.5]
    assert stepper.selected == 1
    assert stepper.step == 6
    assert stepper.current == 6


def test_one_run_file_gives_one_run(tmp_path):
    run = Run(QUADRATIC, RunSettings(learning_rate=0.1))
    run.run_to_end()
    save_session(tmp_path / "one.json", run, 4)
    session = load_session(tmp_path / "one.json")
    assert session.runs == (session.run,)
    assert session.selected == 0
    assert session.shared_step == 4


def test_old_hand_written_file_still_loads(tmp_path):
    # The layout of a file written before comparisons were saved.
    document = {
        "format": "descend-tui-run",
        "format_version": 1,
        "function": {"preset": "quadratic"},
        "settings": {
            "start": 8.0,
            "learning_rate": 0.25,
            "max_steps": 50,
            "tolerance": 1e-6,
            "optimizer": {"kind": "gd"},
            "schedule": {"kind": "constant"},
        },
        "current_step": 2,
        "history": {
            "x": [8.0, 4.0, 2.0],
            "slope": [16.0, 8.0, 4.0],
            "value": [64.0, 16.0, 4.0],
        },
    }
    session = load_document(tmp_path, document)
    assert session.warnings == ()
    assert len(session.runs) == 1
    assert session.shared_step == 2
    assert session.run.history.row(2)[0] == 2.0


def test_runs_of_other_optimizers_round_trip(tmp_path):
    stepper = Stepper(QUADRATIC, RunSettings(learning_rate=0.1))
    stepper.add()
    stepper.apply(RunSettings(learning_rate=0.5, optimizer=Adam()))
    stepper.forward(5)
    path = tmp_path / "adam.json"
    save_comparison(path, stepper)
    session = load_session(path)
    assert session.runs[1].settings.optimizer == Adam()
    np.testing.assert_array_equal(
        session.runs[1].history.columns()["m"], stepper.runs[1].history.columns()["m"]
    )


# Files that disagree with themselves load with warnings


def test_selected_entry_settings_differ(tmp_path):
    document = saved(tmp_path, three_runs())
    document["runs"][1]["settings"]["learning_rate"] = 0.3
    session = load_document(tmp_path, document)
    assert session.run.settings.learning_rate == 0.05
    assert session.warnings == (
        (
            "runs[1].settings differs from settings, which describes the selected "
            "run; settings is used"
        ),
    )


def test_shared_step_beyond_every_run(tmp_path):
    document = saved(tmp_path, three_runs())
    document["shared_step"] = 500
    session = load_document(tmp_path, document)
    assert session.shared_step == 40
    assert (
        "shared_step 500 is beyond the last step of every run; showing step 40"
        in session.warnings
    )


def test_entry_stop_reason_differs(tmp_path):
    document = saved(tmp_path, three_runs())
    document["runs"][2]["stop_reason"] = "diverged"
    session = load_document(tmp_path, document)
    assert session.warnings == (
        (
            "runs[2].stop_reason: the file stores 'diverged' but the recomputed "
            "run has 'converged'"
        ),
    )


# Broken files are rejected with the path and the field


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d.update(runs="three"),
            "runs: expected a list or null, found 'three'",
        ),
        (lambda d: d.update(runs=[]), "runs: expected 1 to 4 runs, found 0"),
        (lambda d: d["runs"].extend(d["runs"]), "runs: expected 1 to 4 runs, found 6"),
        (lambda d: d.pop("selected_run"), "missing field 'selected_run'"),
        (
            lambda d: d.update(selected_run=3),
            "selected_run: 3 is not an index of runs; use 0 to 2",
        ),
        (
            lambda d: d.update(shared_step=-1),
            "shared_step: -1 is negative; use 0 or more",
        ),
        (
            lambda d: d["runs"].__setitem__(0, 7),
            "runs[0]: expected an object, found 7",
        ),
        (
            lambda d: d["runs"][2].pop("settings"),
            "missing field 'runs[2].settings'",
        ),
        (
            lambda d: d["runs"][2]["settings"].update(learning_rate="abc"),
            "runs[2].settings.learning_rate: expected a number, found 'abc'",
        ),
        (
            lambda d: d["runs"][0].update(last_step=-2),
            "runs[0].last_step: -2 is negative; use 0 or more",
        ),
    ],
)
def test_broken_comparison_fields(tmp_path, edit, message):
    document = saved(tmp_path, three_runs())
    edit(document)
    error = load_error(tmp_path, document)
    assert error == f"{tmp_path / 'edited.json'}: {message}"


# Comparison.restore


def test_restore_rejects_bad_runs_unchanged():
    comparison = Comparison(QUADRATIC)
    before = comparison.runs
    other = Run(QUADRATIC, RunSettings())
    cases = [
        ([], 0, "expected 1 to 4 runs, found 0"),
        ([other] * 5, 0, "expected 1 to 4 runs, found 5"),
        ([other], 1, "selected run 1 is not in 0..0"),
    ]
    for runs, selected, message in cases:
        with pytest.raises(ValueError, match=message):
            comparison.restore(QUADRATIC, runs, selected, 0)
        assert comparison.runs is before


def test_restore_rejects_run_of_other_function():
    from tui_descent.presets import PRESETS

    comparison = Comparison(QUADRATIC)
    foreign = Run(PRESETS["double-well"], RunSettings())
    with pytest.raises(ValueError, match="same function"):
        comparison.restore(QUADRATIC, [foreign], 0, 0)
