"""Review: average pooling and linear interpolation of inputs holding NaN or inf.

Both are a matrix product per spatial dimension, and ``0 * nan`` (or ``0 * inf``) is
NaN: one NaN pixel made every output of its rows and columns NaN (a whole interpolated
image), where PyTorch's kernels confine it to the windows that hold it. A -inf in a
window gave NaN instead of -inf.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import wengert as wg
import wengert.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(4)


def _poisoned(shape, infinities=True):
    x = rng.standard_normal(shape)
    flat = x.reshape(-1)
    flat[1] = np.nan
    if infinities:
        flat[flat.size // 2], flat[-3] = np.inf, -np.inf
    else:
        flat[flat.size // 2] = np.nan
    return x


CALLS = {
    "avg_pool1d": lambda f, x: f.avg_pool1d(x, 3, stride=2, padding=1, ceil_mode=True),
    "avg_pool2d": lambda f, x: f.avg_pool2d(x, 3, stride=2, padding=1,
                                            count_include_pad=False),
    "avg_pool2d-divisor": lambda f, x: f.avg_pool2d(x, 2, divisor_override=3),
    "avg_pool3d": lambda f, x: f.avg_pool3d(x, 2, stride=1),
    "adaptive_avg_pool2d": lambda f, x: f.adaptive_avg_pool2d(x, (3, 4)),
    "linear": lambda f, x: f.interpolate(x, size=9, mode="linear", align_corners=False),
    "bilinear": lambda f, x: f.interpolate(x, scale_factor=1.7, mode="bilinear",
                                           align_corners=True),
    "trilinear": lambda f, x: f.interpolate(x, size=(3, 5, 4), mode="trilinear"),
}
SHAPES = {"1d": (2, 2, 7), "2d": (2, 2, 6, 7), "3d": (1, 2, 4, 5, 3)}


def _shape(name):
    if name in ("avg_pool1d", "linear"):
        return SHAPES["1d"]
    return SHAPES["3d"] if name in ("avg_pool3d", "trilinear") else SHAPES["2d"]


def _both(name, x0):
    xw, xt = wg.tensor(x0, requires_grad=True), torch.tensor(x0, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no RuntimeWarning from the product either)
        yw = CALLS[name](F, xw)
    return xw, yw, xt, CALLS[name](TF, xt)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_nan_stays_in_its_windows_and_gradients_match(name):
    xw, yw, xt, yt = _both(name, _poisoned(_shape(name), infinities=False))
    a, b = yw.detach().numpy(), yt.detach().numpy()
    np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    g = rng.standard_normal(b.shape)
    yw.backward(wg.tensor(g))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_infinities_stay_in_their_windows(name):
    """Where PyTorch's output is finite, wengert's is the same number; and a window that
    holds +-inf gives +-inf (or NaN for both signs), never a finite number. (PyTorch's
    linear kernels also give NaN where an inf is weighed by 0, at the last sample:
    ``inf * 1 + inf * 0``; wengert gives the inf there.)"""
    _, yw, _, yt = _both(name, _poisoned(_shape(name)))
    a, b = yw.detach().numpy(), yt.detach().numpy()
    finite = np.isfinite(b)
    np.testing.assert_allclose(a[finite], b[finite], rtol=1e-12, atol=1e-12)
    assert not np.isfinite(a[~finite]).any()
    np.testing.assert_array_equal(np.isposinf(a) & ~np.isnan(b), np.isposinf(b))
    np.testing.assert_array_equal(np.isneginf(a) & ~np.isnan(b), np.isneginf(b))


def test_second_order_through_the_sparse_path():
    x0 = _poisoned(SHAPES["2d"])
    x = wg.tensor(x0, requires_grad=True)
    y = F.interpolate(x, scale_factor=2, mode="bilinear")
    finite = wg.tensor(np.isfinite(y.detach().numpy()))
    (g,) = wg.grad(wg.where(finite, y, 0.0).pow(2).sum(), [x], create_graph=True)
    (h,) = wg.grad(wg.where(wg.tensor(np.isfinite(g.detach().numpy())), g, 0.0).sum(), [x])
    xt = torch.tensor(x0, requires_grad=True)
    yt = TF.interpolate(xt, scale_factor=2, mode="bilinear")
    (gt,) = torch.autograd.grad(torch.where(torch.isfinite(yt), yt, 0.0).pow(2).sum(), [xt],
                                create_graph=True)
    (ht,) = torch.autograd.grad(torch.where(torch.isfinite(gt), gt, 0.0).sum(), [xt])
    np.testing.assert_allclose(g.detach().numpy(), gt.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h.numpy(), ht.numpy(), rtol=1e-12, atol=1e-12)


def test_finite_inputs_keep_the_matrix_path_bits():
    x = rng.standard_normal(SHAPES["2d"])
    dense = F.avg_pool2d(wg.tensor(x), 3, stride=2)
    from wengert.nn.functional._spatial import _separable, along_dims

    band = np.zeros((2, 6))
    band[0, :3] = band[1, 2:5] = 1 / 3
    band2 = np.zeros((2, 7))
    band2[0, :3] = band2[1, 2:5] = 1 / 3
    a = along_dims(wg.tensor(x), [band, band2]).numpy()
    np.testing.assert_array_equal(a, _separable(x, [band, band2]))  # the plain matmuls
    np.testing.assert_array_equal(a, dense.numpy()[..., :2, :2])
