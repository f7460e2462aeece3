"""Convolutions: ``conv1d/2d/3d`` and ``conv_transpose1d/2d/3d``, PyTorch's layouts and options.

Three primitives, the three gradients of the trilinear form
``T(x, w, y) = <y, conv(x, w)>`` (see ``_im2col``): ``conv`` (y from x, w),
``conv_transpose`` (x from y, w) and ``conv_weight`` (w from x, y). Each is
linear in each of its operands, and the derivative in one operand, with the
other held fixed, is again one of the three: pushing a tangent computes the
primitive with the tangent in place of the operand, pulling a cotangent
computes the primitive that produces that operand. The set is closed under
differentiation (``ConvOperand`` is its one linear map), so convolutions
have derivatives of any order in both modes, each a convolution or a
transposed convolution running on BLAS.
"""

from __future__ import annotations

from ..._primitive import VALUE, Primitive, bind
from ..._tensor import Tensor
from ...autograd.linear import BroadcastTo, Compose, LinearMap, Reshape, conj
from ...ops._registry import as_float_tensor
from ...ops.shape import reshape
from . import _im2col
from ._im2col import Geometry

__all__ = [
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
]

X, W, Y = 0, 1, 2
"""The operands of the trilinear form: input, weight, output."""


def _compute(ns, target, operands, g):
    """The operand ``target`` of the form from the other two (``operands`` by slot)."""
    if target == Y:
        return ns.conv(operands[X], operands[W], g)
    if target == X:
        return ns.conv_transpose(operands[Y], operands[W], g)
    return ns.conv_weight(operands[X], operands[Y], g)


class ConvOperand(LinearMap):
    """The derivative of a convolution kernel in operand ``slot``, operand ``fixed_slot`` fixed.

    The kernel produces the third operand, ``3 - slot - fixed_slot``;
    ``apply`` runs that kernel with the tangent in ``slot``, ``transpose``
    runs the kernel that produces ``slot`` from the cotangent.
    """

    __slots__ = ("fixed", "fixed_slot", "slot", "geometry")

    def __init__(self, fixed, fixed_slot, slot, geometry):
        self.fixed, self.fixed_slot, self.slot, self.geometry = fixed, fixed_slot, slot, geometry

    def _operands(self, slot, value):
        operands = [None, None, None]
        operands[self.fixed_slot], operands[slot] = self.fixed, value
        return operands

    def apply(self, ns, t):
        target = 3 - self.slot - self.fixed_slot
        return _compute(ns, target, self._operands(self.slot, t), self.geometry)

    def transpose(self, ns, ct):
        target = 3 - self.slot - self.fixed_slot
        operands = self._operands(target, ct)
        # Complex: the conjugate transpose (the fixed operand conjugated).
        operands[self.fixed_slot] = conj(ns, self.fixed)
        return _compute(ns, self.slot, operands, self.geometry)


def _kernel(name, impl, first, second):
    """A kernel primitive taking operands ``first`` and ``second`` (slots)."""
    return Primitive(
        name, impl, save=(VALUE, VALUE), uses=((1,), (0,)), n_params=1,
        rule=(lambda ns, out, a, b, g: ConvOperand(b, second, first, g),
              lambda ns, out, a, b, g: ConvOperand(a, first, second, g)))


conv_p = _kernel("conv", _im2col.conv, X, W)
conv_transpose_p = _kernel("conv_transpose", _im2col.conv_transpose, Y, W)
conv_weight_p = _kernel("conv_weight", _im2col.conv_weight, X, Y)


def _bias_map(g):
    """The bias's derivative: ``(O,)`` broadcast over the batch and the positions of ``y``."""
    o, n = g.w_shape[0], len(g.kernel)
    return Compose(Reshape((o,), (o,) + (1,) * n), BroadcastTo((o,) + (1,) * n, g.y_shape))


conv_bias_p = Primitive(
    "conv_bias", lambda x, w, b, g: _im2col.conv(x, w, g, b), save=(VALUE, VALUE, None),
    uses=((1,), (0,), ()), n_params=1,
    rule=(lambda ns, out, x, w, b, g: ConvOperand(w, W, X, g),
          lambda ns, out, x, w, b, g: ConvOperand(x, X, W, g),
          lambda ns, out, x, w, b, g: _bias_map(g)))
"""``conv`` plus a bias ``(O,)`` as one tape entry: the bias is added while each chunk is in
cache, and its derivative is the broadcast (adjoint: the sum over batch and positions)."""


# -- arguments ------------------------------------------------------------------


def ntuple(value, n: int, what: str, op: str) -> tuple:
    """An int or a sequence of ``n`` ints, as a tuple of ``n`` ints."""
    if isinstance(value, int):
        return (value,) * n
    value = tuple(value)
    if len(value) == 1:
        value = value * n
    if len(value) != n or not all(isinstance(v, int) for v in value):
        raise ValueError(f"{op}: {what} must be an int or {n} ints, got {value!r}")
    return value


def _describe(t) -> str:
    return f"{tuple(t.shape)}"


_SPATIAL = {1: "L", 2: "H, W", 3: "D, H, W"}


def batched(input, n: int, op: str, what: str = "input"):
    """``input`` with a batch dimension (PyTorch accepts one unbatched sample); was it added?"""
    if input.ndim == n + 1:
        return reshape(input, (1, *input.shape)), True
    if input.ndim != n + 2:
        raise RuntimeError(
            f"{op}: expected a {n + 1}-D (unbatched) or {n + 2}-D (batched) {what} "
            f"(N, C, {_SPATIAL[n]}), "
            f"got shape {_describe(input)}")
    return input, False


def _floats(op, *tensors):
    ts = [as_float_tensor(t, op) for t in tensors]
    dtypes = {t.dtype for t in ts}
    if len(dtypes) > 1:
        raise TypeError(f"{op}: input, weight and bias must have the same dtype, got "
                        f"{', '.join(str(t.dtype) for t in ts)}; convert one with .to(dtype)")
    return ts


def _padding(padding, n, kernel, dilation, stride, op):
    """Per-dimension ``(lo, hi)`` pairs from an int, a tuple, ``'valid'`` or ``'same'``."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * n
        if padding == "same":
            if any(s != 1 for s in stride):
                raise ValueError(f"{op}: padding='same' is not supported for strided "
                                 f"convolutions (stride={stride}); pad explicitly instead")
            # PyTorch's split: an odd total puts the extra element on the high side.
            totals = [d * (k - 1) for d, k in zip(dilation, kernel)]
            return tuple((t // 2, t - t // 2) for t in totals)
        raise ValueError(f"{op}: padding must be an int, a tuple, 'valid' or 'same', "
                         f"got {padding!r}")
    pads = ntuple(padding, n, "padding", op)
    if any(p < 0 for p in pads):
        raise ValueError(f"{op}: padding must be non-negative, got {pads}")
    return tuple((p, p) for p in pads)


def _check_bias(bias, channels, op):
    if bias is not None and bias.shape != (channels,):
        raise RuntimeError(f"{op}: bias must have shape ({channels},) (one per output "
                           f"channel), got {_describe(bias)}")


def _add_bias(y, bias, n, op):
    if bias is None:
        return y
    _check_bias(bias, y.shape[1], op)
    return y + reshape(bias, (y.shape[1],) + (1,) * n)


def _positive(values, what, op):
    if any(v < 1 for v in values):
        raise ValueError(f"{op}: {what} must be positive, got {values}")


# -- convolution --------------------------------------------------------------


def _convnd(n, input, weight, bias, stride, padding, dilation, groups):  # noqa: A002
    op = f"conv{n}d"
    parts = _floats(op, input, weight, *([] if bias is None else [bias]))
    x, w = parts[0], parts[1]
    x, unbatched = batched(x, n, op)
    if w.ndim != n + 2:
        raise RuntimeError(f"{op}: expected a {n + 2}-D weight (out_channels, "
                           f"in_channels / groups, *kernel), got shape {_describe(w)}")
    stride = ntuple(stride, n, "stride", op)
    dilation = ntuple(dilation, n, "dilation", op)
    _positive(stride, "stride", op)
    _positive(dilation, "dilation", op)
    if not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r}")
    c, o = x.shape[1], w.shape[0]
    if o % groups:
        raise RuntimeError(f"{op}: out_channels ({o}, weight shape {_describe(w)}) must be "
                           f"divisible by groups ({groups})")
    if c != w.shape[1] * groups:
        raise RuntimeError(
            f"{op}: input of shape {_describe(x)} has {c} channels, but weight of shape "
            f"{_describe(w)} with groups={groups} expects {w.shape[1] * groups} "
            f"(in_channels = weight.shape[1] * groups)")
    kernel = w.shape[2:]
    pads = _padding(padding, n, kernel, dilation, stride, op)
    for size, (lo, hi), k, d in zip(x.shape[2:], pads, kernel, dilation):
        if size + lo + hi < d * (k - 1) + 1:
            raise RuntimeError(
                f"{op}: kernel of size {tuple(kernel)} (dilation {dilation}) is larger than "
                f"the padded input: input {_describe(x)}, padding {pads}; pad more or use a "
                f"smaller kernel")
    g = Geometry(x.shape, w.shape, stride, pads, dilation, groups)
    if bias is None:
        y = bind(conv_p, (x, w), (g,))
    else:
        _check_bias(parts[2], o, op)
        y = bind(conv_bias_p, (x, w, parts[2]), (g,))
    return reshape(y, y.shape[1:]) if unbatched else y


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:  # noqa: A002
    """1-D convolution (cross-correlation) of ``input`` (N, C, L) with ``weight`` (O, C/groups, k).

    ``padding`` is an int, a tuple, ``'valid'`` or ``'same'``.

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.conv1d(wg.ones(1, 1, 5), wg.ones(1, 1, 3)).tolist()
    [[[3.0, 3.0, 3.0]]]
    """
    return _convnd(1, input, weight, bias, stride, padding, dilation, groups)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:  # noqa: A002
    """2-D convolution of ``input`` (N, C, H, W) with ``weight`` (O, C/groups, kH, kW).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.conv2d(wg.ones(1, 1, 4, 4), wg.ones(2, 1, 3, 3), padding=1).shape
    (1, 2, 4, 4)
    """
    return _convnd(2, input, weight, bias, stride, padding, dilation, groups)


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1) -> Tensor:  # noqa: A002
    """3-D convolution of ``input`` (N, C, D, H, W) with ``weight`` (O, C/groups, kD, kH, kW).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.conv3d(wg.ones(1, 2, 3, 3, 3), wg.ones(1, 2, 2, 2, 2)).shape
    (1, 1, 2, 2, 2)
    """
    return _convnd(3, input, weight, bias, stride, padding, dilation, groups)


# -- transposed convolution ---------------------------------------------------------


def _conv_transposend(n, input, weight, bias, stride, padding, output_padding, groups,  # noqa: A002
                      dilation):
    op = f"conv_transpose{n}d"
    parts = _floats(op, input, weight, *([] if bias is None else [bias]))
    y, w = parts[0], parts[1]
    y, unbatched = batched(y, n, op)
    if w.ndim != n + 2:
        raise RuntimeError(f"{op}: expected a {n + 2}-D weight (in_channels, "
                           f"out_channels / groups, *kernel), got shape {_describe(w)}")
    if not isinstance(groups, int) or groups < 1:
        raise ValueError(f"{op}: groups must be a positive int, got {groups!r}")
    stride = ntuple(stride, n, "stride", op)
    dilation = ntuple(dilation, n, "dilation", op)
    pads = ntuple(padding, n, "padding", op)
    extra = ntuple(output_padding, n, "output_padding", op)
    _positive(stride, "stride", op)
    _positive(dilation, "dilation", op)
    if any(p < 0 for p in pads + extra):
        raise ValueError(f"{op}: padding and output_padding must be non-negative, got "
                         f"{pads} and {extra}")
    if any(e >= max(s, d) for e, s, d in zip(extra, stride, dilation)):
        raise ValueError(f"{op}: output_padding {extra} must be smaller than stride {stride} "
                         f"or dilation {dilation}")
    c = y.shape[1]
    if c != w.shape[0] or c % groups:
        raise RuntimeError(
            f"{op}: input of shape {_describe(y)} has {c} channels, but weight of shape "
            f"{_describe(w)} expects weight.shape[0] = {w.shape[0]} (divisible by "
            f"groups={groups})")
    kernel = w.shape[2:]
    out = tuple((i - 1) * s - 2 * p + d * (k - 1) + e + 1
                for i, s, p, d, k, e in zip(y.shape[2:], stride, pads, dilation, kernel, extra))
    if any(o < 1 for o in out):
        raise RuntimeError(f"{op}: input {_describe(y)} with kernel {tuple(kernel)}, stride "
                           f"{stride}, padding {pads} gives an empty output {out}")
    x_shape = (y.shape[0], w.shape[1] * groups, *out)
    g = Geometry(x_shape, w.shape, stride, tuple((p, p) for p in pads), dilation, groups)
    if g.out_spatial != y.shape[2:]:  # output_padding past the last window (dilation > stride)
        g = g._replace(out=tuple(y.shape[2:]))
    x = _add_bias(bind(conv_transpose_p, (y, w), (g,)),
                  parts[2] if bias is not None else None, n, op)
    return reshape(x, x.shape[1:]) if unbatched else x


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0,  # noqa: A002
                     groups=1, dilation=1) -> Tensor:
    """1-D transposed convolution: ``weight`` is (C_in, C_out/groups, k); the adjoint of conv1d.

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.conv_transpose1d(wg.ones(1, 1, 3), wg.ones(1, 1, 2)).tolist()
    [[[1.0, 2.0, 2.0, 1.0]]]
    """
    return _conv_transposend(1, input, weight, bias, stride, padding, output_padding, groups,
                             dilation)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0,  # noqa: A002
                     groups=1, dilation=1) -> Tensor:
    """2-D transposed convolution: ``weight`` is (C_in, C_out/groups, kH, kW).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.conv_transpose2d(wg.ones(1, 1, 3, 3), wg.ones(1, 2, 2, 2), stride=2).shape
    (1, 2, 6, 6)
    """
    return _conv_transposend(2, input, weight, bias, stride, padding, output_padding, groups,
                             dilation)


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0,  # noqa: A002
                     groups=1, dilation=1) -> Tensor:
    """3-D transposed convolution: ``weight`` is (C_in, C_out/groups, kD, kH, kW).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.conv_transpose3d(wg.ones(1, 1, 2, 2, 2), wg.ones(1, 1, 2, 2, 2)).shape
    (1, 1, 3, 3, 3)
    """
    return _conv_transposend(3, input, weight, bias, stride, padding, output_padding, groups,
                             dilation)
