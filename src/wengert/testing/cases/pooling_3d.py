"""Cases for the 3-D poolings (``max_pool3d``, ``avg_pool3d`` and the adaptive ones):
the same composites as 1-D and 2-D, over three spatial dims. Max pooling gets
distinct values (no ties, where it is not differentiable)."""

from __future__ import annotations

import wengert.nn.functional as F

from ._common import Raw, add_fn_case, distinct, real

nf = "nn.functional."
(_x,) = distinct((1, 2, 4, 3, 5))
add_fn_case(nf + "max_pool3d", "k2", F.max_pool3d, _x, Raw(2))
add_fn_case(nf + "max_pool3d", "k3-s2-p1-ceil-dil", F.max_pool3d, _x, Raw((3, 2, 3)),
            kwargs={"stride": (2, 1, 2), "padding": (1, 0, 1), "dilation": (1, 2, 1),
                    "ceil_mode": True})
add_fn_case(nf + "adaptive_max_pool3d", "2x2x3", F.adaptive_max_pool3d, _x, Raw((2, 2, 3)))
add_fn_case(nf + "avg_pool3d", "k2-s1-p1-nopad", F.avg_pool3d, real((1, 2, 3, 4, 3)), Raw(2),
            kwargs={"stride": 1, "padding": 1, "count_include_pad": False})
add_fn_case(nf + "avg_pool3d", "divisor-ceil", F.avg_pool3d, real((2, 3, 3, 5)), Raw(2),
            kwargs={"ceil_mode": True, "divisor_override": 3})
add_fn_case(nf + "avg_pool3d", "global", F.avg_pool3d, real((1, 2, 2, 3, 4)), Raw((2, 3, 4)))
add_fn_case(nf + "adaptive_avg_pool3d", "3x1x2", F.adaptive_avg_pool3d, real((1, 2, 4, 3, 5)),
            Raw((3, 1, 2)))
add_fn_case(nf + "adaptive_avg_pool3d", "global", F.adaptive_avg_pool3d, real((2, 2, 3, 2)),
            Raw(1))
