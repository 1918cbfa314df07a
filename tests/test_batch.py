"""Batch mode: the printed report, pipes, NO_COLOR, exit status and exports."""

import csv
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console

from tui_descent import batch_chart
from tui_descent.batch import main
from tui_descent.batch_chart import ChartSkipped, chart_text
from tui_descent.batch_report import build_table, print_report, skipped_rows
from tui_descent.engine import Run, RunSettings
from tui_descent.functions import Function

ROOT = Path(__file__).resolve().parent.parent


def finished_run(**settings) -> Run:
    run = Run(settings=RunSettings(**settings))
    run.run_to_end()
    return run


def plain_console(width=80) -> Console:
    return Console(
        file=StringIO(),
        width=width,
        force_terminal=False,
        color_system=None,
        highlight=False,
    )


def report(run: Run, show_all=False, chart=False, width=80) -> str:
    console = plain_console(width)
    print_report(console, run, show_all=show_all, chart=chart)
    return console.file.getvalue()


def step_cells(text: str) -> list[str]:
    """Return the step column of every table row in a printed report."""
    cells = []
    for line in text.splitlines():
        first = line.split("│")[0].strip() if "│" in line else ""
        if first.replace(",", "").isdigit():
            cells.append(first)
    return cells


def run_command(*args, env_extra=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    env.pop("NO_COLOR", None)
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "tui_descent", "run", *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


# The table


def test_long_run_shows_head_and_tail():
    text = report(finished_run())
    assert step_cells(text) == [str(k) for k in [*range(10), *range(41, 51)]]
    assert "31 rows skipped (steps 10 to 40); --all prints every row" in text
    assert "⋮" in text


def test_all_shows_every_row():
    text = report(finished_run(), show_all=True)
    assert step_cells(text) == [str(k) for k in range(51)]
    assert "skipped" not in text


def test_short_run_is_shown_whole():
    text = report(finished_run(max_steps=20))
    assert step_cells(text) == [str(k) for k in range(21)]
    assert "skipped" not in text


def test_skipped_rows_boundaries():
    assert skipped_rows(21, False) is None
    assert skipped_rows(22, False) == (10, 11)
    assert skipped_rows(1_000_001, False) == (10, 999_990)
    assert skipped_rows(1_000_001, True) is None


def test_table_cells_use_short_numbers():
    table = build_table(finished_run(learning_rate=0.5))
    console = plain_console()
    console.print(table)
    lines = console.file.getvalue().splitlines()
    assert [cell.strip() for cell in lines[0].split("┃")] == [
        "step",
        "x",
        "f'(x)",
        "f(x)",
    ]
    assert [cell.strip() for cell in lines[2].split("│")] == ["0", "8", "16", "64"]
    assert [cell.strip() for cell in lines[3].split("│")] == ["1", "0", "0", "0"]


def test_report_names_function_settings_and_stop():
    text = report(finished_run(learning_rate=0.5))
    assert "f(x) = x^2    f'(x) = 2x" in text
    assert "learning rate 0.5" in text
    assert "Stopped at step 1: converged." in text
    assert "Converged: |f'(x)| = 0 is below the tolerance" in text


def test_plain_console_output_has_no_escape_codes():
    assert "\x1b[" not in report(finished_run(), chart=True)


def test_colour_terminal_gets_colour_codes():
    console = Console(
        file=StringIO(), width=80, force_terminal=True, color_system="standard"
    )
    print_report(console, finished_run(), show_all=False, chart=True)
    assert "\x1b[" in console.file.getvalue()


def test_no_color_terminal_has_no_colour_codes():
    console = Console(file=StringIO(), width=80, force_terminal=True, no_color=True)
    print_report(console, finished_run(), show_all=False, chart=True)
    text = console.file.getvalue()
    # NO_COLOR forbids colour, not bold or dim: no foreground (3x, 38;5) or
    # background (4x, 48;5) codes may appear.
    assert "38;5;" not in text
    assert "48;5;" not in text
    assert "\x1b[3" not in text
    assert "\x1b[4" not in text


# The chart


def test_chart_fills_requested_width():
    text = chart_text(finished_run(), 60, 15, colour=False)
    lines = text.splitlines()
    assert len(lines) == 15
    assert max(len(line) for line in lines) == 60
    assert "f(x) = x^2" in text
    assert "\x1b[" not in text


def test_narrow_chart_is_skipped_with_note():
    with pytest.raises(ChartSkipped, match="too small"):
        chart_text(finished_run(), 20, 15, colour=False)
    text = report(finished_run(), chart=True, width=25)
    assert "(chart skipped: 25x" in text


def test_chart_leaves_out_undrawable_points():
    function = Function("eˣ", "exp(x)", "exp(x)", np.exp, np.exp)
    run = Run(function=function, settings=RunSettings(start=800.0))
    run.run_to_end()
    text = chart_text(run, 60, 15, colour=False)
    assert "not drawn: 1 point with nan or inf" in text


def test_diverged_run_still_draws():
    run = finished_run(learning_rate=1.5, max_steps=100_000)
    text = chart_text(run, 60, 15, colour=False)
    assert len(text.splitlines()) >= 15


def test_plotext_failure_becomes_note(monkeypatch):
    def broken_build():
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(batch_chart.plt, "build", broken_build)
    with pytest.raises(ChartSkipped, match="plotext failed: division by zero"):
        chart_text(finished_run(), 60, 15, colour=False)
    assert "(chart skipped: plotext failed" in report(finished_run(), chart=True)


# main() in process


def test_main_returns_exit_status_and_prints(capsys):
    console = plain_console()
    assert main(["--lr", "0.5", "--no-chart"], console=console) == 0
    assert main(["--no-chart"], console=plain_console()) == 1
    assert "Stopped at step 1: converged." in console.file.getvalue()


def test_main_descends_chosen_preset(tmp_path):
    console = plain_console()
    target = tmp_path / "run.json"
    status = main(
        [
            "--preset",
            "shifted-bowl",
            "--lr",
            "0.5",
            "--no-chart",
            "--json",
            str(target),
        ],
        console=console,
    )
    text = console.file.getvalue()
    # On (x - 3)^2 + 1 the rate 0.5 lands on the minimum x = 3 in one step.
    assert status == 0
    assert "f(x) = (x-3)^2 + 1" in text
    assert step_cells(text) == ["0", "1"]
    document = json.loads(target.read_text())
    assert document["function"]["preset"] == "shifted-bowl"
    assert document["history"]["x"] == [-5.0, 3.0]


def test_main_descends_typed_function(tmp_path):
    console = plain_console()
    status = main(
        [
            "--function",
            "x^4 - 3x^2 + x",
            "--start",
            "2",
            "--lr",
            "0.01",
            "--max-steps",
            "1000",
        ],
        console=console,
    )
    text = console.file.getvalue()
    assert status == 0
    assert "f(x) = x^4 - 3x^2 + x" in text
    assert "f(x) = x^4 - 3x^2 + x" in text.split("Stopped at step")[1]  # chart legend


def test_main_refuses_existing_file_without_force(tmp_path, capsys):
    target = tmp_path / "run.json"
    target.write_text("keep me")
    status = main(["--no-chart", "--json", str(target)], console=plain_console())
    assert status == 2
    assert capsys.readouterr().err == (
        f"descend-tui run: error: {target} already exists; pass --force to replace it\n"
    )
    assert target.read_text() == "keep me"


def test_main_force_replaces_file(tmp_path):
    target = tmp_path / "run.json"
    target.write_text("old")
    status = main(
        ["--no-chart", "--force", "--json", str(target)], console=plain_console()
    )
    assert status == 1
    assert json.loads(target.read_text())["format"] == "descend-tui-run"


def test_main_rejects_folder_before_running(tmp_path, capsys):
    console = plain_console()
    status = main(["--json", str(tmp_path), "--force"], console=console)
    assert status == 2
    assert console.file.getvalue() == ""
    assert "it is a folder; give a file name" in capsys.readouterr().err


def test_main_reports_failed_write(tmp_path, capsys):
    target = tmp_path / "absent" / "run.csv"
    status = main(["--no-chart", "--csv", str(target)], console=plain_console())
    assert status == 2
    error = capsys.readouterr().err
    assert error.startswith(f"descend-tui run: error: failed to write {target}: ")
    assert "No such file or directory" in error


# The real command in a pipe


def test_pipe_output_has_no_escape_codes():
    result = run_command("--lr", "0.9")
    assert result.returncode == 1
    assert "\x1b[" not in result.stdout
    assert "f(x) = x^2" in result.stdout
    assert "31 rows skipped" in result.stdout
    assert "┤" in result.stdout  # the chart's y-axis


def test_no_color_output_has_no_escape_codes():
    result = run_command("--lr", "0.9", env_extra={"NO_COLOR": "1"})
    assert result.returncode == 1
    assert "\x1b[" not in result.stdout


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["--lr", "0.5"], 0),
        ([], 1),
        (["--lr", "1.5", "--max-steps", "100000"], 1),
        (["--lr", "0"], 1),
        (["--lr", "abc"], 2),
        (["--max-steps", "-1"], 2),
        (["--unknown"], 2),
    ],
)
def test_exit_status(args, status):
    result = run_command("--no-chart", *args)
    assert result.returncode == status
    if status == 2:
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("descend-tui run: error: ")


def test_help_documents_exit_status():
    result = run_command("--help")
    assert result.returncode == 0
    assert "exit status:" in result.stdout
    for line in ("0  the run converged", "1  the run stopped", "2  invalid arguments"):
        assert line in result.stdout


def test_csv_export_in_one_command(tmp_path):
    target = tmp_path / "run.csv"
    result = run_command("--lr", "0.9", "--csv", str(target))
    assert result.returncode == 1
    assert f"Wrote 51 rows to {target}" in result.stdout
    with open(target, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 51
    # x_k = 8 * (1 - 2 * 0.9)^k = 8 * (-0.8)^k.
    assert float(rows[3]["x"]) == pytest.approx(8 * (-0.8) ** 3, rel=1e-12)
    metadata = json.loads((tmp_path / "run.meta.json").read_text())
    assert metadata["settings"]["learning_rate"] == 0.9


def test_closed_pipe_ends_quietly():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui_descent",
            "run",
            "--all",
            "--max-steps",
            "200000",
            "--lr",
            "0.0001",
            "--no-chart",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in stderr
    assert "BrokenPipeError" not in stderr


def test_all_on_long_run_streams_same_columns(monkeypatch):
    monkeypatch.setattr("tui_descent.batch_report.RICH_TABLE_ROWS", 5)
    text = report(finished_run(), show_all=True)
    assert step_cells(text) == [str(k) for k in range(51)]
    lines = text.splitlines()
    header = next(line for line in lines if "┃" in line)
    assert [cell.strip() for cell in header.split("┃")] == [
        "step",
        "x",
        "f'(x)",
        "f(x)",
    ]
    row = next(line for line in lines if line.split("│")[0].strip() == "1")
    # x1 = 8 - 0.1 * 16 = 6.4, f'(x1) = 12.8, f(x1) = 40.96.
    assert [cell.strip() for cell in row.split("│")] == ["1", "6.4", "12.8", "40.96"]
