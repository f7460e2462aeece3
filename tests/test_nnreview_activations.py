"""Review of nn.functional's activations against PyTorch at NaN, infinities and kinks."""

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")
F = wg.nn.functional
TF = torch.nn.functional

_X = np.array([np.nan, -np.inf, np.inf, -3.0, 3.0, 0.5, -0.5, 0.0, 20.0, 5.0, 2.5, -30.0])


def _value_and_slope(lib, fn):
    x = lib.tensor(_X, requires_grad=True)
    y = fn(x)
    y.backward(lib.ones_like(y))
    return y.detach().numpy(), x.grad.numpy()


def test_threshold_keeps_nan_as_pytorch():
    fw = lambda x: F.threshold(x, 0.5, -2.0)  # noqa: E731
    ft = lambda x: TF.threshold(x, 0.5, -2.0)  # noqa: E731
    with np.errstate(invalid="ignore"):
        yw, gw = _value_and_slope(wg, fw)
    yt, gt = _value_and_slope(torch, ft)
    np.testing.assert_array_equal(yw, yt)
    np.testing.assert_array_equal(gw, gt)
    assert np.isnan(yw[0])
    ints = F.threshold(wg.tensor([1, 5, -2]), 1, 7)
    np.testing.assert_array_equal(ints.numpy(), [7, 5, 7])


@pytest.mark.parametrize("name, kwargs", [
    ("softplus", {}), ("softplus", {"beta": 2.0, "threshold": 5.0}),
    ("softplus", {"beta": 0.5, "threshold": 1.25}), ("hardswish", {}), ("hardsigmoid", {}),
    ("relu6", {}), ("hardtanh", {}), ("elu", {}), ("celu", {"alpha": 0.4}), ("selu", {}),
    ("leaky_relu", {}), ("silu", {}), ("mish", {}), ("gelu", {}), ("logsigmoid", {})])
def test_value_and_slope_at_nan_infinities_and_kinks(name, kwargs):
    with np.errstate(all="ignore"):
        yw, gw = _value_and_slope(wg, lambda x: getattr(F, name)(x, **kwargs))
    yt, gt = _value_and_slope(torch, lambda x: getattr(TF, name)(x, **kwargs))
    # NaN where PyTorch has NaN, else the same to rounding (PyTorch's float64 hardsigmoid
    # slope is float32's 1/6, and its elu/mish slopes near -30 lose digits: hence the
    # tolerances)
    np.testing.assert_allclose(yw, yt, rtol=1e-7, atol=1e-15)
    np.testing.assert_allclose(gw, gt, rtol=1e-7, atol=1e-15)
