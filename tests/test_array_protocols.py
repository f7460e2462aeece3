"""NumPy's protocols on Tensor: ``np.sin(t)``, ``np.sum(t)``, ``np.float64(2) * t`` give
tensors on the tape; ``np.asarray(t)`` gives the data (refused when it would drop a
gradient); ``out=`` is refused; an unknown ufunc is NumPy's TypeError naming it."""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg


@pytest.fixture
def t():
    return wg.tensor([0.5, 1.0, 2.0], dtype=wg.float64, requires_grad=True)


def test_ufunc_gives_a_tensor_on_the_tape(t):
    y = np.sin(t)
    assert isinstance(y, wg.Tensor) and y.grad_fn is not None
    y.sum().backward()
    np.testing.assert_allclose(t.grad.numpy(), np.cos([0.5, 1.0, 2.0]))


@pytest.mark.parametrize("call, expected", [
    (lambda t: np.add(t, 1), [1.5, 2.0, 3.0]),
    (lambda t: np.subtract(1.0, t), [0.5, 0.0, -1.0]),
    (lambda t: np.power(t, 2), [0.25, 1.0, 4.0]),
    (lambda t: np.arctan2(t, 1.0), np.arctan2([0.5, 1.0, 2.0], 1.0)),
    (lambda t: np.maximum(t, 1.0), [1.0, 1.0, 2.0]),
    (lambda t: np.exp(t, dtype=np.float64), np.exp([0.5, 1.0, 2.0])),
])
def test_ufuncs_dispatch_to_the_op_of_the_same_meaning(t, call, expected):
    y = call(t)
    assert isinstance(y, wg.Tensor) and y.requires_grad
    np.testing.assert_allclose(y.detach().numpy(), expected)


def test_numpy_scalars_and_arrays_on_the_left_keep_working(t):
    for y, expected in [(np.float64(2) * t, [1.0, 2.0, 4.0]),
                        (np.float64(2) - t, [1.5, 1.0, 0.0]),
                        (np.array([1.0, 1.0, 1.0]) / t, [2.0, 1.0, 0.5]),
                        (np.ones((2, 3)) + t, [[1.5, 2.0, 3.0]] * 2),
                        (np.eye(3) @ t, [0.5, 1.0, 2.0])]:
        assert isinstance(y, wg.Tensor) and y.grad_fn is not None
        np.testing.assert_allclose(y.detach().numpy(), expected)
    assert (np.array([1.0, 1.0, 1.0]) < t).tolist() == [False, False, True]
    f32 = wg.tensor([1.0, 2.0])
    assert (np.float64(2) * f32).dtype == np.float32  # a NumPy scalar is a weak number


def test_ufunc_methods_reduce_and_accumulate(t):
    assert np.add.reduce(t).item() == pytest.approx(3.5)
    np.testing.assert_allclose(np.multiply.accumulate(t).detach().numpy(), [0.5, 0.5, 1.0])
    assert np.maximum.reduce(t).grad_fn is not None


def test_array_functions_use_wengert_numpy(t):
    for y in [np.sum(t), np.mean(t, axis=0), np.concatenate([t, t]), np.linalg.norm(t),
              np.std(t), np.stack([t, t], axis=1), np.where(t > 1, t, 0.0), np.diff(t)]:
        assert isinstance(y, wg.Tensor) and y.grad_fn is not None
    np.linalg.norm(t).backward()
    np.testing.assert_allclose(t.grad.numpy(), np.array([0.5, 1.0, 2.0]) / np.sqrt(5.25))
    assert np.sum(t).item() == 3.5 and np.std(t).item() == pytest.approx(np.std([0.5, 1, 2]))


def test_array_functions_without_a_twin(t):
    u = t.detach()
    assert np.allclose(u, u) and np.shape(u) == (3,)  # NumPy's own, on the data
    assert np.shape(t) == (3,) and np.ndim(t) == 1 and np.size(t) == 3  # metadata only
    with pytest.raises(RuntimeError, match="drop its gradient"):
        np.allclose(t, t)


def test_operators_without_a_ufunc_twin_reach_tensor_operators():
    m = wg.tensor([True, False])
    assert (np.array([True, True]) & m).tolist() == [True, False]
    assert (np.array([False, False]) | m).tolist() == [True, False]


def test_asarray(t):
    u = t.detach()
    a = np.asarray(u)
    assert isinstance(a, np.ndarray) and a.tolist() == [0.5, 1.0, 2.0]
    assert np.shares_memory(a, u.numpy())
    c = np.array(u)  # np.array copies
    c[0] = 9.0
    assert u[0].item() == 0.5
    assert np.asarray(u, dtype=np.float32).dtype == np.float32
    with pytest.raises(RuntimeError, match="drop its gradient.*detach"):
        np.asarray(t)


def test_out_is_refused(t):
    with pytest.raises(TypeError, match="out= is not supported"):
        np.sin(t, out=np.zeros(3))
    with pytest.raises(TypeError, match="out= is not supported"):
        np.sum(t, out=np.zeros(()))
    a = np.zeros(3)
    with pytest.raises(TypeError, match="array = array \\+ tensor"):
        a += t


def test_unsupported_ufunc_names_it(t):
    with pytest.raises(TypeError, match="gcd"):
        np.gcd(wg.tensor([4, 6]), 2)
    with pytest.raises(TypeError, match="spacing"):
        np.spacing(t)


def test_forward_mode_through_a_ufunc():
    import wengert.autograd.forward_ad as fwad

    with fwad.dual_level():
        x = fwad.make_dual(wg.tensor([1.0], dtype=wg.float64), wg.tensor([1.0], dtype=wg.float64))
        y = np.exp(np.float64(2) * x)
        np.testing.assert_allclose(fwad.unpack_dual(y).tangent.numpy(), 2 * np.exp(2.0))
