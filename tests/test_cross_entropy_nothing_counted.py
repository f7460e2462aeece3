"""cross_entropy / nll_loss with reduction='mean' when nothing is counted (every target
ignored, or the counted targets' weights all zero): the loss is NaN (0/0), as in
PyTorch, and an ignored sample's gradient is exactly 0, never its zero weight times 1/0."""

import numpy as np
import pytest

import wengert as wg

F = wg.nn.functional
X = np.random.default_rng(0).standard_normal((3, 4))

CASES = [
    dict(target=[-100, -100, -100]),
    dict(target=[-100, -100, -100], label_smoothing=0.1),
    dict(target=[0, 1, 2], weight=[0.0, 0.0, 0.0, 0.0]),
    dict(target=[0, 1, -100], weight=[0.0, 0.0, 0.0, 1.0]),
    dict(target=[0, 1, 2], weight=[0.0, 0.0, 0.0, 1.0], label_smoothing=0.1),
    dict(target=[0, -100, 2], weight=[1.0, 2.0, 3.0, 4.0]),  # something counted
]


def _run(lib, fn, case):
    x = lib.tensor(X, requires_grad=True)
    kwargs = {k: lib.tensor(np.array(v, np.float64 if k == "weight" else np.int64))
              if isinstance(v, list) else v for k, v in case.items()}
    with np.errstate(all="ignore"):
        loss = getattr(lib.nn.functional, fn)(x, **kwargs)
        loss.backward()
    return loss.item(), np.asarray(x.grad.detach().numpy())


def _cases():
    for case in CASES:
        yield pytest.param("cross_entropy", case)
        if "label_smoothing" not in case:
            yield pytest.param("nll_loss", case)


@pytest.mark.parametrize("fn, case", [p for p in _cases() if set(p.values[1]["target"]) == {-100}])
def test_every_target_ignored_gives_nan_and_zero_gradient(fn, case):
    loss, grad = _run(wg, fn, case)
    assert np.isnan(loss)
    assert np.array_equal(grad, np.zeros_like(X)) and not np.signbit(grad).any()


def test_second_order_of_an_all_ignored_mean_is_zero():
    x = wg.tensor(X, requires_grad=True)
    with np.errstate(all="ignore"):
        loss = F.cross_entropy(x, wg.tensor([-100, -100, -100]))
    (g,) = wg.grad(loss, x, create_graph=True)
    (h,) = wg.grad(g.sum(), x, allow_unused=True)
    assert np.array_equal(g.detach().numpy(), np.zeros_like(X))
    assert h is None or np.array_equal(h.numpy(), np.zeros_like(X))


def test_float32_keeps_its_dtype():
    x = wg.tensor(X.astype(np.float32), requires_grad=True)
    with np.errstate(all="ignore"):
        loss = F.cross_entropy(x, wg.tensor([-100, -100, -100]))
        loss.backward()
    assert loss.dtype == wg.float32 and x.grad.dtype == wg.float32


@pytest.mark.parametrize("fn, case", list(_cases()))
def test_matches_pytorch(fn, case):
    torch = pytest.importorskip("torch")
    loss, grad = _run(wg, fn, case)
    t_loss, t_grad = _run(torch, fn, case)
    assert np.isnan(loss) == np.isnan(t_loss)
    if not np.isnan(loss):
        np.testing.assert_allclose(loss, t_loss, rtol=1e-12)
    np.testing.assert_allclose(grad, t_grad, rtol=1e-12, atol=0, equal_nan=True)
