"""``pad``: constant, reflect, replicate and circular padding, PyTorch's pad order.

``pad`` lists (before, after) pairs starting from the LAST dimension:
``(left, right)`` pads the last dim, ``(left, right, top, bottom)`` the last
two. Negative amounts crop. A composite: constant padding places the input
in a larger array (``index_scatter``, whose adjoint slices it back out); the
other modes gather with one integer index per padded dim (``getitem``, whose
adjoint adds the gradients of repeated elements).
"""

from __future__ import annotations

import numpy as np

from ..._primitive import bind
from ..._tensor import Tensor
from ...ops._registry import tensor_arg
from ...ops.index import index_scatter_p

__all__ = ["pad"]


def _source_index(mode, size, lo, hi, op):
    """For each position of the padded dim, the input position it copies."""
    i = np.arange(-lo, size + hi)
    if mode == "replicate":
        return np.clip(i, 0, size - 1)
    if mode == "circular":
        if lo > size or hi > size:
            raise ValueError(f"{op}: circular padding ({lo}, {hi}) may be at most the "
                             f"dimension's size {size}")
        return i % size
    if lo >= size or hi >= size:  # reflect
        raise ValueError(f"{op}: reflect padding ({lo}, {hi}) must be smaller than the "
                         f"dimension's size {size}; use mode='replicate' or pad in steps")
    period = 2 * (size - 1)
    return (size - 1) - np.abs((size - 1) - np.abs(i) % period)


def _constant(x, pairs, value):
    nd = x.ndim
    crop = [slice(None)] * nd
    for axis, (lo, hi) in pairs:
        if lo < 0 or hi < 0:
            crop[axis] = slice(max(-lo, 0), x.shape[axis] - max(-hi, 0))
    if any(s != slice(None) for s in crop):
        x = x[tuple(crop)]
    shape, place = list(x.shape), [slice(None)] * nd
    for axis, (lo, hi) in pairs:
        lo, hi = max(lo, 0), max(hi, 0)
        place[axis] = slice(lo, lo + shape[axis])
        shape[axis] += lo + hi
    if tuple(shape) == x.shape:
        return x
    y = bind(index_scatter_p, (x,), (tuple(place), tuple(shape)))
    if value:
        border = np.full(shape, value, dtype=x.dtype)
        border[tuple(place)] = 0
        y = y + border
    return y


def pad(input, pad, mode="constant", value=None) -> Tensor:  # noqa: A002
    """Pad ``input``; ``pad = (before_last, after_last, before_2nd_last, ...)``.

    ``mode``: ``'constant'`` (with ``value``, default 0), ``'reflect'``
    (mirror, without repeating the edge), ``'replicate'`` (repeat the edge),
    ``'circular'`` (wrap around).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.pad(wg.tensor([[1.0, 2.0, 3.0]]), (2, 1), mode="reflect").tolist()
    [[3.0, 2.0, 1.0, 2.0, 3.0, 2.0]]
    """
    op = f"pad (mode '{mode}')"
    x = tensor_arg(input)
    pad = tuple(pad)
    if len(pad) % 2 or not all(isinstance(p, (int, np.integer)) for p in pad):
        raise ValueError(f"pad: the padding must be an even number of ints, got {pad!r}")
    n = len(pad) // 2
    if n > x.ndim:
        raise ValueError(f"pad: padding {pad} covers {n} dimensions, but the input of shape "
                         f"{tuple(x.shape)} has only {x.ndim}")
    pairs = [(x.ndim - 1 - j, (int(pad[2 * j]), int(pad[2 * j + 1]))) for j in range(n)]
    for axis, (lo, hi) in pairs:
        if x.shape[axis] + lo + hi < 0 or (lo < 0 and hi < 0 and -lo - hi > x.shape[axis]):
            raise ValueError(f"{op}: padding {pad} would leave a negative size for dim {axis} "
                             f"of shape {tuple(x.shape)}")
    if mode == "constant":
        return _constant(x, pairs, 0 if value is None else value)
    if mode not in ("reflect", "replicate", "circular"):
        raise ValueError(f"pad: mode must be 'constant', 'reflect', 'replicate' or "
                         f"'circular', got {mode!r}")
    if value:
        raise ValueError(f"{op}: a padding value applies to mode 'constant' only")
    if x.ndim not in (n + 1, n + 2):
        raise ValueError(f"{op}: padding the last {n} dims needs a {n + 1}-D (unbatched) or "
                         f"{n + 2}-D (batched) input, got shape {tuple(x.shape)}")
    for axis, (lo, hi) in pairs:
        if lo or hi:
            index = (slice(None),) * axis + (_source_index(mode, x.shape[axis], lo, hi, op),)
            x = x[index]
    return x
