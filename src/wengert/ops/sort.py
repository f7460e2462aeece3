"""Sorting and selection: sort, argsort, msort, topk, kthvalue (and ``median(x, dim)``).

Which elements are selected is computed without derivative (a stable NumPy argsort);
the values are gathered with ``take_along_axis``, so their gradient goes to the
selected elements. Among equal elements the first in input order comes first
(largest-first orders keep input order among ties too), as PyTorch's stable sort.
NaN counts as larger than every number.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .._tensor import Tensor
from ._registry import method, not_differentiable, refuse_complex, tensor_arg
from .reduce import _axis, _selected, take_along_axis

__all__ = [
    "argsort",
    "kthvalue",
    "msort",
    "sort",
    "topk",
]

_Sort = namedtuple("sort", ["values", "indices"])
_TopK = namedtuple("topk", ["values", "indices"])
_KthValue = namedtuple("kthvalue", ["values", "indices"])


def sort_indices(x: np.ndarray, axis: int, descending: bool) -> np.ndarray:
    """The stable sorting permutation of ``x`` along ``axis`` (int64)."""
    if not descending:
        return np.argsort(x, axis=axis, kind="stable")
    # Descending, ties in input order: sort the reversed slices ascending (stably) and
    # reverse the result back; a negation would break unsigned integers and bools.
    order = np.argsort(np.flip(x, axis), axis=axis, kind="stable")
    return x.shape[axis] - 1 - np.flip(order, axis)


def _nonscalar(input, dim, op: str):  # noqa: A002
    """The tensor, the axis (checked) and whether the input was 0-d (then seen as (1,))."""
    input = tensor_arg(input)  # noqa: A001
    refuse_complex(input, op)
    axis = _axis(dim, input.ndim, op)
    if input.ndim == 0:
        return input.reshape(1), 0, True
    return input, axis, False


def _scalar_result(kind, result):
    """A 0-d input's result from its (1,)-shaped one."""
    return kind(*(r.reshape(()) for r in result))


@method()
def sort(input, dim=-1, descending=False, stable=False) -> tuple:  # noqa: A002
    """``(values, indices)``: ``input`` sorted along ``dim`` (always stably).

    >>> import wengert as wg
    >>> wg.sort(wg.tensor([3.0, 1.0, 2.0]), descending=True)
    sort(values=tensor([3., 2., 1.]), indices=tensor([0, 2, 1]))
    """
    x, axis, scalar = _nonscalar(input, dim, "sort")
    idx = sort_indices(x._data, axis, descending)
    result = _Sort(take_along_axis(x, idx, axis), Tensor(idx))
    return _scalar_result(_Sort, result) if scalar else result


@not_differentiable
@method()
def argsort(input, dim=-1, descending=False, stable=False) -> Tensor:  # noqa: A002
    """The indices that sort ``input`` along ``dim`` (``sort(...).indices``).

    >>> import wengert as wg
    >>> wg.argsort(wg.tensor([3.0, 1.0, 2.0]))
    tensor([1, 2, 0])
    """
    x, axis, scalar = _nonscalar(input, dim, "argsort")
    idx = sort_indices(x._data, axis, descending)
    return Tensor(idx.reshape(()) if scalar else idx)


@method()
def msort(input) -> Tensor:  # noqa: A002
    """``input`` sorted along its first dimension (``sort(input, 0).values``).

    >>> import wengert as wg
    >>> wg.msort(wg.tensor([[2.0, 1.0], [0.0, 3.0]]))
    tensor([[0., 1.],
            [2., 3.]])
    """
    refuse_complex(tensor_arg(input), "msort")
    return sort(input, 0).values


@method()
def topk(input, k, dim=-1, largest=True, sorted=True) -> tuple:  # noqa: A002
    """``(values, indices)`` of the ``k`` largest (or smallest) elements along ``dim``.

    They are always returned in sorted order; among equal elements the first in input
    order is taken first.

    >>> import wengert as wg
    >>> wg.topk(wg.tensor([1.0, 5.0, 3.0, 4.0]), 2)
    topk(values=tensor([5., 4.]), indices=tensor([1, 3]))
    """
    x, axis, scalar = _nonscalar(input, dim, "topk")
    n = x.shape[axis]
    if not 0 <= k <= n:
        raise RuntimeError(f"topk: k ({k}) is out of range for dimension {dim} of size {n} "
                           f"(input shape {tensor_arg(input).shape}); expected 0 <= k <= {n}")
    idx = np.take(sort_indices(x._data, axis, largest), np.arange(k), axis=axis)
    result = _TopK(take_along_axis(x, idx, axis), Tensor(idx))
    return _scalar_result(_TopK, result) if scalar and k == 1 else result


def kth_smallest(input, k, dim, keepdim, op: str, kind):  # noqa: A002
    """``kind(values, indices)`` of the ``k``-th smallest element (1-based) along ``dim``;
    ``k=None``: the lower median, which is NaN (the first NaN) if the slice has one."""
    x, axis, scalar = _nonscalar(input, dim, op)
    data = x._data
    n = data.shape[axis]
    if k is None:
        if n == 0:
            raise RuntimeError(f"{op}: cannot select from dimension {dim} of size 0 "
                               f"(input shape {x.shape})")
        position = (n - 1) // 2
    elif not 1 <= k <= n:
        raise RuntimeError(f"{op}: k ({k}) is out of range for dimension {dim} of size {n} "
                           f"(input shape {tensor_arg(input).shape}); expected 1 <= k <= {n}")
    else:
        position = k - 1
    idx = np.take(sort_indices(data, axis, False), [position], axis=axis)
    if k is None and data.dtype.kind in "fc":
        nan = np.isnan(data)
        idx = np.where(nan.any(axis, keepdims=True), np.argmax(nan, axis, keepdims=True), idx)
    result = _selected(x, idx, axis, keepdim and not scalar, kind)
    return _scalar_result(kind, result) if scalar else result


@method()
def kthvalue(input, k, dim=-1, keepdim=False) -> tuple:  # noqa: A002
    """``(values, indices)`` of the ``k``-th smallest element (1-based) along ``dim``.

    >>> import wengert as wg
    >>> wg.kthvalue(wg.tensor([[3.0, 1.0, 2.0]]), 2, dim=1)
    kthvalue(values=tensor([2.]), indices=tensor([2]))
    """
    return kth_smallest(input, k, dim, keepdim, "kthvalue", _KthValue)
