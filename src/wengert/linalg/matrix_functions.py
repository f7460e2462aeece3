"""Matrix functions: matrix_power (repeated squaring) and matrix_exp.

``matrix_exp`` is scaling and squaring with a degree-13 Padé approximant
(Higham 2005), in NumPy. Its derivative is the Fréchet derivative
``L(A, E) = expm([[A, E], [0, A]])[:n, n:]`` and the adjoint of that is
``L(A^T, G)``; both are computed with ``matrix_exp`` itself, so derivatives of
every order follow from the one rule. (Complex: ``exp`` is holomorphic, the Fréchet
derivative is complex-linear and its adjoint is ``L(A^H, G)``.)
"""

from __future__ import annotations

import numpy as np

from .._primitive import VALUE, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import LinearMap
from ._matrix import matrix_arg, mH

__all__ = ["matrix_exp", "matrix_power"]

_PADE13 = (64764752532480000.0, 32382376266240000.0, 7771770303897600.0, 1187353796428800.0,
           129060195264000.0, 10559470521600.0, 670442572800.0, 33522128640.0, 1323241920.0,
           40840800.0, 960960.0, 16380.0, 182.0, 1.0)
_THETA13 = 5.371920351148152  # the largest 1-norm for which degree 13 is accurate to 2^-53


def _matrix_exp(a):
    """exp(A) for every matrix of a batch (in float64 or complex128; each with its own
    scaling)."""
    x = np.asarray(a, dtype=np.complex128 if np.iscomplexobj(a) else np.float64)
    n = x.shape[-1]
    if n == 0:
        return np.zeros_like(a)
    norm = np.abs(x).sum(axis=-2).max(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.ceil(np.log2(norm / _THETA13))
    s = np.where(np.isfinite(s) & (s > 0), s, 0).astype(np.int64)  # (nan/inf: no scaling)
    x = x / (2.0 ** s)[..., None, None]
    b = _PADE13
    ident = np.eye(n)
    x2 = x @ x
    x4 = x2 @ x2
    x6 = x4 @ x2
    u = x @ (x6 @ (b[13] * x6 + b[11] * x4 + b[9] * x2)
             + b[7] * x6 + b[5] * x4 + b[3] * x2 + b[1] * ident)
    v = x6 @ (b[12] * x6 + b[10] * x4 + b[8] * x2) + b[6] * x6 + b[4] * x4 + b[2] * x2 \
        + b[0] * ident
    r = np.linalg.solve(v - u, v + u)
    for k in range(int(s.max(initial=0))):
        r = np.where((k < s)[..., None, None], r @ r, r)
    return r.astype(a.dtype, copy=False)


class _ExpFrechet(LinearMap):
    """``E -> L(A, E)`` through the block-triangular exponential; adjoint ``L(A^H, G)``."""

    __slots__ = ("a",)

    def __init__(self, a):
        self.a = a

    @staticmethod
    def _block(ns, a, e):
        nd = a.ndim
        n = a.shape[-1]
        zeros = np.zeros(a.shape, dtype=a.dtype)
        top = ns.cat(a, e, nd - 1)
        bottom = ns.cat(zeros, a, nd - 1)
        big = ns.matrix_exp(ns.cat(top, bottom, nd - 2))
        return ns.getitem(big, (Ellipsis, slice(0, n), slice(n, 2 * n)))

    def apply(self, ns, t):
        return self._block(ns, self.a, t)

    def transpose(self, ns, ct):
        return self._block(ns, mH(ns, self.a), ct)


matrix_exp_p = Primitive("matrix_exp", _matrix_exp, save=(VALUE,),
                         rule=(lambda ns, out, a: _ExpFrechet(a),))


def matrix_exp(A) -> Tensor:  # noqa: N803
    """The matrix exponential ``sum_k A^k / k!`` of a square matrix (or of each in a batch).

    >>> import wengert as wg
    >>> wg.linalg.matrix_exp(wg.zeros(2, 2))
    tensor([[1., 0.],
            [0., 1.]])
    """
    return bind(matrix_exp_p, (matrix_arg(A, "linalg.matrix_exp", square=True),))


def matrix_power(A, n: int) -> Tensor:  # noqa: N803
    """``A`` multiplied by itself ``n`` times; ``n = 0`` gives the identity and a negative
    ``n`` the power of the inverse.

    >>> import wengert as wg
    >>> wg.linalg.matrix_power(wg.tensor([[1.0, 1.0], [0.0, 1.0]]), 3)
    tensor([[1., 3.],
            [0., 1.]])
    """
    from .solve import inv

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"linalg.matrix_power: n must be an integer, got {n!r}")
    A = matrix_arg(A, "linalg.matrix_power", square=True)  # noqa: N806
    if n == 0:  # the identity, connected to A with a zero derivative (as PyTorch)
        return A * 0.0 + np.eye(A.shape[-1], dtype=A.dtype)
    if n < 0:
        A, n = inv(A), -n  # noqa: N806
    result, square = None, A
    while True:  # binary powering: log2(n) squarings
        if n & 1:
            result = square if result is None else result @ square
        n >>= 1
        if not n:
            return result
        square = square @ square
