"""Speed benchmarks of descend-tui on a real pseudo-terminal.

Run everything with ``python benchmarks/run.py``; see docs/benchmarks.md.
"""
