"""Linear algebra and contractions against PyTorch: values, first- and second-order gradients.

Each case is written once against a module ``m`` (``wengert`` or ``torch``), so
the same program runs on both. Decompositions are compared on gauge-invariant
functions of their outputs (singular/eigen vectors are unique up to sign, and
wengert fixes a sign where LAPACK leaves it free).

Deliberate differences from PyTorch, tested below:

* ``det`` of an exactly singular matrix whose LU meets an exact zero pivot
  (``[[1, 2], [2, 4]]``): PyTorch's gradient is 0, ours is the true derivative,
  the cofactor matrix ``[[4, -2], [-2, 1]]``.
* ``cholesky``/``eigh`` on a non-symmetric input: the forward reads one
  triangle, as PyTorch; our gradient is the exact derivative of that (it lives
  on the triangle), PyTorch's is symmetrized. They agree after symmetrizing ours,
  i.e. on every symmetric perturbation.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")

rng = np.random.default_rng(31)


def real(*shape):
    return rng.uniform(-1, 1, shape)


def wellcond(*shape):
    return real(*shape) + 2 * np.eye(shape[-1])


def spd(*shape):
    x = real(*shape)
    return x @ np.swapaxes(x, -1, -2) + np.eye(shape[-1])


def symmetric(*shape):
    x = real(*shape)
    return x + np.swapaxes(x, -1, -2)


def _eigh_inv(m, a):
    w, v = m.linalg.eigh(a + a.mT)  # (a symmetric function: see the module docstring)
    return w, (v * m.exp(w).unsqueeze(-2)) @ v.mT, m.abs(v)


def _svd_inv(m, a):
    u, s, vh = m.linalg.svd(a, full_matrices=False)
    return (u * s.unsqueeze(-2)) @ vh, s, m.abs(u), m.abs(vh)


INF = math.inf
CASES = [
    ("inv", lambda m, a: m.linalg.inv(a), [wellcond(2, 3, 3)]),
    ("det", lambda m, a: m.linalg.det(a), [wellcond(2, 3, 3)]),
    ("det-near-singular-rank2", lambda m, a: m.linalg.det(a), [real(3, 2) @ real(2, 3)]),
    ("slogdet", lambda m, a: m.linalg.slogdet(a).logabsdet, [wellcond(2, 3, 3) * [[-1], [1], [1]]]),
    ("solve-matrix", lambda m, a, b: m.linalg.solve(a, b), [wellcond(2, 3, 3), real(3, 2)]),
    ("solve-vector", lambda m, a, b: m.linalg.solve(a, b), [wellcond(3, 3), real(3)]),
    ("solve-batched-vector", lambda m, a, b: m.linalg.solve(a, b), [wellcond(2, 3, 3), real(2, 3)]),
    ("solve-right", lambda m, a, b: m.linalg.solve(a, b, left=False),
     [wellcond(3, 3), real(2, 3)]),
    ("solve_triangular-upper", lambda m, a, b: m.linalg.solve_triangular(a, b, upper=True),
     [wellcond(3, 3), real(3, 2)]),
    ("solve_triangular-lower-right-unit", lambda m, a, b: m.linalg.solve_triangular(
        a, b, upper=False, left=False, unitriangular=True), [wellcond(2, 3, 3), real(2, 3)]),
    ("cholesky-of-symmetric", lambda m, x: m.linalg.cholesky(x @ x.mT + m.eye(3, dtype=x.dtype)),
     [real(2, 3, 3)]),
    ("cholesky-upper-of-symmetric", lambda m, x: m.linalg.cholesky(
        x @ x.mT + m.eye(3, dtype=x.dtype), upper=True), [real(3, 3)]),
    ("qr-reduced", lambda m, a: m.linalg.qr(a), [real(4, 3)]),
    ("qr-square", lambda m, a: m.linalg.qr(a), [real(2, 3, 3)]),
    ("eigvalsh-of-symmetric", lambda m, a: m.linalg.eigvalsh(a + a.mT), [real(2, 3, 3)]),
    ("eigh-of-symmetric-gauge-invariant", _eigh_inv, [real(3, 3)]),
    ("svd-gauge-invariant-tall", _svd_inv, [real(4, 3)]),
    ("svd-gauge-invariant-wide", _svd_inv, [real(2, 3, 4)]),
    ("svdvals", lambda m, a: m.linalg.svdvals(a), [real(3, 4)]),
    ("pinv-tall", lambda m, a: m.linalg.pinv(a), [real(4, 3)]),
    ("pinv-hermitian-of-symmetric", lambda m, a: m.linalg.pinv(a + a.mT, hermitian=True),
     [real(3, 3)]),
    ("lstsq-solution", lambda m, a, b: m.linalg.lstsq(a, b).solution, [real(4, 3), real(4, 2)]),
    ("matrix_exp", lambda m, a: m.linalg.matrix_exp(a), [2 * real(2, 3, 3)]),
    ("matrix_power-3", lambda m, a: m.linalg.matrix_power(a, 3), [real(3, 3)]),
    ("matrix_power--2", lambda m, a: m.linalg.matrix_power(a, -2), [wellcond(3, 3)]),
    ("multi_dot", lambda m, a, b, c: m.linalg.multi_dot([a, b, c]),
     [real(3), real(3, 4), real(4, 2)]),
    ("vecdot", lambda m, a, b: m.linalg.vecdot(a, b), [real(2, 3), real(3)]),
    ("linalg.cross", lambda m, a, b: m.linalg.cross(a, b), [real(2, 3), real(1, 3)]),
    ("cond", lambda m, a: m.linalg.cond(a), [wellcond(3, 3)]),
    ("cond-1", lambda m, a: m.linalg.cond(a, 1), [wellcond(3, 3)]),
    ("vector_norm-3-dim", lambda m, a: m.linalg.vector_norm(a, 3, dim=1), [real(2, 3)]),
    ("norm-flat", lambda m, a: m.linalg.norm(a), [real(2, 3, 2)]),
    ("norm-nuc", lambda m, a: m.linalg.norm(a, "nuc"), [real(3, 3)]),
    ("einsum-trace", lambda m, a: m.einsum("ii", a), [real(3, 3)]),
    ("einsum-diag", lambda m, a: m.einsum("iij->ji", a), [real(2, 2, 3)]),
    ("einsum-ellipsis-broadcast", lambda m, a, b: m.einsum("...ij,...jk->...ik", a, b),
     [real(2, 2, 3), real(1, 3, 2)]),
    ("einsum-implicit", lambda m, a, b: m.einsum("ba,ac", a, b), [real(2, 3), real(3, 2)]),
    ("einsum-chain4", lambda m, a, b, c, d: m.einsum("ab,bc,cd,de->ae", a, b, c, d),
     [real(2, 3), real(3, 4), real(4, 2), real(2, 3)]),
    ("tensordot", lambda m, a, b: m.tensordot(a, b, dims=([1, 0], [0, 2])),
     [real(3, 2, 2), real(2, 4, 3)]),
    ("inner", lambda m, a, b: m.inner(a, b), [real(2, 3), real(4, 3)]),
    ("outer", lambda m, a, b: m.outer(a, b), [real(3), real(2)]),
    ("vdot", lambda m, a, b: m.vdot(a, b), [real(4), real(4)]),
    ("kron", lambda m, a, b: m.kron(a, b), [real(2, 3), real(3, 2)]),
    ("cross", lambda m, a, b: m.cross(a, b, dim=0), [real(3, 2), real(3, 2)]),
]
for _o in ("fro", "nuc", 2, -2, 1, -1, INF, -INF):
    CASES.append((f"matrix_norm-{_o}", lambda m, a, o=_o: m.linalg.matrix_norm(a, o),
                  [real(2, 3, 4)]))


def _outputs(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _grads(m, fn, arrays, seed):
    """Values, gradients of <u, out> and gradients of <grad, w> (second order)."""
    r = np.random.default_rng(seed)
    if m is torch:
        xs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays]
        outs = [o for o in _outputs(fn(torch, *xs)) if o.requires_grad]
        vals = [o.detach().numpy() for o in outs]
        loss = sum((o * torch.tensor(r.standard_normal(o.shape))).sum() for o in outs)
        gs = torch.autograd.grad(loss, xs, create_graph=True)
        s = sum((g * torch.tensor(r.standard_normal(g.shape))).sum() for g in gs)
        hs = torch.autograd.grad(s, xs, allow_unused=True) if s.requires_grad else [None] * len(xs)
        return vals, [g.detach().numpy() for g in gs], [
            np.zeros(a.shape) if h is None else h.numpy(force=True) for h, a in zip(hs, arrays)]
    xs = [wg.tensor(a, dtype=wg.float64, requires_grad=True) for a in arrays]
    outs = [o for o in _outputs(fn(wg, *xs)) if o.requires_grad]
    vals = [o.detach().numpy() for o in outs]
    loss = sum((o * wg.tensor(r.standard_normal(o.shape))).sum() for o in outs)
    gs = wg.grad(loss, xs, create_graph=True)
    s = sum((g * wg.tensor(r.standard_normal(g.shape))).sum() for g in gs)
    hs = wg.grad(s, xs, allow_unused=True) if s.requires_grad else [None] * len(xs)
    return vals, [g.detach().numpy() for g in gs], [
        np.zeros(a.shape) if h is None else h.numpy() for h, a in zip(hs, arrays)]


TORCH_FAILS_BACKWARD = {"cond-1"}  # its backward trips on an in-place op in inv_ex


@pytest.mark.parametrize(("name", "fn", "arrays"), CASES, ids=[c[0] for c in CASES])
def test_values_and_gradients_match_torch(name, fn, arrays):
    ours = _grads(wg, fn, arrays, 1)
    if name in TORCH_FAILS_BACKWARD:  # values only (the FD sweep checks our derivatives)
        with pytest.raises(RuntimeError, match="inplace"):
            _grads(torch, fn, arrays, 1)
        theirs = ([fn(torch, *(torch.tensor(a) for a in arrays)).numpy()], None, None)
    else:
        theirs = _grads(torch, fn, arrays, 1)
    for what, a, b in zip(("value", "gradient", "second-order gradient"), ours, theirs):
        if b is None:
            continue
        assert len(a) == len(b), what
        for x, y in zip(a, b):
            np.testing.assert_allclose(x, y, rtol=1e-7, atol=1e-9, err_msg=f"{name}: {what}")


def test_matrix_rank_matches_torch():
    a = np.stack([real(3, 2) @ real(2, 4), real(3, 4)])
    assert wg.linalg.matrix_rank(wg.tensor(a)).tolist() == torch.linalg.matrix_rank(
        torch.tensor(a)).tolist()
    s = symmetric(3, 3)
    s[:, 0] = s[0, :] = 0
    assert int(wg.linalg.matrix_rank(wg.tensor(s), hermitian=True).item()) == 2


# -- convention points -------------------------------------------------------------------


def _grad(fn, a, m=wg):
    if m is torch:
        x = torch.tensor(a, dtype=torch.float64, requires_grad=True)
        fn(x).sum().backward()
        return x.grad.numpy()
    x = wg.tensor(a, dtype=wg.float64, requires_grad=True)
    fn(x).sum().backward()
    return x.grad.numpy()


def test_det_of_an_exactly_singular_matrix_is_the_cofactor_matrix():
    a = np.array([[1.0, 2.0], [2.0, 4.0]])
    ours = _grad(wg.linalg.det, a)
    np.testing.assert_allclose(ours, [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)
    # PyTorch returns 0 here (a deliberate difference, see the module docstring)
    np.testing.assert_allclose(_grad(torch.linalg.det, a, torch), 0.0)
    # the zero matrix (rank n-2): both give 0; a rank-1 3x3: the cofactors vanish too
    for z in (np.zeros((2, 2)), np.zeros((3, 3)), np.outer([1.0, 2, 3], [1.0, -1, 2])):
        np.testing.assert_allclose(_grad(wg.linalg.det, z), _grad(torch.linalg.det, z, torch),
                                   atol=1e-12)


def test_norms_at_zero_have_zero_gradient():
    for fn in (lambda m: m.linalg.vector_norm, lambda m: m.linalg.norm,
               lambda m: m.linalg.matrix_norm):
        z = np.zeros((2, 3))
        np.testing.assert_array_equal(_grad(fn(wg), z), _grad(fn(torch), z, torch))
        assert np.all(np.isfinite(_grad(fn(wg), z)))


def test_eigenvalues_of_a_repeated_eigenvalue_have_finite_exact_gradients():
    a = np.eye(3) * 2.0
    for fn in (lambda m: m.linalg.eigvalsh, lambda m: (lambda x: m.linalg.eigh(x)[0])):
        ours, theirs = _grad(fn(wg), a), _grad(fn(torch), a, torch)
        np.testing.assert_allclose(ours, theirs, atol=1e-12)  # d tr(A) = I


@pytest.mark.parametrize("name", ["cholesky", "eigvalsh"])
def test_triangle_gradients_symmetrize_to_torchs(name):
    a = spd(3, 3) + 0.3 * np.triu(real(3, 3), 1)  # the upper triangle is not read
    fn = (lambda m: m.linalg.cholesky) if name == "cholesky" else (lambda m: m.linalg.eigvalsh)
    ours, theirs = _grad(fn(wg), a), _grad(fn(torch), a, torch)
    np.testing.assert_allclose(np.triu(ours, 1), 0.0)  # the gradient lives on the triangle read
    np.testing.assert_allclose((ours + ours.T) / 2, theirs, rtol=1e-9, atol=1e-12)


def test_float32_values_match_torch():
    a = wellcond(3, 3).astype(np.float32)
    for fn in (lambda m, x: m.linalg.inv(x), lambda m, x: m.linalg.det(x),
               lambda m, x: m.linalg.matrix_exp(x), lambda m, x: m.linalg.svdvals(x)):
        ours = fn(wg, wg.tensor(a))
        assert ours.dtype == np.float32
        np.testing.assert_allclose(ours.numpy(), fn(torch, torch.tensor(a)).numpy(), rtol=1e-5)


def test_tensor_methods():
    a = wellcond(3, 3)
    t, ta = wg.tensor(a), torch.tensor(a)
    for name in ("det", "inverse", "matrix_exp", "pinverse"):
        np.testing.assert_allclose(getattr(t, name)().numpy(), getattr(ta, name)().numpy(),
                                   rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(t.matrix_power(3).numpy(), ta.matrix_power(3).numpy(), rtol=1e-10)
    np.testing.assert_allclose(t.slogdet().logabsdet.numpy(), ta.slogdet().logabsdet.numpy())
