"""Cases added by the correctness review: ``index_put(..., accumulate=True)``."""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._common import Raw, add_fn_case, real

_REPEATED = (np.array([0, 0, 2]),)
add_fn_case("index_put", "accumulate-repeats", wg.index_put, real((3, 4)), Raw(_REPEATED),
            real((3, 4)), kwargs={"accumulate": True})
add_fn_case("index_put", "accumulate-broadcast", wg.index_put, real((3, 4)),
            Raw((np.array([1, 1]), np.array([3, 3]))), real(()), kwargs={"accumulate": True})
