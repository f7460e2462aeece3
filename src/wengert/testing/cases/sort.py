"""Cases for sorting and selection (sort, msort, topk, kthvalue)."""

from __future__ import annotations

import wengert as wg

from ._common import (
    add_fn_case,
    distinct,
    fmt,
)

for shape, dim in [((5,), 0), ((3, 4), -1), ((3, 4), 0), ((2, 3, 4), 1), ((), 0)]:
    lab = f"{fmt(shape)}-dim={dim}"
    for descending in (False, True):
        add_fn_case("sort", f"{lab}-{'desc' if descending else 'asc'}",
                    lambda x, dim=dim, d=descending: wg.sort(x, dim, d).values, *distinct(shape))
    for k, largest in [(1, True), (2, False)] if shape else [(1, True)]:
        add_fn_case("topk", f"{lab}-k={k}-{'largest' if largest else 'smallest'}",
                    lambda x, k=k, dim=dim, largest=largest: wg.topk(x, k, dim, largest).values,
                    *distinct(shape))
    for k, keep in [(1, False), (2, True)] if shape else [(1, False)]:
        add_fn_case("kthvalue", f"{lab}-k={k}-{'keep' if keep else 'drop'}",
                    lambda x, k=k, dim=dim, keep=keep: wg.kthvalue(x, k, dim, keep).values,
                    *distinct(shape))
add_fn_case("sort", "method-stable", lambda x: x.sort(stable=True, descending=True).values,
            *distinct((2, 5)))
add_fn_case("topk", "method-k=0", lambda x: x.topk(0).values, *distinct((2, 3)))
add_fn_case("kthvalue", "method", lambda x: x.kthvalue(3).values, *distinct((2, 5)))
add_fn_case("msort", "(4,3)", wg.msort, *distinct((4, 3)))
add_fn_case("msort", "method-(4,)", lambda x: x.msort(), *distinct((4,)))
