"""Cases for the elementwise primitives and functions."""

from __future__ import annotations

import numpy as np

from ._common import (
    F32,
    F32_STEPS,
    F64,
    NONDIFFERENTIABLE,
    Raw,
    add_case,
    avoiding,
    away0,
    distinct,
    dyadic,
    fmt,
    mask,
    positive,
    real,
)

NONDIFFERENTIABLE.update({"eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or",
                          "logical_xor", "logical_not", "isnan"})

# Broadcasting pairs for the binary elementwise primitives.
BCAST = [((2, 3), (2, 3)), ((2, 3), (3,)), ((3,), (2, 3)), ((2, 1), (1, 3)), ((1, 3), (2, 1)),
         ((), (2, 3)), ((2, 3), ()), ((2, 3), (1, 3)), ((2, 1), (2, 3)), ((), ())]

for a, b in BCAST:
    lab = f"{fmt(a)}x{fmt(b)}"
    add_case("add", lab, real(a), real(b))
    add_case("sub", lab, real(a), real(b))
    add_case("mul", lab, real(a), real(b))
    add_case("div", lab, real(a), away0(b))
    add_case("pow", lab, positive(a), real(b, -1.5, 1.5))
    add_case("maximum", lab, *distinct(a, b))
    add_case("minimum", lab, *distinct(a, b))

# Raw (non-tensor) operands and mixed float32/float64 operands (type promotion).
add_case("add", "(2,3)xraw(3,)", real((2, 3)), Raw(real((3,))))
add_case("add", "raw(2,3)x(3,)", Raw(real((2, 3))), real((3,)))
add_case("add", "f32(2,3)xf64(3,)", dyadic((2, 3), F32), dyadic((3,)), **F32_STEPS)
add_case("sub", "raw2.5x(2,3)", Raw(2.5), real((2, 3)))
add_case("mul", "(2,3)xraw(3,)", real((2, 3)), Raw(real((3,))))
add_case("mul", "f64(2,1)xf32(1,3)", dyadic((2, 1)), dyadic((1, 3), F32), **F32_STEPS)
add_case("div", "raw(2,3)x(3,)", Raw(real((2, 3))), away0((3,)))
add_case("div", "(2,3)xraw3.0", real((2, 3)), Raw(3.0))
add_case("maximum", "(2,3)xraw0.05", avoiding((2, 3), [0.05], gap=0.1), Raw(0.05))
add_case("minimum", "raw(3,)x(2,3)", *[Raw(d) if i == 0 else d
                                       for i, d in enumerate(distinct((3,), (2, 3)))])

# pow with a constant exponent or a constant base.
add_case("pow", "(2,3)**raw2", real((2, 3)), Raw(2))
add_case("pow", "(2,3)**raw3", real((2, 3)), Raw(3))
add_case("pow", "(2,3)**raw0", real((2, 3)), Raw(0))
add_case("pow", "(2,3)**raw0.5", positive((2, 3)), Raw(0.5))
add_case("pow", "(2,3)**raw-1.5", positive((2, 3)), Raw(-1.5))
add_case("pow", "raw2.0**(2,3)", Raw(2.0), real((2, 3)))
add_case("pow", "rawpos(3,)**(2,3)", Raw(positive((3,))), real((2, 3)))

_UNARY_DOMAIN = {
    "neg": real, "exp": real, "log": positive, "sin": lambda s: real(s, -3, 3),
    "cos": lambda s: real(s, -3, 3), "tan": lambda s: real(s, -1.2, 1.2),
    "tanh": lambda s: real(s, -2, 2), "sigmoid": lambda s: real(s, -4, 4), "relu": away0,
    "sqrt": positive, "abs": away0, "sign": away0,
}
for name, dom in _UNARY_DOMAIN.items():
    for shape in [(), (3,), (2, 3)]:
        add_case(name, fmt(shape), dom(shape))
add_case("sigmoid", "large", np.array([-30.0, -8.0, 8.0, 30.0]))
add_case("log", "small", np.array([0.05, 0.1, 3.0, 10.0]))
add_case("sqrt", "small", np.array([0.05, 0.1, 3.0, 10.0]))
add_case("exp", "(2,1,3)", real((2, 1, 3)))

# where: the condition is a raw bool array; it broadcasts with both branches.
for cs, as_, bs in [((2, 3), (2, 3), (2, 3)), ((2, 3), (3,), ()), ((3,), (2, 1), (2, 3)),
                    ((2, 1), (1, 3), (2, 3)), ((), (2, 3), (2, 3)), ((2, 3), (), ())]:
    c = mask(cs)
    if c.size > 1:
        c.flat[0], c.flat[-1] = True, False
    add_case("where", f"c{fmt(cs)}-{fmt(as_)}x{fmt(bs)}", c, real(as_), real(bs))
add_case("where", "c(2,3)-(2,3)xraw0", np.array([[True, False, True], [False, True, False]]),
         real((2, 3)), Raw(0.0))
add_case("where", "c(2,3)-raw(3,)x(2,1)", np.array([[True, False, True], [False, True, False]]),
         Raw(real((3,))), real((2, 1)))

for shape in [(), (3,), (2, 3)]:
    for lo, hi in [(-0.5, 0.5), (None, 0.3), (-0.2, None)]:
        kinks = [b for b in (lo, hi) if b is not None]
        add_case("clamp", f"{fmt(shape)}-[{lo},{hi}]", avoiding(shape, kinks), params=(lo, hi))
add_case("clamp", "(4,)-both-sides", np.array([-0.9, -0.1, 0.2, 0.8]), params=(-0.5, 0.5))

add_case("astype", "f64->f32-(2,3)", dyadic((2, 3)), params=(F32,), **F32_STEPS)
add_case("astype", "f32->f64-(2,3)", dyadic((2, 3), F32), params=(F64,), **F32_STEPS)
add_case("astype", "f64->f32-()", dyadic(()), params=(F32,), **F32_STEPS)
add_case("astype", "f32->f64-(3,)", dyadic((3,), F32), params=(F64,), **F32_STEPS)
