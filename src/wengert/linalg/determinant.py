"""Determinants: det and slogdet.

d det(A) = <cofactor(A), dA>. The cofactor matrix (the transposed adjugate,
``det(A) A^-T`` when A is invertible) is its own primitive, computed from the
SVD so that it is right for singular matrices too: the derivative of ``det``
at a singular matrix is finite and exact (PyTorch returns 0 for some exactly
singular matrices, e.g. ``[[1, 2], [2, 4]]``, whose true gradient is
``[[4, -2], [-2, 1]]``). The cofactor's own derivative is taken in the SVD's
coordinates as a polynomial in the singular values, never dividing by the
determinant, so second derivatives are exact at singular matrices too. (Third
and higher orders go through the SVD's derivative, which needs distinct
singular values, and for complex matrices nonzero ones: the relative phase of the
singular vectors of a zero singular value is not determined.)

d log|det(A)| = <A^-T, dA>; the sign is not differentiable.

Complex matrices: ``det`` is holomorphic, so the same rule holds (its adjoint
multiplies by the conjugate cofactor, as every complex-linear map's does); the
cofactor is ``det(U) det(Vh) conj(U) diag(prod_{j != i} s_j) conj(Vh)``. ``slogdet``
returns a complex ``sign`` (``det / |det|``) that is differentiable, as in PyTorch:
both come from the holomorphic ``log det(A) = log|det(A)| + i arg(det(A))`` (primitive
``logdet``, derivative ``tr(A^-1 dA)``), as ``(exp(i Im(log det)), Re(log det))``.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .._primitive import VALUE, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import Compose, Embed, LinearMap, Reshape, Scale, SumAxes, conj
from ._matrix import diag_embed, diagonal, matrix_arg, mH, mT, unpack

__all__ = ["det", "slogdet"]


def _matrix_axes(ndim):
    return (ndim - 2, ndim - 1)


def _cofactor(a):
    """``det(A) A^-T`` for every square ``A``, singular ones included: from
    ``A = U S V^T``, ``cof(A) = det(U) det(V) U diag(prod_{j != i} s_j) V^T``
    (complex: ``A = U S Vh`` and ``conj(U) ... conj(Vh)``)."""
    if a.shape[-1] == 0:
        return np.zeros_like(a)
    u, s, vh = np.linalg.svd(a)
    ones = np.ones_like(s[..., :1])
    before = np.cumprod(np.concatenate([ones, s[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, s[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    sign = np.linalg.det(u) * np.linalg.det(vh)
    if np.iscomplexobj(a):
        u, vh = np.conj(u), np.conj(vh)
    return (u * (before * after * sign[..., None])[..., None, :]) @ vh


class _CofactorMap(LinearMap):
    """The derivative of the cofactor matrix, without dividing by the determinant (exact at
    and near singular matrices). In the SVD's coordinates, ``A = sign * U S V^T`` with
    ``Et = U^T E V``: ``dCt_ii = sum_{l != i} p_il Et_ll`` and ``dCt_ij = -p_ij Et_ji``,
    where ``p_ij = prod_{k not in {i, j}} s_k``; then ``dC = sign * U dCt V^T``. The map
    is self-adjoint up to the transposes of the coordinates. (Complex: ``Et = U^H dA V``
    and ``dC = sign * conj(U) dCt conj(Vh)``: the cofactor of ``U (S + Et) Vh``.)"""

    __slots__ = ("u", "vh", "p", "sign")

    def __init__(self, ns, u, s, vh):
        self.u, self.vh = u, vh
        self.sign = ns.reshape(ns.det(u) * ns.det(vh), s.shape[:-1] + (1, 1))
        n = s.shape[-1]
        p = 1.0
        for k in range(n):  # p_ij: the product of every s_k but s_i and s_j (0 on the diagonal)
            skip = np.ones((n, n), dtype=bool)
            skip[k, :] = skip[:, k] = False
            sk = ns.reshape(ns.getitem(s, (Ellipsis, slice(k, k + 1))), s.shape[:-1] + (1, 1))
            p = p * ns.where(skip, sk, 1.0)
        self.p = p * (1 - np.eye(n, dtype=s.dtype))

    def _core(self, ns, t):
        """``diag(p @ diag(t)) - p * t^T``, the map in the SVD's coordinates (symmetric p)."""
        d = diagonal(ns, t)
        pd = ns.matmul(self.p, ns.reshape(d, d.shape + (1,)))
        return diag_embed(ns, ns.reshape(pd, d.shape), t.dtype) - self.p * mT(ns, t)

    def apply(self, ns, t):
        u, vh = self.u, self.vh
        et = ns.matmul(ns.matmul(mH(ns, u), t), mH(ns, vh))
        return ns.matmul(ns.matmul(conj(ns, u), self._core(ns, et) * self.sign), conj(ns, vh))

    def transpose(self, ns, ct):
        u, vh = self.u, self.vh
        gt = ns.matmul(ns.matmul(mT(ns, u), ct), mT(ns, vh)) * conj(ns, self.sign)
        return ns.matmul(ns.matmul(u, self._core(ns, gt)), vh)


def _cofactor_rule(ns, c, a):
    from .decompositions import _svd_shapes

    n = a.shape[-1]
    u, s, vh = unpack(ns, ns.svd(a, True), _svd_shapes(n, n, True))
    return _CofactorMap(ns, u, s, vh)


cofactor_p = Primitive("cofactor", _cofactor, save=(VALUE,), rule=(_cofactor_rule,))


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


def _logdet(a):
    sign, logabs = np.linalg.slogdet(a)
    return logabs + 1j * np.angle(sign)


logdet_p = Primitive(
    "logdet", _logdet, save=(VALUE,),
    rule=(lambda ns, out, a: Compose(Scale(mT(ns, ns.inv(a))),
                                     SumAxes(a.shape, _matrix_axes(a.ndim), False)),))
"""The complex logarithm ``log|det(A)| + i arg(det(A))`` of complex matrices, holomorphic
(``d log det(A) = tr(A^-1 dA)``): ``slogdet`` of complex input is made of it."""

SlogdetResult = namedtuple("SlogdetResult", ["sign", "logabsdet"])


def slogdet(A) -> SlogdetResult:  # noqa: N803
    """``(sign, logabsdet)`` with ``det(A) = sign * exp(logabsdet)``, accurate where the
    determinant itself would overflow or underflow. ``logabsdet`` is real; for complex
    ``A``, ``sign`` is complex (``det / |det|``) and differentiable too (as in PyTorch),
    for real ``A`` it is not.

    >>> import wengert as wg
    >>> wg.linalg.slogdet(wg.tensor([[1.0, 2.0], [3.0, 4.0]])).sign
    tensor(-1.)
    """
    A = matrix_arg(A, "linalg.slogdet", square=True)  # noqa: N806
    if A.dtype.kind == "c":
        from ..ops.complex import conj, real
        from ..ops.elementwise import exp

        log_det = bind(logdet_p, (A,))
        return SlogdetResult(exp((log_det - conj(log_det)) * 0.5), real(log_det))
    packed = bind(slogdet_p, (A,))
    return SlogdetResult(packed[..., 0].detach(), packed[..., 1])
