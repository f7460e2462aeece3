"""Tools that show the derivative being computed: the tape as a Wengert list."""

from .tape import Tape, TraceLine, recording

__all__ = ["Tape", "TraceLine", "recording"]
