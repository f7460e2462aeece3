"""The error function and its relatives, in NumPy alone, to full double precision.

``erf`` and ``erfc`` use W. J. Cody's rational Chebyshev approximations
(Math. Comp. 23, 1969; the CALERF routine of SPECFUN): three intervals of
``|x|``, relative error below 1e-16 in each. ``erfc`` is computed directly in the
tail, so it keeps its relative accuracy down to its underflow near x = 26.5
(``1 - erf(x)`` would be 0 from x = 6 on). The factor ``exp(-x*x)`` is taken as
``exp(-s*s) * exp(-(x-s)*(x+s))`` with ``s`` = x rounded down to 1/16: ``x*x``
rounded would lose up to ``x*x*2**-53`` of relative accuracy in the exponent.

``erfinv`` starts from M. Giles' approximation ("Approximating the erfinv
function", GPU Computing Gems, 2011; relative error about 1e-7) and takes two
Halley steps on ``erf(x) = y`` (each triples the number of correct digits). For
``|y| > 1/2`` the residual is formed as ``(1 - |y|) - erfc(x)``: ``1 - |y|`` is exact
there, so the tail keeps its accuracy.

All three compute in float64 and return the input's floating dtype.
"""

from __future__ import annotations

import math

import numpy as np

# Cody's coefficients: erf on |x| <= 0.46875 ...
_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02,
      3.20937758913846947e03, 1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03,
      2.84423683343917062e03)
# ... erfc on 0.46875 < x <= 4 ...
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01,
      2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
      2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02,
      1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
      3.43936767414372164e03, 1.23033935480374942e03)
# ... and erfc on x > 4 (in 1 / x**2).
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1,
      1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1,
      6.05183413124413191e-2, 2.33520497626869185e-3)

_SMALL = 0.46875
_RSQRT_PI = 1 / math.sqrt(math.pi)
_ERFC_ZERO = 28.0  # erfc(x) rounds to 0 from about 27.3 on


def _rational(z, num, den):
    """Cody's ratio ``(num[-1] z^n + num[0] z^(n-1) + ... + num[n-1]) / (z^n + den[0] ... )``,
    by Horner's rule in place (fresh temporaries cost more than the arithmetic)."""
    top, bottom = num[-1] * z, z + den[0]
    top += num[0]
    for a, b in zip(num[1:-2], den[1:-1]):
        top *= z
        top += a
        bottom *= z
        bottom += b
    top *= z
    top += num[-2]
    bottom *= z
    bottom += den[-1]
    top /= bottom
    return top


def _horner(t, coefficients):
    """``c[0] t^n + c[1] t^(n-1) + ... + c[n]``."""
    p = np.full_like(t, coefficients[0])
    for c in coefficients[1:]:
        p *= t
        p += c
    return p


def _piecewise(condition, if_true, if_false, *arrays):
    """``where(condition, if_true(*arrays), if_false(*arrays))`` on 1-d float64 arrays, each
    function evaluated on its own elements only (and not at all when it has none)."""
    if condition.all():
        return if_true(*arrays)
    if not condition.any():
        return if_false(*arrays)
    out = np.empty(condition.shape)
    out[condition] = if_true(*(a[condition] for a in arrays))
    other = ~condition
    out[other] = if_false(*(a[other] for a in arrays))
    return out


def _erf_small(x):
    """erf(x) for |x| <= 0.46875."""
    return x * _rational(x * x, _A, _B)


def _erfc_ratio_mid(y):
    return _rational(y, _C, _D)


def _erfc_ratio_tail(y):
    z = 1.0 / (y * y)
    return (_RSQRT_PI - z * _rational(z, _P, _Q)) / y


def _erfc_large(y):
    """erfc(y) for y > 0.46875 (NaN stays NaN): ``exp(-y*y)`` times Cody's ratio."""
    y = np.minimum(y, _ERFC_ZERO)
    ratio = _piecewise(y <= 4.0, _erfc_ratio_mid, _erfc_ratio_tail, y)
    s = np.trunc(y * 16.0)
    s /= 16.0
    d = y - s
    d *= y + s
    s *= s
    np.negative(s, out=s)
    np.exp(s, out=s)
    np.negative(d, out=d)
    np.exp(d, out=d)
    s *= d
    s *= ratio
    return s


def _erf_large(x):
    return np.copysign(1.0 - _erfc_large(np.abs(x)), x)


def _erfc_from_small(x):
    return 1.0 - _erf_small(x)


def _erfc_from_large(x):
    tail = _erfc_large(np.abs(x))
    return np.where(x < 0, 2.0 - tail, tail)


def _as_float64(x):
    """``x`` as a 1-d float64 array, with the dtype and shape to give the result."""
    x = np.asarray(x)
    if x.dtype.kind not in "fiub":
        raise TypeError(f"needs real input, got dtype {x.dtype}")
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float64)
    return x.astype(np.float64, copy=False).reshape(-1), dtype, x.shape


def _result(out, dtype, shape):
    out = out.reshape(shape)
    return out.astype(dtype, copy=False) if out.dtype != dtype else out


def erf(x):
    """The error function ``2/sqrt(pi) * integral_0^x exp(-t*t) dt`` on an array."""
    x, dtype, shape = _as_float64(x)
    return _result(_piecewise(np.abs(x) <= _SMALL, _erf_small, _erf_large, x), dtype, shape)


def erfc(x):
    """The complementary error function ``1 - erf(x)``, accurate in the tail."""
    x, dtype, shape = _as_float64(x)
    out = _piecewise(np.abs(x) <= _SMALL, _erfc_from_small, _erfc_from_large, x)
    return _result(out, dtype, shape)


_GILES_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06,
                  0.00021858087, -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_GILES_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844,
               0.00573950773, -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)


def _initial_erfinv(a):
    """erfinv(a) for 0 <= a < 1 to about 1e-6: Giles' single-precision formula (relative
    error ~1e-7 where it was fitted, 1 - a > 5e-8), and beyond it the asymptotic
    ``erfc(x) ~ exp(-x*x) / (x sqrt(pi)) (1 - 1/(2 x^2) + 3/(4 x^4))`` solved for x."""
    w = -np.log((1.0 - a) * (1.0 + a))
    return _piecewise(w < 5.0, _giles_central, _erfinv_tail, a, w)


def _giles_central(a, w):
    return _horner(w - 2.5, _GILES_CENTRAL) * a


def _erfinv_tail(a, w):
    return _piecewise(w < 16.0, _giles_tail, _erfinv_asymptotic, a, w)


def _giles_tail(a, w):
    return _horner(np.sqrt(w) - 3.0, _GILES_TAIL) * a


def _erfinv_asymptotic(a, w):
    log_q = -np.log((1.0 - a) * math.sqrt(math.pi))  # erfc(x) = 1 - a
    x = np.sqrt(log_q)
    for _ in range(2):
        r = 1.0 / (x * x)
        x = np.sqrt(log_q - np.log(x) + np.log1p(r * (0.75 * r - 0.5)))
    return x


def _erf_residual_upper(x, a):
    return (1.0 - a) - erfc(x)  # 1 - a is exact for a >= 1/2: the tail keeps its digits


def _erf_residual_lower(x, a):
    return erf(x) - a


def erfinv(y):
    """The inverse of ``erf`` on [-1, 1] (+-inf at +-1, NaN outside)."""
    y, dtype, shape = _as_float64(y)
    a = np.abs(y)
    inside = a < 1.0
    a = a[inside]
    x = _initial_erfinv(a)
    upper = a > 0.5
    for _ in range(2):  # Halley: x -= u / (1 + x u), u = (erf(x) - a) / erf'(x)
        residual = _piecewise(upper, _erf_residual_upper, _erf_residual_lower, x, a)
        u = residual / (2 * _RSQRT_PI * np.exp(-x * x))
        x = x - u / (1.0 + x * u)
    out = np.where(np.abs(y) == 1.0, np.inf, np.nan)  # NaN for |y| > 1 and for NaN
    out[inside] = x
    return _result(np.copysign(out, y), dtype, shape)
