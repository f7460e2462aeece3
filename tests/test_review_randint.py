"""Review: ``randint`` with a floating dtype, ``randint_like`` of a float tensor, and an
empty range.

``wg.randint_like(wg.ones(2), 5)`` raised NumPy's ``TypeError: Unsupported dtype
float32 for integers`` (PyTorch gives a float32 tensor of integers), and ``low >= high``
gave NumPy's bare ``ValueError: low >= high`` without the op's name.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg


@pytest.mark.parametrize("dtype", [wg.float32, wg.float64, wg.int32, wg.int64, wg.uint8])
def test_dtypes(dtype):
    wg.manual_seed(0)
    x = wg.randint(2, 7, (50,), dtype=dtype)
    assert x.dtype == dtype and x.shape == (50,)
    values = x.numpy()
    assert values.min() >= 2 and values.max() < 7 and np.array_equal(values, np.round(values))


def test_randint_like_keeps_the_float_dtype():
    x = wg.randint_like(wg.ones(3, 4), 5)
    assert x.dtype == wg.float32 and x.shape == (3, 4)
    assert set(np.unique(x.numpy())) <= {0.0, 1.0, 2.0, 3.0, 4.0}
    assert wg.randint_like(wg.ones(2, dtype=wg.int64), 1, 3).dtype == wg.int64


@pytest.mark.parametrize("low,high", [(3, 3), (5, 2), (0, 0)])
def test_an_empty_range_is_refused_by_name(low, high):
    with pytest.raises(RuntimeError, match=rf"randint: low \({low}\) must be less than high"):
        wg.randint(low, high, (2,))
