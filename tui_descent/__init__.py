"""descend-tui: learn derivatives and gradient descent in the terminal."""

__version__ = "0.1.0"
