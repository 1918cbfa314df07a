"""Saving the session on a signal or an error, and reopening it with --resume.

These run in-process under Pilot; test_terminal_signals.py sends real
signals to the installed command in tmux.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

import tui_descent.app as app_module
from app_checks import check_step_views, status_text
from tui_descent.app import DescentApp
from tui_descent.cli import main
from tui_descent.engine import RunSettings
from tui_descent.expressions import parse_function
from tui_descent.optimizers import Momentum
from tui_descent.recovery import Recovery, error_report, load_saved_session, run_app
from tui_descent.schedules import ExponentialDecay
from tui_descent.sessions import SessionError
from tui_descent.stepper import Stepper


@pytest.fixture
def state_home(tmp_path, monkeypatch) -> Path:
    """Point XDG_STATE_HOME at a temporary folder; return the app's folder in it."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "descend-tui"


def typed_stepper(steps: int) -> Stepper:
    """Return a stepper on a typed f(x) with momentum and a schedule, moved on."""
    function = parse_function("x^4 - 3x^2 + x")
    settings = RunSettings(
        start=2.0,
        learning_rate=0.01,
        max_steps=40,
        tolerance=1e-9,
        optimizer=Momentum(beta=0.5),
        schedule=ExponentialDecay(factor=0.9),
    )
    stepper = Stepper(function, settings)
    stepper.forward(steps)
    return stepper


class BrokenApp(DescentApp):
    """The app with a back key that raises, standing in for a bug in a handler."""

    # Textual reads a relative CSS_PATH beside the subclass, here in tests/.
    CSS_PATH = Path(app_module.__file__).with_name("app.tcss")

    def action_back(self) -> None:
        raise RuntimeError("injected failure on the back key")


def test_saved_session_resumes_exactly(tmp_path):
    stepper = typed_stepper(7)
    recovery = Recovery(state_dir=tmp_path)

    path = recovery.save(stepper)

    assert path == tmp_path / "session.json"
    session = load_saved_session(tmp_path)
    assert session.function.formula == stepper.function.formula
    assert session.settings == stepper.settings
    assert session.current_step == 7
    assert session.run.history.row(7) == stepper.run.history.row(7)
    assert session.warnings == ()


async def test_app_opens_resumed_session(tmp_path):
    Recovery(state_dir=tmp_path).save(typed_stepper(7))
    app = DescentApp(session=load_saved_session(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.stepper.current == 7
        assert "step 7 of 40" in status_text(app)
        check_step_views(app)
        assert app.stepper.settings.optimizer == Momentum(beta=0.5)


async def test_handler_error_saves_session_and_report(state_home):
    app = BrokenApp()
    with pytest.raises(RuntimeError, match="injected failure"):
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("n", "n", "n")
            await pilot.press("b")
            await pilot.pause()
    recovery = app.recovery
    assert recovery.session_path == state_home / "session.json"
    assert load_saved_session(state_home).current_step == 3
    report = recovery.report_path.read_text()
    assert "RuntimeError: injected failure on the back key" in report
    assert "in action_back" in report
    notice = recovery.notice()
    assert "because of an unexpected error (RuntimeError: injected" in notice
    assert str(recovery.session_path) in notice
    assert str(recovery.report_path) in notice


@pytest.mark.parametrize(
    ("number", "cause"),
    [(signal.SIGHUP, "the terminal hung up"), (signal.SIGTERM, "asked to stop")],
)
async def test_signal_saves_session_and_exits(state_home, number, cause):
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "n")
        app._end_on_signal(number)
        await pilot.pause()
    assert app.return_code == 128 + number
    assert load_saved_session(state_home).current_step == 2
    assert cause in app.recovery.notice()


async def test_headless_app_leaves_signals_alone(state_home):
    before = signal.getsignal(signal.SIGTERM)
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert signal.getsignal(signal.SIGTERM) is before


def test_failed_save_is_reported_not_raised(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    recovery = Recovery(state_dir=blocker / "descend-tui")

    recovery.record_error(ValueError("first"), typed_stepper(2))

    assert recovery.session_path is None
    assert recovery.report_path is None
    notice = recovery.notice()
    assert "The session could not be saved" in notice
    assert "The error report could not be written" in notice


def test_first_error_is_the_one_reported(tmp_path):
    recovery = Recovery(state_dir=tmp_path)
    stepper = typed_stepper(1)

    recovery.record_error(KeyError("first"), stepper)
    recovery.record_error(ValueError("second"), stepper)

    assert "KeyError: 'first'" in recovery.notice()
    assert len(list(tmp_path.glob("error-*.txt"))) == 1


def test_error_report_names_run_and_traceback():
    stepper = typed_stepper(4)
    try:
        raise ZeroDivisionError("float division by zero")
    except ZeroDivisionError as error:
        report = error_report(error, stepper)
    assert "f(x) = x^4 - 3x^2 + x" in report
    assert "learning_rate=0.01" in report
    assert "Step 4 of the 4 computed" in report
    assert "ZeroDivisionError: float division by zero" in report
    assert "test_error_report_names_run_and_traceback" in report


def test_run_app_reports_error_outside_handlers(state_home, capsys):
    app = DescentApp()

    def fail_to_start() -> None:
        raise OSError("no terminal")

    app.run = fail_to_start
    assert run_app(app) == 1
    stderr = capsys.readouterr().err
    assert "because of an unexpected error (OSError: no terminal)" in stderr
    assert str(state_home / "session.json") in stderr


def test_resume_without_session_exits_two(state_home, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--resume"])
    assert exit_info.value.code == 2
    stderr = capsys.readouterr().err
    assert f"--resume: no saved session at {state_home / 'session.json'}" in stderr


def test_resume_with_broken_session_exits_two(state_home, capsys):
    state_home.mkdir(parents=True)
    (state_home / "session.json").write_text("{not json")
    with pytest.raises(SystemExit) as exit_info:
        main(["--resume"])
    assert exit_info.value.code == 2
    assert "not JSON: line 1 column 2" in capsys.readouterr().err


def test_resume_and_load_conflict(state_home, tmp_path, capsys):
    Recovery(state_dir=state_home).save(typed_stepper(1))
    with pytest.raises(SystemExit) as exit_info:
        main(["--resume", "--load", str(state_home / "session.json")])
    assert exit_info.value.code == 2
    assert "--resume and --load cannot be used together" in capsys.readouterr().err


def test_missing_session_message_names_path(tmp_path):
    with pytest.raises(SessionError, match="no saved session at .*session.json"):
        load_saved_session(tmp_path)
