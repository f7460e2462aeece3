"""Softmax and log-softmax: fused, numerically stable primitives (and softmin).

Both subtract the maximum along ``dim`` before exponentiating, so large inputs
neither overflow nor lose their differences. Their derivatives are linear maps
built from the saved output alone:

* softmax ``y``:      ``dy = y * (dx - sum(y * dx))``, a symmetric Jacobian;
* log-softmax ``y``:  ``dy = dx - sum(exp(y) * dx)``; its adjoint ``g - exp(y) * sum(g)``.

Written with ``ns``, both serve reverse and forward mode to any order.
"""

from __future__ import annotations

import numpy as np

from ..._primitive import Primitive, bind
from ..._tensor import Tensor
from ...autograd.linear import LinearMap
from ...ops._registry import REAL_ONLY, as_real_tensor

__all__ = ["log_softmax", "softmax", "softmin"]


def class_sums(e, axis):
    """``sum(e, axis, keepdims=True)``. Along a contiguous last axis ``einsum``'s SIMD loop
    (several accumulators; in float32 a few ulps from the exact sum, like the pairwise
    sum) is 3-4x faster than ``np.sum``'s pairwise reduction of each row."""
    if axis == e.ndim - 1 and e.flags.c_contiguous:
        return np.einsum("...c->...", e)[..., None]
    return np.sum(e, axis=axis, keepdims=True)


def by_rows(ufunc, a, col, out=None):
    """``ufunc(a, col, out=out)`` for one value per row (``col`` of ``a``'s dtype, 1 along
    the last axis). NumPy's buffered iterator copies such a stride-0 operand into its
    buffer whenever the buffer (8192 elements by default) spans several rows; a buffer
    of about one row runs each row against the value in place: half the time for rows
    of 1000."""
    n = a.shape[-1] if a.ndim else 0
    if n < 16 or col.dtype != a.dtype or col.ndim != a.ndim or col.shape[-1] != 1:
        return ufunc(a, col, out=out)
    old = np.setbufsize(-(-n // 16) * 16)
    try:
        return ufunc(a, col, out=out)
    finally:
        np.setbufsize(old)


def _shifted(x, axis):
    """``x - max(x, axis)``: exponentiating it cannot overflow. An all ``-inf`` row
    stays ``-inf - -inf = nan``, as in PyTorch."""
    if x.size == 0:
        return x - 0
    return np.asarray(by_rows(np.subtract, x, np.max(x, axis=axis, keepdims=True)))  # (0-d)


def _softmax(x, axis):
    e = _shifted(x, axis)
    np.exp(e, out=e)
    return by_rows(np.divide, e, class_sums(e, axis), e)


def _log_softmax(x, axis):
    z = _shifted(x, axis)
    with np.errstate(divide="ignore"):  # a row of zeros after exp: -inf, as in PyTorch
        return by_rows(np.subtract, z, np.log(class_sums(np.exp(z), axis)), z)


class SoftmaxJacobian(LinearMap):
    """``t -> y * (t - sum(y * t, axis))`` for the softmax output ``y`` (self-adjoint)."""

    __slots__ = ("y", "axis")

    def __init__(self, y, axis):
        self.y, self.axis = y, axis

    def apply(self, ns, t):
        yt = self.y * t
        return yt - self.y * ns.sum(yt, self.axis, True)

    transpose = apply


class LogSoftmaxJacobian(LinearMap):
    """``t -> t - sum(exp(y) * t, axis)`` for the log-softmax output ``y``."""

    __slots__ = ("y", "axis")

    def __init__(self, y, axis):
        self.y, self.axis = y, axis

    def apply(self, ns, t):
        return t - ns.sum(ns.exp(self.y) * t, self.axis, True)

    def transpose(self, ns, ct):
        return ct - ns.exp(self.y) * ns.sum(ct, self.axis, True)


softmax_p = Primitive("softmax", _softmax, save=(None,), save_out=True, n_params=1,
                      rule=(lambda ns, out, x, axis: SoftmaxJacobian(out, axis),))
log_softmax_p = Primitive("log_softmax", _log_softmax, save=(None,), save_out=True, n_params=1,
                          rule=(lambda ns, out, x, axis: LogSoftmaxJacobian(out, axis),))


def _prepare(input, dim, dtype, op):  # noqa: A002
    x = as_real_tensor(input, op, REAL_ONLY)
    if dtype is not None:
        x = x.to(dtype)
    if dim is None:  # PyTorch's legacy implicit choice: dim 1 unless the input is 0-, 1- or 3-D
        dim = 0 if x.ndim in (0, 1, 3) else 1
    nd = max(x.ndim, 1)
    if not -nd <= dim < nd:
        raise IndexError(f"{op}: dim {dim} is out of range for an input of shape {x.shape} "
                         f"(expected in [{-nd}, {nd - 1}])")
    return x, dim % nd if x.ndim else None


def softmax(input, dim=None, _stacklevel=3, dtype=None) -> Tensor:  # noqa: A002
    """``exp(x) / sum(exp(x))`` along ``dim``, computed stably (the maximum is subtracted).

    >>> import wengert as wg
    >>> wg.nn.functional.softmax(wg.tensor([1000.0, 1000.0]), dim=0)
    tensor([0.5, 0.5])
    """
    x, axis = _prepare(input, dim, dtype, "softmax")
    return bind(softmax_p, (x,), (axis,))


def log_softmax(input, dim=None, _stacklevel=3, dtype=None) -> Tensor:  # noqa: A002
    """``x - logsumexp(x)`` along ``dim``, fused and stable.

    >>> import wengert as wg
    >>> wg.nn.functional.log_softmax(wg.tensor([0.0, 0.0]), dim=0)
    tensor([-0.6931, -0.6931])
    """
    x, axis = _prepare(input, dim, dtype, "log_softmax")
    return bind(log_softmax_p, (x,), (axis,))


def softmin(input, dim=None, _stacklevel=3, dtype=None) -> Tensor:  # noqa: A002
    """``softmax(-x)`` along ``dim``.

    >>> import wengert as wg
    >>> wg.nn.functional.softmin(wg.tensor([0.0, 1000.0]), dim=0)
    tensor([1., 0.])
    """
    x, axis = _prepare(input, dim, dtype, "softmin")
    return bind(softmax_p, (-x,), (axis,))
