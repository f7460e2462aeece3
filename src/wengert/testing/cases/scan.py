"""Cases for the cumulative operations (cumsum, cumprod, logcumsumexp, cummax, cummin)."""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._common import (
    F32,
    F32_STEPS,
    add_case,
    add_fn_case,
    away0,
    distinct,
    dyadic,
    fmt,
    real,
)


def _zeros_at(x, *flat):
    x = x.copy()
    x.flat[list(flat)] = 0.0
    return x


for shape, axes in [((5,), (0, -1)), ((2, 3), (0, 1, -1)), ((2, 3, 4), (1, 2))]:
    for axis in axes:
        lab = f"{fmt(shape)}-axis={axis}"
        add_case("cumsum", lab, real(shape), params=(axis,))
        add_case("cumprod", f"{lab}-nozero", away0(shape), params=(axis,))
        add_case("logcumsumexp", lab, real(shape, -2, 2), params=(axis,))
add_case("cumsum", "f32", dyadic((2, 3), F32), params=(1,), **F32_STEPS)
add_case("cumsum", "(0,3)", real((0, 3)), params=(0,))

# cumprod is a polynomial: finite differences are exact at zeros, which is where its
# derivative needs care (one zero, two zeros, a zero first or last, all zeros).
for label, x, axis in [
    ("(5,)-onezero", _zeros_at(away0((5,)), 2), 0),
    ("(5,)-zerofirst", _zeros_at(away0((5,)), 0), 0),
    ("(5,)-zerolast", _zeros_at(away0((5,)), 4), 0),
    ("(5,)-twozeros", _zeros_at(away0((5,)), 1, 3), 0),
    ("(5,)-adjacentzeros", _zeros_at(away0((5,)), 2, 3), 0),
    ("(3,)-allzeros", np.zeros(3), 0),
    ("(2,4)-zeros-axis=1", _zeros_at(away0((2, 4)), 1, 5, 6), 1),
    ("(4,2)-zeros-axis=0", _zeros_at(away0((4, 2)), 2, 3, 7), 0),
    ("(2,3,2)-zeros-axis=1", _zeros_at(away0((2, 3, 2)), 2, 7, 8), 1),
    ("(2,3)-zeros-axis=-1", _zeros_at(away0((2, 3)), 0, 4), -1),
]:
    add_case("cumprod", label, x, params=(axis,))
add_case("cumprod", "f32-onezero", _zeros_at(dyadic((2, 3), F32, 0.5, 1.5), 1), params=(1,),
         **F32_STEPS)

add_case("logcumsumexp", "wide-range", np.array([[-300.0, 5.0, 400.0, -20.0, 410.0]]),
         params=(1,))
add_case("logcumsumexp", "with-inf", np.array([[0.3, -np.inf, 1.2, -np.inf]]), params=(1,))
add_case("logcumsumexp", "f32", dyadic((2, 3), F32), params=(0,), **F32_STEPS)
# Its derivative: two primitives, exact in all of (tangent or cotangent, x, y).
for shape, axis in [((4,), 0), ((2, 3), 1), ((3, 2), 0)]:
    add_case("logcumsumexp_jvp", f"{fmt(shape)}-axis={axis}", real(shape), real(shape),
             real(shape), params=(axis,))
    add_case("logcumsumexp_vjp", f"{fmt(shape)}-axis={axis}", real(shape), real(shape),
             real(shape), params=(axis,))
add_case("logcumsumexp_jvp", "zero-tangent", np.array([0.0, 0.5, 0.0, -1.0]), real((4,)),
         real((4,)), params=(0,))
add_case("logcumsumexp_vjp", "zero-cotangent", np.array([0.0, 0.5, 0.0, -1.0]), real((4,)),
         real((4,)), params=(0,))

for name in ("cumsum", "cumprod", "logcumsumexp"):
    fn = getattr(wg, name)
    add_fn_case(name, "(2,3)-dim=-1", fn, away0((2, 3)), kwargs={"dim": -1})
    add_fn_case(name, "()-dim=0", fn, away0(()), kwargs={"dim": 0})
    add_fn_case(name, "method-axis", lambda x, name=name: getattr(x, name)(axis=0), away0((3, 2)))
add_fn_case("cumprod", "(2,4)-zeros", wg.cumprod, _zeros_at(away0((2, 4)), 1, 4, 6),
            kwargs={"dim": 1})
add_fn_case("cumsum", "dtype", lambda x: wg.cumsum(x, 0, dtype=wg.float64), real((3,)))

for name in ("cummax", "cummin"):
    fn = getattr(wg, name)
    for shape, dim in [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1), ((), 0)]:
        add_fn_case(name, f"{fmt(shape)}-dim={dim}", lambda x, fn=fn, dim=dim: fn(x, dim).values,
                    *distinct(shape))
    add_fn_case(name, "method", lambda x, name=name: getattr(x, name)(1).values,
                *distinct((2, 5)))
