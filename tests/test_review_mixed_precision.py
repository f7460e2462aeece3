"""Review: operations mixing float precisions, or on small integer and bool tensors.

PyTorch computes in the promoted dtype: ``xlogy(float32, float16)`` takes the log in
float32, ``exp`` of an int8 or bool tensor computes in float32. NumPy picks float16 for
a float16 (or int8, uint8, bool) operand on its own, so wengert computed some of these
in float16 and only then cast: three to four significant digits where float32 has seven.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")


def test_xlogy_takes_the_log_in_the_result_dtype():
    x = np.array([0.5, 0.0, 2.0, -1.5], dtype=np.float32)
    y = np.array([3000.0, 0.0, 7.0, 0.1], dtype=np.float16)
    for a, b in ((x, y), (y, x), (x.astype(np.float64), y)):
        w, t = wg.xlogy(wg.tensor(a), wg.tensor(b)), torch.xlogy(torch.tensor(a), torch.tensor(b))
        assert str(w.dtype) == str(t.dtype).removeprefix("torch.")
        np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=2e-7)


@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.bool_, np.int16])
@pytest.mark.parametrize("name", ["exp", "sin", "tanh", "log1p"])
def test_unary_of_small_integers_computes_in_the_default_float(name, dtype):
    a = np.array([1, 0, 1] if dtype is np.bool_ else [3, 0, 7], dtype=dtype)
    wg.set_default_dtype(wg.float64)  # (int16 goes through float32 in NumPy)
    try:
        w = getattr(wg, name)(wg.tensor(a))
        assert w.dtype == wg.float64
        np.testing.assert_array_equal(w.numpy(), getattr(np, name)(a.astype(np.float64)))
    finally:
        wg.set_default_dtype(wg.float32)


def test_pow_exponent_gradient_uses_the_promoted_log():
    a = np.array([7.0, 5.0, 3.0], dtype=np.float16)
    b = np.array([-2.0, 4.0, 0.5], dtype=np.float32)
    wa, wb = wg.tensor(a, requires_grad=True), wg.tensor(b, requires_grad=True)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    (gw,) = wg.grad(wg.pow(wa, wb).sum(), [wb])
    (gt,) = torch.autograd.grad(torch.pow(ta, tb).sum(), [tb])
    np.testing.assert_allclose(gw.numpy(), gt.numpy(), rtol=1e-6)
