"""Cases for matrix products and linear algebra."""

from __future__ import annotations

import wengert as wg

from ._common import (
    F32,
    F32_STEPS,
    add_case,
    add_fn_case,
    dyadic,
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

# -- contractions (ops/contract.py) ---------------------------------------------------------
# einsum primitive: plain subscripts only (explicit output, no repeats, no ellipsis)
EINSUM = [
    ("ij,jk->ik", (2, 3), (3, 4)), ("ij,ij->i", (2, 3), (2, 3)), ("i,j->ij", (3,), (4,)),
    ("bij,bjk->bik", (2, 2, 3), (2, 3, 2)), ("ij->ji", (2, 3)), ("ijk->", (2, 3, 2)),
    ("ij,jk,kl->il", (2, 3), (3, 2), (2, 4)), ("ab,c->abc", (2, 3), (2,)),
    ("ab,bc->a", (2, 3), (3, 2)),  # c only in operand 1: its adjoint broadcasts
    (",i->i", (), (3,)), ("i,->", (3,), ()),
]
for spec, *shapes in EINSUM:
    add_case("einsum", spec, *(real(s) for s in shapes), params=(spec,))
add_case("einsum", "ij,jk->ik-f32", dyadic((2, 3), F32), dyadic((3, 4), F32),
         params=("ij,jk->ik",), **F32_STEPS)

# the public einsum: ellipsis, diagonals, traces, implicit output, broadcasting, paths
EINSUM_FN = [
    ("ii", (3, 3)), ("ii->i", (3, 3)), ("iij->ji", (2, 2, 3)), ("ij", (2, 3)), ("ji", (2, 3)),
    ("...ij,...jk->...ik", (2, 2, 3), (3, 2)), ("...ij->...", (2, 3, 2)),
    ("b...,b...->...", (2, 3), (2, 1)), ("ij,ij->ij", (1, 3), (2, 3)),
    ("ij,jk,kl->il", (2, 3), (3, 4), (4, 2)), ("ab,bc,cd,de->ae", (2, 3), (3, 2), (2, 4), (4, 3)),
    ("ij,jk,ki->", (2, 3), (3, 4), (4, 2)), ("i,i,i->", (3,), (3,), (3,)),
    ("bij,bjk,bkl->bil", (2, 2, 3), (2, 3, 2), (2, 2, 2)), ("iji->j", (2, 3, 2)),
    ("a,b,c", (2,), (3,), (2,)), ("", ()),
]
for eq, *shapes in EINSUM_FN:
    add_fn_case("einsum", f"'{eq}'-{'-'.join(fmt(s) for s in shapes)}",
                lambda *xs, eq=eq: wg.einsum(eq, *xs), *(real(s) for s in shapes))
add_fn_case("einsum", "list-operands", lambda a, b: wg.einsum("ij,jk", [a, b]),
            real((2, 3)), real((3, 2)))

for dims, a, b in [(2, (2, 3, 4), (3, 4, 2)), (1, (2, 3), (3, 2)), (0, (2,), (3,)),
                   (([1, 0], [0, 2]), (3, 2, 2), (2, 4, 3)), (([-1], [0]), (2, 3), (3,))]:
    add_fn_case("tensordot", f"dims={dims}".replace(" ", ""),
                lambda x, y, dims=dims: wg.tensordot(x, y, dims), real(a), real(b))
for a, b in [((3,), (3,)), ((2, 3), (4, 3)), ((), (2, 3)), ((2, 3), ())]:
    add_fn_case("inner", f"{fmt(a)}-{fmt(b)}", wg.inner, real(a), real(b))
add_fn_case("outer", "(3,)-(2,)", wg.outer, real((3,)), real((2,)))
add_fn_case("ger", "(2,)-(3,)", wg.ger, real((2,)), real((3,)))
add_fn_case("vdot", "(4,)", wg.vdot, real((4,)), real((4,)))
for a, b in [((2, 2), (2, 3)), ((3,), (2,)), ((2, 1, 2), (2, 2)), ((), (2,))]:
    add_fn_case("kron", f"{fmt(a)}-{fmt(b)}", wg.kron, real(a), real(b))
for a, b, dim in [((3,), (3,), None), ((2, 3), (2, 3), 1), ((3, 2), (3, 2), 0),
                  ((4, 3), (1, 3), -1), ((3, 3), (3, 3), None)]:
    add_fn_case("cross", f"{fmt(a)}x{fmt(b)}-dim={dim}",
                lambda x, y, dim=dim: wg.cross(x, y, dim=dim), real(a), real(b))
