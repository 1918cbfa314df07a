"""Pilot tests of the function panel: presets, typed formulas and errors."""

import threading

from textual.app import App, ComposeResult
from textual.widgets import Input, Select

from tui_descent.expressions import parse_function
from tui_descent.functions import QUADRATIC
from tui_descent.presets import PRESETS
from tui_descent.widgets import function_panel
from tui_descent.widgets.function_panel import FunctionPanel, describe_function


class PanelApp(App):
    """A bare app holding one FunctionPanel and recording its messages."""

    def __init__(self) -> None:
        super().__init__()
        self.changes = []

    def compose(self) -> ComposeResult:
        yield FunctionPanel()

    def on_function_panel_changed(self, event: FunctionPanel.Changed) -> None:
        self.changes.append(event.function)


async def type_formula(pilot, text):
    """Replace the field's text by typing ``text`` and pressing Enter."""
    field = pilot.app.query_one("#function-input", Input)
    field.focus()
    field.value = ""
    await pilot.press(*text, "enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_panel_starts_with_quadratic():
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(FunctionPanel)
        assert panel.function is QUADRATIC
        assert panel.formulas == "f(x) = x²   f'(x) = 2x"
        assert panel.message == QUADRATIC.caption
        assert app.query_one("#function-preset", Select).value == "quadratic"
        assert app.query_one("#function-input", Input).value == "x^2"
        await pilot.pause()
        assert app.changes == []


async def test_panel_is_three_lines_tall():
    app = PanelApp()
    async with app.run_test(size=(80, 24)):
        assert app.query_one(FunctionPanel).size.height == 3


async def test_picking_preset_posts_changed():
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#function-preset", Select).focus()
        # Open the menu, move from quadratic down to the fourth preset, pick.
        await pilot.press("enter", "down", "down", "down", "enter")
        await pilot.pause()
        panel = app.query_one(FunctionPanel)
        double_well = PRESETS["double-well"]
        assert app.changes == [double_well]
        assert panel.function is double_well
        assert panel.formulas == "f(x) = x⁴ − 3x² + x   f'(x) = 4x³ − 6x + 1"
        assert panel.message == double_well.caption
        assert app.query_one("#function-input", Input).value == "x^4 - 3x^2 + x"


async def test_typed_formula_posts_changed():
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_formula(pilot, "3x^2 - 2x + 1")
        panel = app.query_one(FunctionPanel)
        assert len(app.changes) == 1
        function = app.changes[0]
        assert function is panel.function
        assert function.f(2.0) == 9.0
        assert panel.formulas == "f(x) = 3x² − 2x + 1   f'(x) = 6x − 2"
        assert app.query_one("#function-preset", Select).value is Select.NULL
        assert not app.query_one("#function-message").has_class("-error")


async def test_junk_shows_error_and_keeps_function():
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_formula(pilot, "os.system(1)")
        panel = app.query_one(FunctionPanel)
        assert app.changes == []
        assert panel.function is QUADRATIC
        assert panel.formulas == "f(x) = x²   f'(x) = 2x"
        assert "name 'os' is not allowed at column 1" in panel.message
        assert panel.message.endswith("f(x) is unchanged.")
        assert app.query_one("#function-message").has_class("-error")


async def test_valid_formula_after_error_clears_it():
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_formula(pilot, "x^")
        await type_formula(pilot, "sin(x)")
        panel = app.query_one(FunctionPanel)
        assert panel.formulas == "f(x) = sin(x)   f'(x) = cos(x)"
        assert not app.query_one("#function-message").has_class("-error")
        assert len(app.changes) == 1


async def test_escape_leaves_the_field():
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one("#function-input", Input).focus()
        await pilot.pause()
        assert app.focused is app.query_one("#function-input")
        await pilot.press("escape")
        assert app.focused is None


async def test_set_function_shows_without_posting():
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(FunctionPanel)
        panel.set_function(PRESETS["cubic"])
        await pilot.pause()
        assert panel.function is PRESETS["cubic"]
        assert panel.formulas == "f(x) = x³   f'(x) = 3x²"
        assert app.query_one("#function-preset", Select).value == "cubic"
        assert app.changes == []


async def test_set_function_wins_over_running_parse(monkeypatch):
    release = threading.Event()

    def parse_when_released(text):
        release.wait(timeout=10)
        return parse_function(text)

    monkeypatch.setattr(function_panel, "parse_function", parse_when_released)
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(FunctionPanel)
        field = app.query_one("#function-input", Input)
        field.focus()
        field.value = "x^4"
        await pilot.press("enter")
        assert panel.message == "Working out f'(x)…"
        panel.set_function(PRESETS["exp"])
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert panel.function is PRESETS["exp"]
        assert panel.message == PRESETS["exp"].caption
        assert app.changes == []


async def test_markup_in_typed_text_is_shown_plainly():
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await type_formula(pilot, "[red]x")
        panel = app.query_one(FunctionPanel)
        assert "character '['" in panel.message
        assert app.changes == []


def test_long_name_is_shortened_before_derivative():
    function = parse_function("(x+1)(x+2)(x+3)(x+4)(x+5)(x+6)(x+7)(x+8)(x+9)")
    line = describe_function(function)
    shortened = "f(x) = (x + 1)·(x + 2)·(x + 3)·(x + 4)…   f'(x) = (x + 1)"
    assert line.startswith(shortened)
