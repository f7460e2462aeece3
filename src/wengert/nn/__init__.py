"""``wg.nn``: neural-network building blocks with PyTorch's names, state-dict keys and
initializations. ``wg.nn.functional`` holds the stateless functions."""

from . import functional, init, utils
from .containers import ModuleDict, ModuleList, Sequential
from .linear import Bilinear, Flatten, Identity, Linear, Unflatten
from .module import Module
from .parameter import Buffer, Parameter

__all__ = ["Bilinear", "Buffer", "Flatten", "Identity", "Linear", "Module", "ModuleDict",
           "ModuleList", "Parameter", "Sequential", "Unflatten", "functional", "init", "utils"]
