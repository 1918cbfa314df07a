"""The README agrees with the app's keys and with what CI runs."""

from pathlib import Path

from tui_descent.keys import BINDINGS
from tui_descent.widgets.help_screen import key_table

ROOT = Path(__file__).resolve().parent.parent


def test_readme_key_table_matches_bindings():
    readme = (ROOT / "README.md").read_text()
    assert key_table(BINDINGS) in readme


def test_ci_runs_readme_test_command():
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    command = [line for line in ci_lines if "pytest" in line and not line.startswith("#")]
    assert len(command) == 1
    readme = (ROOT / "README.md").read_text()
    assert command[0].strip() in readme.splitlines()
