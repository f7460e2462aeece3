"""``unfold`` (im2col) and ``fold`` (col2im), PyTorch's layouts: ``(N, C * kH * kW, L)``.

Two primitives, each the other's adjoint: unfold copies every sliding window
of the input into a column, fold adds columns back into their windows (the
overlaps accumulate). Their derivatives are each other (``AdjointPair``), so
both have derivatives of any order. The kernels are the convolution's own
(``_im2col``): unfold is a convolution with an identity kernel, one group per
channel, and that is the geometry it is described by.
"""

from __future__ import annotations

import math

from ..._primitive import Primitive, bind
from ..._tensor import Tensor
from ...autograd.linear import LinearMap
from ...ops._registry import tensor_arg
from ...ops.shape import reshape
from . import _im2col
from ._im2col import Geometry
from .conv import ntuple

__all__ = ["fold", "unfold"]


class AdjointPair(LinearMap):
    """``t -> ns.<forward>(t, params)``; its adjoint is ``ns.<backward>(ct, params)``."""

    __slots__ = ("forward", "backward", "params")

    def __init__(self, forward: str, backward: str, params: tuple):
        self.forward, self.backward, self.params = forward, backward, params

    def apply(self, ns, t):
        return getattr(ns, self.forward)(t, *self.params)

    def transpose(self, ns, ct):
        return getattr(ns, self.backward)(ct, *self.params)


im2col_p = Primitive("im2col", _im2col.unfold, n_params=1,
                     rule=(lambda ns, out, x, g: AdjointPair("im2col", "col2im", (g,)),))
col2im_p = Primitive("col2im", _im2col.fold, n_params=1,
                     rule=(lambda ns, out, x, g: AdjointPair("col2im", "im2col", (g,)),))


def _geometry(x_shape, kernel_size, dilation, padding, stride, op):
    n = len(x_shape) - 2
    k = ntuple(kernel_size, n, "kernel_size", op)
    d = ntuple(dilation, n, "dilation", op)
    p = ntuple(padding, n, "padding", op)
    s = ntuple(stride, n, "stride", op)
    if any(v < 1 for v in k + d + s) or any(v < 0 for v in p):
        raise ValueError(f"{op}: kernel_size {k}, dilation {d} and stride {s} must be "
                         f"positive and padding {p} non-negative")
    c = x_shape[1]
    g = Geometry(tuple(x_shape), (c * math.prod(k), 1, *k), s, tuple((v, v) for v in p), d, c)
    if any(o < 1 for o in g.out_spatial):
        raise RuntimeError(f"{op}: kernel {k} (dilation {d}) does not fit in the padded "
                           f"input of spatial size {tuple(x_shape[2:])} with padding {p}")
    return g


def unfold(input, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:  # noqa: A002
    """Every sliding window of ``input`` (N, C, H, W) as a column: ``(N, C * kH * kW, L)``.

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.unfold(wg.ones(2, 3, 4, 5), (2, 3)).shape
    (2, 18, 9)
    """
    x = tensor_arg(input)
    if x.ndim not in (3, 4):
        raise RuntimeError(f"unfold: expected a 3-D (unbatched) or 4-D (batched) input "
                           f"(N, C, H, W), got shape {tuple(x.shape)}")
    unbatched = x.ndim == 3
    if unbatched:
        x = reshape(x, (1, *x.shape))
    g = _geometry(x.shape, kernel_size, dilation, padding, stride, "unfold")
    y = bind(im2col_p, (x,), (g,))
    return reshape(y, y.shape[1:]) if unbatched else y


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:  # noqa: A002
    """Sum columns ``(N, C * kH * kW, L)`` back into an image ``(N, C, *output_size)``.

    The adjoint of ``unfold``: where windows overlap, their values add.

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.fold(wg.ones(1, 4, 4), (3, 3), 2).tolist()
    [[[[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]]]
    """
    cols = tensor_arg(input)
    if cols.ndim not in (2, 3):
        raise RuntimeError(f"fold: expected a 2-D (unbatched) or 3-D (batched) input "
                           f"(N, C * prod(kernel_size), L), got shape {tuple(cols.shape)}")
    unbatched = cols.ndim == 2
    if unbatched:
        cols = reshape(cols, (1, *cols.shape))
    size = ntuple(output_size, 2, "output_size", "fold")
    k = ntuple(kernel_size, 2, "kernel_size", "fold")
    n, ck, length = cols.shape
    if ck % math.prod(k):
        raise RuntimeError(f"fold: input of shape {tuple(cols.shape)}: dim 1 ({ck}) must be "
                           f"divisible by the kernel's size {k} (C * kH * kW)")
    g = _geometry((n, ck // math.prod(k), *size), k, dilation, padding, stride, "fold")
    if length != math.prod(g.out_spatial):
        raise RuntimeError(f"fold: input of shape {tuple(cols.shape)} has {length} columns, "
                           f"but output_size {size}, kernel {k} give "
                           f"{math.prod(g.out_spatial)} windows {g.out_spatial}")
    x = bind(col2im_p, (cols,), (g,))
    return reshape(x, x.shape[1:]) if unbatched else x
