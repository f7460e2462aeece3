"""Batched reverse mode: ``jacrev`` pulls all output directions back through the recorded
tape at once (``Tape.pull``) and must give what one backward pass per output element
gives (the engine, ``_row_blocks``): bit for bit where the arithmetic is the same, to
1e-12 where a batched matrix product may add in another order."""

import numpy as np
import pytest

import wengert as wg
from wengert.func import _replay, jacfwd, jacobian, jacrev, transforms

rng = np.random.default_rng(11)


def per_row(monkeypatch):
    """Make every reverse-mode Jacobian use one engine backward pass per row."""
    monkeypatch.setattr(_replay.Tape, "pullable", lambda self: False)


def both(monkeypatch, f, *args, argnums=0, exact=False):
    """``jacrev(f)`` batched and row by row; asserts they agree; returns the batched one."""
    pulls = []
    original = _replay.Tape.pull
    monkeypatch.setattr(_replay.Tape, "pull", lambda self, c: pulls.append(1) or original(self, c))
    batched = jacrev(f, argnums)(*args)
    assert pulls, "the batched path was not taken"
    with monkeypatch.context() as m:
        per_row(m)
        rows = jacrev(f, argnums)(*args)
    flat_b, flat_r = _leaves(batched), _leaves(rows)
    assert len(flat_b) == len(flat_r)
    for b, r in zip(flat_b, flat_r):
        assert type(b) is type(r) and b.shape == r.shape and b.dtype == r.dtype
        if exact:
            np.testing.assert_array_equal(b, r)
        else:
            np.testing.assert_allclose(b, r, rtol=1e-12, atol=1e-14)
    return batched


def _leaves(tree):
    if isinstance(tree, (tuple, list)):
        return [x for t in tree for x in _leaves(t)]
    if isinstance(tree, dict):
        return [x for k in sorted(tree) for x in _leaves(tree[k])]
    return [np.asarray(tree)]


def _mixed(n, m):
    """R^n -> R^m through broadcasting, reductions, matmul and indexing."""
    w = rng.standard_normal((n, m)) / np.sqrt(n)
    b = rng.standard_normal((2, m))
    pick = rng.integers(0, n, size=max(n, 2))  # repeats: the adjoint must add them up

    def f(x):
        h = wg.tanh(x @ w + b)                       # (2, m): a bias broadcast over rows
        s = (x[pick] ** 2).sum() + x[: (n + 1) // 2].mean()
        y = h[1] * wg.sigmoid(s) + h.sum(0) * 0.5    # indexing a row, a reduction
        return y - (y * y).mean(-1, keepdim=True) / 4

    return f


@pytest.mark.parametrize("n, m", [(1, 1), (3, 1000), (1000, 3), (50, 50)])
def test_batched_equals_per_row_on_the_issue_sizes(monkeypatch, n, m):
    f = _mixed(n, m)
    x = rng.standard_normal(n)
    jac = both(monkeypatch, f, x)
    assert jac.shape == (m, n)
    np.testing.assert_allclose(jac, jacfwd(f)(x), rtol=1e-10, atol=1e-12)


def test_one_pull_per_chunk_and_no_engine_pass(monkeypatch):
    from wengert.autograd import engine

    f = _mixed(3, 1000)
    calls = []
    original = _replay.Tape.pull
    monkeypatch.setattr(_replay.Tape, "pull", lambda self, c: calls.append(1) or original(self, c))
    monkeypatch.setattr(engine, "_run", lambda *a, **k: pytest.fail("engine pass"))
    jacrev(f)(rng.standard_normal(3))
    assert len(calls) == -(-1000 // transforms._CHUNK)


def test_same_bits_without_matrix_products(monkeypatch):
    x = rng.standard_normal((4, 5))
    c = rng.standard_normal(5)

    def f(x):
        y = wg.exp(x) * c + x.sum(0, keepdim=True) - x.T.reshape(20)[None, 3:8]
        return wg.sin(y)[1:3, ::2] / (1 + y.max())

    both(monkeypatch, f, x, exact=True)


@pytest.mark.parametrize("index", [
    (np.array([0, 2, 0, 3]),),                                    # repeated rows
    (slice(None), np.array([[1, 1], [4, 0]])),                     # repeats, 2-d index
    (np.array([True, False, True, True]),),                        # a boolean mask
    (Ellipsis, np.array([4, 4, 2])),                               # Ellipsis before an array
    (np.array([1, 3]), Ellipsis, np.array([0, 2])),                # arrays apart
    (None, np.array([3, 1]), slice(1, 4)),
])
def test_advanced_indexing_is_batched_and_exact(monkeypatch, index):
    x = rng.standard_normal((4, 5))
    both(monkeypatch, lambda x: x[index] * 2.0 + 1.0, x, exact=True)
    np.testing.assert_array_equal(jacfwd(lambda x: x[index] * 2.0)(x),
                                  jacrev(lambda x: x[index] * 2.0)(x))


def test_large_scatter_adds_by_flat_position_as_the_engine_does(monkeypatch):
    x = rng.standard_normal(40)
    idx = rng.integers(0, 40, size=(30, 40))  # each row's scatter has 1200 > 1000 values
    both(monkeypatch, lambda x: (x[idx] * x[idx]).sum(1), x, exact=True)
    x32 = x.astype(np.float32)
    both(monkeypatch, lambda x: (x[idx] * x[idx]).sum(1), x32, exact=True)


def test_maps_without_a_batched_adjoint_go_row_by_row_in_place(monkeypatch):
    x = rng.standard_normal((3, 4))
    a = rng.standard_normal((4, 4)) + 4 * np.eye(4)

    def f(x):
        y = wg.cumsum(x, 1).flip(0) + wg.nn.functional.softmax(x, -1)
        return wg.linalg.solve(wg.tensor(a), y.T).roll(1, 0)

    both(monkeypatch, f, x)


class _Twice(wg.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2


def test_custom_function_inside(monkeypatch):
    x = rng.standard_normal(5)
    jac = both(monkeypatch, lambda x: _Twice.apply(x.sin()).cumsum(0), x, exact=True)
    np.testing.assert_allclose(jac, np.tril(np.ones((5, 5))) * 2 * np.cos(x))


def test_pytrees_several_outputs_chunks_that_span_them_and_unused_inputs(monkeypatch):
    monkeypatch.setattr(transforms, "_CHUNK", 3)  # chunks cross output boundaries
    x, y, z = rng.standard_normal(4), rng.standard_normal((2, 3)), rng.standard_normal(2)

    def f(x, y, z):
        return {"a": x * y.sum(), "b": (y @ x[:3]), "c": wg.tensor(1.0), "d": y[0, 1]}

    jac = both(monkeypatch, f, x, y, z, argnums=(0, 1, 2), exact=True)
    assert len(_leaves(jac)) == 12
    out = jacrev(f, argnums=(0, 1, 2))(x, y, z)
    assert out["a"][1].shape == (4, 2, 3) and out["d"][1].shape == (2, 3)
    assert not np.any(out["c"][0]) and not np.any(out["a"][2])


def test_float32_and_mixed_precision(monkeypatch):
    x = rng.standard_normal(6).astype(np.float32)
    w = rng.standard_normal((6, 3))  # float64: x is promoted, the gradient cast back

    def f(x):
        return wg.astype(x, np.float64) @ w + x[:3]

    jac = both(monkeypatch, f, x)
    assert jac.dtype == np.float32


def test_complex_intermediates(monkeypatch):
    x = rng.standard_normal(4)

    def f(x):
        z = x * (1 + 2j) + wg.tensor(np.arange(4.0) * 1j)
        return wg.abs(z * z.conj() + z) + wg.real(z).sum()

    both(monkeypatch, f, x, exact=True)


def test_hooks_on_the_tape_fall_back_to_one_pass_per_row():
    seen = []

    def f(x):
        h = x * 3
        h.register_hook(lambda g: seen.append(g.shape))
        return h.sum() * x

    jac = jacrev(f)(rng.standard_normal(4))
    assert len(seen) == 4 and jac.shape == (4, 4)

    def on_input(x):
        x.register_hook(lambda g: g * 10)
        return x * 2

    np.testing.assert_array_equal(jacrev(on_input)(np.ones(3)), 20 * np.eye(3))


def test_inside_enclosing_transforms_the_recorded_path_stays(monkeypatch):
    x = rng.standard_normal(3)

    def f(x):
        return (x ** 3).sum() + x[0] * x[2]

    h1 = jacfwd(jacrev(f))(x)
    h2 = jacrev(jacrev(f))(x)
    expected = np.diag(6 * x)
    expected[0, 2] = expected[2, 0] = 1.0
    np.testing.assert_allclose(h1, expected, rtol=1e-12)
    np.testing.assert_allclose(h2, expected, rtol=1e-12)
    g = wg.func.grad(lambda x: jacrev(lambda y: y * x.sum())(x).sum())(x)
    np.testing.assert_allclose(g, np.full(3, 3.0), rtol=1e-12)  # d/dx sum(sum(x) I)


def test_auto_mode_uses_the_batched_pull(monkeypatch):
    calls = []
    original = _replay.Tape.pull
    monkeypatch.setattr(_replay.Tape, "pull", lambda self, c: calls.append(1) or original(self, c))
    f = _mixed(1000, 3)
    x = rng.standard_normal(1000)
    np.testing.assert_array_equal(jacobian(f)(x), jacrev(f)(x))
    assert len(calls) == 2


def test_nn_layers_weight_and_input_jacobians(monkeypatch):
    F = wg.nn.functional
    x = rng.standard_normal((5, 4))
    w, b = rng.standard_normal((3, 4)), rng.standard_normal(3)

    def f(x, w, b):
        return F.log_softmax(F.linear(x, w, b), -1) + F.softmax(F.linear(x, w), 0)

    jac = both(monkeypatch, f, x, w, b, argnums=(0, 1, 2))
    assert [j.shape for j in jac] == [(5, 3, 5, 4), (5, 3, 3, 4), (5, 3, 3)]
