"""The app's key bindings, written once for the footer, help screen and README."""

from __future__ import annotations

from textual.binding import Binding

BINDINGS: list[Binding] = [
    Binding("n", "step", "Step"),
    Binding("space", "step", "Step", show=False),
    Binding("right", "step", "Step", key_display="→", show=False),
    Binding("b", "back", "Back"),
    Binding("left", "back", "Back", key_display="←", show=False),
    Binding("p", "toggle_play", "Play/pause"),
    Binding("g", "to_end", "Run to end"),
    Binding("r", "reset", "Reset"),
    Binding("question_mark", "help", "Help", key_display="?"),
    Binding("q", "quit", "Quit"),
    Binding("left_square_bracket", "scale_rate(0.5)", "Halve η", key_display="["),
    Binding("right_square_bracket", "scale_rate(2)", "Double η", key_display="]"),
    Binding("plus", "change_pace(1)", "Faster play", key_display="+", show=False),
    Binding("equals_sign", "change_pace(1)", "Faster play", key_display="=", show=False),
    Binding("minus", "change_pace(-1)", "Slower play", key_display="-", show=False),
    Binding("m", "optimizer", "Optimizer"),
    Binding("a", "add_run", "Add run", show=False),
    Binding("x", "remove_run", "Remove run", show=False),
    Binding("s", "next_run", "Next run", show=False),
    Binding("1", "select_run(0)", "Select run", show=False),
    Binding("2", "select_run(1)", "Select run", show=False),
    Binding("3", "select_run(2)", "Select run", show=False),
    Binding("4", "select_run(3)", "Select run", show=False),
    Binding("e", "export", "Export run"),
    Binding("o", "open", "Open run", show=False),
    Binding("c", "screenshot", "Screenshot", show=False),
    Binding("escape", "leave_field", "Leave field", key_display="Esc", show=False),
]
"""Every key of the main screen, in footer order: ? and q come early so that
an 80-column footer still shows them. ``=`` also speeds up play, since on most
keyboards ``+`` needs Shift. With several runs the step keys move them all,
and ``[``, ``]``, ``m`` and the fields change the selected run."""
