"""Run descend-tui with ``python -m tui_descent``."""

from .cli import entry_point

if __name__ == "__main__":
    entry_point()
