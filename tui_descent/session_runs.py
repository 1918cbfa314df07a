"""Save and load every run of a side-by-side comparison in one session file.

The top level of a session file describes the selected run in the layout of
a single-run file, so a program that predates comparisons still opens it.
Three optional fields add the comparison: ``runs`` lists every run in order
with its settings, ``selected_run`` is the 0-based index of the selected one
and ``shared_step`` is the step index k that all runs share. Only the
selected run's history is stored, because the other runs are recomputed
from their settings, which is deterministic. This module imports no
textual, rich or plotext.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .comparison import MAX_RUNS, Comparison
from .engine import Run, RunSettings, StopReason
from .export import json_value, session_text, write_files
from .session_fields import SETTING_CHECKS, SessionError, read_dataclass, require, shown


def comparison_fields(comparison: Comparison) -> dict:
    """Return the fields that list every run of ``comparison``, or {} for one run."""
    if len(comparison.runs) == 1:
        return {}
    return {
        "selected_run": comparison.selected,
        "shared_step": comparison.step,
        "runs": [
            {
                "settings": json_value(run.settings),
                "stop_reason": run.stop_reason.name.lower(),
                "last_step": run.last_step,
            }
            for run in comparison.runs
        ],
    }


def comparison_text(comparison: Comparison, *, with_history: bool = True) -> str:
    """Render the session file of every run of ``comparison`` at its step."""
    return session_text(
        comparison.run,
        comparison.current,
        extra=comparison_fields(comparison),
        with_history=with_history,
    )


def save_comparison(
    path: Path, comparison: Comparison, *, overwrite: bool = False
) -> None:
    """Write every run of ``comparison`` to ``path``, with the selected run's history.

    Raises like ``export.save_session``: ExportExistsError for an existing
    file unless ``overwrite`` is true, ExportError for a failed write.
    """
    write_files([(Path(path), comparison_text(comparison))], overwrite=overwrite)


@dataclass(frozen=True)
class SavedRuns:
    """The runs of a session file, recomputed, with the selection and shared step."""

    runs: tuple[Run, ...]
    selected: int
    """Index of the selected run in ``runs``."""
    step: int
    """The shared step index k, at most the last step of the longest run."""


def read_runs(
    document: dict, selected_run: Run, current_step: int, warnings: list[str]
) -> SavedRuns:
    """Rebuild every run that ``document`` lists around ``selected_run``.

    ``selected_run`` is the run that the top-level fields describe, already
    recomputed, and ``current_step`` its step. A file without ``runs``
    describes that run alone. Raises SessionError naming the first invalid
    field, and adds a sentence to ``warnings`` for each disagreement.
    """
    entries = require(document, "runs", (list, type(None)), default=None)
    if entries is None:
        return SavedRuns((selected_run,), 0, current_step)
    if not 1 <= len(entries) <= MAX_RUNS:
        raise SessionError(f"runs: expected 1 to {MAX_RUNS} runs, found {len(entries)}")
    selected = require(document, "selected_run", int)
    if not 0 <= selected < len(entries):
        raise SessionError(
            f"selected_run: {selected} is not an index of runs; "
            f"use 0 to {len(entries) - 1}"
        )
    step = require(document, "shared_step", int, default=current_step)
    if step < 0:
        raise SessionError(f"shared_step: {step} is negative; use 0 or more")

    runs = []
    for index, entry in enumerate(entries):
        where = f"runs[{index}]"
        if not isinstance(entry, dict):
            raise SessionError(f"{where}: expected an object, found {shown(entry)}")
        settings = read_dataclass(
            require(entry, "settings", dict, where=where),
            RunSettings,
            f"{where}.settings",
            warnings,
            SETTING_CHECKS,
        )
        if index == selected:
            if settings != selected_run.settings:
                warnings.append(
                    f"{where}.settings differs from settings, which describes "
                    "the selected run; settings is used"
                )
            runs.append(selected_run)
            continue
        run = Run(function=selected_run.function, settings=settings)
        _recompute_entry(entry, run, step, where, warnings)
        runs.append(run)
    step = _shared_step(runs, selected, step, current_step, warnings)
    return SavedRuns(tuple(runs), selected, step)


def _recompute_entry(
    entry: dict, run: Run, step: int, where: str, warnings: list[str]
) -> None:
    """Compute ``run`` as far as the file had it, warning where it disagrees."""
    last = require(entry, "last_step", int, where=where, default=step)
    if last < 0:
        raise SessionError(f"{where}.last_step: {last} is negative; use 0 or more")
    run.ensure(max(last, step))
    if run.last_step < last:
        warnings.append(
            f"{where}: the recomputed run stops at step {run.last_step}, before "
            f"the saved last step {last}"
        )
    warnings.extend(compare_stop_reason(entry, run, where))


def _shared_step(
    runs: list[Run], selected: int, step: int, current_step: int, warnings: list[str]
) -> int:
    """Return the shared step to show, at most the last step of the longest run."""
    longest = max(run.last_step for run in runs)
    if step > longest:
        warnings.append(
            f"shared_step {step} is beyond the last step of every run; "
            f"showing step {longest}"
        )
        step = longest
    for run in runs:
        run.ensure(step)
    shown_step = min(step, runs[selected].last_step)
    if shown_step != current_step:
        warnings.append(
            f"current_step {current_step} differs from the step that shared_step "
            f"{step} gives the selected run ({shown_step}); showing step {shown_step}"
        )
    return step


def compare_stop_reason(mapping: dict, run: Run, where: str = "") -> list[str]:
    """List how the stop reason stored in ``mapping`` differs from ``run``'s.

    ``where`` is the path of ``mapping`` in the file, used in messages.
    """
    stored = require(mapping, "stop_reason", str, where=where, default=None)
    computed = run.stop_reason.name.lower()
    if stored is None or stored == computed:
        return []
    field = f"{where}.stop_reason" if where else "stop_reason"
    if stored.upper() not in StopReason.__members__:
        return [f"{field} {stored!r} is not one this program knows; ignored"]
    return [
        f"{field}: the file stores {stored!r} but the recomputed run has {computed!r}"
    ]
