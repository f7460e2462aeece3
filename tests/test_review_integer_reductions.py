"""Review: sums and products of unsigned integer tensors, and ``mean(dtype=...)``.

PyTorch accumulates every integral dtype in int64; NumPy gives uint64 for unsigned
input, which wengert passed on (``wg.tensor([200, 100], dtype=wg.uint8).sum()`` was
uint64). ``mean`` lacked PyTorch's ``dtype`` argument.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")

U8 = np.array([[200, 100, 27], [255, 1, 2]], dtype=np.uint8)
ARRAYS = [U8, U8.astype(np.int8), U8 > 50, U8.astype(np.int16), U8.astype(np.int32)]


def _same(w, t):
    assert str(w.dtype) == str(t.dtype).removeprefix("torch."), (w.dtype, t.dtype)
    np.testing.assert_array_equal(w.numpy(), t.numpy())


CALLS = {
    "sum": lambda L, x: L.sum(x), "sum-dim": lambda L, x: L.sum(x, 1),
    "sum-tuple": lambda L, x: x.sum(dim=(0, 1)), "prod": lambda L, x: L.prod(x),
    "prod-dim": lambda L, x: L.prod(x, 0), "cumsum": lambda L, x: L.cumsum(x, 1),
    "cumprod": lambda L, x: L.cumprod(x, 0), "nansum": lambda L, x: L.nansum(x),
    "trace": lambda L, x: L.trace(x),
}


@pytest.mark.parametrize("a", ARRAYS, ids=lambda a: str(a.dtype))
@pytest.mark.parametrize("name", sorted(CALLS))
def test_integral_accumulation_matches_pytorch(name, a):
    if name == "trace" and a.dtype == np.bool_:
        pytest.skip("PyTorch has no trace of bools")
    _same(CALLS[name](wg, wg.tensor(a)), CALLS[name](torch, torch.tensor(a)))


@pytest.mark.parametrize("name", ["uint8", "int8", "int16"])
def test_an_explicit_dtype_wins_and_wraps_around(name):
    a, w, t = wg.tensor(U8), getattr(wg, name), getattr(torch, name)
    _same(wg.sum(a, dtype=w), torch.sum(torch.tensor(U8), dtype=t))
    _same(wg.sum(a, 1, dtype=w), torch.sum(torch.tensor(U8), 1, dtype=t))
    _same(wg.prod(a, dtype=w), torch.prod(torch.tensor(U8), dtype=t))
    _same(wg.prod(a, 1, dtype=w), torch.prod(torch.tensor(U8), 1, dtype=t))
    _same(wg.cumsum(a, 1, dtype=w), torch.cumsum(torch.tensor(U8), 1, dtype=t))
    _same(wg.cumprod(a, 0, dtype=w), torch.cumprod(torch.tensor(U8), 0, dtype=t))


def test_an_explicit_float_dtype():
    _same(wg.cumsum(wg.tensor(U8), 1, dtype=wg.float64),
          torch.cumsum(torch.tensor(U8), 1, dtype=torch.float64))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_mean_with_dtype(dtype):
    a = np.arange(6).reshape(2, 3)
    _same(wg.mean(wg.tensor(a), 1, dtype=getattr(wg, dtype)),
          torch.mean(torch.tensor(a), 1, dtype=getattr(torch, dtype)))
    x = wg.tensor([1.0, 2.0], requires_grad=True)
    y = x.mean(dtype=wg.float64)
    assert y.dtype == wg.float64
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.5, 0.5])
    assert x.grad.dtype == wg.float32


def test_mean_of_integers_still_asks_for_a_dtype():
    with pytest.raises(RuntimeError, match=r"mean: input dtype must be floating point"):
        wg.mean(wg.tensor([1, 2]))
