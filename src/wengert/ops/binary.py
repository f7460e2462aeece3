"""Two-input elementwise functions: ``atan2``, ``hypot``, ``fmod``, ``remainder``,
``floor_divide``, ``fmax``/``fmin``, ``logaddexp(2)``, ``xlogy``, ``copysign``, ``lerp``.

Each broadcasts, and takes a tensor, an array or a Python number on either side,
with PyTorch's type promotion (``binary_fn``). The derivative conventions at the
special points are PyTorch's; each rule says which.
"""

from __future__ import annotations

import math

import numpy as np

from .._primitive import VALUE, Primitive, binary_fn, bind, promote
from .._tensor import Tensor
from ..autograd.linear import IDENTITY, Mask, constant_rule
from ._registry import as_float_tensor, method, not_differentiable, supports_complex
from .complex import real_only

__all__ = ["atan2", "arctan2", "copysign", "floor_divide", "fmax", "fmin", "fmod", "hypot",
           "lerp", "logaddexp", "logaddexp2", "remainder", "xlogy"]


def _declare(name, impl, rule=None, floating=False, doc="", **primitive_options):
    """The primitive ``name``, its function (documented by ``doc``) and its method."""
    prim = Primitive(name, impl, rule=rule, broadcasts=True, **primitive_options)
    fn = binary_fn(prim, floating=floating)
    fn.__module__ = __name__
    fn.__doc__ = doc
    method(name)(fn)
    return fn


# -- atan2, hypot ----------------------------------------------------------------------


def _atan2_slopes(ns, x, y):
    """``1 / (x^2 + y^2)``, taken as 1 at the origin so that both slopes are 0 there
    (as PyTorch: their numerators vanish)."""
    r2 = x * x + y * y
    return ns.where(r2 == 0, 1, r2)


atan2 = _declare(
    "atan2", np.arctan2, floating=True, save=(VALUE, VALUE),
    rule=(lambda ns, out, y, x: x / _atan2_slopes(ns, x, y),
          lambda ns, out, y, x: -y / _atan2_slopes(ns, x, y)),
    doc="""``torch.atan2(input, other)``: the angle of the point ``(other, input)``, in
    ``[-pi, pi]``. Both slopes are 0 at the origin (PyTorch's convention).

    >>> import wengert as wg
    >>> wg.atan2(wg.tensor([1.0, -1.0]), wg.tensor([0.0, 0.0]))
    tensor([ 1.5708, -1.5708])
    """)
arctan2 = atan2
method("arctan2")(atan2)

hypot = _declare(
    "hypot", np.hypot, floating=True, save=(VALUE, VALUE), save_out=True, uses=((0,), (1,)),
    rule=(lambda ns, out, x, y: x / out, lambda ns, out, x, y: y / out),
    doc="""``torch.hypot(input, other)``: ``sqrt(input^2 + other^2)`` without overflow.

    >>> import wengert as wg
    >>> wg.hypot(wg.tensor([3.0]), wg.tensor([4.0]))
    tensor([5.])
    """)

# -- fmod, remainder, floor_divide ----------------------------------------------------


def _integral(v) -> bool:
    return v.dtype.kind in "biu" if hasattr(v, "dtype") else type(v) in (int, bool)


def _integer_division(ufunc, name):
    """``ufunc``, raising ``ZeroDivisionError`` for an integer division by zero (NumPy
    would give 0 and a warning; PyTorch raises)."""

    def impl(a, b):
        if _integral(b) and _integral(a) and not np.all(b):
            raise ZeroDivisionError(
                f"{name}: integer division by zero (a divisor of shape {np.shape(b)} is 0); "
                "convert to floating point to get inf or nan there instead")
        return ufunc(a, b)

    impl.__name__ = name
    return impl


fmod = _declare(
    "fmod", _integer_division(np.fmod, "fmod"), save=(VALUE, VALUE), uses=((), (0, 1)),
    rule=(constant_rule(IDENTITY), lambda ns, out, x, y: -ns.trunc(x / y)),
    doc="""``torch.fmod(input, other)``: the remainder of ``input / other`` rounded toward
    zero (C's ``fmod``: the sign of ``input``). Derivatives: 1 and ``-trunc(input / other)``.

    >>> import wengert as wg
    >>> wg.fmod(wg.tensor([5.5, -5.5]), 2.0)
    tensor([ 1.5, -1.5])
    """)

remainder = _declare(
    "remainder", _integer_division(np.remainder, "remainder"), save=(VALUE, VALUE),
    uses=((), (0, 1)),
    rule=(constant_rule(IDENTITY), lambda ns, out, x, y: -ns.floor(x / y)),
    doc="""``torch.remainder(input, other)``: Python's modulus (the sign of ``other``), also
    ``input % other``. Derivatives: 1 and ``-floor(input / other)``.

    >>> import wengert as wg
    >>> wg.remainder(wg.tensor([5.5, -5.5]), 2.0)
    tensor([1.5, 0.5])
    """)

floor_divide = not_differentiable(_declare(
    "floor_divide", _integer_division(np.floor_divide, "floor_divide"),
    doc="""``torch.floor_divide(input, other)``: ``floor(input / other)``, also
    ``input // other``; not differentiable (as in PyTorch).

    >>> import wengert as wg
    >>> wg.floor_divide(wg.tensor([5, -5]), 2)
    tensor([ 2, -3])
    """))

Tensor.__mod__, Tensor.__floordiv__ = remainder, floor_divide
Tensor.__rmod__ = lambda self, other: remainder(other, self)
Tensor.__rfloordiv__ = lambda self, other: floor_divide(other, self)

# -- fmax, fmin -------------------------------------------------------------------------


def _fmax_keeps_x(ns, x, y):
    """Where ``fmax(x, y)`` is ``x``: PyTorch gives the whole gradient to ``x`` on ties
    and where ``y`` is NaN (not half to each, as for ``maximum``)."""
    return (x >= y) | ns.isnan(y)


def _fmin_keeps_x(ns, x, y):
    return (x <= y) | ns.isnan(y)


fmax = _declare(
    "fmax", real_only(np.fmax, "fmax", 2), save=(VALUE, VALUE),
    rule=(lambda ns, out, x, y: Mask(_fmax_keeps_x(ns, x, y)),
          lambda ns, out, x, y: Mask(ns.logical_not(_fmax_keeps_x(ns, x, y)))),
    doc="""``torch.fmax(input, other)``: the elementwise maximum, ignoring NaN (NaN only where
    both are). On ties the whole gradient goes to ``input`` (PyTorch's convention).

    >>> import wengert as wg
    >>> wg.fmax(wg.tensor([1.0, float("nan")]), wg.tensor([2.0, 0.5]))
    tensor([2.0, 0.5])
    """)

fmin = _declare(
    "fmin", real_only(np.fmin, "fmin", 2), save=(VALUE, VALUE),
    rule=(lambda ns, out, x, y: Mask(_fmin_keeps_x(ns, x, y)),
          lambda ns, out, x, y: Mask(ns.logical_not(_fmin_keeps_x(ns, x, y)))),
    doc="""``torch.fmin(input, other)``: the elementwise minimum, ignoring NaN (NaN only where
    both are). On ties the whole gradient goes to ``input`` (PyTorch's convention).

    >>> import wengert as wg
    >>> wg.fmin(wg.tensor([1.0, float("nan")]), wg.tensor([2.0, 0.5]))
    tensor([1.0, 0.5])
    """)

# -- logaddexp, logaddexp2 --------------------------------------------------------------

_NO_COMPLEX_KERNEL = "PyTorch has no complex version of it either"


def _logaddexp(x, y):
    try:  # (no cost on the real path: NumPy's ufunc refuses complex operands)
        return np.logaddexp(x, y)
    except TypeError:
        if np.iscomplexobj(x) or np.iscomplexobj(y):
            return _complex_logaddexp(np.asarray(x), np.asarray(y))
        raise


def _complex_logaddexp(x, y):
    """PyTorch's complex ``logaddexp``: ``big + log1p(exp(small - big))``, ``big`` the operand
    with the larger real part (so the exponential cannot overflow). The imaginary part is
    not wrapped to ``(-pi, pi]``."""
    x, y = np.broadcast_arrays(x, y)
    x_big = x.real >= y.real
    big, small = np.where(x_big, x, y), np.where(x_big, y, x)
    with np.errstate(invalid="ignore"):
        out = big + np.log1p(np.exp(small - big))
    # exp(-inf - -inf) is NaN: both parts' exponentials vanish, the sum is the bigger one.
    return np.asarray(np.where(np.isneginf(big.real), big, out))


def _share(ns, out, x, y):
    """``x - out``, the log of ``x``'s share of the sum, with 0 (all of it) where ``x`` is
    ``out`` and ``y`` is not: ``inf - inf`` would be NaN where ``x`` is an infinity that
    ``y`` is not (PyTorch's slope there is 1, the other's 0). With both infinite it
    stays NaN, as in PyTorch."""
    return ns.where((x == out) & (y != out), 0, x - out)


logaddexp = _declare(
    "logaddexp", _logaddexp, floating=True, save=(VALUE, VALUE), save_out=True,
    rule=(lambda ns, out, x, y: ns.exp(_share(ns, out, x, y)),
          lambda ns, out, x, y: ns.exp(_share(ns, out, y, x))),
    doc="""``torch.logaddexp(input, other)``: ``log(exp(input) + exp(other))``, without
    overflow or underflow.

    >>> import wengert as wg
    >>> wg.logaddexp(wg.tensor([1000.0, 0.0]), wg.tensor([1000.0, 0.0]))
    tensor([1.0007e+03, 6.9315e-01])
    """)

logaddexp2 = _declare(
    "logaddexp2", real_only(np.logaddexp2, "logaddexp2", 2, _NO_COMPLEX_KERNEL), floating=True,
    save=(VALUE, VALUE), save_out=True,
    rule=(lambda ns, out, x, y: ns.exp2(_share(ns, out, x, y)),
          lambda ns, out, x, y: ns.exp2(_share(ns, out, y, x))),
    doc="""``torch.logaddexp2(input, other)``: ``log2(2^input + 2^other)``, without overflow.

    >>> import wengert as wg
    >>> wg.logaddexp2(wg.tensor([1.0]), wg.tensor([1.0]))
    tensor([2.])
    """)

# -- xlogy --------------------------------------------------------------------------------


def _xlogy(x, y):
    dtype = np.result_type(x, y)  # a Python number on one side takes the other's dtype
    with np.errstate(divide="ignore", invalid="ignore"):
        out = x * np.log(y)
    out = np.where((x == 0) & ~np.isnan(y), 0, out)  # 0 * log(0) = 0, but NaN stays NaN
    return out.astype(dtype, copy=False) if dtype.kind == "f" else out


def _xlogy_dx(ns, out, x, y):
    """``log(y)``; 0 where ``x == 0`` and ``y <= 0`` (PyTorch's convention)."""
    if type(y) in (int, float):
        if y > 0:
            return math.log(y)
        return ns.astype(ns.where(x == 0, 0, -math.inf if y == 0 else math.nan), x.dtype)
    return ns.log(ns.where((x == 0) & (y <= 0), 1, y))


xlogy = _declare(
    "xlogy", real_only(_xlogy, "xlogy", 2, _NO_COMPLEX_KERNEL), floating=True,
    save=(VALUE, VALUE), uses=((0, 1), (0, 1)),
    rule=(_xlogy_dx, lambda ns, out, x, y: x / y),
    doc="""``torch.xlogy(input, other)``: ``input * log(other)``, and 0 where ``input`` is 0
    (unless ``other`` is NaN). The derivative in ``input`` is 0 where ``input == 0`` and
    ``other <= 0``; in ``other`` it is ``input / other`` (NaN at 0/0), as in PyTorch.

    >>> import wengert as wg
    >>> wg.xlogy(wg.tensor([0.0, 2.0]), wg.tensor([0.0, 1.0]))
    tensor([0., 0.])
    """)

# -- copysign -------------------------------------------------------------------------------

copysign = _declare(
    "copysign", np.copysign, floating=True, save=(VALUE, None), save_out=True,
    uses=((0,), ()),
    rule=(lambda ns, out, x, y: ns.sign(out) * ns.sign(x), lambda ns, out, x, y: 0),
    doc="""``torch.copysign(input, other)``: ``|input|`` with the sign of ``other``. The
    derivative in ``input`` is +-1 (0 where ``input`` is 0), in ``other`` 0 (PyTorch).

    >>> import wengert as wg
    >>> wg.copysign(wg.tensor([1.0, -2.0]), -1.0)
    tensor([-1., -2.])
    """)

# -- lerp -------------------------------------------------------------------------------------


def _lerp(start, end, weight):
    # PyTorch's formula: exact at both ends (weight 0 gives start, weight 1 gives end).
    diff = end - start
    return np.where(weight < 0.5, start + weight * diff, end - diff * (1 - weight))


lerp_p = Primitive("lerp", _lerp, save=(VALUE, VALUE, VALUE), uses=((2,), (2,), (0, 1)),
                   broadcasts=True,
                   rule=(lambda ns, out, a, b, w: 1 - w,
                         lambda ns, out, a, b, w: w,
                         lambda ns, out, a, b, w: b - a))


@method()
def lerp(input, end, weight) -> Tensor:  # noqa: A002
    """``torch.lerp(input, end, weight)``: ``input + weight * (end - input)``, broadcasting;
    ``weight`` is a number or a tensor.

    >>> import wengert as wg
    >>> wg.lerp(wg.tensor([0.0, 1.0]), wg.tensor([10.0, 2.0]), 0.25)
    tensor([2.50, 1.25])
    """
    input = as_float_tensor(input, "lerp")  # noqa: A001
    end = as_float_tensor(end, "lerp")
    if input.dtype != end.dtype:
        input, end = promote(input, end)  # noqa: A001
    if isinstance(weight, (int, float, np.number)):
        weight = float(weight)  # a NumPy float64 scalar would make float32 inputs float64
    else:
        weight = as_float_tensor(weight, "lerp")
        if weight.dtype != input.dtype:
            raise TypeError(f"lerp: weight has dtype {weight.dtype} but input and end have "
                            f"{input.dtype}; convert it with .to({input.dtype})")
    return bind(lerp_p, (input, end, weight))

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    lerp,
    logaddexp,
)  # noqa: F821
