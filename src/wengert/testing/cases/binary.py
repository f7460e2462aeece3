"""Cases for the two-input functions of ``ops/binary.py`` (and ``lerp``): broadcasting
pairs, raw numbers on either side, float32, and the points where conventions matter."""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._common import (
    F32,
    F32_STEPS,
    NONDIFFERENTIABLE,
    Raw,
    add_case,
    add_fn_case,
    away0,
    distinct,
    dyadic,
    fmt,
    positive,
    real,
)

NONDIFFERENTIABLE.add("floor_divide")

BCAST = [((2, 3), (2, 3)), ((2, 3), (3,)), ((3,), (2, 3)), ((2, 1), (1, 3)), ((), (2, 3)),
         ((2, 3), ()), ((), ())]


def _reduce_to(a, shape):
    """``a`` (a broadcast result) reduced with ``any`` back to ``shape``."""
    lead = a.ndim - len(shape)
    a = a.any(axis=tuple(range(lead))) if lead else a
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and a.shape[i] != 1)
    return a.any(axis=axes, keepdims=True) if axes else a


def mod_pair(a_shape, b_shape, gap=0.08, y=None):
    """``x, y`` with every (broadcast) ``x / y`` at least ``gap`` from an integer:
    ``fmod`` and ``remainder`` jump there. ``y`` may be given."""
    y = away0(b_shape) if y is None else np.asarray(y)
    x = real(a_shape, -3, 3)
    for _ in range(1000):
        q = x / y
        bad = np.abs(q - np.round(q)) < gap
        if not bad.any():
            return x, y
        redo = _reduce_to(np.asarray(bad), np.shape(x))
        x = np.asarray(np.where(redo, real(a_shape, -3, 3), x))
    raise AssertionError("no pair found")


for a, b in BCAST:
    lab = f"{fmt(a)}x{fmt(b)}"
    add_case("atan2", lab, real(a), away0(b))
    add_case("hypot", lab, away0(a), real(b))
    add_case("fmod", lab, *mod_pair(a, b))
    add_case("remainder", lab, *mod_pair(a, b))
    add_case("fmax", lab, *distinct(a, b))
    add_case("fmin", lab, *distinct(a, b))
    add_case("logaddexp", lab, real(a, -2, 2), real(b, -2, 2))
    add_case("logaddexp2", lab, real(a, -2, 2), real(b, -2, 2))
    add_case("xlogy", lab, real(a), positive(b))
    add_case("copysign", lab, away0(a), away0(b))

# Raw numbers on either side, float32, large arguments.
add_case("atan2", "raw(3,)x(2,3)", Raw(real((3,))), away0((2, 3)))
add_case("atan2", "f32(2,3)xf32(3,)", dyadic((2, 3), F32), dyadic((3,), F32, 0.5, 2.0),
         **F32_STEPS)
add_case("hypot", "(2,3)xraw2.0", away0((2, 3)), Raw(2.0))
add_case("fmod", "(2,3)xraw0.7", mod_pair((2, 3), (), y=0.7)[0], Raw(0.7))
add_case("remainder", "raw2.5x(3,)", Raw(2.5), np.array([0.7, -0.9, 1.1]))
add_case("fmax", "nan-sides", np.array([np.nan, 0.5, 0.2, np.nan]),
         np.array([0.3, np.nan, 0.6, 0.1]))
add_case("fmin", "nan-sides", np.array([np.nan, 0.5, 0.2, np.nan]),
         np.array([0.3, np.nan, 0.6, 0.1]))
add_case("fmax", "(2,3)xraw0.05", np.array([[0.5, -0.5, 0.2], [-0.3, 0.9, -0.9]]), Raw(0.05))
add_case("logaddexp", "large", np.array([-800.0, 700.0, 1000.0]),
         np.array([-801.0, 700.5, 1000.0]))
add_case("logaddexp", "f32(3,)", dyadic((3,), F32), dyadic((3,), F32), **F32_STEPS)
add_case("xlogy", "x=0", np.array([0.0, 0.0, 1.5]), np.array([0.5, 2.0, 3.0]))
add_case("xlogy", "raw0.5x(3,)", Raw(0.5), positive((3,)))
add_case("xlogy", "(3,)xraw2", real((3,)), Raw(2))
add_case("copysign", "(2,3)xraw-1", away0((2, 3)), Raw(-1.0))

# lerp(start, end, weight): the weight a tensor (broadcasting) or a number either side of 1/2.
for (a, b), w in zip(BCAST, [(2, 3), (), (3,), (2, 3), (2, 1), (1, 3), ()]):
    add_case("lerp", f"{fmt(a)}x{fmt(b)}w{fmt(w)}", real(a), real(b), real(w, -0.5, 1.5))
add_case("lerp", "raw-w0.3", real((2, 3)), real((3,)), Raw(0.3))
add_case("lerp", "raw-w0.8", real((2, 3)), real((2, 3)), Raw(0.8))
add_case("lerp", "raw-end", real((2, 3)), Raw(real((3,))), real((2, 3)))
add_fn_case("lerp", "tensor-weight", wg.lerp, real((2, 3)), real((3,)), real((2, 1)))
add_fn_case("lerp", "float-weight", wg.lerp, real((2, 3)), real((2, 3)), 0.75)
add_fn_case("remainder", "operator-raw", lambda x: x % 0.7, mod_pair((2, 3), (), y=0.7)[0])
