"""Save the session to the state folder while the app runs, not only when it ends.

A terminal can go away without any signal the app can catch: SIGKILL, a
power cut, or a shell that ignores hang-ups under nohup. So after the runs
or the step change, the session is written to the same ``session.json``
that a hang-up writes, and ``descend-tui --resume`` reopens it.

Writes are throttled: the first change arms a one-shot timer, and changes
until it fires share its write, so playing at 240 steps a second writes
about once a second. An app that nothing changes arms no timer, so it
neither wakes up nor writes. The file is written in a thread, because a
synced write can take a while on a slow disk.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from .recovery import Recovery
    from .stepper import Stepper

AUTOSAVE_DELAY = 1.0
"""Seconds from the first unsaved change to the write that includes it."""


class Autosave:
    """Throttled, atomic saving of an app's session to the state folder.

    The app calls ``request`` after every change and ``flush`` when it ends.
    A write that fails with OSError, or a state that cannot be stored, is
    not raised: the first failure shows one notice, and every failure goes
    to Textual's log.
    """

    def __init__(
        self, app: App, recovery: Recovery, delay: float = AUTOSAVE_DELAY
    ) -> None:
        self._app = app
        self._recovery = recovery
        self.delay = delay
        self._timer: Timer | None = None
        self._saved_text = ""
        """The session text last written or attempted, so an unchanged
        session is not written again."""
        self.writes = 0
        """Session files written so far."""
        self.failures = 0
        """Writes that failed so far."""

    @property
    def pending(self) -> bool:
        """True while a write is due, so a timer is armed."""
        return self._timer is not None

    def start_from(self, stepper: Stepper) -> None:
        """Take the session on screen as saved, and cancel any write due.

        Called once the app shows its first runs, so that starting the app,
        with or without ``--resume``, does not replace the saved session.
        """
        self._cancel_timer()
        try:
            self._saved_text = self._recovery.snapshot(stepper)[1]
        except (ValueError, TypeError):
            self._saved_text = ""  # The first change will try again.

    def request(self) -> None:
        """Save the session within ``delay`` seconds, unless a save is due."""
        if self._timer is None:
            self._timer = self._app.set_timer(
                self.delay, self._save_in_thread, name="autosave"
            )

    async def _save_in_thread(self) -> None:
        self._timer = None
        snapshot = self._take_snapshot()
        if snapshot is None:
            return
        try:
            written = await asyncio.to_thread(self._recovery.write_snapshot, *snapshot)
        except OSError as error:
            self._report_failure(error, notify=True)
            return
        self.writes += written

    def flush(self) -> None:
        """Write a save that is due at once, for an app that is ending."""
        if self._timer is None:
            return
        self._cancel_timer()
        snapshot = self._take_snapshot()
        if snapshot is None:
            return
        try:
            self.writes += self._recovery.write_snapshot(*snapshot)
        except OSError as error:
            # The app is closing, so a notice would not be seen.
            self._report_failure(error, notify=False)

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _take_snapshot(self) -> tuple[int, str] | None:
        """Return (ticket, text) of the session, or None when it is unchanged."""
        try:
            ticket, text = self._recovery.snapshot(self._app.stepper)
        except (ValueError, TypeError) as error:
            self._report_failure(error, notify=True)
            return None
        if text == self._saved_text:
            return None
        self._saved_text = text
        return ticket, text

    def _report_failure(self, error: Exception, *, notify: bool) -> None:
        self.failures += 1
        self._app.log.warning(f"autosave failure {self.failures}: {error}")
        if notify and self.failures == 1:
            folder = self._recovery.state_dir
            self._app.notify(
                f"Autosave failed: {error}. Check that {folder} is writable "
                "and the disk has room. This notice is shown once.",
                severity="warning",
                timeout=10,
            )
