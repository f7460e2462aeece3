"""Cases for ``conv_bias``: a convolution and its bias as one primitive.

The geometries of ``cases/conv.py`` (plain, shifted and wide rows, groups,
1-D and 3-D), with a bias per output channel.
"""

from __future__ import annotations

from ._common import add_case, real
from .conv import GEOMETRIES

for label in ("2d", "2d-stride-pad-dil", "2d-shifted-pad-dil-groups", "2d-wide-pad-groups", "1d",
              "3d"):
    g = GEOMETRIES[label]
    add_case("conv_bias", label, real(g.x_shape), real(g.w_shape), real((g.w_shape[0],)),
             params=(g,))
