"""Cases for the gather/scatter family, the index_* ops and the masks (ops/gather.py)."""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._common import Raw, add_fn_case, fmt, integers, mask, real


def _t(a):
    return Raw(wg.tensor(a))


# gather: index smaller than input off dim, larger along dim, repeats
for shape, dim, ishape in [((3, 4), 1, (3, 6)), ((3, 4), 0, (2, 4)), ((2, 3, 4), -1, (1, 2, 5)),
                           ((4,), 0, (7,)), ((2, 3, 4), 1, (2, 2, 3))]:
    d = dim % len(shape)
    add_fn_case("gather", f"{fmt(shape)}-dim={dim}-{fmt(ishape)}", wg.gather, real(shape),
                Raw(dim), _t(integers(ishape, 0, shape[d])))
add_fn_case("gather", "method-0d", lambda x: x.gather(0, wg.tensor(0)), real(()))

# scatter: tensor src (larger than index), number value, repeated targets
_REP = np.array([[0, 2, 0, 2], [1, 1, 1, 1]])
for lab, dim, idx, sshape in [("(3,4)-dim=1", 1, np.array([[3, 0], [2, 1], [0, 3]]), (3, 3)),
                              ("(3,4)-dim=0", 0, np.array([[2, 0, 1, 1]]), (2, 4)),
                              ("(3,4)-repeats", 1, _REP, (2, 4))]:
    add_fn_case("scatter", lab + "-src", wg.scatter, real((3, 4)), Raw(dim), _t(idx),
                real(sshape))
    add_fn_case("scatter", lab + "-value", lambda x, d=dim, i=idx: x.scatter(d, wg.tensor(i), 0.5),
                real((3, 4)))
add_fn_case("scatter", "value-tensor-kw", lambda x, v: wg.scatter(x, 0, wg.tensor([2, 0]), value=2.0)
            * v, real((3,)), real(()))
for lab, dim, idx, sshape in [("(3,4)-dim=1", 1, np.array([[3, 0], [2, 1], [0, 3]]), (3, 3)),
                              ("(3,4)-repeats", 1, _REP, (2, 5)),
                              ("(3,4)-dim=-2", -2, np.array([[2, 2, 2, 0], [2, 0, 1, 1]]),
                               (2, 4))]:
    add_fn_case("scatter_add", lab, wg.scatter_add, real((3, 4)), Raw(dim), _t(idx), real(sshape))
add_fn_case("scatter_add", "method-reduce=add",
            lambda x, s: x.scatter(0, wg.tensor([1, 1, 0]), s, reduce="add"), real((2,)),
            real((3,)))

for shape, dim, idx in [((3, 4), 0, [2, 0, 2]), ((3, 4), -1, [3]), ((2, 3, 4), 1, [1, 1, 0, 2]),
                        ((3,), 0, 1)]:
    add_fn_case("index_select", f"{fmt(shape)}-dim={dim}-{idx}".replace(" ", ""),
                wg.index_select, real(shape), Raw(dim), _t(np.array(idx)))
for shape, dim, idx, alpha in [((3, 4), 0, [2, 0, 2], 1), ((3, 4), 1, [1, 3], -0.5),
                               ((2, 3, 4), -2, [0, 0, 0, 1], 2.0)]:
    sshape = list(shape)
    sshape[dim] = len(idx)
    add_fn_case("index_add", f"{fmt(shape)}-dim={dim}-{idx}-alpha={alpha}".replace(" ", ""),
                lambda x, s, d=dim, i=idx, a=alpha: wg.index_add(x, d, wg.tensor(i), s, alpha=a),
                real(shape), real(tuple(sshape)))
for shape, dim, idx in [((3, 4), 0, [2, 0]), ((3, 4), 1, [1, 3, 1]), ((2, 3, 4), -1, [0, 2])]:
    sshape = list(shape)
    sshape[dim] = len(idx)
    add_fn_case("index_copy", f"{fmt(shape)}-dim={dim}-{idx}".replace(" ", ""),
                lambda x, s, d=dim, i=idx: x.index_copy(d, wg.tensor(i), s), real(shape),
                real(tuple(sshape)))

for shape, mshape in [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 3, 1), (3, 1)), ((), ())]:
    add_fn_case("masked_fill", f"{fmt(shape)}-mask{fmt(mshape)}-number", wg.masked_fill,
                real(shape), Raw(wg.tensor(mask(mshape))), Raw(-1.5))
    m = wg.tensor(mask(mshape))
    add_fn_case("masked_fill", f"{fmt(shape)}-mask{fmt(mshape)}-tensor",
                lambda x, v, m=m: x.masked_fill(m, v), real(shape), real(()))
for shape, mshape in [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (2, 1, 4)), ((), ())]:
    m = mask(mshape)
    m.flat[0] = True
    add_fn_case("masked_select", f"{fmt(shape)}-mask{fmt(mshape)}", wg.masked_select,
                real(shape), Raw(wg.tensor(m)))
for shape, ishape in [((3, 4), (5,)), ((3, 4), (2, 3)), ((4,), ()), ((2, 3), (0,))]:
    n = int(np.prod(shape))
    add_fn_case("take", f"{fmt(shape)}-{fmt(ishape)}", wg.take, real(shape),
                _t(integers(ishape, -n, n)))
for shape, ishape, dim in [((3, 4), (3, 2), 1), ((3, 4), (5, 1), 0), ((2, 3, 4), (2, 1, 3), -1),
                           ((3, 4), (3, 2), None), ((2, 1, 4), (1, 3, 2), 2)]:
    d = 0 if dim is None else dim
    n = int(np.prod(shape)) if dim is None else shape[d]
    add_fn_case("take_along_dim", f"{fmt(shape)}-{fmt(ishape)}-dim={dim}", wg.take_along_dim,
                real(shape), _t(integers(ishape, -n, n)), Raw(dim))
