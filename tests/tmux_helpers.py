"""A tmux pane with a shell, for checking the terminal after the app has ended.

This builds on the Tmux helper of test_terminal.py. The app runs as a
command in a bash shell, so once it exits a test can read the terminal's
modes from tmux, run ``stty`` in the same terminal and read the exit status.
"""

from __future__ import annotations

import os
import re
import shlex
import time
from collections.abc import Sequence
from pathlib import Path

from test_terminal import KEY_GAP, SCREEN_TIMEOUT, Tmux, installed_command

__all__ = ["KEY_GAP", "SCREEN_TIMEOUT", "ShellTerminal", "installed_command"]

EXIT_MARK = "EXIT="
"""Printed by the shell after the app, followed by its exit status."""

RESTORED_FLAGS = {
    "alternate_on": "0",
    "mouse_any_flag": "0",
    "mouse_all_flag": "0",
    "mouse_button_flag": "0",
    "mouse_standard_flag": "0",
    "mouse_sgr_flag": "0",
    "cursor_flag": "1",
    "wrap_flag": "1",
}
"""tmux pane flags as a shell leaves them: main screen, no mouse tracking,
cursor shown, lines wrapped. tmux 3.3 reports no bracketed-paste flag."""


class ShellTerminal(Tmux):
    """A tmux session whose pane runs bash with a private state folder.

    With ``app_arguments`` the pane runs the installed app itself instead
    of a shell, so that closing tmux hangs up the app's terminal as a
    dropped SSH connection does.
    """

    def __init__(
        self,
        state_home: Path,
        width: int = 100,
        height: int = 30,
        *,
        app_arguments: Sequence[str] | None = None,
    ) -> None:
        self.state_home = state_home
        self.pid_file = state_home.parent / "app.pid"
        environment = (
            f"TERM=xterm-256color XDG_STATE_HOME={shlex.quote(str(state_home))} "
            "PS1='$ '"
        )
        if app_arguments is None:
            program = "bash --norc --noprofile"
        else:
            program = self._recording_pid([installed_command(), *app_arguments])
        super().__init__(f"env {environment} {program}", width, height)
        # Keep the pane, and what the app printed, if the app ends early.
        self.tmux("set-option", "-t", self.target, "remain-on-exit", "on")

    def _recording_pid(self, command: Sequence[str]) -> str:
        """Wrap ``command`` so it first writes its process id to ``pid_file``.

        The wrapper replaces itself with the command, so the id is the app's.
        """
        line = " ".join(shlex.quote(part) for part in command)
        pid_file = shlex.quote(str(self.pid_file))
        return f"sh -c 'echo $$ > {pid_file}; exec \"$0\" \"$@\"' {line}"

    def start_app(self, *arguments: str, program: Sequence[str] | None = None) -> None:
        """Run the installed command (or ``program``) from the shell."""
        command = [*(program or [installed_command()]), *arguments]
        self.type_line(f"clear; {self._recording_pid(command)}; echo {EXIT_MARK}$?")

    def joined_screen(self) -> str:
        """Return the screen with wrapped lines joined, so long paths are whole."""
        return self.tmux("capture-pane", "-p", "-J", "-t", self.target)

    def type_line(self, text: str) -> None:
        """Type ``text`` literally into the shell and press Enter."""
        self.tmux("send-keys", "-t", self.target, "-l", text)
        time.sleep(KEY_GAP)
        self.send("Enter")

    def app_pid(self) -> int:
        """Return the process id that the last ``start_app`` wrote."""
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while time.monotonic() < deadline:
            text = self.pid_file.read_text() if self.pid_file.exists() else ""
            if text.strip():
                return int(text)
            time.sleep(0.1)
        raise AssertionError(f"the app wrote no process id to {self.pid_file}")

    def wait_for_exit_status(self) -> int:
        """Wait until the shell prints the app's exit status; return it."""
        deadline = time.monotonic() + SCREEN_TIMEOUT
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            # The typed command reads EXIT=$?, so only digits mark the output.
            found = re.search(rf"{EXIT_MARK}(\d+)", screen)
            if found:
                return int(found.group(1))
            time.sleep(0.1)
        raise AssertionError(f"no exit status appeared; the screen was:\n{screen}")

    def flags(self) -> dict[str, str]:
        """Return the pane's terminal modes that ``RESTORED_FLAGS`` names."""
        names = list(RESTORED_FLAGS)
        text = self.tmux(
            "display", "-p", "-t", self.target, " ".join(f"#{{{n}}}" for n in names)
        )
        return dict(zip(names, text.split(), strict=True))

    def stty_modes(self) -> set[str]:
        """Run ``stty -a`` in the pane and return the words it printed."""
        # The quotes keep the typed line from matching the printed marker.
        self.type_line("clear; stty -a; echo STTY-''DONE")
        screen = self.wait_for("STTY-DONE")
        return set(screen.replace(";", " ").split())

    def resize(self, width: int, height: int) -> None:
        """Resize the window, as a person dragging the terminal's corner."""
        self.tmux("resize-window", "-t", self.target, "-x", str(width), "-y", str(height))

    def session_file(self) -> Path:
        """Return where the app saves its session under this state folder."""
        return self.state_home / "descend-tui" / "session.json"


def process_ended(pid: int, timeout: float = SCREEN_TIMEOUT) -> bool:
    """Wait up to ``timeout`` seconds for process ``pid`` to end."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if _is_zombie(pid):
            return True  # Ended, but an init without reaping keeps the entry.
        time.sleep(0.1)
    return False


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    # The state letter follows the command name, which is in parentheses.
    return stat.rpartition(")")[2].split()[0] == "Z"
