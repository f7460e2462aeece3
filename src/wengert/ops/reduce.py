"""Reductions: sum, mean, max/min (with and without ``dim``), argmax/argmin.

``dim``/``keepdim`` (PyTorch) and ``axis``/``keepdims`` (NumPy) are both accepted.
"""

from __future__ import annotations

import builtins
import math
from collections import namedtuple

import numpy as np

from .._primitive import SPEC, VALUE, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import Compose, Scale, SumAxes, kept_shape
from ._registry import dim_arg, method, not_differentiable, tensor_arg
from .complex import abs_squared, real_only
from .index import _getitem_method

__all__ = [
    "all",
    "amax",
    "amin",
    "any",
    "argmax",
    "argmin",
    "max",
    "mean",
    "min",
    "norm",
    "sum",
]


def _sum(x, axis, keepdims):
    return np.sum(x, axis=axis, keepdims=keepdims)


sum_p = Primitive("sum", _sum, save=(SPEC,), n_params=2,
                  rule=(lambda ns, out, x, axis, keepdims: SumAxes(x.shape, axis, keepdims),))


def _extremum_rule(ns, out, x, axis, keepdims):
    # d max / d x spreads evenly over the elements that attain the maximum. A
    # NaN is the maximum wherever it occurs (then no x equals it), as in PyTorch.
    hit = (x == ns.reshape(out, kept_shape(x.shape, axis))) | ns.isnan(x)
    hit = ns.astype(hit, x.dtype)
    return Compose(Scale(hit / ns.sum(hit, axis, True)), SumAxes(x.shape, axis, keepdims))


amax_p = Primitive("amax", real_only(lambda x, axis, keepdims: np.amax(x, axis=axis,
                                                                         keepdims=keepdims),
                                     "max/amax"),
                   save=(VALUE,), save_out=True, n_params=2, rule=(_extremum_rule,))
amin_p = Primitive("amin", real_only(lambda x, axis, keepdims: np.amin(x, axis=axis,
                                                                         keepdims=keepdims),
                                     "min/amin"),
                   save=(VALUE,), save_out=True, n_params=2, rule=(_extremum_rule,))
argmax_p = Primitive("argmax", real_only(lambda x, axis, keepdims: np.argmax(x, axis=axis,
                                                                             keepdims=keepdims),
                                         "argmax"),
                     n_params=2)
argmin_p = Primitive("argmin", real_only(lambda x, axis, keepdims: np.argmin(x, axis=axis,
                                                                             keepdims=keepdims),
                                         "argmin"),
                     n_params=2)


def _axes(dim, ndim: int, op: str):
    """Normalize ``dim`` to None, or a sorted tuple of non-negative axes."""
    if dim is None or dim == ():  # PyTorch: an empty dim reduces everything
        return None
    dims = dim if isinstance(dim, tuple) else (dim,)
    nd = builtins.max(ndim, 1)
    out = []
    for d in dims:
        if not -nd <= d < nd:
            raise IndexError(f"{op}: dimension {d} is out of range for a tensor with {ndim} "
                             f"dimensions (expected in [{-nd}, {nd - 1}])")
        out.append(d % nd)
    if len(set(out)) != len(out):
        raise RuntimeError(f"{op}: dimension repeated in {dim}")
    return tuple(sorted(out)) if ndim else None


def _reduce(prim, input, dim, keepdim, op):  # noqa: A002
    input = tensor_arg(input)  # noqa: A001
    axes = _axes(dim, input.ndim, op)
    return bind(prim, (input,), (axes, bool(keepdim)))


@method()
def sum(input, dim=None, keepdim=False, *, axis=None, keepdims=None, dtype=None) -> Tensor:  # noqa: A001, A002
    """Sum over all elements, or over ``dim`` (an int or a tuple).

    >>> import wengert as wg
    >>> x = wg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    >>> x.sum(dim=0)
    tensor([4., 6.], grad_fn=<SumBackward #...>)
    """
    keepdim = keepdim if keepdims is None else keepdims
    if dtype is not None:
        input = tensor_arg(input).to(dtype)  # noqa: A001
    return _reduce(sum_p, input, dim_arg(dim, axis), keepdim, "sum")


@method()
def mean(input, dim=None, keepdim=False, *, axis=None, keepdims=None) -> Tensor:  # noqa: A002
    """Mean over all elements, or over ``dim``."""
    input = tensor_arg(input)  # noqa: A001
    if input.dtype.kind not in "fc":
        raise RuntimeError(f"mean: input dtype must be floating point or complex, got "
                           f"{input.dtype}; convert first, e.g. x.float().mean()")
    keepdim = keepdim if keepdims is None else keepdims
    dim = dim_arg(dim, axis)
    axes = _axes(dim, input.ndim, "mean")
    count = input._data.size if axes is None else math.prod(input.shape[a] for a in axes)
    return sum(input, axes, keepdim) / count


_MinMax = namedtuple("_MinMax", ["values", "indices"])


def _along(indices: np.ndarray, axis: int, shape: tuple):
    """An index tuple picking ``indices`` (kept dims) along ``axis`` of an array of ``shape``."""
    grids = np.ogrid[tuple(slice(n) for n in indices.shape)]
    return tuple(indices if i == axis else grids[i] for i in range(len(shape)))


def _extremum(name, full_prim, arg_prim, pairwise, input, dim, keepdim, other):  # noqa: A002
    input = tensor_arg(input)  # noqa: A001
    if isinstance(dim, Tensor) or other is not None:
        return pairwise(input, dim if other is None else other)
    if input._data.size == 0:
        raise RuntimeError(f"{name}(): cannot reduce an empty tensor (shape {input.shape})")
    if dim is None:
        return bind(full_prim, (input,), (None, False))
    if isinstance(dim, tuple):
        return bind(full_prim, (input,), (_axes(dim, input.ndim, name), bool(keepdim)))
    axis = _axes(dim, input.ndim, name)
    if axis is None:  # 0-d input
        return _MinMax(input.clone(), Tensor(np.array(0)))
    axis = axis[0]
    idx = bind(arg_prim, (input,), (axis, True))._data
    values = _getitem_method(input, _along(idx, axis, input.shape))
    idx_out = idx if keepdim else np.squeeze(idx, axis)
    if not keepdim:
        from .shape import squeeze

        values = squeeze(values, axis)
    return _MinMax(values, Tensor(idx_out))


@method()
def max(input, dim=None, keepdim=False, *, other=None, axis=None, keepdims=None):  # noqa: A001, A002
    """The largest element; with ``dim``, ``(values, indices)`` along it.

    ``max(x, y)`` with a tensor ``y`` is the elementwise ``maximum``. The full
    reduction spreads the gradient evenly over tied maxima; with ``dim`` it goes
    to the index returned (PyTorch's conventions).
    """
    from .elementwise import maximum

    keepdim = keepdim if keepdims is None else keepdims
    return _extremum("max", amax_p, argmax_p, maximum, input, dim_arg(dim, axis), keepdim,
                     other)


@method()
def min(input, dim=None, keepdim=False, *, other=None, axis=None, keepdims=None):  # noqa: A001, A002
    """The smallest element; with ``dim``, ``(values, indices)`` along it."""
    from .elementwise import minimum

    keepdim = keepdim if keepdims is None else keepdims
    return _extremum("min", amin_p, argmin_p, minimum, input, dim_arg(dim, axis), keepdim,
                     other)


@method()
def amax(input, dim=None, keepdim=False) -> Tensor:  # noqa: A002
    """Maximum over ``dim`` (all if None); ties share the gradient evenly."""
    return _reduce(amax_p, input, dim_arg(dim, None), keepdim, "amax")


@method()
def amin(input, dim=None, keepdim=False) -> Tensor:  # noqa: A002
    """Minimum over ``dim`` (all if None); ties share the gradient evenly."""
    return _reduce(amin_p, input, dim_arg(dim, None), keepdim, "amin")


def _arg(prim, input, dim, keepdim, op):  # noqa: A002
    input = tensor_arg(input)  # noqa: A001
    if dim is None:
        return bind(prim, (input,), (None, False))
    axis = _axes(dim, input.ndim, op)
    return bind(prim, (input,), (axis[0] if axis else None, bool(keepdim)))


@not_differentiable
@method()
def argmax(input, dim=None, keepdim=False) -> Tensor:  # noqa: A002
    """Index of the largest element (of the flattened tensor, or along ``dim``)."""
    return _arg(argmax_p, input, dim, keepdim, "argmax")


@not_differentiable
@method()
def argmin(input, dim=None, keepdim=False) -> Tensor:  # noqa: A002
    """Index of the smallest element (of the flattened tensor, or along ``dim``)."""
    return _arg(argmin_p, input, dim, keepdim, "argmin")


@method()
def norm(input, p=2, dim=None, keepdim=False) -> Tensor:  # noqa: A002
    """The vector p-norm (``p`` = 2 by default) over all elements or ``dim``.

    A composite: its gradient comes from the primitives it is made of.
    """
    from .elementwise import abs as abs_
    from .elementwise import sign, where

    input = tensor_arg(input)  # noqa: A001
    if input.dtype.kind not in "fc":
        raise RuntimeError(f"norm: expected a floating point tensor, got dtype {input.dtype}; "
                           "convert first, e.g. x.float().norm()")
    if p == "fro":
        p = 2
    if not isinstance(p, (int, float)):
        raise ValueError(f"norm: p must be a number, 'fro' or inf, got {p!r}")
    a = abs_(input)
    if p == 0:  # the number of nonzero elements; sign's derivative is 0, as it should be
        return sum(sign(a), dim, keepdim)
    if p == 1:
        return sum(a, dim, keepdim)
    if p == float("inf"):
        return amax(a, dim, keepdim)
    if p == -float("inf"):
        return amin(a, dim, keepdim)
    if p == 2:
        powered = abs_squared(input)  # input * input for real input
    elif p < 1:  # |x|^p has an infinite slope at 0: take PyTorch's subgradient 0 there
        nonzero = a > 0
        powered = where(nonzero, where(nonzero, a, 1.0) ** p, 0.0 if p > 0 else float("inf"))
    else:
        powered = a ** p
    return _root_at_zero_safe(sum(powered, dim, keepdim), p)


def _root_at_zero_safe(s, p):
    """``s ** (1/p)`` for ``s >= 0``, whose gradient at ``s == 0`` is 0 instead of nan.

    The root's slope is infinite at 0 and 0 * inf = nan would reach every input;
    PyTorch takes the subgradient 0 there. The double ``where`` keeps the
    unused branch finite so no nan can leak through it either.
    """
    from .elementwise import sqrt, where

    if p < 0:  # a zero element makes the sum infinite and the norm 0
        return s ** (1.0 / p)
    positive = s > 0
    safe = where(positive, s, 1.0)
    return where(positive, sqrt(safe) if p == 2 else safe ** (1.0 / p), 0.0)


@not_differentiable
@method()
def all(input, dim=None, keepdim=False) -> Tensor:  # noqa: A001, A002
    """Whether every element (along ``dim``) is true."""
    input = tensor_arg(input)  # noqa: A001
    return Tensor(np.all(input._data, axis=_axes(dim_arg(dim, None), input.ndim, "all"),
                         keepdims=keepdim))


@not_differentiable
@method()
def any(input, dim=None, keepdim=False) -> Tensor:  # noqa: A001, A002
    """Whether some element (along ``dim``) is true."""
    input = tensor_arg(input)  # noqa: A001
    return Tensor(np.any(input._data, axis=_axes(dim_arg(dim, None), input.ndim, "any"),
                         keepdims=keepdim))
