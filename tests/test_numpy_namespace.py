"""``wengert.numpy``: plain arrays in give NumPy's arrays out; tensors in give the same values
as tensors that carry the graph.

Every ``numpy.*`` case of the public-function sweep (``wengert.testing.cases.numpy_ns``, checked
there against finite differences to second order) runs here twice, on arrays and on
tensors, and the results must agree. Gradients against the PyTorch-named wengert ops,
NumPy's conventions where they differ from PyTorch's, and errors follow.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
import wengert.numpy as wnp
from wengert.testing.cases import FN_CASES, Raw

NUMPY_CASES = [c for c in FN_CASES if c.name.startswith("numpy.")]


def _arrays(case):
    return [a.value if isinstance(a, Raw) else a for a in case.args]


def _tensors(case):
    return [a.value if isinstance(a, Raw) else
            wg.tensor(a, dtype=a.dtype, requires_grad=a.dtype.kind in "fc")
            if isinstance(a, np.ndarray) else a for a in case.args]


def _leaves(result):
    if isinstance(result, (tuple, list)):
        return [x for r in result for x in _leaves(r)]
    return [result]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in NUMPY_CASES])
def test_arrays_and_tensors_agree(case):
    plain = _leaves(case.fn(*_arrays(case), **case.kwargs))
    assert not any(isinstance(x, wg.Tensor) for x in plain), "a tensor leaked out of arrays"
    traced = _leaves(case.fn(*_tensors(case), **case.kwargs))
    assert all(isinstance(x, wg.Tensor) for x in traced)
    assert len(plain) == len(traced)
    for p, t in zip(plain, traced):
        assert np.shape(p) == t.shape
        np.testing.assert_allclose(t.detach().numpy(), p, rtol=1e-9, atol=1e-12)
        assert t.requires_grad or t.dtype.kind not in "fc" or not np.any(p)  # (a zero constant)


def test_every_public_name_exists_in_numpy_or_is_documented():
    extra = {"trapezoid"} if not hasattr(np, "trapezoid") else set()
    missing = [n for n in wnp.__all__ if not hasattr(np, n) and n not in extra]
    assert not missing
    for sub, np_sub in ((wnp.linalg, np.linalg), (wnp.fft, np.fft)):
        assert all(hasattr(np_sub, n) for n in sub.__all__)


def _grad(fn, *arrays):
    xs = [wg.tensor(a, requires_grad=True) for a in arrays]
    fn(*xs).sum().backward()
    return [x.grad.numpy() for x in xs]


@pytest.mark.parametrize("np_fn, wg_fn", [
    (lambda x: wnp.sum(wnp.arcsin(x) * 2.0, axis=0), lambda x: wg.sum(wg.asin(x) * 2.0, 0)),
    (lambda x: wnp.std(x, axis=1, ddof=1), lambda x: wg.std(x, 1)),
    (lambda x: wnp.max(x, axis=1), lambda x: wg.amax(x, 1)),
    (lambda x: wnp.cumsum(x), lambda x: wg.cumsum(x.reshape(-1), 0)),
    (lambda x: wnp.linalg.norm(x), lambda x: wg.linalg.norm(x)),
    (lambda x: wnp.dot(x, wnp.transpose(x)), lambda x: x @ x.T),
])
def test_gradients_equal_the_pytorch_named_ops(np_fn, wg_fn):
    x = np.random.default_rng(0).uniform(-0.9, 0.9, (3, 4))
    np.testing.assert_allclose(_grad(np_fn, x)[0], _grad(wg_fn, x)[0], rtol=1e-12)


def test_numpy_conventions_where_pytorch_differs():
    x = np.array([1.0, 2.0, 4.0, 7.0])
    t = wg.tensor(x, requires_grad=True)
    assert wnp.std(t).item() == pytest.approx(np.std(x))  # ddof=0, PyTorch's default is 1
    assert wnp.median(t).item() == pytest.approx(3.0)  # the middle pair's mean, not 2.0
    assert isinstance(wnp.max(t, axis=0), wg.Tensor)  # values only, not (values, indices)
    assert [p.shape for p in wnp.split(t, [1])] == [(1,), (3,)]  # indices, not sizes
    assert wnp.meshgrid(t[:2], t)[0].shape == (4, 2)  # 'xy'
    wnp.median(t).backward()
    np.testing.assert_allclose(t.grad.numpy(), [0.0, 0.5, 0.5, 0.0])
    ties = wg.tensor([[1.0, 1.0], [0.5, 1.0]], requires_grad=True)
    wnp.max(ties).backward()  # tied maxima share the gradient (as HIPS autograd)
    np.testing.assert_allclose(ties.grad.numpy(), [[1 / 3, 1 / 3], [0.0, 1 / 3]])


def test_mean_of_integers_is_float64_as_in_numpy():
    assert wnp.mean(wg.tensor([1, 2])).dtype == np.float64


def test_creation_passthrough_and_like():
    assert isinstance(wnp.linspace(0, 1, 5), np.ndarray)
    assert isinstance(wnp.zeros((2,)), np.ndarray)
    z = wnp.zeros_like(wg.tensor([1.0, 2.0], requires_grad=True))
    assert isinstance(z, wg.Tensor) and not z.requires_grad and z.shape == (2,)
    assert wnp.full_like(wg.tensor([1.0]), 3.0).item() == 3.0
    assert isinstance(wnp.random.rand(2), np.ndarray)
    assert wnp.pi == np.pi and wnp.newaxis is None and np.isnan(wnp.nan)


def test_array_of_tensors_is_differentiable():
    a = wg.tensor(2.0, dtype=wg.float64, requires_grad=True)
    v = wnp.array([a, a * a, 1.0])
    v.sum().backward()
    assert a.grad.item() == 5.0


@pytest.mark.parametrize("call", [
    lambda t: wnp.sum(t, out=np.zeros(())),
    lambda t: wnp.sin(t, out=np.zeros(3)),
    lambda t: np.add(t, 1.0, out=np.zeros(3)),
])
def test_out_is_refused_on_tensors(call):
    with pytest.raises(TypeError, match="out= is not supported"):
        call(wg.tensor([1.0, 2.0, 3.0], requires_grad=True))


def test_out_still_works_on_arrays():
    out = np.zeros(())
    wnp.sum(np.array([1.0, 2.0]), out=out)
    assert out == 3.0


@pytest.mark.parametrize("call, match", [
    (lambda t: wnp.split(t, 2), "equal division"),
    (lambda t: wnp.squeeze(t, 0), "size not equal to one"),
    (lambda t: wnp.reshape(t, (3,), order="F"), "order='F'"),
    (lambda t: wnp.pad(t, 1, mode="mean"), "mode 'mean'"),
    (lambda t: wnp.einsum(t, [0], [0]), "string"),
    (lambda t: wnp.gradient(t, edge_order=3), "edge_order"),
    (lambda t: wnp.take(t, [5]), "5"),
])
def test_bad_input_is_a_clear_error(call, match):
    with pytest.raises((ValueError, TypeError, IndexError, RuntimeError, NotImplementedError),
                       match=match):
        call(wg.tensor([1.0, 2.0, 3.0], requires_grad=True))


def test_linalg_solve_follows_numpy2_for_a_stack_of_matrices():
    a = np.eye(3)[None].repeat(3, 0) * 2.0
    b = np.arange(9.0).reshape(3, 3)
    np.testing.assert_allclose(wnp.linalg.solve(wg.tensor(a), wg.tensor(b)).numpy(),
                               np.linalg.solve(a, b))


def test_gradient_matches_numpy_on_tensors():
    y = np.sin(np.linspace(0, 3, 7))
    x = np.array([0.0, 0.4, 1.0, 1.3, 2.0, 2.2, 3.0])
    for kw in ({}, {"edge_order": 2}):
        np.testing.assert_allclose(wnp.gradient(wg.tensor(y), x, **kw).numpy(),
                                   np.gradient(y, x, **kw), rtol=1e-12)
