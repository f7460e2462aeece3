"""Reductions and scans under NumPy's names and keywords (``axis``, ``keepdims``, ``dtype``,
``ddof``), following NumPy where it differs from PyTorch: ``std``/``var`` divide by
``N - ddof`` with ``ddof=0``; ``max``/``min`` return values only; ``median`` averages
the two middle values; ``mean`` of integers is float64; ``cumsum`` without an axis
scans the flattened array.

>>> import wengert as wg
>>> import wengert.numpy as wnp
>>> x = wg.tensor([[1.0, 2.0], [3.0, 5.0]], requires_grad=True)
>>> wnp.std(x, axis=0)
tensor([1.0, 1.5], grad_fn=<...>)
"""

from __future__ import annotations

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

import wengert as wg

from ._dispatch import implements, tensor_arg


def _cast(a, dtype):
    a = tensor_arg(a)
    return a if dtype is None else wg.astype(a, dtype)


def _floating(a, dtype):
    """``a`` cast to ``dtype``, or integers to float64 (NumPy's mean, var and std)."""
    a = _cast(a, dtype)
    return a if a.dtype.kind in "fc" else wg.astype(a, np.float64)


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _flat(a, axis):
    """NumPy's ``axis=None`` of the scans: the flattened array, along axis 0."""
    a = tensor_arg(a)
    return (wg.reshape(a, (-1,)), 0) if axis is None else (a, axis)


@implements(np.sum)
def sum_(a, axis=None, dtype=None, keepdims=False):
    """``numpy.sum(a, axis=None, dtype=None, out=None, keepdims=False)``: the sum of elements.

    >>> import numpy as np, wengert.numpy as wnp
    >>> wnp.sum(np.array([[1, 2], [3, 4]]), axis=1)
    array([3, 7])
    """
    return wg.sum(_cast(a, dtype), _axis(axis), keepdims)


@implements(np.mean)
def mean(a, axis=None, dtype=None, keepdims=False):
    """``numpy.mean(a, axis=None, dtype=None, out=None, keepdims=False)``: the arithmetic mean.

    >>> import wengert.numpy as wnp
    >>> wnp.mean([1, 2, 4])
    np.float64(2.3333333333333335)
    """
    return wg.mean(_floating(a, dtype), _axis(axis), keepdims)


@implements(np.prod)
def prod(a, axis=None, dtype=None, keepdims=False):
    """``numpy.prod(a, axis=None, dtype=None, out=None, keepdims=False)``: the product.

    >>> import wengert.numpy as wnp
    >>> wnp.prod([2.0, 3.0, 4.0])
    np.float64(24.0)
    """
    return wg.prod(_cast(a, dtype), _axis(axis), keepdims)


def _ddof(ddof, correction):
    if correction is not None:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        return correction
    return ddof


@implements(np.var)
def var(a, axis=None, dtype=None, ddof=0, keepdims=False, *, correction=None):
    """``numpy.var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False)``: the
    variance, ``sum((a - mean)**2) / (N - ddof)`` (NumPy's default ``ddof=0``).

    >>> import wengert.numpy as wnp
    >>> wnp.var([1.0, 2.0, 3.0, 4.0])
    np.float64(1.25)
    """
    return wg.var(_floating(a, dtype), _axis(axis), keepdim=keepdims,
                  correction=_ddof(ddof, correction))


@implements(np.std)
def std(a, axis=None, dtype=None, ddof=0, keepdims=False, *, correction=None):
    """``numpy.std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False)``: the
    standard deviation (``ddof=0`` by default, as in NumPy); its gradient is 0 where it is 0.

    >>> import wengert.numpy as wnp
    >>> wnp.std([1.0, 3.0])
    np.float64(1.0)
    """
    return wg.std(_floating(a, dtype), _axis(axis), keepdim=keepdims,
                  correction=_ddof(ddof, correction))


@implements(np.max, np.amax)
def max_(a, axis=None, keepdims=False):
    """``numpy.max(a, axis=None, out=None, keepdims=False)`` (alias ``amax``): the largest
    value, values only; tied maxima share the gradient evenly.

    >>> import wengert.numpy as wnp
    >>> wnp.max([[1.0, 5.0], [3.0, 2.0]], axis=0)
    array([3., 5.])
    """
    return wg.amax(a, _axis(axis), keepdims)


@implements(np.min, np.amin)
def min_(a, axis=None, keepdims=False):
    """``numpy.min(a, axis=None, out=None, keepdims=False)`` (alias ``amin``): the smallest
    value; tied minima share the gradient evenly.

    >>> import wengert.numpy as wnp
    >>> wnp.min([[1.0, 5.0], [3.0, 2.0]], axis=1)
    array([1., 2.])
    """
    return wg.amin(a, _axis(axis), keepdims)


@implements(np.ptp)
def ptp(a, axis=None, keepdims=False):
    """``numpy.ptp(a, axis=None, out=None, keepdims=False)``: ``max - min`` ("peak to peak").

    >>> import wengert.numpy as wnp
    >>> wnp.ptp([3.0, -1.0, 2.0])
    np.float64(4.0)
    """
    return max_.tensor_impl(a, axis, keepdims) - min_.tensor_impl(a, axis, keepdims)


@implements(np.argmax, differentiable=False)
def argmax(a, axis=None, *, keepdims=False):
    """``numpy.argmax(a, axis=None, out=None, *, keepdims=False)``: the index of the largest
    value (of the flattened array without ``axis``).

    >>> import wengert.numpy as wnp
    >>> wnp.argmax([1.0, 5.0, 3.0])
    np.int64(1)
    """
    return wg.argmax(a, axis, keepdims)


@implements(np.argmin, differentiable=False)
def argmin(a, axis=None, *, keepdims=False):
    """``numpy.argmin(a, axis=None, out=None, *, keepdims=False)``: the index of the smallest
    value.

    >>> import wengert.numpy as wnp
    >>> wnp.argmin([1.0, 5.0, -3.0])
    np.int64(2)
    """
    return wg.argmin(a, axis, keepdims)


@implements(np.all, differentiable=False)
def all_(a, axis=None, keepdims=False):
    """``numpy.all(a, axis=None, out=None, keepdims=False)``: whether every element is true.

    >>> import wengert.numpy as wnp
    >>> wnp.all([1.0, 0.0])
    np.False_
    """
    return wg.all(a, _axis(axis), keepdims)


@implements(np.any, differentiable=False)
def any_(a, axis=None, keepdims=False):
    """``numpy.any(a, axis=None, out=None, keepdims=False)``: whether some element is true.

    >>> import wengert.numpy as wnp
    >>> wnp.any([1.0, 0.0])
    np.True_
    """
    return wg.any(a, _axis(axis), keepdims)


@implements(np.count_nonzero, differentiable=False)
def count_nonzero(a, axis=None, *, keepdims=False):
    """``numpy.count_nonzero(a, axis=None, *, keepdims=False)``: how many elements are nonzero.

    >>> import wengert.numpy as wnp
    >>> int(wnp.count_nonzero([1.0, 0.0, 2.0]))
    2
    """
    a = tensor_arg(a)
    out = wg.count_nonzero(a, _axis(axis))
    if keepdims:
        axes = None if axis is None else normalize_axis_tuple(axis, a.ndim)
        out = wg.reshape(out, kept_shape(a.shape, axes))
    return out


@implements(np.cumsum)
def cumsum(a, axis=None, dtype=None):
    """``numpy.cumsum(a, axis=None, dtype=None, out=None)``: running sums (of the flattened
    array without ``axis``).

    >>> import wengert.numpy as wnp
    >>> wnp.cumsum([[1, 2], [3, 4]])
    array([ 1,  3,  6, 10])
    """
    a, axis = _flat(_cast(a, dtype), axis)
    return wg.cumsum(a, axis)


@implements(np.cumprod)
def cumprod(a, axis=None, dtype=None):
    """``numpy.cumprod(a, axis=None, dtype=None, out=None)``: running products; the gradient
    is exact at zeros.

    >>> import wengert.numpy as wnp
    >>> wnp.cumprod([2.0, 3.0, 4.0])
    array([ 2.,  6., 24.])
    """
    a, axis = _flat(_cast(a, dtype), axis)
    return wg.cumprod(a, axis)


@implements(np.nansum)
def nansum(a, axis=None, dtype=None, keepdims=False):
    """``numpy.nansum(a, axis=None, dtype=None, out=None, keepdims=False)``: the sum, NaNs
    counted as zero (they get no gradient).

    >>> import numpy as np, wengert.numpy as wnp
    >>> wnp.nansum([1.0, np.nan, 2.0])
    np.float64(3.0)
    """
    return wg.nansum(_cast(a, dtype), _axis(axis), keepdims)


@implements(np.nanmean)
def nanmean(a, axis=None, dtype=None, keepdims=False):
    """``numpy.nanmean(a, axis=None, dtype=None, out=None, keepdims=False)``: the mean of the
    non-NaN elements.

    >>> import numpy as np, wengert.numpy as wnp
    >>> wnp.nanmean([1.0, np.nan, 2.0])
    np.float64(1.5)
    """
    return wg.nanmean(_floating(a, dtype), _axis(axis), keepdims)


@implements(np.median)
def median(a, axis=None, keepdims=False):
    """``numpy.median(a, axis=None, out=None, overwrite_input=False, keepdims=False)``: the
    middle value; for an even count the mean of the two middle values (NumPy's convention,
    not PyTorch's lower median), so the gradient is split between them.

    >>> import wengert.numpy as wnp
    >>> wnp.median([4.0, 1.0, 3.0, 2.0])
    np.float64(2.5)
    """
    x = _floating(a, None)
    axes = None if axis is None else normalize_axis_tuple(axis, x.ndim)
    reduced = tuple(range(x.ndim)) if axes is None else axes
    rest = [d for d in range(x.ndim) if d not in reduced]
    # the reduced axes, moved last and flattened into one
    flat = wg.reshape(wg.permute(x, *rest, *reduced), [x.shape[d] for d in rest] + [-1])
    n = flat.shape[-1]
    middle = wg.narrow(sort.tensor_impl(flat, -1), -1, (n - 1) // 2, 2 - n % 2)
    out = wg.mean(middle, -1)
    return wg.reshape(out, kept_shape(x.shape, axes)) if keepdims else out


def kept_shape(shape, axes) -> list:
    """``shape`` with the reduced ``axes`` (all if None) kept as 1 (NumPy's ``keepdims``)."""
    return [1 if axes is None or d in axes else n for d, n in enumerate(shape)]


@implements(np.average)
def average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """``numpy.average(a, axis=None, weights=None, returned=False, *, keepdims=False)``: the
    weighted mean ``sum(a * w) / sum(w)`` (both differentiable).

    >>> import wengert.numpy as wnp
    >>> wnp.average([1.0, 3.0], weights=[3.0, 1.0])
    np.float64(1.5)
    """
    a = _floating(a, None)
    axes = None if axis is None else normalize_axis_tuple(axis, a.ndim)
    w = wg.ones_like(a) if weights is None else tensor_arg(weights)
    if w.shape != a.shape:
        if axes is None or len(axes) != 1 or w.ndim != 1:
            raise TypeError(f"average: weights of shape {w.shape} must have a's shape "
                            f"{a.shape}, or be 1-D along one given axis")
        w = wg.reshape(w, [len(w) if d == axes[0] else 1 for d in range(a.ndim)])
    total = wg.sum(wg.broadcast_to(w, a.shape), axes, keepdims)
    avg = wg.sum(a * w, axes, keepdims) / total
    return (avg, total) if returned else avg


@implements(np.sort)
def sort(a, axis=-1, kind=None, order=None, *, stable=None):
    """``numpy.sort(a, axis=-1, kind=None, order=None, *, stable=None)``: sorted values
    (``axis=None`` sorts the flattened array). Ties are ordered by NumPy's ``kind``; the
    gradient flows back to each value's original place.

    >>> import wengert.numpy as wnp
    >>> wnp.sort([3.0, 1.0, 2.0])
    array([1., 2., 3.])
    """
    a, axis = _flat(a, axis)
    return wg.take_along_dim(a, argsort.tensor_impl(a, axis, kind, order, stable=stable), axis)


@implements(np.argsort, differentiable=False)
def argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    """``numpy.argsort(a, axis=-1, kind=None, order=None, *, stable=None)``: the indices that
    sort ``a``, computed by NumPy itself (its ``kind`` and tie order).

    >>> import wengert.numpy as wnp
    >>> wnp.argsort([3.0, 1.0, 2.0])
    array([1, 2, 0])
    """
    stable = {} if stable is None else {"stable": stable}  # (NumPy 2's keyword)
    return wg.Tensor(np.argsort(tensor_arg(a)._data, axis, kind, order, **stable))


