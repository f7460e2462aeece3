"""Cases for the fused ``batch_norm`` primitive (per-channel statistics over the batch and
spatial dims, then the affine map): 1-d, 2-d and 3-d feature maps, a single channel, a
large mean (the centred variance must not cancel), float32; and the public functions built
on it (batch, instance and group norm) with and without an affine map."""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._common import F32_STEPS, Raw, add_case, add_fn_case, dyadic, positive, real

F = wg.nn.functional

for label, shape in [("(4,3)", (4, 3)), ("(3,2,4)", (3, 2, 4)), ("(2,3,2,2)", (2, 3, 2, 2)),
                     ("(2,2,2,1,3)", (2, 2, 2, 1, 3)), ("(5,1)", (5, 1))]:
    c = shape[1]
    add_case("batch_norm", label, real(shape), positive((c,)), real((c,)), params=(1e-5, None))
add_case("batch_norm", "(3,2,2)-eps=0.1", real((3, 2, 2)), real((2,)), real((2,)),
         params=(0.1, None))
add_case("batch_norm", "(4,2)-mean=100", real((4, 2), 99.0, 101.0), positive((2,)),
         real((2,)), params=(1e-5, None))
# (a normalization: finite differences in float32 are noisier, hence tol)
add_case("batch_norm", "(4,2,3)-f32", dyadic((4, 2, 3), np.float32),
         dyadic((2,), np.float32, 0.5, 2.0), dyadic((2,), np.float32), params=(1e-5, None),
         **{**F32_STEPS, "tol": 1e-3})

add_fn_case("nn.functional.batch_norm", "(2,3,2,2)-train-affine", F.batch_norm,
            real((2, 3, 2, 2)), Raw(None), Raw(None), positive((3,)), real((3,)),
            kwargs={"training": True})
add_fn_case("nn.functional.batch_norm", "(4,2,3)-train-weight-only", F.batch_norm,
            real((4, 2, 3)), Raw(None), Raw(None), positive((2,)), Raw(None),
            kwargs={"training": True})
add_fn_case("nn.functional.batch_norm", "(2,3,2,2)-eval-affine", F.batch_norm,
            real((2, 3, 2, 2)), Raw(wg.tensor([0.1, -0.2, 0.3], dtype=wg.float64)),
            Raw(wg.tensor([0.5, 1.0, 2.0], dtype=wg.float64)), positive((3,)), real((3,)))
add_fn_case("nn.functional.instance_norm", "(2,3,2,2)-affine", F.instance_norm,
            real((2, 3, 2, 2)), kwargs={"weight": positive((3,)), "bias": real((3,))})
add_fn_case("nn.functional.group_norm", "(2,4,3)-G=2-affine", F.group_norm, real((2, 4, 3)),
            2, positive((4,)), real((4,)))
