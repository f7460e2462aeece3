"""Review of the losses in nn.functional against PyTorch (values, gradients, errors)."""

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")
F = wg.nn.functional
TF = torch.nn.functional


def _both(fn_wg, fn_torch, *arrays, grad=(0,)):
    """Value and gradient (w.r.t. the arrays at ``grad``) of both libraries."""
    wi = [wg.tensor(a, requires_grad=i in grad) for i, a in enumerate(arrays)]
    ti = [torch.tensor(a, requires_grad=i in grad) for i, a in enumerate(arrays)]
    ow, ot = fn_wg(*wi), fn_torch(*ti)
    np.testing.assert_allclose(ow.detach().numpy(), ot.detach().numpy(), rtol=1e-12, atol=0)
    ow.sum().backward()
    ot.sum().backward()
    for i in grad:
        np.testing.assert_allclose(wi[i].grad.numpy(), ti[i].grad.numpy(), rtol=1e-12,
                                   atol=1e-15)


_R = np.random.RandomState(0)
_P, _T, _X = _R.rand(4, 3), _R.rand(4, 3), _R.randn(4, 3)


@pytest.mark.parametrize("wshape", [(3,), (1, 3), (4, 1), (4, 3), ()])
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_binary_cross_entropies_broadcast_the_weight(wshape, reduction):
    w = _R.rand(*wshape)
    _both(lambda p, t, w: F.binary_cross_entropy(p, t, w, reduction=reduction),
          lambda p, t, w: TF.binary_cross_entropy(p, t, w, reduction=reduction), _P, _T, w)
    _both(lambda x, t, w: F.binary_cross_entropy_with_logits(x, t, w, reduction=reduction),
          lambda x, t, w: TF.binary_cross_entropy_with_logits(x, t, w, reduction=reduction),
          _X, _T, w)


@pytest.mark.parametrize("fn", [F.binary_cross_entropy, F.binary_cross_entropy_with_logits])
def test_binary_cross_entropies_refuse_a_weight_that_does_not_broadcast(fn):
    for bad in (wg.ones(2), wg.ones(2, 4, 3)):
        with pytest.raises(ValueError, match=r"does not broadcast to the input's shape \(4, 3\)"):
            fn(wg.tensor(_P), wg.tensor(_T), bad)


def test_kl_div_of_a_negative_target_is_nan_as_in_pytorch():
    x, t = np.array([0.5, 0.5, 0.5]), np.array([-0.25, 0.0, 0.25])
    with np.errstate(invalid="ignore"):
        out = F.kl_div(wg.tensor(x), wg.tensor(t), reduction="none").numpy()
    ref = TF.kl_div(torch.tensor(x), torch.tensor(t), reduction="none").numpy()
    np.testing.assert_array_equal(out, ref)
    assert np.isnan(out[0]) and out[1] == 0
    # the zero target keeps its 0 * log(0) = 0, and its input gradient -t
    xs = wg.tensor(x, requires_grad=True)
    F.kl_div(xs, wg.tensor(np.array([0.0, 0.5, 0.5])), reduction="sum").backward()
    np.testing.assert_array_equal(xs.grad.numpy(), [-0.0, -0.5, -0.5])


@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
def test_hinge_embedding_loss_for_any_target_as_pytorch(reduction):
    x = np.array([0.3, -0.2, 1.5, 0.3, 0.7, -2.0])
    y = np.array([1.0, -1.0, -1.0, 0.0, 2.0, 0.5])
    _both(lambda a, b: F.hinge_embedding_loss(a, b, margin=0.9, reduction=reduction),
          lambda a, b: TF.hinge_embedding_loss(a, b, margin=0.9, reduction=reduction), x, y)


@pytest.mark.parametrize("p, t, what", [
    ([0.5, np.nan], [1.0, 0.0], "input"), ([0.5, 1.5], [1.0, 0.0], "input"),
    ([0.5, 0.5], [1.5, 0.0], "target"), ([0.5, 0.5], [-0.5, 0.0], "target"),
    ([0.5, 0.5], [np.nan, 0.0], "target")])
def test_binary_cross_entropy_refuses_what_pytorch_refuses(p, t, what):
    with pytest.raises(RuntimeError, match=f"elements of {what}"):
        TF.binary_cross_entropy(torch.tensor(p), torch.tensor(t))
    with pytest.raises(ValueError, match=rf"all elements of {what} must be in \[0, 1\]"):
        F.binary_cross_entropy(wg.tensor(p), wg.tensor(t))


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss",
                                  "poisson_nll_loss", "hinge_embedding_loss"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_integer_targets_are_promoted_as_in_pytorch(name, dtype):
    x = np.random.RandomState(4).randn(2, 3).astype(dtype)
    y = np.array([[1, -1, 1], [-1, -1, 1]])
    if name == "poisson_nll_loss":
        y = np.abs(y) * 3
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    xw, xt = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lw = getattr(F, name)(xw, wg.tensor(y), reduction="none")
    # (PyTorch's huber backward fails on an integer target: its reference takes it as float)
    yt = torch.tensor(y.astype(dtype) if name == "huber_loss" else y)
    lt = getattr(TF, name)(xt, yt, reduction="none")
    assert lw.dtype == dtype
    np.testing.assert_allclose(lw.detach().numpy(), lt.detach().numpy(), rtol=rtol)
    lw.sum().backward()
    lt.sum().backward()
    np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), rtol=rtol)


def test_margin_ranking_loss_with_integer_target():
    a, b = np.array([0.5, 2.0, -1.0]), np.array([1.0, 0.0, -1.5])
    y = np.array([1, -1, 1])
    _both(lambda a, b: F.margin_ranking_loss(a, b, wg.tensor(y), margin=0.25),
          lambda a, b: TF.margin_ranking_loss(a, b, torch.tensor(y), margin=0.25), a, b,
          grad=(0, 1))


def test_kl_div_still_refuses_an_integer_target():
    with pytest.raises(TypeError, match="kl_div: expected a floating point tensor"):
        F.kl_div(wg.zeros(3), wg.tensor([0, 1, 0]))
