"""Cases for ``wengert.numpy`` (NumPy's names, keywords and semantics).

Every case calls ``wnp`` functions only, so that ``test_numpy_namespace.py`` can run
the same case on plain arrays (NumPy computes it) and on tensors (wengert does) and
compare the two. Functions with several outputs are checked on one tensor made of
all of them (``_flat``); decompositions on gauge-invariant functions of their outputs.
"""

from __future__ import annotations

import numpy as np

import wengert.numpy as wnp

from ._common import add_fn_case, avoiding, away0, cplx, distinct, fmt, mask, positive, real

L, F = wnp.linalg, wnp.fft


def case(name, label, fn, *args, **kw):
    add_fn_case("numpy." + name, label, fn, *args, **kw)


def _flat(pieces):
    """Several outputs as one 1-D result, so that every piece is checked."""
    return wnp.concatenate([wnp.ravel(p) for p in pieces])


def _spd(n) -> np.ndarray:
    x = real((n, n))
    return x @ x.T + np.eye(n)


def _wellcond(shape) -> np.ndarray:
    return real(shape) + 2.0 * np.eye(shape[-1])


# -- ufuncs ---------------------------------------------------------------------------

_INT_KINKS = [-2.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0]
_UNARY = {
    "negative": real, "positive": real, "absolute": away0, "fabs": away0,
    "sign": away0, "exp": real, "exp2": real, "expm1": real, "log": positive, "log2": positive,
    "log10": positive, "log1p": lambda s: real(s, -0.5, 1.0), "sqrt": positive,
    "square": real, "reciprocal": away0, "cbrt": away0, "sin": real, "cos": real, "tan": real,
    "arcsin": lambda s: real(s, -0.9, 0.9), "arccos": lambda s: real(s, -0.9, 0.9),
    "arctan": real, "sinh": real, "cosh": real, "tanh": real, "arcsinh": real,
    "arccosh": lambda s: real(s, 1.2, 3.0), "arctanh": lambda s: real(s, -0.9, 0.9),
    "deg2rad": real, "rad2deg": real, "degrees": real, "radians": real,
    "floor": lambda s: avoiding(s, _INT_KINKS, -2, 2), "ceil": lambda s: avoiding(s, _INT_KINKS, -2, 2),
    "trunc": lambda s: avoiding(s, _INT_KINKS, -2, 2), "rint": lambda s: avoiding(s, _INT_KINKS, -2, 2),
    "conjugate": cplx, "sinc": real, "fix": lambda s: avoiding(s, _INT_KINKS, -2, 2),
    "nan_to_num": real, "copy": real, "real": cplx, "imag": cplx, "angle": cplx,
}
for _name, _gen in _UNARY.items():
    for _shape in [(3, 4), ()]:
        case(_name, fmt(_shape), getattr(wnp, _name), _gen(_shape))
case("imag", "real-input", wnp.imag, real((3,)), second_order=False)  # (zeros, no graph)
case("angle", "deg", lambda z: wnp.angle(z, deg=True), cplx((3,)))
case("round", "decimals=1", lambda x: wnp.round(x, 1), avoiding((5,), [0.05 * k for k in range(-20, 21)], gap=0.01))
case("sin", "dtype-keyword", lambda x: wnp.sin(x, dtype=np.float64), real((3,)))


def _pair(a, b):
    return lambda shape_a, shape_b: (a(shape_a), b(shape_b))


_BINARY = {
    "add": (real, real), "subtract": (real, real), "multiply": (real, real),
    "divide": (real, away0), "power": (positive, real), "float_power": (positive, real),
    "remainder": (lambda s: real(s, -0.9, 0.9), lambda s: real(s, 1.5, 2.0)),
    "fmod": (lambda s: real(s, -0.9, 0.9), lambda s: real(s, 1.5, 2.0)),
    "arctan2": (away0, away0), "hypot": (away0, away0), "copysign": (real, away0),
    "logaddexp": (real, real), "logaddexp2": (real, real),
}
for _name, (_ga, _gb) in _BINARY.items():
    _fn, _b = getattr(wnp, _name), float(_gb(()))
    case(_name, "(2,3)-(3,)", _fn, _ga((2, 3)), _gb((3,)))
    case(_name, "(3,)-scalar", lambda a, fn=_fn, b=_b: fn(a, b), _ga((3,)))
for _name in ("maximum", "minimum", "fmax", "fmin"):
    case(_name, "(2,3)-(3,)", getattr(wnp, _name), *distinct((2, 3), (3,)))
case("matmul", "(2,3)-(3,4)", wnp.matmul, real((2, 3)), real((3, 4)))
case("matmul", "(2,2,3)-(3,)", wnp.matmul, real((2, 2, 3)), real((3,)))

# -- reductions and scans -----------------------------------------------------------

for _name in ("sum", "mean", "prod", "nansum", "nanmean"):
    _fn = getattr(wnp, _name)
    case(_name, "(2,3,4)", _fn, real((2, 3, 4)))
    case(_name, "(2,3,4)-axis=1", lambda x, fn=_fn: fn(x, axis=1), real((2, 3, 4)))
    case(_name, "(2,3,4)-axis=(0,2)-keepdims", lambda x, fn=_fn: fn(x, axis=(0, 2),
                                                                    keepdims=True),
         real((2, 3, 4)))
for _name in ("var", "std"):
    _fn = getattr(wnp, _name)
    case(_name, "(3,4)", _fn, real((3, 4)))
    case(_name, "(3,4)-axis=0-ddof=1", lambda x, fn=_fn: fn(x, axis=0, ddof=1), real((3, 4)))
    case(_name, "(2,3,4)-axis=(0,-1)-keepdims", lambda x, fn=_fn: fn(x, axis=(0, -1),
                                                                    keepdims=True),
         real((2, 3, 4)))
for _name in ("max", "min", "ptp"):
    _fn = getattr(wnp, _name)
    case(_name, "(3,4)", _fn, distinct((3, 4))[0])
    case(_name, "(3,4)-axis=-1-keepdims", lambda x, fn=_fn: fn(x, axis=-1, keepdims=True),
         distinct((3, 4))[0])
for _name in ("cumsum", "cumprod"):
    _fn = getattr(wnp, _name)
    case(_name, "(2,3)-flattened", _fn, real((2, 3)))
    case(_name, "(2,3)-axis=1", lambda x, fn=_fn: fn(x, axis=1), real((2, 3)))
case("median", "(5,)", wnp.median, distinct((5,))[0])
case("median", "(3,4)-axis=1-even", lambda x: wnp.median(x, axis=1), distinct((3, 4))[0])
case("median", "(2,3,4)-axis=(0,2)-keepdims", lambda x: wnp.median(x, axis=(0, 2),
                                                                   keepdims=True),
     distinct((2, 3, 4))[0])
case("average", "(3,4)-weights-axis=1", lambda x, w: wnp.average(x, axis=1, weights=w),
     real((3, 4)), positive((4,)))
case("average", "(3,)-returned", lambda x: _flat(wnp.average(x, returned=True)), real((3,)))
case("sort", "(3,4)", wnp.sort, distinct((3, 4))[0])
case("sort", "(3,4)-axis=None", lambda x: wnp.sort(x, axis=None), distinct((3, 4))[0])
case("sort", "(3,4)-axis=0-stable", lambda x: wnp.sort(x, axis=0, kind="stable"),
     distinct((3, 4))[0])

# -- shapes -------------------------------------------------------------------------

case("reshape", "(2,6)->(3,-1)", lambda x: wnp.reshape(x, (3, -1)), real((2, 6)))
case("ravel", "(2,3)", wnp.ravel, real((2, 3)))
case("squeeze", "(1,3,1)", wnp.squeeze, real((1, 3, 1)))
case("squeeze", "(1,3,1)-axis=-1", lambda x: wnp.squeeze(x, axis=-1), real((1, 3, 1)))
case("expand_dims", "(2,3)-axis=(0,-1)", lambda x: wnp.expand_dims(x, (0, -1)), real((2, 3)))
case("moveaxis", "(2,3,4)", lambda x: wnp.moveaxis(x, [0, 1], [-1, 0]), real((2, 3, 4)))
case("swapaxes", "(2,3,4)", lambda x: wnp.swapaxes(x, 0, 2), real((2, 3, 4)))
case("transpose", "(2,3,4)", wnp.transpose, real((2, 3, 4)))
case("transpose", "(2,3,4)-axes", lambda x: wnp.transpose(x, (1, 2, 0)), real((2, 3, 4)))
for _n in (1, 2, 3):
    _fn = getattr(wnp, f"atleast_{_n}d")
    case(f"atleast_{_n}d", "()", _fn, real(()))
    case(f"atleast_{_n}d", "(3,)-(2,2)", lambda a, b, fn=_fn: _flat(fn(a, b)), real((3,)),
         real((2, 2)))
case("broadcast_to", "(3,)->(2,3)", lambda x: wnp.broadcast_to(x, (2, 3)), real((3,)))
case("broadcast_arrays", "(3,)-(2,1)", lambda a, b: _flat(wnp.broadcast_arrays(a, b)),
     real((3,)), real((2, 1)))
case("concatenate", "(2,3)-(1,3)", lambda a, b: wnp.concatenate([a, b]), real((2, 3)),
     real((1, 3)))
case("concatenate", "axis=None", lambda a, b: wnp.concatenate((a, b), axis=None), real((2, 3)),
     real((2,)))
case("concatenate", "axis=1-dtype", lambda a, b: wnp.concatenate([a, b], 1, dtype=np.float64),
     real((2, 1)), real((2, 2)))
case("stack", "axis=-1", lambda a, b: wnp.stack([a, b], axis=-1), real((2, 3)), real((2, 3)))
for _name in ("hstack", "vstack", "dstack", "column_stack"):
    _fn = getattr(wnp, _name)
    case(_name, "(3,)-(3,)", lambda a, b, fn=_fn: fn([a, b]), real((3,)), real((3,)))
    case(_name, "(2,3)-(2,3)", lambda a, b, fn=_fn: fn((a, b)), real((2, 3)), real((2, 3)))
case("append", "flattened", wnp.append, real((2, 2)), real((3,)))
case("append", "axis=0", lambda a, b: wnp.append(a, b, axis=0), real((2, 2)), real((1, 2)))
case("array_split", "(7,)-3", lambda x: _flat(wnp.array_split(x, 3)), real((7,)))
case("array_split", "(2,5)-[1,3]-axis=1",
     lambda x: _flat([p * (i + 1) for i, p in enumerate(wnp.array_split(x, [1, 3], axis=1))]),
     real((2, 5)))
case("split", "(6,2)-3", lambda x: _flat([p * (i + 1) for i, p in enumerate(wnp.split(x, 3))]),
     real((6, 2)))
case("split", "(2,5)-[2,9]-axis=-1", lambda x: _flat(wnp.split(x, [2, 9], axis=-1)),
     real((2, 5)))
case("hsplit", "(2,4)-2", lambda x: _flat(wnp.hsplit(x, 2)[::-1]), real((2, 4)))
case("vsplit", "(4,2)-[1]", lambda x: _flat(wnp.vsplit(x, [1])[::-1]), real((4, 2)))
case("dsplit", "(1,2,4)-2", lambda x: _flat(wnp.dsplit(x, 2)[::-1]), real((1, 2, 4)))
case("tile", "(2,3)-(2,1,2)", lambda x: wnp.tile(x, (2, 1, 2)), real((2, 3)))
case("tile", "(3,)-2", lambda x: wnp.tile(x, 2), real((3,)))
case("repeat", "(2,3)-2", lambda x: wnp.repeat(x, 2), real((2, 3)))
case("repeat", "(2,3)-[1,0,2]-axis=1", lambda x: wnp.repeat(x, [1, 0, 2], axis=1), real((2, 3)))
case("flip", "(2,3)", wnp.flip, real((2, 3)))
case("flip", "(2,3,4)-axis=(0,2)", lambda x: wnp.flip(x, (0, 2)), real((2, 3, 4)))
case("fliplr", "(2,3)", wnp.fliplr, real((2, 3)))
case("flipud", "(2,3)", wnp.flipud, real((2, 3)))
case("roll", "(2,3)-flattened", lambda x: wnp.roll(x, 2), real((2, 3)))
case("roll", "(2,3)-axis", lambda x: wnp.roll(x, (1, -1), axis=(0, 1)), real((2, 3)))
case("rot90", "(2,3)-k=3", lambda x: wnp.rot90(x, 3), real((2, 3)))
case("diag", "(3,)-k=1", lambda x: wnp.diag(x, 1), real((3,)))
case("diag", "(3,4)-k=-1", lambda x: wnp.diag(x, -1), real((3, 4)))
case("diagflat", "(2,2)", wnp.diagflat, real((2, 2)))
case("diagonal", "(2,3,4)-axis1=1,axis2=2", lambda x: wnp.diagonal(x, 1, 1, 2), real((2, 3, 4)))
case("trace", "(3,3)", wnp.trace, real((3, 3)))
case("trace", "(3,4,2)-offset", lambda x: wnp.trace(x, -1, 0, 1), real((3, 4, 2)))
case("tril", "(3,4)", wnp.tril, real((3, 4)))
case("triu", "(2,3,3)-k=1", lambda x: wnp.triu(x, 1), real((2, 3, 3)))
_mask = mask((2, 3))
case("where", "mask", lambda a, b: wnp.where(_mask, a, b), real((2, 3)), real((3,)))
case("where", "scalar-branch", lambda a: wnp.where(a > 0, a, 0.0), away0((4,)))
case("clip", "scalars", lambda x: wnp.clip(x, -0.5, 0.5), avoiding((5,), [-0.5, 0.5]))
case("clip", "array-bounds", lambda x, lo: wnp.clip(x, lo, None), *distinct((2, 3), (3,)))
case("take", "flat", lambda x: wnp.take(x, [[0, 5], [3, 3]]), real((2, 3)))
case("take", "axis=1-wrap", lambda x: wnp.take(x, [0, 4, -1], axis=1, mode="wrap"), real((2, 3)))
case("take_along_axis", "(3,4)-argsort", lambda x: wnp.take_along_axis(
    x, wnp.argsort(x, axis=1), axis=1), distinct((3, 4))[0])
case("delete", "flat", lambda x: wnp.delete(x, [0, 2]), real((2, 2)))
case("delete", "axis=1-slice", lambda x: wnp.delete(x, slice(0, 2), axis=1), real((2, 4)))
for _mode in ("constant", "edge", "reflect", "symmetric", "wrap"):
    case("pad", f"(2,3)-{_mode}", lambda x, m=_mode: wnp.pad(x, ((1, 2), (2, 1)), mode=m),
         real((2, 3)))
case("pad", "constant_values", lambda x: wnp.pad(x, 1, constant_values=(1.0, 2.0)), real((3,)))
case("meshgrid", "xy", lambda a, b: _flat(wnp.meshgrid(a, b)), real((3,)), real((2,)))
case("meshgrid", "ij-sparse", lambda a, b: _flat(wnp.meshgrid(a, b, indexing="ij", sparse=True)),
     real((3,)), real((2,)))
case("array", "nested", lambda a, b: wnp.array([[a, b], [b, a]]), real(()), real(()))
case("array", "dtype-ndmin", lambda a: wnp.array(a, dtype=np.float64, ndmin=2), real((3,)))
case("asarray", "list", lambda a, b: wnp.asarray([a, b]), real((2,)), real((2,)))

# -- products -----------------------------------------------------------------------

case("dot", "(3,)-(3,)", wnp.dot, real((3,)), real((3,)))
case("dot", "(2,3)-(3,)", wnp.dot, real((2, 3)), real((3,)))
case("dot", "()-(2,)", wnp.dot, real(()), real((2,)))
case("dot", "(2,2,3)-(4,3,2)", wnp.dot, real((2, 2, 3)), real((4, 3, 2)))
case("vdot", "(2,2)-(4,)", wnp.vdot, real((2, 2)), real((4,)))
case("vdot", "complex", wnp.vdot, cplx((3,)), cplx((3,)))
case("inner", "(2,3)-(4,3)", wnp.inner, real((2, 3)), real((4, 3)))
case("outer", "(2,2)-(3,)", wnp.outer, real((2, 2)), real((3,)))
case("tensordot", "axes=1", lambda a, b: wnp.tensordot(a, b, 1), real((2, 3)), real((3, 4)))
case("tensordot", "axes=pairs", lambda a, b: wnp.tensordot(a, b, axes=([0, 2], [1, 0])),
     real((2, 3, 4)), real((4, 2)))
case("einsum", "bij,bjk->bik", lambda a, b: wnp.einsum("bij,bjk->bik", a, b),
     real((2, 2, 3)), real((2, 3, 2)))
case("einsum", "trace", lambda a: wnp.einsum("ii", a), real((3, 3)))
case("kron", "(2,2)-(2,3)", wnp.kron, real((2, 2)), real((2, 3)))
case("cross", "(2,3)-(3,)", wnp.cross, real((2, 3)), real((3,)))
case("cross", "axis=0", lambda a, b: wnp.cross(a, b, axis=0), real((3, 2)), real((3, 2)))

# -- calculus -----------------------------------------------------------------------

case("diff", "(5,)-n=2", lambda x: wnp.diff(x, n=2), real((5,)))
case("diff", "(3,4)-axis=0-prepend-append", lambda x, p: wnp.diff(x, axis=0, prepend=p,
                                                                  append=1.0),
     real((3, 4)), real((1, 4)))
case("gradient", "(5,)", wnp.gradient, real((5,)))
case("gradient", "(5,)-spacing-edge2", lambda y: wnp.gradient(y, 0.5, edge_order=2), real((5,)))
case("gradient", "(5,)-coordinates", lambda y: wnp.gradient(y, np.array([0.0, 0.5, 1.5, 2.0, 3.5])),
     real((5,)))
case("gradient", "(4,5)-coordinates-edge2-axis=1",
     lambda y: wnp.gradient(y, np.array([0.0, 0.5, 1.5, 2.0, 3.5]), axis=1, edge_order=2),
     real((4, 5)))
case("gradient", "(3,4)-both-axes", lambda y: _flat(wnp.gradient(y, 2.0, 0.5)), real((3, 4)))
case("trapezoid", "(4,)-dx", lambda y: wnp.trapezoid(y, dx=0.5), real((4,)))
case("trapezoid", "(2,4)-x", wnp.trapezoid, real((2, 4)), np.array([0.0, 0.5, 1.5, 1.7]))
case("trapezoid", "(4,3)-x-(4,3)-axis=0", lambda y, x: wnp.trapezoid(y, x, axis=0), real((4, 3)),
     np.cumsum(positive((4, 3)), axis=0))

# -- linalg -------------------------------------------------------------------------

case("linalg.inv", "(2,3,3)", L.inv, _wellcond((2, 3, 3)))
case("linalg.det", "(3,3)", L.det, _wellcond((3, 3)))
case("linalg.slogdet", "(3,3)-logabsdet", lambda a: L.slogdet(a)[1], _wellcond((3, 3)))
case("linalg.solve", "(3,3)-(3,)", L.solve, _wellcond((3, 3)), real((3,)))
case("linalg.solve", "(2,3,3)-(3,2)", L.solve, _wellcond((2, 3, 3)), real((3, 2)))
case("linalg.solve", "(3,3,3)-(3,3)-matrix", L.solve, _wellcond((3, 3, 3)), real((3, 3)))
case("linalg.norm", "(2,3)", L.norm, real((2, 3)))
case("linalg.norm", "(2,3)-ord=1-axis=1", lambda x: L.norm(x, 1, axis=1), away0((2, 3)))
case("linalg.norm", "(2,3)-nuc", lambda x: L.norm(x, "nuc"), real((2, 3)))
case("linalg.norm", "(2,3,2)-fro-axis=(1,2)-keepdims",
     lambda x: L.norm(x, "fro", (1, 2), keepdims=True), real((2, 3, 2)))
case("linalg.vector_norm", "(2,3)-ord=3-axis=0", lambda x: L.vector_norm(x, ord=3, axis=0),
     away0((2, 3)))
case("linalg.matrix_norm", "(2,3,3)-ord=2", lambda x: L.matrix_norm(x, ord=2), real((2, 3, 3)))
case("linalg.cond", "(3,3)", L.cond, _wellcond((3, 3)))
case("linalg.eigh", "(3,3)-w-and-V.diag(w).V^T", lambda a: _flat(
    [L.eigh(a)[0], L.eigh(a)[1] @ (L.eigh(a)[0][:, None] ** 2 * wnp.transpose(L.eigh(a)[1]))]),
     _spd(3))
case("linalg.eigvalsh", "(3,3)-UPLO=U", lambda a: L.eigvalsh(a, "U"), _spd(3) + real((3, 3)))
case("linalg.svd", "(3,2)-U.diag(S).Vh-and-S", lambda a: _flat(
    [L.svd(a, full_matrices=False)[1],
     L.svd(a, full_matrices=False)[0] * L.svd(a, full_matrices=False)[1]
     @ L.svd(a, full_matrices=False)[2]]), real((3, 2)))
case("linalg.svd", "(2,3)-compute_uv=False", lambda a: L.svd(a, compute_uv=False), real((2, 3)))
case("linalg.svdvals", "(2,4,3)", L.svdvals, real((2, 4, 3)))
case("linalg.qr", "(3,2)-Q.R-and-|R|", lambda a: _flat(
    [wnp.matmul(*L.qr(a)), wnp.abs(L.qr(a, mode="r"))]), real((3, 2)))
case("linalg.qr", "(3,3)-complete-Q.R", lambda a: wnp.matmul(*L.qr(a, mode="complete")),
     real((3, 3)))
case("linalg.cholesky", "(3,3)", L.cholesky, _spd(3))
case("linalg.cholesky", "(3,3)-upper", lambda a: L.cholesky(a, upper=True), _spd(3))
case("linalg.pinv", "(3,2)", L.pinv, real((3, 2)))
case("linalg.matrix_power", "(3,3)-n=3", lambda a: L.matrix_power(a, 3), real((3, 3)))
case("linalg.matrix_power", "(3,3)-n=-2", lambda a: L.matrix_power(a, -2), _wellcond((3, 3)))
case("linalg.lstsq", "(4,2)-(4,)-x-residuals", lambda a, b: _flat(L.lstsq(a, b)[:2]),
     real((4, 2)), real((4,)))
case("linalg.lstsq", "(4,3)-(4,2)-x-s", lambda a, b: _flat([L.lstsq(a, b)[0], L.lstsq(a, b)[3]]),
     real((4, 3)), real((4, 2)))
case("linalg.multi_dot", "3", lambda a, b, c: L.multi_dot([a, b, c]), real((2, 3)), real((3, 4)),
     real((4,)))
case("linalg.matmul", "(2,3)-(3,2)", L.matmul, real((2, 3)), real((3, 2)))
case("linalg.outer", "(2,)-(3,)", L.outer, real((2,)), real((3,)))
case("linalg.cross", "(2,3)", L.cross, real((2, 3)), real((2, 3)))
case("linalg.vecdot", "(2,3)-(3,)", L.vecdot, real((2, 3)), real((3,)))
case("linalg.diagonal", "(2,3,3)-offset", lambda x: L.diagonal(x, offset=1), real((2, 3, 3)))
case("linalg.trace", "(2,3,3)", L.trace, real((2, 3, 3)))
case("linalg.matrix_transpose", "(2,3,4)", L.matrix_transpose, real((2, 3, 4)))
case("linalg.tensordot", "axes=1", lambda a, b: L.tensordot(a, b, axes=1), real((2, 3)),
     real((3,)))

# -- fft ----------------------------------------------------------------------------

for _name in ("fft", "ifft"):
    _fn = getattr(F, _name)
    case(f"fft.{_name}", "c(2,5)-n=6-axis=0-ortho", lambda x, fn=_fn: fn(x, 6, 0, "ortho"),
         cplx((2, 5)))
case("fft.rfft", "(3,6)-forward", lambda x: F.rfft(x, norm="forward"), real((3, 6)))
case("fft.irfft", "c(2,4)-n=6", lambda x: F.irfft(x, 6), cplx((2, 4)))
case("fft.hfft", "c(4,)", F.hfft, cplx((4,)))
case("fft.ihfft", "(5,)", F.ihfft, real((5,)))
for _name in ("fft2", "ifft2", "fftn", "ifftn"):
    case(f"fft.{_name}", "c(2,3,4)", getattr(F, _name), cplx((2, 3, 4)))
case("fft.fftn", "c(3,4)-s-axes", lambda x: F.fftn(x, s=(4, 2), axes=(1, 0)), cplx((3, 4)))
for _name in ("rfft2", "rfftn"):
    case(f"fft.{_name}", "(2,3,4)", getattr(F, _name), real((2, 3, 4)))
for _name in ("irfft2", "irfftn"):
    _fn = getattr(F, _name)
    case(f"fft.{_name}", "c(2,3,3)-s", lambda x, fn=_fn: fn(x, s=(3, 4), axes=(-2, -1)),
         cplx((2, 3, 3)))
case("fft.fftshift", "(2,5)", F.fftshift, real((2, 5)))
case("fft.ifftshift", "(2,5)-axes=1", lambda x: F.ifftshift(x, axes=1), real((2, 5)))
