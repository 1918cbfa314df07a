"""Loading saved sessions: round trips, recomputation and broken files."""

import json

import numpy as np
import pytest

from tui_descent.cli import build_parser
from tui_descent.engine import Run, RunSettings, StopReason
from tui_descent.export import save_csv, save_session
from tui_descent.expressions import parse_function
from tui_descent.functions import QUADRATIC
from tui_descent.optimizers import Adam
from tui_descent.presets import preset
from tui_descent.schedules import Cosine
from tui_descent.sessions import SessionError, load_session


def finished_run(function=QUADRATIC, **settings) -> Run:
    run = Run(function=function, settings=RunSettings(**settings))
    run.run_to_end()
    return run


def saved_document(tmp_path, run=None, current_step=None) -> dict:
    path = tmp_path / "saved.json"
    save_session(path, run or finished_run(learning_rate=0.9), current_step)
    return json.loads(path.read_text(encoding="utf-8"))


def write_document(tmp_path, document, name="edited.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def load_error(tmp_path, document) -> str:
    with pytest.raises(SessionError) as caught:
        load_session(write_document(tmp_path, document))
    return str(caught.value)


def assert_same_history(loaded: Run, original: Run) -> None:
    original_columns = original.history.columns()
    loaded_columns = loaded.history.columns()
    assert list(loaded_columns) == list(original_columns)
    for name, column in original_columns.items():
        np.testing.assert_array_equal(loaded_columns[name], column)


# Round trips


def test_json_round_trip_restores_run_and_step(tmp_path):
    run = finished_run(learning_rate=0.9)
    save_session(tmp_path / "run.json", run, 7)
    session = load_session(tmp_path / "run.json")
    assert session.current_step == 7
    assert session.settings == run.settings
    assert session.function is QUADRATIC
    assert session.run.last_step == 50
    assert session.run.stop_reason is StopReason.MAX_STEPS
    assert session.warnings == ()
    assert_same_history(session.run, run)


def test_round_trip_with_optimizer_and_schedule(tmp_path):
    run = finished_run(
        learning_rate=0.5, max_steps=300, optimizer=Adam(beta1=0.8), schedule=Cosine()
    )
    save_session(tmp_path / "run.json", run, 120)
    session = load_session(tmp_path / "run.json")
    assert session.settings.optimizer == Adam(beta1=0.8)
    assert session.settings.schedule == Cosine()
    assert session.current_step == 120
    assert session.warnings == ()
    assert_same_history(session.run, run)


def test_round_trip_of_typed_function(tmp_path):
    function = parse_function("x^4 - 3x^2 + x")
    run = finished_run(function, start=2.0, learning_rate=0.01, max_steps=200)
    save_session(tmp_path / "run.json", run, 30)
    session = load_session(tmp_path / "run.json")
    assert session.function.formula == "x^4 - 3x^2 + x"
    assert session.function_spec.derivative_formula == function.derivative_formula
    assert session.warnings == ()
    assert_same_history(session.run, run)


def test_round_trip_of_preset(tmp_path):
    run = finished_run(preset("double-well"), start=-2.0, learning_rate=0.05)
    save_session(tmp_path / "run.json", run, 10)
    session = load_session(tmp_path / "run.json")
    assert session.function is preset("double-well")
    assert session.function_spec.preset == "double-well"
    assert session.warnings == ()
    assert_same_history(session.run, run)


def test_preset_alone_is_enough(tmp_path):
    document = saved_document(tmp_path, finished_run(preset("quartic"), max_steps=5))
    document["function"] = {"preset": "quartic"}
    session = load_session(write_document(tmp_path, document))
    assert session.function is preset("quartic")
    assert session.warnings == ()


def test_preset_wins_over_edited_formula(tmp_path):
    document = saved_document(tmp_path)
    document["function"]["formula"] = "x^4"
    session = load_session(write_document(tmp_path, document))
    assert session.function is QUADRATIC
    expected = (
        "function.formula 'x^4' differs from the preset 'quadratic', 'x^2'; "
        "the preset is used"
    )
    assert session.warnings == (expected,)


def test_unfinished_run_reloads_same_length(tmp_path):
    run = Run(settings=RunSettings(max_steps=1000))
    run.advance(12)
    save_session(tmp_path / "run.json", run, 5)
    session = load_session(tmp_path / "run.json")
    assert session.run.last_step == 12
    assert session.run.stop_reason is StopReason.RUNNING
    assert session.current_step == 5


def test_non_finite_history_round_trips(tmp_path):
    run = finished_run(learning_rate=1.5, max_steps=100_000)
    assert run.stop_reason is StopReason.DIVERGED
    save_session(tmp_path / "run.json", run)
    session = load_session(tmp_path / "run.json")
    assert session.warnings == ()
    assert_same_history(session.run, run)


def test_csv_sidecar_loads_as_session(tmp_path):
    run = finished_run(learning_rate=0.9)
    sidecar = save_csv(tmp_path / "run.csv", run, 20)
    session = load_session(sidecar)
    assert session.current_step == 20
    assert session.settings == run.settings
    assert session.run.last_step >= 20


def test_cli_load_option_returns_session(tmp_path):
    save_session(tmp_path / "run.json", finished_run(learning_rate=0.9), 3)
    args = build_parser().parse_args(["--load", str(tmp_path / "run.json")])
    assert args.load.current_step == 3
    assert args.load.settings.learning_rate == 0.9


def test_cli_load_option_rejects_broken_file(tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text("{")
    with pytest.raises(SystemExit) as caught:
        build_parser().parse_args(["--load", str(path)])
    assert caught.value.code == 2
    error = capsys.readouterr().err
    assert "argument --load" in error
    assert "not JSON: line 1 column 2" in error
    assert len(error.strip().splitlines()) == 1


# Recomputation checks


def test_edited_history_gives_warning_not_error(tmp_path):
    document = saved_document(tmp_path)
    document["history"]["x"][4] = 123.0
    session = load_session(write_document(tmp_path, document))
    assert len(session.warnings) == 1
    assert "history.x differs from the recomputed run at step 4" in session.warnings[0]
    assert session.run.history.x[4] == pytest.approx(8 * (-0.8) ** 4)


def test_longer_stored_history_gives_warning(tmp_path):
    document = saved_document(tmp_path, finished_run(learning_rate=0.5))
    for column in document["history"].values():
        column.append(0.0)
    document["current_step"] = 2
    session = load_session(write_document(tmp_path, document))
    assert any("stores 3 steps" in warning for warning in session.warnings)
    assert session.current_step == 1


def test_changed_stop_reason_gives_warning(tmp_path):
    document = saved_document(tmp_path)
    document["stop_reason"] = "converged"
    session = load_session(write_document(tmp_path, document))
    assert session.warnings == (
        "stop_reason: the file stores 'converged' but the recomputed run has 'max_steps'",
    )


def test_missing_setting_uses_default_with_warning(tmp_path):
    document = saved_document(tmp_path)
    del document["settings"]["schedule"]
    session = load_session(write_document(tmp_path, document))
    assert "settings.schedule is missing; using the default" in session.warnings


def test_file_without_history_computes_to_last_step(tmp_path):
    document = saved_document(tmp_path, current_step=9)
    del document["history"]
    session = load_session(write_document(tmp_path, document))
    assert session.current_step == 9
    assert session.run.last_step == 50
    assert session.warnings == ()


def test_minimal_hand_written_file_loads(tmp_path):
    document = {
        "format": "descend-tui-run",
        "format_version": 1,
        "function": {"formula": "x^2"},
        "settings": {
            "start": 3.0,
            "learning_rate": 0.25,
            "max_steps": 40,
            "tolerance": 1e-9,
        },
        "current_step": 4,
    }
    session = load_session(write_document(tmp_path, document))
    assert session.current_step == 4
    assert session.run.last_step == 4
    # Each step multiplies x by 1 - 2 * 0.25 = 0.5.
    assert session.run.history.x[4] == 3.0 * 0.5**4
    assert "settings.optimizer is missing; using the default" in session.warnings


def test_step_past_end_of_run_is_clamped(tmp_path):
    document = saved_document(tmp_path, finished_run(learning_rate=0.5))
    del document["history"]
    document["current_step"] = 30
    session = load_session(write_document(tmp_path, document))
    assert session.current_step == 1
    assert "the run stops at step 1, before the saved step 30" in session.warnings[0]


# Broken files: each is rejected with the field in the message


def test_not_json_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "format": "descend-tui-run",\n  "format_version" 1\n}')
    with pytest.raises(SessionError, match="not JSON: line 3 column 20"):
        load_session(path)


def test_bare_nan_is_rejected(tmp_path):
    path = tmp_path / "nan.json"
    path.write_text('{"format": NaN}')
    with pytest.raises(SessionError, match="NaN is not a JSON value"):
        load_session(path)


def test_missing_file_names_reason(tmp_path):
    with pytest.raises(SessionError, match="failed to read: No such file"):
        load_session(tmp_path / "absent.json")


def test_binary_file_is_rejected(tmp_path):
    path = tmp_path / "binary.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(SessionError, match="not UTF-8"):
        load_session(path)


def test_deep_nesting_is_rejected(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000)
    with pytest.raises(SessionError, match="nested too deeply"):
        load_session(path)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d.update(format="other-program"),
            "format: expected 'descend-tui-run', found 'other-program'",
        ),
        (lambda d: d.pop("format"), "missing field 'format'"),
        (
            lambda d: d.update(format_version=9),
            "format_version 9 is newer than this program reads (1)",
        ),
        (
            lambda d: d.update(format_version=0),
            "format_version: expected 1 to 1, found 0",
        ),
        (
            lambda d: d.update(format_version="1"),
            "format_version: expected a whole number, found '1'",
        ),
        (lambda d: d.pop("settings"), "missing field 'settings'"),
        (lambda d: d.pop("function"), "missing field 'function'"),
        (
            lambda d: d.update(function={"name": "x²"}),
            "missing field 'function.formula'",
        ),
        (
            lambda d: d.update(settings=[1, 2]),
            "settings: expected an object, found a list",
        ),
        (
            lambda d: d["settings"].update(learning_rate="abc"),
            "settings.learning_rate: expected a number, found 'abc'",
        ),
        (
            lambda d: d["settings"].update(learning_rate=True),
            "settings.learning_rate: expected a number, found true",
        ),
        (
            lambda d: d["settings"].update(start="nan"),
            "settings.start: expected a number, found 'nan'",
        ),
        (
            lambda d: d["settings"].update(tolerance="inf"),
            "settings.tolerance: expected a number, found 'inf'",
        ),
        (
            lambda d: d["settings"].update(max_steps=-3),
            "settings.max_steps: max steps -3 is out of range",
        ),
        (
            lambda d: d["settings"].update(max_steps=2.5),
            "settings.max_steps: expected a whole number, found 2.5",
        ),
        (
            lambda d: d["settings"].update(start=1e200),
            "settings.start: start 1e+200 is too large",
        ),
        (
            lambda d: d["settings"].update(tolerance=-1),
            "settings.tolerance: tolerance -1.0 is negative",
        ),
        (
            lambda d: d["settings"].update(optimizer={"kind": "sgd9"}),
            "settings.optimizer.kind: unknown 'sgd9'",
        ),
        (
            lambda d: d["settings"].update(optimizer={"beta": 0.9}),
            "missing field 'settings.optimizer.kind'",
        ),
        (
            lambda d: d["settings"].update(optimizer={"kind": "momentum", "beta": 1.5}),
            "settings.optimizer: momentum beta = 1.5 is invalid",
        ),
        (
            lambda d: d["settings"].update(schedule={"kind": "step", "every": "ten"}),
            "settings.schedule.every: expected a whole number, found 'ten'",
        ),
        (lambda d: d.update(current_step=-1), "current_step: -1 is negative"),
        (
            lambda d: d.update(current_step=99),
            "current_step: 99 is beyond the last stored step 50",
        ),
        (lambda d: d.pop("current_step"), "missing field 'current_step'"),
        (
            lambda d: d["history"]["x"].__setitem__(2, "abc"),
            'history.x[2]: expected a number, "nan", "inf" or "-inf", found \'abc\'',
        ),
        (
            lambda d: d["history"]["slope"].pop(),
            "history.slope: expected 51 values like history.x, found 50",
        ),
        (lambda d: d["history"].pop("value"), "missing field 'history.value'"),
        (
            lambda d: d.update(history={"x": [], "slope": [], "value": []}),
            "history.x: expected at least the start row",
        ),
        (
            lambda d: d["function"].update(preset=None, formula="__import__('os')"),
            "function.formula: name '__import__' is not allowed",
        ),
        (
            lambda d: d["function"].update(preset=None, formula="x^2; import os"),
            "function.formula:",
        ),
        (
            lambda d: d["function"].update(preset=None, formula="().__class__"),
            "function.formula:",
        ),
        (
            lambda d: d["function"].update(preset="no-such-preset"),
            "function.preset: unknown preset 'no-such-preset'; choose one of quadratic",
        ),
        (
            lambda d: d["function"].update(preset=3),
            "function.preset: expected a string or null, found 3",
        ),
    ],
)
def test_broken_field_is_named(tmp_path, edit, message):
    document = saved_document(tmp_path)
    edit(document)
    error = load_error(tmp_path, document)
    assert message in error
    assert error.startswith(str(tmp_path / "edited.json") + ": ")


def test_huge_integer_literal_is_rejected(tmp_path):
    path = tmp_path / "huge.json"
    path.write_text('{"current_step": ' + "9" * 5000 + "}")
    with pytest.raises(SessionError, match="not JSON this program reads"):
        load_session(path)


def test_top_level_list_is_rejected(tmp_path):
    assert "expected a JSON object at the top, found a list" in load_error(tmp_path, [])


def test_oversized_file_is_rejected(tmp_path, monkeypatch):
    monkeypatch.setattr("tui_descent.sessions.MAX_FILE_BYTES", 100)
    path = tmp_path / "big.json"
    save_session(path, finished_run())
    with pytest.raises(SessionError, match="the limit is 100"):
        load_session(path)
