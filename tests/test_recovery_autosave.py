"""Every run of a comparison saved and resumed, and the session autosaved.

Pilot tests with real key presses. Each test points XDG_STATE_HOME at its
own temporary folder, because the app autosaves there.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path

import pytest
from app_checks import check_alive, check_settings_shown, check_step_views
from test_app_files import answer_path, notifications
from test_optimizer_panel import choose_in_app, retype
from textual.widgets import Input

from tui_descent.app import DescentApp
from tui_descent.autosave import AUTOSAVE_DELAY
from tui_descent.engine import RunSettings
from tui_descent.optimizers import Adam, GradientDescent
from tui_descent.recovery import Recovery, load_saved_session
from tui_descent.sessions import load_session
from tui_descent.stepper import Stepper
from tui_descent.widgets.run_summary import RunSummary

WAIT_SECONDS = 20.0
"""Maximum wait for an autosave that is due about a second after a change."""

EXPECTED_RUNS = [
    RunSettings(learning_rate=0.1, max_steps=40),
    RunSettings(learning_rate=0.25, max_steps=40),
    RunSettings(learning_rate=0.25, max_steps=40, optimizer=Adam()),
]
"""The runs that ``build_three_runs`` makes."""


@pytest.fixture
def state_home(tmp_path, monkeypatch) -> Path:
    """Point XDG_STATE_HOME at a temporary folder; return the app's folder in it."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path / "state" / "descend-tui"


async def build_three_runs(pilot) -> None:
    """Make GD η = 0.1, GD η = 0.25 and Adam η = 0.25, select run 2, step 5."""
    await pilot.press("a")
    await retype(pilot, "learning-rate", "0.25")
    await pilot.press("escape", "a")
    await choose_in_app(pilot, "adam")
    await pilot.press("2", "n", "n", "n", "n", "n")
    await pilot.pause()


def check_three_runs(app: DescentApp) -> None:
    """Check that ``app`` shows the runs of ``build_three_runs`` at step 5."""
    stepper = app.stepper
    assert [run.settings for run in stepper.runs] == EXPECTED_RUNS
    assert stepper.selected == 1
    assert stepper.step == 5
    # Gradient descent on x² from 8 gives x_k = 8 (1 - 2η)^k.
    assert stepper.run.history.row(5)[0] == pytest.approx(8 * 0.5**5)
    assert stepper.runs[0].history.row(5)[0] == pytest.approx(8 * 0.8**5)
    assert len(app.query_one(RunSummary).lines) == 3
    assert app.query_one("#learning-rate", Input).value == "0.25"
    check_settings_shown(app)
    check_step_views(app)


async def wait_until(pilot, condition, description: str) -> None:
    """Let the app run until ``condition()`` holds, failing after WAIT_SECONDS."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, (
            f"{description} did not happen in {WAIT_SECONDS} s"
        )
        await pilot.pause(0.1)


def started_app() -> DescentApp:
    return DescentApp(settings=RunSettings(max_steps=40))


# Every run of a comparison


async def test_signal_saves_all_runs_for_resume(state_home):
    app = started_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await build_three_runs(pilot)
        app._end_on_signal(signal.SIGTERM)
        await pilot.pause()
    assert app.return_code == 128 + signal.SIGTERM

    resumed = DescentApp(session=load_saved_session(state_home))
    async with resumed.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        check_three_runs(resumed)
        await pilot.press("n")
        assert resumed.stepper.step == 6


def stepper_of_three_runs() -> Stepper:
    """Return the runs that ``build_three_runs`` makes, without the app."""
    stepper = Stepper(settings=EXPECTED_RUNS[0])
    for settings in EXPECTED_RUNS[1:]:
        stepper.add()
        stepper.apply(settings)
    stepper.select(1)
    stepper.forward(5)
    return stepper


async def test_resume_after_first_frame_shows_all_runs(state_home):
    # As the command line starts it: the views are built after a first frame.
    Recovery(state_dir=state_home).save(stepper_of_three_runs())
    session = load_saved_session(state_home)
    app = DescentApp(session=session, views_after_first_frame=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(
            pilot,
            lambda: app.views is not None and app.views.table.is_mounted,
            "mounting the views",
        )
        await pilot.pause()
        check_three_runs(app)
        assert not app.autosave.pending
    assert app.autosave.writes == 0


async def test_export_and_open_keep_all_runs(state_home, tmp_path):
    path = tmp_path / "comparison.json"
    app = started_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await build_three_runs(pilot)
        await pilot.press("e")
        await answer_path(pilot, path)
        assert f"Saved 3 runs at step 5 to {path}" in notifications(app)

    fresh = started_app()
    async with fresh.run_test(size=(100, 30)) as pilot:
        await pilot.press("o")
        await answer_path(pilot, path)
        check_three_runs(fresh)
        assert f"Opened {path}: 3 runs at step 5" in notifications(fresh)


async def test_open_one_run_replaces_comparison(state_home, tmp_path):
    path = tmp_path / "one.json"
    single = Stepper(settings=RunSettings(learning_rate=0.3))
    single.forward(2)
    Recovery(state_dir=tmp_path).save(single)
    (tmp_path / "session.json").rename(path)
    app = started_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await build_three_runs(pilot)
        await pilot.press("o")
        await answer_path(pilot, path)
        assert len(app.stepper.runs) == 1
        assert app.stepper.settings.learning_rate == 0.3
        assert app.stepper.current == 2
        assert not app.query_one(RunSummary).display
        check_step_views(app)


# Autosave


async def test_steps_autosave_without_signal(state_home):
    app = started_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await build_three_runs(pilot)
        await wait_until(pilot, lambda: app.autosave.writes >= 1, "an autosave")
        await wait_until(pilot, lambda: not app.autosave.pending, "the last autosave")
        session = load_saved_session(state_home)
        assert [run.settings for run in session.runs] == EXPECTED_RUNS
        assert session.selected == 1
        assert session.shared_step == 5
        assert session.warnings == ()
        # Nothing changes now, so no write is due and no timer wakes the app.
        assert not app.autosave.pending
        check_alive(app)

    resumed = DescentApp(session=load_saved_session(state_home))
    async with resumed.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        check_three_runs(resumed)


async def test_start_keeps_saved_session(state_home):
    saved = Stepper(settings=RunSettings(learning_rate=0.3))
    saved.forward(4)
    Recovery(state_dir=state_home).save(saved)
    before = (state_home / "session.json").read_text()

    app = started_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.autosave.pending
    assert app.autosave.writes == 0
    assert (state_home / "session.json").read_text() == before


async def test_resume_alone_writes_nothing(state_home):
    saved = Stepper(settings=RunSettings(learning_rate=0.3))
    saved.forward(4)
    saved.add()
    Recovery(state_dir=state_home).save(saved)

    app = DescentApp(session=load_saved_session(state_home))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert len(app.stepper.runs) == 2
        assert not app.autosave.pending
    assert app.autosave.writes == 0


async def test_many_steps_share_one_write(state_home):
    app = started_app()
    # A delay no test reaches, so only the write at the end can happen.
    app.autosave.delay = 3600
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(12):
            await pilot.press("n")
        assert app.autosave.pending
        assert app.autosave.writes == 0
    assert app.autosave.writes == 1
    assert load_saved_session(state_home).current_step == 12


async def test_fast_play_writes_about_once_a_second(state_home):
    app = DescentApp(settings=RunSettings(learning_rate=1e-5, max_steps=100_000))
    started = time.monotonic()
    async with app.run_test(size=(100, 30)) as pilot:
        # From the default 8 steps/s, five presses of + reach 240 steps/s.
        await pilot.press("p", "plus", "plus", "plus", "plus", "plus")
        assert app.playback.pace == 240
        await wait_until(pilot, lambda: app.stepper.step >= 480, "480 steps of play")
        await wait_until(pilot, lambda: app.autosave.writes >= 1, "an autosave")
        await pilot.press("p")
        await wait_until(pilot, lambda: not app.autosave.pending, "the last autosave")
        assert load_saved_session(state_home).current_step == app.stepper.step
    elapsed = time.monotonic() - started
    # Timed writes are at least AUTOSAVE_DELAY apart and the first comes
    # AUTOSAVE_DELAY after a change; the end of the app may add one more.
    assert app.autosave.writes <= elapsed / AUTOSAVE_DELAY + 1


async def test_failed_autosave_notifies_once(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocker))
    app = started_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await wait_until(pilot, lambda: app.autosave.failures >= 1, "a failed autosave")
        await pilot.press("n")
        await wait_until(pilot, lambda: app.autosave.failures >= 2, "a second failure")
        notices = [text for text in notifications(app) if "Autosave failed" in text]
        assert len(notices) == 1
        assert str(blocker / "descend-tui") in notices[0]
        assert "is writable and the disk has room" in notices[0]
        assert app.stepper.current == 2
        check_alive(app)


async def test_autosaved_file_is_compact(state_home):
    app = DescentApp(settings=RunSettings(learning_rate=1e-6, max_steps=20_000))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g")
        await wait_until(
            pilot, lambda: app.stepper.step == 20_000, "the run to the end"
        )
        await wait_until(pilot, lambda: app.autosave.writes >= 1, "an autosave")
    text = (state_home / "session.json").read_text()
    document = json.loads(text)
    assert "history" not in document
    assert document["last_step"] == 20_000
    assert len(text) < 2000
    session = load_session(state_home / "session.json")
    assert session.current_step == 20_000
    assert session.settings.optimizer == GradientDescent()
