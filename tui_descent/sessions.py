"""Load a saved JSON run back as a session, checking every field.

A session file is untrusted text: it may be broken, hand-edited or written
by a newer program. Each problem raises SessionError with the path of the
field in the message, such as ``settings.learning_rate: expected a number,
found 'abc'``. The function is rebuilt from its preset slug or through the
safe expression parser, never by evaluating the text, and the run is
recomputed from the settings and checked against the stored history. This
module is part of the maths layer: it imports no textual, rich or plotext.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from .engine import Run, RunSettings
from .export import FORMAT, FORMAT_VERSION, FunctionSpec
from .functions import QUADRATIC, Function
from .presets import preset
from .session_fields import SETTING_CHECKS, SessionError, read_dataclass, require, shown
from .session_runs import compare_stop_reason, read_runs

if TYPE_CHECKING:
    from .comparison import Comparison

MAX_FILE_BYTES = 256 * 2**20
"""Largest session file read. A run of the maximum 1,000,000 steps with
three columns takes about 80 MB of JSON; this leaves room for state columns."""

_RTOL = 1e-12
"""Relative difference allowed between stored and recomputed numbers, since
numpy's sin, exp and log may differ in the last digit between builds."""


@dataclass(frozen=True)
class Session:
    """Runs loaded from a file, recomputed and ready to explore."""

    function_spec: FunctionSpec
    function: Function
    settings: RunSettings
    """The settings of the selected run."""
    current_step: int
    """The step of the selected run that was being viewed when the file was saved."""
    run: Run
    """The selected run, recomputed with as many steps as the file stored."""
    version: str
    """Version of the program that wrote the file."""
    runs: tuple[Run, ...]
    """Every run of the comparison in order, ``run`` included; a file of
    one run gives ``(run,)``."""
    selected: int
    """Index of ``run`` in ``runs``."""
    shared_step: int
    """The step index that all runs share; ``current_step`` for one run."""
    warnings: tuple[str, ...] = ()
    """Differences between the file and the recomputed runs, one sentence each."""

    def apply_to(self, comparison: Comparison) -> None:
        """Replace the runs of ``comparison`` with these, at the saved step."""
        comparison.restore(
            self.function, list(self.runs), self.selected, self.shared_step
        )


def load_session(path: Path | str) -> Session:
    """Read, check and recompute the session saved at ``path``.

    Raises SessionError, a ValueError, whose message starts with the path
    and names the first invalid field.
    """
    path = Path(path).expanduser()
    try:
        return session_from_document(_read_json(path))
    except SessionError as error:
        raise SessionError(f"{path}: {error}") from None


def _read_json(path: Path):
    try:
        size = os.stat(path).st_size
        if size > MAX_FILE_BYTES:
            raise SessionError(
                f"the file has {size:,} bytes; the limit is {MAX_FILE_BYTES:,}"
            )
        data = path.read_bytes()
    except OSError as error:
        raise SessionError(f"failed to read: {error.strerror or error}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SessionError(f"not UTF-8 text: byte {error.start}") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise SessionError(
            f"not JSON: line {error.lineno} column {error.colno} ({error.msg})"
        ) from None
    except RecursionError:
        raise SessionError("not JSON this program reads: nested too deeply") from None
    except ValueError as error:
        # Python rejects integer literals of more than 4,300 digits this way.
        raise SessionError(f"not JSON this program reads: {error}") from None


def _reject_constant(name: str):
    raise SessionError(
        f"not JSON: {name} is not a JSON value; write it as a string "
        '("nan", "inf" or "-inf")'
    )


def session_from_document(document) -> Session:
    """Check a parsed JSON document and build the session it describes."""
    if not isinstance(document, dict):
        raise SessionError(
            f"expected a JSON object at the top, found {shown(document)}"
        )
    _check_format(document)
    version = require(document, "version", str, default="unknown")
    spec = _read_function_spec(require(document, "function", dict))
    function = rebuild_function(spec)
    warnings: list[str] = []
    if spec.preset is not None and spec.formula not in ("", function.formula):
        warnings.append(
            f"function.formula {spec.formula!r} differs from the preset "
            f"{spec.preset!r}, {function.formula!r}; the preset is used"
        )
    settings = read_dataclass(
        require(document, "settings", dict),
        RunSettings,
        "settings",
        warnings,
        SETTING_CHECKS,
    )
    current_step = require(document, "current_step", int)
    if current_step < 0:
        raise SessionError(f"current_step: {current_step} is negative; use 0 or more")

    run = Run(function=function, settings=settings)
    current_step = _recompute(document, run, current_step, warnings)
    warnings.extend(compare_stop_reason(document, run))
    saved = read_runs(document, run, current_step, warnings)
    return Session(
        function_spec=spec,
        function=function,
        settings=settings,
        current_step=min(saved.step, run.last_step),
        run=run,
        version=version,
        runs=saved.runs,
        selected=saved.selected,
        shared_step=saved.step,
        warnings=tuple(warnings),
    )


def _recompute(document: dict, run: Run, current_step: int, warnings: list[str]) -> int:
    """Compute ``run`` as far as the file had it and return the step to show."""
    history = _read_history(document)
    if history is not None:
        last = len(history["x"]) - 1
        if current_step > last:
            raise SessionError(
                f"current_step: {current_step} is beyond the last stored step {last}"
            )
        run.ensure(last)
        warnings.extend(compare_history(run, history))
        return min(current_step, run.last_step)
    # A CSV's sidecar or a hand-written file has no history. Its last_step,
    # when present, gives how far the saved run had been computed.
    last = require(document, "last_step", int, default=current_step)
    run.ensure(max(last, current_step))
    if run.last_step < current_step:
        warnings.append(
            f"the run stops at step {run.last_step}, before the saved step "
            f"{current_step}; showing step {run.last_step}"
        )
        return run.last_step
    return current_step


def _check_format(document: dict) -> None:
    tag = require(document, "format", str)
    if tag != FORMAT:
        raise SessionError(f"format: expected {FORMAT!r}, found {shown(tag)}")
    version = require(document, "format_version", int)
    if version > FORMAT_VERSION:
        raise SessionError(
            f"format_version {version} is newer than this program reads "
            f"({FORMAT_VERSION}); update descend-tui to open it"
        )
    if version < 1:
        raise SessionError(
            f"format_version: expected 1 to {FORMAT_VERSION}, found {version}"
        )


def _read_function_spec(data: dict) -> FunctionSpec:
    preset = require(data, "preset", (str, type(None)), where="function", default=None)
    formula = require(data, "formula", str, where="function", default=None)
    if formula is None and preset is None:
        raise SessionError("missing field 'function.formula'")
    return FunctionSpec(
        name=require(data, "name", str, where="function", default=formula or preset),
        formula=formula or "",
        derivative_formula=require(
            data, "derivative_formula", str, where="function", default=""
        ),
        preset=preset,
    )


def rebuild_function(spec: FunctionSpec) -> Function:
    """Build the Function that ``spec`` describes, without evaluating any text.

    A preset slug takes precedence over the formula. Raises SessionError when
    the preset is unknown or the safe parser rejects the formula.
    """
    if spec.preset is not None:
        try:
            return preset(spec.preset)
        except ValueError as error:
            raise SessionError(f"function.preset: {error}") from None
    if spec.formula == QUADRATIC.formula:
        return QUADRATIC
    from .expressions import ExpressionError, parse_function

    try:
        return parse_function(spec.formula)
    except ExpressionError as error:
        raise SessionError(f"function.formula: {error}") from None


def _read_history(document: dict) -> dict[str, np.ndarray] | None:
    data = require(document, "history", (dict, type(None)), default=None)
    if data is None:
        return None
    columns = {}
    for name, values in data.items():
        if not isinstance(values, list):
            raise SessionError(
                f"history.{name}: expected a list, found {shown(values)}"
            )
        columns[name] = _number_column(values, f"history.{name}")
    for name in ("x", "slope", "value"):
        if name not in columns:
            raise SessionError(f"missing field 'history.{name}'")
    length = len(columns["x"])
    if length == 0:
        raise SessionError(
            "history.x: expected at least the start row, found an empty list"
        )
    for name, column in columns.items():
        if len(column) != length:
            raise SessionError(
                f"history.{name}: expected {length} values like history.x, "
                f"found {len(column)}"
            )
    return columns


_NON_FINITE = {"nan": np.nan, "inf": np.inf, "-inf": -np.inf}


def _number_column(values: list, where: str) -> np.ndarray:
    column = np.empty(len(values))
    for index, value in enumerate(values):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            column[index] = value
        elif isinstance(value, str) and value in _NON_FINITE:
            column[index] = _NON_FINITE[value]
        else:
            raise SessionError(
                f'{where}[{index}]: expected a number, "nan", "inf" or "-inf", '
                f"found {shown(value)}"
            )
    return column


def compare_history(run: Run, stored: dict[str, np.ndarray]) -> list[str]:
    """List how the stored columns differ from the recomputed ``run``."""
    warnings = []
    computed = run.history.columns()
    if run.last_step + 1 < len(stored["x"]):
        warnings.append(
            f"the file stores {len(stored['x'])} steps but the recomputed run "
            f"stops at step {run.last_step}"
        )
    for name, column in stored.items():
        if name not in computed:
            warnings.append(
                f"history.{name} is not a column this program computes; ignored"
            )
            continue
        count = min(len(column), len(computed[name]))
        mismatch = _first_mismatch(column[:count], computed[name][:count])
        if mismatch is not None:
            warnings.append(
                f"history.{name} differs from the recomputed run at step {mismatch} "
                f"(stored {float(column[mismatch])!r}, recomputed {float(computed[name][mismatch])!r}); "
                "the recomputed values are shown"
            )
    return warnings


def _first_mismatch(stored: np.ndarray, computed: np.ndarray) -> int | None:
    close = np.isclose(stored, computed, rtol=_RTOL, atol=0.0, equal_nan=True)
    if close.all():
        return None
    return int(np.argmin(close))

