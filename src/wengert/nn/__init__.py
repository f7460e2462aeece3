"""``wg.nn``: neural-network building blocks with PyTorch's names, state-dict keys and
initializations. ``wg.nn.functional`` holds the stateless functions."""

from . import functional, init, utils
from .activation import *  # noqa: F403 - each module's __all__ is its public API
from .containers import ModuleDict, ModuleList, Sequential
from .conv import *  # noqa: F403
from .dropout import Dropout, Embedding
from .linear import Bilinear, Flatten, Identity, Linear, Unflatten
from .loss import *  # noqa: F403
from .module import Module
from .normalization import *  # noqa: F403
from .parameter import Buffer, Parameter
from .pooling import *  # noqa: F403
from .rnn import *  # noqa: F403
from .transformer import *  # noqa: F403
