"""Turn pooled samples into the results table: medians, ranges and targets."""

from __future__ import annotations

import operator
import os
import platform
import statistics
import subprocess
from dataclasses import dataclass
from importlib import metadata

Samples = dict[str, list[float]]
"""Metric name to samples, as the scenarios return them."""


class Results:
    """Samples pooled per (scenario, program, size) across repeats."""

    def __init__(self) -> None:
        self.samples: dict[str, Samples] = {}

    def add(self, key: str, figures: Samples) -> None:
        """Append one scenario's figures under ``key``."""
        pooled = self.samples.setdefault(key, {})
        for metric, values in figures.items():
            pooled.setdefault(metric, []).extend(values)

    def median(self, key: str, metric: str) -> float | None:
        """Return the median of one metric, or None when it was not measured."""
        values = self.samples.get(key, {}).get(metric)
        return statistics.median(values) if values else None

    def spread(self, key: str, metric: str) -> str:
        """Return "median [min–max]" of one metric, or "–" when not measured."""
        values = self.samples.get(key, {}).get(metric)
        if not values:
            return "–"
        middle = statistics.median(values)
        return f"{_short(middle)} [{_short(min(values))}–{_short(max(values))}]"


def _short(value: float) -> str:
    """Format a figure with about three significant digits."""
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


@dataclass(frozen=True)
class Target:
    """One goal of the speed issue, as a ratio of two medians or a limit."""

    name: str
    numerator: tuple[str, str]
    """(results key, metric) of the figure under test."""
    denominator: tuple[str, str] | None
    """(results key, metric) it is divided by, or None for an absolute limit."""
    limit: float
    at_least: bool = False
    """True when the figure must reach ``limit``; else it must stay at or below.
    The absolute targets with a strict "under" are checked with < instead."""
    strict: bool = False

    def value(self, results: Results) -> float | None:
        """Return the ratio or figure, or None when a part was not measured."""
        top = results.median(*self.numerator)
        if top is None or self.denominator is None:
            return top
        bottom = results.median(*self.denominator)
        if not bottom:
            return None
        return top / bottom

    def met(self, results: Results) -> bool | None:
        """Tell whether the target is met, or None when it was not measured."""
        value = self.value(results)
        if value is None:
            return None
        if self.at_least:
            return value >= self.limit
        compare = operator.lt if self.strict else operator.le
        return compare(value, self.limit)

    def describe_limit(self) -> str:
        """Return the limit as the results table shows it, such as "≤ 0.4×"."""
        if self.at_least:
            sign = "≥"
        elif self.strict:
            sign = "<"
        else:
            sign = "≤"
        unit = "×" if self.denominator is not None else ""
        return f"{sign} {self.limit:g}{unit}"


def format_table(rows: list[list[str]]) -> str:
    """Align the columns of ``rows`` (the first row is the header)."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        _join_cells(rows[0], widths),
        _join_cells(["-" * w for w in widths], widths),
    ]
    lines.extend(_join_cells(row, widths) for row in rows[1:])
    return "\n".join(lines)


def _join_cells(row: list[str], widths: list[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip()


def target_rows(results: Results, targets: list[Target]) -> list[list[str]]:
    """Return one table row per target: figures, ratio, limit and verdict."""
    rows = [["target", "measured", "against", "ratio/figure", "limit", "verdict"]]
    for target in targets:
        value = target.value(results)
        verdict = {True: "met", False: "MISSED", None: "not measured"}
        against = (
            "–" if target.denominator is None else results.spread(*target.denominator)
        )
        rows.append(
            [
                target.name,
                results.spread(*target.numerator),
                against,
                "–" if value is None else _short(value),
                target.describe_limit(),
                verdict[target.met(results)],
            ]
        )
    return rows


def machine_description() -> dict[str, str]:
    """Describe the machine and software the figures were measured with."""
    model = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cores": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "textual": metadata.version("textual"),
        "textual-plotext": metadata.version("textual-plotext"),
        "plotext": metadata.version("plotext"),
        "rich": metadata.version("rich"),
        "load average": " ".join(f"{load:.2f}" for load in os.getloadavg()),
    }


def commit_of(directory: str, revision: str = "HEAD") -> str:
    """Return the full hash of ``revision`` in the repository at ``directory``."""
    result = subprocess.run(
        ["git", "-C", directory, "rev-parse", revision],
        capture_output=True,
        text=True,
        check=False,
    )
    return result.stdout.strip() or "unknown (not a git checkout)"
