"""Review of the convolution modules against PyTorch: padding modes with 'same'/'valid',
ConvTranspose's output_size, and padding modes a transposed convolution does not have."""

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")
nn = wg.nn


def _pair(name, *args, **kwargs):
    tm = getattr(torch.nn, name)(*args, **kwargs).double()
    wm = getattr(nn, name)(*args, **kwargs).double()
    wm.load_state_dict({k: v.detach().numpy() for k, v in tm.state_dict().items()})
    return wm, tm


def _check(wm, tm, x, **call):
    xw, xt = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yw, yt = wm(xw, **call), tm(xt, **call)
    np.testing.assert_allclose(yw.detach().numpy(), yt.detach().numpy(), rtol=1e-12,
                               atol=1e-13)
    g = np.random.RandomState(3).randn(*yt.shape)
    yw.backward(wg.tensor(g))
    yt.backward(torch.tensor(g))
    np.testing.assert_allclose(xw.grad.numpy(), xt.grad.numpy(), rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(wm.weight.grad.numpy(), tm.weight.grad.numpy(), rtol=1e-12,
                               atol=1e-12)


@pytest.mark.parametrize("mode", ["reflect", "replicate", "circular"])
@pytest.mark.parametrize("padding, kernel, dilation", [
    ("same", 3, 1), ("same", 4, 1), ("same", (3, 2), (2, 1)), ("valid", 3, 1)])
def test_conv2d_same_and_valid_with_a_padding_mode(mode, padding, kernel, dilation):
    wm, tm = _pair("Conv2d", 3, 2, kernel, padding=padding, dilation=dilation,
                   padding_mode=mode)
    _check(wm, tm, np.random.RandomState(0).randn(2, 3, 7, 6))


def test_conv1d_same_with_a_padding_mode():
    wm, tm = _pair("Conv1d", 3, 2, 4, padding="same", dilation=3, padding_mode="reflect")
    _check(wm, tm, np.random.RandomState(1).randn(2, 3, 11))


@pytest.mark.parametrize("name", ["ConvTranspose1d", "ConvTranspose2d"])
def test_conv_transpose_refuses_a_padding_mode_it_would_ignore(name):
    with pytest.raises(ValueError):
        getattr(torch.nn, name)(2, 2, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match="only padding_mode='zeros'"):
        getattr(nn, name)(2, 2, 3, padding_mode="reflect")
