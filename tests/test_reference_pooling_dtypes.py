"""Pooling on integer and bool input against ``torch.nn.functional`` (2.13, CPU).

PyTorch's kernels: max pooling takes every integer dtype (values and dtype kept,
int64 indices; the padding never wins, even against the dtype's minimum),
average pooling takes int64 only (the sum wraps like int64 and is divided
rounding toward zero), adaptive pooling and bool take none. Where PyTorch
refuses, wengert refuses with a TypeError naming the op, the dtype and the
conversion. (PyTorch's ``max_pool1d`` refuses integers unless
``return_indices=True``; wengert gives those values either way.)
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
import wengert.nn as nn
import wengert.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(2026)

INTS = [np.int8, np.uint8, np.int16, np.int32, np.int64]

MAX_WINDOWS = [
    ("max_pool2d", (2, 3, 5, 6), {"kernel_size": 2}),
    ("max_pool2d", (2, 3, 5, 6), {"kernel_size": 3, "stride": 1, "padding": 1}),
    ("max_pool2d", (1, 2, 6, 7), {"kernel_size": (2, 3), "stride": (1, 2), "dilation": (2, 1)}),
    ("max_pool2d", (1, 2, 6, 7), {"kernel_size": 3, "stride": 2, "padding": 1,
                                  "ceil_mode": True}),
    ("max_pool2d", (2, 5, 6), {"kernel_size": 2, "stride": 1}),  # unbatched
    ("max_pool1d", (2, 3, 9), {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
    ("max_pool1d", (3, 8), {"kernel_size": 2}),  # unbatched
]


def _ints(shape, dtype, low_heavy=False):
    """Random values of ``dtype`` with many ties and the dtype's extremes."""
    info = np.iinfo(dtype)
    x = rng.integers(-3, 4, size=shape) if info.min < 0 else rng.integers(0, 4, size=shape)
    x = x.astype(dtype)
    flat = x.reshape(-1)
    flat[rng.random(flat.size) < (0.6 if low_heavy else 0.1)] = info.min
    flat[rng.random(flat.size) < 0.05] = info.max
    return x


@pytest.mark.parametrize("dtype", INTS, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("name,shape,kwargs", MAX_WINDOWS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(MAX_WINDOWS)])
@pytest.mark.parametrize("low_heavy", [False, True], ids=["ties", "minimum"])
def test_max_pool_integers_match_torch(dtype, name, shape, kwargs, low_heavy):
    x = _ints(shape, dtype, low_heavy)
    t_out, t_idx = getattr(TF, name)(torch.from_numpy(x), **kwargs, return_indices=True)
    w_out, w_idx = getattr(F, name)(wg.tensor(x), **kwargs, return_indices=True)
    assert w_out.dtype == np.dtype(dtype) and w_idx.dtype == np.int64
    assert not w_out.requires_grad
    np.testing.assert_array_equal(w_out.numpy(), t_out.numpy())
    np.testing.assert_array_equal(w_idx.numpy(), t_idx.numpy())
    plain = getattr(F, name)(wg.tensor(x), **kwargs)
    np.testing.assert_array_equal(plain.numpy(), t_out.numpy())
    if name == "max_pool2d":  # PyTorch's max_pool1d has no integer kernel without indices
        np.testing.assert_array_equal(plain.numpy(),
                                      getattr(TF, name)(torch.from_numpy(x), **kwargs).numpy())


def test_max_pool_integer_padding_never_wins():
    """A window of the dtype's minimum picks its first element inside the input."""
    x = np.array([[[[-128, -128, 5, -128]]]], np.int8)
    for kwargs in [{"kernel_size": (1, 3), "stride": 1, "padding": (0, 1)},
                   {"kernel_size": (1, 2), "stride": 2, "padding": (0, 1), "ceil_mode": True}]:
        t_out, t_idx = TF.max_pool2d(torch.from_numpy(x), **kwargs, return_indices=True)
        w_out, w_idx = F.max_pool2d(wg.tensor(x), **kwargs, return_indices=True)
        np.testing.assert_array_equal(w_out.numpy(), t_out.numpy())
        np.testing.assert_array_equal(w_idx.numpy(), t_idx.numpy())


def test_max_pool_module_integers():
    x = _ints((2, 3, 6, 6), np.int32)
    np.testing.assert_array_equal(nn.MaxPool2d(3, 2, 1)(wg.tensor(x)).numpy(),
                                  torch.nn.MaxPool2d(3, 2, 1)(torch.from_numpy(x)).numpy())


AVG_WINDOWS = [
    ("avg_pool1d", (2, 3, 9), {"kernel_size": 2}),
    ("avg_pool1d", (2, 3, 9), {"kernel_size": 3, "stride": 2, "padding": 1}),
    ("avg_pool1d", (2, 3, 9), {"kernel_size": 3, "stride": 2, "padding": 1,
                               "count_include_pad": False}),
    ("avg_pool1d", (3, 8), {"kernel_size": 3, "stride": 2, "ceil_mode": True}),
    ("avg_pool2d", (2, 3, 5, 6), {"kernel_size": 2}),
    ("avg_pool2d", (2, 3, 5, 6), {"kernel_size": 3, "stride": 2, "padding": 1,
                                  "ceil_mode": True, "count_include_pad": False}),
    ("avg_pool2d", (2, 3, 5, 6), {"kernel_size": 3, "stride": 2, "padding": 1,
                                  "ceil_mode": True}),
    ("avg_pool2d", (2, 3, 5, 6), {"kernel_size": (2, 3), "divisor_override": 4}),
    ("avg_pool2d", (2, 3, 5, 6), {"kernel_size": (2, 3), "padding": 1,
                                  "divisor_override": -5}),
    ("avg_pool2d", (3, 7, 7), {"kernel_size": 7}),  # unbatched, global
]


@pytest.mark.parametrize("name,shape,kwargs", AVG_WINDOWS,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(AVG_WINDOWS)])
def test_avg_pool_int64_matches_torch(name, shape, kwargs):
    """Sums divided rounding toward zero: negative sums round up, as in C."""
    x = rng.integers(-50, 50, size=shape)
    expected = getattr(TF, name)(torch.from_numpy(x), **kwargs)
    got = getattr(F, name)(wg.tensor(x), **kwargs)
    assert got.dtype == np.int64 and not got.requires_grad
    np.testing.assert_array_equal(got.numpy(), expected.numpy())


def test_avg_pool_int64_sum_wraps_like_torch():
    x = np.full((1, 1, 4), 2**62, np.int64)
    x[0, 0, 3] = -(2**63)
    expected = TF.avg_pool1d(torch.from_numpy(x), 2)
    np.testing.assert_array_equal(F.avg_pool1d(wg.tensor(x), 2).numpy(), expected.numpy())


def test_avg_pool_module_int64():
    x = rng.integers(-9, 9, size=(2, 2, 6, 6))
    np.testing.assert_array_equal(
        nn.AvgPool2d(3, 2, 1, count_include_pad=False)(wg.tensor(x)).numpy(),
        torch.nn.AvgPool2d(3, 2, 1, count_include_pad=False)(torch.from_numpy(x)).numpy())


REFUSED = [  # (call on a functional namespace, dtype): PyTorch has no kernel for these
    *[(lambda ns, x: ns.avg_pool2d(x, 2), d) for d in (np.int8, np.uint8, np.int16, np.int32)],
    (lambda ns, x: ns.avg_pool1d(x[0], 2), np.int32),
    *[(lambda ns, x: ns.adaptive_avg_pool2d(x, 1), d) for d in INTS],
    (lambda ns, x: ns.adaptive_avg_pool1d(x[0], 2), np.int64),
    *[(lambda ns, x: ns.adaptive_max_pool2d(x, 2), d) for d in INTS],
    (lambda ns, x: ns.adaptive_max_pool1d(x[0], 2, return_indices=True), np.int64),
    *[(fn, np.bool_) for fn in (lambda ns, x: ns.max_pool2d(x, 2),
                                lambda ns, x: ns.max_pool1d(x[0], 2, return_indices=True),
                                lambda ns, x: ns.avg_pool2d(x, 2),
                                lambda ns, x: ns.adaptive_max_pool2d(x, 2),
                                lambda ns, x: ns.adaptive_avg_pool2d(x, 1))],
]


@pytest.mark.parametrize("call,dtype", REFUSED, ids=[f"{i}-{np.dtype(d).name}"
                                                     for i, (_, d) in enumerate(REFUSED)])
def test_refused_dtypes_match_torch(call, dtype):
    x = np.arange(32).reshape(1, 2, 4, 4).astype(dtype)
    with pytest.raises((RuntimeError, NotImplementedError)):
        call(TF, torch.from_numpy(x))
    with pytest.raises(TypeError) as info:
        call(F, wg.tensor(x))
    msg = str(info.value)
    assert np.dtype(dtype).name in msg and "convert first" in msg
    assert any(op in msg for op in ("max_pool", "avg_pool"))


def test_refusal_messages_name_the_fix():
    x = wg.tensor(np.arange(16, dtype=np.int32).reshape(1, 1, 4, 4))
    with pytest.raises(TypeError, match=r"avg_pool2d: .*int64.*int32.*x\.long\(\)"):
        F.avg_pool2d(x, 2)
    with pytest.raises(TypeError, match=r"max_pool2d: .*integer.*bool.*uint8"):
        F.max_pool2d(x > 3, 2)
    with pytest.raises(TypeError, match=r"adaptive_max_pool2d: .*floating point.*int32"):
        F.adaptive_max_pool2d(x, 1)
    with pytest.raises(TypeError, match=r"max_pool2d is not defined for complex"):
        F.max_pool2d(x.to(wg.complex64), 2)
