"""``wg.nn.functional`` (conventionally imported as ``F``): PyTorch's stateless
neural-network functions, each differentiable in both modes and to any order."""

from ...ops._registry import supports_complex as _supports_complex
from . import activation as _activation
from . import attention as _attention
from . import conv as _conv
from . import cross_entropy as _cross_entropy
from . import dropout as _dropout
from . import folding as _folding
from . import linear as _linear
from . import loss as _loss
from . import normalization as _normalization
from . import padding as _padding
from . import pooling as _pooling
from . import recurrent as _recurrent  # noqa: F401 (rnn_scan, used by nn.RNN/LSTM/GRU)
from . import sampling as _sampling
from . import softmax as _softmax
from . import sparse as _sparse
from .activation import *  # noqa: F403
from .attention import *  # noqa: F403
from .conv import *  # noqa: F403
from .cross_entropy import *  # noqa: F403
from .dropout import *  # noqa: F403
from .folding import *  # noqa: F403
from .linear import *  # noqa: F403
from .loss import *  # noqa: F403
from .normalization import *  # noqa: F403
from .padding import *  # noqa: F403
from .pooling import *  # noqa: F403
from .sampling import *  # noqa: F403
from .softmax import *  # noqa: F403
from .sparse import *  # noqa: F403

__all__: list[str] = [
    *_activation.__all__, *_attention.__all__, *_conv.__all__, *_cross_entropy.__all__,
    *_dropout.__all__, *_folding.__all__, *_linear.__all__, *_loss.__all__,
    *_normalization.__all__, *_padding.__all__, *_pooling.__all__, *_sampling.__all__,
    *_softmax.__all__, *_sparse.__all__,
]

# Complex input, as in PyTorch (tanh and sigmoid are the wg functions, declared there).
# The others refuse it by name (``as_real_tensor``), as PyTorch does.
_supports_complex(alpha_dropout, bilinear, conv1d, conv2d, conv3d, conv_transpose1d,  # noqa: F405
                  conv_transpose2d, conv_transpose3d, dropout, fold, l1_loss,  # noqa: F405
                  linear, normalize, pad, pairwise_distance, pixel_shuffle,  # noqa: F405
                  pixel_unshuffle, poisson_nll_loss, rms_norm, silu, softsign,  # noqa: F405
                  unfold)  # noqa: F405
