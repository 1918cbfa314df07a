"""Hang-ups, SIGTERM and unexpected errors in a real terminal, driven by tmux.

The installed ``descend-tui`` runs in a bash shell inside tmux, with a
temporary XDG_STATE_HOME. After each way of ending, the terminal must be
back in the shell's modes, the session must be saved, and ``--resume``
must show the same step again.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest
from tmux_helpers import (
    RESTORED_FLAGS,
    SCREEN_TIMEOUT,
    ShellTerminal,
    process_ended,
)


@pytest.fixture
def shell(tmp_path):
    terminal = ShellTerminal(tmp_path / "state")
    terminal.wait_for("$")
    yield terminal
    terminal.close()


def step_and_change_rate(shell: ShellTerminal) -> None:
    """Type η = 0.25 into its field, then take three steps."""
    shell.wait_for("step 0 of 40")
    # From the table, four Tabs pass the preset picker, f(x) and x0.
    shell.send("Tab", "Tab", "Tab", "Tab")
    shell.send("BSpace", "BSpace", "BSpace", "0", ".", "2", "5", "Enter")
    shell.wait_for("η = 0.25")
    shell.send("n", "n", "n")
    shell.wait_for("step 3 of 40")


def assert_terminal_restored(shell: ShellTerminal) -> None:
    """Check the pane's modes and the tty's line discipline after the app."""
    assert shell.flags() == RESTORED_FLAGS
    modes = shell.stty_modes()
    for mode in ("echo", "icanon", "isig", "icrnl", "ixon"):
        assert mode in modes, f"stty shows no {mode}: {sorted(modes)}"
        assert f"-{mode}" not in modes, f"stty shows -{mode}"


def saved_session(shell: ShellTerminal) -> dict:
    path = shell.session_file()
    assert path.exists(), f"no session at {path}"
    return json.loads(path.read_text())


@pytest.mark.parametrize(
    ("name", "status", "cause"),
    [
        ("SIGHUP", 129, "the terminal hung up (SIGHUP)"),
        ("SIGTERM", 143, "it was asked to stop (SIGTERM)"),
    ],
)
def test_signal_saves_session_and_resumes(shell, name, status, cause):
    shell.start_app("--max-steps", "40")
    step_and_change_rate(shell)
    pid = shell.app_pid()

    subprocess.run(["kill", f"-{name[3:]}", str(pid)], check=True)

    assert shell.wait_for_exit_status() == status
    screen = shell.joined_screen()
    assert f"descend-tui stopped because {cause}." in screen
    assert str(shell.session_file()) in screen
    assert "descend-tui --resume" in screen
    assert_terminal_restored(shell)
    document = saved_session(shell)
    assert document["current_step"] == 3
    assert document["settings"]["learning_rate"] == 0.25
    assert document["settings"]["max_steps"] == 40

    shell.start_app("--resume")
    screen = shell.wait_for("step 3 of 40")
    assert "η = 0.25" in screen
    shell.send("q")
    assert shell.wait_for_exit_status() == 0
    assert_terminal_restored(shell)


def test_closed_terminal_saves_session(tmp_path):
    terminal = ShellTerminal(tmp_path / "state", app_arguments=["--max-steps", "40"])
    try:
        terminal.wait_for("step 0 of 40")
        terminal.send("n", "n")
        terminal.wait_for("step 2 of 40")
        pid = terminal.app_pid()
    finally:
        terminal.close()

    assert process_ended(pid), f"descend-tui (pid {pid}) still runs after the hang-up"
    assert saved_session(terminal)["current_step"] == 2


def test_closed_terminal_during_long_run_ends(tmp_path):
    # Run to the end of a million slow steps, so screen updates are still
    # queued when the terminal goes away.
    arguments = ["--max-steps", "1000000", "--lr", "1e-9"]
    terminal = ShellTerminal(tmp_path / "state", app_arguments=arguments)
    try:
        terminal.wait_for("step 0 of 1,000,000")
        terminal.send("g")
        terminal.wait_for("computing… step")
        # Let frames pile up; the hang this guards against needs a backlog.
        time.sleep(2)
        pid = terminal.app_pid()
    finally:
        terminal.close()

    assert process_ended(pid), f"descend-tui (pid {pid}) still runs after the hang-up"
    assert saved_session(terminal)["current_step"] > 0


def wait_for_saved_step(shell: ShellTerminal, step: int) -> dict:
    """Wait until the autosaved session is at shared step ``step``; return it."""
    path = shell.session_file()
    deadline = time.monotonic() + SCREEN_TIMEOUT
    document: dict = {}
    while time.monotonic() < deadline:
        try:
            document = json.loads(path.read_text())
        except (OSError, ValueError):
            document = {}  # Not written yet.
        if document.get("shared_step", document.get("current_step")) == step:
            return document
        time.sleep(0.1)
    raise AssertionError(f"no session at step {step} in {path}; last read {document}")


def test_killed_app_resumes_from_autosave(shell):
    shell.start_app("--max-steps", "40")
    step_and_change_rate(shell)
    # A second run, a copy of the first with η halved to 0.125. Changing η
    # restarts the runs, so four steps follow.
    shell.send("a", "[", "n", "n", "n", "n")
    shell.wait_for("step 4 of 40")
    document = wait_for_saved_step(shell, 4)
    assert [entry["settings"]["learning_rate"] for entry in document["runs"]] == [
        0.25,
        0.125,
    ]

    # SIGKILL cannot be caught: nothing is saved on the way out.
    subprocess.run(["kill", "-KILL", str(shell.app_pid())], check=True)
    assert shell.wait_for_exit_status() == 128 + 9

    # A killed app leaves its terminal modes behind, so resume in a new one.
    resumed = ShellTerminal(shell.state_home, app_arguments=["--resume"])
    try:
        screen = resumed.wait_for("step 4 of 40")
        assert "η = 0.125" in screen
        # The summary marks the selected run with ▸ before its coloured dot.
        assert "▸● 2 GD η=0.125" in screen
        assert "● 1 GD η=0.25" in screen
        resumed.send("1")
        screen = resumed.wait_for("η = 0.25")
        assert "step 4 of 40" in screen
    finally:
        resumed.close()


BROKEN_APP = """
import sys
from pathlib import Path

import tui_descent.app
from tui_descent.app import DescentApp
from tui_descent.recovery import run_app


class BrokenApp(DescentApp):
    CSS_PATH = Path(tui_descent.app.__file__).with_name("app.tcss")

    def action_back(self):
        raise RuntimeError("injected failure on the back key")


sys.exit(run_app(BrokenApp()))
"""


def test_unexpected_error_reports_after_restore(shell, tmp_path):
    script = tmp_path / "broken_app.py"
    script.write_text(textwrap.dedent(BROKEN_APP))
    shell.start_app(program=[sys.executable, str(script)])
    shell.wait_for("step 0 of 50")
    shell.send("n", "n")
    shell.wait_for("step 2 of 50")

    shell.send("b")

    assert shell.wait_for_exit_status() == 1
    screen = shell.joined_screen()
    assert "descend-tui stopped because of an unexpected error" in screen
    assert "RuntimeError: injected failure on the back key" in screen
    assert_terminal_restored(shell)
    assert saved_session(shell)["current_step"] == 2
    state_dir = shell.session_file().parent
    reports = list(state_dir.glob("error-*.txt"))
    assert len(reports) == 1, f"expected one report in {state_dir}"
    report = reports[0].read_text()
    assert "RuntimeError: injected failure on the back key" in report
    assert "action_back" in report
    assert "Step 2 of the 2 computed" in report

