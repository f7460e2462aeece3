"""Review: ``logaddexp``/``logaddexp2`` gradients where one input is infinite.

The slopes were ``exp(x - out)``: with ``x = inf`` and a finite ``y``, ``out`` is
``inf`` and ``inf - inf`` made the slope NaN, where PyTorch (and the limit) give 1 for
``x`` and 0 for ``y``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")

INF = math.inf
A = np.array([INF, 2.0, -INF, 3.0, INF, -INF, 1000.0, 0.5])
B = np.array([2.0, INF, 3.0, -INF, INF, -INF, 0.0, 0.5])


@pytest.mark.parametrize("name", ["logaddexp", "logaddexp2"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_first_order_matches_pytorch(name, dtype):
    a, b = A.astype(dtype), B.astype(dtype)
    wa, wb = wg.tensor(a, requires_grad=True), wg.tensor(b, requires_grad=True)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    w, t = getattr(wg, name)(wa, wb), getattr(torch, name)(ta, tb)
    np.testing.assert_array_equal(w.detach().numpy(), t.detach().numpy())
    g = np.linspace(-1, 1, len(a)).astype(dtype)
    gw = wg.grad(w, [wa, wb], wg.tensor(g))
    gt = torch.autograd.grad(t, [ta, tb], torch.tensor(g))
    for x, y in zip(gw, gt):
        np.testing.assert_allclose(x.numpy(), y.numpy(), rtol=1e-6)


def test_second_order_is_finite_next_to_an_infinity():
    x = wg.tensor([INF, 1.0], requires_grad=True)
    y = wg.tensor([0.0, 2.0], requires_grad=True)
    (gx,) = wg.grad(wg.logaddexp(x, y).sum(), [x], create_graph=True)
    np.testing.assert_array_equal(gx.detach().numpy()[:1], [1.0])
    (hy,) = wg.grad(gx.sum(), [y])
    assert np.isfinite(hy.numpy()).all()
    t = torch.tensor([INF, 1.0], dtype=torch.float32, requires_grad=True)
    u = torch.tensor([0.0, 2.0], requires_grad=True)
    (tx,) = torch.autograd.grad(torch.logaddexp(t, u).sum(), [t], create_graph=True)
    np.testing.assert_allclose(hy.numpy()[1:], torch.autograd.grad(tx.sum(), [u])[0][1:],
                               rtol=1e-6)
