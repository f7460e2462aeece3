"""Cases for splitting and joining (ops/join.py) and the shape composites of ops/shape.py."""

from __future__ import annotations

import wengert as wg

from ._common import Raw, add_fn_case, real


def _cat(pieces):
    """Tuple outputs as one tensor, so that every piece is checked."""
    return wg.cat([p.reshape(-1) for p in pieces])


for shape, size, dim in [((5, 2), 2, 0), ((2, 6), 3, 1), ((2, 5), [1, 0, 4], -1), ((4,), 4, 0),
                         ((3, 2), (2, 1), 0)]:
    add_fn_case("split", f"{shape}-{size}-dim={dim}".replace(" ", ""),
                lambda x, s=size, d=dim: _cat(wg.split(x, s, d)), real(shape))
add_fn_case("split", "method-pieces", lambda x: x.split(2)[1] * x.split(2)[0], real((4, 3)))
for shape, n, dim in [((5, 2), 3, 0), ((2, 6), 4, 1), ((3,), 5, 0), ((2, 3, 4), 2, -1)]:
    add_fn_case("chunk", f"{shape}-{n}-dim={dim}".replace(" ", ""),
                lambda x, n=n, d=dim: _cat(wg.chunk(x, n, d)), real(shape))
for shape, dim in [((3, 2), 0), ((2, 3, 4), 1), ((4,), -1)]:
    add_fn_case("unbind", f"{shape}-dim={dim}".replace(" ", ""),
                lambda x, d=dim: _cat([p * (i + 1) for i, p in enumerate(wg.unbind(x, d))]),
                real(shape))
add_fn_case("narrow", "(4,3)-0,1,2", wg.narrow, real((4, 3)), Raw(0), Raw(1), Raw(2))
add_fn_case("narrow", "(2,5)-(-1),-3,3", lambda x: x.narrow(-1, -3, 3), real((2, 5)))
add_fn_case("select", "(2,3,4)-1,-1", wg.select, real((2, 3, 4)), Raw(1), Raw(-1))
add_fn_case("select", "(3,)-0,2", lambda x: x.select(0, 2), real((3,)))
add_fn_case("hstack", "(2,)+(3,)+()", lambda a, b, c: wg.hstack([a, b, c]), real((2,)), real((3,)),
            real(()))
add_fn_case("hstack", "(2,1)+(2,3)", lambda a, b: wg.hstack((a, b)), real((2, 1)), real((2, 3)))
add_fn_case("vstack", "(3,)+(2,3)+()", lambda a, b: wg.vstack([a, b]), real((3,)), real((2, 3)))
add_fn_case("dstack", "(3,)+(1,3,2)", lambda a, b: wg.dstack([a, b]), real((3,)), real((1, 3, 2)))
add_fn_case("dstack", "(2,3)+()", lambda a, b: wg.dstack([a, b[None, None]]), real((1, 1)),
            real(()))
add_fn_case("column_stack", "(3,)+(3,2)+(3,1)", lambda a, b, c: wg.column_stack([a, b, c]),
            real((3,)), real((3, 2)), real((3, 1)))
add_fn_case("meshgrid", "ij-(2,)(3,)()", lambda a, b, c: _cat(wg.meshgrid(a, b, c)), real((2,)),
            real((3,)), real(()))
add_fn_case("meshgrid", "xy-(2,)(3,)(4,)",
            lambda a, b, c: _cat(wg.meshgrid([a, b, c], indexing="xy")), real((2,)), real((3,)),
            real((4,)))
add_fn_case("unflatten", "(2,6)-1-(3,-1)", wg.unflatten, real((2, 6)), Raw(1), Raw((3, -1)))
add_fn_case("unflatten", "(6,)-0-(1,6,1)", lambda x: x.unflatten(0, [1, 6, 1]), real((6,)))
for src, dst in [(0, -1), ((0, 1), (2, 0)), (-1, 0)]:
    add_fn_case("movedim", f"{src}->{dst}".replace(" ", ""),
                lambda x, s=src, d=dst: wg.movedim(x, s, d), real((2, 3, 4)))
add_fn_case("moveaxis", "method-1->0", lambda x: x.moveaxis(1, 0), real((2, 3)))
add_fn_case("ravel", "(2,3)", wg.ravel, real((2, 3)))
add_fn_case("atleast_1d", "()", wg.atleast_1d, real(()))
add_fn_case("atleast_1d", "list", lambda a, b: _cat(wg.atleast_1d([a, b])), real(()), real((2,)))
add_fn_case("atleast_2d", "(3,)", wg.atleast_2d, real((3,)))
add_fn_case("atleast_2d", "args", lambda a, b: _cat(wg.atleast_2d(a, b)), real(()),
            real((2, 1, 2)))
add_fn_case("atleast_3d", "(3,)", wg.atleast_3d, real((3,)))
add_fn_case("atleast_3d", "args", lambda a, b, c: _cat(wg.atleast_3d(a, b, c)), real(()),
            real((2, 3)), real((1, 2, 2, 2)))
add_fn_case("swapaxes", "(2,3,4)-0,-1", wg.swapaxes, real((2, 3, 4)), Raw(0), Raw(-1))
