"""Cases for reductions."""

from __future__ import annotations

import wengert as wg

from ._common import (
    NONDIFFERENTIABLE,
    add_case,
    add_fn_case,
    away0,
    distinct,
    positive,
    real,
)

NONDIFFERENTIABLE.update({"argmax", "argmin"})

# reductions
for axis in [None, 0, 1, -1, -2, (0, 1), (1,), (0, -1)]:
    for keep in (False, True):
        lab = f"(2,3)-axis={axis}-{'keep' if keep else 'drop'}".replace(" ", "")
        add_case("sum", lab, real((2, 3)), params=(axis, keep))
        add_case("amax", lab, *distinct((2, 3)), params=(axis, keep))
        add_case("amin", lab, *distinct((2, 3)), params=(axis, keep))
for axis, keep in [((0, 2), False), (1, True), ((0, 1, 2), False), (-1, False)]:
    lab = f"(2,3,4)-axis={axis}-{'keep' if keep else 'drop'}".replace(" ", "")
    add_case("sum", lab, real((2, 3, 4)), params=(axis, keep))
    add_case("amax", lab, *distinct((2, 3, 4)), params=(axis, keep))
    add_case("amin", lab, *distinct((2, 3, 4)), params=(axis, keep))
add_case("sum", "()-axis=None", real(()), params=(None, False))
add_case("amax", "()-axis=None", real(()), params=(None, False))
add_case("amin", "(4,)-axis=0", *distinct((4,)), params=(0, False))

for dim, keep in [(None, False), (1, False), (0, True), ((0, 1), False)]:
    lab = f"(3,4)-dim={dim}-{'keep' if keep else 'drop'}".replace(" ", "")
    add_fn_case("mean", lab, wg.mean, real((3, 4)), kwargs={"dim": dim, "keepdim": keep})
    for p in (2, 1, 3, float("inf"), -float("inf"), 0.5):
        add_fn_case("norm", f"{lab}-p={p}", wg.norm, away0((3, 4)) if p != 0.5 else positive((3, 4)),
                    kwargs={"p": p, "dim": dim, "keepdim": keep})
for name, fn in (("max", wg.max), ("min", wg.min)):
    add_fn_case(name, "(3,4)-all", fn, *distinct((3, 4)))
    add_fn_case(name, "(3,4)-dim=1", lambda x, fn=fn: fn(x, dim=1).values, *distinct((3, 4)))
    add_fn_case(name, "(2,3,4)-dim=0-keep", lambda x, fn=fn: fn(x, 0, keepdim=True).values,
                *distinct((2, 3, 4)))
    add_fn_case(name, "pairwise", fn, *distinct((3, 4), (4,)))
