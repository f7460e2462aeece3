"""Max pooling against ``torch.nn.functional`` where the pick is delicate: ties, NaN,
-inf, signed zeros, overlapping windows, padding and ceil mode, float32 and float64.

PyTorch's CPU kernels take, in each window in row-major order, an element that
is greater than the current maximum or NaN (``val > max || isnan(val)``), starting
from -inf at the window's first element inside the input. So ties go to the first
maximum, the last NaN of a window is picked, and a window of -inf picks its first
element inside the input. The values, the indices, the gradient (a VJP; it goes
to the picked element, and overlapping windows add), the double backward and the
JVP must all be PyTorch's.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
import wengert.autograd.forward_ad as fwAD
import wengert.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional

rng = np.random.default_rng(4321)


def compare(name, x, kwargs, dtype=np.float64):
    """``F.<name>(x, **kwargs, return_indices=True)`` in both libraries, bit for bit:
    values, indices, VJP, double backward (zero) and JVP."""
    x = np.asarray(x, dtype=dtype)
    wx, tx = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    (w_out, w_idx) = getattr(F, name)(wx, **kwargs, return_indices=True)
    (t_out, t_idx) = getattr(TF, name)(tx, **kwargs, return_indices=True)
    np.testing.assert_array_equal(w_idx.numpy(), t_idx.numpy())
    assert w_out.dtype == np.dtype(dtype)
    # bit for bit: NaN where PyTorch has NaN, the same signed zeros
    np.testing.assert_array_equal(np.signbit(w_out.detach().numpy()),
                                  np.signbit(t_out.detach().numpy()))
    np.testing.assert_array_equal(w_out.detach().numpy(), t_out.detach().numpy())
    u = rng.standard_normal(w_out.shape).astype(dtype)
    (w_g,) = wg.grad(w_out, [wx], grad_outputs=(wg.tensor(u),), create_graph=True)
    (t_g,) = torch.autograd.grad(t_out, [tx], torch.tensor(u), create_graph=True)
    np.testing.assert_array_equal(w_g.detach().numpy(), t_g.detach().numpy())
    np.testing.assert_array_equal(np.signbit(w_g.detach().numpy()),
                                  np.signbit(t_g.detach().numpy()))
    # double backward: the gradient depends on the cotangent only (zero second derivative
    # in x), and its derivative in the cotangent is the gather at the picks
    v = rng.standard_normal(x.shape).astype(dtype)
    assert not w_g.requires_grad
    wu = wg.tensor(u, requires_grad=True)
    (w_g2,) = wg.grad(w_out, [wx], grad_outputs=(wu,), create_graph=True)
    (w_gu,) = wg.grad((w_g2 * wg.tensor(v)).sum(), [wu])
    tu = torch.tensor(u, requires_grad=True)
    (t_g2,) = torch.autograd.grad(t_out, [tx], tu, create_graph=True)
    (t_gu,) = torch.autograd.grad((t_g2 * torch.tensor(v)).sum(), [tu])
    np.testing.assert_array_equal(w_gu.numpy(), t_gu.numpy())
    t = rng.standard_normal(x.shape).astype(dtype)
    with fwAD.dual_level():
        w_t = fwAD.unpack_dual(getattr(F, name)(fwAD.make_dual(wg.tensor(x), wg.tensor(t)),
                                                **kwargs)).tangent
    import torch.autograd.forward_ad as tfw
    with tfw.dual_level():
        t_t = tfw.unpack_dual(getattr(TF, name)(tfw.make_dual(torch.tensor(x), torch.tensor(t)),
                                                **kwargs)).tangent
    np.testing.assert_array_equal(w_t.numpy(), t_t.numpy())


NAN, INF = np.nan, np.inf

WINDOWS = [
    ("max_pool2d", {"kernel_size": 2}),
    ("max_pool2d", {"kernel_size": 3, "stride": 1, "padding": 1}),
    ("max_pool2d", {"kernel_size": (2, 3), "stride": (1, 2), "dilation": (2, 1)}),
    ("max_pool2d", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
    ("max_pool1d", {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True}),
]


def _inputs(shape):
    """Inputs full of the delicate cases: ties, NaN, +-inf, signed zeros."""
    pool = np.array([0.0, -0.0, 1.0, 1.0, -1.0, NAN, INF, -INF, -INF, -INF, 2.5])
    yield "ties-nan-inf-zeros", rng.choice(pool, size=shape)
    yield "zeros-and-minus-zeros", rng.choice(np.array([0.0, -0.0]), size=shape)
    yield "minus-inf", np.full(shape, -INF)
    yield "random", rng.standard_normal(shape)


@pytest.mark.parametrize("name, kw", WINDOWS, ids=str)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_max_pool_picks_what_pytorch_picks(name, kw, dtype):
    shape = (2, 3, 7, 8) if name == "max_pool2d" else (2, 3, 11)
    for label, x in _inputs(shape):
        try:
            compare(name, x, kw, dtype)
        except AssertionError as e:
            raise AssertionError(f"{label}: {e}") from None


@pytest.mark.parametrize("size", [3, (2, 5), (7, 8)], ids=str)
def test_adaptive_max_pool_picks_what_pytorch_picks(size):
    for label, x in _inputs((2, 3, 7, 8)):
        try:
            compare("adaptive_max_pool2d", x, {"output_size": size})
        except AssertionError as e:
            raise AssertionError(f"{label}: {e}") from None

