"""Review: ``arange`` with a float step.

NumPy's ``arange`` steps by ``(start + step) - start`` computed in the output dtype,
so in float32 ``wg.arange(1000.0, 1001.0, 0.001)`` stepped by 0.00097656 and ended at
1000.9756 instead of 1000.999 (PyTorch: start + i * step in double, rounded once).
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")

CASES = [(1000.0, 1001.0, 0.001), (-1, 1, 0.3), (0, 1, 0.1), (0.1, 1, 0.1), (10.0, 0, -0.7),
         (2.0**24, 2.0**24 + 40, 3.5), (-5.5, 5.5, 1.1), (0, 0.9999999, 0.1)]


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16"])
@pytest.mark.parametrize("start,end,step", CASES)
def test_values_are_start_plus_i_step_rounded_once(start, end, step, dtype):
    w = wg.arange(start, end, step, dtype=getattr(wg, dtype)).numpy()
    t = torch.arange(start, end, step, dtype=getattr(torch, dtype)).numpy()
    assert w.dtype == t.dtype and w.shape == t.shape
    with np.errstate(over="ignore"):  # (2**24 is past float16's range: inf, as PyTorch's)
        exact = (start + np.arange(len(w)) * step).astype(dtype)
        # PyTorch's vectorized kernel adds steps in the dtype within a vector: a few ulps
        ulp = np.finfo(dtype).eps * max(abs(start), abs(end))
    np.testing.assert_array_equal(w, exact)
    np.testing.assert_allclose(w, t, rtol=0, atol=4 * ulp)


def test_default_dtypes_and_integers_are_unchanged():
    assert wg.arange(5).dtype == wg.int64 and wg.arange(2.5).dtype == wg.float32
    np.testing.assert_array_equal(wg.arange(10, 0, -3).numpy(), [10, 7, 4, 1])
    np.testing.assert_array_equal(wg.arange(0, 1, 0.25).numpy(), [0, 0.25, 0.5, 0.75])
    assert wg.arange(1.0, 1.0).shape == (0,)
    x = wg.arange(0.0, 1.0, 0.5, requires_grad=True)
    assert x.requires_grad and x.is_leaf


def test_zero_step_is_refused():
    with pytest.raises(RuntimeError, match="arange: step must be nonzero"):
        wg.arange(0.0, 1.0, 0.0)
