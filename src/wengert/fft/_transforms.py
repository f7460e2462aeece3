"""The three FFT primitives and their adjoints: complex-to-complex, real-to-complex
(half spectrum) and complex-to-real (from a half spectrum).

Each transform is linear, so its derivative is itself; the adjoint (for the
real inner product, see ``autograd.linear``) is the opposite transform with the
dual normalization ("backward" <-> "forward", "ortho" stays):

* ``c2c``: the adjoint of ``fftn`` is an ``ifftn`` without its ``1/N``, i.e. the
  inverse with the dual norm;
* ``r2c`` keeps only the first ``n // 2 + 1`` bins of the last axis; its adjoint
  is ``Re(F^H pad(g))``, which is ``c2r`` of ``g`` with the bins that stand for
  two (all but DC and, for even ``n``, Nyquist) halved, because ``c2r``
  counts them twice;
* ``c2r`` reads a half spectrum as a Hermitian whole; its adjoint is ``r2c``
  with those bins doubled.

Sizes (``n``, ``s``) are applied before the primitives by cropping or
zero-padding (``resize``), so each primitive transforms its input's own sizes.
"""

from __future__ import annotations

import numpy as np

from .._backend import real_dtype_of
from .._primitive import SPEC, Primitive, bind
from ..autograd.linear import LinearMap
from ..ops.index import index_scatter_p

DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def _c2c(x, axes, norm, forward):
    return (np.fft.fftn if forward else np.fft.ifftn)(x, axes=axes, norm=norm)


def _r2c(x, axes, norm):
    return np.fft.rfftn(x, axes=axes, norm=norm)


def _c2r(x, axes, norm, n):
    sizes = [x.shape[a] for a in axes[:-1]] + [n]
    return np.fft.irfftn(x, s=sizes, axes=axes, norm=norm)


def hermitian_weights(n: int, ndim: int, axis: int, dtype, inverse: bool = False):
    """How many bins of a length-``n`` spectrum each of the ``n // 2 + 1`` kept bins
    stands for (1 for DC and Nyquist, else 2), shaped to broadcast along ``axis``;
    ``inverse``: their reciprocals."""
    w = np.full(n // 2 + 1, 0.5 if inverse else 2.0)
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    shape = [1] * ndim
    shape[axis] = w.size
    return w.reshape(shape).astype(real_dtype_of(dtype))


class C2C(LinearMap):
    """``t -> fftn(t)`` (or ``ifftn``); the adjoint is the opposite with the dual norm."""

    __slots__ = ("axes", "norm", "forward")

    def __init__(self, axes, norm, forward):
        self.axes, self.norm, self.forward = axes, norm, forward

    def apply(self, ns, t):
        return ns.fft_c2c(t, self.axes, self.norm, self.forward)

    def transpose(self, ns, ct):
        return ns.fft_c2c(ct, self.axes, DUAL[self.norm], not self.forward)


class R2C(LinearMap):
    """``t -> rfftn(t)`` for real ``t`` whose last transformed axis has length ``n``."""

    __slots__ = ("axes", "norm", "n")

    def __init__(self, axes, norm, n):
        self.axes, self.norm, self.n = axes, norm, n

    def apply(self, ns, t):
        return ns.fft_r2c(t, self.axes, self.norm)

    def transpose(self, ns, ct):
        halve = hermitian_weights(self.n, ct.ndim, self.axes[-1], ct.dtype, inverse=True)
        return ns.fft_c2r(ct * halve, self.axes, DUAL[self.norm], self.n)


class C2R(LinearMap):
    """``t -> irfftn(t)`` to a last axis of length ``n`` (``t`` has ``n // 2 + 1`` there)."""

    __slots__ = ("axes", "norm", "n")

    def __init__(self, axes, norm, n):
        self.axes, self.norm, self.n = axes, norm, n

    def apply(self, ns, t):
        return ns.fft_c2r(t, self.axes, self.norm, self.n)

    def transpose(self, ns, ct):
        double = hermitian_weights(self.n, ct.ndim, self.axes[-1], ct.dtype)
        return ns.fft_r2c(ct, self.axes, DUAL[self.norm]) * double


fft_c2c_p = Primitive("fft_c2c", _c2c, n_params=3,
                      rule=(lambda ns, out, x, axes, norm, forward: C2C(axes, norm, forward),))
fft_r2c_p = Primitive("fft_r2c", _r2c, save=(SPEC,), n_params=2,
                      rule=(lambda ns, out, x, axes, norm: R2C(axes, norm, x.shape[axes[-1]]),))
fft_c2r_p = Primitive("fft_c2r", _c2r, n_params=3,
                      rule=(lambda ns, out, x, axes, norm, n: C2R(axes, norm, n),))


def c2c(x, axes, norm, forward):
    return bind(fft_c2c_p, (x,), (axes, norm, forward)) if axes else x


def r2c(x, axes, norm):
    return bind(fft_r2c_p, (x,), (axes, norm))


def c2r(x, axes, norm, n):
    return bind(fft_c2r_p, (x,), (axes, norm, n))


def resize(x, axes, sizes):
    """``x`` cropped or zero-padded (at the end) to ``sizes`` along ``axes``."""
    for axis, size in zip(axes, sizes):
        have = x.shape[axis]
        if size < have:
            x = x[(slice(None),) * axis + (slice(0, size),)]
        elif size > have:
            shape = x.shape[:axis] + (size,) + x.shape[axis + 1:]
            x = bind(index_scatter_p, (x,), ((slice(None),) * axis + (slice(0, have),), shape))
    return x
