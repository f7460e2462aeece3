"""Cases for flip/roll/rot90, the repeats, the triangles (ops/arrange.py) and diagonals."""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._common import F32_STEPS, Raw, add_case, add_fn_case, dyadic, fmt, real

for shape, dims in [((3,), (0,)), ((2, 3), (1,)), ((2, 3, 4), (0, 2)), ((2, 3), (0, 1))]:
    add_case("flip", f"{fmt(shape)}-{dims}".replace(" ", ""), real(shape), params=(dims,))
add_case("flip", "f32-(2,3)-(0,)", dyadic((2, 3), np.float32), params=((0,),), **F32_STEPS)
for shape, shifts, dims in [((5,), (2,), (0,)), ((2, 3), (1, -4), (0, 1)), ((2, 3, 4), (7,), (2,)),
                            ((6,), (-1,), 0), ((2, 3), (2, 1), (1, 1))]:
    add_case("roll", f"{fmt(shape)}-{shifts}-{dims}".replace(" ", ""), real(shape),
             params=(shifts, dims))

add_fn_case("flip", "(2,3,4)-neg-dims", lambda x: wg.flip(x, [-1, 0]), real((2, 3, 4)))
add_fn_case("flip", "()-no-dims", lambda x: x.flip(()), real(()))
add_fn_case("fliplr", "(2,3,2)", wg.fliplr, real((2, 3, 2)))
add_fn_case("flipud", "(3,)", lambda x: x.flipud(), real((3,)))
add_fn_case("roll", "(2,3)-flat", lambda x: wg.roll(x, 4), real((2, 3)))
add_fn_case("roll", "(2,3)-tuple", lambda x: x.roll((1, -1), (0, -1)), real((2, 3)))
for k, dims in [(1, (0, 1)), (2, (0, 1)), (3, (0, 1)), (-1, (2, 0)), (4, (0, 1)), (1, (-1, -2))]:
    add_fn_case("rot90", f"k={k}-{dims}".replace(" ", ""),
                lambda x, k=k, dims=dims: wg.rot90(x, k, dims), real((2, 3, 4)))
for shape, reps in [((2, 3), (2,)), ((3,), (2, 2)), ((), (3,)), ((2, 1), (1, 1)),
                    ((1, 2), (2, 1, 3))]:
    add_fn_case("tile", f"{fmt(shape)}-{reps}".replace(" ", ""),
                lambda x, r=reps: wg.tile(x, r), real(shape))
add_fn_case("tile", "method-repeat-(2,3)", lambda x: x.repeat(2, 1, 2), real((2, 3)))
add_fn_case("tile", "method-repeat-()", lambda x: x.repeat(3), real(()))
for shape, reps, dim in [((2, 3), 2, None), ((2, 3), 3, 1), ((2, 3), np.array([1, 0, 2]), -1),
                         ((3,), np.array([2]), 0), ((), 3, None), ((2, 3), np.array([3, 1]), 0)]:
    lab = f"{fmt(shape)}-{np.asarray(reps).tolist()}-dim={dim}".replace(" ", "")
    add_fn_case("repeat_interleave", lab,
                lambda x, r=reps, d=dim: wg.repeat_interleave(
                    x, wg.tensor(r) if isinstance(r, np.ndarray) else r, d), real(shape))
add_fn_case("repeat_interleave", "method", lambda x: x.repeat_interleave(2, dim=0), real((2, 2)))
for fn in ("tril", "triu"):
    triangle = getattr(wg, fn)
    for shape, k in [((3, 4), 0), ((4, 3), -1), ((2, 3, 3), 1), ((3, 3), 5), ((2, 4), -3)]:
        add_fn_case(fn, f"{fmt(shape)}-k={k}", lambda x, f=triangle, k=k: f(x, k), real(shape))
    add_fn_case(fn, "method", lambda x, fn=fn: getattr(x, fn)(diagonal=1), real((3, 3)))

# -- diagonals ------------------------------------------------------------------
for shape, offset, d1, d2 in [((3, 3), 0, 0, 1), ((3, 4), 1, 0, 1), ((4, 3), -2, 0, 1),
                              ((2, 3, 4), 0, 2, 0), ((2, 3, 4), -1, 1, 2), ((3, 4), 5, 0, 1),
                              ((2, 3, 4), 1, 2, 1)]:
    add_case("diagonal", f"{fmt(shape)}-{offset},{d1},{d2}", real(shape), params=(offset, d1, d2))
for shape, out, offset, d1, d2 in [((3,), (3, 3), 0, 0, 1), ((2,), (3, 3), 1, 0, 1),
                                   ((2, 3), (2, 4, 4), -1, 1, 2), ((2, 3), (4, 2, 4), 1, 2, 0),
                                   ((2, 1), (3, 2, 3), -2, 0, 2)]:
    add_case("diag_embed", f"{fmt(shape)}->{fmt(out)}-{offset},{d1},{d2}", real(shape),
             params=(out, offset, d1, d2))

add_fn_case("diagonal", "(2,3,4)-defaults", wg.diagonal, real((2, 3, 4)))
add_fn_case("diagonal", "method-(3,4)-kw", lambda x: x.diagonal(offset=-1, dim1=-1, dim2=0),
            real((3, 4)))
add_fn_case("diag_embed", "(2,3)", wg.diag_embed, real((2, 3)))
add_fn_case("diag_embed", "(3,)-1,0,1", wg.diag_embed, real((3,)), Raw(1), Raw(0), Raw(1))
add_fn_case("diag_embed", "(2,3)-(-2),0,-1", lambda x: x.diag_embed(-2, 0, -1), real((2, 3)))
add_fn_case("diag", "(3,)", wg.diag, real((3,)))
add_fn_case("diag", "(3,)-(-1)", lambda x: x.diag(-1), real((3,)))
add_fn_case("diag", "(3,4)-1", wg.diag, real((3, 4)), Raw(1))
add_fn_case("trace", "(3,4)", wg.trace, real((3, 4)))
add_fn_case("trace", "method-squared", lambda x: (x * x).trace(), real((3, 3)))
