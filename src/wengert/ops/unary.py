"""More one-input elementwise functions: exponentials, logarithms, (inverse) trigonometric
and hyperbolic functions, the error functions, rounding, ``logit``, ``nan_to_num``.

The rows of ``_UNARY`` declare primitives exactly as ``elementwise._UNARY`` does (forward,
what the rule saves, the derivative); the functions with parameters follow as their own
blocks, and the composites close the module.
"""

from __future__ import annotations

import math

import numpy as np

from .._backend import get_default_dtype
from .._primitive import VALUE, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import DivideBy, Mask
from . import special
from ._registry import method, refuse_complex, supports_complex, tensor_arg
from .complex import real_only
from .elementwise import declare_unary, mul, sub

_LN2, _LN10 = math.log(2.0), math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SQRT_PI_OVER_TWO = math.sqrt(math.pi) / 2.0


def _reciprocal(x):
    return 1 / x


def _rsqrt(x):
    return 1 / np.sqrt(x)


_SINC_SLOPE_SERIES = tuple((-1) ** k * 2 * k * math.pi ** (2 * k) / math.factorial(2 * k + 1)
                           for k in range(5, 0, -1))
_SINC_SERIES_BELOW = 0.05


def _sinc_slope(ns, y, x):
    """``(cos(pi x) - sinc(x)) / x``, which cancels near 0: there (|x| < 0.05) the Taylor
    series of the slope instead, exact to 1e-16, which also gives the right higher
    derivatives at 0 (PyTorch's second derivative there is NaN)."""
    if x.dtype.kind == "c":
        small = ns.abs(x) < _SINC_SERIES_BELOW
    else:
        small = (x < _SINC_SERIES_BELOW) & (x > -_SINC_SERIES_BELOW)
    xs = ns.where(small, x, 0)
    z = xs * xs
    series = _SINC_SLOPE_SERIES[0]
    for c in _SINC_SLOPE_SERIES[1:]:
        series = series * z + c
    formula = (ns.cos(x * math.pi) - y) / ns.where(small, 1, x)
    return ns.where(small, series * xs, formula)


_NO_COMPLEX_KERNEL = "PyTorch has no complex version of it either"


def _zero_slope(ns, y, x):
    return 0  # a zero gradient (PyTorch's convention for the rounding functions)


# (name, forward, saves x?, saves out?, d out / d x, description)
_UNARY = [
    ("exp2", np.exp2, False, True, lambda ns, y, x: y * _LN2, "2 raised to each element"),
    ("expm1", np.expm1, False, True, lambda ns, y, x: y + 1,
     "``exp(x) - 1``, accurate near 0"),
    ("log2", np.log2, True, False, lambda ns, y, x: DivideBy(x * _LN2), "base-2 logarithm"),
    ("log10", np.log10, True, False, lambda ns, y, x: DivideBy(x * _LN10),
     "base-10 logarithm"),
    ("log1p", np.log1p, True, False, lambda ns, y, x: DivideBy(x + 1),
     "``log(1 + x)``, accurate near 0"),
    ("rsqrt", _rsqrt, False, True, lambda ns, y, x: y * y * y * -0.5,
     "reciprocal square root ``1 / sqrt(x)``"),
    ("square", np.square, True, False, lambda ns, y, x: 2 * x, "square ``x * x``"),
    ("reciprocal", _reciprocal, False, True, lambda ns, y, x: -(y * y), "reciprocal ``1 / x``"),
    # (1 - x)(1 + x), not 1 - x*x: that keeps its digits near +-1.
    ("asin", np.arcsin, True, False, lambda ns, y, x: DivideBy(ns.sqrt((1 - x) * (1 + x))),
     "inverse sine"),
    ("acos", np.arccos, True, False, lambda ns, y, x: DivideBy(-ns.sqrt((1 - x) * (1 + x))),
     "inverse cosine"),
    ("atan", np.arctan, True, False, lambda ns, y, x: DivideBy(1 + x * x), "inverse tangent"),
    ("sinh", np.sinh, True, False, lambda ns, y, x: ns.cosh(x), "hyperbolic sine"),
    ("cosh", np.cosh, True, False, lambda ns, y, x: ns.sinh(x), "hyperbolic cosine"),
    ("asinh", np.arcsinh, True, False, lambda ns, y, x: DivideBy(ns.sqrt(x * x + 1)),
     "inverse hyperbolic sine"),
    # sqrt(x - 1) sqrt(x + 1), not sqrt((x - 1)(x + 1)): the two agree for real x but
    # not for complex x with a negative real part, where only the first is acosh's slope
    # on its principal branch (the other has the opposite sign).
    ("acosh", np.arccosh, True, False,
     lambda ns, y, x: DivideBy(ns.sqrt(x - 1) * ns.sqrt(x + 1)), "inverse hyperbolic cosine"),
    ("atanh", np.arctanh, True, False, lambda ns, y, x: DivideBy((1 - x) * (1 + x)),
     "inverse hyperbolic tangent"),
    ("erf", special.erf, True, False, lambda ns, y, x: ns.exp(-(x * x)) * _TWO_OVER_SQRT_PI,
     "error function ``2/sqrt(pi) * integral_0^x exp(-t^2) dt``"),
    ("erfc", special.erfc, True, False,
     lambda ns, y, x: ns.exp(-(x * x)) * -_TWO_OVER_SQRT_PI,
     "complementary error function ``1 - erf(x)``, accurate in the tail"),
    ("erfinv", special.erfinv, False, True, lambda ns, y, x: ns.exp(y * y) * _SQRT_PI_OVER_TWO,
     "inverse error function on [-1, 1]"),
    ("sinc", np.sinc, True, True, _sinc_slope,
     "normalized sinc ``sin(pi x) / (pi x)`` (1 at 0)"),
    ("floor", np.floor, False, False, _zero_slope,
     "floor (integers stay integers; the derivative is 0, as in PyTorch)"),
    ("ceil", np.ceil, False, False, _zero_slope,
     "ceiling (integers stay integers; the derivative is 0, as in PyTorch)"),
    ("trunc", np.trunc, False, False, _zero_slope,
     "rounding toward 0 (integers stay integers; the derivative is 0, as in PyTorch)"),
]

__all__ = declare_unary(
    _UNARY, globals(), keep_integers={"square", "floor", "ceil", "trunc"},
    examples={"acosh": "[1.5, 2.0]", "asin": "[0.5, -0.25]", "acos": "[0.5, -0.25]",
              "atanh": "[0.5, -0.25]", "erfinv": "[0.5, -0.25]"})
__all__ += ["deg2rad", "frac", "fix", "logit", "nan_to_num", "rad2deg", "round"]
Tensor.__floor__, Tensor.__ceil__, Tensor.__trunc__ = floor, ceil, trunc  # noqa: F821
method("arcsin")(asin)  # noqa: F821 - NumPy's names, as PyTorch has them too
method("arccos")(acos)  # noqa: F821
method("arctan")(atan)  # noqa: F821
method("arcsinh")(asinh)  # noqa: F821
method("arccosh")(acosh)  # noqa: F821
method("arctanh")(atanh)  # noqa: F821


def _floating(x) -> Tensor:
    """A tensor argument; integers become the default float dtype (as PyTorch's ``logit``)."""
    t = tensor_arg(x)
    return t if t.dtype.kind in "fc" else t.to(get_default_dtype())


# -- round(decimals=) ------------------------------------------------------------

round_p = Primitive("round", real_only(np.round, "round"), n_params=1,
                    rule=(lambda ns, y, x, decimals: 0,))


@method()
def round(input, *, decimals: int = 0) -> Tensor:  # noqa: A001, A002
    """``torch.round(input, *, decimals=0)``: round half to even, to ``decimals`` places.

    Integers stay integers; the derivative is 0 (PyTorch's convention).

    >>> import wengert as wg
    >>> wg.round(wg.tensor([0.5, 1.5, 2.567]), decimals=0)
    tensor([0., 2., 3.])
    """
    if not isinstance(decimals, (int, np.integer)) or isinstance(decimals, bool):
        raise TypeError(f"round: decimals must be an int, got {decimals!r}")
    return bind(round_p, (tensor_arg(input),), (int(decimals),))


# -- logit(eps=) -------------------------------------------------------------------


def _logit(x, eps):
    if eps is not None:
        x = np.clip(x, eps, 1 - eps)
    return np.log(x / (1 - x))


def _logit_slope(ns, y, x, eps):
    if eps is None:
        return DivideBy(x * (1 - x))
    # As PyTorch: 0 outside [eps, 1 - eps] (where the input was clamped), which
    # dividing by inf there gives without a second mask.
    return DivideBy(ns.where((x >= eps) & (x <= 1 - eps), x * (1 - x), math.inf))


logit_p = Primitive("logit", real_only(_logit, "logit", why=_NO_COMPLEX_KERNEL), save=(VALUE,),
                    n_params=1, rule=(_logit_slope,))


@method()
def logit(input, eps=None) -> Tensor:  # noqa: A002
    """``log(x / (1 - x))``, the inverse of ``sigmoid``; with ``eps``, ``x`` is first
    clamped to ``[eps, 1 - eps]`` (and the derivative is 0 outside it).

    >>> import wengert as wg
    >>> wg.logit(wg.tensor([0.5, 0.75]))
    tensor([0.0000, 1.0986])
    """
    if eps is not None and not isinstance(eps, (int, float, np.floating, np.integer)):
        raise TypeError(f"logit: eps must be a number or None, got {eps!r}")
    return bind(logit_p, (_floating(input),), (None if eps is None else float(eps),))


# -- nan_to_num ----------------------------------------------------------------------


def _nan_to_num(x, nan, posinf, neginf):
    return np.nan_to_num(x, copy=True, nan=nan, posinf=posinf, neginf=neginf)


nan_to_num_p = Primitive(
    "nan_to_num", _nan_to_num, save=(VALUE,), n_params=3,
    rule=(lambda ns, y, x, nan, posinf, neginf: Mask(ns.abs(x) < math.inf),))


@method()
def nan_to_num(input, nan=0.0, posinf=None, neginf=None) -> Tensor:  # noqa: A002
    """Replace NaN by ``nan`` and +-inf by ``posinf``/``neginf`` (default: the dtype's
    largest and smallest finite values). The derivative is 1 at finite values, else 0.

    >>> import wengert as wg
    >>> wg.nan_to_num(wg.tensor([float("nan"), 1.0, -float("inf")]), neginf=-9.0)
    tensor([ 0.,  1., -9.])
    """
    return bind(nan_to_num_p, (tensor_arg(input),), (nan, posinf, neginf))


# -- composites ----------------------------------------------------------------------


@method()
def frac(input) -> Tensor:  # noqa: A002
    """The fractional part ``x - trunc(x)`` (same sign as ``x``); its derivative is 1.

    >>> import wengert as wg
    >>> wg.frac(wg.tensor([1.25, -1.25]))
    tensor([ 0.25, -0.25])
    """
    refuse_complex(tensor_arg(input), "frac")
    return sub(input, trunc(input))  # noqa: F821


@method()
def deg2rad(input) -> Tensor:  # noqa: A002
    """Degrees to radians, ``x * pi / 180``.

    >>> import wengert as wg
    >>> wg.deg2rad(wg.tensor([180.0]))
    tensor([3.1416])
    """
    refuse_complex(tensor_arg(input), "deg2rad", _NO_COMPLEX_KERNEL)
    return mul(input, math.pi / 180.0)


@method()
def rad2deg(input) -> Tensor:  # noqa: A002
    """Radians to degrees, ``x * 180 / pi``.

    >>> import wengert as wg
    >>> wg.rad2deg(wg.tensor([3.141592653589793]))
    tensor([180.])
    """
    refuse_complex(tensor_arg(input), "rad2deg", _NO_COMPLEX_KERNEL)
    return mul(input, 180.0 / math.pi)


fix = trunc  # noqa: F821 - PyTorch's alias
method("fix")(fix)

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch (by name: most
# of these functions are declared from tables above).
_COMPLEX_NAMES = [
    "exp2", "expm1", "log2", "log10", "log1p", "rsqrt", "square", "reciprocal", "asin", "acos",
    "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "sinc", "nan_to_num",
]
supports_complex(*(globals()[name] for name in _COMPLEX_NAMES))
