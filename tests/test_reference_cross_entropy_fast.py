"""cross_entropy, softmax and log_softmax on their fast paths, against PyTorch.

The fused forward exponentiates without shifting when that is safe, sums rows with
einsum, gathers and scatters at the targets by flat index and scales rows with a
one-row buffer (``by_rows``); these tests cover those paths at widths where they
engage, in float32 at the benchmark's shape and in float64 to second order, plus the
layouts and options that leave them (non-contiguous logits, large logits, ignored
targets, weights, smoothing).
"""

from __future__ import annotations

import numpy as np
import pytest
from test_reference_nn_functional import D, run

import wengert as wg

torch = pytest.importorskip("torch")
TF = torch.nn.functional
F = wg.nn.functional

rng = np.random.default_rng(77)


def _first_order(x, t, **kw):
    """Loss and gradient of wengert's and PyTorch's cross_entropy at ``x``."""
    xw, xt = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    kw_t = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
    kw_w = {k: wg.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
    lw = F.cross_entropy(xw, wg.tensor(t), **kw_w)
    lt = TF.cross_entropy(xt, torch.tensor(t), **kw_t)
    lw.sum().backward()
    lt.sum().backward()
    return (lw.detach().numpy(), xw.grad.numpy()), (lt.detach().numpy(), xt.grad.numpy())


@pytest.mark.parametrize("scale", [3.0, 60.0])  # 60: the shifted path (exp would overflow)
@pytest.mark.parametrize("kw", [{}, {"ignore_index": 17}, {"label_smoothing": 0.1},
                                {"weight": "w", "reduction": "sum"}, {"reduction": "none"}])
def test_float32_benchmark_shape(kw, scale):
    x = (rng.standard_normal((256, 1000)) * scale).astype(np.float32)
    t = rng.integers(0, 1000, 256)
    t[::7] = 17
    if kw.get("weight") == "w":
        kw = {**kw, "weight": rng.uniform(0.5, 2.0, 1000).astype(np.float32)}
    (lw, gw), (lt, gt) = _first_order(x, t, **kw)
    assert lw.dtype == gw.dtype == np.float32
    np.testing.assert_allclose(lw, lt, rtol=2e-6, atol=1e-6)
    # (absolute: at a target whose probability is near 1, p - 1 cancels to ulps of 1)
    np.testing.assert_allclose(gw, gt, rtol=1e-5, atol=2e-7 * np.abs(gt).max())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", ["plain", "ignore", "weight-smooth-ignore", "spatial", "1d"])
def test_wide_rows_float64_second_order(case, reduction):
    shape, tshape = {"spatial": ((2, 24, 3), (2, 3)), "1d": ((24,), ())}.get(case, ((5, 24),
                                                                                   (5,)))
    t = np.asarray(rng.integers(0, 24, tshape))
    kw = {"reduction": reduction}
    if "ignore" in case:
        t.flat[0] = kw["ignore_index"] = 9
    if "weight" in case:
        kw["weight"] = rng.uniform(0.5, 2.0, 24)
    if "smooth" in case:
        kw["label_smoothing"] = 0.25
    run("cross_entropy", D(rng.standard_normal(shape) * 2), t, **kw)


def test_non_contiguous_logits():
    x = rng.standard_normal((40, 6)).astype(np.float32).T  # (6, 40), Fortran order
    t = rng.integers(0, 40, 6)
    (lw, gw), (lt, gt) = _first_order(x, t)
    np.testing.assert_allclose(lw, lt, rtol=2e-6)
    np.testing.assert_allclose(gw, gt, rtol=1e-5, atol=1e-9)


def test_ignore_index_in_range_but_absent_and_out_of_bounds_targets():
    x = rng.standard_normal((4, 20))
    t = np.array([0, 1, 2, 3])
    (lw, gw), (lt, gt) = _first_order(x, t, ignore_index=5)
    np.testing.assert_allclose(lw, lt, rtol=1e-12)
    np.testing.assert_allclose(gw, gt, rtol=1e-12, atol=1e-15)
    with pytest.raises(IndexError, match=r"target 20 is out of bounds for 20 classes"):
        F.cross_entropy(wg.tensor(x), wg.tensor([0, 20, 5, 1]), ignore_index=5)


def test_empty_batch_like_torch():
    x = np.zeros((0, 20), np.float32)
    (lw, gw), (lt, gt) = _first_order(x, np.zeros(0, np.int64), reduction="sum")
    assert lw == lt == 0 and gw.shape == gt.shape == (0, 20)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("scale", [1.0, 300.0])
def test_softmax_wide_rows(name, scale):
    run(name, D(rng.standard_normal((5, 40)) * scale), dim=1)
    x = (rng.standard_normal((64, 1000)) * scale).astype(np.float32)
    w, t = getattr(F, name)(wg.tensor(x), dim=1), getattr(TF, name)(torch.tensor(x), dim=1)
    np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=2e-6, atol=1e-7)


def test_the_buffer_size_is_restored():
    before = np.getbufsize()
    x = wg.tensor(rng.standard_normal((8, 64)), requires_grad=True)
    F.cross_entropy(x, wg.tensor(rng.integers(0, 64, 8))).backward()
    F.softmax(x, 1)
    assert np.getbufsize() == before
