"""Review: ``F.threshold`` (and ``nn.Threshold``) of NaN.

It computed ``where(x > threshold, x, value)``, which replaced a NaN by ``value``: a
finite output for a NaN input. PyTorch replaces only where ``x <= threshold``, so NaN
passes through (with its gradient).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import wengert as wg
import wengert.nn.functional as F

torch = pytest.importorskip("torch")

X = np.array([math.nan, 0.5, 0.4, 2.0, -math.inf, math.inf, -0.0])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_values_and_gradients_match_pytorch(dtype):
    x = wg.tensor(X.astype(dtype), requires_grad=True)
    t = torch.tensor(X.astype(dtype), requires_grad=True)
    y, u = F.threshold(x, 0.5, -1.0), torch.nn.functional.threshold(t, 0.5, -1.0)
    np.testing.assert_array_equal(y.detach().numpy(), u.detach().numpy())
    g = np.arange(1.0, len(X) + 1).astype(dtype)
    y.backward(wg.tensor(g))
    u.backward(torch.tensor(g))
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())


def test_module_and_in_place():
    y = wg.nn.Threshold(0.5, 7.0)(wg.tensor(X))
    assert math.isnan(y.numpy()[0]) and y.numpy()[1] == 7.0
    x = wg.tensor(X.copy())
    F.threshold(x, 0.5, 7.0, inplace=True)
    np.testing.assert_array_equal(x.numpy(), y.numpy())


def test_integer_input():
    a = np.array([0, 1, 2, 3])
    np.testing.assert_array_equal(F.threshold(wg.tensor(a), 1, -5).numpy(),
                                  torch.nn.functional.threshold(torch.tensor(a), 1, -5).numpy())
