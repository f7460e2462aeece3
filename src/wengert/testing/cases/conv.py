"""Cases for convolutions, pooling, padding, resampling and unfold/fold (``wg.nn.functional``).

Images are tiny (a full-Jacobian gradcheck grows with their size). Max
pooling gets distinct values (no ties, where it is not differentiable).
"""

from __future__ import annotations

import numpy as np

import wengert.nn.functional as F
from wengert.nn.functional._im2col import Geometry

from ._common import F32_STEPS, Raw, add_case, add_fn_case, distinct, dyadic, real


def geometry(x_shape, w_shape, stride=None, padding=None, dilation=None, groups=1, out=None):
    n = len(x_shape) - 2
    pads = padding or ((0, 0),) * n
    return Geometry(x_shape, w_shape, stride or (1,) * n, pads, dilation or (1,) * n, groups,
                    out)


GEOMETRIES = {
    "2d": geometry((2, 2, 5, 4), (3, 2, 3, 2)),
    "2d-stride-pad-dil": geometry((1, 2, 6, 5), (2, 2, 2, 3), (2, 1), ((1, 2), (0, 1)), (1, 2)),
    "2d-groups": geometry((2, 4, 4, 4), (6, 2, 2, 2), (1, 2), ((1, 1), (1, 1)), groups=2),
    "1d": geometry((2, 3, 7), (2, 3, 3), (2,), ((1, 0),)),
    "3d": geometry((1, 2, 3, 4, 3), (2, 1, 2, 2, 2), (1, 2, 1), ((0, 0), (1, 1), (0, 1)),
                   groups=2),
    # stride 1 along the rows: shifted rows (see _im2col.plan), and conv_transpose as a
    # convolution with the flipped kernel
    "2d-shifted-pad-dil-groups": geometry((2, 4, 4, 5), (4, 2, 3, 2), None, ((1, 2), (1, 0)),
                                          (2, 1), groups=2),
    "2d-shifted-stride-dil": geometry((2, 1, 4, 7), (5, 1, 2, 2), (1, 3), ((1, 1), (1, 2)),
                                      (1, 2)),
    # stride 1, many input channels per output channel: wide rows
    "2d-wide-pad-groups": geometry((2, 4, 4, 5), (2, 2, 3, 3), None, ((1, 1), (1, 1)),
                                   groups=2),
    # stride 1 padded past the kernel's extent: conv_transpose adds columns back (col2im)
    "1d-overpadded": geometry((2, 2, 3), (2, 2, 2), None, ((2, 1),)),
    # an output shorter than the windows' count (conv_transpose's output_padding)
    "1d-short-out": geometry((1, 2, 6), (2, 2, 2), None, None, (2,), out=(3,)),
}

for label, g in GEOMETRIES.items():
    x, w, y = real(g.x_shape), real(g.w_shape), real(g.y_shape)
    add_case("conv", label, x, w, params=(g,))
    add_case("conv_transpose", label, y, w, params=(g,))
    add_case("conv_weight", label, x, y, params=(g,))

_g = GEOMETRIES["2d-stride-pad-dil"]
add_case("conv", "2d-float32", dyadic(_g.x_shape, np.float32), dyadic(_g.w_shape, np.float32), params=(_g,),
         **{**F32_STEPS, "tol": 3e-3})  # float32 sums: FD of the 2nd order is coarse


def unfold_geometry(x_shape, kernel, stride, padding, dilation):
    c = x_shape[1]
    k = 1
    for v in kernel:
        k *= v
    return Geometry(x_shape, (c * k, 1, *kernel), stride, padding, dilation, c)


for label, g in {"k2": unfold_geometry((2, 2, 4, 5), (2, 2), (1, 1), ((0, 0), (0, 0)), (1, 1)),
                 "k3-s2-p1-d2": unfold_geometry((1, 2, 6, 5), (3, 2), (2, 1), ((1, 1), (1, 1)),
                                                (2, 1))}.items():
    add_case("im2col", label, real(g.x_shape), params=(g,))
    add_case("col2im", label, real((g.x_shape[0], g.w_shape[0], g.y_shape[2] * g.y_shape[3])),
             params=(g,))

# -- public functions -------------------------------------------------------------------

nf = "nn.functional."
add_fn_case(nf + "conv1d", "pad-same-dil", F.conv1d, real((1, 2, 6)), real((2, 2, 3)),
            real((2,)), kwargs={"padding": "same", "dilation": 2})
add_fn_case(nf + "conv1d", "unbatched-stride", F.conv1d, real((2, 7)), real((1, 2, 2)),
            kwargs={"stride": 2})
add_fn_case(nf + "conv2d", "bias-pad", F.conv2d, real((1, 2, 4, 4)), real((2, 2, 3, 3)),
            real((2,)), kwargs={"padding": 1})
add_fn_case(nf + "conv2d", "stride-dil-groups", F.conv2d, real((1, 2, 5, 5)), real((2, 1, 2, 2)),
            kwargs={"stride": 2, "dilation": (1, 2), "groups": 2})
add_fn_case(nf + "conv2d", "same-even-kernel", F.conv2d, real((1, 1, 4, 3)), real((1, 1, 2, 2)),
            kwargs={"padding": "same"})
add_fn_case(nf + "conv3d", "pad", F.conv3d, real((1, 1, 3, 3, 2)), real((1, 1, 2, 2, 2)),
            kwargs={"padding": (1, 0, 0)})
add_fn_case(nf + "conv_transpose1d", "stride-outpad", F.conv_transpose1d, real((1, 2, 3)),
            real((2, 1, 3)), real((1,)), kwargs={"stride": 2, "padding": 1,
                                                 "output_padding": 1})
add_fn_case(nf + "conv_transpose2d", "stride-groups", F.conv_transpose2d, real((1, 2, 2, 3)),
            real((2, 1, 2, 2)), kwargs={"stride": 2, "groups": 2})
add_fn_case(nf + "conv_transpose2d", "dil-pad", F.conv_transpose2d, real((1, 1, 3, 3)),
            real((1, 2, 2, 2)), kwargs={"dilation": 2, "padding": 1})
add_fn_case(nf + "conv_transpose3d", "stride", F.conv_transpose3d, real((1, 1, 2, 2, 1)),
            real((1, 1, 2, 1, 2)), kwargs={"stride": (2, 1, 1)})

(_x,) = distinct((1, 2, 5, 5))
add_fn_case(nf + "max_pool2d", "k2", F.max_pool2d, _x, Raw(2))
add_fn_case(nf + "max_pool2d", "k3-s2-p1-ceil", F.max_pool2d, _x, Raw(3),
            kwargs={"stride": 2, "padding": 1, "ceil_mode": True})
add_fn_case(nf + "max_pool2d", "k2-dil2", F.max_pool2d, _x, Raw(2),
            kwargs={"stride": 1, "dilation": 2})
add_fn_case(nf + "max_pool1d", "k2-s1", F.max_pool1d, *distinct((2, 2, 5)), Raw(2),
            kwargs={"stride": 1})
add_fn_case(nf + "adaptive_max_pool2d", "3x2", F.adaptive_max_pool2d, _x, Raw((3, 2)))
add_fn_case(nf + "adaptive_max_pool1d", "3", F.adaptive_max_pool1d, *distinct((1, 2, 7)), Raw(3))
add_fn_case(nf + "avg_pool2d", "k2", F.avg_pool2d, real((1, 2, 4, 5)), Raw(2))
add_fn_case(nf + "avg_pool2d", "k3-s2-p1-ceil-nopad", F.avg_pool2d, real((1, 1, 5, 5)), Raw(3),
            kwargs={"stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False})
add_fn_case(nf + "avg_pool2d", "divisor", F.avg_pool2d, real((1, 1, 4, 4)), Raw(2),
            kwargs={"divisor_override": 3})
add_fn_case(nf + "avg_pool1d", "k3-p1", F.avg_pool1d, real((2, 1, 6)), Raw(3),
            kwargs={"padding": 1, "stride": 2})
add_fn_case(nf + "adaptive_avg_pool2d", "3x2", F.adaptive_avg_pool2d, real((1, 2, 5, 4)),
            Raw((3, 2)))
add_fn_case(nf + "adaptive_avg_pool1d", "4", F.adaptive_avg_pool1d, real((1, 2, 6)), Raw(4))

add_fn_case(nf + "pad", "constant-value", F.pad, real((1, 2, 3)), Raw((1, 2, 0, 1)),
            kwargs={"value": 1.5})
add_fn_case(nf + "pad", "constant-crop", F.pad, real((2, 3, 4)), Raw((-1, 2)))
for _mode in ("reflect", "replicate", "circular"):
    add_fn_case(nf + "pad", _mode, F.pad, real((1, 1, 3, 4)), Raw((2, 1, 1, 2)),
                kwargs={"mode": _mode})

add_fn_case(nf + "interpolate", "nearest", F.interpolate, real((1, 1, 3, 2)),
            kwargs={"scale_factor": (1.5, 2)})
add_fn_case(nf + "interpolate", "nearest-exact", F.interpolate, real((1, 1, 4)),
            kwargs={"size": 3, "mode": "nearest-exact"})
add_fn_case(nf + "interpolate", "bilinear", F.interpolate, real((1, 1, 3, 3)),
            kwargs={"size": (4, 5), "mode": "bilinear"})
add_fn_case(nf + "interpolate", "bilinear-corners", F.interpolate, real((1, 1, 3, 2)),
            kwargs={"scale_factor": 2, "mode": "bilinear", "align_corners": True})

add_fn_case(nf + "unfold", "k2-p1-s2", F.unfold, real((1, 2, 3, 4)), Raw(2),
            kwargs={"padding": 1, "stride": 2})
add_fn_case(nf + "fold", "k2", F.fold, real((1, 4, 6)), Raw((3, 4)), Raw(2))
add_fn_case(nf + "pixel_shuffle", "r2", F.pixel_shuffle, real((1, 4, 2, 3)), Raw(2))
add_fn_case(nf + "pixel_unshuffle", "r2", F.pixel_unshuffle, real((1, 1, 4, 2)), Raw(2))
