"""Cases for shape primitives."""

from __future__ import annotations

import wengert as wg

from ._common import (
    Raw,
    add_case,
    add_fn_case,
    fmt,
    real,
)

for shape in [(), (3,), (2, 3)]:
    add_case("alias", fmt(shape), real(shape))

for a, s in [((2, 3), (6,)), ((2, 3), (3, 2)), ((6,), (2, 1, 3)), ((), (1,)), ((1,), ()),
             ((2, 3, 4), (4, 6)), ((2, 3), (1, 6, 1))]:
    add_case("reshape", f"{fmt(a)}->{fmt(s)}", real(a), params=(s,))

for a, p in [((2, 3), (1, 0)), ((2, 3, 4), (2, 0, 1)), ((2, 3, 4), (1, 0, 2)),
             ((2, 3, 4), (0, 2, 1)), ((2, 3, 4), (1, 2, 0))]:
    add_case("permute", f"{fmt(a)}-{p}".replace(" ", ""), real(a), params=(p,))

for a, s in [((3,), (2, 3)), ((2, 1), (2, 3)), ((), (2, 3)), ((1, 3), (4, 2, 3)), ((1,), (3,)),
             ((2, 1, 3), (2, 4, 3)), ((2, 3), (2, 2, 3))]:
    add_case("broadcast_to", f"{fmt(a)}->{fmt(s)}", real(a), params=(s,))

for a, s in [((2, 3), (3,)), ((2, 3), (2, 1)), ((2, 3), ()), ((4, 2, 3), (1, 3)), ((2, 3), (1, 3)),
             ((2, 3), (1, 1)), ((4, 2, 3), (2, 3)), ((4, 2, 3), (4, 1, 3)), ((3,), (1,))]:
    add_case("sum_to", f"{fmt(a)}->{fmt(s)}", real(a), params=(s,))

for shapes, axis in [([(2, 3), (1, 3)], 0), ([(1, 3), (2, 3), (3, 3)], 0), ([(2, 1), (2, 3)], 1),
                     ([(2, 2), (2, 1), (2, 3)], 1), ([(2,), (3,)], 0), ([(2, 3, 1), (2, 3, 2)], 2),
                     ([(1, 2, 3), (2, 2, 3)], 0), ([(2, 1, 3), (2, 2, 3), (2, 1, 3)], 1)]:
    add_case("cat", "+".join(fmt(s) for s in shapes) + f"-axis={axis}",
             *[real(s) for s in shapes], params=(axis,))

add_fn_case("expand", "(2,1)->(2,3)", lambda x: wg.expand(x, 2, 3), real((2, 1)))
add_fn_case("expand", "(3,)->(-1..)", lambda x: x.expand(4, -1), real((3,)))
add_fn_case("flatten", "(2,3,4)", wg.flatten, real((2, 3, 4)))
add_fn_case("flatten", "(2,3,4)-1:", wg.flatten, real((2, 3, 4)), kwargs={"start_dim": 1})
add_fn_case("squeeze", "(2,1,3,1)", wg.squeeze, real((2, 1, 3, 1)))
add_fn_case("squeeze", "(2,1,3)-dim=1", wg.squeeze, real((2, 1, 3)), kwargs={"dim": 1})
add_fn_case("unsqueeze", "(2,3)-dim=-1", wg.unsqueeze, real((2, 3)), Raw(-1))
add_fn_case("stack", "2x(2,3)-dim=1", lambda a, b: wg.stack([a, b], dim=1), real((2, 3)),
            real((2, 3)))
add_fn_case("transpose", "(2,3,4)-0,2", wg.transpose, real((2, 3, 4)), Raw(0), Raw(2))
add_fn_case("t", "(2,3)", wg.t, real((2, 3)))
