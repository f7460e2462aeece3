"""Cases for average pooling whose windows each cover the whole input (the global
path: a ``sum`` over the spatial axes divided by the count), with every option
that keeps the window global: stride, ceil mode, padding counted or not, a
divisor override, adaptive output 1, unbatched input.
"""

from __future__ import annotations

import wengert.nn.functional as F

from ._common import Raw, add_fn_case, real

nf = "nn.functional."
add_fn_case(nf + "avg_pool2d", "global-7x7", F.avg_pool2d, real((2, 3, 7, 7)), Raw(7))
add_fn_case(nf + "avg_pool2d", "global-stride-ceil", F.avg_pool2d, real((1, 2, 3, 4)),
            Raw((3, 4)), kwargs={"stride": 5, "ceil_mode": True})
add_fn_case(nf + "avg_pool2d", "global-padded", F.avg_pool2d, real((1, 2, 1, 1)), Raw(2),
            kwargs={"padding": 1, "stride": 3})
add_fn_case(nf + "avg_pool2d", "global-divisor", F.avg_pool2d, real((2, 5, 5)), Raw(5),
            kwargs={"divisor_override": 7})
add_fn_case(nf + "avg_pool1d", "global", F.avg_pool1d, real((2, 3, 6)), Raw(6))
add_fn_case(nf + "adaptive_avg_pool2d", "global", F.adaptive_avg_pool2d, real((2, 3, 4, 5)),
            Raw(1))
add_fn_case(nf + "adaptive_avg_pool1d", "global", F.adaptive_avg_pool1d, real((3, 5)), Raw(1))
