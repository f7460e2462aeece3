"""Cases for the separable linear maps of average pooling and linear interpolation:
``separable_bands`` and its adjoint ``separable_bands_t`` (linear, so finite differences
check them exactly, to any order)."""

from __future__ import annotations

import numpy as np

from wengert.nn.functional._spatial import Bands

from ._common import F32_STEPS, add_case, dyadic, real


def _band(out, size, k, s):
    starts = np.arange(out) * s
    i = np.arange(size)
    return ((i >= starts[:, None]) & (i < starts[:, None] + k)) / k


_CASES = {  # label: (input shape, matrices of the trailing dims)
    "1d-k3-s2": ((2, 3, 7), [_band(3, 7, 3, 2)]),
    "2d-k2-overlap": ((1, 2, 5, 4), [_band(4, 5, 2, 1), _band(2, 4, 2, 2)]),
    "3d-linear": ((1, 1, 3, 4, 2), [np.array([[1.0, 0, 0], [0.25, 0.75, 0], [0, 0.5, 0.5]]),
                                    _band(3, 4, 2, 1), np.array([[0.5, 0.5]])]),
}

for _label, (_shape, _mats) in _CASES.items():
    _bands = Bands(_mats)
    _out = (*_shape[:-len(_mats)], *(m.shape[0] for m in _mats))
    add_case("separable_bands", _label, real(_shape), params=(_bands,))
    add_case("separable_bands_t", _label, real(_out), params=(_bands,))

_b32 = Bands([_band(3, 6, 2, 2), _band(2, 5, 3, 2)])
add_case("separable_bands", "2d-float32", dyadic((2, 3, 6, 5), np.float32), params=(_b32,),
         **F32_STEPS)
add_case("separable_bands_t", "2d-float32", dyadic((2, 3, 3, 2), np.float32), params=(_b32,),
         **F32_STEPS)
