"""The 3-D poolings against ``torch.nn.functional`` (2.13, CPU): values, indices, VJP,
double backward and JVP for floating point input; integer input where PyTorch
takes it (``max_pool3d``: every integer dtype; ``avg_pool3d``: int64); the layers.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
import wengert.nn as nn
import wengert.nn.functional as F

torch = pytest.importorskip("torch")

from _pooling_reference import compare_derivatives  # noqa: E402 (tests/_pooling_reference.py; needs torch)

TF = torch.nn.functional

rng = np.random.default_rng(303)

CONFIGS = [
    ("max_pool3d", (2, 2, 4, 5, 6), {"kernel_size": 2}),
    ("max_pool3d", (1, 2, 5, 5, 6), {"kernel_size": (3, 2, 3), "stride": (2, 1, 2),
                                     "padding": (1, 0, 1), "dilation": (1, 2, 1),
                                     "ceil_mode": True}),
    ("max_pool3d", (2, 4, 4, 4), {"kernel_size": 3, "stride": 1, "padding": 1}),  # unbatched
    ("adaptive_max_pool3d", (1, 2, 5, 4, 7), {"output_size": (2, 3, 4)}),
    ("avg_pool3d", (2, 2, 4, 5, 6), {"kernel_size": 2}),
    ("avg_pool3d", (1, 2, 5, 5, 6), {"kernel_size": 3, "stride": 2, "padding": 1,
                                     "ceil_mode": True, "count_include_pad": False}),
    ("avg_pool3d", (1, 2, 5, 5, 6), {"kernel_size": (2, 3, 2), "divisor_override": 5}),
    ("avg_pool3d", (2, 3, 2, 3, 4), {"kernel_size": (2, 3, 4)}),  # global
    ("adaptive_avg_pool3d", (1, 2, 5, 4, 7), {"output_size": (2, 3, 4)}),
    ("adaptive_avg_pool3d", (2, 3, 3, 4, 2), {"output_size": 1}),  # global
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,shape,kwargs", CONFIGS,
                         ids=[f"{i}-{n}" for i, (n, _, _) in enumerate(CONFIGS)])
def test_3d_pooling_matches_torch(name, shape, kwargs, dtype):
    tol = {"rtol": 1e-6, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-13, "atol": 1e-14}
    x = rng.standard_normal(shape).astype(dtype)
    wx, tx = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    if "max" in name:
        (w_out, w_idx) = getattr(F, name)(wx, **kwargs, return_indices=True)
        (t_out, t_idx) = getattr(TF, name)(tx, **kwargs, return_indices=True)
        np.testing.assert_array_equal(w_idx.numpy(), t_idx.numpy())
    else:
        w_out, t_out = getattr(F, name)(wx, **kwargs), getattr(TF, name)(tx, **kwargs)
    assert w_out.dtype == np.dtype(dtype) and w_out.shape == tuple(t_out.shape)
    np.testing.assert_allclose(w_out.detach().numpy(), t_out.detach().numpy(), **tol)
    compare_derivatives(name, x, kwargs, (w_out, t_out), (wx, tx), rng, tol)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int32, np.int64],
                         ids=lambda d: np.dtype(d).name)
def test_max_pool3d_integers(dtype):
    x = rng.integers(0, 5, size=(2, 2, 4, 5, 5)).astype(dtype)
    x[0, 0, :2] = np.iinfo(dtype).min
    kwargs = {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}
    t_out, t_idx = TF.max_pool3d(torch.from_numpy(x), **kwargs, return_indices=True)
    w_out, w_idx = F.max_pool3d(wg.tensor(x), **kwargs, return_indices=True)
    assert w_out.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(w_out.numpy(), t_out.numpy())
    np.testing.assert_array_equal(w_idx.numpy(), t_idx.numpy())


def test_avg_pool3d_int64_and_refusals():
    x = rng.integers(-20, 20, size=(2, 2, 4, 5, 5))
    for kwargs in [{"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1,
                                        "count_include_pad": False, "ceil_mode": True}]:
        np.testing.assert_array_equal(F.avg_pool3d(wg.tensor(x), **kwargs).numpy(),
                                      TF.avg_pool3d(torch.from_numpy(x), **kwargs).numpy())
    with pytest.raises(TypeError, match=r"avg_pool3d: .*int32.*x\.long\(\)"):
        F.avg_pool3d(wg.tensor(x.astype(np.int32)), 2)
    with pytest.raises(TypeError, match=r"adaptive_max_pool3d: .*floating point.*int64"):
        F.adaptive_max_pool3d(wg.tensor(x), 2)
    with pytest.raises(TypeError, match=r"adaptive_avg_pool3d: .*floating point.*int64"):
        F.adaptive_avg_pool3d(wg.tensor(x), 1)
    with pytest.raises(RuntimeError, match=r"max_pool3d: expected a 4-D or 5-D input, got shape \(3, 4, 5\)"):
        F.max_pool3d(wg.ones(3, 4, 5), 2)


@pytest.mark.parametrize("make", [
    lambda m: m.MaxPool3d(3, 2, 1, ceil_mode=True),
    lambda m: m.AvgPool3d(3, 2, 1, count_include_pad=False),
    lambda m: m.AdaptiveAvgPool3d((2, 1, 3)),
    lambda m: m.AdaptiveMaxPool3d((2, 1, 3)),
    lambda m: m.AdaptiveMaxPool1d(3),
], ids=["MaxPool3d", "AvgPool3d", "AdaptiveAvgPool3d", "AdaptiveMaxPool3d", "AdaptiveMaxPool1d"])
def test_layers_match_torch(make):
    ours, theirs = make(nn), make(torch.nn)
    shape = (2, 3, 7) if "1d" in repr(theirs) else (2, 3, 5, 4, 6)
    x = rng.standard_normal(shape)
    np.testing.assert_allclose(ours(wg.tensor(x)).numpy(), theirs(torch.tensor(x)).numpy(),
                               rtol=1e-13, atol=1e-14)
    assert repr(ours).split("(")[0] == repr(theirs).split("(")[0]
