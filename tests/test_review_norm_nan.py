"""Review: a NaN in the input of a p-norm with p < 1 or p == 0.

For p < 1 the norm masks the zeros (where |x|^p has an infinite slope); the mask was
``|x| > 0``, which is false for NaN, so a NaN was dropped as if it were 0 and the norm
came out finite. For p == 0 (the count of nonzero elements) PyTorch counts NaN as
nonzero; ``sign(NaN)`` is NaN in wengert, which made the count NaN. (The gradient at
a NaN stays NaN, as ``abs``'s does; PyTorch's is 0 because its ``sign(NaN)`` is 0.)
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")

X = np.array([[3.0, np.nan, 1.0, 3.0], [-0.0, 0.0, 2.0, -1.0], [5.0, 5.0, 5.0, 5.0]])


@pytest.mark.parametrize("p", [0, 0.5, 0.25, -1, -0.5])
@pytest.mark.parametrize("dim", [None, 0, 1])
def test_values_match_pytorch(p, dim):
    w = wg.linalg.vector_norm(wg.tensor(X), ord=p, dim=dim)
    t = torch.linalg.vector_norm(torch.tensor(X), ord=p, dim=dim)
    np.testing.assert_allclose(w.numpy(), t.numpy(), rtol=1e-12)
    n = wg.norm(wg.tensor(X), p=p, dim=dim)
    np.testing.assert_allclose(n.numpy(), t.numpy(), rtol=1e-12)


@pytest.mark.parametrize("p", [0.5, -1])
def test_a_nan_reaches_the_value_and_its_gradient(p):
    x = wg.tensor([4.0, math.nan, 0.0], requires_grad=True)
    y = wg.norm(x, p=p)
    assert math.isnan(y.item())
    y.backward()
    assert math.isnan(x.grad.numpy()[1])


def test_l0_counts_nan_and_has_a_zero_gradient():
    y = wg.norm(wg.tensor([4.0, math.nan, 0.0, -2.0]), p=0)
    assert y.item() == 3.0
    x = wg.tensor([4.0, -0.0, 0.0, -2.0], requires_grad=True)
    wg.norm(x, p=0).backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros(4))
