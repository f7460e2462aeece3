"""Decompositions: cholesky, qr, eigh/eigvalsh, svd/svdvals.

Each is one primitive whose forward returns its outputs packed in one array
(see ``_matrix``), so one LAPACK call serves every output and the rule sees all
of them. Eigen- and singular vectors are returned with a fixed sign (the entry
of largest magnitude of each eigenvector / left singular vector is positive),
which makes them functions of the input that finite differences can check;
PyTorch leaves the sign to LAPACK, so compare gauge-invariant quantities.

Symmetric inputs: ``cholesky``, ``eigh`` (and ``pinv(hermitian=True)``) read one
triangle, as LAPACK and PyTorch do. Their derivatives are the exact
derivatives of that: a gradient lives on the triangle that was read (PyTorch
returns the symmetrized gradient instead; both agree on every symmetric
perturbation, i.e. after symmetrizing ours).

Complex matrices (Hermitian for cholesky/eigh): the real formulas with conjugate
transposes, plus the phase. An eigenvector (a pair of singular vectors) is unique
only up to a phase ``e^{i phi}``; the forward fixes it (the entry of largest
magnitude of each eigenvector / left singular vector is real and positive, the real
rule's sign generalized), and the rules are the exact derivatives of that choice:
the canonical derivative (no phase change, ``diag(V^H dV) = 0``) plus the imaginary
diagonal ``i V diag(alpha)`` that keeps the chosen entry real. For SVD the right
vectors also turn by ``i Im(diag(U^H dA V)) / S`` relative to the left ones (the
imaginary-diagonal term of PyTorch's rule). For a loss that does not depend on the
phase (PyTorch requires one) the gradient equals PyTorch's.

Degenerate eigenvalues or singular values: the rules divide by the gaps
``w_j - w_i`` (``s_j^2 - s_i^2``); where a gap is exactly 0 the term is taken
as 0 (PyTorch produces inf/nan there). Derivatives of eigenvalues alone stay
exact; eigenvectors of repeated eigenvalues are not differentiable.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from .._primitive import DIFF, FAST, VALUE, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import Compose, LinearMap
from ._matrix import (
    SYMMETRIZE,
    diag_embed,
    diagonal,
    from_triangle,
    lapack,
    matrix_arg,
    mH,
    mT,
    pack,
    packed_tangent,
    real_dtype,
    safe_reciprocal_gaps,
    triangle,
    unpack,
)

__all__ = ["cholesky", "eigh", "eigvalsh", "qr", "svd", "svdvals"]


def _fix_phases(vectors, *others):
    """Flip each column of ``vectors`` (and the matching column/row of ``others``) so that
    its entry of largest magnitude is positive; complex: turn its phase so that the entry
    is real and positive (``others`` are turned by the conjugate phase)."""
    if vectors.shape[-2] == 0:
        return (vectors, *others)
    big = np.take_along_axis(vectors, np.abs(vectors).argmax(axis=-2)[..., None, :], axis=-2)
    if np.iscomplexobj(vectors):
        phase = np.conj(big) / np.abs(big)  # (..., 1, k)
        return (vectors * phase, *(o * np.conj(phase) for o in others))
    flip = np.where(big < 0, -1.0, 1.0).astype(vectors.dtype)  # (..., 1, k)
    return (vectors * flip, *(o * flip for o in others))


class _Gauge:
    """The phase convention of ``_fix_phases`` in a rule on complex vectors ``v`` (columns):
    the one-hot mask ``e`` of each column's largest entry and that entry ``anchor`` (real,
    positive). ``fix`` turns a canonical tangent ``dv0`` (no phase change) into the
    derivative of the phase-fixed vectors, ``dv0 - v diag(i Im(dv0[k_j, j]) / v[k_j, j])``;
    ``phase`` is that ``i alpha``, ``fix_adjoint`` the adjoint of ``fix``, and ``turn``
    the phase part of a cotangent ``g`` (``i Im(diag(v^H g))``), 0 when the loss does
    not depend on the phase."""

    __slots__ = ("e", "anchor")

    def __init__(self, ns, v):
        data = getattr(v, "_data", v)
        k = np.abs(data).argmax(axis=-2)[..., None, :]
        self.e = (np.arange(data.shape[-2])[:, None] == k).astype(real_dtype(data.dtype))
        self.anchor = ns.sum(v * self.e, (v.ndim - 2,), True)  # (..., 1, k)

    def phase(self, ns, dv0):
        """``i alpha`` (..., 1, k): the turn of the phases that keeps the anchors real."""
        return -_i_im(ns, ns.sum(dv0 * self.e, (dv0.ndim - 2,), True)) / self.anchor

    def fix(self, ns, v, dv0):
        return dv0 + v * self.phase(ns, dv0)

    def turn(self, ns, v, g):
        return _i_im(ns, ns.sum(ns.conj(v) * g, (v.ndim - 2,), True))  # (..., 1, k)

    def fix_adjoint(self, ns, g, turn):
        return g - self.e * (turn / self.anchor)


def _i_im(ns, x):
    """``i Im(x)``, with complex ops only."""
    return (x - ns.conj(x)) * 0.5


def _real_part(ns, x):
    """``Re(x)``, kept in ``x``'s (complex) dtype."""
    return (x + ns.conj(x)) * 0.5


# -- cholesky ----------------------------------------------------------------------------


def _cholesky(a):
    return lapack("linalg.cholesky", "not positive-definite", np.linalg.cholesky,
                  (a + mH(FAST, a)) / 2)


class _CholeskyMap(LinearMap):
    """dL = L Phi(L^-1 dA L^-H), Phi: the lower triangle with half its diagonal; adjoint
    L^-H Phi(L^H G) L^-1 (the symmetrized input is applied around it)."""

    __slots__ = ("l",)

    def __init__(self, lower):
        self.l = lower

    def _phi(self):
        n = self.l.shape[-1]
        dtype = real_dtype(self.l.dtype)
        return triangle(n, True, dtype) - 0.5 * np.eye(n, dtype=dtype)

    def apply(self, ns, t):
        lo = self.l
        z = ns.solve_triangular(lo, t, False, False)  # L^-1 E
        y = mH(ns, ns.solve_triangular(lo, mH(ns, z), False, False))  # L^-1 E L^-H
        return ns.matmul(lo, y * self._phi())

    def transpose(self, ns, ct):
        lo = self.l
        p = ns.matmul(mH(ns, lo), ct) * self._phi()
        w = ns.solve_triangular(mH(ns, lo), p, True, False)  # L^-H P
        return mH(ns, ns.solve_triangular(mH(ns, lo), mH(ns, w), True, False))  # W L^-1


cholesky_p = Primitive("cholesky", _cholesky, save_out=True,
                       rule=(lambda ns, out, a: Compose(SYMMETRIZE, _CholeskyMap(out)),))


def cholesky(A, *, upper=False) -> Tensor:  # noqa: N803
    """The Cholesky factor ``L`` (lower triangular, ``A = L L^H``) of a symmetric
    (Hermitian) positive-definite matrix; ``upper=True`` returns ``L^H``. Reads the lower
    triangle of ``A`` (the upper one when ``upper``), as PyTorch.

    >>> import wengert as wg
    >>> wg.linalg.cholesky(wg.tensor([[4.0, 2.0], [2.0, 5.0]]))
    tensor([[2., 0.],
            [1., 2.]])
    """
    A = matrix_arg(A, "linalg.cholesky", square=True)  # noqa: N806
    lower = bind(cholesky_p, (from_triangle(A, lower=not upper),))
    return mH(DIFF, lower) if upper else lower


# -- qr ----------------------------------------------------------------------------------


def _qr(a, complete):
    q, r = np.linalg.qr(a, mode="complete" if complete else "reduced")
    return pack(a.ndim - 2, q, r)


def _qr_shapes(m, n, complete):
    k = m if complete else min(m, n)
    return (m, k), (k, n)


class _QRMap(LinearMap):
    """Reduced QR of a tall matrix (m >= n). With C = Q^T dA R^-1 and
    Omega = tril(C, -1) - tril(C, -1)^T: dR = (C - Omega) R, dQ = dA R^-1 - Q (C - Omega).
    Adjoint: (Qbar + Q copyltu(M)) R^-T with M = Rbar R^T - Q^T Qbar.

    Complex (LAPACK's R has a real diagonal): C = Q^H dA R^-1, and Omega (= Q^H dQ,
    anti-Hermitian) also holds ``i Im(diag(C))``; adjoint with ^H, and copyltu keeps
    the real part of M's diagonal."""

    __slots__ = ("q", "r")

    def __init__(self, q, r):
        self.q, self.r = q, r

    def _right_solve_r(self, ns, t):
        """t R^-1."""
        return mT(ns, ns.solve_triangular(mT(ns, self.r), mT(ns, t), False, False))

    def apply(self, ns, t):
        q, r = self.q, self.r
        n = r.shape[-1]
        b = self._right_solve_r(ns, t)
        c = ns.matmul(mH(ns, q), b)
        low = c * triangle(n, True, real_dtype(c.dtype), -1)
        upper_part = c - low + mH(ns, low)  # C - Omega
        if c.dtype.kind == "c":
            upper_part = upper_part - diag_embed(ns, _i_im(ns, diagonal(ns, c)), c.dtype)
        dr = ns.matmul(upper_part, r)
        dq = b - ns.matmul(q, upper_part)
        return packed_tangent(ns, [dq, dr], q.ndim - 2)

    def transpose(self, ns, ct):
        q, r = self.q, self.r
        m, n = q.shape[-2], r.shape[-1]
        qbar, rbar = unpack(ns, ct, [(m, n), (n, n)])
        mm = ns.matmul(rbar, mH(ns, r)) - ns.matmul(mH(ns, q), qbar)
        real = real_dtype(mm.dtype)
        upper = triangle(n, False, real)
        copyltu = mm * upper + mH(ns, mm * (upper - np.eye(n, dtype=real)))
        if mm.dtype.kind == "c":
            copyltu = copyltu - diag_embed(ns, _i_im(ns, diagonal(ns, mm)), mm.dtype)
        y = qbar + ns.matmul(q, copyltu)
        return mH(ns, ns.solve_triangular(r, mH(ns, y), True, False))  # Y R^-H


def _qr_rule(ns, out, a, complete):
    m, n = a.shape[-2:]
    if m < n or (complete and m > n):
        raise RuntimeError(
            f"linalg.qr: the derivative is implemented for m >= n with mode='reduced' (or "
            f"square matrices), got shape {a.shape} with mode="
            f"{'complete' if complete else 'reduced'}: Q is not unique there (PyTorch "
            "raises for mode='complete' too)")
    q, r = unpack(ns, out, _qr_shapes(m, n, complete))
    return _QRMap(q, r)


qr_p = Primitive("qr", _qr, save=(VALUE,), save_out=True, n_params=1, rule=(_qr_rule,))

QRResult = namedtuple("QRResult", ["Q", "R"])


def qr(A, mode="reduced") -> QRResult:  # noqa: N803
    """The QR decomposition ``A = Q R``: ``(Q, R)`` with orthonormal columns in ``Q`` and
    ``R`` upper triangular (with a real diagonal for complex ``A``, as LAPACK's).
    ``mode``: ``'reduced'``, ``'complete'`` or ``'r'`` (``Q`` is
    then empty). Differentiable for m >= n (``mode='r'`` included: its ``R`` is
    differentiable, unlike in PyTorch).

    >>> import wengert as wg
    >>> Q, R = wg.linalg.qr(wg.tensor([[3.0, 1.0], [4.0, 2.0]]))
    >>> (Q @ R).shape
    (2, 2)
    """
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"linalg.qr: mode must be 'reduced', 'complete' or 'r', got {mode!r}")
    A = matrix_arg(A, "linalg.qr")  # noqa: N806
    m, n = A.shape[-2:]
    complete = mode == "complete"
    packed = bind(qr_p, (A,), (complete,))
    q, r = unpack(DIFF, packed, _qr_shapes(m, n, complete))
    if mode == "r":
        q = Tensor(np.zeros((0,), dtype=A.dtype))
    return QRResult(q, r)


# -- eigh --------------------------------------------------------------------------------


def _eigh(a):
    w, v = np.linalg.eigh((a + mH(FAST, a)) / 2)
    (v,) = _fix_phases(v)
    return np.concatenate([w[..., None, :], v], axis=-2)


def _eigh_parts(ns, packed):
    n = packed.shape[-1]
    w = ns.reshape(ns.getitem(packed, (Ellipsis, slice(0, 1), slice(None))),
                   packed.shape[:-2] + (n,))
    return w, ns.getitem(packed, (Ellipsis, slice(1, None), slice(None)))


class _EighMap(LinearMap):
    """For symmetric dA, with Et = V^T dA V: dw = diag(Et), dV = V (F o Et), F_ij =
    1 / (w_j - w_i). Adjoint: V (diag(wbar) + F o (V^T Vbar)) V^T.

    Complex (Hermitian dA): Et = V^H dA V, dw = Re(diag(Et)), and dV is corrected for
    the phase convention (``_Gauge``); adjoint with ^H, through the gauge's adjoint."""

    __slots__ = ("w", "v", "f", "gauge")

    def __init__(self, ns, w, v):
        self.w, self.v = w, v
        self.f = safe_reciprocal_gaps(ns, ns.real(w) if w.dtype.kind == "c" else w)
        self.gauge = _Gauge(ns, v) if v.dtype.kind == "c" else None

    def apply(self, ns, t):
        v = self.v
        et = ns.matmul(ns.matmul(mH(ns, v), t), v)
        dw = diagonal(ns, et)
        dv = ns.matmul(v, et * self.f)
        if self.gauge is not None:
            dw, dv = _real_part(ns, dw), self.gauge.fix(ns, v, dv)
        nd = v.ndim
        return ns.cat(ns.reshape(dw, dw.shape[:-1] + (1, dw.shape[-1])), dv, nd - 2)

    def transpose(self, ns, ct):
        v = self.v
        wbar, vbar = _eigh_parts(ns, ct)
        if self.gauge is not None:
            wbar = _real_part(ns, wbar)
            vbar = self.gauge.fix_adjoint(ns, vbar, self.gauge.turn(ns, v, vbar))
        inner = diag_embed(ns, wbar, v.dtype) + ns.matmul(mH(ns, v), vbar) * self.f
        return ns.matmul(ns.matmul(v, inner), mH(ns, v))


def _eigh_rule(ns, out, a):
    w, v = _eigh_parts(ns, out)
    return Compose(SYMMETRIZE, _EighMap(ns, w, v))


eigh_p = Primitive("eigh", _eigh, save_out=True, rule=(_eigh_rule,))

EighResult = namedtuple("EighResult", ["eigenvalues", "eigenvectors"])


def _eigh_packed(A, UPLO, op):  # noqa: N803
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"{op}: UPLO must be 'L' or 'U', got {UPLO!r}")
    A = matrix_arg(A, op, square=True)  # noqa: N806
    return bind(eigh_p, (from_triangle(A, lower=UPLO == "L"),))


def eigh(A, UPLO="L") -> EighResult:  # noqa: N803
    """Eigenvalues (ascending) and orthonormal eigenvectors (columns) of a symmetric
    (Hermitian) matrix, reading its lower triangle (``UPLO='U'``: the upper). The
    eigenvalues are real; complex eigenvectors are unique up to a phase only, so
    differentiate functions that do not depend on it (PyTorch requires that too).

    >>> import wengert as wg
    >>> wg.linalg.eigh(wg.tensor([[2.0, 0.0], [0.0, 1.0]])).eigenvalues
    tensor([1., 2.])
    """
    w, v = _eigh_parts(DIFF, _eigh_packed(A, UPLO, "linalg.eigh"))
    return EighResult(_real(w), v)


def eigvalsh(A, UPLO="L") -> Tensor:  # noqa: N803
    """The eigenvalues (ascending) of a symmetric matrix; see ``eigh``.

    >>> import wengert as wg
    >>> wg.linalg.eigvalsh(wg.tensor([[2.0, 1.0], [1.0, 2.0]]))
    tensor([1., 3.])
    """
    return _real(_eigh_parts(DIFF, _eigh_packed(A, UPLO, "linalg.eigvalsh"))[0])


def _real(t: Tensor) -> Tensor:
    """Real outputs (eigen- and singular values) packed with complex ones, as real tensors."""
    if t.dtype.kind != "c":
        return t
    from ..ops.complex import real

    return real(t)


# -- svd ---------------------------------------------------------------------------------


def _svd_shapes(m, n, full):
    k = min(m, n)
    return ((m, m), (k,), (n, n)) if full else ((m, k), (k,), (k, n))


def _svd(a, full):
    u, s, vh = np.linalg.svd(a, full_matrices=full)
    k = s.shape[-1]
    # fix the sign (phase) of the first k singular vector pairs together (u_i s_i v_i^H is
    # unchanged: the rows of vh turn by the conjugate phase)
    u_k, vh_k = _fix_phases(u[..., :k], np.swapaxes(vh[..., :k, :], -1, -2))
    u = np.concatenate([u_k, u[..., k:]], axis=-1)
    vh = np.concatenate([np.swapaxes(vh_k, -1, -2), vh[..., k:, :]], axis=-2)
    return pack(a.ndim - 2, u, s, vh)


class _SVDMap(LinearMap):
    """Reduced SVD, dP = U^T dA V:  dS = diag(dP),
    dU = U (F o (dP S + S dP^T)) + (I - U U^T) dA V S^-1,
    dV = V (F o (S dP + dP^T S)) + (I - V V^T) dA^T U S^-1,  F_ij = 1 / (s_j^2 - s_i^2).
    Adjoint: U [diag(Sbar) + (J + J^T) S + S (K + K^T)] V^T + (I - U U^T) Ubar S^-1 V^T
    + U S^-1 Vbar^T (I - V V^T), J = F o (U^T Ubar), K = F o (V^T Vbar).

    Complex: ^H for ^T, dS = Re(diag(dP)); dU is corrected for the phase convention
    (``_Gauge``, by ``i U diag(alpha)``) and dV turns with it, less
    ``i V diag(Im(diag(dP)) / S)``: ``A = U S V^H`` fixes only the difference of the two
    phases. The adjoint follows the same steps back."""

    __slots__ = ("u", "s", "v", "f", "gauge")

    def __init__(self, ns, u, s, v):
        if s.dtype.kind == "c":
            s = ns.real(s)
        self.u, self.s, self.v = u, s, v
        self.f = safe_reciprocal_gaps(ns, s, square=True)
        self.gauge = _Gauge(ns, u) if u.dtype.kind == "c" else None

    def _row(self, ns, x):  # (..., k) -> (..., 1, k): scales columns
        return ns.reshape(x, x.shape[:-1] + (1, x.shape[-1]))

    def _col(self, ns, x):  # (..., k) -> (..., k, 1): scales rows
        return ns.reshape(x, x.shape + (1,))

    def apply(self, ns, t):
        u, s, v, f = self.u, self.s, self.v, self.f
        m, n = u.shape[-2], v.shape[-2]
        s_row, s_col = self._row(ns, s), self._col(ns, s)
        dp = ns.matmul(ns.matmul(mH(ns, u), t), v)
        ds = diagonal(ns, dp)
        dpt = mH(ns, dp)
        du = ns.matmul(u, f * (dp * s_row + s_col * dpt))
        dv = ns.matmul(v, f * (s_col * dp + dpt * s_row))
        if m > n:
            av = ns.matmul(t, v)
            du = du + (av - ns.matmul(u, ns.matmul(mH(ns, u), av))) / s_row
        if n > m:
            au = ns.matmul(mH(ns, t), u)
            dv = dv + (au - ns.matmul(v, ns.matmul(mH(ns, v), au))) / s_row
        if self.gauge is not None:
            i_alpha = self.gauge.phase(ns, du)
            du = du + u * i_alpha
            dv = dv + v * (i_alpha - self._row(ns, _i_im(ns, ds)) / s_row)
            ds = _real_part(ns, ds)
        return packed_tangent(ns, [du, ds, mH(ns, dv)], u.ndim - 2)

    def transpose(self, ns, ct):
        u, s, v, f = self.u, self.s, self.v, self.f
        m, n = u.shape[-2], v.shape[-2]
        ubar, sbar, vhbar = unpack(ns, ct, _svd_shapes(m, n, False))
        vbar = mH(ns, vhbar)
        s_row, s_col = self._row(ns, s), self._col(ns, s)
        if self.gauge is not None:
            v_turn = self.gauge.turn(ns, v, vbar)  # (..., 1, k)
            turn = self.gauge.turn(ns, u, ubar) + v_turn
            ubar = self.gauge.fix_adjoint(ns, ubar, turn)
            sbar = _real_part(ns, sbar) - ns.reshape(v_turn, sbar.shape) / s
        j = f * ns.matmul(mH(ns, u), ubar)
        kk = f * ns.matmul(mH(ns, v), vbar)
        inner = (diag_embed(ns, sbar, u.dtype) + (j + mH(ns, j)) * s_row
                 + s_col * (kk + mH(ns, kk)))
        grad = ns.matmul(ns.matmul(u, inner), mH(ns, v))
        if m > n:
            proj = ubar - ns.matmul(u, ns.matmul(mH(ns, u), ubar))
            grad = grad + ns.matmul(proj / s_row, mH(ns, v))
        if n > m:
            proj = vbar - ns.matmul(v, ns.matmul(mH(ns, v), vbar))
            grad = grad + ns.matmul(u, mH(ns, proj / s_row))
        return grad


def _svd_rule(ns, out, a, full):
    m, n = a.shape[-2:]
    if full and m != n:
        raise RuntimeError(
            f"linalg.svd: derivatives with full_matrices=True are only defined for square "
            f"matrices (the extra singular vectors are not unique), got shape {a.shape}; "
            "use full_matrices=False, as PyTorch requires")
    u, s, vh = unpack(ns, out, _svd_shapes(m, n, full))
    return _SVDMap(ns, u, s, mH(ns, vh))


svd_p = Primitive("svd", _svd, save=(VALUE,), save_out=True, n_params=1, rule=(_svd_rule,))

SVDResult = namedtuple("SVDResult", ["U", "S", "Vh"])


def svd(A, full_matrices=True) -> SVDResult:  # noqa: N803
    """The singular value decomposition ``A = U diag(S) Vh``, singular values descending.

    Differentiable with ``full_matrices=False`` (or square ``A``); the singular
    vectors are unique up to sign only (a phase, for complex ``A``), so differentiate
    functions that do not depend on it (``U diag(S) Vh``, ``|U|``, ``S``); ``S`` is real.

    >>> import wengert as wg
    >>> wg.linalg.svd(wg.tensor([[3.0, 0.0], [0.0, -4.0]])).S
    tensor([4., 3.])
    """
    A = matrix_arg(A, "linalg.svd")  # noqa: N806
    m, n = A.shape[-2:]
    packed = bind(svd_p, (A,), (bool(full_matrices),))
    u, s, vh = unpack(DIFF, packed, _svd_shapes(m, n, bool(full_matrices)))
    return SVDResult(u, _real(s), vh)


def svdvals(A) -> Tensor:  # noqa: N803
    """The singular values of ``A``, descending.

    >>> import wengert as wg
    >>> wg.linalg.svdvals(wg.tensor([[3.0, 0.0], [0.0, -4.0]]))
    tensor([4., 3.])
    """
    return svd(A, full_matrices=False).S

