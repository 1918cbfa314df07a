"""Save the session when the app ends abnormally, and find it again for --resume.

A hang-up (SIGHUP, as when an SSH connection drops), SIGTERM, or an
exception that escapes a handler ends the app through Textual's own exit,
which restores the terminal. Before that, every run and the step on screen
are written to ``session.json`` in the state folder
(``$XDG_STATE_HOME/descend-tui``), and for an exception the traceback is
written beside it. Once the terminal is restored, ``run_app`` prints where
both went, and ``descend-tui --resume`` reopens the session. While the app
runs, autosave.py keeps the same file up to date, for an end that no
handler sees.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import platform
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .autosave import Autosave
from .export import default_session_path, default_state_dir, write_files
from .session_runs import comparison_text
from .sessions import Session, SessionError, load_session

if TYPE_CHECKING:
    from .stepper import Stepper

HANDLED_SIGNALS = ("SIGHUP", "SIGTERM")
"""Signals that save the session and end the app cleanly. Names, because
Windows has no SIGHUP; a signal missing on the platform is skipped."""

EXIT_GRACE_SECONDS = 5.0
"""Seconds a signal leaves Textual to shut down before the process exits
anyway. With textual 8.2.8, after the terminal hung up in the middle of
screen updates, shutdown blocked for good: the writer thread had died on a
failed write and the next write waited on its full queue."""

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
        return next(self._tickets), comparison_text(stepper, with_history=False)

    def write_snapshot(self, ticket: int, text: str) -> bool:
        """Write ``text`` atomically to ``session_file``, unless a snapshot
        with a later ticket is already written; return whether it wrote.

        Safe to call from a thread. Raises OSError (ExportError) when the
        folder cannot be made or the file cannot be written.
        """
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


class RecoveryMixin:
    """Make a Textual app with a ``stepper`` save its session, and when it ends badly.

    Put it before ``App`` in the bases. On mount it makes SIGHUP and SIGTERM
    save the session and exit with status 128 + the signal number, and an
    exception that escapes a handler saves the session and an error report
    before Textual ends the app. Handlers are only installed for a real
    terminal, so a headless test run never changes the process's signals.
    The app calls ``autosave.request()`` after each change; autosave works
    headless too, so tests point XDG_STATE_HOME at a temporary folder.
    """

    def __new__(cls, *args, **kwargs):
        app = super().__new__(cls)
        app._stepper = None
        app._session_to_restore = kwargs.get("session")
        return app

    @property
    def stepper(self) -> Stepper | None:
        """The runs on screen, or None until the app has created them."""
        return self._stepper

    @stepper.setter
    def stepper(self, stepper: Stepper | None) -> None:
        # NOTE: the app restores only the selected run of the session it is
        # given. Restoring every run as the stepper is set, before the first
        # frame shows it, can go once the app calls session.apply_to itself.
        session = self._session_to_restore
        if stepper is not None and session is not None:
            self._session_to_restore = None
            session.apply_to(stepper)
        self._stepper = stepper

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.recovery = Recovery()
        self.autosave = Autosave(self, self.recovery)
        self._signals_installed: list[int] = []

    def _on_mount(self) -> None:
        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for name in HANDLED_SIGNALS:
            number = getattr(signal, name, None)
            if number is None:
                continue
            try:
                loop.add_signal_handler(number, self._end_on_signal, number)
            except (NotImplementedError, RuntimeError, ValueError):
                # Windows event loops and non-main threads take no handlers;
                # the signal then keeps its default action.
                continue
            self._signals_installed.append(number)

    def _on_unmount(self) -> None:
        self._remove_signal_handlers()
        self.autosave.flush()

    def _remove_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        while self._signals_installed:
            loop.remove_signal_handler(self._signals_installed.pop())

    def _end_on_signal(self, number: int) -> None:
        """Save the session and exit; a second signal ends the process at once."""
        self._remove_signal_handlers()
        self.recovery.record_signal(signal.Signals(number).name, self.stepper)
        if not self.is_headless:
            self.recovery.exit_timer = _exit_after_grace(128 + number)
        self.exit(return_code=128 + number)

    def _handle_exception(self, error: Exception) -> None:
        # Textual calls this for every exception a handler, timer or worker
        # lets out, then exits; the session is saved first.
        self.recovery.record_error(error, getattr(self, "stepper", None))
        super()._handle_exception(error)


def _exit_after_grace(status: int) -> threading.Timer:
    """End the process with ``status`` unless the timer returned is cancelled.

    The session is already saved, so a shutdown that hangs loses nothing
    but the notice and, at worst, the restoring of a terminal that is gone.
    """
    timer = threading.Timer(EXIT_GRACE_SECONDS, os._exit, args=(status,))
    timer.daemon = True  # A normal exit does not wait for it.
    timer.start()
    return timer


def run_app(app) -> int:
    """Run ``app``, then print the recovery notice; return the exit status.

    An exception that escapes ``app.run`` itself (outside any handler) is
    recorded like one inside a handler and gives status 1.
    """
    _drop_stale_size_variables()
    try:
        app.run()
        status = app.return_code or 0
        if app.recovery.exit_timer is not None:
            app.recovery.exit_timer.cancel()  # The shutdown did finish.
    except Exception as error:  # noqa: BLE001
        # Anything Textual lets out is a bug; record it rather than show
        # only a traceback, and still print where the session went.
        app.recovery.record_error(error, getattr(app, "stepper", None))
        status = 1
    print_notice(app.recovery.notice())
    return status


def _drop_stale_size_variables() -> None:
    """Remove COLUMNS and LINES, so that resizing the terminal resizes the app.

    Textual 8.2.8 reads the size with shutil.get_terminal_size, which
    prefers these variables to the terminal. A shell or tmux that exported
    them at start-up would pin the app to that size for good. See
    https://github.com/Textualize/textual/pull/6153
    """
    if sys.stdout.isatty():
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)


def print_notice(text: str) -> None:
    """Print ``text`` to stderr, ignoring a terminal that has gone away."""
    if not text:
        return
    try:
        print(text, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass  # After a hang-up stderr may be a closed or dead terminal.


def load_saved_session(state_dir: Path | None = None) -> Session:
    """Load the session saved in the state folder, for ``--resume``.

    Raises SessionError naming the path when there is no saved session or
    it cannot be read.
    """
    path = (state_dir or default_state_dir()) / default_session_path().name
    if not path.exists():
        raise SessionError(
            f"no saved session at {path}; descend-tui saves one there about a "
            "second after you step or change a run, and when it stops"
        )
    return load_session(path)
