"""Write a run to CSV or JSON; sessions.py loads the JSON back.

The file layouts are documented in docs/export-format.md. Every write goes to
a temporary file in the target's folder, is flushed to disk, then renamed over
the target, so a failed write leaves any earlier file as it was. This module
is part of the maths layer: it imports no textual, rich or plotext.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass
from enum import Enum
from pathlib import Path

import numpy as np

from . import __version__
from .engine import Run
from .functions import Function
from .presets import slug_of
from .saved_state import default_session_path, default_state_dir

__all__ = ["default_session_path", "default_state_dir"]
"""Only the names that moved to saved_state.py; the rest is public as usual."""

FORMAT = "descend-tui-run"
"""Value of the ``format`` field that marks a descend-tui JSON file."""
FORMAT_VERSION = 1
"""Version of the JSON layout this program writes and the newest it reads."""

_NON_FINITE = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


class ExportError(OSError):
    """A file that could not be written; the message names the path and reason."""

    def __init__(self, path: Path, reason: str, message: str | None = None) -> None:
        super().__init__(message or f"failed to write {path}: {reason}")
        self.path = path
        self.reason = reason


class ExportExistsError(ExportError):
    """A target file that exists while overwriting was not allowed."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, "file exists", f"{path} already exists")


@dataclass(frozen=True)
class FunctionSpec:
    """The stored description of a run's function, enough to rebuild it safely."""

    name: str
    formula: str
    derivative_formula: str
    preset: str | None = None
    """Slug of the preset the function came from, or None for a typed f(x)."""


def function_spec(function: Function) -> FunctionSpec:
    """Describe ``function`` by its formulas and, for a preset, its slug."""
    return FunctionSpec(
        name=function.name,
        formula=function.formula,
        derivative_formula=function.derivative_formula,
        preset=slug_of(function),
    )


def json_value(value):
    """Convert a settings value to plain JSON types, recursing into dataclasses.

    A dataclass with a ``slug`` class attribute (an optimizer or a schedule)
    also stores it as "kind", from which the loader picks the class to build. Enums
    become their value, tuples become lists, and a float that is nan or
    infinite becomes the string "nan", "inf" or "-inf" because JSON has no
    such numbers. Raises TypeError for a type JSON cannot hold.
    """
    if is_dataclass(value) and not isinstance(value, type):
        data = (
            {"kind": value.slug}
            if isinstance(getattr(value, "slug", None), str)
            else {}
        )
        for item in fields(value):
            data[item.name] = json_value(getattr(value, item.name))
        return data
    if isinstance(value, Enum):
        return json_value(value.value)
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return json_number(float(value))
    if isinstance(value, (tuple, list)):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    raise TypeError(f"cannot store a {type(value).__name__} in a JSON run file")


def json_number(value: float) -> float | str:
    """Return ``value`` as a JSON number, or "nan", "inf" or "-inf"."""
    if math.isfinite(value):
        return value
    return repr(value)


def run_document(run: Run, current_step: int | None = None) -> dict:
    """Build the JSON document of ``run`` without its history columns."""
    step = run.last_step if current_step is None else current_step
    if not 0 <= step <= run.last_step:
        raise ValueError(f"current step {step} is outside 0..{run.last_step}")
    spec = function_spec(run.function)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "program": "descend-tui",
        "version": __version__,
        "function": {
            "name": spec.name,
            "formula": spec.formula,
            "derivative_formula": spec.derivative_formula,
            "preset": spec.preset,
        },
        "settings": json_value(run.settings),
        "stop_reason": run.stop_reason.name.lower(),
        "last_step": run.last_step,
        "current_step": step,
        "columns": ["step", *run.history.columns()],
    }


def session_text(
    run: Run,
    current_step: int | None = None,
    *,
    extra: dict | None = None,
    with_history: bool = True,
) -> str:
    """Render the JSON file of ``run``, one history column per line.

    ``extra`` adds top-level fields after the run's own, such as the other
    runs of a comparison. A file without history is much smaller, and the
    loader recomputes the run up to its ``last_step``.
    """
    document = run_document(run, current_step) | (extra or {})
    head = json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
    if not with_history:
        return head + "\n"
    lines = []
    for name, column in run.history.columns().items():
        values = [json_number(v) for v in column.tolist()]
        lines.append(f"    {json.dumps(name)}: {json.dumps(values, allow_nan=False)}")
    # The metadata is indented for hand editing while each column stays on one
    # line, so a long run does not turn into a million short lines.
    history = ',\n  "history": {\n' + ",\n".join(lines) + "\n  }\n}\n"
    return head.removesuffix("\n}") + history


def csv_text(run: Run) -> str:
    """Render the history of ``run`` as CSV: a header row, then one row a step."""
    columns = run.history.columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["step", *columns])
    arrays = [column.tolist() for column in columns.values()]
    for step in range(len(run.history)):
        writer.writerow([step, *(repr(float(array[step])) for array in arrays)])
    return buffer.getvalue()


def sidecar_path(csv_path: Path) -> Path:
    """Return where the metadata of a CSV export goes: ``NAME.meta.json``."""
    csv_path = Path(csv_path)
    return csv_path.with_name(f"{csv_path.stem}.meta.json")


def save_session(
    path: Path, run: Run, current_step: int | None = None, *, overwrite: bool = False
) -> None:
    """Write ``run`` and the step being viewed to ``path`` as a JSON session.

    ``current_step`` defaults to the last step. Raises ExportExistsError when
    the file exists and ``overwrite`` is false, and ExportError when the write
    fails; either way no earlier file is changed.
    """
    write_files([(Path(path), session_text(run, current_step))], overwrite=overwrite)


def save_csv(
    path: Path, run: Run, current_step: int | None = None, *, overwrite: bool = False
) -> Path:
    """Write the history of ``run`` to ``path`` as CSV and its metadata beside it.

    The CSV contains only the header and data rows, so a spreadsheet opens it as
    is. Function, settings, stop reason and version go to the sidecar JSON file
    (see ``sidecar_path``), which is returned. Raises like ``save_session``.
    """
    path = Path(path)
    metadata = run_document(run, current_step)
    metadata["data_file"] = path.name
    meta_text = json.dumps(metadata, indent=2, ensure_ascii=False, allow_nan=False)
    sidecar = sidecar_path(path)
    write_files(
        [(path, csv_text(run)), (sidecar, meta_text + "\n")], overwrite=overwrite
    )
    return sidecar


def write_files(targets: Sequence[tuple[Path, str]], *, overwrite: bool) -> None:
    """Write each (path, text) pair atomically, UTF-8 encoded.

    Every text goes to a temporary file in its target's folder and is synced
    before any target is touched. Raises ExportExistsError before writing
    anything when a target exists and ``overwrite`` is false.
    """
    check_targets([path for path, _ in targets], overwrite=overwrite)
    written: list[tuple[Path, Path]] = []
    try:
        for path, text in targets:
            written.append((path, _write_temporary(path, text)))
        # NOTE: two targets (a CSV and its sidecar) are renamed one after the
        # other, so a failure between the renames leaves only the first new.
        for path, temporary in written:
            _publish(temporary, path, overwrite)
    finally:
        for _, temporary in written:
            _remove_quietly(temporary)


def check_targets(paths: Sequence[Path], *, overwrite: bool) -> None:
    """Raise ExportError for a path that is a folder, or ExportExistsError
    for an existing file unless ``overwrite`` is true."""
    for path in paths:
        if path.is_dir():
            raise ExportError(path, "it is a folder; give a file name")
        if not overwrite and path.exists():
            raise ExportExistsError(path)


def _write_temporary(path: Path, text: str) -> Path:
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        # Mode 0o666 lets the umask decide the permissions, as for any new file.
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise ExportError(path, _reason(error)) from error
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        _remove_quietly(temporary)
        raise ExportError(path, _reason(error)) from error
    return temporary


def _publish(temporary: Path, path: Path, overwrite: bool) -> None:
    try:
        if overwrite:
            os.replace(temporary, path)
        else:
            _link_exclusive(temporary, path)
    except ExportExistsError:
        raise
    except OSError as error:
        raise ExportError(path, _reason(error)) from error
    _sync_folder(path.parent)


def _link_exclusive(temporary: Path, path: Path) -> None:
    # A hard link fails if the target appeared since the check, where a
    # rename would silently replace it.
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise ExportExistsError(path) from None
    except OSError:
        # Some file systems (FAT, some network mounts) have no hard links.
        if path.exists():
            raise ExportExistsError(path) from None
        os.replace(temporary, path)


def _sync_folder(folder: Path) -> None:
    # Syncing the folder makes the rename itself durable; where a folder
    # cannot be opened (Windows) the rename is still atomic, just not synced.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _remove_quietly(path: Path) -> None:
    # Also reached after a successful rename, when the file is already gone.
    try:
        os.unlink(path)
    except OSError:
        pass


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
