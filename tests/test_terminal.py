"""The installed ``descend-tui`` command in a real terminal, driven by tmux."""

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

KEY_GAP = 0.3
"""Seconds between two key presses."""

SCREEN_TIMEOUT = 20.0
"""Seconds to wait for text to appear; generous because CI machines are shared."""


def installed_command() -> str:
    """Return the path of the ``descend-tui`` script installed beside Python."""
    beside = Path(sys.executable).parent / "descend-tui"
    if beside.exists():
        return str(beside)
    found = shutil.which("descend-tui")
    if found is None:
        pytest.fail("descend-tui is not installed; run pip install '.[test]' first")
    return found


class Tmux:
    """One detached tmux session on a private server socket."""

    def __init__(self, command: str, width: int, height: int) -> None:
        if shutil.which("tmux") is None:
            pytest.fail("tmux is not installed; install it (apt-get install tmux)")
        self.socket = f"descend-tui-test-{uuid.uuid4().hex[:8]}"
        self.target = "app"
        self.tmux(
            "new-session", "-d", "-s", self.target,
            "-x", str(width), "-y", str(height), command,
        )

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True, text=True, check=True, timeout=10,
        )
        return result.stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.target)

    def wait_for(self, text: str) -> str:
        """Wait until ``text`` is on the screen; return the screen."""
        deadline = time.monotonic() + SCREEN_TIMEOUT
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear; the screen was:\n{screen}")

    def send(self, *keys: str) -> None:
        """Press keys one at a time, with a short gap as a person typing has.

        NOTE: with textual 8.2.8, letters typed into an Input within about
        50 ms of a backspace were lost, both here and in a bare Textual app
        with one Input, though the app received every key event. The cause
        is not known, so keys go at a person's typing pace.
        """
        for key in keys:
            self.tmux("send-keys", "-t", self.target, key)
            time.sleep(KEY_GAP)

    def alive(self) -> bool:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "has-session", "-t", self.target],
            capture_output=True,
        )
        return result.returncode == 0

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal():
    env_command = f"env TERM=xterm-256color {installed_command()} --max-steps 40"
    session = Tmux(env_command, 100, 30)
    yield session
    session.close()


def test_installed_command_steps_and_quits(terminal):
    terminal.wait_for("step 0 of 40")
    terminal.send("n", "n", "n")
    screen = terminal.wait_for("step 3 of 40")
    assert f"x = {8 * 0.8**3:.6g}" in screen
    terminal.send("b")
    terminal.wait_for("step 2 of 40")
    terminal.send("g")
    screen = terminal.wait_for("step 40 of 40")
    assert "reached max steps" in screen
    terminal.send("q")
    deadline = time.monotonic() + SCREEN_TIMEOUT
    while terminal.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not terminal.alive()


def test_installed_command_names_bad_value(terminal):
    terminal.wait_for("step 0 of 40")
    # Tab moves from the table to the preset picker, the f(x) field and x0.
    terminal.send("Tab", "Tab", "Tab")
    terminal.send("BSpace", "BSpace", "BSpace", "x", "y", "Enter")
    screen = terminal.wait_for("is not a number")
    assert "step 0 of 40" in screen
    terminal.send("Escape")
    terminal.send("n")
    terminal.wait_for("step 1 of 40")


def test_bad_option_exits_with_status_two():
    result = subprocess.run(
        [installed_command(), "--lr", "fast"],
        capture_output=True, text=True, timeout=30, env={**os.environ},
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "--lr" in result.stderr
    assert "'fast' is not a number" in result.stderr
