"""Convolution kernels on raw arrays: im2col windows by cache-sized chunks, BLAS products.

A convolution is the trilinear form ``T(x, w, y) = <y, conv(x, w)>``; each of
the three kernels here computes one operand's gradient of it from the other
two:

* ``conv(x, w) -> y``            (the convolution itself),
* ``conv_transpose(y, w) -> x``  (the gradient with respect to the input),
* ``conv_weight(x, y) -> w``     (the gradient with respect to the weight).

Layouts are PyTorch's: ``x`` is ``(N, C, *spatial)``, ``w`` is
``(O, C / groups, *kernel)``, ``y`` is ``(N, O, *out)``. The kernels walk the
batch in chunks of a few samples (``plan``): a chunk is copied into a zeroed
buffer (padded, or shifted copies along the rows), its windows (a strided
view) into a channel-major column matrix ``(C * prod(kernel), b * out)``
small enough to stay in cache, and one matrix product per group consumes it
(or one per sample for large images, written straight into ``y``). The row
layouts of ``plan`` make each kernel offset's columns one long contiguous
copy rather than one per short image row. ``conv_transpose`` with stride 1
is a convolution with the flipped kernel (the same path); strided, it adds
the columns ``w^T y`` back with one strided slice-add per kernel offset
(col2im), never ``np.add.at`` and never a loop over pixels.
"""

from __future__ import annotations

import functools
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
    out: tuple | None = None
    """The output's spatial shape where it is not the windows' count: a transposed
    convolution's ``output_padding`` can reach past the last window (when the
    dilation exceeds the stride), and those input positions get no window."""

    @property
    def kernel(self) -> tuple:
        return self.w_shape[2:]

    @property
    def out_spatial(self) -> tuple:
        if self.out is not None:
            return self.out
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


def _grouped_w(w, g: Geometry):
    return w.reshape(g.groups, w.shape[0] // g.groups, -1)


# -- the three kernels ---------------------------------------------------------

CHUNK_BYTES = 1 << 19
"""The size of one chunk's column matrix: about a core's L2 cache.

The kernels run over the batch in chunks of samples whose columns fit in
cache: written by im2col and read at once by the matrix product, they never
go out to memory. Columns of the whole batch (29 MB for 16 channels at 28x28)
cost more in memory traffic than the product costs in arithmetic.
"""


SAMPLE_PRODUCT = 256
"""Output positions from which the forward multiplies sample by sample (no copy of y)."""


class Plan(NamedTuple):
    """How the kernels walk one geometry (static: cached per geometry and dtype)."""

    batch: int  # samples per chunk
    wide: bool
    grid: tuple  # the output positions computed: out_spatial, the last widened if ``wide``
    buffer: tuple  # the shape of a chunk's input buffer (padded; shifted copies, if any)
    flat: int  # the buffer's size, plus one padded row that wide windows read past
    fills: tuple  # ((lead, into, take), ...): buffer[lead][:b][into] = x[start:stop][take]
    head: tuple  # the windows' shape before the batch axis: (C, *kernel)
    strides: tuple  # the windows' strides (bytes) over (C, *kernel, batch, *grid)
    crop: tuple  # the index of the output inside a grid-shaped array


@functools.lru_cache(maxsize=256)
def plan(g: Geometry, dtype, chunk_bytes: int) -> Plan:
    """The ``Plan`` of ``g``: chunks that fit ``chunk_bytes``, and the rows' layout.

    The columns of one kernel offset are, per sample and channel, ``out_H``
    rows of ``out_W``: copied as such (plain rows), small images cost a copy
    call per short row. Two layouts make them one long run (stride 1 along
    the rows):

    * shifted rows: the chunk is first copied once per offset along the last
      dimension, shifted by it (``(k_W, b, C, *padded[:-1], out_W)``); the
      columns of an offset are then ``out_H`` consecutive rows of one copy.
      The extra cost is ``k_W - 1`` more copies of the input.
    * wide rows (stride 1 in the last two dimensions): the grid's last
      dimension is the padded width rather than the output width, so a
      window row starts one padded row after the previous one and the rows
      of an offset run on through the padding. The extra positions (at most
      half again) are computed and dropped: a crop of the output (or a
      widened copy of ``y`` for the weight gradient) and a larger product.

    Shifted rows are used where the input's extra copies cost less than the
    output's crop (few input channels per output channel), else wide rows
    where the columns outnumber the output's rows (``y``'s gradient: many
    input channels), else plain rows.
    """
    dtype = np.dtype(dtype)
    item = dtype.itemsize
    c, spatial = g.x_shape[1], g.x_shape[2:]
    padded = tuple(s + lo + hi for s, (lo, hi) in zip(spatial, g.padding))
    out = g.out_spatial
    o, kw = g.w_shape[0], g.kernel[-1]
    rows = len(out) >= 2 and g.stride[-2] == 1
    shifted = rows and 2 * (kw - 1) * c <= 3 * o
    wide = (not shifted and rows and g.stride[-1] == 1 and 2 * padded[-1] <= 3 * out[-1]
            and c * math.prod(g.kernel) > o)
    grid = (*out[:-1], padded[-1]) if wide else out
    per_sample = c * math.prod(g.kernel) * math.prod(grid) * item
    batch = max(1, min(g.x_shape[0], chunk_bytes // max(per_sample, 1)))
    if shifted:
        buffer = (kw, batch, c, *padded[:-1], out[-1])
        plane = math.prod(buffer[3:])
        sp = [item * math.prod(buffer[i + 4:]) for i in range(len(out) - 1)]
        strides = (plane * item, *(s * d for s, d in zip(sp, g.dilation)),
                   batch * c * plane * item, c * plane * item,
                   *(s * t for s, t in zip(sp, g.stride)), item)
        return Plan(batch, False, out, buffer, math.prod(buffer), _shifts(g, out[-1]),
                    (c, *g.kernel), strides, (slice(None),) * (len(out) + 2))
    plane = math.prod(padded)
    sp = [item * math.prod(padded[i + 1:]) for i in range(len(padded))]
    strides = (plane * item, *(s * d for s, d in zip(sp, g.dilation)), c * plane * item,
               *(s * t for s, t in zip(sp, g.stride)))
    crop = (slice(None),) * (len(out) + 1) + ((slice(0, out[-1]),) if wide else ())
    return Plan(batch, wide, grid, (batch, c, *padded), batch * c * plane + padded[-1],
                (((), _interior(g.x_shape, g.padding), ()),), (c, *g.kernel), strides, crop)


def _shifts(g: Geometry, out_w: int) -> tuple:
    """The fills of shifted rows: copy ``j`` holds, at output column ``q``, input column
    ``q * stride + j * dilation - pad`` (zero where that is padding)."""
    (lo, _), w, s = g.padding[-1], g.x_shape[-1], g.stride[-1]
    rows = tuple(slice(lo, lo + n) for n, (lo, _) in zip(g.x_shape[2:-1], g.padding[:-1]))
    fills = []
    for j in range(g.kernel[-1]):
        offset = j * g.dilation[-1] - lo
        first, stop = max(0, -(offset // s)), min(out_w, (w - 1 - offset) // s + 1)
        if first < stop:
            fills.append(((j,), (slice(None), slice(None), *rows, slice(first, stop)),
                          (Ellipsis, slice(first * s + offset, (stop - 1) * s + offset + 1, s))))
    return tuple(fills)


def _column_chunks(x, g: Geometry, p: Plan):
    """im2col by chunks: ``(start, stop, columns)``, columns ``(groups, C/groups * k, b * grid)``.

    Each chunk's samples are copied into a zeroed buffer (padded, or shifted
    copies: see ``plan``), whose windows (a strided view) are copied into the
    column buffer, channel-major (``(C, *kernel, b, *grid)``) so that one
    product per group covers the chunk. Both buffers are scratch, overwritten
    by the next chunk.
    """
    n = x.shape[0]
    flat = scratch("padded", (p.flat,), x.dtype)
    flat.fill(0)
    buffer = flat[:math.prod(p.buffer)].reshape(p.buffer)
    per_sample = math.prod(p.head) * math.prod(p.grid)
    columns = scratch("columns", (per_sample * p.batch,), x.dtype)
    for start in range(0, n, p.batch):
        stop = min(n, start + p.batch)
        b = stop - start
        chunk = x[start:stop]
        for lead, into, take in p.fills:
            buffer[lead][:b][into] = chunk[take]
        shape = (*p.head, b, *p.grid)
        cols = columns[:per_sample * b].reshape(shape)
        np.copyto(cols, np.ndarray(shape, x.dtype, flat, 0, p.strides))
        yield start, stop, cols.reshape(g.groups, -1, b * math.prod(p.grid))


def conv(x, w, g: Geometry, bias=None):
    """``y[n, o] = sum_{c, k} w[o, c, k] * x_padded[n, c, stride * out + dilation * k]``.

    ``bias`` ``(O,)``, if given, is added to each chunk while it is in cache.

    Large images: one product per sample and group (the columns read with
    a leading stride), written straight into ``y``'s ``(N, O, *out)``
    layout. Small images and wide rows: one product per group for the whole
    chunk (small products per sample run far from BLAS's peak), then a copy
    into ``y`` (that drops the extra positions of wide rows).
    """
    p = plan(g, x.dtype, CHUNK_BYTES)
    y = np.empty(g.y_shape, np.result_type(x, w))
    o = y.shape[1]
    wg = _grouped_w(w, g)  # (G, O/G, C/G * k)
    size = math.prod(p.grid)
    per_sample = not p.wide and size >= SAMPLE_PRODUCT
    buffer = None if per_sample else scratch("product", (o * p.batch * size,), y.dtype)
    if bias is not None:
        bias = bias.reshape(o, *(1,) * len(p.grid))
    for start, stop, cols in _column_chunks(x, g, p):
        b = stop - start
        chunk = y[start:stop]
        if per_sample:
            np.matmul(wg, cols.reshape(*cols.shape[:2], b, size).transpose(2, 0, 1, 3),
                      out=chunk.reshape(b, *wg.shape[:2], size))
            if bias is not None:
                chunk += bias
            continue
        product = buffer[:o * b * size]
        np.matmul(wg, cols, out=product.reshape(wg.shape[0], wg.shape[1], -1))
        product = product.reshape(o, b, *p.grid).swapaxes(0, 1)[p.crop]
        if bias is None:
            np.copyto(chunk, product)
        else:
            np.add(product, bias, out=chunk)
    return y


def conv_weight(x, y, g: Geometry):
    """The gradient of ``<y, conv(x, w)>`` in ``w``: ``columns @ y^T`` summed over the chunks.

    ``y`` is copied channel-major per chunk (widened with zeros for wide
    rows, so the dropped positions add nothing).
    """
    p = plan(g, x.dtype, CHUNK_BYTES)
    o = y.shape[1]
    size = math.prod(p.grid)
    buffer = scratch("widened", (o * p.batch * size,), y.dtype)
    if p.wide:
        buffer.fill(0)  # only the output's positions are written below
    total = None
    for start, stop, cols in _column_chunks(x, g, p):
        b = stop - start
        if b == 1 and not p.wide:
            yb = y[start]
        else:
            yb = buffer[:o * b * size].reshape(o, b, *p.grid)
            yb.swapaxes(0, 1)[p.crop] = y[start:stop]
        part = np.matmul(cols, yb.reshape(g.groups, o // g.groups, -1).swapaxes(1, 2))
        if total is None:
            total = part  # (G, C/G * k, O/G)
        else:
            total += part
    if total is None:  # an empty batch
        return np.zeros(g.w_shape, np.result_type(x, y))
    return np.ascontiguousarray(total.swapaxes(1, 2)).reshape(g.w_shape)


def conv_transpose(y, w, g: Geometry):
    """The gradient of ``<y, conv(x, w)>`` in ``x``.

    With stride 1 it is itself a convolution, of ``y`` padded by the
    kernel's extent less the padding, with the flipped kernel whose input
    and output channels are swapped: the fast chunked kernel above. Strided
    geometries add the columns ``w^T y`` back into the image (col2im).
    """
    full = _full(g, y.shape)
    if full is not None:
        return conv(y, _flipped(w, g), full)
    n, o = y.shape[:2]
    # y as (G, O/G, prod(out) * N), batch innermost: the layout col2im adds fastest
    gy = y.reshape(n, g.groups, o // g.groups, -1).transpose(1, 2, 3, 0).reshape(
        g.groups, o // g.groups, -1)
    wt = _grouped_w(w, g).transpose(0, 2, 1)
    cols = np.matmul(wt, gy, out=scratch("product", (g.groups, wt.shape[1], gy.shape[2]),
                                         np.result_type(wt, gy)))
    return col2im(cols.reshape(g.x_shape[1], *g.kernel, *g.out_spatial, n), g)


@functools.lru_cache(maxsize=256)
def _full(g: Geometry, y_shape):
    """The geometry of ``conv_transpose`` as a convolution of ``y``, or None (strided, or
    padded more than the kernel's extent)."""
    if any(s != 1 for s in g.stride):
        return None
    extents = [d * (k - 1) for d, k in zip(g.dilation, g.kernel)]
    pads = tuple((e - lo, x - out + lo)
                 for e, (lo, _), x, out in zip(extents, g.padding, g.x_shape[2:], y_shape[2:]))
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        return None
    c, o = g.x_shape[1], g.w_shape[0]
    return Geometry(tuple(y_shape), (c, o // g.groups, *g.kernel), g.stride, pads, g.dilation,
                    g.groups)


def _flipped(w, g: Geometry):
    """``w`` ``(O, C/G, *k)`` as the kernel ``(C, O/G, *k)`` of the transposed convolution."""
    o, cg, *kernel = w.shape
    nd = len(kernel)
    swapped = w.reshape(g.groups, o // g.groups, cg, *kernel).swapaxes(1, 2)
    flipped = swapped[(Ellipsis, *(slice(None, None, -1),) * nd)]
    return np.ascontiguousarray(flipped).reshape(cg * g.groups, o // g.groups, *kernel)


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
