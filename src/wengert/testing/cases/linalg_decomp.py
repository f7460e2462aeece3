"""Cases for ``wg.linalg``: inverses, solves, determinants, decompositions, norms and
matrix functions.

Decompositions are checked in the public-function sweep on gauge-invariant
functions of their outputs (``U diag(S) Vh``, ``|U|``, eigenvalues,
``V diag(f(w)) V^T``): singular and eigenvectors are unique up to sign only.
(The primitives themselves fix the sign, so the primitive sweep can difference them.)
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._common import (
    F32,
    F32_STEPS,
    NONDIFFERENTIABLE_FUNCTIONS,
    add_case,
    add_fn_case,
    fmt,
    real,
)
from ._common import distinct as _distinct

NONDIFFERENTIABLE_FUNCTIONS.add("linalg.matrix_rank")


def wellcond(shape) -> np.ndarray:
    """Random matrices kept well away from singular (a dominant diagonal)."""
    n = shape[-1]
    return real(shape) + 2.0 * np.eye(n)


def spd(shape) -> np.ndarray:
    """Symmetric positive-definite matrices."""
    x = real(shape)
    return x @ np.swapaxes(x, -1, -2) + np.eye(shape[-1])


def orthogonal(shape) -> np.ndarray:
    return np.linalg.qr(real(shape))[0]


def with_spectrum(shape, low=-2.0, gap=0.4) -> np.ndarray:
    """Symmetric matrices with eigenvalues at least ``gap`` apart."""
    q = orthogonal(shape)
    w = np.sort(_distinct(shape[:-1], gap=gap)[0], axis=-1) + low
    return (q * w[..., None, :]) @ np.swapaxes(q, -1, -2)


def with_singular_values(m, n, batch=()) -> np.ndarray:
    """m x n matrices whose singular values are distinct and at least 0.5."""
    k = min(m, n)
    u = orthogonal(batch + (m, k))
    v = orthogonal(batch + (n, k))
    s = 0.5 + np.sort(np.abs(_distinct(batch + (k,), gap=0.3)[0]), axis=-1)[..., ::-1]
    return (u * s[..., None, :]) @ np.swapaxes(v, -1, -2)


def f32(x) -> np.ndarray:
    """A float32 matrix with dyadic entries (exact in float32)."""
    return np.asarray(np.round(x * 64) / 64, dtype=F32)


SQUARE = [(3, 3), (2, 3, 3), (1, 1), (2, 1, 2, 2)]

# -- primitives ----------------------------------------------------------------------------
for s in SQUARE:
    add_case("inv", fmt(s), wellcond(s))
    add_case("det", fmt(s), wellcond(s))
    add_case("slogdet", fmt(s), wellcond(s) * np.where(np.arange(s[-1]) == 0, -1, 1))
    add_case("cofactor", fmt(s), wellcond(s))
    add_case("matrix_exp", fmt(s), real(s))
add_case("inv", "(3,3)-f32", f32(wellcond((3, 3))), **F32_STEPS)
add_case("matrix_exp", "(3,3)-large-norm-squares", 3 * real((3, 3)))
add_case("matrix_exp", "(2,3,3)-mixed-norms", real((2, 3, 3)) * np.array([0.2, 3.0])[:, None, None])

for a, b in [((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1)), ((1, 1), (1, 3))]:
    add_case("solve", f"{fmt(a)}-{fmt(b)}", wellcond(a), real(b))
    for upper in (False, True):
        for unit in (False, True):
            add_case("solve_triangular", f"{fmt(a)}-{fmt(b)}-upper={upper}-unit={unit}",
                     wellcond(a), real(b), params=(upper, unit))

for s in [(3, 3), (2, 3, 3), (1, 1)]:
    # the primitive reads the symmetric part; a slightly asymmetric input checks that
    add_case("cholesky", fmt(s), spd(s) + 0.1 * real(s))
    add_case("eigh", fmt(s), with_spectrum(s) + 0.05 * real(s))
for s, complete in [((4, 3), False), ((3, 3), False), ((3, 3), True), ((2, 4, 2), False),
                    ((3, 1), False)]:
    add_case("qr", f"{fmt(s)}-complete={complete}", wellcond(s[:-2] + (s[-1], s[-1]))
             if s[-1] == s[-2] else real(s), params=(complete,), tol=1e-5)
for m, n, batch, full in [(3, 3, (), True), (3, 3, (), False), (4, 3, (), False),
                          (3, 4, (), False), (3, 2, (2,), False), (1, 3, (), False)]:
    # (second derivatives of the singular vectors reach 1e4 here: FD needs the looser tol)
    add_case("svd", f"{fmt(batch + (m, n))}-full={full}",
             with_singular_values(m, n, batch), params=(full,), tol=1e-4)
for m, n in [(3, 3), (4, 3), (3, 4)]:
    add_case("pinv", f"({m},{n})", with_singular_values(m, n), params=(0.0, 1e-12, False),
             tol=1e-5)
add_case("pinv", "(3,3)-hermitian", with_spectrum((3, 3)), params=(0.0, 1e-12, True), tol=1e-5)
add_case("pinv", "(2,3,2)", with_singular_values(3, 2, (2,)), params=(0.0, 1e-12, False),
         tol=1e-5)


# -- public functions ------------------------------------------------------------------------
L = wg.linalg
for s in SQUARE:
    add_fn_case("linalg.inv", fmt(s), L.inv, wellcond(s))
    add_fn_case("linalg.det", fmt(s), L.det, wellcond(s))
    add_fn_case("linalg.slogdet", f"{fmt(s)}-logabsdet", lambda a: L.slogdet(a).logabsdet,
                wellcond(s) * np.where(np.arange(s[-1]) == 0, -1, 1))
    add_fn_case("linalg.matrix_exp", fmt(s), L.matrix_exp, real(s))
add_fn_case("linalg.det", "(3,3)-singular-rank2", L.det, real((3, 2)) @ real((2, 3)))
add_fn_case("linalg.det", "(3,3)-singular-rank1", L.det, np.outer(real((3,)), real((3,))))
add_fn_case("linalg.det", "(2,4,4)-singular-rank2", L.det, real((2, 4, 2)) @ real((2, 2, 4)))

for a, b, left in [((3, 3), (3,), True), ((3, 3), (3, 2), True), ((2, 3, 3), (3, 2), True),
                   ((3, 3), (2, 3, 1), True), ((2, 3, 3), (2, 3), True),
                   ((3, 3), (2, 3), False), ((2, 3, 3), (3,), False)]:
    add_fn_case("linalg.solve", f"{fmt(a)}-{fmt(b)}-left={left}",
                lambda x, y, left=left: L.solve(x, y, left=left), wellcond(a), real(b))
for upper, left, unit in [(True, True, False), (False, True, False), (True, False, False),
                          (False, False, True), (True, True, True)]:
    add_fn_case("linalg.solve_triangular", f"upper={upper}-left={left}-unit={unit}",
                lambda x, y, upper=upper, left=left, unit=unit: L.solve_triangular(
                    x, y, upper=upper, left=left, unitriangular=unit),
                wellcond((2, 3, 3)), real((3, 2) if left else (2, 3)))
add_fn_case("linalg.lstsq", "(4,3)-(4,2)-solution+residuals",
            lambda a, b: L.lstsq(a, b)[:2], with_singular_values(4, 3), real((4, 2)))
add_fn_case("linalg.lstsq", "(2,3)-(2,)-underdetermined", lambda a, b: L.lstsq(a, b).solution,
            with_singular_values(2, 3), real((2,)))
add_fn_case("linalg.lstsq", "(2,3,3)-(3,2)-square-batched", lambda a, b: L.lstsq(a, b).solution,
            wellcond((2, 3, 3)), real((3, 2)))

for s in [(3, 3), (2, 3, 3)]:
    add_fn_case("linalg.cholesky", f"{fmt(s)}-reads-lower", L.cholesky, spd(s) + 0.1 * real(s))
    add_fn_case("linalg.cholesky", f"{fmt(s)}-upper", lambda a: L.cholesky(a, upper=True),
                spd(s) + 0.1 * real(s))
    add_fn_case("linalg.eigvalsh", fmt(s), L.eigvalsh, with_spectrum(s))
    add_fn_case("linalg.eigvalsh", f"{fmt(s)}-UPLO=U", lambda a: L.eigvalsh(a, UPLO="U"),
                with_spectrum(s) + 0.1 * real(s))


def _eigh_invariants(a, uplo="L"):
    w, v = L.eigh(a, UPLO=uplo)
    return w, (v * wg.exp(w).unsqueeze(-2)) @ v.mT, wg.abs(v)


add_fn_case("linalg.eigh", "(3,3)-gauge-invariant:w,V.diag(exp(w)).V^T,|V|", _eigh_invariants,
            with_spectrum((3, 3)))
add_fn_case("linalg.eigh", "(2,3,3)-UPLO=U-gauge-invariant", lambda a: _eigh_invariants(a, "U"),
            with_spectrum((2, 3, 3)) + 0.1 * real((2, 3, 3)))
add_fn_case("linalg.eigh", "(2,2)-repeated-eigenvalue-eigenvalues-only",
            lambda a: L.eigh(a).eigenvalues.sum(-1), 2 * np.eye(2) + 0.0 * real((2, 2)))


def _svd_invariants(a, full=False):
    u, s, vh = L.svd(a, full_matrices=full)
    k = s.shape[-1]
    return (u[..., :k] * s.unsqueeze(-2)) @ vh[..., :k, :], s, wg.abs(u), wg.abs(vh)


for m, n, batch in [(3, 3, ()), (4, 3, ()), (3, 4, ()), (3, 2, (2,))]:
    add_fn_case("linalg.svd", f"{fmt(batch + (m, n))}-gauge-invariant:U.S.Vh,S,|U|,|Vh|",
                _svd_invariants, with_singular_values(m, n, batch))
    add_fn_case("linalg.svdvals", fmt(batch + (m, n)), L.svdvals,
                with_singular_values(m, n, batch))
add_fn_case("linalg.svd", "(3,3)-full-gauge-invariant", lambda a: _svd_invariants(a, True),
            with_singular_values(3, 3))

for s, mode in [((4, 3), "reduced"), ((3, 3), "complete"), ((2, 3, 2), "reduced"),
                ((4, 2), "r")]:
    add_fn_case("linalg.qr", f"{fmt(s)}-{mode}",
                lambda a, mode=mode: L.qr(a, mode=mode) if mode != "r" else L.qr(a, mode).R,
                with_singular_values(*s[-2:], s[:-2]))

for m, n in [(3, 3), (4, 3), (3, 4)]:
    add_fn_case("linalg.pinv", f"({m},{n})", L.pinv, with_singular_values(m, n))
add_fn_case("linalg.pinv", "(3,3)-hermitian", lambda a: L.pinv(a, hermitian=True),
            with_spectrum((3, 3)) + 0.1 * np.tril(real((3, 3))))
add_fn_case("linalg.pinv", "(3,3)-orthogonal-repeated-singular-values", L.pinv,
            orthogonal((3, 3)))

for n in (0, 1, 2, 3, 5, -1, -2):
    add_fn_case("linalg.matrix_power", f"(2,3,3)-n={n}",
                lambda a, n=n: L.matrix_power(a, n), wellcond((2, 3, 3)) / 2)

for ord_ in ("fro", "nuc", 2, -2, 1, -1, float("inf"), -float("inf")):
    add_fn_case("linalg.matrix_norm", f"(2,3,4)-ord={ord_}",
                lambda a, o=ord_: L.matrix_norm(a, o), with_singular_values(3, 4, (2,)))
add_fn_case("linalg.matrix_norm", "(3,2,4)-dim=(0,2)-keep",
            lambda a: L.matrix_norm(a, 1, dim=(0, 2), keepdim=True), real((3, 2, 4)) + 2)
add_fn_case("linalg.matrix_norm", "(3,2,4)-dim=(2,0)-nuc",
            lambda a: L.matrix_norm(a, "nuc", dim=(2, 0)), with_singular_values(4, 3, (2,)).transpose(2, 0, 1))

for ord_, dim, keep in [(2, None, False), (1, -1, False), (3, (0, 1), True),
                        (float("inf"), 0, False), (-float("inf"), None, False), (0.5, 1, True)]:
    add_fn_case("linalg.vector_norm", f"(2,3)-ord={ord_}-dim={dim}-keep={keep}".replace(" ", ""),
                lambda x, o=ord_, d=dim, k=keep: L.vector_norm(x, o, d, k),
                real((2, 3)) + np.sign(real((2, 3))) * 0.5)
for ord_, dim, shape in [(None, None, (2, 3, 2)), (None, (0, 1), (2, 3)), ("nuc", None, (3, 3)),
                         (2, 1, (2, 3)), (1, None, (4,)), (-1, None, (3, 3))]:
    add_fn_case("linalg.norm", f"{fmt(shape)}-ord={ord_}-dim={dim}".replace(" ", ""),
                lambda x, o=ord_, d=dim: L.norm(x, o, d), with_singular_values(3, 3)
                if shape == (3, 3) else real(shape) + 2)
for p in (None, 2, -2, 1, "fro", float("inf")):
    add_fn_case("linalg.cond", f"(2,3,3)-p={p}", lambda a, p=p: L.cond(a, p),
                with_singular_values(3, 3, (2,)))

add_fn_case("linalg.multi_dot", "(3,)-(3,4)-(4,2)-(2,)",
            lambda *ts: L.multi_dot(ts), real((3,)), real((3, 4)), real((4, 2)), real((2,)))
add_fn_case("linalg.multi_dot", "(5,2)-(2,6)-(6,3)",
            lambda *ts: L.multi_dot(list(ts)), real((5, 2)), real((2, 6)), real((6, 3)))
add_fn_case("linalg.vecdot", "(2,3)-(3,)", L.vecdot, real((2, 3)), real((3,)))
add_fn_case("linalg.vecdot", "(3,2)-(3,2)-dim=0", lambda x, y: L.vecdot(x, y, dim=0),
            real((3, 2)), real((3, 2)))
add_fn_case("linalg.cross", "(2,3)-(3,)", L.cross, real((2, 3)), real((3,)))
add_fn_case("linalg.matmul", "(2,3)-(3,2)", L.matmul, real((2, 3)), real((3, 2)))
