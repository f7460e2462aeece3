"""Review: ``scaled_dot_product_attention`` with a query that may attend to nothing.

A fully masked row of scores is all -inf and its softmax 0/0 = NaN; PyTorch (its safe
softmax) gives that query the output 0 and a zero gradient, and leaves the other
queries' gradients finite. wengert returned NaN, which reached every gradient.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import wengert as wg
import wengert.nn.functional as F

torch = pytest.importorskip("torch")

rng = np.random.default_rng(3)
Q, K, V = rng.standard_normal((2, 4, 3)), rng.standard_normal((2, 5, 3)), rng.standard_normal((2, 5, 2))
BOOL = np.triu(np.ones((4, 5), dtype=bool), 3)  # rows 2 and 3 attend to nothing
FLOAT = np.where(BOOL, 0.0, -math.inf)


def _run(lib, sdpa, mask, **kw):
    q, k, v = (lib.tensor(a, requires_grad=True) for a in (Q, K, V))
    out = sdpa(q, k, v, attn_mask=lib.tensor(mask), **kw)
    g = np.linspace(-1.0, 1.0, math.prod(out.shape)).reshape(tuple(out.shape))
    grads = lib.autograd.grad(out, [q, k, v], lib.tensor(g))
    return [t.detach().numpy() for t in (out, *grads)]


@pytest.mark.parametrize("mask", [BOOL, FLOAT], ids=["bool", "float"])
@pytest.mark.parametrize("scale", [None, 0.7])
def test_matches_pytorch(mask, scale):
    a = _run(wg, F.scaled_dot_product_attention, mask, scale=scale)
    b = _run(torch, torch.nn.functional.scaled_dot_product_attention, mask, scale=scale)
    for x, y in zip(a, b):
        assert np.isfinite(x).all()
        np.testing.assert_allclose(x, y, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(a[0][:, 2:], 0.0)


def test_second_order_stays_finite():
    q, k, v = (wg.tensor(a, requires_grad=True) for a in (Q, K, V))
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=wg.tensor(BOOL))
    gq, gk = wg.grad(out.pow(2).sum(), [q, k], create_graph=True)
    hv = wg.grad((gq * gq).sum() + gk.sum(), [v])[0]
    assert np.isfinite(hv.numpy()).all()
