"""Export, open and screenshot through the real app's keys and prompts."""

import json

import pytest
from textual.widgets import Input

from tui_descent.app import DescentApp
from tui_descent.cli import build_parser
from tui_descent.engine import RunSettings
from tui_descent.presets import PRESETS
from tui_descent.widgets.prompts import ConfirmPrompt, PathPrompt


async def answer_path(pilot, path) -> None:
    """Replace the text in the open path prompt with ``path`` and press Enter."""
    await pilot.pause()
    assert isinstance(pilot.app.screen, PathPrompt)
    pilot.app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    await pilot.pause()


def notifications(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_export_then_open_restores_step(tmp_path):
    path = tmp_path / "run.json"
    app = DescentApp(function=PRESETS["double-well"])
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "n", "n", "e")
        await answer_path(pilot, path)
        assert path.exists()
        document = json.loads(path.read_text())
        assert document["format"] == "descend-tui-run"
        await pilot.press("r", "o")
        await answer_path(pilot, path)
        assert app.stepper.current == 3
        assert app.stepper.function.formula == PRESETS["double-well"].formula


async def test_export_csv_writes_rows_and_sidecar(tmp_path):
    path = tmp_path / "run.csv"
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("g", "e")
        await answer_path(pilot, path)
        lines = path.read_text().splitlines()
        assert len(lines) == 52
        assert (tmp_path / "run.meta.json").exists()


async def test_existing_file_needs_confirmation(tmp_path):
    path = tmp_path / "run.json"
    path.write_text("keep me")
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await answer_path(pilot, path)
        assert isinstance(app.screen, ConfirmPrompt)
        await pilot.press("n")
        await pilot.pause()
        assert path.read_text() == "keep me"
        await pilot.press("e")
        await answer_path(pilot, path)
        await pilot.press("y")
        await pilot.pause()
        assert json.loads(path.read_text())["format"] == "descend-tui-run"


async def test_failed_write_keeps_run(tmp_path):
    path = tmp_path / "missing-folder" / "run.json"
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "n", "e")
        await answer_path(pilot, path)
        assert not path.exists()
        assert any("failed to write" in text for text in notifications(app))
        assert app.stepper.current == 2


async def test_broken_file_is_rejected_by_name(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "descend-tui-run", "format_version": 1}')
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "o")
        await answer_path(pilot, path)
        assert any("broken.json" in text for text in notifications(app))
        assert app.stepper.current == 1


async def test_escape_cancels_prompt(tmp_path):
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, PathPrompt)
        await pilot.press("n")
        assert app.stepper.current == 1


async def test_screenshot_key_saves_svg(tmp_path):
    path = tmp_path / "shot.svg"
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "c")
        await answer_path(pilot, path)
        assert path.read_text().lstrip().startswith("<svg")
        assert any(str(path) in text for text in notifications(app))


async def test_load_option_opens_saved_step(tmp_path):
    path = tmp_path / "run.json"
    app = DescentApp(settings=RunSettings(5.0, 0.2, 40, 1e-6))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n", "n", "n", "n", "e")
        await answer_path(pilot, path)
    args = build_parser().parse_args(["--load", str(path)])
    reopened = DescentApp(session=args.load)
    async with reopened.run_test(size=(100, 30)):
        assert reopened.stepper.current == 4
        assert reopened.stepper.settings.start == 5.0
        assert reopened.stepper.settings.learning_rate == 0.2
        assert reopened.stepper.run.history.row(4)[0] == pytest.approx(5.0 * 0.6**4)


async def test_csv_and_sidecar_both_named_when_both_exist(tmp_path):
    path, sidecar = tmp_path / "run.csv", tmp_path / "run.meta.json"
    path.write_text("keep me")
    sidecar.write_text("keep me too")
    app = DescentApp()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("e")
        await answer_path(pilot, path)
        assert isinstance(app.screen, ConfirmPrompt)
        assert app.screen._question == f"{path} and {sidecar} exist. Replace them?"
        await pilot.press("n")
        await pilot.pause()
        assert f"Nothing written; {path} and {sidecar} are unchanged." in notifications(app)
        assert path.read_text() == "keep me"
