"""CSV and JSON exports: layout, precision, non-finite numbers, atomic writes."""

import csv
import errno
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest

from tui_descent import __version__, export
from tui_descent.engine import Run, RunSettings, StopReason
from tui_descent.export import (
    FORMAT,
    FORMAT_VERSION,
    ExportError,
    ExportExistsError,
    default_session_path,
    default_state_dir,
    json_value,
    save_csv,
    save_session,
    sidecar_path,
)
from tui_descent.expressions import parse_function
from tui_descent.functions import Function
from tui_descent.optimizers import Adam, Momentum
from tui_descent.schedules import StepDecay


def finished_run(**settings) -> Run:
    run = Run(settings=RunSettings(**settings))
    run.run_to_end()
    return run


def log_function() -> Function:
    """ln x with f' = 1/x: a step to x < 0 makes f(x) nan and stops the run."""

    def value(x):
        return math.log(x)

    def slope(x):
        return 1.0 / x

    return Function("ln x", "log(x)", "1/x", value, slope)


def exp_function() -> Function:
    """eˣ as numpy computes it, so f(800) overflows to inf."""
    return Function("eˣ", "exp(x)", "exp(x)", np.exp, np.exp)


def reject_constant(name):
    raise AssertionError(f"bare {name} in JSON output")


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"), parse_constant=reject_constant)


def listing(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# CSV layout


def test_csv_has_header_and_one_row_per_step(tmp_path):
    run = finished_run(learning_rate=0.9)
    save_csv(tmp_path / "run.csv", run)
    with open(tmp_path / "run.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == ["step", "x", "slope", "value"]
    assert len(rows) == 1 + 51
    assert [int(row[0]) for row in rows[1:]] == list(range(51))


def test_csv_numbers_round_trip_exactly(tmp_path):
    run = finished_run(learning_rate=0.9)
    save_csv(tmp_path / "run.csv", run)
    with open(tmp_path / "run.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    for step, row in enumerate(rows):
        assert float(row["x"]) == run.history.x[step]
        assert float(row["slope"]) == run.history.slope[step]
        assert float(row["value"]) == run.history.value[step]
    # 8 * (1 - 2 * 0.9) = -6.4 in floating point, written by repr.
    assert rows[1]["x"] == repr(8.0 - 0.9 * 16.0)


def test_csv_writes_nan_and_inf_as_words(tmp_path):
    undefined = Run(
        function=log_function(), settings=RunSettings(start=1.0, learning_rate=2.0)
    )
    undefined.run_to_end()
    overflowed = Run(function=exp_function(), settings=RunSettings(start=800.0))
    overflowed.run_to_end()
    assert undefined.stop_reason is StopReason.UNDEFINED
    assert overflowed.stop_reason is StopReason.OVERFLOWED
    save_csv(tmp_path / "undefined.csv", undefined)
    save_csv(tmp_path / "overflowed.csv", overflowed)
    undefined_rows = (tmp_path / "undefined.csv").read_text().splitlines()
    overflowed_rows = (tmp_path / "overflowed.csv").read_text().splitlines()
    # x1 = 1 - 2 * (1/1) = -1, where ln is undefined and 1/x = -1.
    assert undefined_rows[2] == "1,-1.0,-1.0,nan"
    assert overflowed_rows[1] == "0,800.0,inf,inf"


def test_csv_includes_optimizer_state_columns(tmp_path):
    run = finished_run(learning_rate=0.1, optimizer=Momentum(beta=0.5), max_steps=3)
    save_csv(tmp_path / "run.csv", run)
    rows = (tmp_path / "run.csv").read_text().splitlines()
    assert rows[0] == "step,x,slope,value,velocity"
    # v1 = 0.5 * 0 + f'(8) = 16, x1 = 8 - 0.1 * 16 = 6.4, v at row 1 is 16.
    assert rows[2].split(",")[1] == repr(8.0 - 0.1 * 16.0)
    assert rows[2].split(",")[4] == "16.0"


def test_csv_metadata_goes_to_sidecar(tmp_path):
    run = finished_run(learning_rate=0.9)
    sidecar = save_csv(tmp_path / "run.csv", run)
    assert sidecar == tmp_path / "run.meta.json"
    metadata = read_json(sidecar)
    assert metadata["format"] == FORMAT
    assert metadata["data_file"] == "run.csv"
    assert metadata["function"]["formula"] == "x^2"
    assert metadata["function"]["derivative_formula"] == "2x"
    assert metadata["settings"]["learning_rate"] == 0.9
    assert metadata["stop_reason"] == "max_steps"
    assert metadata["version"] == __version__
    assert "history" not in metadata


def test_sidecar_path_replaces_extension():
    assert sidecar_path(Path("out/run.csv")) == Path("out/run.meta.json")
    assert sidecar_path(Path("data")) == Path("data.meta.json")


# JSON layout


def test_json_has_format_metadata_and_columns(tmp_path):
    run = finished_run(learning_rate=0.9)
    save_session(tmp_path / "run.json", run, 7)
    document = read_json(tmp_path / "run.json")
    assert document["format"] == "descend-tui-run"
    assert document["format_version"] == FORMAT_VERSION == 1
    assert document["version"] == __version__
    assert document["function"] == {
        "name": "x²",
        "formula": "x^2",
        "derivative_formula": "2x",
        "preset": "quadratic",
    }
    assert document["current_step"] == 7
    assert document["last_step"] == 50
    assert document["columns"] == ["step", "x", "slope", "value"]
    assert document["history"]["x"] == run.history.x.tolist()
    assert document["history"]["value"] == run.history.value.tolist()


def test_json_stores_typed_function_without_preset(tmp_path):
    function = parse_function("x^4 - 3x^2 + x")
    run = Run(function=function, settings=RunSettings(start=2.0, learning_rate=0.01))
    save_session(tmp_path / "run.json", run)
    stored = read_json(tmp_path / "run.json")["function"]
    assert stored["formula"] == "x^4 - 3x^2 + x"
    assert stored["derivative_formula"] == function.derivative_formula
    assert stored["preset"] is None


def test_json_settings_include_nested_optimizer_and_schedule(tmp_path):
    run = finished_run(
        max_steps=10,
        optimizer=Adam(beta1=0.8),
        schedule=StepDecay(every=5, factor=0.25),
    )
    save_session(tmp_path / "run.json", run)
    stored = read_json(tmp_path / "run.json")["settings"]
    assert stored["optimizer"] == {
        "kind": "adam",
        "beta1": 0.8,
        "beta2": 0.999,
        "epsilon": 1e-8,
    }
    assert stored["schedule"] == {"kind": "step", "every": 5, "factor": 0.25}
    assert stored["max_steps"] == 10


def test_json_writes_non_finite_numbers_as_strings(tmp_path):
    run = Run(function=exp_function(), settings=RunSettings(start=800.0))
    run.run_to_end()
    save_session(tmp_path / "run.json", run)
    document = read_json(tmp_path / "run.json")
    assert document["history"]["value"] == ["inf"]
    assert document["history"]["slope"] == ["inf"]
    assert document["stop_reason"] == "overflowed"


def test_json_value_converts_floats_and_rejects_objects():
    assert json_value(float("nan")) == "nan"
    assert json_value(float("-inf")) == "-inf"
    assert json_value(np.float64(0.1)) == 0.1
    assert json_value((1, 2.5)) == [1, 2.5]
    with pytest.raises(TypeError, match="object"):
        json_value(object())


def test_current_step_outside_run_is_rejected(tmp_path):
    run = finished_run(max_steps=5)
    with pytest.raises(ValueError, match="current step 6"):
        save_session(tmp_path / "run.json", run, 6)
    assert listing(tmp_path) == []


# Overwriting and atomic writes


def test_existing_file_is_not_overwritten(tmp_path):
    target = tmp_path / "run.json"
    target.write_text("keep me")
    with pytest.raises(ExportExistsError, match="run.json already exists"):
        save_session(target, finished_run())
    assert target.read_text() == "keep me"
    assert listing(tmp_path) == ["run.json"]


def test_existing_sidecar_blocks_csv_before_writing(tmp_path):
    (tmp_path / "run.meta.json").write_text("keep me")
    with pytest.raises(ExportExistsError, match="run.meta.json"):
        save_csv(tmp_path / "run.csv", finished_run())
    assert listing(tmp_path) == ["run.meta.json"]


def test_overwrite_replaces_file(tmp_path):
    target = tmp_path / "run.json"
    target.write_text("old")
    save_session(target, finished_run(), overwrite=True)
    assert read_json(target)["format"] == FORMAT
    assert listing(tmp_path) == ["run.json"]


def test_file_appearing_during_write_is_kept(tmp_path, monkeypatch):
    target = tmp_path / "run.json"
    write_temporary = export._write_temporary

    def write_then_race(path, text):
        temporary = write_temporary(path, text)
        path.write_text("written by someone else")
        return temporary

    monkeypatch.setattr(export, "_write_temporary", write_then_race)
    with pytest.raises(ExportExistsError):
        save_session(target, finished_run())
    assert target.read_text() == "written by someone else"
    assert listing(tmp_path) == ["run.json"]


def test_failed_rename_keeps_old_file(tmp_path, monkeypatch):
    target = tmp_path / "run.json"
    target.write_text("old")

    def full_disk(source, destination):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(export.os, "replace", full_disk)
    with pytest.raises(ExportError) as caught:
        save_session(target, finished_run(), overwrite=True)
    assert str(caught.value) == f"failed to write {target}: {os.strerror(errno.ENOSPC)}"
    assert caught.value.path == target
    assert target.read_text() == "old"
    assert listing(tmp_path) == ["run.json"]


def test_failed_sync_leaves_no_temporary_file(tmp_path, monkeypatch):
    def failing_sync(descriptor):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(export.os, "fsync", failing_sync)
    with pytest.raises(ExportError, match=os.strerror(errno.EIO)):
        save_csv(tmp_path / "run.csv", finished_run())
    assert listing(tmp_path) == []


def test_read_only_folder_reports_permission(tmp_path, monkeypatch):
    # Tests may run as root, where chmod does not stop writes, so the
    # refusal that a read-only folder gives is simulated at os.open.
    real_open = os.open

    def refuse_create(path, flags, *args):
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, flags, *args)

    monkeypatch.setattr(export.os, "open", refuse_create)
    with pytest.raises(ExportError, match="Permission denied"):
        save_session(tmp_path / "run.json", finished_run())
    assert listing(tmp_path) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_real_read_only_folder_reports_permission(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="Permission denied"):
            save_session(folder / "run.json", finished_run())
    finally:
        folder.chmod(0o700)


def test_folder_as_target_is_rejected(tmp_path):
    (tmp_path / "out").mkdir()
    with pytest.raises(ExportError, match="it is a folder; give a file name"):
        save_session(tmp_path / "out", finished_run(), overwrite=True)
    assert listing(tmp_path) == ["out"]
    assert listing(tmp_path / "out") == []


def test_missing_folder_reports_reason(tmp_path):
    with pytest.raises(ExportError, match="No such file or directory"):
        save_session(tmp_path / "absent" / "run.json", finished_run())


def test_new_file_permissions_follow_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        save_session(tmp_path / "run.json", finished_run())
    finally:
        os.umask(previous)
    assert (tmp_path / "run.json").stat().st_mode & 0o777 == 0o644


# State folder


def test_state_dir_follows_xdg_state_home(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert default_state_dir() == tmp_path / "descend-tui"
    assert default_session_path() == tmp_path / "descend-tui" / "session.json"


def test_state_dir_ignores_relative_xdg_value(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_STATE_HOME", "relative/state")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_state_dir() == tmp_path / ".local" / "state" / "descend-tui"


def test_state_dir_defaults_under_home(monkeypatch, tmp_path):
    monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert default_state_dir() == tmp_path / ".local" / "state" / "descend-tui"
