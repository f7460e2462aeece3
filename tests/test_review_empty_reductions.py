"""Review: reductions of empty tensors along a dimension that is not empty.

``max(x, dim)`` of a ``(0, 3)`` tensor along dimension 1 reduces three elements per
(absent) row: the result is empty, as in PyTorch. Only a reduction over a dimension of
size 0 (or over everything) has no elements and is refused.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("op", ["max", "min"])
@pytest.mark.parametrize("shape,dim", [((0, 3), 1), ((0, 3), -1), ((3, 0), 0), ((2, 0, 4), 2)])
def test_values_and_indices_along_a_full_dimension(op, shape, dim):
    x = wg.zeros(*shape, requires_grad=True)
    values, indices = getattr(wg, op)(x, dim=dim)
    tv, ti = getattr(torch, op)(torch.zeros(*shape), dim=dim)
    assert values.shape == tuple(tv.shape) and indices.shape == tuple(ti.shape)
    assert indices.dtype == wg.int64
    values.sum().backward()
    assert x.grad.shape == shape and not np.any(x.grad.numpy())
    kept = getattr(wg, op)(x, dim=dim, keepdim=True)[0]
    assert kept.shape == tuple(getattr(torch, op)(torch.zeros(*shape), dim=dim,
                                                  keepdim=True)[0].shape)


@pytest.mark.parametrize("shape,dim", [((0, 3), 1), ((3, 0), 0)])
def test_aminmax_along_a_full_dimension(shape, dim):
    low, high = wg.aminmax(wg.zeros(*shape), dim=dim)
    t = torch.aminmax(torch.zeros(*shape), dim=dim)
    assert low.shape == tuple(t.min.shape) and high.shape == tuple(t.max.shape)


@pytest.mark.parametrize("op", ["max", "min", "aminmax"])
@pytest.mark.parametrize("shape,dim", [((0, 3), 0), ((3, 0), -1), ((0,), 0), ((0, 3), None)])
def test_an_empty_dimension_is_refused_and_named(op, shape, dim):
    kwargs = {} if dim is None else {"dim": dim}
    with pytest.raises(RuntimeError, match=re.escape(f"{op}(): cannot reduce an empty "
                                                     f"tensor (shape {shape})")):
        getattr(wg, op)(wg.zeros(*shape), **kwargs)
    if dim is not None:
        with pytest.raises(RuntimeError, match=rf"dimension {dim % len(shape)}, which has size 0"):
            getattr(wg, op)(wg.zeros(*shape), **kwargs)
