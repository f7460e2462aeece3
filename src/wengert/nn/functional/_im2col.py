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


def _padded(x, padding):
    """``x`` with zeros around its spatial dims (itself when there is no padding)."""
    if not any(lo or hi for lo, hi in padding):
        return x
    shape = x.shape[:2] + tuple(n + lo + hi for n, (lo, hi) in zip(x.shape[2:], padding))
    out = np.zeros(shape, dtype=x.dtype)
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
    """im2col: the copied column matrix ``(groups, C/groups * prod(kernel), N * prod(out))``."""
    n_cols = x.shape[0] * math.prod(g.out_spatial)
    return windows(x, g).reshape(g.groups, -1, n_cols)


def col2im(cols, g: Geometry):
    """The adjoint of ``windows``: add ``cols`` ``(C, *kernel, N, *out)`` into ``x``'s shape.

    One strided slice-add per kernel offset into a padded buffer laid out
    ``(C, N, *spatial)`` like the columns, then the interior, transposed to
    ``(N, C, *spatial)``, is copied out.
    """
    n, c, *spatial = g.x_shape
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(spatial, g.padding))
    out = g.out_spatial
    buf = np.zeros((c, n, *padded), dtype=cols.dtype)
    for offset in itertools.product(*(range(k) for k in g.kernel)):
        index = (slice(None), slice(None)) + tuple(
            slice(k * d, k * d + s * (o - 1) + 1, s)
            for k, d, s, o in zip(offset, g.dilation, g.stride, out))
        buf[index] += cols[(slice(None), *offset)]
    interior = (slice(None), slice(None)) + tuple(
        slice(lo, lo + s) for s, (lo, _) in zip(spatial, g.padding))
    return np.ascontiguousarray(buf[interior].swapaxes(0, 1))


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
    prod = np.matmul(_grouped_w(w, g), columns(x, g))  # (G, O/G, N * out)
    n, o, *out = g.y_shape
    return np.ascontiguousarray(prod.reshape(o, n, *out).swapaxes(0, 1))


def conv_transpose(y, w, g: Geometry):
    """The gradient of ``<y, conv(x, w)>`` in ``x``: col2im of ``w^T y``."""
    cols = np.matmul(_grouped_w(w, g).transpose(0, 2, 1), _grouped_y(y, g))
    c, n = g.x_shape[1], g.x_shape[0]
    return col2im(cols.reshape(c, *g.kernel, n, *g.out_spatial), g)


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
    return out.copy() if np.may_share_memory(out, x) else out


def fold(cols, g: Geometry):
    """The adjoint of ``unfold``: sum the windows ``(N, C * prod(kernel), L)`` back into ``x``."""
    n, c = g.x_shape[:2]
    view = cols.reshape(n, c, *g.kernel, *g.out_spatial)
    k = len(g.kernel)
    return col2im(view.transpose(1, *range(2, k + 2), 0, *range(k + 2, 2 * k + 2)), g)
