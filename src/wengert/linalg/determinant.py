"""Determinants: det and slogdet.

d det(A) = <cofactor(A), dA>. The cofactor matrix (the transposed adjugate,
``det(A) A^-T`` when A is invertible) is its own primitive, computed from the
SVD so that it is right for singular matrices too: the derivative of ``det``
at a singular matrix is finite and exact (PyTorch returns 0 for some exactly
singular matrices, e.g. ``[[1, 2], [2, 4]]``, whose true gradient is
``[[4, -2], [-2, 1]]``). The cofactor's own derivative,
``(<C, dA> C - C dA^T C) / det(A)``, divides by the determinant: second
derivatives of ``det`` at singular matrices are not finite.

d log|det(A)| = <A^-T, dA>; the sign is not differentiable.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .._primitive import VALUE, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import Compose, Embed, LinearMap, Reshape, Scale, SumAxes
from ._matrix import matrix_arg, mT

__all__ = ["det", "slogdet"]


def _matrix_axes(ndim):
    return (ndim - 2, ndim - 1)


def _cofactor(a):
    """``det(A) A^-T`` for every square ``A``, singular ones included: from
    ``A = U S V^T``, ``cof(A) = det(U) det(V) U diag(prod_{j != i} s_j) V^T``."""
    if a.shape[-1] == 0:
        return np.zeros_like(a)
    u, s, vh = np.linalg.svd(a)
    ones = np.ones_like(s[..., :1])
    before = np.cumprod(np.concatenate([ones, s[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, s[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return (u * (before * after * sign[..., None])[..., None, :]) @ vh


class _CofactorMap(LinearMap):
    """d cof(A)(E) = (<C, E> C - C E^T C) / det(A); self-similar adjoint."""

    __slots__ = ("c", "d")

    def __init__(self, c, d):
        self.c, self.d = c, d

    def _map(self, ns, t):
        c = self.c
        inner = ns.sum(c * t, _matrix_axes(c.ndim), True)
        return (inner * c - ns.matmul(ns.matmul(c, mT(ns, t)), c)) / ns.reshape(
            self.d, self.d.shape + (1, 1))

    def apply(self, ns, t):
        return self._map(ns, t)

    transpose = apply


cofactor_p = Primitive("cofactor", _cofactor, save=(VALUE,), save_out=True,
                       rule=(lambda ns, c, a: _CofactorMap(c, ns.det(a)),))


def _det_rule(ns, out, a):
    return Compose(Scale(ns.cofactor(a)), SumAxes(a.shape, _matrix_axes(a.ndim), False))


det_p = Primitive("det", np.linalg.det, save=(VALUE,), rule=(_det_rule,))


def det(A) -> Tensor:  # noqa: N803
    """The determinant of a square matrix (or of each in a batch).

    Differentiable everywhere, singular matrices included (the gradient is
    the cofactor matrix).

    >>> import wengert as wg
    >>> wg.linalg.det(wg.tensor([[1.0, 2.0], [3.0, 4.0]]))
    tensor(-2.)
    """
    return bind(det_p, (matrix_arg(A, "linalg.det", square=True),))


def _slogdet(a):
    sign, logabs = np.linalg.slogdet(a)
    return np.stack([sign, logabs], axis=-1)


def _slogdet_rule(ns, out, a):
    batch = a.shape[:-2]
    inv_t = mT(ns, ns.inv(a))
    return Compose(Compose(Scale(inv_t), SumAxes(a.shape, _matrix_axes(a.ndim), True)),
                   Compose(Reshape(batch + (1, 1), batch + (1,)),
                           Embed((Ellipsis, slice(1, 2)), batch + (2,))))


slogdet_p = Primitive("slogdet", _slogdet, save=(VALUE,), rule=(_slogdet_rule,))

SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])


def slogdet(A) -> SlogdetResult:  # noqa: N803
    """``(sign, logabsdet)`` with ``det(A) = sign * exp(logabsdet)``, accurate where the
    determinant itself would overflow or underflow. Only ``logabsdet`` is differentiable.

    >>> import wengert as wg
    >>> wg.linalg.slogdet(wg.tensor([[1.0, 2.0], [3.0, 4.0]])).sign
    tensor(-1.)
    """
    packed = bind(slogdet_p, (matrix_arg(A, "linalg.slogdet", square=True),))
    return SlogdetResult(packed[..., 0].detach(), packed[..., 1])
