"""Cases for matrix products and linear algebra."""

from __future__ import annotations

import wengert as wg

from ._common import (
    add_case,
    add_fn_case,
    fmt,
    real,
)

MATMUL = [((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((5, 2, 3), (5, 3, 4)),
          ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((5, 2, 3), (3,)), ((3,), (5, 3, 4)),
          ((5, 1, 2, 3), (4, 3, 2)), ((1, 2, 3), (5, 3, 4)), ((2, 1, 2, 3), (1, 3, 3, 2)),
          ((1, 3), (3, 1))]
for a, b in MATMUL:
    add_case("matmul", f"{fmt(a)}@{fmt(b)}", real(a), real(b))

add_fn_case("mm", "(2,3)@(3,4)", wg.mm, real((2, 3)), real((3, 4)))
add_fn_case("bmm", "(5,2,3)@(5,3,4)", wg.bmm, real((5, 2, 3)), real((5, 3, 4)))
add_fn_case("dot", "(3,).(3,)", wg.dot, real((3,)), real((3,)))
