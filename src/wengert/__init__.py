"""wengert: automatic differentiation of NumPy-style code.

>>> import wengert as wg
>>> x = wg.tensor(2.0, dtype=wg.float64, requires_grad=True)
>>> y = wg.tensor(5.0, dtype=wg.float64, requires_grad=True)
>>> f = wg.log(x) + x * y - wg.sin(y)
>>> f.backward()
>>> x.grad.item(), y.grad.item()
(5.5, 1.7163378145367738)
"""

from . import autograd  # noqa: E402,I001 - after the ops, which it does not need
from . import optim  # noqa: E402
from . import tools  # noqa: E402
from . import ops as _ops  # registers the primitives and Tensor's methods
from ._backend import (
    bool_,
    complex64,
    complex128,
    device,
    float16,
    float32,
    float64,
    get_default_dtype,
    int8,
    int16,
    int32,
    int64,
    set_default_dtype,
    uint8,
)
from ._creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    is_tensor,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from ._tensor import Tensor
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.engine import grad
from .ops.arrange import *  # noqa: F403 - each module's __all__ is its public API
from .ops.binary import *
from .ops.complex import *
from .ops.contract import *
from .ops.diagonal import *
from .ops.elementwise import *
from .ops.gather import *
from .ops.index import *
from .ops.join import *
from .ops.linalg import *
from .ops.reduce import *
from .ops.scan import *
from .ops.shape import *
from .ops.sort import *
from .ops.unary import *
from . import fft, linalg, nn  # noqa: E402 - namespaces: wg.fft, wg.linalg, wg.nn.functional
from . import func, utils  # noqa: E402 - wg.func transforms, wg.utils (loaded lazily)
from . import numpy  # noqa: E402 - wg.numpy; gives Tensor NumPy's ufunc/function protocols
from .serialization import load, save  # noqa: E402

bool = bool_  # noqa: A001 - PyTorch's names for dtypes
half, float, double = float16, float32, float64  # noqa: A001
long, int = int64, int32  # noqa: A001
cfloat, cdouble = complex64, complex128

__version__ = "0.1.0"
