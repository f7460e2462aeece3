"""Helpers for the spatial composites (pooling, interpolation): separable maps, window picks.

Average pooling and linear interpolation are separable: along each spatial
dimension they are one small matrix ``(out, in)``, so the whole map is a few
``matmul``s: the primitive ``separable_bands`` and its adjoint ``separable_bands_t``
(the derivative of each is the other, to any order), which keep an inf or NaN in
the windows that hold it (a bare matmul spreads it through ``0 * inf``).

Max pooling picks one element per window. The pick (the window's maximum, by
PyTorch's rule below) is found once, on raw arrays: it is piecewise constant
and has no derivative. The output is then the input *at the picks*, which is
linear in the input: the primitive ``max_pool`` gathers at fixed picks and
``max_pool_backward``, its adjoint, adds into zeros of the input's shape. The
derivative of each is the other (``AdjointPair``), so max pooling has
derivatives of any order in both modes (the second is zero almost everywhere).

PyTorch's rule (its CPU kernels, ``val > max || isnan(val)`` over the window
in row-major order, starting from -inf at the window's first element inside
the input): ties go to the FIRST maximum, a NaN is the maximum and the LAST
NaN is picked, and a window of -inf (of an integer dtype's minimum) picks its
first element inside the input, never padding.

``Picks`` holds the picks as flat indices into the input, so the gather is one
``take`` and the scatter one ``np.add.at`` (which adds in output order into
zeros, as PyTorch's kernel does, so overlapping windows sum alike and -0.0
becomes 0.0): each runs one tight loop over the output (NumPy 2's ``add.at``
is as fast as a plain assignment), where a whole-array operation per kernel
offset on strided views runs NumPy's inner loop one window row at a time,
three times slower.
Two ways to find them: ``grid_picks`` (windows on a strided grid:
``max_pool1d/2d`` with any stride, padding, dilation and ceil mode) copies
each kernel offset's strided view once into a row of a contiguous
``(K, windows)`` array and compares rows; ``table_picks`` (arbitrary windows:
adaptive pooling) gathers with index tables.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..._creation import as_tensor
from ..._primitive import Primitive, bind
from ...ops.shape import reshape
from .folding import AdjointPair


class Bands:
    """Per trailing spatial dim, a matrix ``(out, in)`` with entries >= 0: a separable
    linear map (average pooling's windows, linear interpolation's weights); ``reads``,
    per dim, the entries an output reads where that is more than its nonzero weights
    (linear interpolation reads both neighbours, one of them maybe with weight 0, and
    ``0 * nan`` is NaN), or None."""

    __slots__ = ("mats", "reads")

    def __init__(self, mats, reads=None):
        self.mats = tuple(mats)
        self.reads = None if reads is None else tuple(reads)

    def __repr__(self):  # shown in tape listings
        return f"Bands({', '.join(f'{m.shape[1]}->{m.shape[0]}' for m in self.mats)})"


def _separable(x, mats, reverse=False):
    """``x`` with each of its trailing dims mapped by its matrix (one matmul per dim),
    first dim first, or last first (``reverse``: the adjoint's order)."""
    nd = x.ndim
    dims = list(enumerate(mats))
    for j, m in reversed(dims) if reverse else dims:
        axis = nd - len(mats) + j
        if axis == nd - 1:
            x = x @ m.T
        elif axis == nd - 2:
            x = m @ x
        else:  # bring the axis next to last, multiply, put it back
            x = np.swapaxes(m @ np.swapaxes(x, axis, nd - 2), axis, nd - 2)
    return x


def _apply_bands(x, bands, transpose=False):
    """The separable map of ``x`` (by the transposed matrices, last dim first, with
    ``transpose``), with IEEE arithmetic per window: a matmul multiplies every input of
    a row, so one inf or NaN would spread through ``0 * inf`` to every output of its
    rows; an output takes an inf or NaN only from the inputs its window holds (a
    nonzero weight, or an entry of ``bands.reads``), as a sum over the window does
    (PyTorch's kernels)."""
    mats = [(m.T if transpose else m).astype(x.dtype, copy=False) for m in bands.mats]
    if x.dtype.kind != "f" or np.isfinite(x).all():
        return _separable(x, mats, transpose)
    finite = np.isfinite(x)
    out = _separable(np.where(finite, x, 0), mats, transpose)
    reads = bands.reads or [m != 0 for m in mats]
    if bands.reads is not None and transpose:
        reads = [r.T for r in reads]
    touched = [r.astype(np.float64) for r in reads]

    def hit(mask):
        return _separable(mask.astype(np.float64), touched, transpose) > 0

    pos, neg, nan = hit(np.isposinf(x)), hit(np.isneginf(x)), hit(np.isnan(x))
    extra = np.where(nan | (pos & neg), np.nan, np.where(pos, np.inf, np.where(neg, -np.inf, 0)))
    return out + extra.astype(out.dtype)


bands_p = Primitive(
    "separable_bands", lambda x, bands: _apply_bands(x, bands), n_params=1,
    rule=(lambda ns, out, x, bands: AdjointPair("separable_bands", "separable_bands_t",
                                                (bands,)),))
bands_t_p = Primitive(
    "separable_bands_t",
    lambda ct, bands: _apply_bands(ct, bands, transpose=True), n_params=1,
    rule=(lambda ns, out, ct, bands: AdjointPair("separable_bands_t", "separable_bands",
                                                 (bands,)),))
"""A separable map by non-negative matrices and its adjoint (the transposed matrices)."""


def along_dims(x, matrices, reads=None):
    """``x`` ``(N, C, *spatial)`` with each spatial dim mapped by its matrix ``(out, in)``
    (entries >= 0), differentiable to any order (``separable_bands`` and its adjoint);
    ``reads``: see ``Bands``."""
    return bind(bands_p, (x,), (Bands(matrices, reads),))


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


def _along(j, n, values):
    """``values`` shaped to broadcast along dim ``j`` of ``n``."""
    return values.reshape([-1 if i == j else 1 for i in range(n)])


class Picks:
    """One element of the input per output: ``flat`` (the output's shape, ``intp``)
    indexes the flattened input of shape ``in_shape``."""

    __slots__ = ("in_shape", "flat")

    def __init__(self, in_shape, flat):
        self.in_shape, self.flat = tuple(in_shape), flat

    def __repr__(self):  # shown in tape listings
        return f"picks({self.in_shape} -> {self.flat.shape})"

    def gather(self, t):
        """``t`` at the picks, each element copied exactly."""
        return t.reshape(-1)[self.flat]

    def scatter(self, ct):
        """Zeros of the input's shape with ``ct`` added at the picks (``gather``'s adjoint)."""
        return self.scatter_rows(ct[None])[0]

    def gather_rows(self, t):
        """``gather`` of each row of ``t`` (shape ``(B, *in_shape)``), stacked."""
        return t.reshape(t.shape[0], -1)[:, self.flat]

    def scatter_rows(self, ct):
        """``scatter`` of each row of ``ct`` (shape ``(B, *out_shape)``), stacked: one
        flat ``np.add.at`` whose indices are offset row by row, so sums keep their order
        (flat indices and values: NumPy's fast path; an N-D index takes three times
        longer)."""
        batch, size = ct.shape[0], math.prod(self.in_shape)
        index = self.flat.reshape(-1)
        if batch > 1:
            index = (index + (np.arange(batch) * size)[:, None]).reshape(-1)
        out = np.zeros(batch * size, ct.dtype)
        np.add.at(out, index, np.broadcast_to(ct, (batch, *self.flat.shape)).reshape(-1))
        return out.reshape(batch, *self.in_shape)

    def plane(self):
        """The picks as flat indices into each input plane (PyTorch's ``indices``)."""
        n, c = self.in_shape[:2]
        offsets = np.arange(n * c).reshape(n, c) * math.prod(self.in_shape[2:])
        return (self.flat - offsets.reshape(n, c, *(1,) * (self.flat.ndim - 2))).astype(np.int64)


def grid_picks(x, out, kernel, stride, dilation, padding) -> Picks:
    """The picks of the windows ``o * stride - padding + dilation * arange(kernel)`` of ``x``
    (a raw array ``(N, C, *spatial)``), ``out`` windows per spatial dim."""
    n, c, *spatial = x.shape
    nd = len(spatial)
    # ceil mode: the last window may reach past the input and its padding
    hi = [max(0, (o - 1) * s + d * (k - 1) + 1 - (size + p))
          for o, s, d, k, size, p in zip(out, stride, dilation, kernel, spatial, padding)]
    padded = any(padding) or any(hi)
    # padding holds the lowest value (an integer input's minimum): never above an input
    lowest = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    if padded:
        x = np.pad(x, ((0, 0), (0, 0), *zip(padding, hi)), constant_values=lowest)
    offsets = list(itertools.product(*(range(k) for k in kernel)))  # row-major in the window
    size = len(offsets)
    # Row p: the element at offset p of every window (one pass over a strided view).
    win = np.empty((size, n, c, *out), x.dtype)
    for p, offset in enumerate(offsets):
        win[p] = x[(Ellipsis, *(slice(i * d, i * d + s * (o - 1) + 1, s) for i, d, s, o
                                in zip(offset, dilation, stride, out)))]
    win = win.reshape(size, -1)
    best = win.max(axis=0)  # (a NaN propagates)
    # The first offset holding the maximum: size - max over p of (hit_p * (size - p)).
    dtype = np.uint8 if size < 256 else np.uint32
    rank = np.zeros(best.shape, dtype)
    for p in range(size):
        np.maximum(rank, np.multiply(np.equal(win[p], best), size - p, dtype=dtype), out=rank)
    arg = np.subtract(size, rank, dtype=dtype).reshape(n * c, -1)
    if not rank.all():  # NaN windows (nothing equals NaN)
        nan_arg = arg.reshape(-1)
        for p in range(size):
            np.copyto(nan_arg, p, where=np.isnan(win[p]))  # the last NaN
    if padded and (low := best == lowest).any():  # pick the first element inside the input
        first = 0
        for j, (o, s, d, k, p) in enumerate(zip(out, stride, dilation, kernel, padding)):
            before = np.maximum(p - np.arange(o) * s, 0)  # padding before the window's start
            first = first * k + _along(j, nd, (before + d - 1) // d)
        arg = np.where(low.reshape(arg.shape), first.reshape(1, -1), arg)
    # flat index = the plane's start + the window's start in it + the offset's displacement
    steps = [math.prod(spatial[j + 1:]) for j in range(nd)]
    table = np.array([sum(i * d * st for i, d, st in zip(offset, dilation, steps))
                      for offset in offsets], dtype=np.intp)
    start = sum(_along(j, nd, (np.arange(o) * s - p) * st)
                for j, (o, s, p, st) in enumerate(zip(out, stride, padding, steps)))
    flat = table.take(arg)
    flat += start.reshape(1, -1)
    flat += (np.arange(n * c) * math.prod(spatial))[:, None]
    return Picks((n, c, *spatial), flat.reshape(n, c, *out))


def table_picks(x, tables) -> Picks:
    """The picks of arbitrary windows of ``x`` (a raw array ``(N, C, *spatial)``):
    ``tables`` holds one ``window_table`` per spatial dim."""
    n_dims = len(tables)
    n, c, *spatial = x.shape
    index, valid = [slice(None), slice(None)], True
    for j, (idx, ok) in enumerate(tables):
        shape = [1] * (2 * n_dims)
        shape[2 * j: 2 * j + 2] = idx.shape
        index.append(idx.reshape(shape))
        valid = valid & ok.reshape(shape)
    win = x[tuple(index)]  # (N, C, O1, K1, O2, K2, ...)
    order = (0, 1, *range(2, 2 + 2 * n_dims, 2), *range(3, 3 + 2 * n_dims, 2))
    win = win.transpose(order)
    valid = np.broadcast_to(valid.transpose([a - 2 for a in order[2:]]), win.shape[2:])
    out_shape, k_shape = win.shape[2:2 + n_dims], win.shape[2 + n_dims:]
    win = win.reshape(n, c, *out_shape, -1)
    valid = valid.reshape(*out_shape, -1)
    masked = np.where(valid, win, -np.inf)
    top = masked.max(axis=-1, keepdims=True)
    first = (valid & (masked == top)).argmax(axis=-1)
    nan = valid & np.isnan(win)
    if nan.any():  # the last NaN of the window
        last = nan.shape[-1] - 1 - nan[..., ::-1].argmax(axis=-1)
        first = np.where(nan.any(axis=-1), last, first)
    ks = np.unravel_index(first, k_shape)
    plane = 0
    for j, ((idx, _), k) in enumerate(zip(tables, ks)):
        plane = plane * spatial[j] + idx[_along(j, n_dims, np.arange(idx.shape[0])), k]
    offsets = np.arange(n * c).reshape(n, c, *(1,) * n_dims) * math.prod(spatial)
    return Picks(x.shape, (plane + offsets).astype(np.intp))


max_pool_p = Primitive(
    "max_pool", lambda x, picks: picks.gather(x), n_params=1,
    rule=(lambda ns, out, x, picks: AdjointPair("max_pool", "max_pool_backward", (picks,)),))
max_pool_backward_p = Primitive(
    "max_pool_backward", lambda ct, picks: picks.scatter(ct), n_params=1,
    rule=(lambda ns, out, ct, picks: AdjointPair("max_pool_backward", "max_pool", (picks,)),))
"""Max pooling at fixed ``Picks`` and its adjoint."""


def max_at_picks(x, picks: Picks, unbatched: bool, return_indices: bool):
    """The maximum of each window of the batched tensor ``x``, at ``picks`` found on its
    values (its gradient goes to the picked element, to any order); with
    ``return_indices``, also the picks as flat indices into each input plane."""
    values = bind(max_pool_p, (x,), (picks,))
    if unbatched:
        values = reshape(values, values.shape[1:])
    if not return_indices:
        return values
    plane = picks.plane()
    return values, as_tensor(plane[0] if unbatched else plane)
