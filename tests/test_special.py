"""erf, erfc and erfinv (ops/special.py, NumPy only) to full double precision.

References: Python's ``math.erf``/``math.erfc`` (correctly rounded to within an ulp or so)
at many points, tails included; mpmath at 40 digits where it is installed.
"""

import math

import numpy as np
import pytest

import wengert as wg
from wengert.ops import special

EPS = np.finfo(np.float64).eps
POINTS = np.concatenate([
    np.linspace(-30.0, 30.0, 60001),
    np.geomspace(1e-300, 30.0, 3000), -np.geomspace(1e-300, 30.0, 3000),
    # Cody's interval boundaries, and their neighbours
    [0.46875, np.nextafter(0.46875, 1.0), -0.46875, 4.0, np.nextafter(4.0, 5.0), -4.0],
])


def relative_error(got, expected, floor=1e-300):
    """|got - expected| / |expected|, over the points where ``expected`` is a normal number."""
    normal = np.abs(expected) > floor
    return np.abs(got - expected)[normal] / np.abs(expected[normal])


@pytest.mark.parametrize("name", ["erf", "erfc"])
def test_against_math_to_a_few_ulps(name):
    expected = np.array([getattr(math, name)(v) for v in POINTS])
    got = getattr(special, name)(POINTS)
    assert relative_error(got, expected).max() < 4 * EPS
    # below the normal range (erfc beyond x = 26.5) the error is absolute
    tiny = np.abs(expected) <= 1e-300
    np.testing.assert_allclose(got[tiny], expected[tiny], rtol=0, atol=1e-310)


def test_erfc_keeps_relative_accuracy_in_the_tail():
    x = np.array([5.0, 8.0, 10.0, 15.0, 20.0, 25.0, 26.0])
    expected = np.array([math.erfc(v) for v in x])
    assert expected.min() < 1e-290  # deep in the tail, where 1 - erf(x) would be 0
    np.testing.assert_allclose(special.erfc(x), expected, rtol=4 * EPS)
    assert special.erfc(np.array([27.5, 1e10, np.inf])).tolist() == [0.0, 0.0, 0.0]
    np.testing.assert_allclose(special.erfc(-x), [math.erfc(-v) for v in x], rtol=EPS)


def test_special_values():
    inf, nan = np.inf, np.nan
    assert special.erf(np.array([inf, -inf])).tolist() == [1.0, -1.0]
    assert special.erfc(np.array([inf, -inf])).tolist() == [0.0, 2.0]
    assert np.isnan(special.erf(np.array([nan]))).all()
    assert np.isnan(special.erfc(np.array([nan]))).all()
    out = special.erfinv(np.array([1.0, -1.0, 0.0, -0.0, 1.5, -2.0, nan]))
    assert out[:4].tolist() == [inf, -inf, 0.0, 0.0]
    assert math.copysign(1.0, out[3]) == -1.0  # -0.0 keeps its sign, as in erf
    assert np.isnan(out[4:]).all()
    assert math.copysign(1.0, special.erf(np.array([-0.0]))[0]) == -1.0


def test_erfinv_round_trips():
    y = np.concatenate([np.linspace(-1.0, 1.0, 40001)[1:-1],
                        1.0 - np.geomspace(EPS / 2, 0.5, 2000),  # up to the last double below 1
                        -(1.0 - np.geomspace(EPS / 2, 0.5, 2000)),
                        np.geomspace(1e-300, 0.5, 500)])
    x = special.erfinv(y)
    # erf(erfinv(y)) == y; near +-1 compare 1 - |y| through erfc, which keeps the digits there
    near_one = np.abs(y) > 0.5
    np.testing.assert_allclose(special.erf(x[~near_one]), y[~near_one], rtol=4 * EPS)
    np.testing.assert_allclose(special.erfc(np.abs(x[near_one])), 1.0 - np.abs(y[near_one]),
                               rtol=2e-14)
    # erfinv(erf(x)) == x where erf is well conditioned
    x = np.linspace(-1.0, 1.0, 20001)
    np.testing.assert_allclose(special.erfinv(special.erf(x)), x, rtol=8 * EPS, atol=1e-300)


def test_against_mpmath():
    mpmath = pytest.importorskip("mpmath")
    mpmath.mp.dps = 40
    y = np.concatenate([np.linspace(-0.999, 0.999, 499), 1.0 - np.geomspace(2e-16, 1e-3, 60)])
    y = y[y != 0]
    expected = np.array([float(mpmath.erfinv(mpmath.mpf(v))) for v in y])
    assert relative_error(special.erfinv(y), expected).max() < 4 * EPS
    x = np.concatenate([np.linspace(-6.0, 6.0, 601), np.linspace(6.0, 26.0, 81)])
    for name in ("erf", "erfc"):
        expected = np.array([float(getattr(mpmath, name)(mpmath.mpf(v))) for v in x])
        assert relative_error(getattr(special, name)(x), expected).max() < 4 * EPS


@pytest.mark.parametrize("name", ["erf", "erfc", "erfinv"])
def test_dtypes_and_shapes(name):
    fn = getattr(wg, name)
    x32 = wg.tensor([[0.25, -0.5, 0.75]], dtype=wg.float32)
    y = fn(x32)
    assert y.dtype == np.float32 and y.shape == (1, 3)
    np.testing.assert_allclose(y.numpy(), getattr(special, name)(x32.numpy().astype(np.float64)),
                               rtol=1e-7)
    assert fn(wg.tensor([0, 1])).dtype == wg.get_default_dtype()  # integers: the default float
    assert fn(wg.tensor(0.5, dtype=wg.float64)).shape == ()
    assert fn(wg.zeros(0, 3, dtype=wg.float64)).shape == (0, 3)


def test_derivatives():
    x = wg.tensor([-2.0, -0.3, 0.0, 0.9, 5.0], dtype=wg.float64, requires_grad=True)
    (g,) = wg.grad(wg.erf(x).sum(), [x])
    np.testing.assert_allclose(g.numpy(), 2 / math.sqrt(math.pi) * np.exp(-x.detach().numpy() ** 2),
                               rtol=1e-15)
    (g,) = wg.grad(wg.erfc(x).sum(), [x])
    np.testing.assert_allclose(g.numpy(), -2 / math.sqrt(math.pi) * np.exp(-x.detach().numpy() ** 2),
                               rtol=1e-15)
    y = wg.tensor([-0.999999, 0.0, 0.5, 1 - 1e-12], dtype=wg.float64, requires_grad=True)
    (g,) = wg.grad(wg.erfinv(y).sum(), [y])
    # the inverse function's derivative: 1 / erf'(erfinv(y))
    x = special.erfinv(y.detach().numpy())
    np.testing.assert_allclose(g.numpy(), math.sqrt(math.pi) / 2 * np.exp(x * x), rtol=1e-14)
