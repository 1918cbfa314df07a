"""A bare Textual app showing one Static: the floor for start-up time."""

from textual.app import App, ComposeResult
from textual.widgets import Static


class BareApp(App[None]):
    """One line of text; q quits."""

    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("descend-tui start-up reference")


if __name__ == "__main__":
    BareApp().run()
