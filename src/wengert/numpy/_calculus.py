"""Finite differences and integrals NumPy has and PyTorch lacks: ``diff``, ``gradient``,
``trapezoid``. Composites of slicing and arithmetic, so every order of derivative comes
for free; spacings and coordinates given as tensors are differentiable too (``trapezoid``).

>>> import wengert as wg
>>> import wengert.numpy as wnp
>>> y = wg.tensor([1.0, 4.0, 9.0, 16.0], requires_grad=True)
>>> wnp.gradient(y)
tensor([3., 4., 6., 7.], grad_fn=<...>)
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from .._tensor import TENSOR_TYPES
from ._dispatch import implements, normalize_axis_tuple, tensor_arg
from ._shape import along


def _floating(a):
    a = tensor_arg(a)
    return a if a.dtype.kind in "fc" else wg.astype(a, np.float64)


def _data(x):
    return x._data if type(x) in TENSOR_TYPES else np.asarray(x)


def _differences(a, axis: int):
    return a[along(axis, slice(1, None))] - a[along(axis, slice(None, -1))]


@implements(np.diff)
def diff(a, n=1, axis=-1, prepend=None, append=None):
    """``numpy.diff(a, n=1, axis=-1, prepend=<no value>, append=<no value>)``: the ``n``-th
    discrete difference ``a[i+1] - a[i]`` along ``axis``.

    >>> import wengert.numpy as wnp
    >>> wnp.diff([1.0, 4.0, 9.0, 16.0], n=2)
    array([2., 2.])
    """
    a = tensor_arg(a)
    if n < 0:
        raise ValueError(f"diff: order must be non-negative but got {n}")
    axis = normalize_axis_tuple(axis, a.ndim)[0]
    ends = []
    for end in (prepend, append):
        if end is not None:
            end = tensor_arg(end)
            if end.ndim == 0:
                end = wg.broadcast_to(end, a.shape[:axis] + (1,) + a.shape[axis + 1:])
        ends.append(end)
    if ends[0] is not None or ends[1] is not None:
        a = wg.cat([t for t in (ends[0], a, ends[1]) if t is not None], axis)
    for _ in range(n):
        a = _differences(a, axis)
    return a


def _along_axis(coefficients: np.ndarray, axis: int, ndim: int, dtype) -> np.ndarray:
    """1-D ``coefficients`` shaped to broadcast along ``axis`` of an ``ndim`` array."""
    return coefficients.astype(dtype, copy=False).reshape(
        [-1 if d == axis else 1 for d in range(ndim)])


def _derivative(f, dx: np.ndarray, axis: int, edge_order: int):
    """NumPy's second-order central differences for spacings ``dx``, one-sided at the ends."""
    def part(start, stop):
        return f[along(axis, slice(start, stop))]

    def coef(c):
        return _along_axis(np.asarray(c), axis, f.ndim, f.dtype)

    d1, d2 = dx[:-1], dx[1:]
    interior = (coef(-d2 / (d1 * (d1 + d2))) * part(None, -2)
                + coef((d2 - d1) / (d1 * d2)) * part(1, -1)
                + coef(d1 / (d2 * (d1 + d2))) * part(2, None))
    if edge_order == 1:
        first = (part(1, 2) - part(0, 1)) / coef(dx[:1])
        last = (part(-1, None) - part(-2, -1)) / coef(dx[-1:])
    else:
        a, b = dx[0], dx[1]
        first = (coef([-(2 * a + b) / (a * (a + b))]) * part(0, 1)
                 + coef([(a + b) / (a * b)]) * part(1, 2)
                 + coef([-a / (b * (a + b))]) * part(2, 3))
        a, b = dx[-2], dx[-1]
        last = (coef([b / (a * (a + b))]) * part(-3, -2)
                + coef([-(a + b) / (a * b)]) * part(-2, -1)
                + coef([(2 * b + a) / (b * (a + b))]) * part(-1, None))
    return wg.cat([first, interior, last], axis)


@implements(np.gradient)
def gradient(f, *varargs, axis=None, edge_order=1):
    """``numpy.gradient(f, *varargs, axis=None, edge_order=1)``: the derivative of sampled
    ``f`` along each axis: central differences inside, one-sided (``edge_order`` 1 or 2) at
    the ends; spacings are scalars or coordinate arrays. One axis gives an array, several a
    tuple.

    >>> import wengert.numpy as wnp
    >>> wnp.gradient([1.0, 4.0, 9.0, 16.0], 2.0)
    array([1.5, 2. , 3. , 3.5])
    """
    f = _floating(f)
    axes = tuple(range(f.ndim)) if axis is None else normalize_axis_tuple(axis, f.ndim)
    if len(varargs) == 0:
        spacings = [1.0] * len(axes)
    elif len(varargs) == 1 and np.ndim(_data(varargs[0])) == 0:
        spacings = list(varargs) * len(axes)
    elif len(varargs) == len(axes):
        spacings = list(varargs)
    else:
        raise TypeError(f"gradient: give 0, 1 or {len(axes)} spacings, got {len(varargs)}")
    if edge_order not in (1, 2):
        raise ValueError("gradient: 'edge_order' greater than 2 not supported")
    out = []
    for ax, h in zip(axes, spacings):
        n = f.shape[ax]
        if n < edge_order + 1:
            raise ValueError("gradient: shape of array too small to calculate a numerical "
                             "gradient, at least (edge_order + 1) elements are required.")
        h = np.asarray(_data(h), dtype=np.float64)
        if h.ndim == 0:
            dx = np.full(n - 1, float(h))
        elif h.shape == (n,):
            dx = np.diff(h)
        else:
            raise ValueError(f"gradient: coordinates along axis {ax} must be a 1-D array of "
                             f"length {n}, got shape {h.shape}")
        out.append(_derivative(f, dx, ax, edge_order))
    return out[0] if len(out) == 1 else tuple(out)


@implements(getattr(np, "trapezoid", None) or np.trapz)  # (trapz in NumPy 1.26)
def trapezoid(y, x=None, dx=1.0, axis=-1):
    """``numpy.trapezoid(y, x=None, dx=1.0, axis=-1)``: the integral of samples ``y`` by the
    trapezoidal rule, at coordinates ``x`` or spacing ``dx`` (both differentiable).

    >>> import wengert.numpy as wnp
    >>> wnp.trapezoid([1.0, 2.0, 3.0], dx=0.5)
    np.float64(2.0)
    """
    y = _floating(y)
    axis = normalize_axis_tuple(axis, y.ndim)[0]
    if x is None:
        d = dx
    else:
        x = tensor_arg(x)
        if x.ndim == 1:
            d = wg.reshape(diff.tensor_impl(x), [-1 if k == axis else 1 for k in range(y.ndim)])
        else:
            d = diff.tensor_impl(x, axis=axis)
    ends = y[along(axis, slice(1, None))] + y[along(axis, slice(None, -1))]
    return wg.sum(d * ends / 2.0, axis)
