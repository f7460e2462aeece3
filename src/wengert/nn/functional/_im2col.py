"""Convolution kernels on raw arrays: im2col windows, one BLAS product, col2im accumulation.

A convolution is the trilinear form ``T(x, w, y) = <y, conv(x, w)>``; each of
the three kernels here computes one operand's gradient of it from the other
two:

* ``conv(x, w) -> y``            (the convolution itself),
* ``conv_transpose(y, w) -> x``  (the gradient with respect to the input),
* ``conv_weight(x, y) -> w``     (the gradient with respect to the weight).

Layouts are PyTorch's: ``x`` is ``(N, C, *spatial)``, ``w`` is
``(O, C / groups, *kernel)``, ``y`` is ``(N, O, *out)``. Windows of the padded
input are an ``as_strided`` view; ``reshape`` copies them once into the
column matrix ``(groups, C/groups * prod(kernel), N * prod(out))`` that a
single (grouped) matrix product consumes. Columns are channel-major so that
each group's product is one large GEMM over the whole batch (BLAS threads
well on it); col2im adds the columns back with one strided slice-add per
kernel offset (a few, small), never ``np.add.at`` and never a loop over
pixels or over the batch.
"""

from __future__ import annotations

import itertools
import math
import threading
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided


class Geometry(NamedTuple):
    """Everything static about one convolution (a primitive's parameter)."""

    x_shape: tuple  # (N, C, *spatial): the convolution's input
    w_shape: tuple  # (O, C // groups, *kernel)
    stride: tuple
    padding: tuple  # ((lo, hi), ...) per spatial dimension
    dilation: tuple
    groups: int

    @property
    def kernel(self) -> tuple:
        return self.w_shape[2:]

    @property
    def out_spatial(self) -> tuple:
        return tuple(
            (n + lo + hi - d * (k - 1) - 1) // s + 1
            for n, (lo, hi), k, s, d in zip(self.x_shape[2:], self.padding, self.kernel,
                                            self.stride, self.dilation))

    @property
    def y_shape(self) -> tuple:
        return (self.x_shape[0], self.w_shape[0], *self.out_spatial)


_scratch = threading.local()


def scratch(role: str, shape, dtype):
    """A reused buffer for a temporary that never leaves a kernel (one per role and thread).

    Fresh large arrays cost a page fault per page on first touch (NumPy gets
    them from mmap and returns them at once), as much as the copy itself;
    im2col's column matrices and padded copies are the size of the whole
    batch, so they are written into buffers kept between calls instead.
    """
    size = math.prod(shape)
    buffers = _scratch.__dict__
    buf = buffers.get(role)
    if buf is None or buf.size < size * np.dtype(dtype).itemsize:
        buf = buffers[role] = np.empty(size * np.dtype(dtype).itemsize, dtype=np.uint8)
    return buf[:size * np.dtype(dtype).itemsize].view(dtype).reshape(shape)


def _padded(x, padding):
    """``x`` with zeros around its spatial dims (itself when there is no padding)."""
    if not any(lo or hi for lo, hi in padding):
        return x
    shape = x.shape[:2] + tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[2:], padding))
    out = scratch("padded", shape, x.dtype)
    out.fill(0)
    out[_interior(x.shape, padding)] = x
    return out


def _interior(shape, padding) -> tuple:
    """The index of the unpadded input inside the padded array."""
    return (slice(None), slice(None)) + tuple(
        slice(lo, lo + n) for n, (lo, _) in zip(shape[2:], padding))


def windows(x, g: Geometry):
    """The view ``(C, *kernel, N, *out)`` of ``x``'s padded windows (no copy but the padding)."""
    xp = _padded(x, g.padding)
    sn, sc, *sp = xp.strides
    shape = (x.shape[1], *g.kernel, x.shape[0], *g.out_spatial)
    strides = (sc, *(s * d for s, d in zip(sp, g.dilation)), sn,
               *(s * t for s, t in zip(sp, g.stride)))
    return as_strided(xp, shape, strides, writeable=False)


def columns(x, g: Geometry):
    """im2col: the column matrix ``(groups, C/groups * prod(kernel), N * prod(out))``.

    A scratch buffer: valid until the next call, never returned to a caller.
    """
    view = windows(x, g)
    cols = scratch("columns", view.shape, x.dtype)
    np.copyto(cols, view)
    return cols.reshape(g.groups, -1, x.shape[0] * math.prod(g.out_spatial))


def col2im(cols, g: Geometry):
    """The adjoint of ``windows``: add ``cols`` ``(C, *kernel, *out, N)`` into ``x``'s shape.

    One strided slice-add per kernel offset into a padded buffer laid out
    ``(C, *spatial, N)``: with the batch innermost each add runs over long
    contiguous stretches (``out_W * N`` elements at stride 1) rather than
    over rows of ``out_W``. The interior, transposed to ``(N, C, *spatial)``,
    is copied out.
    """
    n, c, *spatial = g.x_shape
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(spatial, g.padding))
    out = g.out_spatial
    buf = scratch("col2im", (c, *padded, n), cols.dtype)
    buf.fill(0)
    for offset in itertools.product(*(range(k) for k in g.kernel)):
        index = (slice(None),) + tuple(
            slice(k * d, k * d + s * (o - 1) + 1, s)
            for k, d, s, o in zip(offset, g.dilation, g.stride, out))
        buf[index] += cols[(slice(None), *offset)]
    interior = (slice(None),) + tuple(slice(lo, lo + s) for s, (lo, _) in zip(spatial, g.padding))
    nd = len(spatial)
    return buf[interior].transpose(nd + 1, 0, *range(1, nd + 1)).copy()  # fresh: buf is scratch


def _grouped_y(y, g: Geometry):
    """``y`` ``(N, O, *out)`` as ``(groups, O/groups, N * prod(out))`` (a copy)."""
    n, o = y.shape[:2]
    return y.reshape(n, g.groups, o // g.groups, -1).transpose(1, 2, 0, 3).reshape(
        g.groups, o // g.groups, -1)


def _grouped_w(w, g: Geometry):
    return w.reshape(g.groups, w.shape[0] // g.groups, -1)


# -- the three kernels ---------------------------------------------------------


def conv(x, w, g: Geometry):
    """``y[n, o] = sum_{c, k} w[o, c, k] * x_padded[n, c, stride * out + dilation * k]``."""
    cols = columns(x, g)
    wg = _grouped_w(w, g)
    prod = np.matmul(wg, cols, out=scratch("product", (g.groups, wg.shape[1], cols.shape[2]),
                                           cols.dtype))  # (G, O/G, N * out)
    n, o, *out = g.y_shape
    return prod.reshape(o, n, *out).swapaxes(0, 1).copy()  # a fresh array: prod is scratch


def conv_transpose(y, w, g: Geometry):
    """The gradient of ``<y, conv(x, w)>`` in ``x``: col2im of ``w^T y``."""
    n, o = y.shape[:2]
    # y as (G, O/G, prod(out) * N), batch innermost: the layout col2im adds fastest
    gy = y.reshape(n, g.groups, o // g.groups, -1).transpose(1, 2, 3, 0).reshape(
        g.groups, o // g.groups, -1)
    wt = _grouped_w(w, g).transpose(0, 2, 1)
    cols = np.matmul(wt, gy, out=scratch("product", (g.groups, wt.shape[1], gy.shape[2]),
                                         wt.dtype))
    return col2im(cols.reshape(g.x_shape[1], *g.kernel, *g.out_spatial, n), g)


def conv_weight(x, y, g: Geometry):
    """The gradient of ``<y, conv(x, w)>`` in ``w``: ``y`` times the columns of ``x``."""
    # columns @ y^T, then a (small) transpose: OpenBLAS runs this shape twice as fast
    # as y @ columns^T, whose long inner dimension is the whole batch's pixels.
    prod = np.matmul(columns(x, g), _grouped_y(y, g).transpose(0, 2, 1))  # (G, C/G * k, O/G)
    return np.ascontiguousarray(prod.transpose(0, 2, 1)).reshape(g.w_shape)


# -- im2col as an operator (unfold / fold) ----------------------------------------


def unfold(x, g: Geometry):
    """``(N, C * prod(kernel), L)``: every window of ``x``, as PyTorch's ``unfold``."""
    n = x.shape[0]
    k = len(g.kernel)
    view = windows(x, g).transpose(k + 1, *range(k + 1), *range(k + 2, 2 * k + 2))
    out = view.reshape(n, -1, math.prod(g.out_spatial))  # copies, unless windows are plain
    return out.copy() if np.may_share_memory(out, view) else out  # never a scratch view


def fold(cols, g: Geometry):
    """The adjoint of ``unfold``: sum the windows ``(N, C * prod(kernel), L)`` back into ``x``."""
    n, c = g.x_shape[:2]
    view = cols.reshape(n, c, *g.kernel, *g.out_spatial)
    return col2im(view.transpose(*range(1, view.ndim), 0), g)
