"""The names of the preset functions, without the functions themselves.

The command line's help lists these names, and building it must not wait
for numpy, which presets.py imports. tests/test_presets.py checks that this
list and presets.PRESETS name the same presets in the same order. This
module is part of the maths layer: it imports no textual, rich or plotext.
"""

PRESET_SLUGS = (
    "quadratic",
    "shifted-bowl",
    "quartic",
    "double-well",
    "wavy",
    "abs",
    "cubic",
    "exp",
)
"""Slugs of the presets, in the order a picker shows them."""
