"""Helpers for the spatial composites (pooling, interpolation): separable maps and gathers.

Average pooling and linear interpolation are separable: along each spatial
dimension they are one small matrix ``(out, in)``, so the whole map is a few
``matmul``s (differentiable to any order through ``matmul``'s own rule).
Max pooling picks one element per window: the indices are found on raw
arrays, the values gathered with ``getitem`` (whose adjoint scatters back).
"""

from __future__ import annotations

import math

import numpy as np

from ..._creation import as_tensor
from ...ops.shape import permute, reshape
from .conv import batched


def along_dims(x, matrices):
    """``x`` ``(N, C, *spatial)`` with each spatial dim mapped by its matrix ``(out, in)``."""
    nd = x.ndim
    for j, m in enumerate(matrices):
        axis = nd - len(matrices) + j
        m = as_tensor(m.astype(x.dtype, copy=False))
        if axis == nd - 1:
            x = x @ m.T
        elif axis == nd - 2:
            x = m @ x
        else:  # bring the axis next to last, multiply, put it back
            axes = list(range(nd))
            axes[axis], axes[nd - 2] = axes[nd - 2], axes[axis]
            x = permute(m @ permute(x, axes), axes)
    return x


def window_table(starts, size, kernel, dilation=1, ends=None):
    """Per output position, the input indices of its window ``(out, kernel)`` and their validity.

    A window holds ``starts + dilation * arange(kernel)``; positions outside
    ``[0, size)`` (padding) or at/after ``ends`` (adaptive windows) are invalid.
    """
    idx = starts[:, None] + dilation * np.arange(kernel)
    valid = (idx >= 0) & (idx < size)
    if ends is not None:
        valid &= idx < ends[:, None]
    return np.clip(idx, 0, size - 1), valid


def max_over_windows(x, tables, op: str, return_indices: bool):
    """The maximum of each window (PyTorch's tie rule: the first maximum in row-major order).

    ``tables``: one ``window_table`` per spatial dim. The maximum's position
    is found on the raw values; the value is then gathered from ``x`` with
    ``getitem``, so its gradient goes to that one element, to any order.
    Returns the values and, with ``return_indices``, the positions as flat
    indices into each input plane (PyTorch's ``indices``).
    """
    n_dims = len(tables)
    x, unbatched = batched(x, n_dims, op)
    data = x._data
    n, c, *spatial = data.shape
    index, valid = [slice(None), slice(None)], True
    for j, (idx, ok) in enumerate(tables):
        shape = [1] * (2 * n_dims)
        shape[2 * j: 2 * j + 2] = idx.shape
        index.append(idx.reshape(shape))
        valid = valid & ok.reshape(shape)
    win = data[tuple(index)]  # (N, C, O1, K1, O2, K2, ...)
    order = (0, 1, *range(2, 2 + 2 * n_dims, 2), *range(3, 3 + 2 * n_dims, 2))
    win = win.transpose(order)
    valid = np.broadcast_to(valid.transpose([a - 2 for a in order[2:]]),
                            win.shape[2:])
    out_shape, k_shape = win.shape[2:2 + n_dims], win.shape[2 + n_dims:]
    win = win.reshape(n, c, *out_shape, -1)
    valid = valid.reshape(*out_shape, -1)
    masked = np.where(valid, win, -np.inf)
    top = masked.max(axis=-1, keepdims=True)
    # the first valid position holding the maximum (or a NaN, which wins, as in PyTorch)
    first = (valid & ((masked == top) | np.isnan(win))).argmax(axis=-1)
    ks = np.unravel_index(first, k_shape)
    plane = 0
    for j, ((idx, _), k) in enumerate(zip(tables, ks)):
        o = np.arange(idx.shape[0]).reshape([-1 if i == j else 1 for i in range(n_dims)])
        plane = plane * spatial[j] + idx[o, k]
    plane_size = math.prod(spatial)
    offsets = (np.arange(n * c) * plane_size).reshape((n, c) + (1,) * n_dims)
    values = reshape(x, (-1,))[plane + offsets]
    if unbatched:
        values = reshape(values, values.shape[1:])
        plane = plane[0]
    if return_indices:
        return values, as_tensor(np.asarray(plane, dtype=np.int64))
    return values
