"""Complex cases (reduce): the shared table of ``_complex_table`` swept against finite
differences (real and imaginary parts), both modes, to second order."""

from __future__ import annotations

from ._complex_table import register

register("reduce")
