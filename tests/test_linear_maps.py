"""Every linear map is the adjoint of its transpose, and runs the same on arrays and tensors.

For each class in ``LINEAR_MAP_TYPES`` (a test fails if one has no case):

* ``<u, L v> == <L^T u, v>`` for random ``u``, ``v`` with ``ns=FAST``; ``L^T u``
  has the shape and dtype of ``v``;
* with ``ns=DIFF`` on tensors (the map's data as tensors too, as the rules build
  it when a higher derivative is recorded) ``apply`` and ``transpose`` give the
  FAST results, and the recorded results are differentiable: the VJP of
  ``apply`` is ``transpose`` and the VJP of ``transpose`` is ``apply``.

Inputs are dyadic (multiples of 1/8), so most identities hold exactly. Complex
maps use the real inner product ``<a, b> = Re(sum(conj(a) * b))``, for which
``transpose`` is the adjoint (gradients are ``dL/dx + i dL/dy``).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest

import wengert as wg
from wengert._primitive import DIFF, FAST
from wengert.autograd.linear import (
    IDENTITY,
    LINEAR_MAP_TYPES,
    NEGATE,
    BroadcastTo,
    Compose,
    DivideBy,
    Embed,
    Mask,
    MatmulWith,
    Permute,
    ReMul,
    Reshape,
    Scale,
    SumAxes,
    SumTo,
    Take,
)
from wengert.fft._transforms import C2C, C2R, R2C
from wengert.linalg._matrix import SYMMETRIZE, Sandwich
from wengert.linalg.decompositions import _CholeskyMap, _EighMap, _QRMap, _SVDMap
from wengert.linalg.determinant import _CofactorMap
from wengert.linalg.matrix_functions import _ExpFrechet
from wengert.linalg.solve import _PinvMap, _Solve
from wengert.nn.functional._im2col import Geometry
from wengert.nn.functional._spatial import Picks
from wengert.nn.functional.conv import ConvOperand
from wengert.nn.functional.folding import AdjointPair
from wengert.ops import complex as cx
from wengert.ops.arrange import Flip, Roll
from wengert.ops.contract import EinsumWith
from wengert.ops.diagonal import EmbedDiagonal, TakeDiagonal
from wengert.ops.elementwise import _Cast
from wengert.ops.index import _Overwrite
from wengert.ops.scan import _Cumprod, _Cumsum, _LcseJvp, _LcseVjp, _ScaledThen

F32 = np.dtype(np.float32)
F64 = np.dtype(np.float64)
C128 = np.dtype(np.complex128)

_rng = np.random.default_rng(7)


def dyadic(shape, lo=-3.0, hi=3.0) -> np.ndarray:
    return np.asarray(np.round(_rng.uniform(lo, hi, shape) * 8) / 8, dtype=F64)


def nonzero(shape) -> np.ndarray:
    sign = np.where(_rng.random(shape) < 0.5, -1.0, 1.0)
    return np.asarray(sign * (0.5 + np.round(_rng.uniform(0, 2, shape) * 8) / 8), dtype=F64)


def fmt(shape) -> str:
    return "(" + ",".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


@dataclass
class MapCase:
    label: str
    build: Callable  # build(conv) -> LinearMap; conv turns the map's array data into ns's kind
    in_shape: tuple
    in_dtype: np.dtype = F64

    @property
    def cls(self) -> type:
        return type(self.build(_fast_data))

    @property
    def id(self) -> str:
        return f"{self.cls.__name__}-{self.label}"


def _fast_data(x):
    return x


def _diff_data(x):
    return wg.tensor(x, dtype=x.dtype) if isinstance(x, np.ndarray) else x


CASES: list[MapCase] = []


def case(label, build, in_shape, in_dtype=F64):
    CASES.append(MapCase(label, build, tuple(in_shape), np.dtype(in_dtype)))


case("(2,3)", lambda c: IDENTITY, (2, 3))
case("()", lambda c: IDENTITY, ())
case("(2,3)", lambda c: NEGATE, (2, 3))
case("()", lambda c: NEGATE, ())

for lab, data, shape in [("c(2,3)", dyadic((2, 3)), (2, 3)), ("c(3,)-t(2,3)", dyadic((3,)), (2, 3)),
                         ("c0d-t(2,3)", dyadic(()), (2, 3))]:
    case(lab, lambda c, data=data: Scale(c(data)), shape)
case("c2.5", lambda c: Scale(2.5), (2, 3))

for lab, data, shape in [("d(2,3)", nonzero((2, 3)), (2, 3)), ("d(3,)-t(2,3)", nonzero((3,)), (2, 3)),
                         ("d(2,1)-t(2,3)", nonzero((2, 1)), (2, 3))]:
    case(lab, lambda c, data=data: DivideBy(c(data)), shape)
case("d4.0", lambda c: DivideBy(4.0), (2, 3))
case("d-0.75", lambda c: DivideBy(-0.75), ())

_MASK = np.array([[True, False, True], [False, False, True]])
case("m(2,3)", lambda c: Mask(c(_MASK)), (2, 3))
case("m(3,)-t(2,3)", lambda c: Mask(c(np.array([False, True, True]))), (2, 3))
case("m0d-t(3,)", lambda c: Mask(c(np.array(True))), (3,))

for shape, axis, keep in [((2, 3, 4), None, False), ((2, 3, 4), None, True), ((2, 3, 4), 0, False),
                          ((2, 3, 4), 1, True), ((2, 3, 4), (0, 2), False), ((2, 3, 4), (0, 2), True),
                          ((2, 3, 4), -1, False), ((2, 3, 4), (-3, -1), True), ((2, 3), (1,), False),
                          ((), None, False)]:
    case(f"{fmt(shape)}-axis={axis}-{'keep' if keep else 'drop'}".replace(" ", ""),
         lambda c, shape=shape, axis=axis, keep=keep: SumAxes(shape, axis, keep), shape)

for a, b in [((3,), (2, 3)), ((2, 1), (2, 3)), ((), (2, 3)), ((1, 3), (4, 2, 3)), ((2, 3), (2, 3))]:
    case(f"{fmt(a)}->{fmt(b)}", lambda c, a=a, b=b: BroadcastTo(a, b), a)
    case(f"{fmt(b)}->{fmt(a)}", lambda c, a=a, b=b: SumTo(b, a), b)

for a, b in [((2, 3), (3, 2)), ((6,), (1, 2, 3)), ((), (1, 1)), ((2, 3, 4), (6, 4))]:
    case(f"{fmt(a)}->{fmt(b)}", lambda c, a=a, b=b: Reshape(a, b), a)

for shape, axes in [((2, 3), (1, 0)), ((2, 3, 4), (2, 0, 1)), ((2, 3, 4), (1, 2, 0)),
                    ((2, 3, 4), (0, 1, 2))]:
    case(f"{fmt(shape)}-{axes}".replace(" ", ""), lambda c, axes=axes: Permute(axes), shape)

_M34 = np.array([[True, False, True, True], [False, False, True, False], [True, True, False, True]])
_R3 = np.array([True, False, True])
INDICES = [
    ((3, 4), 1, "1"), ((3, 4), slice(0, 2), "0:2"), ((3, 4), (slice(None, None, -2), 1), "::-2,1"),
    ((3, 4), (None, Ellipsis, None), "None,...,None"), ((3, 4), (1, 2), "1,2"),
    ((3, 4), np.array([0, 2, 0, 2, 1]), "arr-repeat"),
    ((3, 4), (slice(None), np.array([3, 3, 0])), ":,arr-repeat"),
    ((3, 4), (np.array([[1], [2]]), np.array([[0, 0, 3]])), "arr-broadcast"),
    ((3, 4), _M34, "bool"), ((3, 4), (_R3, slice(1, 3)), "bool,slice"),
    ((2, 3, 4), (np.array([1, 0]), slice(None), np.array([3, 3])), "arr,:,arr"),
    ((2, 3, 4), (Ellipsis, _R3, slice(None)), "...,bool,:"),
]
for shape, index, lab in INDICES:
    case(f"{fmt(shape)}[{lab}]", lambda c, index=index, shape=shape: Take(index, shape), shape)
    sub = np.empty(shape)[index].shape
    case(f"{fmt(shape)}[{lab}]", lambda c, index=index, shape=shape: Embed(index, shape), sub)
    hit = np.zeros(shape, dtype=bool)
    hit[index] = True
    if not hit.all():  # overwriting everything is the zero map: nothing to check
        case(f"{fmt(shape)}[{lab}]", lambda c, index=index, sub=sub: _Overwrite(index, sub), shape)

MATMUL = [((3,), (3,)), ((3,), (3, 4)), ((2, 3), (3,)), ((2, 3), (3, 4)), ((5, 2, 3), (5, 3, 4)),
          ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((5, 2, 3), (3,)), ((3,), (5, 3, 4)),
          ((5, 1, 2, 3), (4, 3, 2)), ((1, 2, 3), (5, 3, 4)), ((2, 1, 2, 3), (1, 3, 3, 2))]
for a, b in MATMUL:
    other_b, other_a = dyadic(b), dyadic(a)
    case(f"t{fmt(a)}@{fmt(b)}", lambda c, o=other_b, a=a: MatmulWith(c(o), a, left=True), a)
    case(f"{fmt(a)}@t{fmt(b)}", lambda c, o=other_a, b=b: MatmulWith(c(o), b, left=False), b)

case("broadcast-then-embed", lambda c: Compose(BroadcastTo((1, 4), (2, 4)),
                                               Embed(slice(0, 2), (3, 4))), (1, 4))
_W = dyadic((2, 3, 4))
case("scale-then-sum", lambda c: Compose(Scale(c(_W)), SumAxes((2, 3, 4), (0, 2), False)),
     (2, 3, 4))
case("take-then-reshape", lambda c: Compose(Take(np.array([0, 0, 2]), (3, 4)),
                                            Reshape((3, 4), (12,))), (3, 4))
case("nested", lambda c: Compose(Compose(Permute((1, 0)), Mask(c(_MASK.T))), NEGATE), (2, 3))



class _ScaleBy(wg.autograd.Function):
    """A custom Function: its map's apply calls jvp, its transpose calls backward."""

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(w)
        return x * w

    @staticmethod
    def backward(ctx, g):
        (w,) = ctx.saved_tensors
        return g * w, None

    @staticmethod
    def jvp(ctx, t, tw):
        (w,) = ctx.saved_tensors
        return t * w


def _function_map(c):
    node = _ScaleBy.apply(wg.zeros(2, 3, dtype=wg.float64, requires_grad=True),
                          wg.tensor(_W[:, :, 0]))._node
    return node.prim.rule(FAST, 0, None, *node.saved, *node.params)


case("custom-Function", _function_map, (2, 3))

case("f64->f32", lambda c: _Cast(F64, F32), (2, 3), F64)
case("f32->f64", lambda c: _Cast(F32, F64), (2, 3), F32)
case("f64->f32-()", lambda c: _Cast(F64, F32), (), F64)

for shape, dims in [((3,), (0,)), ((2, 3, 4), (0, 2))]:
    case(f"{fmt(shape)}-{dims}".replace(" ", ""), lambda c, dims=dims: Flip(dims), shape)
for shape, shifts, dims in [((5,), (2,), (0,)), ((2, 3), (1, -4), (0, 1)), ((6,), (-7,), 0)]:
    case(f"{fmt(shape)}-{shifts}-{dims}".replace(" ", ""),
         lambda c, s=shifts, d=dims: Roll(s, d), shape)
for shape, offset, d1, d2 in [((3, 4), 1, 0, 1), ((2, 3, 4), -1, 2, 0), ((4, 3), 0, 1, 0)]:
    case(f"{fmt(shape)}-{offset},{d1},{d2}",
         lambda c, p=(shape, offset, d1, d2): TakeDiagonal(*p), shape)
    sub = np.diagonal(np.empty(shape), offset, d1, d2).shape
    case(f"{fmt(shape)}-{offset},{d1},{d2}",
         lambda c, p=(shape, offset, d1, d2): EmbedDiagonal(*p), sub)


# -- linear algebra (ops/contract.py, wengert/linalg) -----------------------------------------


def _ns(c):
    """The namespace a map built with data converter ``c`` runs in."""
    return FAST if c is _fast_data else DIFF


def _spd(n):
    x = dyadic((n, n))
    return x @ x.T + np.eye(n)


_B34, _B23 = dyadic((3, 4)), dyadic((2, 3))
case("ij,jk->ik-t0", lambda c: EinsumWith("ij,jk->ik", 0, (None, c(_B34)), (2, 3)), (2, 3))
case("ij,jk->ik-t1", lambda c: EinsumWith("ij,jk->ik", 1, (c(_B23), None), (3, 4)), (3, 4))
case("ab,bc->a-t1-broadcast", lambda c: EinsumWith("ab,bc->a", 1, (c(_B23), None), (3, 4)),
     (3, 4))
_A33 = dyadic((2, 3, 3)) + 3 * np.eye(3)
_C33 = dyadic((2, 3, 3))
case("(2,3,3)", lambda c: Sandwich(c(_A33), c(_C33)), (2, 3, 3))
case("(2,3,3)", lambda c: SYMMETRIZE, (2, 3, 3))
case("general-(2,3,2)", lambda c: _Solve(c(_A33)), (2, 3, 2))
case("triangular-masked-right", lambda c: _Solve(c(_A33), c(_C33), np.tril(np.ones((3, 3))),
                                                 (False, False)), (2, 3, 3))
_P43 = dyadic((4, 3)) + np.eye(4, 3) * 2
case("(4,3)", lambda c: _PinvMap(c(_P43), c(np.linalg.pinv(_P43))), (4, 3))
_CU, _CS, _CVH = np.linalg.svd(_A33[0])
_CS[-1] = 0.0  # a singular matrix: the cofactor's derivative needs no inverse
case("(3,3)-singular", lambda c: _CofactorMap(_ns(c), c(_CU), c(_CS), c(_CVH)), (3, 3))
_CHOL = np.linalg.cholesky(_spd(3))
case("(3,3)", lambda c: _CholeskyMap(c(_CHOL)), (3, 3))
_Q, _R = np.linalg.qr(_P43)
case("(4,3)", lambda c: _QRMap(c(_Q), c(_R)), (4, 3))
_EW, _EV = np.linalg.eigh(_spd(3))
case("(3,3)", lambda c: _EighMap(_ns(c), c(_EW), c(_EV)), (3, 3))
for _shape in ((4, 3), (3, 4)):
    _U, _S, _Vh = np.linalg.svd(dyadic(_shape), full_matrices=False)
    case(fmt(_shape), lambda c, u=_U, s=_S, v=_Vh.T: _SVDMap(_ns(c), c(u), c(s), c(v)), _shape)
_EXP_A = dyadic((2, 2, 2)) / 2
case("(2,2,2)", lambda c: _ExpFrechet(c(_EXP_A)), (2, 2, 2))

# maps of wengert.ops.scan: cumsum; cumprod without and with zeros (its FAST formula
# and its recorded one differ there); logcumsumexp's log-space pair
for shape, axis in [((5,), 0), ((2, 3), 1), ((2, 3, 4), -2)]:
    case(f"{fmt(shape)}-axis={axis}", lambda c, axis=axis: _Cumsum(axis), shape)
_P = nonzero((3, 4))
_PZ = _P.copy()
_PZ[0, 1] = _PZ[2, 0] = _PZ[2, 2] = 0.0
for lab, x, axis in [("nozero", _P, 1), ("zeros-axis=1", _PZ, 1), ("zeros-axis=0", _PZ, 0)]:
    case(f"(3,4)-{lab}", lambda c, x=x, axis=axis: _Cumprod(c(x), c(np.cumprod(x, axis)), axis),
         (3, 4))
_LX = dyadic((2, 5))
_LY = np.logaddexp.accumulate(_LX, 1)
case("(2,5)", lambda c: _LcseJvp(c(_LX), c(_LY), 1), (2, 5))
case("(2,5)", lambda c: _LcseVjp(c(_LX), c(_LY), 1), (2, 5))
_LS = dyadic((2, 5))
case("(2,5)", lambda c: _ScaledThen(c(_LS), _LcseVjp(c(_LX), c(_LY + 0.5), 1)), (2, 5))

# -- wg.nn.functional's maps (softmax, log_softmax, cross_entropy, linear) -----------

def _nn_maps():
    from wengert.nn.functional.cross_entropy import CrossEntropyMap, cross_entropy_params
    from wengert.nn.functional.linear import _BiasMap, _InputMap, _WeightMap
    from wengert.nn.functional.softmax import LogSoftmaxJacobian, SoftmaxJacobian

    p = np.array([[0.25, 0.5, 0.25], [0.125, 0.125, 0.75]])
    case("y(2,3)-axis=1", lambda c: SoftmaxJacobian(c(p), 1), (2, 3))
    case("y(2,3)-axis=0", lambda c: SoftmaxJacobian(c(p), 0), (2, 3))
    case("y(2,3)-axis=1", lambda c: LogSoftmaxJacobian(c(np.log(p)), 1), (2, 3))
    for x in (dyadic((3, 4)), dyadic((2, 4, 3))):
        case(f"x{fmt(x.shape)}-w(5,{x.shape[-1]})", lambda c, x=x: _WeightMap(c(x)),
             (5, x.shape[-1]))
        w = dyadic((5, x.shape[-1]))
        case(f"w(5,{x.shape[-1]})-x{fmt(x.shape)}", lambda c, w=w: _InputMap(c(w)), x.shape)
    for out_shape in ((3, 5), (2, 4, 5), (5,)):
        case(f"b(5,)-out{fmt(out_shape)}", lambda c, o=out_shape: _BiasMap((5,), o), (5,))
    case("b(1,)-out(3,5)", lambda c: _BiasMap((1,), (3, 5)), (1,))
    e = np.exp(dyadic((3, 4)))
    for reduction in ("mean", "sum", "none"):
        for smoothing, weight in [(0.0, None), (0.25, np.array([1.0, 0.5, 2.0, 1.5]))]:
            target = np.array([0, -100, 3]) if weight is None else np.array([1, 2, 3])
            res = cross_entropy_params(np.zeros((3, 4)), target, weight, -100, reduction,
                                       smoothing)[2]
            s = e.sum(1, keepdims=True)
            case(f"{reduction}-smooth={smoothing}",
                 lambda c, res=res, r=reduction, sm=smoothing: CrossEntropyMap(
                     c(e), c(s), res, r, 1, sm), (3, 4))


_nn_maps()


def _recurrent_maps():
    """``rnn_scan``'s map in each input: ``apply`` is the generic JVP, ``transpose`` on arrays
    the fast backpropagation through time (recomputing the forward pass: no residual)."""
    from wengert.nn.functional.recurrent import CELLS, ScanMap, _scan

    steps, batch = 3, 2
    # (the projected LSTM: cells 3 wide, hidden states h = m @ w_hr.T 2 wide)
    for mode, reverse, hidden, proj in [("LSTM", False, 2, 0), ("GRU", True, 2, 0),
                                        ("RNN_TANH", True, 2, 0), ("LSTM", True, 3, 2)]:
        cell, projected = CELLS[mode], proj > 0
        gates = cell.gates * hidden
        width = proj or hidden  # of the recurrent state h
        data = [dyadic((steps, batch, gates), -1, 1), dyadic((batch, width), -1, 1),
                dyadic((batch, hidden), -1, 1) if cell.has_c else None,
                dyadic((gates, width), -1, 1), dyadic((gates,), -1, 1),
                dyadic((proj, hidden), -1, 1) if projected else None]
        out = _scan(*data, cell, reverse)
        for k, x in enumerate(data):
            if x is not None:
                case(f"{mode}-{'reverse-' if reverse else ''}{'proj-' if projected else ''}"
                     f"input{k}",
                     lambda c, k=k, data=data, out=out, cell=cell, reverse=reverse: ScanMap(
                         k, (*(None if a is None else c(a) for a in data), cell, reverse),
                         c(out), None), x.shape)


_recurrent_maps()


def _batch_norm_maps():
    from wengert.nn.functional.normalization import BatchNormMap, BatchNormResidual

    for shape in ((4, 3), (2, 3, 2, 2)):
        kept = (1, shape[1]) + (1,) * (len(shape) - 2)
        d, rstd, w = dyadic(shape), nonzero(kept), nonzero((shape[1],))
        for which, in_shape in ((0, shape), (1, (shape[1],)), (2, (shape[1],))):
            for weighted in (True, False) if which == 0 else (False,):
                case(f"{'xwb'[which]}-{fmt(shape)}{'-w' if weighted else ''}",
                     lambda c, which=which, d=d, rstd=rstd, w=w, weighted=weighted:
                     BatchNormMap(which, BatchNormResidual(c(d), c(rstd)),
                                  c(w) if weighted else None), in_shape)


_batch_norm_maps()
# convolution: operand ``slot`` perturbed, ``fixed_slot`` held (0: input, 1: weight, 2: output)
_CONV = Geometry((2, 4, 5, 4), (6, 2, 3, 2), (2, 1), ((1, 0), (1, 1)), (1, 2), 2)
_CONV_SHAPES = (_CONV.x_shape, _CONV.w_shape, _CONV.y_shape)
_CONV_DATA = [dyadic(shape) for shape in _CONV_SHAPES]
for _fixed in range(3):
    for _slot in range(3):
        if _slot != _fixed:
            case(f"slot{_slot}-fixed{_fixed}",
                 lambda c, f=_fixed, s=_slot: ConvOperand(c(_CONV_DATA[f]), f, s, _CONV),
                 _CONV_SHAPES[_slot])
_UNFOLD = Geometry((2, 2, 4, 5), (8, 1, 2, 2), (1, 2), ((1, 1), (0, 1)), (1, 1), 2)
case("im2col", lambda c: AdjointPair("im2col", "col2im", (_UNFOLD,)), _UNFOLD.x_shape)
case("col2im", lambda c: AdjointPair("col2im", "im2col", (_UNFOLD,)), (2, 8, 15))
# max pooling at fixed picks: overlapping windows pick some elements twice, so the
# scatter adds repeated indices
_PICKS = Picks((2, 1, 3, 3), np.array([0, 4, 4, 8, 9, 13, 13, 17]).reshape(2, 1, 2, 2))
case("max_pool", lambda c: AdjointPair("max_pool", "max_pool_backward", (_PICKS,)),
     _PICKS.in_shape)
case("max_pool_backward", lambda c: AdjointPair("max_pool_backward", "max_pool", (_PICKS,)),
     _PICKS.flat.shape)
# -- complex data -------------------------------------------------------------------


def dyadic_complex(shape) -> np.ndarray:
    return dyadic(shape) + 1j * dyadic(shape)


_Z = dyadic_complex((2, 3))
case("complex-c(2,3)", lambda c: Scale(c(_Z)), (2, 3), C128)
_Z3 = dyadic_complex((3,))
_D = nonzero((2, 3)) + 1j * dyadic((2, 3))
case("complex-c(3,)-t(2,3)", lambda c: Scale(c(_Z3)), (2, 3), C128)
case("complex-c-python", lambda c: Scale(0.5 - 1.5j), (2, 3), C128)
case("complex-d(2,3)", lambda c: DivideBy(c(_D)), (2, 3), C128)
case("complex-d-python", lambda c: DivideBy(2 + 2j), (3,), C128)
for a, b in [((2, 3), (3, 4)), ((5, 2, 3), (3,)), ((3,), (5, 3, 4))]:
    other_b, other_a = dyadic_complex(b), dyadic_complex(a)
    case(f"complex-t{fmt(a)}@{fmt(b)}",
         lambda c, o=other_b, a=a: MatmulWith(c(o), a, left=True), a, C128)
    case(f"complex-{fmt(a)}@t{fmt(b)}",
         lambda c, o=other_a, b=b: MatmulWith(c(o), b, left=False), b, C128)
case("c128->f64", lambda c: _Cast(C128, F64), (2, 3), C128)
case("f64->c128", lambda c: _Cast(F64, C128), (2, 3), F64)
case("c(2,3)", lambda c: ReMul(c(_Z)), (2, 3), C128)
case("c-python-t(3,)", lambda c: ReMul(1 - 2j), (3,), C128)
case("real-part", lambda c: cx._REAL_PART, (2, 3), C128)
case("imag-part", lambda c: cx._IMAG_PART, (2, 3), C128)
case("into-real", lambda c: cx._INTO_REAL, (2, 3), F64)
case("into-imag", lambda c: cx._INTO_IMAG, (3,), F64)
case("(2,3)", lambda c: cx._CONJUGATE, (2, 3), C128)
case("as-real-(2,3)", lambda c: cx._AS_REAL, (2, 3), C128)
case("as-complex-(2,3,2)", lambda c: cx._AS_COMPLEX, (2, 3, 2), F64)
for norm in ("backward", "ortho", "forward"):
    case(f"(4,)-{norm}-fwd", lambda c, norm=norm: C2C((0,), norm, True), (4,), C128)
    case(f"(2,3)-{norm}-inv", lambda c, norm=norm: C2C((1, 0), norm, False), (2, 3), C128)
    for shape, axes in [((6,), (0,)), ((5,), (0,)), ((2, 4), (0, 1)), ((3, 2), (1, 0))]:
        n = shape[axes[-1]]
        half = tuple(n // 2 + 1 if i == axes[-1] else k for i, k in enumerate(shape))
        lab = f"{fmt(shape)}-{axes}-{norm}".replace(" ", "")
        case(lab, lambda c, a=axes, norm=norm, n=n: R2C(a, norm, n), shape, F64)
        case(lab, lambda c, a=axes, norm=norm, n=n: C2R(a, norm, n), half, C128)


def _rng_for(c: MapCase, what: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(f"{c.id}/{what}".encode()))


def random(rng, shape, dtype) -> np.ndarray:
    """Dyadic values (exact in float32), not all zero; complex for a complex dtype."""
    while True:
        x = np.round(rng.standard_normal(shape) * 8) / 8
        if np.dtype(dtype).kind == "c":
            x = x + 1j * (np.round(rng.standard_normal(shape) * 8) / 8)
        x = np.asarray(x, dtype=dtype)
        if np.any(x != 0):
            return x


def num(x) -> np.ndarray:
    """Values as float64, or complex128 when complex."""
    return np.asarray(x, dtype=C128 if np.iscomplexobj(x) else F64)


def vdot(a, b) -> float:
    """The real inner product ``Re(sum(conj(a) * b))``."""
    if np.iscomplexobj(a) or np.iscomplexobj(b):
        return float(np.sum(np.real(np.conj(num(a)) * num(b))))
    return float(np.sum(np.asarray(a, dtype=F64) * np.asarray(b, dtype=F64)))


def arrays_for(c: MapCase, what: str):
    """``(map, v, L v, u, L^T u)`` with ``ns=FAST``."""
    rng = _rng_for(c, what)
    m = c.build(_fast_data)
    v = random(rng, c.in_shape, c.in_dtype)
    lv = np.asarray(m.apply(FAST, v))
    u = random(rng, lv.shape, lv.dtype)
    ltu = np.asarray(m.transpose(FAST, u))
    return m, v, lv, u, ltu


def ids(cases):
    return [c.id for c in cases]


def test_every_map_class_has_a_case():
    covered = {c.cls for c in CASES}
    missing = {cls.__qualname__ for cls in LINEAR_MAP_TYPES - covered}
    assert not missing, f"linear maps without a case: {sorted(missing)}"
    assert covered == LINEAR_MAP_TYPES
    assert len(set(ids(CASES))) == len(CASES)


@pytest.mark.parametrize("c", CASES, ids=ids(CASES))
def test_adjoint_identity(c: MapCase):
    """``<u, L v> == <L^T u, v>`` on arrays (ns=FAST), to 1e-10."""
    _, v, lv, u, ltu = arrays_for(c, "adjoint")
    assert ltu.shape == c.in_shape, f"L^T u has shape {ltu.shape}, expected {c.in_shape}"
    assert ltu.dtype == c.in_dtype, f"L^T u has dtype {ltu.dtype}, expected {c.in_dtype}"
    lhs, rhs = vdot(u, lv), vdot(ltu, v)
    scale = max(1.0, vdot(np.abs(u), np.abs(lv)), vdot(np.abs(ltu), np.abs(v)))
    assert abs(lhs - rhs) <= 1e-10 * scale, f"<u, Lv> = {lhs!r} but <L^T u, v> = {rhs!r}"
    # the identity is not vacuous: the map is not zero on these inputs
    assert np.any(lv != 0) and np.any(ltu != 0)


@pytest.mark.parametrize("c", CASES, ids=ids(CASES))
def test_diff_matches_fast(c: MapCase):
    """ns=DIFF on tensors gives the FAST values; its recorded results are differentiable."""
    _, v, lv, u, ltu = arrays_for(c, "diff")
    m = c.build(_diff_data)
    vt = wg.tensor(v, dtype=v.dtype, requires_grad=True)
    ut = wg.tensor(u, dtype=u.dtype, requires_grad=True)
    lv_d = m.apply(DIFF, vt)
    ltu_d = m.transpose(DIFF, ut)
    for got, want, what in [(lv_d, lv, "apply"), (ltu_d, ltu, "transpose")]:
        assert isinstance(got, wg.Tensor), f"{what} with ns=DIFF returned {type(got).__name__}"
        assert got.shape == want.shape, f"{what}: shape {got.shape}, FAST gives {want.shape}"
        assert got.dtype == want.dtype, f"{what}: dtype {got.dtype}, FAST gives {want.dtype}"
        np.testing.assert_allclose(num(got._data), num(want), rtol=1e-12, atol=1e-12,
                                   err_msg=what)
        assert got.requires_grad, f"{what} with ns=DIFF was not recorded"
    # d<u, L v>/dv = L^T u and d<v, L^T u>/du = L v: the recorded map differentiates correctly
    (g_v,) = wg.grad(lv_d, vt, grad_outputs=(u,))
    (g_u,) = wg.grad(ltu_d, ut, grad_outputs=(v,))
    assert g_v.shape == v.shape and g_u.shape == u.shape
    np.testing.assert_allclose(num(g_v._data), num(ltu), rtol=1e-12, atol=1e-12,
                               err_msg="VJP of apply")
    np.testing.assert_allclose(num(g_u._data), num(lv), rtol=1e-12, atol=1e-12,
                               err_msg="VJP of transpose")

