"""Inverses and linear solves: inv, solve, solve_triangular, pinv, lstsq.

Rules (X the output): d inv(A) = -X dA X; d solve(A, B) = A^-1 (dB - dA X);
the triangular solve reads only its triangle, so its derivative in A is masked
to it; d pinv(A) is the Golub-Pereyra formula, exact wherever the rank does not
change (no singular values appear in it, so repeated ones are harmless).
Complex matrices: the same formulas with conjugate transposes (``mH``).
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .._primitive import FAST, VALUE, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import NEGATE, Compose, LinearMap
from ._matrix import (
    SYMMETRIZE,
    Sandwich,
    broadcast_batch,
    from_triangle,
    lapack,
    matrix_arg,
    mH,
    real_dtype,
    same_dtype,
    sym,
    triangle,
)

__all__ = ["inv", "lstsq", "pinv", "solve", "solve_triangular"]

_SINGULAR = "singular (it has no inverse; linalg.pinv gives a pseudo-inverse)"


# -- inv ---------------------------------------------------------------------------------


def _inv(a):
    return lapack("linalg.inv", _SINGULAR, np.linalg.inv, a)


inv_p = Primitive("inv", _inv, save=(None,), save_out=True,
                  rule=(lambda ns, x, a: Compose(Sandwich(x, x), NEGATE),))


def inv(A) -> Tensor:  # noqa: N803 - PyTorch's argument names
    """The inverse of a square matrix (or of each in a batch).

    >>> import wengert as wg
    >>> wg.linalg.inv(wg.tensor([[2.0, 0.0], [0.0, 4.0]]))
    tensor([[0.50, 0.00],
            [0.00, 0.25]])
    """
    return bind(inv_p, (matrix_arg(A, "linalg.inv", square=True),))


# -- solve and solve_triangular ----------------------------------------------------------


class _Solve(LinearMap):
    """``t -> A^-1 (mask * t) @ right``, ``A`` general (``tri`` None) or triangular
    (``tri = (upper, unitriangular)``); ``mask``/``right`` None mean none."""

    __slots__ = ("a", "right", "mask", "tri")

    def __init__(self, a, right=None, mask=None, tri=None):
        self.a, self.right, self.mask, self.tri = a, right, mask, tri

    def apply(self, ns, t):
        if self.mask is not None:
            t = t * self.mask
        if self.right is not None:
            t = ns.matmul(t, self.right)
        return _solve_with(ns, self.a, t, self.tri, False)

    def transpose(self, ns, ct):
        g = _solve_with(ns, mH(ns, self.a), ct, self.tri, True)
        if self.right is not None:
            g = ns.matmul(g, mH(ns, self.right))
        return g if self.mask is None else g * self.mask


def _solve_with(ns, a, b, tri, transposed):
    if tri is None:
        return ns.solve(a, b)
    upper, unit = tri
    return ns.solve_triangular(a, b, upper != transposed, unit)


def _solve(a, b):
    return lapack("linalg.solve", _SINGULAR, np.linalg.solve, a, b)


solve_p = Primitive(
    "solve", _solve, save=(VALUE, None), save_out=True,
    rule=(lambda ns, x, a, b: Compose(_Solve(a, x), NEGATE),
          lambda ns, x, a, b: _Solve(a)))


def _tri_mask(n, upper, unit, dtype):
    return triangle(n, not upper, dtype, -1 if unit else 0)


def _solve_triangular(a, b, upper, unit):
    t = a * _tri_mask(a.shape[-1], upper, unit, a.dtype)
    if unit:
        t = t + np.eye(a.shape[-1], dtype=a.dtype)
    return lapack("linalg.solve_triangular", "singular (a zero on its diagonal)",
                  np.linalg.solve, t, b)


def _tri_rule_a(ns, x, a, b, upper, unit):
    mask = _tri_mask(a.shape[-1], upper, unit, a.dtype)
    return Compose(_Solve(a, x, mask, (upper, unit)), NEGATE)


solve_triangular_p = Primitive(
    "solve_triangular", _solve_triangular, save=(VALUE, None), save_out=True, n_params=2,
    rule=(_tri_rule_a, lambda ns, x, a, b, upper, unit: _Solve(a, tri=(upper, unit))))


def _rhs(op, A, B, left):
    """``(A, B as matrices, was B a vector)`` with batch dims broadcast (PyTorch's rules)."""
    A = matrix_arg(A, op, square=True)  # noqa: N806
    B = matrix_arg(B, op) if B.ndim >= 2 else B  # noqa: N806
    A, B = same_dtype(op, A, B)  # noqa: N806
    n = A.shape[-1]
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and B.shape == A.shape[:-1])
    if vector:
        if B.shape[-1] != n:
            raise RuntimeError(f"{op}: A has shape {A.shape} but the vector B has shape "
                               f"{B.shape}; its length must be {n}")
        B = B.unsqueeze(-1) if left else B.unsqueeze(-2)  # noqa: N806
    rows = B.shape[-2] if left else B.shape[-1]
    if rows != n:
        which = "rows" if left else "columns"
        raise RuntimeError(f"{op}: A has shape {A.shape} and B has shape {B.shape}; B must "
                           f"have {n} {which} (left={left})")
    A, B = broadcast_batch(op, A, B)  # noqa: N806
    return A, B, vector


def solve(A, B, *, left=True) -> Tensor:  # noqa: N803
    """The solution ``X`` of ``A X = B`` (``X A = B`` when ``left=False``).

    ``B`` may be a matrix, a vector, or batches of either; batch dimensions broadcast.

    >>> import wengert as wg
    >>> wg.linalg.solve(wg.tensor([[2.0, 0.0], [0.0, 4.0]]), wg.tensor([2.0, 2.0]))
    tensor([1.0, 0.5])
    """
    from ..ops._registry import tensor_arg

    A, B, vector = _rhs("linalg.solve", A, tensor_arg(B), left)  # noqa: N806
    if left:
        X = bind(solve_p, (A, B))  # noqa: N806
    else:  # X A = B  <=>  A^T X^T = B^T
        X = bind(solve_p, (A.mT, B.mT)).mT  # noqa: N806
    return X.squeeze(-1 if left else -2) if vector else X


def solve_triangular(A, B, *, upper, left=True, unitriangular=False) -> Tensor:  # noqa: N803
    """The solution of ``A X = B`` (``X A = B`` if not ``left``) for triangular ``A``.

    Only the ``upper`` (or lower) triangle of ``A`` is read, without its diagonal
    when ``unitriangular`` (taken as ones); the derivative in ``A`` lives on that
    triangle too. ``B`` must be a matrix (batches broadcast), as in PyTorch.

    >>> import wengert as wg
    >>> A = wg.tensor([[2.0, 1.0], [0.0, 4.0]])
    >>> wg.linalg.solve_triangular(A, wg.tensor([[3.0], [4.0]]), upper=True)
    tensor([[1.],
            [1.]])
    """
    op = "linalg.solve_triangular"
    A = matrix_arg(A, op, square=True)  # noqa: N806
    B = matrix_arg(B, op)  # noqa: N806
    A, B = same_dtype(op, A, B)  # noqa: N806
    n = A.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        raise RuntimeError(f"{op}: A has shape {A.shape} and B has shape {B.shape}; B must "
                           f"have {n} {'rows' if left else 'columns'} (left={left})")
    A, B = broadcast_batch(op, A, B)  # noqa: N806
    if left:
        return bind(solve_triangular_p, (A, B), (bool(upper), bool(unitriangular)))
    # X A = B  <=>  A^T X^T = B^T, and A^T is triangular the other way
    return bind(solve_triangular_p, (A.mT, B.mT), (not upper, bool(unitriangular))).mT


# -- pinv and lstsq ----------------------------------------------------------------------


def _pinv(a, atol, rtol, hermitian):
    if hermitian:
        w, v = np.linalg.eigh((a + mH(FAST, a)) / 2)
        s = np.abs(w)
    else:
        u, s, vh = np.linalg.svd(a, full_matrices=False)
    top = s.max(axis=-1, initial=0.0, keepdims=True)
    keep = s > np.maximum(atol, rtol * top)
    s_inv = np.where(keep, 1 / np.where(keep, s, 1), 0)
    if hermitian:
        s_inv = np.where(w < 0, -s_inv, s_inv)
        return (v * s_inv[..., None, :]) @ mH(FAST, v)
    return (mH(FAST, vh) * s_inv[..., None, :]) @ mH(FAST, u)



class _PinvMap(LinearMap):
    """The derivative of ``X = pinv(A)`` at constant rank (Golub and Pereyra, 1973):
    ``dX = -X dA X + X X^H dA^H (I - A X) + (I - X A) dA^H X^H X``."""

    __slots__ = ("a", "x")

    def __init__(self, a, x):
        self.a, self.x = a, x

    def _projections(self, ns):
        a, x = self.a, self.x
        m, n = a.shape[-2], a.shape[-1]
        return (np.eye(m, dtype=a.dtype) - ns.matmul(a, x),  # I - A X  (m x m)
                np.eye(n, dtype=a.dtype) - ns.matmul(x, a))  # I - X A  (n x n)

    def apply(self, ns, t):
        x, xt = self.x, mH(ns, self.x)
        p_out, p_in = self._projections(ns)
        tt = mH(ns, t)
        return (-ns.matmul(ns.matmul(x, t), x)
                + ns.matmul(ns.matmul(x, xt), ns.matmul(tt, p_out))
                + ns.matmul(ns.matmul(p_in, tt), ns.matmul(xt, x)))

    def transpose(self, ns, ct):
        x, xt = self.x, mH(ns, self.x)
        p_out, p_in = self._projections(ns)
        ctt = mH(ns, ct)
        return (-ns.matmul(ns.matmul(xt, ct), xt)
                + ns.matmul(ns.matmul(p_out, ctt), ns.matmul(x, xt))
                + ns.matmul(ns.matmul(xt, x), ns.matmul(ctt, p_in)))


def _pinv_rule(ns, x, a, atol, rtol, hermitian):
    if hermitian:  # the forward reads the Hermitian part (a complex diagonal's real part)
        return Compose(SYMMETRIZE, _PinvMap(sym(ns, a), x))
    return _PinvMap(a, x)


pinv_p = Primitive("pinv", _pinv, save=(VALUE,), save_out=True, n_params=3, rule=(_pinv_rule,))


def pinv(A, *, atol=None, rtol=None, hermitian=False) -> Tensor:  # noqa: N803
    """The Moore-Penrose pseudo-inverse; singular values at or below
    ``max(atol, rtol * largest)`` count as zero (default ``rtol``: ``max(m, n) * eps``
    when ``atol`` is not given, else 0). ``hermitian=True`` reads the lower triangle.

    The derivative holds where the rank is locally constant (as PyTorch's).

    >>> import wengert as wg
    >>> wg.linalg.pinv(wg.tensor([[1.0, 0.0], [0.0, 0.0]]))
    tensor([[1., 0.],
            [0., 0.]])
    """
    A = matrix_arg(A, "linalg.pinv", square=hermitian)  # noqa: N806
    atol, rtol = _tolerances(A, atol, rtol)
    if hermitian:
        A = from_triangle(A, lower=True)  # noqa: N806
    return bind(pinv_p, (A,), (atol, rtol, bool(hermitian)))


def _tolerances(A, atol, rtol):  # noqa: N803
    """PyTorch's defaults: ``rtol = max(m, n) * eps`` unless ``atol`` is given (then 0)."""
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else (
            max(A.shape[-2:]) * float(np.finfo(A.dtype).eps))
    return float(atol or 0.0), float(rtol)


LstsqResult = namedtuple("LstsqResult", ["solution", "residuals", "rank", "singular_values"])


def lstsq(A, B, rcond=None, *, driver=None) -> LstsqResult:  # noqa: N803
    """The least-squares solution of ``A X = B``: ``(solution, residuals, rank,
    singular_values)``, as ``torch.linalg.lstsq`` with ``driver='gelsd'``.

    The solution is ``pinv(A) @ B`` and is differentiable where the rank of
    ``A`` is locally constant (in particular for full rank). ``residuals`` (the
    squared residual norms of the columns) is computed when ``m > n`` and every
    matrix has full rank, else empty; ``rank`` is not differentiable.

    >>> import wengert as wg
    >>> A = wg.tensor([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    >>> wg.linalg.lstsq(A, wg.tensor([[1.0], [2.0], [3.0]])).solution
    tensor([[1.],
            [2.]])
    """
    from ..ops._registry import tensor_arg
    from ..ops.complex import abs_squared
    from .decompositions import svdvals
    from .norms import matrix_rank

    op = "linalg.lstsq"
    A = matrix_arg(A, op)  # noqa: N806
    B = tensor_arg(B)  # noqa: N806
    vector = B.ndim == 1
    if vector:
        B = B.unsqueeze(-1)  # noqa: N806
    B = matrix_arg(B, op)  # noqa: N806
    A, B = same_dtype(op, A, B)  # noqa: N806
    m, n = A.shape[-2:]
    if B.shape[-2] != m:
        raise RuntimeError(f"{op}: A has shape {A.shape} and B has shape {B.shape}; both must "
                           f"have {m} rows")
    A, B = broadcast_batch(op, A, B)  # noqa: N806
    rtol = rcond if rcond is not None else max(m, n) * float(np.finfo(A.dtype).eps)
    X = bind(pinv_p, (A,), (0.0, float(rtol), False)) @ B  # noqa: N806
    rank = matrix_rank(A.detach(), rtol=rtol)
    if m > n and bool(np.all(rank._data == n)):
        residuals = abs_squared(A @ X - B).sum(-2)
    else:
        residuals = Tensor(np.zeros((0,), dtype=real_dtype(A.dtype)))
    singular_values = svdvals(A)
    if vector:
        X = X.squeeze(-1)  # noqa: N806
        if residuals.ndim:
            residuals = residuals.squeeze(-1) if residuals.shape[-1:] == (1,) else residuals
    return LstsqResult(X, residuals, rank, singular_values)

