"""``wg.nn.functional`` (conventionally imported as ``F``): PyTorch's stateless
neural-network functions, each differentiable in both modes and to any order."""

__all__: list[str] = []

from . import conv, folding, padding, pooling, sampling  # noqa: E402
from .conv import *  # noqa: E402, F403
from .folding import *  # noqa: E402, F403
from .padding import *  # noqa: E402, F403
from .pooling import *  # noqa: E402, F403
from .sampling import *  # noqa: E402, F403

__all__ += conv.__all__ + padding.__all__ + pooling.__all__ + sampling.__all__ + folding.__all__
