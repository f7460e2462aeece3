"""``wengert.numpy``: NumPy's names, signatures and keywords, differentiable.

``import wengert.numpy as wnp`` and write NumPy code. Plain arrays in give plain
arrays out (NumPy itself computes them); tensors in give tensors out that carry
the graph (each function is a thin translation onto the wengert op of the same
meaning). Where NumPy's semantics differ from PyTorch's, NumPy's are followed:
``std``/``var`` with ``ddof=0``, ``max`` returning values only, ``split`` at
indices, ``median`` averaging the middle pair, ``meshgrid`` indexing ``'xy'``.
``out=`` arrays are refused on tensors (the result would lose its graph).
``wnp.linalg``, ``wnp.fft`` and ``wnp.random`` (NumPy's, passed through) are here too.

Importing it also gives ``Tensor`` NumPy's ``__array_ufunc__`` and
``__array_function__`` protocols (``_protocols.py``): ``np.sin(t)`` and
``np.sum(t)`` return tensors.

>>> import numpy as np
>>> import wengert as wg
>>> import wengert.numpy as wnp
>>> def f(x):                       # NumPy code
...     return wnp.sum(wnp.tanh(x) ** 2) / wnp.std(x)
>>> f(np.array([0.5, 1.0, 2.0]))      # arrays: a NumPy float
np.float64(2.76...)
>>> x = wg.tensor([0.5, 1.0, 2.0], dtype=wg.float64, requires_grad=True)
>>> f(x).backward()                 # tensors: the same code, differentiated
>>> x.grad
tensor([ 2.7443,  1.4205, -1.7550], dtype=float64)
"""

from numpy import e, euler_gamma, inf, nan, newaxis, pi  # noqa: F401

from ..ops._registry import not_differentiable
from . import fft, linalg, random  # noqa: F401
from ._calculus import diff, gradient, trapezoid
from ._functions import (
    angle,
    array,
    asarray,
    copy,
    empty_like,
    fix,
    full_like,
    imag,
    nan_to_num,
    ndim,
    ones_like,
    real,
    round_,
    shape,
    sinc,
    size,
    zeros_like,
)
from ._products import cross, dot, einsum, inner, kron, outer, tensordot, vdot
from ._protocols import install
from ._reductions import (
    all_,
    any_,
    argmax,
    argmin,
    argsort,
    average,
    count_nonzero,
    cumprod,
    cumsum,
    max_,
    mean,
    median,
    min_,
    nanmean,
    nansum,
    prod,
    ptp,
    sort,
    std,
    sum_,
    var,
)
from ._shape import (
    append,
    array_split,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    broadcast_arrays,
    broadcast_to,
    clip,
    column_stack,
    concatenate,
    delete,
    diag,
    diagflat,
    diagonal,
    dsplit,
    dstack,
    expand_dims,
    flip,
    fliplr,
    flipud,
    hsplit,
    hstack,
    meshgrid,
    moveaxis,
    nonzero,
    pad,
    ravel,
    repeat,
    reshape,
    roll,
    rot90,
    split,
    squeeze,
    stack,
    swapaxes,
    take,
    take_along_axis,
    tile,
    trace,
    transpose,
    tril,
    triu,
    vsplit,
    vstack,
    where,
)
from ._ufuncs import *  # noqa: F403 - every ufunc by NumPy's name (sin, add, arcsin, ...)
from ._ufuncs import __all__ as _ufunc_names

# NumPy's names that collide with Python builtins, and NumPy's aliases
sum = sum_  # noqa: A001
max = amax = max_  # noqa: A001
min = amin = min_  # noqa: A001
all = all_  # noqa: A001
any = any_  # noqa: A001
round = around = round_  # noqa: A001
concat = concatenate
permute_dims = transpose

# Array creation and information: NumPy's own functions (no derivative to take)
from numpy import (  # noqa: E402
    arange,
    empty,
    eye,
    full,
    geomspace,
    identity,
    linspace,
    logspace,
    ones,
    zeros,
)

not_differentiable(arange, empty, eye, full, geomspace, identity, linspace, logspace, ones, zeros)

from numpy import (  # noqa: E402 - dtypes, so that wnp.float64 works as np.float64 does
    bool_,
    complex64,
    complex128,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    ndarray,
    uint8,
)

install()

__all__ = sorted([
    *_ufunc_names, "abs", "all", "amax", "amin", "angle", "any", "append", "arange", "around",
    "argmax", "argmin", "argsort", "array", "array_split", "asarray", "atleast_1d",
    "atleast_2d", "atleast_3d", "average", "broadcast_arrays", "broadcast_to", "clip",
    "column_stack", "concat", "concatenate", "copy", "count_nonzero", "cross", "cumprod",
    "cumsum", "delete", "diag", "diagflat", "diagonal", "diff", "dot", "dsplit", "dstack",
    "einsum", "empty", "empty_like", "expand_dims", "eye", "fix", "flip", "fliplr", "flipud",
    "full", "full_like", "geomspace", "gradient", "hsplit", "hstack", "identity", "imag",
    "inner", "kron", "linspace", "logspace", "max", "mean", "median", "meshgrid", "min",
    "moveaxis", "nan_to_num", "nanmean", "nansum", "ndim", "nonzero", "ones", "ones_like",
    "outer", "pad", "permute_dims", "prod", "ptp", "ravel", "real", "repeat", "reshape",
    "roll", "rot90", "round", "shape", "sinc", "size", "sort", "split", "squeeze", "stack",
    "std", "sum", "swapaxes", "take", "take_along_axis", "tensordot", "tile", "trace",
    "transpose", "trapezoid", "tril", "triu", "var", "vdot", "vsplit", "vstack", "where",
    "zeros", "zeros_like",
])
