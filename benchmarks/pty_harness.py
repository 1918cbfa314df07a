"""Run a terminal app on a pseudo-terminal, press keys and time its output.

The harness plays the terminal. It replies to Textual's query for synchronized
output (DEC mode 2026), so Textual wraps every screen update in
``ESC[?2026h … ESC[?2026l``. A burst of output ends when no byte arrives for
a quiet gap; its end time is the arrival of its last byte, so the gap itself
is not counted. Each burst also counts the frame markers it contains.
"""

from __future__ import annotations

import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Self

SYNC_QUERY = b"\x1b[?2026$p"
SYNC_REPLY = b"\x1b[?2026;2$y"
"""Reply "mode 2026 is supported and reset", as xterm-compatible terminals do."""
SYNC_END = b"\x1b[?2026l"

DEFAULT_QUIET = 0.2
"""Seconds without output that end a burst. Longer than any pause between two
frames of one update seen in trials, and short enough to press keys quickly."""

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
_ESCAPE = re.compile(
    rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)"
)
_STEP = re.compile(r"step ([\d,]+) of ([\d,]+)")


@dataclass
class Burst:
    """The output that followed one action, chunk by chunk with arrival times."""

    started: float
    """Monotonic time of the action: a key written or the process started."""
    chunks: list[tuple[float, bytes]] = field(default_factory=list)

    @property
    def size(self) -> int:
        """Bytes received."""
        return sum(len(chunk) for _, chunk in self.chunks)

    @property
    def latency(self) -> float | None:
        """Seconds from the action to the last byte, or None without output."""
        if not self.chunks:
            return None
        return self.chunks[-1][0] - self.started

    @property
    def first_byte(self) -> float | None:
        """Seconds from the action to the first byte, or None without output."""
        if not self.chunks:
            return None
        return self.chunks[0][0] - self.started

    @property
    def data(self) -> bytes:
        """All bytes of the burst joined."""
        return b"".join(chunk for _, chunk in self.chunks)

    @property
    def frames(self) -> int:
        """Synchronized updates that ended in this burst."""
        return self.data.count(SYNC_END)


def strip_escapes(data: bytes) -> str:
    """Return the printable text of terminal output, escape sequences removed."""
    return _ESCAPE.sub(b"", data).decode("utf-8", errors="replace")


def frame_steps(chunks: list[tuple[float, bytes]]) -> list[tuple[float, int]]:
    """Return (arrival time, step) for each frame that shows "step N of M".

    Output is cut into frames at the end-of-update marker. A frame that does
    not repaint the status line yields nothing.
    """
    steps: list[tuple[float, int]] = []
    pending = b""
    for arrived, chunk in chunks:
        pending += chunk
        *frames, pending = pending.split(SYNC_END)
        for frame in frames:
            found = _STEP.findall(strip_escapes(frame))
            if found:
                steps.append((arrived, int(found[-1][0].replace(",", ""))))
    return steps


class PtyApp:
    """A child process whose terminal is a pseudo-terminal of a set size."""

    def __init__(
        self,
        argv: list[str],
        columns: int,
        rows: int,
        env: dict[str, str] | None = None,
        cwd: str | None = None,
    ) -> None:
        self.argv = argv
        self.columns = columns
        self.rows = rows
        self.started = time.monotonic()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            self._exec_child(argv, columns, rows, env or terminal_env(), cwd)
        self.exit_status: int | None = None
        self.closed = False
        self.late_bytes = 0
        """Bytes that arrived after a burst had ended, dropped before a key."""
        self._tail = b""

    @staticmethod
    def _exec_child(
        argv: list[str], columns: int, rows: int, env: dict, cwd: str | None
    ) -> None:
        """Set the terminal size and replace this forked child with ``argv``."""
        try:
            if cwd is not None:
                os.chdir(cwd)
            size = struct.pack("HHHH", rows, columns, 0, 0)
            # fd 0 is the pty now; sys.stdin may be replaced, as pytest does.
            fcntl.ioctl(0, termios.TIOCSWINSZ, size)
            os.execvpe(argv[0], argv, env)
        except BaseException as error:  # noqa: BLE001 - the child must not return
            os.write(2, f"cannot start {argv!r}: {error}\n".encode())
        os._exit(127)

    def _read_chunk(self, timeout: float) -> bytes | None:
        """Read what is available within ``timeout``; b"" means none, None EOF."""
        if self.closed:
            return None
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0))
        if not ready:
            return b""
        try:
            chunk = os.read(self.fd, 1 << 16)
        except OSError as error:
            if error.errno != errno.EIO:
                raise
            chunk = b""
        if not chunk:
            self.closed = True
            return None
        # The query may be split between two reads, so search a short tail.
        window = self._tail + chunk
        if SYNC_QUERY in window:
            os.write(self.fd, SYNC_REPLY)
        self._tail = window[-len(SYNC_QUERY) :]
        return chunk

    def read_burst(
        self,
        started: float,
        quiet: float = DEFAULT_QUIET,
        timeout: float = 30.0,
        until: Callable[[Burst], bool] | None = None,
    ) -> Burst:
        """Collect output until ``quiet`` seconds pass without any.

        With ``until``, quiet gaps before ``until(burst)`` is true do not end
        the burst. Gives up ``timeout`` seconds after ``started``, and stops
        early when the process ends.
        """
        burst = Burst(started)
        deadline = started + timeout
        while True:
            left = deadline - time.monotonic()
            done = burst.chunks and (until is None or until(burst))
            wait = min(quiet, left) if done else left
            if wait <= 0:
                return burst
            chunk = self._read_chunk(wait)
            if chunk is None or (done and not chunk):
                return burst
            if chunk:
                burst.chunks.append((time.monotonic(), chunk))

    def read_for(self, seconds: float) -> Burst:
        """Collect all output for ``seconds`` seconds, quiet or not."""
        burst = Burst(time.monotonic())
        deadline = burst.started + seconds
        while (left := deadline - time.monotonic()) > 0:
            chunk = self._read_chunk(left)
            if chunk is None:
                break
            if chunk:
                burst.chunks.append((time.monotonic(), chunk))
        return burst

    def press(
        self,
        key: bytes | str,
        quiet: float = DEFAULT_QUIET,
        timeout: float = 30.0,
        until: Callable[[Burst], bool] | None = None,
    ) -> Burst:
        """Write one key and return the output burst that follows it.

        Output still arriving from an earlier action is dropped first and
        counted in ``late_bytes``.
        """
        self.late_bytes += self.drain()
        data = key.encode() if isinstance(key, str) else key
        started = time.monotonic()
        os.write(self.fd, data)
        return self.read_burst(started, quiet, timeout, until)

    def drain(self) -> int:
        """Read and drop output already waiting; return its size in bytes."""
        dropped = 0
        while chunk := self._read_chunk(0):
            dropped += len(chunk)
        return dropped

    def cpu_seconds(self) -> float:
        """Return user plus system CPU time the process has used."""
        with open(f"/proc/{self.pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        # Fields 14 and 15 of proc(5); the split starts at field 3.
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS

    def memory_kib(self) -> dict[str, int]:
        """Return VmRSS and VmHWM (peak resident size) in KiB."""
        found: dict[str, int] = {}
        with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
            for line in status:
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    found[name] = int(value.split()[0])
        return found

    def close(self, quit_key: bytes = b"q", timeout: float = 10.0) -> int:
        """Press ``quit_key``, wait for the exit, kill the process if it hangs.

        Returns the exit status as ``os.waitstatus_to_exitcode`` gives it.
        """
        if self.exit_status is not None:
            return self.exit_status
        if not self.closed:
            try:
                os.write(self.fd, quit_key)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            # Keep reading, since a child blocked on a full terminal never exits.
            self._read_chunk(0.05)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return self._finish(status)
        os.kill(self.pid, signal.SIGKILL)
        return self._finish(os.waitpid(self.pid, 0)[1])

    def _finish(self, status: int) -> int:
        self.exit_status = os.waitstatus_to_exitcode(status)
        os.close(self.fd)
        self.closed = True
        return self.exit_status

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()


def terminal_env() -> dict[str, str]:
    """Return the environment of a plain 256-colour UTF-8 terminal.

    Variables that change how Textual or Rich draw (colour depth, frame rate,
    a driver or a dev console) are dropped, so every app draws alike.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TEXTUAL", "COLORTERM", "NO_COLOR", "FORCE_COLOR"))
        and name not in ("COLUMNS", "LINES", "TERM_PROGRAM")
    }
    # Python run by a user writes its bytecode cache, so start-up is timed
    # with the cache in use.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["TERM"] = "xterm-256color"
    env["LANG"] = "C.UTF-8"
    return env
