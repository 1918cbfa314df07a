"""Export SVG screenshots of the app at 80x24 and 120x40 into this folder.

Run from the repository root: ``python screenshots/make_screenshots.py``.
Each screenshot shows the default run (x0 = 8, η = 0.1 on x²) after a few
steps, drawn by the app itself through Textual's screenshot export.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from tui_descent.app import DescentApp

HERE = Path(__file__).resolve().parent
SIZES = ((80, 24), (120, 40))
STEPS_SHOWN = 6


async def export(size: tuple[int, int]) -> Path:
    """Drive the app to step 6 at ``size`` and save its screen as SVG."""
    width, height = size
    app = DescentApp()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*["n"] * STEPS_SHOWN)
        await pilot.pause()
        path = HERE / f"main-{width}x{height}.svg"
        path.write_text(app.export_screenshot(title=f"descend-tui {width}x{height}"))
    return path


async def main() -> None:
    for size in SIZES:
        print(await export(size))


if __name__ == "__main__":
    asyncio.run(main())
