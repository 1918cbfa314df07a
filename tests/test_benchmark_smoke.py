"""A short run of the benchmark harness, so benchmarks/ keeps working.

Nothing here checks speed: the machine running the tests may be busy. The
tests check that the harness drives the real programs on a pseudo-terminal
and measures something, and that the report computes ratios and verdicts.
"""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import scenarios
from benchmarks.pty_harness import (
    SYNC_END,
    PtyApp,
    frame_steps,
    strip_escapes,
)
from benchmarks.report import Results, Target

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc and uses pty"
)


def test_app_steps_measured_on_pty():
    argv, cwd = scenarios.Programs().app("--max-steps", "5")
    app, first = scenarios.start((argv, cwd), (80, 24))
    try:
        burst = app.press("n")
        figures = scenarios.probe(app, "nn")
        memory = app.memory_kib()
        cpu = app.cpu_seconds()
    finally:
        status = app.close()
    assert first.size > 0
    assert [step for _, step in frame_steps(burst.chunks)][-1] == 1
    assert min(figures["latency_ms"]) > 0
    assert min(figures["bytes"]) > 0
    assert min(figures["frames"]) >= 1
    assert memory["VmHWM"] >= memory["VmRSS"] > 0
    assert cpu > 0
    assert status == 0


def test_baseline_steps_measured_on_pty():
    figures = scenarios.stepping(scenarios.Programs().baseline(), (80, 24), presses=3)
    assert len(figures["bytes"]) == 3
    assert min(figures["bytes"]) > 0
    assert min(figures["latency_ms"]) > 0
    assert figures["first_screen_bytes"][0] > 0
    assert figures["startup_ms"][0] > 0


def test_close_kills_program_ignoring_quit():
    program = PtyApp([sys.executable, "-c", "import time; time.sleep(60)"], 80, 24)
    status = program.close(timeout=0.5)
    assert status == -9


def test_frame_steps_reads_status_line():
    frame = b"\x1b[?2026h\x1b[20;2H\x1b[1mstep 1,234 of 100,000\x1b[0m  x = 8"
    chunks = [(1.0, frame[:20]), (2.0, frame[20:] + SYNC_END + b"\x1b[?2026h")]
    assert frame_steps(chunks) == [(2.0, 1234)]


def test_strip_escapes_keeps_text():
    data = b"\x1b[38;5;253;48;5;234mf(x)\x1b[0m\x1b[3;1H = x\xc2\xb2"
    assert strip_escapes(data) == "f(x) = x²"


def test_target_ratio_of_medians():
    results = Results()
    results.add("app", {"latency_ms": [10.0, 30.0, 20.0]})
    results.add("base", {"latency_ms": [50.0, 100.0, 70.0]})
    target = Target("latency", ("app", "latency_ms"), ("base", "latency_ms"), 0.4)
    assert target.value(results) == pytest.approx(20 / 70)
    assert target.met(results) is True


def test_target_at_least_and_strict():
    results = Results()
    results.add("app", {"rate": [3.0], "mb": [200.0]})
    results.add("base", {"rate": [2.0]})
    faster = Target("play", ("app", "rate"), ("base", "rate"), 2.0, at_least=True)
    memory = Target("memory", ("app", "mb"), None, 200, strict=True)
    assert faster.met(results) is False
    assert memory.met(results) is False
    assert Target("gone", ("app", "missing"), None, 1).met(results) is None
