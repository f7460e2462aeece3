"""Review: ``sign`` of a bool tensor, and NumPy errors restated by ``op_error``.

``wg.sign(bool tensor)`` failed with ``TypeError: _UFuncNoLoopError.__init__() missing 1
required positional argument``: NumPy has no bool loop for ``sign`` and ``op_error``
re-raised NumPy's exception class with one argument, which that class cannot take.
PyTorch's ``sign`` of a bool tensor is the tensor itself.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("a", [np.array([True, False]), np.array(True), np.zeros((0, 2), bool)])
def test_sign_of_bools_is_the_bools(a):
    w, t = wg.sign(wg.tensor(a)), torch.sign(torch.tensor(a))
    assert w.dtype == wg.bool_ and w.shape == tuple(t.shape)
    np.testing.assert_array_equal(w.numpy(), t.numpy())
    np.testing.assert_array_equal(wg.sgn(wg.tensor(a)).numpy(), torch.sgn(torch.tensor(a)).numpy())


def test_sign_does_not_alias_its_input():
    x = wg.tensor([True, False])
    y = wg.sign(x)
    y[0] = False
    assert x.numpy()[0]
