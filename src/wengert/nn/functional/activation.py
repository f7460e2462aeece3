"""Activation functions, with PyTorch's names, defaults and derivative conventions.

The piecewise functions are primitives whose rules pick PyTorch's one-sided slope at
each kink (``hardtanh`` passes no gradient at its bounds, ``leaky_relu`` takes the
negative slope at 0, ``elu`` the exponential branch at 0, ...), and whose second
derivatives are those of PyTorch's double-backward formulas there too. ``softplus``,
``logsigmoid`` and ``gelu`` are primitives for stability and speed; the rest are
composites.
"""

from __future__ import annotations

import math

import numpy as np

from ..._primitive import VALUE, Primitive, bind
from ..._tensor import Tensor
from ...autograd.linear import Mask
from ...ops import special
from ...ops._registry import REAL_ONLY, as_float_tensor, as_real_tensor, refuse_complex, tensor_arg
from ...ops.elementwise import relu as _relu
from ...ops.elementwise import sigmoid, tanh, where
from ...ops.inplace import commit

__all__ = ["celu", "elu", "gelu", "glu", "hardsigmoid", "hardswish", "hardtanh", "leaky_relu",
           "logsigmoid", "mish", "relu", "relu6", "selu", "sigmoid", "silu", "softplus",
           "softsign", "tanh", "threshold"]


def _in_place(input, result, inplace, op):  # noqa: A002
    return commit(input, result, op + "_") if inplace else result


def relu(input, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.relu(input, inplace=False)``: ``max(x, 0)``; the derivative at 0 is 0.

    >>> import wengert as wg
    >>> wg.nn.functional.relu(wg.tensor([-1.0, 2.0]))
    tensor([0., 2.])
    """
    return _in_place(input, _relu(input), inplace, "relu")


# -- hardtanh, relu6 -------------------------------------------------------------------

hardtanh_p = Primitive(
    "hardtanh", np.clip, save=(VALUE,), n_params=2,
    rule=(lambda ns, out, x, lo, hi: Mask((x > lo) & (x < hi)),))


def hardtanh(input, min_val: float = -1.0, max_val: float = 1.0,  # noqa: A002
             inplace: bool = False) -> Tensor:
    """``F.hardtanh``: ``x`` clamped to ``[min_val, max_val]``. Unlike ``clamp``, no
    gradient passes at the bounds themselves (PyTorch's convention).

    >>> import wengert as wg
    >>> wg.nn.functional.hardtanh(wg.tensor([-2.0, 0.5, 2.0]))
    tensor([-1.0,  0.5,  1.0])
    """
    if min_val > max_val:
        raise ValueError(f"hardtanh: min_val ({min_val}) must not exceed max_val ({max_val})")
    x = as_real_tensor(input, "hardtanh")
    out = bind(hardtanh_p, (x,), (float(min_val), float(max_val)))
    return _in_place(input, out, inplace, "hardtanh")


def relu6(input, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.relu6``: ``min(max(x, 0), 6)``; the derivative is 0 at 0 and at 6 (PyTorch).

    >>> import wengert as wg
    >>> wg.nn.functional.relu6(wg.tensor([-1.0, 3.0, 7.0]))
    tensor([0., 3., 6.])
    """
    x = as_real_tensor(input, "relu6")
    return _in_place(input, bind(hardtanh_p, (x,), (0.0, 6.0)), inplace, "relu6")


# -- leaky_relu ------------------------------------------------------------------------------


def _leaky_relu(x, slope):
    return np.where(x > 0, x, x * slope)


leaky_relu_p = Primitive(
    "leaky_relu", _leaky_relu, save=(VALUE,), n_params=1,
    rule=(lambda ns, out, x, slope: ns.astype(ns.where(x > 0, 1.0, slope), x.dtype),))


def leaky_relu(input, negative_slope: float = 0.01, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.leaky_relu``: ``x`` for ``x > 0``, else ``negative_slope * x`` (which is also the
    derivative at 0, as in PyTorch).

    >>> import wengert as wg
    >>> wg.nn.functional.leaky_relu(wg.tensor([-1.0, 2.0]), 0.1)
    tensor([-0.1,  2.0])
    """
    x = as_real_tensor(input, "leaky_relu")
    out = bind(leaky_relu_p, (x,), (float(negative_slope),))
    return _in_place(input, out, inplace, "leaky_relu")


# -- elu, selu, celu -------------------------------------------------------------------------


def _elu(x, alpha, scale, input_scale):
    negative = np.expm1(np.minimum(x, 0) * input_scale) * (alpha * scale)
    return np.where(x > 0, x * scale, negative)


def _elu_slope(ns, out, x, alpha, scale, input_scale):
    # For x <= 0 (0 included, as PyTorch) the exponential branch's slope, written with
    # the output; masking ``out`` at 0 makes the second derivative there 0, as PyTorch's.
    return ns.where(x > 0, scale, (out * (x < 0) + alpha * scale) * input_scale)


elu_p = Primitive("elu", _elu, save=(VALUE,), save_out=True, n_params=3, rule=(_elu_slope,))


def _elu_family(input, alpha, scale, input_scale, inplace, op):  # noqa: A002
    x = as_real_tensor(input, op)
    out = bind(elu_p, (x,), (float(alpha), float(scale), float(input_scale)))
    return _in_place(input, out, inplace, op)


def elu(input, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.elu``: ``x`` for ``x > 0``, else ``alpha * (exp(x) - 1)``.

    >>> import wengert as wg
    >>> wg.nn.functional.elu(wg.tensor([-1.0, 2.0]))
    tensor([-0.6321,  2.0000])
    """
    return _elu_family(input, alpha, 1.0, 1.0, inplace, "elu")


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.selu``: ``scale * elu(x, alpha)`` with the self-normalizing constants.

    >>> import wengert as wg
    >>> wg.nn.functional.selu(wg.tensor([-1.0, 2.0]))
    tensor([-1.1113,  2.1014])
    """
    return _elu_family(input, _SELU_ALPHA, _SELU_SCALE, 1.0, inplace, "selu")


def celu(input, alpha: float = 1.0, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.celu``: ``x`` for ``x > 0``, else ``alpha * (exp(x / alpha) - 1)``.

    >>> import wengert as wg
    >>> wg.nn.functional.celu(wg.tensor([-1.0, 2.0]), alpha=2.0)
    tensor([-0.7869,  2.0000])
    """
    if alpha == 0:
        raise ValueError("celu: alpha must not be 0 (it divides the input)")
    return _elu_family(input, alpha, 1.0, 1.0 / alpha, inplace, "celu")


# -- gelu -------------------------------------------------------------------------------------

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TANH_K = math.sqrt(2.0 / math.pi)
_TANH_C = 0.044715


def _gelu(x, approximate):
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(_TANH_K * (x + _TANH_C * x * x * x)))
    # x * Phi(x), with Phi from erfc: 1 + erf(x / sqrt 2) would cancel for negative x.
    return 0.5 * x * special.erfc(x * -_SQRT_HALF)


def _gelu_slope(ns, out, x, approximate):
    if approximate == "tanh":
        t = ns.tanh((x + x * x * x * _TANH_C) * _TANH_K)
        return (1 + t) * 0.5 + x * 0.5 * (1 - t * t) * (1 + x * x * (3 * _TANH_C)) * _TANH_K
    return ns.erfc(x * -_SQRT_HALF) * 0.5 + x * ns.exp(x * x * -0.5) * _INV_SQRT_2PI


gelu_p = Primitive("gelu", _gelu, save=(VALUE,), n_params=1, rule=(_gelu_slope,))


def gelu(input, approximate: str = "none") -> Tensor:  # noqa: A002
    """``F.gelu``: ``x * Phi(x)`` (``Phi`` the standard normal CDF), or with
    ``approximate='tanh'`` ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``.

    >>> import wengert as wg
    >>> wg.nn.functional.gelu(wg.tensor([-1.0, 1.0]))
    tensor([-0.1587,  0.8413])
    """
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', not {approximate!r}")
    return bind(gelu_p, (as_real_tensor(input, "gelu", REAL_ONLY),), (approximate,))


# -- softplus, logsigmoid ---------------------------------------------------------------------


def _softplus(x, beta, threshold):
    bx = x * beta if beta != 1 else x
    return np.where(bx > threshold, x, np.logaddexp(0, bx) / beta)


def _softplus_slope(ns, out, x, beta, threshold):
    bx = x * beta if beta != 1 else x
    # sigmoid(beta x) up to the threshold, 1 above it; at it, PyTorch's second derivative
    # is 0, so the slope there is the constant sigmoid(threshold).
    at_or_below = ns.where(bx < threshold, ns.sigmoid(bx), 0.5 + 0.5 * math.tanh(threshold / 2))
    return ns.where(bx > threshold, 1, at_or_below)


softplus_p = Primitive("softplus", _softplus, save=(VALUE,), n_params=2, rule=(_softplus_slope,))


def softplus(input, beta: float = 1.0, threshold: float = 20.0) -> Tensor:  # noqa: A002
    """``F.softplus``: ``log(1 + exp(beta x)) / beta``, and ``x`` itself where
    ``beta x > threshold``; no overflow for any ``x``.

    >>> import wengert as wg
    >>> wg.nn.functional.softplus(wg.tensor([-1000.0, 0.0, 1000.0]))
    tensor([0.0000e+00, 6.9315e-01, 1.0000e+03])
    """
    if beta == 0:
        raise ValueError("softplus: beta must not be 0 (it divides the result)")
    x = as_real_tensor(input, "softplus", REAL_ONLY)
    return bind(softplus_p, (x,), (float(beta), float(threshold)))


def _logsigmoid(x):
    return -np.logaddexp(0, -x)


logsigmoid_p = Primitive("logsigmoid", _logsigmoid, save=(VALUE,),
                         rule=(lambda ns, out, x: ns.sigmoid(-x),))


def logsigmoid(input) -> Tensor:  # noqa: A002
    """``F.logsigmoid``: ``log(sigmoid(x)) = -softplus(-x)``, without overflow.

    >>> import wengert as wg
    >>> wg.nn.functional.logsigmoid(wg.tensor([-1000.0, 0.0]))
    tensor([-1.0000e+03, -6.9315e-01])
    """
    return bind(logsigmoid_p, (as_real_tensor(input, "logsigmoid", REAL_ONLY),))


# -- hardswish, hardsigmoid ---------------------------------------------------------------------


def _hardswish(x):
    return x * np.clip(x + 3, 0, 6) / 6


def _hardswish_slope(ns, out, x):
    # 0 up to -3 and 1 from 3 on, both bounds included (PyTorch), x/3 + 1/2 between.
    return ns.where(x <= -3, 0, ns.where(x < 3, x / 3 + 0.5, 1))


hardswish_p = Primitive("hardswish", _hardswish, save=(VALUE,), rule=(_hardswish_slope,))


def hardswish(input, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.hardswish``: ``x * relu6(x + 3) / 6``; its derivative is 0 at -3 and 1 at 3.

    >>> import wengert as wg
    >>> wg.nn.functional.hardswish(wg.tensor([-4.0, 1.0, 4.0]))
    tensor([-0.0000,  0.6667,  4.0000])
    """
    x = as_real_tensor(input, "hardswish")
    return _in_place(input, bind(hardswish_p, (x,)), inplace, "hardswish")


def hardsigmoid(input, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.hardsigmoid``: ``relu6(x + 3) / 6``; its derivative is 0 at -3 and 3 (PyTorch).

    >>> import wengert as wg
    >>> wg.nn.functional.hardsigmoid(wg.tensor([-4.0, 0.0, 4.0]))
    tensor([0.0, 0.5, 1.0])
    """
    x = as_real_tensor(input, "hardsigmoid")
    return _in_place(input, hardtanh(x + 3, 0.0, 6.0) / 6, inplace, "hardsigmoid")


# -- composites ---------------------------------------------------------------------------------


def silu(input, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.silu`` (swish): ``x * sigmoid(x)``.

    >>> import wengert as wg
    >>> wg.nn.functional.silu(wg.tensor([-1.0, 1.0]))
    tensor([-0.2689,  0.7311])
    """
    x = as_float_tensor(input, "silu")
    return _in_place(input, x * sigmoid(x), inplace, "silu")


def mish(input, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.mish``: ``x * tanh(softplus(x))``.

    >>> import wengert as wg
    >>> wg.nn.functional.mish(wg.tensor([-1.0, 1.0]))
    tensor([-0.3034,  0.8651])
    """
    x = as_real_tensor(input, "mish", REAL_ONLY)
    return _in_place(input, x * tanh(softplus(x)), inplace, "mish")


def softsign(input) -> Tensor:  # noqa: A002
    """``F.softsign``: ``x / (1 + |x|)``.

    >>> import wengert as wg
    >>> wg.nn.functional.softsign(wg.tensor([-1.0, 3.0]))
    tensor([-0.50,  0.75])
    """
    x = as_float_tensor(input, "softsign")
    return x / (x.abs() + 1)


def threshold(input, threshold: float, value: float, inplace: bool = False) -> Tensor:  # noqa: A002
    """``F.threshold``: ``value`` where ``x <= threshold``, else ``x`` (so NaN stays NaN, as
    in PyTorch); the derivative is 0 where ``value`` is taken.

    >>> import wengert as wg
    >>> wg.nn.functional.threshold(wg.tensor([0.5, 2.0]), 1.0, -1.0)
    tensor([-1.,  2.])
    """
    x = tensor_arg(input)
    refuse_complex(x, "threshold")
    out = where(x <= threshold, float(value) if x.dtype.kind == "f" else value, x)
    return _in_place(input, out, inplace, "threshold")


def glu(input, dim: int = -1) -> Tensor:  # noqa: A002
    """``F.glu``: split ``input`` in halves ``a, b`` along ``dim``; ``a * sigmoid(b)``.

    >>> import wengert as wg
    >>> wg.nn.functional.glu(wg.tensor([[1.0, 2.0, 0.0, 100.0]]))
    tensor([[0.5, 2.0]])
    """
    x = as_real_tensor(input, "glu", REAL_ONLY)
    if x.ndim == 0:
        raise RuntimeError("glu: does not support 0-d (scalar) tensors; give it a dimension")
    if not -x.ndim <= dim < x.ndim:
        raise IndexError(f"glu: dim {dim} is out of range for a tensor of shape {x.shape} "
                         f"(expected -{x.ndim} <= dim < {x.ndim})")
    n = x.shape[dim]
    if n % 2:
        raise RuntimeError(f"glu: halving dimension {dim} needs an even size, but the input "
                           f"has shape {x.shape}")
    before = (slice(None),) * (dim % x.ndim)
    return x[(*before, slice(0, n // 2))] * sigmoid(x[(*before, slice(n // 2, n))])
