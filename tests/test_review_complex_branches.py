"""Review: complex gradients on the whole plane, not only the right half.

The case tables draw ``acosh``'s complex inputs from the right half plane, where
``sqrt((z - 1)(z + 1))`` and ``sqrt(z - 1) sqrt(z + 1)`` agree; with a negative real
part they differ in sign and only the second is the slope of the principal branch
(PyTorch's gradient, and the finite difference).
"""

from __future__ import annotations

import numpy as np
import pytest
from test_reference_complex import compare

import wengert as wg

torch = pytest.importorskip("torch")

# All four quadrants, near and far from the branch points +-1 and +-i.
PLANE = np.array([-1 - 0.5j, -2 + 0.3j, 0.5 + 2j, 0.3 - 2j, 1.5 + 0.2j, -0.4 - 0.1j,
                  2j, -3.0 + 0.01j, 0.2 + 0.1j, -0.7 + 1.3j])
INVERSES = ["asin", "acos", "atan", "asinh", "acosh", "atanh", "sqrt", "log", "rsqrt"]


@pytest.mark.parametrize("name", INVERSES)
def test_inverse_functions_on_the_whole_plane(name):
    compare(torch, lambda lib, z: getattr(lib, name)(z).abs().sum(), PLANE)
    compare(torch, lambda lib, z: (getattr(lib, name)(z) * (1 + 2j)).real.sum(), PLANE)


def test_acosh_slope_matches_the_finite_difference_left_of_the_origin():
    z = wg.tensor(np.array([-1 - 0.5j]), requires_grad=True)
    wg.acosh(z).real.sum().backward()
    h = 1e-7
    slope = (np.arccosh(-1 - 0.5j + h) - np.arccosh(-1 - 0.5j - h)) / (2 * h)
    # d Re(f) / dx + i d Re(f) / dy = conj(f'(z)) for holomorphic f
    np.testing.assert_allclose(z.grad.numpy(), [np.conj(slope)], rtol=1e-6)
