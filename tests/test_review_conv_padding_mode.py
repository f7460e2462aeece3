"""Review: ``nn.Conv*d(padding='same' or 'valid', padding_mode=...)``.

PyTorch pads 'same' with any padding mode (the odd extra element on the right); wengert
refused every padding mode but 'zeros' for string paddings. A strided 'same' is
refused at construction, as in PyTorch.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")

rng = np.random.default_rng(5)


def _pair(name, *args, **kw):
    t = getattr(torch.nn, name)(*args, **kw).double()
    w = getattr(wg.nn, name)(*args, **kw).double()
    w.load_state_dict({k: wg.tensor(v.detach().numpy()) for k, v in t.state_dict().items()})
    return t, w


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular", "zeros"])
@pytest.mark.parametrize("name,kernel,dilation,shape", [
    ("Conv1d", 4, 1, (2, 3, 9)), ("Conv1d", 3, 2, (2, 3, 9)),
    ("Conv2d", (3, 4), 1, (2, 3, 6, 7)), ("Conv2d", (2, 3), (2, 1), (1, 3, 6, 7)),
    ("Conv3d", 2, 1, (1, 3, 4, 5, 4)),
])
@pytest.mark.parametrize("padding", ["same", "valid"])
def test_string_padding_with_every_mode_matches_pytorch(name, kernel, dilation, shape, mode,
                                                         padding):
    t, w = _pair(name, 3, 2, kernel, padding=padding, dilation=dilation, padding_mode=mode)
    x = rng.standard_normal(shape)
    xt, xw = torch.tensor(x, requires_grad=True), wg.tensor(x, requires_grad=True)
    yt, yw = t(xt), w(xw)
    np.testing.assert_allclose(yw.detach().numpy(), yt.detach().numpy(), rtol=1e-12, atol=1e-12)
    if padding == "same":
        assert yw.shape == shape[:1] + (2,) + shape[2:]
    yt.pow(2).sum().backward()
    yw.pow(2).sum().backward()
    np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(w.weight.grad.numpy(), t.weight.grad.numpy(), rtol=1e-12,
                               atol=1e-12)


@pytest.mark.parametrize("mode", ["reflect", "zeros"])
def test_strided_same_is_refused_at_construction(mode):
    with pytest.raises(ValueError, match=r"Conv2d: padding='same' is not supported for "
                                         r"strided convolutions \(stride=\(2, 2\)\)"):
        wg.nn.Conv2d(3, 2, 3, stride=2, padding="same", padding_mode=mode)
