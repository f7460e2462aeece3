"""Review of average pooling and linear interpolation against PyTorch on non-finite inputs."""

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")
F = wg.nn.functional
TF = torch.nn.functional


def _spiked(shape, seed=0):
    x = np.random.RandomState(seed).randn(*shape)
    flat = x.reshape(-1)
    flat[3], flat[10], flat[-4] = np.nan, np.inf, -np.inf
    return x


_CALLS = [
    ("avg_pool1d", (2, 3, 9), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("avg_pool2d", (2, 2, 6, 5), {"kernel_size": 2}),
    ("avg_pool2d", (1, 2, 7, 6), {"kernel_size": 3, "stride": 2, "padding": 1,
                                  "ceil_mode": True, "count_include_pad": False}),
    ("avg_pool2d", (1, 2, 6, 6), {"kernel_size": 2, "divisor_override": 3}),
    ("avg_pool3d", (1, 2, 4, 4, 4), {"kernel_size": 2, "stride": 1}),
    ("adaptive_avg_pool1d", (2, 3, 9), {"output_size": 4}),
    ("adaptive_avg_pool2d", (2, 2, 7, 6), {"output_size": (3, 4)}),
    ("adaptive_avg_pool2d", (2, 2, 7, 6), {"output_size": (7, 6)}),
    ("adaptive_avg_pool3d", (1, 2, 5, 4, 3), {"output_size": 2}),
    ("interpolate", (1, 2, 5, 4), {"scale_factor": 1.5, "mode": "bilinear"}),
    ("interpolate", (1, 2, 6), {"size": 4, "mode": "linear"}),
]


@pytest.mark.parametrize("name, shape, kwargs", _CALLS, ids=lambda v: str(v))
def test_a_nan_or_inf_reaches_only_the_windows_that_hold_it(name, shape, kwargs):
    x = _spiked(shape)
    xw, xt = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    with np.errstate(invalid="ignore"):
        yw = getattr(F, name)(xw, **kwargs)
    yt = getattr(TF, name)(xt, **kwargs)
    ref = yt.detach().numpy()
    assert np.isfinite(ref).sum() > 0
    np.testing.assert_allclose(yw.detach().numpy(), ref, rtol=1e-13, atol=1e-15)
    g = np.random.RandomState(1).randn(*ref.shape)
    yw.backward(wg.tensor(g))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), rtol=1e-13, atol=1e-15)


def test_finite_inputs_keep_their_bits():
    x = np.random.RandomState(2).randn(2, 3, 7, 6)
    out = F.avg_pool2d(wg.tensor(x), 3, stride=2, padding=1).numpy()
    rows = ((np.arange(7) >= np.arange(4)[:, None] * 2 - 1)
            & (np.arange(7) < np.arange(4)[:, None] * 2 + 2)) / 3
    cols = ((np.arange(6) >= np.arange(3)[:, None] * 2 - 1)
            & (np.arange(6) < np.arange(3)[:, None] * 2 + 2)) / 3
    np.testing.assert_array_equal(out, (rows @ x) @ cols.T)  # the matmuls of before
