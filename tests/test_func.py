"""wg.func: the function transforms, checked against finite differences and each other."""

from collections import namedtuple

import numpy as np
import pytest

import wengert as wg
from wengert.func import (
    _replay,
    grad,
    grad_and_value,
    hessian,
    hvp,
    jacfwd,
    jacobian,
    jacrev,
    jvp,
    linearize,
    transforms,
    vjp,
)

rng = np.random.default_rng(4)


def seed_f(x1, x2):
    return wg.log(x1) + x1 * x2 - wg.sin(x2)


# -- seed 001: forward vs reverse mode on f(x1, x2) = ln x1 + x1 x2 - sin x2 at (2, 5) ----


def test_seed_001_forward_mode_one_direction_per_pass():
    assert jvp(seed_f, (2.0, 5.0), (1.0, 0.0)) == (pytest.approx(11.652071455223084), 5.5)
    assert jvp(seed_f, (2.0, 5.0), (0.0, 1.0))[1] == 1.7163378145367738


def test_seed_001_reverse_mode_both_in_one_pass():
    out, vjp_fn = vjp(seed_f, 2.0, 5.0)
    assert vjp_fn(1.0) == (5.5, 1.7163378145367738)
    assert grad(seed_f, argnums=(0, 1))(2.0, 5.0) == (5.5, 1.7163378145367738)


# -- Jacobians: jacfwd == jacrev == jacobian(auto) == finite differences -----------------


def _mlp_like(n, m):
    """R^n -> R^m with broadcasting and matrix products inside."""
    w1 = rng.standard_normal((n, 16)) / np.sqrt(n)
    b1 = rng.standard_normal((1, 16))
    w2 = rng.standard_normal((16, m)) / 4

    def f(x):
        h = wg.tanh(x[None, :] @ w1 + b1)  # (1, 16), a row broadcast against a bias
        y = (h @ w2).reshape(m) * wg.sigmoid(x.sum()) + x.mean() * 0.5
        return y * wg.exp(-y * y / 10)

    return f


def _fd_jacobian(f, x, eps=1e-6):
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = eps
        cols.append((np.asarray(f(wg.tensor(x + e))._data) - np.asarray(f(wg.tensor(x - e))._data))
                    / (2 * eps))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("n, m", [(1, 1), (3, 1000), (1000, 3), (50, 50)])
def test_jacobians_agree_with_each_other_and_finite_differences(n, m):
    f = _mlp_like(n, m)
    x = rng.standard_normal(n)
    fwd, rev, auto = jacfwd(f)(x), jacrev(f)(x), jacobian(f)(x)
    assert type(fwd) is np.ndarray and fwd.shape == (m, n)
    np.testing.assert_allclose(fwd, rev, rtol=1e-12, atol=1e-14)
    np.testing.assert_array_equal(auto, fwd if n < m else rev)
    np.testing.assert_allclose(fwd, _fd_jacobian(f, x), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("n, m, expected", [(3, 1000, "forward"), (1000, 3, "reverse"),
                                            (50, 50, "reverse"), (2, 5, "forward")])
def test_auto_mode_picks_the_cheaper_mode(monkeypatch, n, m, expected):
    used = []
    for name, mode in [("_replay_blocks", "forward"), ("_reverse_blocks", "reverse")]:
        original = getattr(transforms, name)
        monkeypatch.setattr(transforms, name,
                            lambda *a, _o=original, _m=mode: used.append(_m) or _o(*a))
    jacobian(_mlp_like(n, m))(rng.standard_normal(n))
    assert used == [expected]


def test_forced_modes_and_bad_mode():
    f = _mlp_like(4, 2)
    x = rng.standard_normal(4)
    np.testing.assert_allclose(jacobian(f, mode="forward")(x), jacobian(f, mode="reverse")(x),
                               rtol=1e-12)
    with pytest.raises(ValueError, match="mode must be one of"):
        jacobian(f, mode="sideways")


def test_batched_tangents_equal_one_direction_at_a_time(monkeypatch):
    f = _mlp_like(7, 5)
    x = rng.standard_normal(7)
    batched = jacfwd(f)(x)

    def refuse(*args):
        raise _replay.NotBatchable("test")

    monkeypatch.setattr(_replay, "_apply_batched", refuse)
    np.testing.assert_array_equal(jacfwd(f)(x), batched)


@pytest.mark.parametrize("fn", [
    lambda x: (x.reshape(2, 3).t() @ x.reshape(2, 3)).sum(0),  # reshape, permute, matmul
    lambda x: wg.cat([x[1:4], x[:2] * 2.0]) * x.max(),           # slicing, cat, a max
    lambda x: wg.broadcast_to(x.reshape(6, 1), (6, 3)).sum(1) + x.reshape(2, 3).sum(),
    lambda x: wg.where(x > 0, x, x * x) @ wg.tensor(np.ones((6, 2))),
    lambda x: wg.tensor(np.arange(6.0)) @ x.reshape(6, 1).expand(6, 3) + wg.astype(x, np.float32)[:3],
    lambda x: (wg.tensor(np.ones((4, 2, 6))) @ x).sum(0),        # a batched matmul, vector
])
def test_jacfwd_through_shape_maps_matches_jacrev(fn):
    x = rng.standard_normal(6)
    np.testing.assert_allclose(jacfwd(fn)(x), jacrev(fn)(x), rtol=1e-6, atol=1e-7)


# -- second and higher order -----------------------------------------------------------


_A = rng.standard_normal((4, 4))


def _scalar(x):
    return wg.sin(x) @ wg.tensor(_A + _A.T) @ wg.cos(x) + (x ** 3).sum() * wg.exp(x).sum()


def test_hessian_is_symmetric_and_equals_the_other_compositions():
    f = _scalar
    x = rng.standard_normal(4)
    h = hessian(f)(x)
    assert h.shape == (4, 4)
    np.testing.assert_allclose(h, h.T, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h, jacfwd(jacrev(f))(x), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h, jacrev(jacrev(f))(x), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h, jacfwd(jacfwd(f))(x), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(h, jacrev(jacfwd(f))(x), rtol=1e-10, atol=1e-12)
    fd = _fd_jacobian(lambda t: grad(f)(t), x)
    np.testing.assert_allclose(h, fd, rtol=1e-5, atol=1e-6)


def test_hvp_is_the_hessian_times_the_vector():
    f = _scalar
    x, v = rng.standard_normal(4), rng.standard_normal(4)
    (hv,) = hvp(f, (x,), (v,))
    np.testing.assert_allclose(hv, hessian(f)(x) @ v, rtol=1e-12)


def test_third_derivative_of_sin_is_minus_cos():
    for x in (0.3, -1.2, 2.0):
        assert grad(grad(grad(wg.sin)))(x) == pytest.approx(-np.cos(x), abs=1e-14)
        d3 = jacfwd(jacfwd(jacfwd(wg.sin)))(np.array([x]))
        assert d3.shape == (1, 1, 1, 1) and d3.item() == pytest.approx(-np.cos(x), abs=1e-14)
        d = jvp(lambda t: jvp(lambda u: jvp(wg.sin, (u,), (1.0,))[1], (t,), (1.0,))[1],
                (x,), (1.0,))[1]
        assert d == pytest.approx(-np.cos(x), abs=1e-14)
        assert jacrev(jacfwd(grad(wg.sin)))(np.array(x)) == pytest.approx(-np.cos(x), abs=1e-14)


def test_nested_transforms_do_not_confuse_perturbations():
    assert grad(lambda x: x * grad(lambda y: x + y)(1.0))(2.0) == 1
    assert grad(lambda x: grad(lambda y: x * y * y)(1.0))(2.0) == 2  # d/dx 2xy at y=1
    assert grad(lambda x: jvp(lambda y: x * y, (1.0,), (1.0,))[1])(2.0) == 1
    assert jvp(lambda x: x * jvp(lambda y: x + y, (1.0,), (1.0,))[1], (2.0,), (1.0,))[1] == 1
    assert jvp(lambda x: grad(lambda y: x * y * y)(1.0), (2.0,), (1.0,))[1] == 2


def test_grad_keeps_the_graph_of_a_closed_over_parameter():
    w = wg.tensor([1.0, 2.0], dtype=wg.float64, requires_grad=True)
    g = grad(lambda x: (w * x * x).sum())(wg.tensor([3.0, 4.0], dtype=wg.float64))
    assert g.requires_grad  # 2 w x: still a function of w
    g.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [6.0, 8.0])


def test_linearize_matches_jvp_and_runs_f_once():
    calls = []

    def f(x, y):
        calls.append(1)
        return wg.sin(x) * y, x @ y

    x, y = rng.standard_normal(3), rng.standard_normal(3)
    out, jvp_fn = linearize(f, x, y)
    for _ in range(3):
        tx, ty = rng.standard_normal(3), rng.standard_normal(3)
        got = jvp_fn(tx, ty)
        want = jvp(f, (x, y), (tx, ty))[1]
        np.testing.assert_allclose(got[0], want[0], rtol=1e-14)
        assert got[1] == pytest.approx(want[1], rel=1e-14)
    assert len(calls) == 1 + 3  # linearize once, then jvp's own calls
    np.testing.assert_allclose(out[0], np.sin(x) * y)


# -- argnums, pytrees, aux, array types --------------------------------------------------

Point = namedtuple("Point", "a b")


def test_pytrees_in_and_out():
    def f(p, d):
        return {"s": (p.a * d["w"][0]).sum(), "v": [p.b * 2.0, d["w"][1]]}

    p = Point(np.array([1.0, 2.0]), np.array(3.0))
    d = {"w": [np.array([4.0, 5.0]), np.array([6.0])]}
    jac = jacobian(f, argnums=(0, 1))(p, d)
    assert isinstance(jac["v"], list) and isinstance(jac["s"][0], Point)
    np.testing.assert_array_equal(jac["s"][0].a, [4.0, 5.0])
    np.testing.assert_array_equal(jac["s"][1]["w"][0], [1.0, 2.0])
    assert jac["v"][0][0].b == 2.0 and jac["v"][0][0].a.shape == (2,)
    np.testing.assert_array_equal(jac["v"][1][1]["w"][1], [[1.0]])
    g = grad(lambda p: (p.a * p.b).sum())(p)
    assert isinstance(g, Point) and g.b == 3.0


def test_has_aux_and_grad_and_value():
    def f(x):
        y = (x ** 2).sum()
        return y, {"y": y, "n": 3}

    g, aux = grad(f, has_aux=True)(np.array([1.0, 2.0]))
    np.testing.assert_array_equal(g, [2.0, 4.0])
    assert aux["y"] == 5.0 and aux["n"] == 3
    g, (value, aux) = grad_and_value(f, has_aux=True)(np.array([1.0, 2.0]))
    assert value == 5.0 and type(value) is np.ndarray
    out, jvp_out, aux = jvp(f, (np.array([1.0, 2.0]),), (np.array([1.0, 0.0]),), has_aux=True)
    assert jvp_out == 2.0 and aux["n"] == 3
    out, vjp_fn, aux = vjp(f, np.array([1.0, 2.0]), has_aux=True)
    np.testing.assert_array_equal(vjp_fn(np.array(1.0))[0], [2.0, 4.0])


def test_array_type_follows_the_inputs():
    f = lambda x: (x * x).sum()  # noqa: E731
    assert type(grad(f)(3.0)) is float
    assert type(grad(f)(np.array([3.0]))) is np.ndarray
    g = grad(f)(wg.tensor([3.0]))
    assert type(g) is wg.Tensor and g.dtype == np.float32 and not g.requires_grad
    assert grad(f)(np.float32(3.0)).dtype == np.float32
    out, tangent = jvp(wg.sin, (wg.tensor([1.0]),), (wg.tensor([1.0]),))
    assert type(out) is wg.Tensor and not out.requires_grad and not tangent.requires_grad
    j = jacobian(lambda x: x * 2)(2.0)
    assert j == 2.0


def test_argnums_tuple_negative_and_kwargs():
    f = lambda x, y, scale=1.0: (x * y).sum() * scale  # noqa: E731
    gx, gy = grad(f, argnums=(0, -1))(np.array([1.0, 2.0]), np.array([3.0, 4.0]), scale=2.0)
    np.testing.assert_array_equal(gx, [6.0, 8.0])
    np.testing.assert_array_equal(gy, [2.0, 4.0])


def test_vjp_fn_can_be_called_again_and_unused_inputs_get_zeros():
    out, vjp_fn = vjp(lambda x, y: x * 3.0, np.array([1.0, 2.0]), np.array([5.0]))
    for k in range(3):
        gx, gy = vjp_fn(np.array([1.0, float(k)]))
        np.testing.assert_array_equal(gx, [3.0, 3.0 * k])
        np.testing.assert_array_equal(gy, [0.0])


def test_constant_output_has_zero_derivatives():
    assert grad(lambda x: wg.tensor(3.0))(2.0) == 0.0
    np.testing.assert_array_equal(jacfwd(lambda x: np.ones(2))(np.ones(3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(jacrev(lambda x: np.ones(2))(np.ones(3)), np.zeros((2, 3)))


# -- bad input ---------------------------------------------------------------------------


def test_grad_of_a_non_scalar_output_suggests_jacobian_or_vjp():
    with pytest.raises(RuntimeError, match=r"scalar.*shape \(3,\).*jacobian.*vjp"):
        grad(wg.sin)(np.ones(3))


def test_jvp_with_mismatched_tangent_shapes():
    with pytest.raises(RuntimeError, match=r"jvp: tangent 0 has shape \(2,\), but primal 0 "
                                           r"has shape \(3,\)"):
        jvp(wg.sin, (np.ones(3),), (np.ones(2),))
    with pytest.raises(RuntimeError, match="structure of the primals"):
        jvp(lambda x, y: x * y, (np.ones(3), np.ones(3)), (np.ones(3),))
    with pytest.raises(TypeError, match="tuples"):
        jvp(wg.sin, np.ones(3), np.ones(3))


def test_argnums_out_of_range():
    with pytest.raises(ValueError, match=r"argnums=2 is out of range .* 2 positional"):
        grad(lambda x, y: x * y, argnums=2)(1.0, 2.0)
    with pytest.raises(ValueError, match="names an argument twice"):
        grad(lambda x, y: x * y, argnums=(0, -2))(1.0, 2.0)
    with pytest.raises(TypeError, match="argnums must be an int"):
        grad(lambda x: x, argnums="x")(1.0)


def test_function_returning_a_non_array():
    with pytest.raises(TypeError, match="returned output 0 of type str"):
        grad(lambda x: "x")(1.0)
    with pytest.raises(TypeError, match="returned output 0 of type NoneType"):
        jacobian(lambda x: None)(np.ones(2))
    with pytest.raises(TypeError, match="must return a pair"):
        grad(lambda x: x, has_aux=True)(1.0)


def test_non_float_inputs_and_vjp_cotangent_shape():
    with pytest.raises(TypeError, match="only floating point inputs"):
        grad(lambda x: x.sum())(np.arange(3))
    with pytest.raises(TypeError, match="is a str"):
        grad(lambda x: x)("a")
    _, vjp_fn = vjp(wg.sin, np.ones(3))
    with pytest.raises(RuntimeError, match=r"cotangent 0 has shape \(2,\), but output 0 has "
                                           r"shape \(3,\)"):
        vjp_fn(np.ones(2))


# -- the batched form of every linear map --------------------------------------------------


def _map_cases():
    import test_linear_maps  # the adjoint tests' cases: every map class, many shapes

    return test_linear_maps.CASES


@pytest.mark.parametrize("case", _map_cases(), ids=lambda c: c.id)
def test_batched_apply_equals_apply_row_by_row(case):
    import test_linear_maps

    m = case.build(test_linear_maps._fast_data)  # raw arrays: maps that use ns run on NumPy
    batch = np.round(rng.standard_normal((3, *case.in_shape)) * 8).astype(case.in_dtype) / 8
    rows = [np.asarray(m.apply(_replay.FAST, b)) for b in batch]
    spec = (rows[0].shape, rows[0].dtype)
    try:
        got = _replay._apply_batched(m, batch, spec)
    except _replay.NotBatchable:
        return  # replayed one direction at a time instead
    got = np.broadcast_to(_replay._aligned(got, spec), (3, *spec[0]))
    np.testing.assert_array_equal(got, np.stack(rows))


@pytest.mark.parametrize("case", _map_cases(), ids=lambda c: c.id)
def test_batched_transpose_equals_transpose_row_by_row(case):
    """The reverse column of ``_BATCHED``: each row of a batch of cotangents pulled back as
    the engine pulls back one (a map without a batched form goes row by row itself)."""
    import test_linear_maps

    m = case.build(test_linear_maps._fast_data)
    x = np.zeros(case.in_shape, case.in_dtype)
    out = np.asarray(m.apply(_replay.FAST, x))
    batch = np.round(rng.standard_normal((3, *out.shape)) * 8) / 8
    if out.dtype.kind == "c":
        batch = batch + 1j * np.round(rng.standard_normal((3, *out.shape)) * 8) / 8
    batch = batch.astype(out.dtype)
    rows = [np.asarray(m.transpose(_replay.FAST, c)) for c in batch]
    got = _replay._transpose_batched(m, batch)
    assert got.shape[0] == 3 and got.dtype == rows[0].dtype
    np.testing.assert_array_equal(np.broadcast_to(got, (3, *rows[0].shape)), np.stack(rows))
