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


@pytest.mark.parametrize("output_size", [(13, 11), (14, 12), [2, 6, 14, 11], (6, 14, 12)])
def test_conv_transpose_output_size(output_size):
    wm, tm = _pair("ConvTranspose2d", 4, 6, 3, stride=2, padding=1, groups=2)
    x = np.random.RandomState(2).randn(2, 4, 7, 6)
    if len(output_size) == 3:  # unbatched
        x = x[0]
    _check(wm, tm, x, output_size=output_size)


def test_conv_transpose_output_size_out_of_range():
    wm, tm = _pair("ConvTranspose1d", 2, 2, 3, stride=2)
    x = np.ones((1, 2, 5))
    with pytest.raises(ValueError, match="valid sizes range from"):
        tm(torch.tensor(x), output_size=(13,))
    with pytest.raises(ValueError, match=r"valid sizes range from \(11,\) to \(12,\)"):
        wm(wg.tensor(x), output_size=(13,))
    with pytest.raises(ValueError, match="output_size must have 1 or 3 elements"):
        wm(wg.tensor(x), output_size=(11, 11))


@pytest.mark.parametrize("name", ["ConvTranspose1d", "ConvTranspose2d"])
def test_conv_transpose_refuses_a_padding_mode_it_would_ignore(name):
    with pytest.raises(ValueError):
        getattr(torch.nn, name)(2, 2, 3, padding_mode="reflect")
    with pytest.raises(ValueError, match="only padding_mode='zeros'"):
        getattr(nn, name)(2, 2, 3, padding_mode="reflect")
