"""Cases for the activation functions of ``wg.nn.functional``: the primitives away from
their kinks, and every public function (composites included) by gradcheck."""

from __future__ import annotations

import numpy as np

import wengert.nn.functional as F

from ._common import F32, F32_STEPS, add_case, add_fn_case, avoiding, dyadic, fmt, real

SHAPES = [(), (3,), (2, 3)]

for shape in SHAPES:
    lab = fmt(shape)
    add_case("hardtanh", lab, avoiding(shape, [-1, 1], -2, 2), params=(-1.0, 1.0))
    add_case("hardtanh", f"{lab}-[0,6]", avoiding(shape, [0, 6], -2, 8), params=(0.0, 6.0))
    add_case("leaky_relu", lab, avoiding(shape, [0], -2, 2), params=(0.01,))
    add_case("leaky_relu", f"{lab}-slope=0.2", avoiding(shape, [0], -2, 2), params=(0.2,))
    add_case("elu", lab, avoiding(shape, [0], -3, 2), params=(1.0, 1.0, 1.0))
    add_case("elu", f"{lab}-selu", avoiding(shape, [0], -3, 2),
             params=(1.6732632423543772, 1.0507009873554805, 1.0))
    add_case("elu", f"{lab}-celu2", avoiding(shape, [0], -3, 2), params=(2.0, 1.0, 0.5))
    add_case("gelu", lab, real(shape, -4, 4), params=("none",))
    add_case("gelu", f"{lab}-tanh", real(shape, -4, 4), params=("tanh",))
    add_case("softplus", lab, real(shape, -4, 4), params=(1.0, 20.0))
    add_case("softplus", f"{lab}-beta=2-thr=3", avoiding(shape, [1.5], -3, 3),
             params=(2.0, 3.0))
    add_case("logsigmoid", lab, real(shape, -5, 5))
    add_case("hardswish", lab, avoiding(shape, [-3, 3], -5, 5, gap=0.1))

# Large arguments (no overflow), and float32.
add_case("softplus", "large", np.array([-50.0, -30.0, 25.0, 50.0]), params=(1.0, 20.0))
add_case("logsigmoid", "large", np.array([-50.0, -30.0, 30.0, 50.0]))
add_case("gelu", "large", np.array([-9.0, -6.0, 6.0, 9.0]), params=("none",))
add_case("gelu", "f32(2,3)", dyadic((2, 3), F32), params=("none",), **F32_STEPS)
add_case("softplus", "f32(2,3)", dyadic((2, 3), F32), params=(1.0, 20.0), **F32_STEPS)
add_case("elu", "f32(2,3)", np.array([[-1.5, -0.25, 0.5], [1.25, -2.0, 0.125]], F32),
         params=(1.0, 1.0, 1.0), **F32_STEPS)


def kinkless(shape, kinks, lo=-4.0, hi=4.0):
    return avoiding(shape, kinks, lo, hi, gap=0.1)


N = "nn.functional."
for name, kinks, kwargs in [
    ("relu", [0], {}), ("relu6", [0, 6], {}), ("leaky_relu", [0], {"negative_slope": 0.1}),
    ("elu", [0], {"alpha": 0.7}), ("selu", [0], {}), ("celu", [0], {"alpha": 1.5}),
    ("gelu", [], {}), ("gelu", [], {"approximate": "tanh"}), ("silu", [], {}), ("mish", [], {}),
    ("softplus", [], {}), ("softplus", [0.5], {"beta": 2.0, "threshold": 1.0}),
    ("softsign", [0], {}), ("hardtanh", [-0.5, 0.5], {"min_val": -0.5, "max_val": 0.5}),
    ("hardsigmoid", [-3, 3], {}), ("hardswish", [-3, 3], {}), ("logsigmoid", [], {}),
    ("threshold", [0.5], {"threshold": 0.5, "value": -2.0}),
]:
    label = "(2,3)" + "".join(f"-{k}={v}" for k, v in kwargs.items())
    x = kinkless((2, 3), kinks, -7 if name in ("hardswish", "hardsigmoid", "relu6") else -4,
                 7 if name in ("hardswish", "hardsigmoid", "relu6") else 4)
    add_fn_case(N + name, label, getattr(F, name), x, kwargs=kwargs)
add_fn_case(N + "gelu", "()", F.gelu, real(()))
add_fn_case(N + "glu", "(2,4)", F.glu, real((2, 4)))
add_fn_case(N + "glu", "(4,3)-dim=0", F.glu, real((4, 3)), kwargs={"dim": 0})
add_fn_case(N + "glu", "(2,2,6)-dim=-1", F.glu, real((2, 2, 6)), kwargs={"dim": -1})
