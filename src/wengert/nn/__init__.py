"""``wg.nn``: neural-network building blocks. ``wg.nn.functional`` holds the
stateless functions (activations, losses, convolutions, normalizations)."""

from . import functional

__all__ = ["functional"]
