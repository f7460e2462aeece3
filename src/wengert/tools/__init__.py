"""Tools that show the derivative being computed: the tape as a Wengert list and the
evaluation, tangent and adjoint tables."""

from .graph import render, to_dot
from .tape import Tape, TraceLine, recording
from .trace import Trace, trace

__all__ = ["Tape", "Trace", "TraceLine", "recording", "render", "to_dot", "trace"]
