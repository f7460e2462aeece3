"""Cases for softmax, log_softmax and cross_entropy on rows of at least 16 classes: the
lengths where their fast paths engage (``by_rows``' one-row buffer, ``class_sums``'
einsum), with every cross_entropy option and the shifted (large-logit) path."""

from __future__ import annotations

import numpy as np

from wengert.nn.functional.cross_entropy import cross_entropy_params

from ._common import F32_STEPS, add_case, dyadic, integers, positive, real

for name in ("softmax", "log_softmax"):
    add_case(name, "(3,20)-rows", real((3, 20), -2, 2), params=(1,))
    add_case(name, "(3,20)-rows-f32", dyadic((3, 20), np.float32), params=(1,), **F32_STEPS)
    add_case(name, "(3,20)-rows-large", real((3, 20), 995, 1005), params=(1,))

_ROWS = (3, 20)
_T = integers((3,), 0, 20)
_T_IGNORED = np.array([4, 7, 4])  # ignore_index=7: one sample ignored, in range
for label, shape, target, weight, ignore, smoothing in [
    ("(3,20)", _ROWS, _T, None, -100, 0.0),
    ("(3,20)-ignore-in-range", _ROWS, _T_IGNORED, None, 7, 0.0),
    ("(3,20)-weight-smooth-ignore", _ROWS, _T_IGNORED, positive((20,)), 7, 0.2),
    ("(20,)", (20,), np.array(5), None, -100, 0.1),
]:
    for reduction in ("mean", "sum", "none"):
        add_case("cross_entropy", f"{label}-{reduction}", real(shape, -2, 2),
                 params=cross_entropy_params(np.zeros(shape), target, weight, ignore,
                                             reduction, smoothing))
add_case("cross_entropy", "(3,20)-f32", dyadic(_ROWS, np.float32),
         params=cross_entropy_params(np.zeros(_ROWS, np.float32), _T, None, -100, "mean",
                                     0.0), **F32_STEPS)
add_case("cross_entropy", "(3,20)-large", real(_ROWS, 995, 1005),
         params=cross_entropy_params(np.zeros(_ROWS), _T, None, -100, "sum", 0.0))
