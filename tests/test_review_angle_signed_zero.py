"""Review: ``angle`` of a real negative zero.

``wg.angle`` used NumPy's ``angle``, which is ``atan2(0, x)``: ``pi`` at ``-0.0``.
PyTorch's (and the docstring's "0 at 0") is 0 there: a real number's angle is ``pi``
below 0 and 0 otherwise, NaN for NaN. ``wengert.numpy.angle`` keeps NumPy's answer.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import wengert as wg
import wengert.numpy as wnp

torch = pytest.importorskip("torch")

X = [-0.0, 0.0, -1.0, math.nan, -math.inf, 3.0, math.inf, -1e-300]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_real_angle_matches_pytorch_bit_for_bit(dtype):
    x = np.array(X, dtype=dtype)
    w, t = wg.angle(wg.tensor(x)).numpy(), torch.angle(torch.tensor(x)).numpy()
    assert w.dtype == t.dtype
    np.testing.assert_array_equal(w, t)
    np.testing.assert_array_equal(np.signbit(w), np.signbit(t))


def test_zero_dimensional_and_gradient():
    x = wg.tensor(-0.0, requires_grad=True)
    y = wg.angle(x)
    assert y.item() == 0.0 and not math.copysign(1.0, y.item()) < 0
    y.backward()
    assert x.grad.item() == 0.0


def test_numpy_namespace_keeps_numpy_angle():
    x = np.array(X)
    np.testing.assert_array_equal(wnp.angle(x), np.angle(x))
    np.testing.assert_array_equal(wnp.angle(x, deg=True), np.angle(x, deg=True))
