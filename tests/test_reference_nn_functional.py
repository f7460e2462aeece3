"""``wg.nn.functional`` against ``torch.nn.functional``: values, first- and second-order
gradients on the same inputs (float64), for each function and option.

Each case runs a call in both libraries with the same arrays: float arrays
marked differentiable become tensors that require grad; the rest are constants.
Compared: the output; the gradient of ``<u, out>`` for a random ``u``; and the
gradient of ``<grad, v>`` (a Hessian-vector product, built with
``create_graph``) for a random ``v``.

Deliberate differences: none found in these cases. ``padding_idx`` in
``embedding`` is checked here (finite differences disagree with it by design).
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")
TF = torch.nn.functional
F = wg.nn.functional

rng = np.random.default_rng(1234)


class D:
    """A differentiable input (float64) in a reference case."""

    def __init__(self, value):
        self.value = np.asarray(value, dtype=np.float64)


def randn(*shape):
    return rng.standard_normal(shape)


def to_lib(v, lib):
    if isinstance(v, D):
        return (wg.tensor(v.value, requires_grad=True) if lib == "wg"
                else torch.tensor(v.value, requires_grad=True))
    if isinstance(v, np.ndarray):
        return wg.tensor(v) if lib == "wg" else torch.tensor(v)
    return v


def run(name, *args, second_order=True, rtol=1e-10, atol=1e-12, wg_fn=None, torch_fn=None,
        **kwargs):
    """Compare ``F.name(*args, **kwargs)`` with PyTorch's: value, grad and a Hessian-vector
    product for every ``D`` argument (positional or keyword)."""
    w_args = [to_lib(a, "wg") for a in args]
    t_args = [to_lib(a, "torch") for a in args]
    w_kw = {k: to_lib(v, "wg") for k, v in kwargs.items()}
    t_kw = {k: to_lib(v, "torch") for k, v in kwargs.items()}
    w_out = (wg_fn or getattr(F, name))(*w_args, **w_kw)
    t_out = (torch_fn or getattr(TF, name))(*t_args, **t_kw)
    np.testing.assert_allclose(w_out.detach().numpy(), t_out.detach().numpy(), rtol=rtol,
                               atol=atol, err_msg=f"{name}: values")
    w_x = [a for a in [*w_args, *w_kw.values()] if isinstance(a, wg.Tensor) and a.requires_grad]
    t_x = [a for a in [*t_args, *t_kw.values()] if isinstance(a, torch.Tensor) and a.requires_grad]
    if not w_x:
        return
    u = randn(*t_out.shape)
    w_g = wg.grad((w_out * wg.tensor(u)).sum(), w_x, create_graph=second_order,
                  allow_unused=True)
    t_g = torch.autograd.grad((t_out * torch.tensor(u)).sum(), t_x, create_graph=second_order,
                              allow_unused=True)
    for i, (a, b) in enumerate(zip(w_g, t_g)):
        if b is None:
            assert a is None or not np.any(a.detach().numpy()), f"{name}: grad {i}"
            continue
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=rtol, atol=atol,
                                   err_msg=f"{name}: gradient of input {i}")
    if not second_order:
        return
    vs = [randn(*x.shape) for x in t_x]
    w_s = sum(((g * wg.tensor(v)).sum() for g, v in zip(w_g, vs) if g is not None
               and g.requires_grad), wg.tensor(0.0, dtype=wg.float64))
    t_s = sum(((g * torch.tensor(v)).sum() for g, v in zip(t_g, vs) if g is not None
               and g.requires_grad), torch.tensor(0.0, dtype=torch.float64))
    if not t_s.requires_grad:
        return
    w_h = wg.grad(w_s, w_x, allow_unused=True) if w_s.requires_grad else [None] * len(w_x)
    t_h = torch.autograd.grad(t_s, t_x, allow_unused=True)
    for i, (a, b) in enumerate(zip(w_h, t_h)):
        expected = np.zeros(t_x[i].shape) if b is None or b._is_zerotensor() else b.numpy()
        actual = np.zeros(t_x[i].shape) if a is None else a.numpy()
        np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol,
                                   err_msg=f"{name}: second-order gradient of input {i}")


REDUCTIONS = ("mean", "sum", "none")


# -- softmax family ------------------------------------------------------------------


@pytest.mark.parametrize("name", ["softmax", "log_softmax", "softmin"])
@pytest.mark.parametrize("shape,dim", [((3, 5), 1), ((3, 5), 0), ((2, 3, 4), -1), ((6,), 0)])
def test_softmax_family(name, shape, dim):
    run(name, D(randn(*shape) * 3), dim=dim)


def test_softmax_large_inputs_stay_finite():
    x = np.array([[1000.0, 1001.0, -1000.0], [-1e4, -1e4, -1e4]])
    run("softmax", D(x), dim=1)
    run("log_softmax", D(x), dim=1)


def test_softmax_dtype_argument():
    x = randn(3, 4).astype(np.float32)
    out = F.softmax(wg.tensor(x), dim=1, dtype=wg.float64)
    assert out.dtype == wg.float64
    np.testing.assert_allclose(out.numpy(), TF.softmax(torch.tensor(x), 1,
                                                       dtype=torch.float64).numpy(), rtol=1e-12)


# -- cross-entropy and nll -------------------------------------------------------------

W5 = rng.uniform(0.5, 2.0, 5)


def _targets(shape, ignore=None):
    t = rng.integers(0, 5, shape)
    if ignore is not None:
        t.flat[0] = ignore
    return t


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", [
    "plain", "ignore", "weight", "weight-ignore", "smooth", "weight-smooth-ignore", "1d",
    "spatial", "spatial-weight-smooth"])
def test_cross_entropy_class_indices(case, reduction):
    shape, tshape = {"1d": ((5,), ()), "spatial": ((2, 5, 3, 2), (2, 3, 2)),
                     "spatial-weight-smooth": ((2, 5, 3), (2, 3))}.get(case, ((4, 5), (4,)))
    kw = {"reduction": reduction}
    if "ignore" in case:
        kw["ignore_index"] = 3
    if "weight" in case:
        kw["weight"] = W5
    if "smooth" in case:
        kw["label_smoothing"] = 0.2
    target = np.asarray(_targets(tshape, kw.get("ignore_index")))
    run("cross_entropy", D(randn(*shape) * 2), target, **kw)
    if "smooth" not in case:
        logp = TF.log_softmax(torch.tensor(randn(*shape)), 1 if len(shape) > 1 else 0).numpy()
        run("nll_loss", D(logp), target, **kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", ["plain", "weight", "smooth", "spatial"])
def test_cross_entropy_probabilities(case, reduction):
    shape = (2, 5, 3) if case == "spatial" else (4, 5)
    p = rng.uniform(0.1, 1, shape)
    p /= p.sum(1, keepdims=True)
    kw = {"reduction": reduction}
    if case == "weight":
        kw["weight"] = W5
    if case == "smooth":
        kw["label_smoothing"] = 0.3
    run("cross_entropy", D(randn(*shape)), D(p), **kw)


def test_cross_entropy_all_ignored_mean_is_nan_like_torch():
    x, t = randn(3, 5), np.full(3, -100)
    w = F.cross_entropy(wg.tensor(x), wg.tensor(t)).item()
    assert np.isnan(w) and np.isnan(TF.cross_entropy(torch.tensor(x), torch.tensor(t)).item())


def test_cross_entropy_large_logits_float32():
    x = (randn(8, 10) * 500).astype(np.float32)
    t = rng.integers(0, 10, 8)
    xw, xt = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lw, lt = F.cross_entropy(xw, wg.tensor(t)), TF.cross_entropy(xt, torch.tensor(t))
    lw.backward()
    lt.backward()
    assert np.isfinite(lw.item())
    np.testing.assert_allclose(lw.item(), lt.item(), rtol=1e-5)
    np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), atol=1e-6)


def test_cross_entropy_float32_keeps_dtype_and_matches():
    x = randn(16, 7).astype(np.float32)
    t = rng.integers(0, 7, 16)
    xw, xt = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    lw, lt = F.cross_entropy(xw, wg.tensor(t)), TF.cross_entropy(xt, torch.tensor(t))
    assert lw.dtype == wg.float32
    lw.backward()
    lt.backward()
    assert xw.grad.dtype == wg.float32
    np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_cross_entropy_retain_graph_twice_and_forward_mode():
    import wengert.autograd.forward_ad as fwAD

    x, t = randn(4, 5), rng.integers(0, 5, 4)
    xw = wg.tensor(x, requires_grad=True)
    loss = F.cross_entropy(xw, wg.tensor(t))
    g1 = wg.grad(loss, [xw], retain_graph=True)[0].numpy()
    g2 = wg.grad(loss, [xw])[0].numpy()  # the forward residuals were consumed: recomputed
    np.testing.assert_allclose(g1, g2, rtol=1e-14)
    v = randn(4, 5)
    with fwAD.dual_level():
        d = F.cross_entropy(fwAD.make_dual(wg.tensor(x), wg.tensor(v)), wg.tensor(t))
        np.testing.assert_allclose(fwAD.unpack_dual(d).tangent.item(), np.sum(g1 * v),
                                   rtol=1e-12)


# -- elementwise losses --------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses(reduction):
    x, y = randn(3, 4), randn(3, 4)
    w = rng.uniform(0.5, 2, (3, 4))
    run("mse_loss", D(x), D(y), reduction=reduction)
    run("mse_loss", D(x), D(y), reduction=reduction, weight=w)
    run("l1_loss", D(x), D(y), reduction=reduction)
    run("l1_loss", D(x), D(y), reduction=reduction, weight=w)
    run("smooth_l1_loss", D(x), D(y), reduction=reduction)
    run("smooth_l1_loss", D(x), D(y), reduction=reduction, beta=0.3)
    run("smooth_l1_loss", D(x), D(y), reduction=reduction, beta=0.0)
    run("huber_loss", D(x), D(y), reduction=reduction, delta=0.4)
    run("huber_loss", D(x), D(y), reduction=reduction, delta=0.4, weight=w)


def test_losses_at_kinks_follow_torch():
    x = np.array([0.0, 1.0, -2.0, 0.5])
    y = np.array([0.0, 0.0, -1.0, 0.0])  # differences 0, 1 (= beta/delta) and -1
    for name in ("l1_loss", "smooth_l1_loss", "huber_loss"):
        run(name, D(x), D(y))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_losses(reduction):
    p, t = rng.uniform(0.05, 0.95, (3, 4)), rng.uniform(0, 1, (3, 4))
    w = rng.uniform(0.5, 2, (3, 4))
    # (rtol: the second derivatives are computed by different formulas)
    run("binary_cross_entropy", D(p), D(t), reduction=reduction, rtol=1e-8)
    run("binary_cross_entropy", D(p), D(t), weight=w, reduction=reduction, rtol=1e-8)
    z = randn(3, 4) * 3
    run("binary_cross_entropy_with_logits", D(z), D(t), reduction=reduction)
    run("binary_cross_entropy_with_logits", D(z), D(t), reduction=reduction,
        pos_weight=rng.uniform(0.5, 2, 4), weight=w)  # (no pos_weight gradient in PyTorch)


def test_binary_cross_entropy_clamps_log_at_minus_100():
    p, t = np.array([0.0, 1.0, 0.5]), np.array([1.0, 0.0, 1.0])
    run("binary_cross_entropy", p, t)
    z, t = np.array([200.0, -200.0, 0.0]), np.array([0.0, 1.0, 1.0])
    run("binary_cross_entropy_with_logits", D(z), t)


@pytest.mark.filterwarnings("ignore:reduction. 'mean' divides")
@pytest.mark.parametrize("reduction", ["mean", "sum", "none", "batchmean"])
def test_kl_div(reduction):
    logq = TF.log_softmax(torch.tensor(randn(3, 4)), 1).numpy()
    p = TF.softmax(torch.tensor(randn(3, 4)), 1).numpy()
    run("kl_div", D(logq), D(p), reduction=reduction)
    run("kl_div", D(logq), D(np.log(p)), reduction=reduction, log_target=True)


def test_kl_div_zero_target():
    logq, p = np.log(np.array([[0.5, 0.25, 0.25]])), np.array([[0.0, 0.5, 0.5]])
    run("kl_div", D(logq), p, reduction="sum")


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_other_losses(reduction):
    run("poisson_nll_loss", D(randn(3, 4)), D(rng.uniform(0, 3, (3, 4))), reduction=reduction)
    run("poisson_nll_loss", D(rng.uniform(0.5, 2, (3, 4))), D(rng.uniform(0, 3, (3, 4))),
        log_input=False, full=True, reduction=reduction)
    y = np.sign(randn(5))
    run("margin_ranking_loss", D(randn(5)), D(randn(5)), y, margin=0.2, reduction=reduction)
    run("hinge_embedding_loss", D(randn(6)), np.array([1.0, -1, 1, -1, -1, 1]),
        margin=0.5, reduction=reduction)


# -- similarities ---------------------------------------------------------------------


def test_similarities():
    run("cosine_similarity", D(randn(3, 4)), D(randn(3, 4)))
    run("cosine_similarity", D(randn(3, 4)), D(randn(4)), dim=-1)
    run("cosine_similarity", D(randn(2, 3, 4)), D(randn(2, 3, 4)), dim=0, eps=1e-6)
    for p in (2.0, 1.0, 3.0):
        run("pairwise_distance", D(randn(3, 4)), D(randn(3, 4)), p=p)
        run("normalize", D(randn(3, 4)), p=p)
    run("pairwise_distance", D(randn(3, 4)), D(randn(3, 4)), keepdim=True, eps=1e-3)
    run("normalize", D(randn(2, 3, 4)), dim=-1)
    run("normalize", D(np.zeros((2, 3))), second_order=False)  # the eps clamp


# -- linear ------------------------------------------------------------------------------


def test_linear_and_bilinear():
    run("linear", D(randn(3, 4)), D(randn(5, 4)), D(randn(5)))
    run("linear", D(randn(2, 3, 4)), D(randn(5, 4)))
    run("linear", D(randn(4)), D(randn(5, 4)), D(randn(5)))
    run("bilinear", D(randn(3, 2)), D(randn(3, 4)), D(randn(5, 2, 4)), D(randn(5)))


# -- normalization ---------------------------------------------------------------------


def test_layer_and_rms_norm():
    run("layer_norm", D(randn(3, 4)), (4,), D(randn(4)), D(randn(4)))
    run("layer_norm", D(randn(2, 3, 4)), [3, 4], eps=1e-3)
    run("rms_norm", D(randn(3, 4)), (4,), D(randn(4)))
    run("rms_norm", D(randn(2, 3, 4)), (3, 4), eps=1e-4)


def test_group_and_instance_norm():
    run("group_norm", D(randn(2, 4, 3)), 2, D(randn(4)), D(randn(4)))
    run("group_norm", D(randn(2, 6, 2, 2)), 3)
    run("instance_norm", D(randn(2, 3, 4)), weight=D(randn(3)), bias=D(randn(3)))


@pytest.mark.parametrize("training", [True, False])
def test_batch_norm_and_running_stats(training):
    x = randn(4, 3, 2)
    rm, rv = randn(3), rng.uniform(0.5, 2, 3)
    w_stats = [wg.tensor(rm.copy()), wg.tensor(rv.copy())]
    t_stats = [torch.tensor(rm.copy()), torch.tensor(rv.copy())]
    w_b, t_b = randn(3), randn(3)
    run("batch_norm", D(x), None, None, D(w_b), D(t_b), training=training, momentum=0.3,
        wg_fn=lambda x, _a, _b, w, b, **kw: F.batch_norm(x, *w_stats, w, b, **kw),
        torch_fn=lambda x, _a, _b, w, b, **kw: TF.batch_norm(x, *t_stats, w, b, **kw))
    for a, b in zip(w_stats, t_stats):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)
        assert not a.requires_grad


def test_instance_norm_running_stats():
    x = randn(4, 3, 5)
    w_stats = [wg.zeros(3, dtype=wg.float64), wg.ones(3, dtype=wg.float64)]
    t_stats = [torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)]
    w = F.instance_norm(wg.tensor(x), *w_stats, momentum=0.2)
    t = TF.instance_norm(torch.tensor(x), *t_stats, momentum=0.2)
    np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=1e-12)
    for a, b in zip(w_stats, t_stats):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)


# -- lookups, dropout, attention ------------------------------------------------------


def test_embedding_padding_and_max_norm():
    idx = np.array([[0, 2, 3], [3, 0, 1]])
    run("embedding", idx, D(randn(4, 3)))
    run("embedding", idx, D(randn(4, 3)), padding_idx=0)
    run("embedding", idx, D(randn(4, 3)), padding_idx=-1)
    weight = randn(5, 3) * 3
    w, t = wg.tensor(weight.copy()), torch.tensor(weight.copy())
    a = F.embedding(wg.tensor(idx), w, max_norm=1.0)
    b = TF.embedding(torch.tensor(idx), t, max_norm=1.0)
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)
    np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=1e-12)  # renormalized in place


def test_one_hot():
    t = np.array([[0, 3], [1, 1]])
    for n in (-1, 5):
        a, b = F.one_hot(wg.tensor(t), n), TF.one_hot(torch.tensor(t), n)
        assert a.dtype == wg.int64 and not a.requires_grad
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_dropout_is_inverted_reproducible_and_masks_the_gradient():
    x = wg.ones(1000, dtype=wg.float64, requires_grad=True)
    wg.manual_seed(3)
    y = F.dropout(x, p=0.25)
    wg.manual_seed(3)
    assert np.array_equal(F.dropout(x, p=0.25).detach().numpy(), y.detach().numpy())
    vals = set(np.unique(y.detach().numpy()))
    assert vals == {0.0, 1 / 0.75}
    assert 0.15 < np.mean(y.detach().numpy() == 0) < 0.35
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())
    assert F.dropout(x, p=0.5, training=False) is x
    assert not np.any(F.dropout(x, p=1.0).detach().numpy())


def test_alpha_dropout_keeps_mean_and_variance():
    wg.manual_seed(0)
    x = wg.randn(200000, dtype=wg.float64)
    y = F.alpha_dropout(x, p=0.2, training=True).numpy()
    assert abs(y.mean()) < 0.02 and abs(y.var() - 1) < 0.03


@pytest.mark.parametrize("kind", ["plain", "causal", "bool", "float", "scale", "gqa"])
def test_scaled_dot_product_attention(kind):
    q, k, v = D(randn(2, 3, 4)), D(randn(2, 5, 4)), D(randn(2, 5, 3))
    kw = {}
    if kind == "causal":
        k, v = D(randn(2, 3, 4)), D(randn(2, 3, 3))
        kw["is_causal"] = True
    elif kind == "bool":
        kw["attn_mask"] = rng.random((3, 5)) < 0.7
        kw["attn_mask"][:, 0] = True
    elif kind == "float":
        kw["attn_mask"] = randn(2, 3, 5)
    elif kind == "scale":
        kw["scale"] = 0.3
    elif kind == "gqa":
        q, k, v = D(randn(1, 4, 3, 2)), D(randn(1, 2, 5, 2)), D(randn(1, 2, 5, 3))
        kw["enable_gqa"] = True
    run("scaled_dot_product_attention", q, k, v, **kw)
