"""The files an interrupted app leaves in its state folder, and how to find them.

``Recovery`` writes the session (every run and the step on screen) to
``session.json`` in the state folder (``$XDG_STATE_HOME/descend-tui``), and
for an unexpected error a report beside it. ``load_saved_session`` reads the
session back for ``descend-tui --resume``. The app imports this module
before its first frame, so it imports numpy (through export.py and
sessions.py) and textual only inside the functions that need them.
"""

from __future__ import annotations

import itertools
import os
import platform
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .sessions import Session
    from .stepper import Stepper


def default_state_dir() -> Path:
    """Return the folder for saved state: $XDG_STATE_HOME/descend-tui.

    XDG_STATE_HOME defaults to ~/.local/state, and a relative value is ignored
    as the XDG Base Directory specification requires. The folder is not created.
    """
    base = os.environ.get("XDG_STATE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "state"
    return root / "descend-tui"


def default_session_path() -> Path:
    """Return the session file in the state folder, for saving on a crash."""
    return default_state_dir() / "session.json"


SIGNAL_CAUSES = {
    "SIGHUP": "the terminal hung up (SIGHUP)",
    "SIGTERM": "it was asked to stop (SIGTERM)",
}


@dataclass
class Recovery:
    """Record of an abnormal end: its cause and the files written for it."""

    state_dir: Path = field(default_factory=default_state_dir)
    cause: str = ""
    """The reason the app ended, as a phrase; empty while nothing went wrong."""
    session_path: Path | None = None
    """The session file written, or None when none was written."""
    report_path: Path | None = None
    """The error report written, or None."""
    failures: list[str] = field(default_factory=list)
    """Sentences naming each save that failed and why."""
    exit_timer: threading.Timer | None = None
    """The timer that ends a process whose shutdown hangs after a signal."""
    _tickets: itertools.count = field(
        default_factory=lambda: itertools.count(1), init=False, repr=False
    )
    _published: int = field(default=0, init=False, repr=False)
    """Ticket of the newest session written, so an older one never replaces it."""
    _write_lock: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False
    )

    @property
    def session_file(self) -> Path:
        """The path that ``save`` writes and ``--resume`` reads."""
        return self.state_dir / default_session_path().name

    def save(self, stepper: Stepper | None) -> Path | None:
        """Write every run at the current step; return the path or None.

        A failure is recorded in ``failures`` instead of raised, because the
        caller is already ending the app and must not be stopped by it.
        Without a stepper (the app ended before it made one) nothing is
        written, so an earlier session stays.
        """
        if stepper is None:
            return None
        try:
            self.write_snapshot(*self.snapshot(stepper))
        except (OSError, ValueError, TypeError) as error:
            self.failures.append(f"The session could not be saved: {error}.")
            return None
        self.session_path = self.session_file
        return self.session_path

    def snapshot(self, stepper: Stepper) -> tuple[int, str]:
        """Render the session of ``stepper``; return (ticket, text) for
        ``write_snapshot``.

        The text has no history, so it stays a few kilobytes at any run
        length, and ``--resume`` recomputes the runs. Tickets grow with
        each call. Raises ValueError or TypeError for a stepper whose state
        cannot be stored.
        """
        from .session_runs import comparison_text

        return next(self._tickets), comparison_text(stepper, with_history=False)

    def write_snapshot(self, ticket: int, text: str) -> bool:
        """Write ``text`` atomically to ``session_file``, unless a snapshot
        with a later ticket is already written; return whether it wrote.

        Safe to call from a thread. Raises OSError (ExportError) when the
        folder cannot be made or the file cannot be written.
        """
        from .export import write_files

        with self._write_lock:
            if ticket < self._published:
                return False
            self._make_state_dir()
            write_files([(self.session_file, text)], overwrite=True)
            self._published = ticket
        return True

    def write_report(self, error: BaseException, stepper: Stepper | None) -> Path | None:
        """Write the traceback of ``error`` and the run's settings to a new file."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = self.state_dir / f"error-{stamp}-{os.getpid()}.txt"
        try:
            from .export import write_files

            self._make_state_dir()
            write_files([(path, error_report(error, stepper))], overwrite=False)
        except OSError as failure:
            self.failures.append(f"The error report could not be written: {failure}.")
            return None
        self.report_path = path
        return path

    def record_error(self, error: BaseException, stepper: Stepper | None) -> None:
        """Save the session and the report of the first unexpected error."""
        if self.cause:
            return  # Later errors usually follow from the first one.
        self.cause = f"because of an unexpected error ({_one_line(error)})"
        self.write_report(error, stepper)
        if stepper is not None:
            self.save(stepper)

    def record_signal(self, name: str, stepper: Stepper | None) -> None:
        """Save the session because the signal ``name`` arrived."""
        if not self.cause:
            self.cause = f"because {SIGNAL_CAUSES.get(name, name)}"
        self.save(stepper)

    def notice(self) -> str:
        """Return the lines to print after the terminal is restored, or ''."""
        if not self.cause:
            return ""
        lines = [f"descend-tui stopped {self.cause}."]
        if self.session_path is not None:
            lines.append(
                f"The session was saved to {self.session_path}; "
                "run 'descend-tui --resume' to reopen it."
            )
        if self.report_path is not None:
            lines.append(
                f"The error report is in {self.report_path}; please attach it "
                "to a bug report."
            )
        lines.extend(self.failures)
        return "\n".join(lines)

    def _make_state_dir(self) -> None:
        # The XDG Base Directory specification creates missing folders as 0700.
        self.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)

def error_report(error: BaseException, stepper: Stepper | None) -> str:
    """Render the report of an unexpected error: versions, run and traceback."""
    from textual import __version__ as textual_version

    lines = [
        f"descend-tui {__version__} stopped on an unexpected error.",
        f"Time: {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"Python {platform.python_version()} on {platform.platform()}, "
        f"textual {textual_version}",
    ]
    if stepper is not None:
        lines += [
            f"f(x) = {stepper.function.formula}",
            f"Settings: {stepper.settings!r}",
            f"Step {stepper.current} of the {stepper.run.last_step} computed",
        ]
    lines += ["", *traceback.format_exception(error)]
    return "\n".join(line.rstrip("\n") for line in lines) + "\n"


def _one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def load_saved_session(state_dir: Path | None = None) -> Session:
    """Load the session saved in the state folder, for ``--resume``.

    Raises SessionError naming the path when there is no saved session or
    it cannot be read.
    """
    from .sessions import SessionError, load_session

    path = (state_dir or default_state_dir()) / default_session_path().name
    if not path.exists():
        raise SessionError(
            f"no saved session at {path}; descend-tui saves one there about a "
            "second after you step or change a run, and when it stops"
        )
    return load_session(path)
