"""Reductions: sum, prod, mean, var/std, logsumexp, max/min (with and without ``dim``), ...

``dim``/``keepdim`` (PyTorch) and ``axis``/``keepdims`` (NumPy) are both accepted. A
``dim`` may be an int, a tuple of ints or None (everything); ops that select one element
along a dimension (``max(x, dim)``, ``median``, ``sort``...) take an int.
"""

from __future__ import annotations

import builtins
import math
from collections import namedtuple

import numpy as np

from .._backend import get_default_dtype
from .._primitive import FAST, SPEC, VALUE, Primitive, bind
from .._tensor import TENSOR_TYPES, Tensor
from ..autograd.linear import Compose, DivideBy, Mask, Scale, SumAxes, kept_shape
from ._registry import (
    dim_arg,
    method,
    not_differentiable,
    refuse_complex,
    supports_complex,
    tensor_arg,
)
from .complex import abs_squared, real_only
from .index import _getitem_method

__all__ = [
    "all",
    "amax",
    "amin",
    "aminmax",
    "any",
    "argmax",
    "argmin",
    "count_nonzero",
    "logsumexp",
    "max",
    "mean",
    "median",
    "min",
    "nanmean",
    "nansum",
    "norm",
    "prod",
    "std",
    "std_mean",
    "sum",
    "var",
    "var_mean",
]


def _sum(x, axis, keepdims):
    return np.sum(x, axis=axis, keepdims=keepdims)


sum_p = Primitive("sum", _sum, save=(SPEC,), n_params=2,
                  rule=(lambda ns, out, x, axis, keepdims: SumAxes(x.shape, axis, keepdims),))


def _extremum_rule(ns, out, x, axis, keepdims):
    # d max / d x spreads evenly over the elements that attain the maximum. A
    # NaN is the maximum wherever it occurs (then no x equals it), as in PyTorch.
    # The count divides the small reduced cotangent; the mask keeps a NaN cotangent
    # from reaching the elements that were not selected (as PyTorch).
    hit = (x == ns.reshape(out, kept_shape(x.shape, axis))) | ns.isnan(x)
    count = ns.sum(ns.astype(hit, x.dtype), axis, keepdims)
    return Compose(Mask(hit), Compose(SumAxes(x.shape, axis, keepdims), DivideBy(count)))


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


def _axis(dim, ndim: int, op: str) -> int:
    """Normalize one dimension to a non-negative int (0 for a 0-d tensor, as PyTorch)."""
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{op}: dim must be an int here, got {dim!r}")
    nd = builtins.max(ndim, 1)
    if not -nd <= dim < nd:
        raise IndexError(f"{op}: dimension {dim} is out of range for a tensor with {ndim} "
                         f"dimensions (expected in [{-nd}, {nd - 1}])")
    return int(dim) % nd


def _axes(dim, ndim: int, op: str):
    """Normalize ``dim`` (None, an int or a tuple) to None or a sorted tuple of axes."""
    if dim is None or dim == ():  # PyTorch: an empty dim reduces everything
        return None
    dims = dim if isinstance(dim, tuple) else (dim,)
    out = [_axis(d, ndim, op) for d in dims]
    if len(set(out)) != len(out):
        raise RuntimeError(f"{op}: dimension repeated in {dim}")
    return tuple(sorted(out)) if ndim else None


def _raw(x):
    """The array behind a rule's argument (a tensor when a higher order is recorded)."""
    return x._data if type(x) in TENSOR_TYPES else x


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
    input = tensor_arg(input)  # noqa: A001
    dtype = accumulator_dtype(input, dtype)
    if dtype is not None:
        input = input.to(dtype)  # noqa: A001
    return in_dtype(_reduce(sum_p, input, dim_arg(dim, axis), keepdim, "sum"), dtype)


def accumulator_dtype(input, dtype):  # noqa: A002
    """The dtype a sum or product of ``input`` computes in: ``dtype`` if given, else int64
    for an unsigned integer tensor (PyTorch accumulates every integral dtype in int64;
    NumPy would give uint64), else None (the input's own, or int64 from NumPy for bool
    and the smaller signed integers)."""
    if dtype is None and input.dtype.kind == "u":
        return np.int64
    return dtype


def in_dtype(out, dtype):
    """``out`` of a sum or product in ``dtype`` when one was asked for: NumPy widens small
    integers (int8 to int64, uint8 to uint64) whatever their dtype; PyTorch computes in the
    dtype asked for, wrapping around as the cast does."""
    return out if dtype is None or out.dtype == dtype else out.to(dtype)


@method()
def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None) -> Tensor:  # noqa: A002
    """Mean over all elements, or over ``dim``; ``dtype`` converts the input first."""
    input = tensor_arg(input)  # noqa: A001
    if dtype is not None:
        input = input.to(dtype)  # noqa: A001
    if input.dtype.kind not in "fc":
        raise RuntimeError(f"mean: input dtype must be floating point or complex, got "
                           f"{input.dtype}; convert first, e.g. x.float().mean()")
    keepdim = keepdim if keepdims is None else keepdims
    dim = dim_arg(dim, axis)
    axes = _axes(dim, input.ndim, "mean")
    count = input._data.size if axes is None else math.prod(input.shape[a] for a in axes)
    total = sum(input, axes, keepdim)
    if count:
        return total / count
    with np.errstate(invalid="ignore"):  # nothing to average: 0 / 0 = nan, as in PyTorch
        return total / count


_MinMax = namedtuple("_MinMax", ["values", "indices"])


def take_along_axis(input, indices: np.ndarray, axis: int) -> Tensor:  # noqa: A002
    """``input``'s elements at ``indices`` along ``axis`` (NumPy's ``take_along_axis``).

    The selection behind ``max(x, dim)``, ``sort``, ``topk``, ``median``, ``cummax``...:
    the indices are computed without derivative, the values flow through this
    differentiable gather (a ``getitem``, whose adjoint adds into the selected places).
    """
    grids = np.ogrid[tuple(slice(n) for n in indices.shape)]
    index = tuple(indices if i == axis else grids[i] for i in range(indices.ndim))
    return _getitem_method(input, index)


def _selected(input, indices: np.ndarray, axis: int, keepdim: bool, kind):  # noqa: A002
    """``kind(values, indices)`` for ``indices`` (with ``axis`` kept) along ``axis``."""
    values = take_along_axis(input, indices, axis)
    if not keepdim:
        from .shape import squeeze

        values, indices = squeeze(values, axis), np.squeeze(indices, axis)
    return kind(values, Tensor(indices))


def _extremum(name, full_prim, arg_prim, pairwise, input, dim, keepdim, other):  # noqa: A002
    input = tensor_arg(input)  # noqa: A001
    if isinstance(dim, Tensor) or other is not None:
        return pairwise(input, dim if other is None else other)
    axes = _axes(dim, input.ndim, name) if isinstance(dim, tuple) else None
    axis = None if dim is None or isinstance(dim, tuple) else _axis(dim, input.ndim, name)
    if input._data.size == 0:  # (a dimension of size > 0 of an empty tensor reduces to one)
        reduced = range(input.ndim) if dim is None else axes if axes is not None else (axis,)
        empty = [a for a in reduced if input.shape[a] == 0]
        if empty:
            where = "" if dim is None else f" along dimension {empty[0]}, which has size 0"
            raise RuntimeError(f"{name}(): cannot reduce an empty tensor (shape {input.shape})"
                               f"{where}: there is no {name}imum of no elements")
    if dim is None:
        return bind(full_prim, (input,), (None, False))
    if axes is not None:
        return bind(full_prim, (input,), (axes, bool(keepdim)))
    if input.ndim == 0:
        return _MinMax(input.clone(), Tensor(np.array(0)))
    idx = bind(arg_prim, (input,), (axis, True))._data
    return _selected(input, idx, axis, keepdim, _MinMax)


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
    axis = _axis(dim, input.ndim, op)
    return bind(prim, (input,), (axis if input.ndim else None, bool(keepdim)))


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
    from .elementwise import isnan, sign, where

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
        return sum(where(isnan(a), 1.0, sign(a)), dim, keepdim)  # (NaN is not 0: it counts)
    if p == 1:
        return sum(a, dim, keepdim)
    if p == float("inf"):
        return amax(a, dim, keepdim)
    if p == -float("inf"):
        return amin(a, dim, keepdim)
    if p == 2:
        powered = abs_squared(input)  # input * input for real input
    elif p < 1:  # |x|^p has an infinite slope at 0: take PyTorch's subgradient 0 there
        nonzero = a != 0  # (not a > 0, which would drop a NaN as if it were 0)
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
    nonzero = s != 0  # (a NaN stays NaN)
    safe = where(nonzero, s, 1.0)
    return where(nonzero, sqrt(safe) if p == 2 else safe ** (1.0 / p), 0.0)


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


# -- products ----------------------------------------------------------------


def omitting_each(ns, x, axis: int):
    """``x`` with each element along ``axis`` in turn replaced by 1: a new axis is
    inserted at ``axis`` (which element is omitted) and ``x``'s own axis moves to
    ``axis + 1``. Products along ``axis + 1`` are then products of the others, as
    polynomials in ``x``: exact at zeros to every order (used only where ``x`` has a
    zero and a higher derivative is being recorded; it costs n times the memory)."""
    shape = x.shape
    n = shape[axis]
    diagonal = np.eye(n, dtype=bool).reshape((n, n) + (1,) * (len(shape) - axis - 1))
    return ns.where(diagonal, 1, ns.reshape(x, shape[:axis] + (1,) + shape[axis:]))


def _products_of_others(ns, out, x, axis: int, keepdims: bool):
    """Per element, the product of the other elements of its slice along ``axis``,
    without dividing by zero (PyTorch's convention: with one zero in a slice, the zero's
    place gets the product of the rest; with two or more, everything is 0)."""
    axis %= x.ndim
    zeros = _raw(x) == 0
    kept = out if keepdims else ns.reshape(out, kept_shape(x.shape, axis))
    if not zeros.any():
        return kept / x
    if ns is not FAST:  # recorded for a higher order: stay a polynomial in x
        return ns.prod(omitting_each(ns, x, axis), axis + 1, False)
    lone = zeros & (zeros.sum(axis, keepdims=True) == 1)
    rest = ns.prod(ns.where(zeros, 1, x), axis, True)  # (a nonzero's others include the 0)
    return ns.where(zeros, ns.where(lone, rest, 0), kept / ns.where(zeros, 1, x))


prod_p = Primitive(
    "prod", lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims),
    save=(VALUE,), save_out=True, n_params=2,
    rule=(lambda ns, out, x, axis, keepdims: Compose(
        Scale(_products_of_others(ns, out, x, axis, keepdims)),
        SumAxes(x.shape, axis, keepdims)),))


@method()
def prod(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None) -> Tensor:  # noqa: A002
    """Product of all elements, or along ``dim`` (an int; a tuple multiplies along each).

    The gradient is the product of the other elements, computed without dividing, so
    zeros are handled exactly (as PyTorch).

    >>> import wengert as wg
    >>> x = wg.tensor([[1.0, 2.0], [0.0, 4.0]], requires_grad=True)
    >>> x.prod(1)
    tensor([2., 0.], grad_fn=<ProdBackward #...>)
    """
    keepdim = keepdim if keepdims is None else keepdims
    input = tensor_arg(input)  # noqa: A001
    dtype = accumulator_dtype(input, dtype)
    if dtype is not None:
        input = input.to(dtype)  # noqa: A001
    axes = _axes(dim_arg(dim, axis), input.ndim, "prod")
    if axes is None:
        out = bind(prod_p, (input.reshape(-1),), (0, False))
        return in_dtype(out.reshape((1,) * input.ndim) if keepdim else out, dtype)
    out = input
    for a in reversed(axes):  # the last first, so that the others keep their places
        out = bind(prod_p, (out,), (a, bool(keepdim)))
    return in_dtype(out, dtype)


# -- moments -------------------------------------------------------------------


def _moment_args(op, input, dim, unbiased, keepdim, correction, axis, keepdims):  # noqa: A002
    """Validate var/std arguments: the tensor, its axes, the correction, keepdim."""
    input = tensor_arg(input)  # noqa: A001
    if input.dtype.kind not in "fc":
        raise RuntimeError(f"{op}: input dtype must be floating point or complex, got "
                           f"{input.dtype}; "
                           f"convert first, e.g. x.double().{op}()")
    if isinstance(dim, bool):  # the legacy overload var(x, unbiased)
        dim, unbiased = None, dim
    if unbiased is not None and correction is not None:
        raise TypeError(f"{op}: pass either unbiased or correction, not both")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    axes = _axes(dim_arg(dim, axis), input.ndim, op)
    keepdim = keepdim if keepdims is None else keepdims
    return input, axes, correction, bool(keepdim), op


def _var_and_mean(input, axes, correction, keepdim, op):  # noqa: A002
    """The variance (two passes: no cancellation) and the mean, kept dims for the mean.
    Complex data has a real variance, the mean of ``|x - mean|^2`` (PyTorch's).

    ``N - correction <= 0`` (too few elements) is PyTorch's: its UserWarning, then the
    sum divided by zero (inf, or nan for a sum of 0 or NaN), and the gradient
    ``2 (x - mean) / 0`` (+-inf, nan where ``x`` is the mean): through ``x`` only, as
    the mean's share (mathematically zero) would be ``inf - inf``.
    """
    count = input._data.size if axes is None else math.prod(input.shape[a] for a in axes)
    mu = mean(input, axes, True)
    dof = count - correction
    centered = input - (mu if dof > 0 else mu.detach())
    if input.dtype.kind == "c":
        from .complex import abs_squared

        squares = abs_squared(centered)
    else:
        squares = centered * centered
    if dof > 0:
        variance = sum(squares, axes, keepdim) / dof
    else:
        import warnings

        warnings.warn(f"{op}(): degrees of freedom is <= 0 ({count} elements, correction "
                      f"{correction}): the result is inf or nan. Correction should be "
                      "strictly less than the number of elements reduced.", UserWarning,
                      stacklevel=3)
        with np.errstate(divide="ignore", invalid="ignore"):  # x / 0: inf, 0 / 0: nan
            variance = sum(squares, axes, keepdim) / 0
    if not keepdim:
        mu = mu.reshape(variance.shape)
    return variance, mu


@method()
def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,  # noqa: A002
        keepdims=None) -> Tensor:
    """Variance over ``dim`` (all if None): ``sum((x - mean)**2) / (N - correction)``.

    ``correction`` defaults to 1 (Bessel's correction); ``unbiased=False`` means 0.

    >>> import wengert as wg
    >>> wg.tensor([1.0, 2.0, 3.0, 4.0]).var()
    tensor(1.6667)
    """
    return _var_and_mean(*_moment_args("var", input, dim, unbiased, keepdim, correction, axis,
                                       keepdims))[0]


@method()
def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,  # noqa: A002
        keepdims=None) -> Tensor:
    """Standard deviation, the square root of ``var``; its gradient is 0 where it is 0.

    >>> import wengert as wg
    >>> wg.tensor([1.0, 3.0]).std(correction=0)
    tensor(1.)
    """
    args = _moment_args("std", input, dim, unbiased, keepdim, correction, axis, keepdims)
    return _root_at_zero_safe(_var_and_mean(*args)[0], 2)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,  # noqa: A002
             keepdims=None) -> tuple:
    """``(var(input, dim), mean(input, dim))`` computed together.

    >>> import wengert as wg
    >>> wg.var_mean(wg.tensor([1.0, 3.0]))
    (tensor(2.), tensor(2.))
    """
    return _var_and_mean(*_moment_args("var_mean", input, dim, unbiased, keepdim, correction,
                                       axis, keepdims))


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None,  # noqa: A002
             keepdims=None) -> tuple:
    """``(std(input, dim), mean(input, dim))`` computed together.

    >>> import wengert as wg
    >>> wg.std_mean(wg.tensor([1.0, 3.0]), correction=0)
    (tensor(1.), tensor(2.))
    """
    variance, mu = _var_and_mean(*_moment_args("std_mean", input, dim, unbiased, keepdim,
                                               correction, axis, keepdims))
    return _root_at_zero_safe(variance, 2), mu


# -- logsumexp -----------------------------------------------------------------


def _logsumexp(x, axis, keepdims):
    shift = np.amax(x, axis=axis, keepdims=True, initial=-np.inf)
    shift = np.where(np.isfinite(shift), shift, 0)  # all -inf (or an inf): nothing to shift
    with np.errstate(divide="ignore"):  # log(0) = -inf for a slice of -infs
        out = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    if keepdims:
        return out
    return out.reshape(() if axis is None else
                       tuple(n for i, n in enumerate(x.shape) if i not in axis))


def _logsumexp_rule(ns, out, x, axis, keepdims):
    """d logsumexp = softmax: ``exp(x - logsumexp(x))``."""
    shifted = out if keepdims else ns.reshape(out, kept_shape(x.shape, axis))
    # A slice of -infs (or holding +inf) gives inf - inf = nan, PyTorch's gradient there;
    # rules run under ``quiet_rules``, so NumPy does not warn about it.
    return Compose(Scale(ns.exp(x - shifted)), SumAxes(x.shape, axis, keepdims))


logsumexp_p = Primitive("logsumexp", _logsumexp, save=(VALUE,), save_out=True, n_params=2,
                        rule=(_logsumexp_rule,))


@method()
def logsumexp(input, dim=None, keepdim=False, *, axis=None, keepdims=None) -> Tensor:  # noqa: A002
    """``log(sum(exp(input), dim))``, computed without overflow (``dim=None``: everything).

    Its gradient is the softmax along ``dim``; ``-inf`` entries get 0.

    >>> import wengert as wg
    >>> wg.logsumexp(wg.tensor([100.0, 100.0]), 0)  # exp(100) would overflow float32
    tensor(100.6931)
    """
    input = tensor_arg(input)  # noqa: A001
    if input.dtype.kind in "biu":
        input = input.to(get_default_dtype())  # noqa: A001
    keepdim = keepdim if keepdims is None else keepdims
    return _reduce(logsumexp_p, input, dim_arg(dim, axis), keepdim, "logsumexp")


# -- NaN-ignoring reductions, counting ---------------------------------------------


@method()
def nansum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None) -> Tensor:  # noqa: A002
    """``sum`` treating NaN as 0 (NaN entries get a zero gradient).

    >>> import wengert as wg
    >>> wg.nansum(wg.tensor([1.0, float("nan"), 2.0]))
    tensor(3.)
    """
    from .elementwise import isnan, where

    input = tensor_arg(input)  # noqa: A001
    axes = _axes(dim_arg(dim, axis), input.ndim, "nansum")
    if input.dtype.kind in "fc":
        input = where(isnan(input), 0, input)  # noqa: A001
    return sum(input, axes, keepdim if keepdims is None else keepdims, dtype=dtype)


@method()
def nanmean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None) -> Tensor:  # noqa: A002
    """``mean`` of the non-NaN elements (NaN entries get a zero gradient).

    >>> import wengert as wg
    >>> wg.nanmean(wg.tensor([1.0, float("nan"), 2.0, 4.0]))
    tensor(2.3333)
    """
    from .elementwise import isnan, logical_not

    input = tensor_arg(input)  # noqa: A001
    if dtype is not None:
        input = input.to(dtype)  # noqa: A001
    if input.dtype.kind not in "fc":
        raise RuntimeError(f"nanmean: input dtype must be floating point, got {input.dtype}; "
                           "convert first, e.g. x.float().nanmean()")
    axes = _axes(dim_arg(dim, axis), input.ndim, "nanmean")
    total = nansum(input, axes, keepdim if keepdims is None else keepdims)
    count = count_nonzero(logical_not(isnan(input)), axes)
    with np.errstate(invalid="ignore"):  # a slice of NaNs only: 0 / 0 = nan, as in PyTorch
        return total / count.to(input.dtype).reshape(total.shape)


@not_differentiable
@method()
def count_nonzero(input, dim=None) -> Tensor:  # noqa: A002
    """The number of nonzero elements (along ``dim``), as int64.

    >>> import wengert as wg
    >>> wg.count_nonzero(wg.tensor([[0, 1], [2, 3]]), dim=0)
    tensor([1, 2])
    """
    input = tensor_arg(input)  # noqa: A001
    axes = _axes(dim_arg(dim, None), input.ndim, "count_nonzero")
    return Tensor(np.asarray(np.count_nonzero(input._data, axis=axes), dtype=np.int64))


# -- median, aminmax ----------------------------------------------------------------


def _lower_median(x):
    """The lower median of all elements; NaN if there is one (as PyTorch)."""
    flat = x.reshape(-1)
    k = (flat.size - 1) // 2
    value = np.partition(flat, k)[k]
    if flat.dtype.kind in "fc" and np.isnan(flat).any():
        value = flat[np.argmax(np.isnan(flat))]
    return np.asarray(value)


# Like max(): ties (and NaNs) share the gradient evenly.
median_p = Primitive("median", _lower_median, save=(VALUE,), save_out=True,
                     rule=(lambda ns, out, x: _extremum_rule(ns, out, x, None, False),))


_Median = namedtuple("median", ["values", "indices"])


@method()
def median(input, dim=None, keepdim=False) -> Tensor:  # noqa: A002
    """The lower median of all elements; with ``dim``, ``(values, indices)`` along it.

    A NaN makes the median NaN. Without ``dim`` tied elements share the gradient
    evenly; with ``dim`` it goes to the index returned (the first of the tied elements
    in input order; PyTorch's choice among ties is unspecified).

    >>> import wengert as wg
    >>> wg.median(wg.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]), dim=1)
    median(values=tensor([2., 4.]), indices=tensor([2, 2]))
    """
    input = tensor_arg(input)  # noqa: A001
    refuse_complex(input, "median")
    if dim is None:
        if input._data.size == 0:
            raise RuntimeError(f"median(): cannot reduce an empty tensor (shape {input.shape})")
        return bind(median_p, (input,))
    from .sort import kth_smallest

    return kth_smallest(input, None, dim, keepdim, "median", _Median)


_AminMax = namedtuple("aminmax", ["min", "max"])


@method()
def aminmax(input, *, dim=None, keepdim=False) -> tuple:  # noqa: A002
    """``(amin(input, dim), amax(input, dim))`` as a named tuple ``(min, max)``.

    >>> import wengert as wg
    >>> wg.aminmax(wg.tensor([[1.0, 5.0], [3.0, 2.0]]), dim=0)
    aminmax(min=tensor([1., 2.]), max=tensor([3., 5.]))
    """
    input = tensor_arg(input)  # noqa: A001
    refuse_complex(input, "aminmax")
    axis = None if dim is None else _axis(dim, input.ndim, "aminmax")
    if input._data.size == 0 and (axis is None or input.shape[axis] == 0):
        where = "" if axis is None else f" along dimension {axis}, which has size 0"
        raise RuntimeError(f"aminmax(): cannot reduce an empty tensor (shape {input.shape})"
                           f"{where}: there is no minimum or maximum of no elements")
    return _AminMax(amin(input, dim, keepdim), amax(input, dim, keepdim))

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    all,
    any,
    count_nonzero,
    logsumexp,
    mean,
    nanmean,
    nansum,
    norm,
    prod,
    std,
    std_mean,
    sum,
    var,
    var_mean,
)  # noqa: F821
