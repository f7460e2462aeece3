"""Cases for the one-input functions of ``ops/unary.py``: each primitive over its domain
(away from its poles and jumps), 0-d to 2-d, a few in float32."""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._common import (
    F32,
    F32_STEPS,
    add_case,
    add_fn_case,
    avoiding,
    away0,
    dyadic,
    fmt,
    positive,
    real,
)


def _between(lo, hi):
    return lambda shape: real(shape, lo, hi)


def _off_integers(shape, lo=-2.5, hi=2.5):
    """Values at least 0.1 from every integer (the jumps of floor, ceil, trunc)."""
    return avoiding(shape, range(int(np.floor(lo)), int(np.ceil(hi)) + 1), lo, hi, gap=0.1)


DOMAIN = {
    "exp2": _between(-2, 2), "expm1": _between(-2, 2), "log2": positive, "log10": positive,
    "log1p": _between(-0.6, 2), "rsqrt": positive, "square": real, "reciprocal": away0,
    "asin": _between(-0.9, 0.9), "acos": _between(-0.9, 0.9), "atan": _between(-3, 3),
    "sinh": _between(-2, 2), "cosh": _between(-2, 2), "asinh": _between(-3, 3),
    "acosh": _between(1.2, 3), "atanh": _between(-0.9, 0.9), "erf": _between(-3, 3),
    "erfc": _between(-3, 3), "erfinv": _between(-0.95, 0.95),
    "sinc": lambda s: avoiding(s, [0.0], -2.5, 2.5), "floor": _off_integers,
    "ceil": _off_integers, "trunc": _off_integers,
}
for name, domain in DOMAIN.items():
    for shape in [(), (3,), (2, 3)]:
        add_case(name, fmt(shape), domain(shape))

# The tails, where accuracy is easily lost, and the points where conventions matter.
add_case("erf", "tails", np.array([-5.5, -4.2, -0.47, 0.47, 4.2, 5.5]))
add_case("erfc", "tails", np.array([-5.5, -4.5, 0.3, 4.5, 10.0, 20.0]), tol=1e-5)
add_case("erfinv", "near+-1", np.array([-0.999, -0.99, 0.6, 0.99, 0.9999]), tol=1e-5, h1=1e-8,
         h2=1e-8)
add_case("sinc", "at0", np.array([0.0, 0.5, -1.5]), tol=1e-5)
add_case("expm1", "small", np.array([-1e-3, 1e-8, 2e-3]))
add_case("log1p", "small", np.array([-1e-3, 1e-8, 2e-3]))
for name in ("exp2", "erf", "erfc", "square", "atan", "reciprocal"):
    values = dyadic((2, 3), F32, 1.0, 2.0) if name == "reciprocal" else dyadic((2, 3), F32)
    add_case(name, "f32(2,3)", values, **F32_STEPS)

# round(decimals=): away from the half-way points of its grid.
for decimals in (0, 1, -1):
    step = 10.0 ** -decimals
    grid = [step * (k + 0.5) for k in range(-30, 30)]
    x = avoiding((2, 3), grid, -3 * step, 3 * step, gap=0.1 * step)
    add_case("round", f"(2,3)-decimals={decimals}", x, params=(decimals,))
add_case("round", "()-decimals=0", np.asarray(_off_integers(()) + 0.5), params=(0,))

# logit: plain, and with eps (0 derivative outside [eps, 1 - eps]).
for shape in [(), (3,), (2, 3)]:
    add_case("logit", f"{fmt(shape)}", real(shape, 0.1, 0.9), params=(None,))
    add_case("logit", f"{fmt(shape)}-eps=0.2", avoiding(shape, [0.2, 0.8], 0.02, 0.98),
             params=(0.2,))

# nan_to_num: finite values pass with slope 1; NaN and +-inf become constants.
add_case("nan_to_num", "(2,3)", real((2, 3)), params=(0.0, None, None))
add_case("nan_to_num", "()", real(()), params=(0.0, None, None))
add_case("nan_to_num", "nan-inf", np.array([np.nan, 0.3, np.inf, -np.inf, -0.7]),
         params=(0.5, 4.0, -4.0))

# The public functions around the primitives, and the composites.
add_fn_case("frac", "(2,3)", wg.frac, _off_integers((2, 3)))
add_fn_case("frac", "()", wg.frac, _off_integers(()))
add_fn_case("deg2rad", "(2,3)", wg.deg2rad, real((2, 3), -180, 180))
add_fn_case("rad2deg", "(3,)", wg.rad2deg, real((3,)))
add_fn_case("round", "decimals=2", wg.round, np.array([0.1234, -0.4561, 0.7891, 1.2222]),
            kwargs={"decimals": 2})
add_fn_case("logit", "eps", wg.logit, avoiding((2, 3), [0.1, 0.9], 0.01, 0.99),
            kwargs={"eps": 0.1})
add_fn_case("nan_to_num", "kwargs", wg.nan_to_num, real((2, 3)),
            kwargs={"nan": 1.0, "posinf": 2.0, "neginf": -2.0})
