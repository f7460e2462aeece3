"""Cases for reductions."""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._common import (
    F32,
    F32_STEPS,
    NONDIFFERENTIABLE,
    add_case,
    add_fn_case,
    away0,
    distinct,
    dyadic,
    positive,
    real,
)

NONDIFFERENTIABLE.update({"argmax", "argmin"})

# reductions
for axis in [None, 0, 1, -1, -2, (0, 1), (1,), (0, -1)]:
    for keep in (False, True):
        lab = f"(2,3)-axis={axis}-{'keep' if keep else 'drop'}".replace(" ", "")
        add_case("sum", lab, real((2, 3)), params=(axis, keep))
        add_case("amax", lab, *distinct((2, 3)), params=(axis, keep))
        add_case("amin", lab, *distinct((2, 3)), params=(axis, keep))
for axis, keep in [((0, 2), False), (1, True), ((0, 1, 2), False), (-1, False)]:
    lab = f"(2,3,4)-axis={axis}-{'keep' if keep else 'drop'}".replace(" ", "")
    add_case("sum", lab, real((2, 3, 4)), params=(axis, keep))
    add_case("amax", lab, *distinct((2, 3, 4)), params=(axis, keep))
    add_case("amin", lab, *distinct((2, 3, 4)), params=(axis, keep))
add_case("sum", "()-axis=None", real(()), params=(None, False))
add_case("amax", "()-axis=None", real(()), params=(None, False))
add_case("amin", "(4,)-axis=0", *distinct((4,)), params=(0, False))

for dim, keep in [(None, False), (1, False), (0, True), ((0, 1), False)]:
    lab = f"(3,4)-dim={dim}-{'keep' if keep else 'drop'}".replace(" ", "")
    add_fn_case("mean", lab, wg.mean, real((3, 4)), kwargs={"dim": dim, "keepdim": keep})
    for p in (2, 1, 3, float("inf"), -float("inf"), 0.5):
        add_fn_case("norm", f"{lab}-p={p}", wg.norm, away0((3, 4)) if p != 0.5 else positive((3, 4)),
                    kwargs={"p": p, "dim": dim, "keepdim": keep})
for name, fn in (("max", wg.max), ("min", wg.min)):
    add_fn_case(name, "(3,4)-all", fn, *distinct((3, 4)))
    add_fn_case(name, "(3,4)-dim=1", lambda x, fn=fn: fn(x, dim=1).values, *distinct((3, 4)))
    add_fn_case(name, "(2,3,4)-dim=0-keep", lambda x, fn=fn: fn(x, 0, keepdim=True).values,
                *distinct((2, 3, 4)))
    add_fn_case(name, "pairwise", fn, *distinct((3, 4), (4,)))

# -- dims forms of the existing reductions ---------------------------------------
for dim, keep in [([0, 1], False), ((-1, 0), True), ((), False), (-3, False)]:
    lab = f"(2,3,4)-dim={dim}-{'keep' if keep else 'drop'}".replace(" ", "")
    add_fn_case("sum", lab, wg.sum, real((2, 3, 4)), kwargs={"dim": dim, "keepdim": keep})
    add_fn_case("mean", lab, wg.mean, real((2, 3, 4)), kwargs={"dim": dim, "keepdim": keep})
    add_fn_case("amax", lab, wg.amax, *distinct((2, 3, 4)), kwargs={"dim": dim, "keepdim": keep})
    add_fn_case("amin", lab, wg.amin, *distinct((2, 3, 4)), kwargs={"dim": dim, "keepdim": keep})
add_fn_case("sum", "axis-keepdims", wg.sum, real((2, 3)), kwargs={"axis": 1, "keepdims": True})
add_fn_case("mean", "axis-keepdims", wg.mean, real((2, 3)), kwargs={"axis": (0,), "keepdims": True})
add_fn_case("mean", "()", wg.mean, real(()))
add_fn_case("max", "()-dim=0", lambda x: wg.max(x, 0).values, real(()))
add_fn_case("max", "(2,3)-dim=(0,1)", lambda x: wg.max(x, (0, 1)), *distinct((2, 3)))
add_fn_case("min", "(2,3)-dim=-1-keep", lambda x: x.min(-1, keepdim=True).values,
            *distinct((2, 3)))


def _zeros_at(x, *flat):
    x = x.copy()
    x.flat[list(flat)] = 0.0
    return x


# -- prod (a polynomial: finite differences are exact at zeros too) ------------------
_PROD_INPUTS = {
    "nozero": lambda s: away0(s),
    "onezero": lambda s: _zeros_at(away0(s), 1),
    "twozeros": lambda s: _zeros_at(away0(s), 0, 3),
}
for kind, make in _PROD_INPUTS.items():
    for axis, keep in [(0, False), (1, True), (-1, False)]:
        add_case("prod", f"(2,3)-{kind}-axis={axis}-{'keep' if keep else 'drop'}",
                 make((2, 3)), params=(axis, keep))
    add_case("prod", f"(4,)-{kind}-axis=0", make((4,)), params=(0, False))
    add_case("prod", f"(2,4,3)-{kind}-axis=1", make((2, 4, 3)), params=(1, False))
add_case("prod", "(4,)-allzeros", np.zeros(4), params=(0, False))
add_case("prod", "(1,)-zero", np.zeros(1), params=(0, True))
add_case("prod", "f32(2,3)-onezero", _zeros_at(dyadic((2, 3), F32, 0.5, 1.5), 2), params=(1, False),
         **F32_STEPS)
for dim, keep in [(None, False), (None, True), (0, False), (1, True), ((0, 1), False),
                  ((-1, 0), True), ((), False)]:
    for kind, make in _PROD_INPUTS.items():
        lab = f"(2,3)-{kind}-dim={dim}-{'keep' if keep else 'drop'}".replace(" ", "")
        add_fn_case("prod", lab, wg.prod, make((2, 3)), kwargs={"dim": dim, "keepdim": keep})
add_fn_case("prod", "()", wg.prod, real(()))
add_fn_case("prod", "()-zero", wg.prod, np.zeros(()))
add_fn_case("prod", "method-axis", lambda x: x.prod(axis=1, keepdims=True), real((2, 3)))

# -- var, std and the means ---------------------------------------------------------
_MOMENT_ARGS = [
    ("all", (), {}), ("dim=1", (1,), {}), ("dim=0-keep", (0,), {"keepdim": True}),
    ("dim=(0,2)", ((0, 2),), {}), ("dim=-1-corr=0", (-1,), {"correction": 0}),
    ("dim=1-corr=2", (1,), {"correction": 2}), ("unbiased=False", (), {"unbiased": False}),
    ("legacy-positional", (1, False, True), {}), ("axis-keepdims", (), {"axis": 2, "keepdims": True}),
]
for lab, args, kwargs in _MOMENT_ARGS:
    for name in ("var", "std", "var_mean", "std_mean"):
        fn = getattr(wg, name)
        add_fn_case(name, f"(2,3,4)-{lab}", lambda x, fn=fn, args=args, kw=kwargs: fn(x, *args, **kw),
                    real((2, 3, 4)))
for name in ("var", "std"):
    add_fn_case(name, "legacy-unbiased-bool", lambda x, name=name: getattr(wg, name)(x, False),
                real((3, 4)))
    add_fn_case(name, "method-dim=0", lambda x, name=name: getattr(x, name)(0), real((3, 4)))
add_fn_case("std", "()-corr=0", wg.std, real(()), kwargs={"correction": 0})
add_fn_case("var", "()-corr=0", wg.var, real(()), kwargs={"correction": 0})

# -- logsumexp -----------------------------------------------------------------------
for axis, keep in [(None, False), ((0,), False), ((1,), True), ((0, 1), True), ((-1,), False)]:
    add_case("logsumexp", f"(2,3)-axis={axis}-{'keep' if keep else 'drop'}".replace(" ", ""),
             real((2, 3), -3, 3), params=(None if axis is None else tuple(a % 2 for a in axis),
                                          keep))
add_case("logsumexp", "(2,3,4)-axis=(0,2)", real((2, 3, 4)), params=((0, 2), False))
add_case("logsumexp", "()", real(()), params=(None, False))
add_case("logsumexp", "large", np.array([[700.0, 705.0, 702.0], [-800.0, -790.0, -795.0]]),
         params=((1,), False), tol=1e-5)
add_case("logsumexp", "with-inf", np.array([[-np.inf, 0.3, -1.0], [2.0, -np.inf, 0.1]]),
         params=((1,), False))
add_case("logsumexp", "f32", dyadic((2, 3), F32), params=((1,), False), **F32_STEPS)
for dim, keep in [(None, False), (1, False), (0, True), ((0, 1), False), (-1, True)]:
    add_fn_case("logsumexp", f"(3,4)-dim={dim}-{'keep' if keep else 'drop'}".replace(" ", ""),
                wg.logsumexp, real((3, 4), -2, 2), kwargs={"dim": dim, "keepdim": keep})
add_fn_case("logsumexp", "method-axis", lambda x: x.logsumexp(axis=0, keepdims=True),
            real((3, 4)))

# -- NaN-ignoring reductions ------------------------------------------------------------
_WITH_NAN = _zeros_at(real((3, 4)), 1, 6) + np.where(np.arange(12).reshape(3, 4) == 6, np.nan, 0)
for dim, keep in [(None, False), (1, False), (0, True), ((0, 1), False)]:
    lab = f"(3,4)-dim={dim}-{'keep' if keep else 'drop'}".replace(" ", "")
    add_fn_case("nansum", lab, wg.nansum, _WITH_NAN, kwargs={"dim": dim, "keepdim": keep})
    add_fn_case("nanmean", lab, wg.nanmean, _WITH_NAN, kwargs={"dim": dim, "keepdim": keep})
add_fn_case("nansum", "nonan-method", lambda x: x.nansum(1), real((2, 3)))
add_fn_case("nanmean", "nonan-method", lambda x: x.nanmean(axis=0), real((2, 3)))

# -- median, aminmax ---------------------------------------------------------------------
add_case("median", "(5,)", *distinct((5,)))
add_case("median", "(2,3)", *distinct((2, 3)))
add_case("median", "(2,2)-even", *distinct((2, 2)))
add_case("median", "()", real(()))
add_case("median", "f32", np.array([0.5, -1.25, 2.0], dtype=F32), **F32_STEPS)
add_fn_case("median", "(3,4)-all", wg.median, *distinct((3, 4)))
for dim, keep in [(0, False), (1, True), (-1, False)]:
    add_fn_case("median", f"(3,4)-dim={dim}-{'keep' if keep else 'drop'}",
                lambda x, dim=dim, keep=keep: wg.median(x, dim, keep).values, *distinct((3, 4)))
add_fn_case("median", "()-dim=0", lambda x: x.median(0).values, real(()))
for dim, keep in [(None, False), (0, False), (1, True)]:
    add_fn_case("aminmax", f"(3,4)-dim={dim}-{'keep' if keep else 'drop'}",
                lambda x, dim=dim, keep=keep: tuple(wg.aminmax(x, dim=dim, keepdim=keep)),
                *distinct((3, 4)))
