"""``wg.nn.functional`` (conventionally imported as ``F``): PyTorch's stateless
neural-network functions, each differentiable in both modes and to any order."""

from . import attention as _attention
from . import cross_entropy as _cross_entropy
from . import dropout as _dropout
from . import linear as _linear
from . import loss as _loss
from . import normalization as _normalization
from . import softmax as _softmax
from . import sparse as _sparse
from .attention import *  # noqa: F403
from .cross_entropy import *  # noqa: F403
from .dropout import *  # noqa: F403
from .linear import *  # noqa: F403
from .loss import *  # noqa: F403
from .normalization import *  # noqa: F403
from .softmax import *  # noqa: F403
from .sparse import *  # noqa: F403

__all__: list[str] = [
    *_attention.__all__, *_cross_entropy.__all__, *_dropout.__all__, *_linear.__all__,
    *_loss.__all__, *_normalization.__all__, *_softmax.__all__, *_sparse.__all__,
]
