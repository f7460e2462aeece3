"""Complex cases for ``wg.linalg``: swept against finite differences (real and imaginary
parts, both modes, to second order) and compared with PyTorch (values, gradients and
second derivatives) by ``tests/test_reference_complex_linalg.py``.

Each case is ``(qualified name, label, make, call)`` as in ``_complex_table``:
``make(gen)`` builds complex128 inputs from a generator with ``uniform(lo, hi, shape)``;
``call(L, *xs)`` applies the function with ``L`` either ``wengert`` or ``torch``.

Every output is a function of the input that both libraries define the same way:
eigen- and singular vectors enter only through gauge-invariant quantities
(``V diag(f(w)) V^H``, ``U S Vh``, ``|U|``), since each vector is unique only up
to a phase; Hermitian inputs are built inside the call (``x + x^H``), since the two
libraries' gradients differ off the triangle they read (see ``decompositions``).
"""

from __future__ import annotations

import math

import numpy as np

from ._complex_table import C, _Generator

CASES: list = []


def case(name, label, make, call):
    CASES.append((name, label, make, call))


def wellcond(g, *shape):
    """Matrices kept away from singular (a dominant diagonal)."""
    return C(g, *shape) + 2.0 * np.eye(shape[-1])


def unitary(g, *shape):
    return np.linalg.qr(C(g, *shape))[0]


def with_singular_values(g, m, n, *batch):
    """m x n matrices with distinct singular values, at least 0.5 and 0.3 apart."""
    k = min(m, n)
    u, v = unitary(g, *batch, m, k), unitary(g, *batch, n, k)
    s = 0.5 + 0.4 * np.arange(k)[::-1] + g.uniform(0.0, 0.1, batch + (k,))
    return (u * s[..., None, :]) @ np.conj(np.swapaxes(v, -1, -2))


def with_spectrum(g, n, *batch):
    """Matrices ``x`` whose Hermitian part ``(x + x^H) / 2`` has eigenvalues 0.4 apart, plus
    an anti-Hermitian part that the decompositions ignore."""
    q = unitary(g, *batch, n, n)
    w = -1.0 + 0.5 * np.arange(n) + g.uniform(0.0, 0.1, batch + (n,))
    h = (q * w[..., None, :]) @ np.conj(np.swapaxes(q, -1, -2))
    noise = C(g, *batch, n, n)
    return h + 0.3 * (noise - np.conj(np.swapaxes(noise, -1, -2)))


def _h(L, x):
    return L.conj(x.mT)


def _hermitian(L, x):
    return (x + _h(L, x)) * 0.5


def _hpd(L, x):
    return x @ _h(L, x) + L.eye(x.shape[-1], dtype=x.dtype)


def _eigh_invariant(L, x):
    w, v = L.linalg.eigh(_hermitian(L, x))
    return (v * L.exp(w).unsqueeze(-2)) @ _h(L, v) + L.abs(v)


def _svd_invariant(L, x, full=False):
    u, s, vh = L.linalg.svd(x, full_matrices=full)
    k = s.shape[-1]
    return ((u[..., :k] * s.unsqueeze(-2)) @ vh[..., :k, :], L.abs(u), L.abs(vh))


INF = math.inf
_la = "linalg."

# -- inverses and solves -------------------------------------------------------------------
case(_la + "inv", "c(3,3)", lambda g: [wellcond(g, 3, 3)], lambda L, a: L.linalg.inv(a))
case(_la + "inv", "c(2,3,3)", lambda g: [wellcond(g, 2, 3, 3)], lambda L, a: L.linalg.inv(a))
case(_la + "solve", "c(2,3,3)-(3,2)", lambda g: [wellcond(g, 2, 3, 3), C(g, 3, 2)],
     lambda L, a, b: L.linalg.solve(a, b))
case(_la + "solve", "c(3,3)-(3,)", lambda g: [wellcond(g, 3, 3), C(g, 3)],
     lambda L, a, b: L.linalg.solve(a, b))
case(_la + "solve", "c(3,3)-(2,3)-right", lambda g: [wellcond(g, 3, 3), C(g, 2, 3)],
     lambda L, a, b: L.linalg.solve(a, b, left=False))
for _upper, _left, _unit in [(True, True, False), (False, True, False), (True, False, False),
                             (False, False, True)]:
    case(_la + "solve_triangular", f"c-upper={_upper}-left={_left}-unit={_unit}",
         lambda g, left=_left: [wellcond(g, 2, 3, 3), C(g, *((3, 2) if left else (2, 3)))],
         lambda L, a, b, u=_upper, left=_left, unit=_unit: L.linalg.solve_triangular(
             a, b, upper=u, left=left, unitriangular=unit))

# -- determinants ----------------------------------------------------------------------------
case(_la + "det", "c(2,3,3)", lambda g: [wellcond(g, 2, 3, 3)], lambda L, a: L.linalg.det(a))
case(_la + "det", "c(3,3)-near-singular-rank2", lambda g: [C(g, 3, 2) @ C(g, 2, 3)],
     lambda L, a: L.linalg.det(a))
case(_la + "slogdet", "c(2,3,3)-sign", lambda g: [wellcond(g, 2, 3, 3)],
     lambda L, a: L.linalg.slogdet(a).sign)
case(_la + "slogdet", "c(2,3,3)-logabsdet", lambda g: [wellcond(g, 2, 3, 3)],
     lambda L, a: L.linalg.slogdet(a).logabsdet)

# -- matrix functions ------------------------------------------------------------------------
for _n in (0, 3, -2):
    case(_la + "matrix_power", f"c(2,3,3)-n={_n}", lambda g: [wellcond(g, 2, 3, 3) / 2],
         lambda L, a, n=_n: L.linalg.matrix_power(a, n))
case(_la + "matrix_exp", "c(3,3)", lambda g: [C(g, 3, 3)], lambda L, a: L.linalg.matrix_exp(a))
case(_la + "matrix_exp", "c(2,3,3)-large-norm", lambda g: [3 * C(g, 2, 3, 3)],
     lambda L, a: L.linalg.matrix_exp(a))

# -- norms -----------------------------------------------------------------------------------
for _ord, _dim in [(2, None), (1, -1), (INF, 0), (3, (0, 1)), (0.5, 1), (-INF, None)]:
    case(_la + "vector_norm", f"c(2,3)-ord={_ord}-dim={_dim}".replace(" ", ""),
         lambda g: [C(g, 2, 3) + 0.5],
         lambda L, x, o=_ord, d=_dim: L.linalg.vector_norm(x, o, d))
for _ord in ("fro", "nuc", 2, -2, 1, -1, INF, -INF):
    case(_la + "matrix_norm", f"c(2,3,4)-ord={_ord}",
         lambda g: [with_singular_values(g, 3, 4, 2)],
         lambda L, a, o=_ord: L.linalg.matrix_norm(a, o))
for _ord, _dim in [(None, None), ("nuc", None), (1, None)]:
    case(_la + "norm", f"c(3,3)-ord={_ord}-dim={_dim}",
         lambda g: [with_singular_values(g, 3, 3)],
         lambda L, a, o=_ord, d=_dim: L.linalg.norm(a, o, d))
for _p in (None, -2, "fro", 1):
    case(_la + "cond", f"c(2,3,3)-p={_p}", lambda g: [with_singular_values(g, 3, 3, 2)],
         lambda L, a, p=_p: L.linalg.cond(a, p))

# -- decompositions --------------------------------------------------------------------------
case(_la + "cholesky", "c(2,3,3)-of-hpd", lambda g: [C(g, 2, 3, 3)],
     lambda L, x: L.linalg.cholesky(_hpd(L, x)))
case(_la + "cholesky", "c(3,3)-upper-of-hpd", lambda g: [C(g, 3, 3)],
     lambda L, x: L.linalg.cholesky(_hpd(L, x), upper=True))
case(_la + "eigvalsh", "c(2,3,3)", lambda g: [with_spectrum(g, 3, 2)],
     lambda L, x: L.linalg.eigvalsh(_hermitian(L, x)))
case(_la + "eigvalsh", "c(3,3)-UPLO=U", lambda g: [with_spectrum(g, 3)],
     lambda L, x: L.linalg.eigvalsh(_hermitian(L, x), UPLO="U"))
case(_la + "eigh", "c(3,3)-gauge-invariant", lambda g: [with_spectrum(g, 3)], _eigh_invariant)
case(_la + "eigh", "c(2,3,3)-eigenvalues", lambda g: [with_spectrum(g, 3, 2)],
     lambda L, x: L.linalg.eigh(_hermitian(L, x)).eigenvalues)
for _m, _n, _batch in [(3, 3, ()), (4, 3, ()), (3, 4, ()), (3, 2, (2,))]:
    _shape = "c(" + ",".join(map(str, _batch + (_m, _n))) + ")"
    case(_la + "svd", f"{_shape}-gauge-invariant",
         lambda g, m=_m, n=_n, b=_batch: [with_singular_values(g, m, n, *b)],
         lambda L, a: _svd_invariant(L, a)[0])
    case(_la + "svd", f"{_shape}-|U|@|Vh|",
         lambda g, m=_m, n=_n, b=_batch: [with_singular_values(g, m, n, *b)],
         lambda L, a: _svd_invariant(L, a)[1] @ _svd_invariant(L, a)[2])
    case(_la + "svdvals", _shape,
         lambda g, m=_m, n=_n, b=_batch: [with_singular_values(g, m, n, *b)],
         lambda L, a: L.linalg.svdvals(a))
case(_la + "svd", "c(3,3)-full-gauge-invariant", lambda g: [with_singular_values(g, 3, 3)],
     lambda L, a: _svd_invariant(L, a, True)[0] + _svd_invariant(L, a, True)[1])
for _shape, _mode in [((4, 3), "reduced"), ((3, 3), "complete"), ((2, 3, 2), "reduced")]:
    case(_la + "qr", "c(" + ",".join(map(str, _shape)) + f")-{_mode}-Q",
         lambda g, s=_shape: [with_singular_values(g, *s[-2:], *s[:-2])],
         lambda L, a, mode=_mode: L.linalg.qr(a, mode=mode).Q)
    case(_la + "qr", "c(" + ",".join(map(str, _shape)) + f")-{_mode}-R",
         lambda g, s=_shape: [with_singular_values(g, *s[-2:], *s[:-2])],
         lambda L, a, mode=_mode: L.linalg.qr(a, mode=mode).R)
for _m, _n in [(3, 3), (4, 3), (3, 4)]:
    case(_la + "pinv", f"c({_m},{_n})", lambda g, m=_m, n=_n: [with_singular_values(g, m, n)],
         lambda L, a: L.linalg.pinv(a))
case(_la + "pinv", "c(3,3)-hermitian", lambda g: [with_spectrum(g, 3)],
     lambda L, x: L.linalg.pinv(_hermitian(L, x), hermitian=True))
case(_la + "lstsq", "c(4,3)-(4,2)-solution", lambda g: [with_singular_values(g, 4, 3), C(g, 4, 2)],
     lambda L, a, b: L.linalg.lstsq(a, b).solution)
case(_la + "lstsq", "c(2,3,3)-(2,3,2)-square", lambda g: [wellcond(g, 2, 3, 3), C(g, 2, 3, 2)],
     lambda L, a, b: L.linalg.lstsq(a, b).solution)

# Compared with PyTorch at first order only: at a singular matrix PyTorch's second
# derivative of a complex det disagrees with its own first derivative (finite differences
# of it); ours passes gradgradcheck there.
TORCH_FIRST_ORDER_ONLY = {(_la + "det", "c(3,3)-near-singular-rank2")}

# Not compared with PyTorch: its matrix_power(A, 0) is not connected to A (no gradient at
# all; ours is 0), and its complex cond with p='fro' or 1 fails in backward (an in-place
# change of the output of inv).
NO_TORCH_REFERENCE = {(_la + "matrix_power", "c(2,3,3)-n=0"), (_la + "cond", "c(2,3,3)-p=fro"),
                      (_la + "cond", "c(2,3,3)-p=1")}

# Only here (PyTorch computes no residuals for complex input on CPU's default driver, and
# its gradient of a direct Hermitian input differs off the triangle that is read).
WENGERT_ONLY = [
    (_la + "lstsq", "c(4,3)-(4,2)-residuals",
     lambda g: [with_singular_values(g, 4, 3), C(g, 4, 2)],
     lambda L, a, b: L.linalg.lstsq(a, b).residuals),
    (_la + "cholesky", "c(3,3)-reads-lower",
     lambda g: [(lambda x: x @ np.conj(x.T) + np.eye(3) + 0.1 * C(g, 3, 3))(C(g, 3, 3))],
     lambda L, a: L.linalg.cholesky(a)),
    (_la + "eigh", "c(3,3)-UPLO=U-reads-upper", lambda g: [with_spectrum(g, 3)],
     lambda L, a: L.linalg.eigh(a, UPLO="U").eigenvalues),
    (_la + "pinv", "c(3,3)-hermitian-reads-lower", lambda g: [with_spectrum(g, 3)],
     lambda L, a: L.linalg.pinv(a, hermitian=True)),
]


def _register():
    import wengert as wg

    from ._common import add_fn_case

    for name, label, make, call in CASES + WENGERT_ONLY:
        arrays = [np.asarray(a, dtype=np.complex128) for a in make(_Generator)]
        add_fn_case(name, label, (lambda c: lambda *xs: c(wg, *xs))(call), *arrays)


def _primitives():
    """The primitives themselves on complex input, against finite differences of their NumPy
    forward: the eigen- and singular vectors come with a fixed phase, so even their
    phase-dependent outputs are functions the sweep can difference (this checks the
    rules' phase terms, which gauge-invariant losses do not see)."""
    from ._common import add_case

    g = _Generator
    for shape in [(3, 3), (2, 3, 3)]:
        lab = "c(" + ",".join(map(str, shape)) + ")"
        add_case("inv", lab, wellcond(g, *shape))
        add_case("det", lab, wellcond(g, *shape))
        add_case("logdet", lab, wellcond(g, *shape))
        add_case("cofactor", lab, wellcond(g, *shape))
        add_case("matrix_exp", lab, C(g, *shape))
        add_case("cholesky", lab, (lambda x: x @ np.conj(np.swapaxes(x, -1, -2)))(C(g, *shape))
                 + np.eye(3) + 0.1 * C(g, *shape))
        add_case("eigh", lab, with_spectrum(g, 3, *shape[:-2]), tol=1e-5)
        rhs = shape[:-1] + (2,)
        add_case("solve", f"{lab}-rhs(2)", wellcond(g, *shape), C(g, *rhs))
        for upper, unit in [(False, False), (True, True)]:
            add_case("solve_triangular", f"{lab}-rhs(2)-upper={upper}-unit={unit}",
                     wellcond(g, *shape), C(g, *rhs), params=(upper, unit))
    for m, n, batch, full in [(3, 3, (), True), (4, 3, (), False), (3, 4, (), False),
                              (3, 2, (2,), False)]:
        add_case("svd", "c(" + ",".join(map(str, batch + (m, n))) + f")-full={full}",
                 with_singular_values(g, m, n, *batch), params=(full,), tol=1e-4)
    for m, n, complete in [(4, 3, False), (3, 3, True)]:
        add_case("qr", f"c({m},{n})-complete={complete}", with_singular_values(g, m, n),
                 params=(complete,), tol=1e-5)
    for m, n in [(3, 3), (4, 3), (3, 4)]:
        add_case("pinv", f"c({m},{n})", with_singular_values(g, m, n),
                 params=(0.0, 1e-12, False), tol=1e-5)
    add_case("pinv", "c(3,3)-hermitian-part", with_spectrum(g, 3), params=(0.0, 1e-12, True),
             tol=1e-5)


_register()
_primitives()
