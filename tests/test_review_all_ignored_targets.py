"""Review: ``nll_loss``/``cross_entropy`` (mean) of a batch whose targets are all ignored.

The loss is 0/0 = NaN in both libraries, but PyTorch's gradient is 0 (no target
counts, so no input is touched) while wengert's is NaN (the cotangent 1/0 = inf times
the ignored elements' zero slopes). A batch of pure padding, common with sequence
models, then poisons every parameter on the optimizer step.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import wengert as wg
import wengert.nn.functional as F

torch = pytest.importorskip("torch")

X = np.random.default_rng(0).standard_normal((3, 4))
IGNORED = np.array([-100, -100, -100])


@pytest.mark.parametrize("name", ["nll_loss", "cross_entropy"])
@pytest.mark.parametrize("weighted", [False, True])
def test_value_is_nan_and_gradient_is_zero(name, weighted):
    kw = {"weight": wg.tensor([1.0, 2.0, 0.5, 1.0], dtype=wg.float64)} if weighted else {}
    x = wg.tensor(X, requires_grad=True)
    loss = getattr(F, name)(x, wg.tensor(IGNORED), **kw)
    assert math.isnan(loss.item())
    loss.backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros_like(X))
