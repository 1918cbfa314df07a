"""Command-line parsing shared by the interactive app and batch mode.

Every option is checked here, so a bad value exits with status 2 and a
one-line message naming the option before any screen is drawn.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from . import __version__
from .functions import Function
from .limits import MAX_STEPS_LIMIT, check_learning_rate, check_max_steps
from .limits import check_start, check_tolerance
from .optimizer_options import add_optimizer_options, optimizer_from_args
from .optimizer_options import schedule_from_args
from .preset_slugs import PRESET_SLUGS
from .run_settings import RunSettings

DESCRIPTION = (
    "Walk gradient descent down a curve one key press at a time: the chart "
    "shows f(x) and the descent points, the table lists x, the slope f'(x) "
    "and f(x) for every step."
)


_NEGATIVE_NUMBER = re.compile(
    r"^-(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^-(inf|infinity|nan)$", re.IGNORECASE
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line, naming the option."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Python 3.11's argparse reads "-1e5" and "-inf" as options, so
        # "--lr -1e5" failed with "expected one argument". Values that
        # float() reads as negative numbers are values here.
        self._negative_number_matcher = _NEGATIVE_NUMBER

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _option_type(check):
    """Wrap a check from ``limits`` so argparse reports its message."""

    def convert(text: str):
        try:
            return check(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def _load_session(text: str):
    """Read a saved session for --load, importing numpy only then."""
    from .sessions import load_session

    return load_session(text)


def _check_preset(text: str) -> Function:
    from .presets import preset

    return preset(text.strip())


def _check_formula(text: str) -> Function:
    from .expressions import parse_function

    return parse_function(text)


def _preset_names() -> str:
    return ", ".join(PRESET_SLUGS)


def add_function_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--function`` and ``--preset``, which choose f(x), to ``parser``."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--function",
        dest="function",
        type=_option_type(_check_formula),
        metavar="F",
        help="f(x) to descend, typed as in the app, such as \"x^4 - 3x^2 + x\"",
    )
    group.add_argument(
        "--preset",
        dest="function",
        type=_option_type(_check_preset),
        metavar="NAME",
        help=f"a preset function: {_preset_names()} (default quadratic, x²)",
    )


def function_from_args(args: argparse.Namespace) -> Function:
    """Return the function that ``--function`` or ``--preset`` chose, or x²."""
    from .functions import QUADRATIC

    return getattr(args, "function", None) or QUADRATIC


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """Add the options that describe one run to ``parser``."""
    defaults = RunSettings()
    add_function_options(parser)
    parser.add_argument(
        "--start",
        type=_option_type(check_start),
        default=None,
        metavar="X0",
        help="starting point x0 (default: the function's own, 8 for x²)",
    )
    parser.add_argument(
        "--lr",
        "--learning-rate",
        dest="learning_rate",
        type=_option_type(check_learning_rate),
        default=defaults.learning_rate,
        metavar="ETA",
        help=f"learning rate η, the step size factor (default {defaults.learning_rate:g})",
    )
    parser.add_argument(
        "--max-steps",
        type=_option_type(check_max_steps),
        default=defaults.max_steps,
        metavar="N",
        help=f"stop after N steps, 0 to {MAX_STEPS_LIMIT:,} (default {defaults.max_steps})",
    )
    parser.add_argument(
        "--tolerance",
        type=_option_type(check_tolerance),
        default=defaults.tolerance,
        metavar="TOL",
        help=(
            "stop as converged once |f'(x)| is below TOL "
            f"(default {defaults.tolerance:g})"
        ),
    )
    add_optimizer_options(parser)


def build_parser() -> argparse.ArgumentParser:
    """Build the parser of the ``descend-tui`` command."""
    parser = _Parser(
        prog="descend-tui",
        description=DESCRIPTION,
        epilog="To print a run without the interactive screen: descend-tui run --help",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    add_run_options(parser)
    parser.add_argument(
        "--load",
        type=_option_type(_load_session),
        metavar="PATH",
        help="open a run saved as JSON, at the step it was saved on",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help=(
            "reopen the last session: descend-tui saves it to its state "
            "folder about a second after each change and when it stops"
        ),
    )
    return parser


def settings_from_args(args: argparse.Namespace) -> RunSettings:
    """Build the run settings that parsed arguments describe.

    Without ``--start`` the run starts at the chosen function's default start.
    """
    start = args.start
    if start is None:
        start = function_from_args(args).default_start
    return RunSettings(
        start=start,
        learning_rate=args.learning_rate,
        max_steps=args.max_steps,
        tolerance=args.tolerance,
        optimizer=optimizer_from_args(args),
        schedule=schedule_from_args(args),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the app; return the exit status.

    ``descend-tui run ...`` goes to batch mode instead.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["run"]:
        from .batch import main as run_batch

        return run_batch(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = settings_from_args(args)
    from .app import DescentApp
    from .recovery import run_app

    session = args.load
    if args.resume:
        if session is not None:
            parser.error("--resume and --load cannot be used together")
        from .recovery import load_saved_session
        from .session_fields import SessionError

        try:
            session = load_saved_session()
        except SessionError as error:
            parser.error(f"--resume: {error}")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        # Without a terminal the full-screen app would wait unseen for keys.
        parser.exit(
            2,
            "descend-tui: error: the app needs a terminal on standard input and "
            "output; to print a run to a file or a pipe, use descend-tui run\n",
        )
    app = DescentApp(
        function=function_from_args(args),
        settings=settings,
        session=session,
        views_after_first_frame=True,
    )
    return run_app(app)


def entry_point() -> None:
    """Run ``main`` as the console script and exit with its status."""
    sys.exit(main())


__all__ = ["add_run_options", "build_parser", "main", "settings_from_args"]
