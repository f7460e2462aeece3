"""Average pooling over global windows (each window the whole input: the end of a
CNN) against ``torch.nn.functional``: values, VJP, double backward and JVP, for
every option that keeps a window global, and the neighbours that do not.

wengert computes a global average as PyTorch does, a sum over the spatial axes
divided by the count (``pooling._average``); a sliding one with one matrix per
dim. Both must agree with PyTorch to rounding.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
import wengert.nn.functional as F

torch = pytest.importorskip("torch")

from _pooling_reference import compare_derivatives  # noqa: E402 (tests/_pooling_reference.py; needs torch)

TF = torch.nn.functional

rng = np.random.default_rng(77)

CONFIGS = [  # (name, input shape, kwargs); the global ones first
    ("avg_pool2d", (2, 3, 7, 7), {"kernel_size": 7}),
    ("avg_pool2d", (2, 3, 7, 7), {"kernel_size": 7, "stride": 2, "ceil_mode": True}),
    ("avg_pool2d", (1, 2, 3, 4), {"kernel_size": (3, 4), "stride": 5, "ceil_mode": True}),
    ("avg_pool2d", (2, 5, 5), {"kernel_size": 5, "divisor_override": 7}),
    ("avg_pool2d", (1, 2, 1, 1), {"kernel_size": 2, "padding": 1, "stride": 3}),
    ("avg_pool2d", (1, 2, 1, 1), {"kernel_size": 2, "padding": 1, "stride": 3,
                                  "count_include_pad": False}),
    ("avg_pool2d", (1, 2, 1, 1), {"kernel_size": 2, "padding": 1, "stride": 3,
                                  "divisor_override": 3}),
    ("avg_pool1d", (2, 3, 6), {"kernel_size": 6}),
    ("adaptive_avg_pool2d", (2, 3, 7, 7), {"output_size": 1}),
    ("adaptive_avg_pool2d", (3, 4, 5), {"output_size": (1, 1)}),
    ("adaptive_avg_pool1d", (2, 3, 5), {"output_size": 1}),
    # not global: a padded window sees part of the input, several windows, one dim only
    ("avg_pool2d", (1, 2, 7, 7), {"kernel_size": 7, "padding": 3, "stride": 1}),
    ("avg_pool2d", (1, 2, 7, 7), {"kernel_size": 7, "padding": 2, "ceil_mode": True,
                                  "count_include_pad": False}),
    ("avg_pool2d", (1, 2, 7, 7), {"kernel_size": (7, 3)}),
    ("adaptive_avg_pool2d", (1, 2, 7, 7), {"output_size": (1, 2)}),
]
IDS = [f"{i}-{name}" for i, (name, _, _) in enumerate(CONFIGS)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name,shape,kwargs", CONFIGS, ids=IDS)
def test_global_average_matches_torch(name, shape, kwargs, dtype):
    tol = {"rtol": 1e-6, "atol": 1e-6} if dtype == np.float32 else {"rtol": 1e-13, "atol": 1e-14}
    x = rng.standard_normal(shape).astype(dtype)
    wx, tx = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    w_out, t_out = getattr(F, name)(wx, **kwargs), getattr(TF, name)(tx, **kwargs)
    assert w_out.dtype == np.dtype(dtype) and w_out.shape == tuple(t_out.shape)
    np.testing.assert_allclose(w_out.detach().numpy(), t_out.detach().numpy(), **tol)
    compare_derivatives(name, x, kwargs, (w_out, t_out), (wx, tx), rng, tol)


def _recorded_ops(t):
    """The names of the nodes behind ``t`` (its grad_fn and every node it reaches)."""
    names, todo = [], [t.grad_fn]
    while todo:
        node = todo.pop()
        names.append(node.name())
        todo.extend(fn for fn, _ in node.next_functions if hasattr(fn, "next_functions"))
    return names


@pytest.mark.parametrize("fn,kwargs", [(F.avg_pool2d, {"kernel_size": 7}),
                                       (F.adaptive_avg_pool2d, {"output_size": 1})])
def test_global_average_is_a_sum_divided(fn, kwargs):
    """The global path is exactly ``sum`` over the spatial axes, divided by the count (no
    matmul): bit for bit, and recorded as such."""
    x = wg.tensor(rng.standard_normal((4, 8, 7, 7)).astype(np.float32), requires_grad=True)
    y = fn(x, **kwargs)
    expected = x.detach().sum((-2, -1), keepdim=True) / 49.0
    np.testing.assert_array_equal(y.detach().numpy(), expected.numpy())
    ops = " ".join(_recorded_ops(y)).lower()
    assert "sum" in ops and "matmul" not in ops, ops
