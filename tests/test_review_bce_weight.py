"""Review: the ``weight`` of the binary cross entropies broadcasts, as in PyTorch.

``F.binary_cross_entropy(x, t, weight=w)`` and ``..._with_logits`` accept a weight whose
shape broadcasts to the input's (a per-class ``(C,)`` weight for ``(N, C)`` input is the
common case); wengert demanded the input's exact shape and raised ValueError. (mse,
l1 and huber keep PyTorch's exact-shape rule.)
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
import wengert.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(11)
X = rng.standard_normal((4, 5))
T = (rng.random((4, 5)) > 0.5).astype(np.float64)


def _run(lib, fn, x, weight, **kw):
    xt = lib.tensor(x, requires_grad=True)
    loss = fn(lib)(xt, lib.tensor(T), weight=lib.tensor(weight), **kw)
    (gx,) = lib.autograd.grad(loss.sum(), [xt])
    return [a.detach().numpy() for a in (loss, gx)]


LOSSES = {
    "bce": (lambda L: F.binary_cross_entropy if L is wg else TF.binary_cross_entropy,
            1 / (1 + np.exp(-X))),
    "bce_logits": (lambda L: F.binary_cross_entropy_with_logits if L is wg
                   else TF.binary_cross_entropy_with_logits, X),
}


@pytest.mark.parametrize("wshape", [(5,), (4, 1), (1, 5), (), (4, 5)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", sorted(LOSSES))
def test_broadcast_weights_match_pytorch(name, reduction, wshape):
    fn, x = LOSSES[name]
    w = rng.uniform(0.5, 2.0, wshape)
    for a, b in zip(_run(wg, fn, x, w, reduction=reduction),
                    _run(torch, fn, x, w, reduction=reduction)):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_pos_weight_and_weight_together():
    w, pw = rng.uniform(0.5, 2.0, (5,)), rng.uniform(0.5, 2.0, (4, 1))
    a = F.binary_cross_entropy_with_logits(wg.tensor(X), wg.tensor(T), weight=wg.tensor(w),
                                           pos_weight=wg.tensor(pw), reduction="none")
    b = TF.binary_cross_entropy_with_logits(torch.tensor(X), torch.tensor(T),
                                            weight=torch.tensor(w), pos_weight=torch.tensor(pw),
                                            reduction="none")
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_a_weight_that_would_grow_the_loss_is_refused(name):
    fn, x = LOSSES[name]
    with pytest.raises(ValueError, match=r"weight of shape \(2, 4, 5\) does not broadcast to "
                                         r"the input's shape \(4, 5\)"):
        fn(wg)(wg.tensor(x), wg.tensor(T), weight=wg.ones(2, 4, 5))


def test_mse_weight_keeps_the_exact_shape_rule():
    with pytest.raises(ValueError, match=r"mse_loss: weight must have the input's shape"):
        F.mse_loss(wg.tensor(X), wg.tensor(T), weight=wg.ones(5))
