"""``wg.nn.functional`` (conventionally imported as ``F``): PyTorch's stateless
neural-network functions, each differentiable in both modes and to any order."""

__all__: list[str] = []

from .activation import *  # noqa: E402,F403
from .activation import __all__ as _activation_all  # noqa: E402

__all__ += _activation_all
