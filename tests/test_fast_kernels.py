"""Branch-free kernels on the first-order path give NumPy's results bit for bit."""

import numpy as np
import pytest

from wengert._primitive import FAST
from wengert.autograd.linear import Mask


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("strided", [False, True])
def test_mask_equals_where_bit_for_bit(dtype, strided):
    rng = np.random.default_rng(0)
    t = rng.standard_normal((7, 9)).astype(dtype)
    t[0, :5] = [np.nan, np.inf, -np.inf, -0.0, 0.0]  # none of them leaks where the mask is off
    mask = rng.random((7, 9)) > 0.5
    if strided:
        t, mask = t[:, ::2], mask[:, ::2]
    got = Mask(mask).transpose(FAST, t)
    expected = np.where(mask, t, 0)
    assert got.dtype == expected.dtype and got.shape == expected.shape
    assert got.tobytes() == expected.tobytes()


def test_mask_falls_back_for_broadcasts_complex_and_scalars():
    mask = np.array([True, False])
    np.testing.assert_array_equal(Mask(mask).apply(FAST, np.ones((3, 2))), [[1, 0]] * 3)
    z = np.array([1 + 2j, 3j])
    np.testing.assert_array_equal(Mask(mask).apply(FAST, z), [1 + 2j, 0])
    assert Mask(np.bool_(False)).apply(FAST, np.float64(np.inf)) == 0
