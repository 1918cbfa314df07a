"""Command palette entries: pick a preset function by name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class PresetCommands(Provider):
    """Offer every preset function as a palette command."""

    def _commands(self):
        # Imported here: the presets bring in numpy, which the first frame
        # does without.
        from .presets import PRESETS

        for slug, function in PRESETS.items():
            title = f"Function: {function.name} ({slug})"
            yield title, function

    async def discover(self) -> Hits:
        for title, function in self._commands():
            yield DiscoveryHit(
                title, partial(self.app.choose_function, function), help=function.caption
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, function in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.choose_function, function),
                    help=function.caption,
                )
