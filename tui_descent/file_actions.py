"""Export, open and screenshot from the app, asking for paths with prompts.

Each function runs inside a Textual worker, because it waits for the
learner's reply with ``push_screen_wait``. Nothing here changes the run on
screen unless a file was read successfully.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from .export import ExportError, save_csv, sidecar_path, write_files
from .session_runs import save_comparison
from .sessions import SessionError, load_session
from .widgets.prompts import ConfirmPrompt, PathPrompt

if TYPE_CHECKING:
    from .app import DescentApp


def timestamped_name(prefix: str, suffix: str) -> str:
    """Return a file name such as ``descend-run-20261204-170102.json``."""
    return f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}{suffix}"


async def _ask_path(app: DescentApp, title: str, default: str) -> Path | None:
    text = await app.push_screen_wait(PathPrompt(title, default))
    return None if text is None else Path(text).expanduser()


async def _may_replace(app: DescentApp, paths: list[Path]) -> bool | None:
    """Return whether to overwrite, or None when the learner declined."""
    folders = [path for path in paths if path.is_dir()]
    if folders:
        app.notify(
            f"{folders[0]} is a folder; give a file name. Nothing was written.",
            severity="error",
        )
        return None
    existing = [path for path in paths if path.exists()]
    if not existing:
        return False
    names = " and ".join(str(path) for path in existing)
    if len(existing) == 1:
        question, unchanged = f"{names} exists. Replace it?", f"{names} is unchanged"
    else:
        question, unchanged = f"{names} exist. Replace them?", f"{names} are unchanged"
    if await app.push_screen_wait(ConfirmPrompt(question)):
        return True
    app.notify(f"Nothing written; {unchanged}.")
    return None


async def export_run(app: DescentApp) -> None:
    """Ask for a path and write every run as JSON, or the selected run as CSV
    for a ``.csv`` path."""
    path = await _ask_path(
        app,
        "Export the run to a file (.json keeps the session, .csv opens in a spreadsheet):",
        timestamped_name("descend-run", ".json"),
    )
    if path is None:
        return
    is_csv = path.suffix.lower() == ".csv"
    targets = [path, sidecar_path(path)] if is_csv else [path]
    overwrite = await _may_replace(app, targets)
    if overwrite is None:
        return
    stepper = app.stepper
    run, step = stepper.run, stepper.current
    try:
        if is_csv:
            sidecar = save_csv(path, run, step, overwrite=overwrite)
            app.notify(f"Saved {len(run.history):,} rows to {path} and metadata to {sidecar}")
        else:
            save_comparison(path, stepper, overwrite=overwrite)
            saved = _runs_at_step(len(stepper.runs), stepper.step)
            app.notify(f"Saved {saved} to {path}")
    except ExportError as error:
        app.notify(f"{error}. The run on screen is unchanged.", severity="error")


async def open_run(app: DescentApp) -> None:
    """Ask for a saved JSON session and show it at the step it was saved on."""
    path = await _ask_path(app, "Open a run saved as JSON:", "")
    if path is None:
        return
    try:
        session = load_session(path)
    except (SessionError, OSError) as error:
        app.notify(f"{error}. The run on screen is unchanged.", severity="error")
        return
    app.open_session(session)
    count = len(session.runs)
    app.notify(f"Opened {path}: {_runs_at_step(count, session.shared_step)}")


def _runs_at_step(count: int, step: int) -> str:
    """Describe ``count`` runs at ``step``, such as ``3 runs at step 12``."""
    runs = "the run" if count == 1 else f"{count} runs"
    return f"{runs} at step {step:,}"


async def save_screenshot(app: DescentApp) -> None:
    """Ask for a path and save the screen as it was when the key was pressed."""
    svg = app.export_screenshot()
    path = await _ask_path(
        app, "Save a screenshot (SVG) to:", timestamped_name("descend-tui", ".svg")
    )
    if path is None:
        return
    overwrite = await _may_replace(app, [path])
    if overwrite is None:
        return
    try:
        write_files([(path, svg)], overwrite=overwrite)
    except ExportError as error:
        app.notify(str(error), severity="error")
        return
    app.notify(f"Saved the screenshot to {path.resolve()}")
