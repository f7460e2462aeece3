"""``linear``: ``input @ weight.T + bias`` as one primitive (the MLP hot path).

One tape entry instead of three (transpose, matmul, add): its rule gives the
three linear maps directly, ``dx = g @ W``, ``dW = g^T @ x`` (batch dims
flattened) and ``db = sum(g)`` over the batch dims. The maps are written for
this primitive's shapes (``W`` is 2-D, ``b`` is ``(out,)``), so each transpose is
one NumPy call where the general maps (``MatmulWith``, ``BroadcastTo``) would
first work out how operands broadcast.
"""

from __future__ import annotations

from ..._backend import ones_vector
from ..._primitive import FAST, SPEC, VALUE, Primitive, bind
from ..._tensor import TENSOR_TYPES, Tensor
from ...autograd.linear import BroadcastTo, LinearMap, conj
from ...ops._registry import as_float_tensor

__all__ = ["bilinear", "linear"]


def _linear(x, w, b):
    out = x @ w.T
    if b is not None:
        out += b
    return out


class _InputMap(LinearMap):
    """``t -> t @ w.T`` (a perturbation of the input); adjoint ``g @ w``."""

    __slots__ = ("w",)

    def __init__(self, w):
        self.w = w

    def apply(self, ns, t):
        return ns.matmul(t, ns.permute(self.w, (1, 0)))

    def transpose(self, ns, ct):
        return ns.matmul(ct, conj(ns, self.w))  # complex: the conjugate transpose


class _WeightMap(LinearMap):
    """``t -> x @ t.T`` (a perturbation of the weight); adjoint ``g^T @ x``, batch flattened."""

    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x

    def apply(self, ns, t):
        return ns.matmul(self.x, ns.permute(t, (1, 0)))

    def transpose(self, ns, ct):
        x = conj(ns, self.x)  # complex: the conjugate transpose
        if x.ndim != 2:
            ct, x = ns.reshape(ct, (-1, ct.shape[-1])), ns.reshape(x, (-1, x.shape[-1]))
        if ns is FAST:  # (the same view as permute's, without its function call)
            return ct.T @ x
        return ns.matmul(ns.permute(ct, (1, 0)), x)


class _BiasMap(BroadcastTo):
    """``t -> broadcast_to(t, out_shape)`` (the bias added to every row); its adjoint sums
    the rows: as ``ones @ rows``, a BLAS matrix-vector product that takes half the time
    of NumPy's ``sum(axis=0)`` and returns a fresh array the gradient can own."""

    __slots__ = ()

    def transpose(self, ns, ct):
        n = ct.shape[-1]
        if len(ct.shape) < 2 or self.in_shape != (n,):  # one row, or a () or (1,) bias
            return ns.sum_to(ct, self.in_shape)
        rows = ct if len(ct.shape) == 2 else ns.reshape(ct, (-1, n))
        return ns.matmul(ones_vector(rows.shape[0], _dtype(rows)), rows)


def _dtype(a):
    return a.dtype if type(a) not in TENSOR_TYPES else a._data.dtype


def _out_shape(x, w):
    return tuple(x.shape[:-1]) + (w.shape[0],)


linear_p = Primitive(
    "linear", _linear, save=(VALUE, VALUE, SPEC), uses=((1,), (0,), (0, 1)),
    rule=(lambda ns, out, x, w, b: _InputMap(w),
          lambda ns, out, x, w, b: _WeightMap(x),
          lambda ns, out, x, w, b: _BiasMap(b.shape, _out_shape(x, w))))


def linear(input, weight, bias=None) -> Tensor:  # noqa: A002
    """``input @ weight.T + bias`` for ``input (*, in)``, ``weight (out, in)``, ``bias (out,)``.

    >>> import wengert as wg
    >>> wg.nn.functional.linear(wg.ones(2, 3), wg.ones(4, 3), wg.zeros(4)).shape
    (2, 4)
    """
    tensors = TENSOR_TYPES
    if type(input) in tensors and type(weight) in tensors and (
            bias is None or type(bias) in tensors):
        # The common call, checked on the raw arrays: tensors of one floating dtype,
        # shapes that match. Anything else takes the converting, explaining path.
        x, w = input._data, weight._data
        dtype = x.dtype
        if (w.dtype is dtype and dtype.kind in "fc" and w.ndim == 2 and x.ndim
                and x.shape[-1] == w.shape[1]
                and (bias is None or (bias._data.dtype is dtype
                                      and bias._data.shape == (w.shape[0],)))):
            return bind(linear_p, (input, weight, bias))
    return _checked_linear(input, weight, bias)


def _checked_linear(input, weight, bias):  # noqa: A002
    """``linear`` for arguments to convert (arrays, numbers) or to refuse with a reason."""
    x, w = as_float_tensor(input, "linear"), as_float_tensor(weight, "linear")
    b = None if bias is None else as_float_tensor(bias, "linear")
    if w.ndim != 2 or x.ndim == 0 or x.shape[-1] != w.shape[1]:
        raise ValueError(f"linear: input of shape {x.shape} and weight of shape {w.shape} do "
                         f"not match: expected input (*, in_features) and weight "
                         f"(out_features, in_features) with the same in_features")
    if b is not None and b.shape not in ((w.shape[0],), (), (1,)):
        raise ValueError(f"linear: bias must have shape ({w.shape[0]},) for a weight of shape "
                         f"{w.shape}, got {b.shape}")
    if w.dtype != x.dtype or (b is not None and b.dtype != x.dtype):
        raise TypeError(f"linear: input, weight and bias must have one dtype, got {x.dtype}, "
                        f"{w.dtype}" + ("" if b is None else f" and {b.dtype}"))
    return bind(linear_p, (x, w, b))


def bilinear(input1, input2, weight, bias=None) -> Tensor:
    """``x1^T A_k x2 + b_k`` for each output ``k``: ``weight (out, in1, in2)``.

    >>> import wengert as wg
    >>> wg.nn.functional.bilinear(wg.ones(2, 3), wg.ones(2, 4), wg.ones(5, 3, 4)).shape
    (2, 5)
    """
    x1, x2 = as_float_tensor(input1, "bilinear"), as_float_tensor(input2, "bilinear")
    w = as_float_tensor(weight, "bilinear")
    if (w.ndim != 3 or x1.shape[:-1] != x2.shape[:-1] or x1.shape[-1] != w.shape[1]
            or x2.shape[-1] != w.shape[2]):
        raise ValueError(f"bilinear: input1 {x1.shape}, input2 {x2.shape} and weight {w.shape} "
                         "do not match: expected (*, in1), (*, in2) and (out, in1, in2)")
    batch = x1.shape[:-1]
    a = x1.reshape(-1, 1, 1, x1.shape[-1])  # (B, 1, 1, in1) @ (out, in1, in2) -> (B, out, 1, in2)
    left = (a @ w).reshape(-1, w.shape[0], w.shape[2])
    out = (left * x2.reshape(-1, 1, x2.shape[-1])).sum(-1).reshape(*batch, w.shape[0])
    if bias is not None:
        out = out + as_float_tensor(bias, "bilinear")
    return out


