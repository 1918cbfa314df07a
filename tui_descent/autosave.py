"""Save the session to the state folder while the app runs, not only when it ends.

A terminal can go away without any signal the app can catch: SIGKILL, a
power cut, or a shell that ignores hang-ups under nohup. So after the runs
or the step change, the session is written to the same ``session.json``
that a hang-up writes, and ``descend-tui --resume`` reopens it.

Writes are throttled: the first change arms a one-shot timer, and changes
until it fires share its write, so playing at 240 steps a second writes
about once a second. An app that nothing changes arms no timer, so it
neither wakes up nor writes. The state first shown counts as saved, so
starting the app, with or without ``--resume``, keeps the saved session
until the learner changes something. The file is written in a thread,
because a synced write can take a while on a slow disk.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from .saved_state import Recovery

AUTOSAVE_DELAY = 1.0
"""Seconds from the first unsaved change to the write that includes it."""


class Autosave:
    """Throttled, atomic saving of an app's session to the state folder.

    The app calls ``request`` each time it shows the runs, the first time
    included, and ``flush`` when it ends.
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
        self._saved_text: str | None = None
        """The session text last written or attempted, so an unchanged
        session is not written again; None until the first request."""
        self._threads_writing = 0
        """Writes started in a thread and not finished yet."""
        self.writes = 0
        """Session files written so far."""
        self.failures = 0
        """Writes that failed so far."""

    @property
    def pending(self) -> bool:
        """True while a write is due or still being written."""
        return self._timer is not None or self._threads_writing > 0

    def request(self) -> None:
        """Save the session within ``delay`` seconds if it changed, unless a
        save is already due.

        The first request only records the session as saved.
        """
        if self._timer is not None:
            return
        try:
            text = self._recovery.snapshot(self._app.stepper)[1]
        except (ValueError, TypeError):
            text = None  # The timer's own snapshot reports the failure.
        if self._saved_text is None:
            self._saved_text = text or ""
            return
        if text == self._saved_text:
            return
        self._timer = self._app.set_timer(
            self.delay, self._save_in_thread, name="autosave"
        )

    async def _save_in_thread(self) -> None:
        self._timer = None
        snapshot = self._take_snapshot()
        if snapshot is None:
            return
        self._threads_writing += 1
        try:
            written = await asyncio.to_thread(self._recovery.write_snapshot, *snapshot)
        except OSError as error:
            self._report_failure(error, notify=True)
            return
        finally:
            self._threads_writing -= 1
        self.writes += written

    def flush(self) -> None:
        """Write the session at once if a write is due or still in a thread,
        for an app that is ending.

        A write still in a thread is written again, because it may not have
        reached the file yet. Its older ticket keeps it from replacing this one.
        """
        if not self.pending:
            return
        in_thread = self._threads_writing > 0
        self._cancel_timer()
        snapshot = self._take_snapshot(force=in_thread)
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

    def _take_snapshot(self, force: bool = False) -> tuple[int, str] | None:
        """Return (ticket, text) of the session, or None when it is unchanged
        and ``force`` is false."""
        stepper = self._app.stepper
        if stepper is None:
            return None
        try:
            ticket, text = self._recovery.snapshot(stepper)
        except (ValueError, TypeError) as error:
            self._report_failure(error, notify=True)
            return None
        if text == self._saved_text and not force:
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
