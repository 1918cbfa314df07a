"""Save the session when the app ends abnormally, and find it again for --resume.

A hang-up (SIGHUP, as when an SSH connection drops), SIGTERM, or an
exception that escapes a handler ends the app through Textual's own exit,
which restores the terminal. Before that, saved_state.py writes every run
and the step on screen to ``session.json`` in the state folder
(``$XDG_STATE_HOME/descend-tui``), and for an exception the traceback
beside it. Once the terminal is restored, ``run_app`` prints where
both went, and ``descend-tui --resume`` reopens the session. While the app
runs, autosave.py keeps the same file up to date, for an end that no
handler sees.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING

from .autosave import Autosave
from .saved_state import Recovery, error_report, load_saved_session

if TYPE_CHECKING:
    from .stepper import Stepper

__all__ = [
    "Recovery",
    "RecoveryMixin",
    "error_report",
    "load_saved_session",
    "print_notice",
    "run_app",
]
"""Recovery, error_report and load_saved_session live in saved_state.py
and are exported here too, for the command line and the tests."""

HANDLED_SIGNALS = ("SIGHUP", "SIGTERM")
"""Signals that save the session and end the app cleanly. Names, because
Windows has no SIGHUP; a signal missing on the platform is skipped."""

EXIT_GRACE_SECONDS = 5.0
"""Seconds a signal leaves Textual to shut down before the process exits
anyway. With textual 8.2.8, after the terminal hung up in the middle of
screen updates, shutdown blocked for good: the writer thread had died on a
failed write and the next write waited on its full queue."""


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
