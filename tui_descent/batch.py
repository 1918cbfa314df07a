"""Batch mode: ``descend-tui run`` computes a run and prints it without the app.

The report is a rich table of the steps, the stop reason with its explanation
and a plotext chart, sized to the console. In a pipe, or with NO_COLOR set,
the output carries no colour codes, so it reads well in a log or a file.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from .batch_report import HEAD_ROWS, TAIL_ROWS, print_report
from .behaviour import LOOSE_TOLERANCE, describe
from .cli import _Parser, add_run_options, function_from_args, settings_from_args
from .engine import Run, StopReason
from .export import (
    ExportError,
    ExportExistsError,
    check_targets,
    save_csv,
    save_session,
    sidecar_path,
)

EXIT_CONVERGED = 0
EXIT_NOT_CONVERGED = 1
EXIT_USAGE = 2

EPILOG = """\
exit status:
  0  the run converged: |f'(x)| fell below the tolerance where f is flat
  1  the run stopped for another reason: max steps, diverged, overflowed,
     undefined or stalled, or a tolerance so loose that it stopped the run
     where f still slopes
  2  invalid arguments, or an export file that exists (without --force) or
     could not be written

The CSV file contains a header row and one row a step. Its metadata goes to
NAME.meta.json beside it. Both layouts are described in docs/export-format.md.
"""


def build_run_parser() -> argparse.ArgumentParser:
    """Build the parser of ``descend-tui run``."""
    parser = _Parser(
        prog="descend-tui run",
        description=(
            "Compute a gradient-descent run without the interactive screen and "
            "print its steps, the stop reason and a chart."
        ),
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_run_options(parser)
    parser.add_argument(
        "--all",
        dest="show_all",
        action="store_true",
        help=f"print every step (default: the first {HEAD_ROWS} and last {TAIL_ROWS})",
    )
    parser.add_argument("--no-chart", action="store_true", help="do not draw the chart")
    parser.add_argument(
        "--csv", type=Path, metavar="PATH", help="write every step to PATH as CSV"
    )
    parser.add_argument(
        "--json", type=Path, metavar="PATH", help="write the run to PATH as JSON"
    )
    parser.add_argument(
        "--force", action="store_true", help="replace export files that already exist"
    )
    return parser


def main(argv: Sequence[str] | None = None, console: Console | None = None) -> int:
    """Parse ``argv``, compute the run, print it and write exports.

    Returns the exit status described in EPILOG.
    """
    parser = build_run_parser()
    args = parser.parse_args(argv)
    settings = settings_from_args(args)
    # Checked before the run is computed, which can take seconds.
    try:
        check_targets(_export_targets(args), overwrite=args.force)
    except ExportError as error:
        return _export_failed(error)
    run = Run(function=function_from_args(args), settings=settings)
    run.run_to_end()
    console = console or Console(highlight=False)
    try:
        print_report(console, run, show_all=args.show_all, chart=not args.no_chart)
    except BrokenPipeError:
        _silence_stdout()
    status = _write_exports(args, run, console)
    if status is not None:
        return status
    if run.stop_reason is StopReason.CONVERGED and not _tolerance_too_loose(run):
        return EXIT_CONVERGED
    return EXIT_NOT_CONVERGED


def _tolerance_too_loose(run: Run) -> bool:
    """Tell whether the run stopped only because its tolerance was too loose."""
    return describe(run, run.last_step).state == LOOSE_TOLERANCE


def _export_targets(args: argparse.Namespace) -> list[Path]:
    targets = []
    if args.csv is not None:
        targets += [args.csv, sidecar_path(args.csv)]
    if args.json is not None:
        targets.append(args.json)
    return targets


def _write_exports(args: argparse.Namespace, run: Run, console: Console) -> int | None:
    """Write the requested files; return EXIT_USAGE after a failure, else None."""
    try:
        if args.csv is not None:
            sidecar = save_csv(args.csv, run, overwrite=args.force)
            _note(
                console,
                f"Wrote {len(run.history):,} rows to {args.csv}, metadata to {sidecar}",
            )
        if args.json is not None:
            save_session(args.json, run, overwrite=args.force)
            _note(console, f"Wrote the run to {args.json}")
    except ExportError as error:
        return _export_failed(error)
    return None


def _export_failed(error: ExportError) -> int:
    """Print why an export cannot be written and return EXIT_USAGE."""
    if isinstance(error, ExportExistsError):
        _print_error(f"{error}; pass --force to replace it")
    else:
        _print_error(str(error))
    return EXIT_USAGE


def _note(console: Console, text: str) -> None:
    try:
        # soft_wrap keeps long paths on one line, so they can be copied.
        console.print(text, soft_wrap=True)
    except BrokenPipeError:
        _silence_stdout()


def _print_error(message: str) -> None:
    print(f"descend-tui run: error: {message}", file=sys.stderr)


def _silence_stdout() -> None:
    # The reader of the pipe has gone (``| head``). Point stdout at devnull so
    # that Python's flush at exit does not print a second BrokenPipeError.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
