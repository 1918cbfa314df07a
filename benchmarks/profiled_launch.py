"""Run a program with cProfile switched on and off by signals.

Usage: python benchmarks/profiled_launch.py OUT.prof -m MODULE [ARGS...]
       python benchmarks/profiled_launch.py OUT.prof SCRIPT.py [ARGS...]

SIGUSR1 starts profiling the main thread, SIGUSR2 stops it and writes the
statistics to OUT.prof, so start-up is left out of the profile.
"""

from __future__ import annotations

import cProfile
import runpy
import signal
import sys


def install(output: str) -> None:
    """Make SIGUSR1 start and SIGUSR2 stop-and-save a profile."""
    profiler = cProfile.Profile()

    def start(_signal, _frame) -> None:
        profiler.enable()

    def stop(_signal, _frame) -> None:
        profiler.disable()
        profiler.dump_stats(output)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)


def main() -> None:
    """Install the signal handlers and run the program named on the command line."""
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    output, target, *rest = sys.argv[1:]
    install(output)
    if target == "-m":
        module, *args = rest
        sys.argv = [module, *args]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        sys.argv = [target, *rest]
        runpy.run_path(target, run_name="__main__")


if __name__ == "__main__":
    main()
