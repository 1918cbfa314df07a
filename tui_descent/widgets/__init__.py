"""Textual widgets of descend-tui, one module per widget.

Import each widget from its own module; this package imports none of them, so
that loading one widget never pulls in the others.
"""
