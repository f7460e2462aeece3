"""Cases for max pooling's primitives: ``max_pool`` (gather at fixed picks) and its
adjoint ``max_pool_backward``, for each kind of picks and window layout.

The picks are found on values with no ties; the primitives are linear at fixed
picks, so finite differences check them exactly, to any order.
"""

from __future__ import annotations

import numpy as np

from wengert.nn.functional._spatial import grid_picks, table_picks, window_table

from ._common import F32_STEPS, add_case, distinct, dyadic, real


def grid(x, out, kernel, stride, dilation, padding):
    return grid_picks(x, out, kernel, stride, dilation, padding)


def adaptive(x, out):
    tables = []
    for size, o in zip(x.shape[2:], out):
        i = np.arange(o)
        starts, ends = (i * size) // o, -((-(i + 1) * size) // o)
        tables.append(window_table(starts, size, int(max(ends - starts)), 1, ends))
    return table_picks(x, tables)


_CASES = {  # label: (input shape, picks)
    "2d-k2-disjoint": lambda x: grid(x, (2, 2), (2, 2), (2, 2), (1, 1), (0, 0)),
    "2d-k3-s1-p1-overlap": lambda x: grid(x, (4, 5), (3, 3), (1, 1), (1, 1), (1, 1)),
    "2d-k2-d2-ceil": lambda x: grid(x, (2, 3), (2, 2), (2, 2), (2, 1), (0, 1)),
    "1d-k3-s2-p1-ceil": lambda x: grid(x, (3,), (3,), (2,), (1,), (1,)),
    "2d-adaptive-3x2": lambda x: adaptive(x, (3, 2)),
}
_SHAPES = {"2d-k2-disjoint": (2, 2, 5, 4), "2d-k3-s1-p1-overlap": (1, 2, 4, 5),
           "2d-k2-d2-ceil": (1, 2, 4, 5), "1d-k3-s2-p1-ceil": (2, 1, 5),
           "2d-adaptive-3x2": (1, 2, 5, 4)}

for _label, _make in _CASES.items():
    (_x,) = distinct(_SHAPES[_label])
    _picks = _make(_x)
    _y = _picks.gather(_x)
    add_case("max_pool", _label, real(_x.shape), params=(_picks,))
    add_case("max_pool_backward", _label, real(_y.shape), params=(_picks,))

_x32 = dyadic((2, 3, 6, 6), np.float32)
_p32 = grid(_x32, (3, 3), (2, 2), (2, 2), (1, 1), (0, 0))
add_case("max_pool", "2d-float32", dyadic(_x32.shape, np.float32), params=(_p32,), **F32_STEPS)
add_case("max_pool_backward", "2d-float32", dyadic((2, 3, 3, 3), np.float32), params=(_p32,),
         **F32_STEPS)
