"""Elementwise primitives: arithmetic, transcendental functions, selection.

Each block declares a primitive with its forward implementation and its
derivative rule (one function per input, returning a multiplier or a linear
map), then its public function. Rules compute with ``ns`` and Python
operators only, so they serve both the fast first-order path and recorded
higher-order differentiation.
"""

from __future__ import annotations

import cmath
import math
import operator

import numpy as np
from numpy import ndarray

from .._backend import ONES, get_default_dtype
from .._primitive import SPEC, VALUE, Primitive, binary_fn, bind, promote, unary_fn
from .._tensor import Tensor
from ..autograd.linear import (
    IDENTITY,
    NEGATE,
    OUTPUT,
    DivideBy,
    LinearMap,
    Mask,
    constant_rule,
    returns,
)
from ._registry import method, not_differentiable, supports_complex, tensor_arg
from .complex import _unordered, abs_rule, real_only

__all__ = [
    "add",
    "astype",
    "clamp",
    "clip",
    "div",
    "equal",
    "isnan",
    "logical_not",
    "maximum",
    "minimum",
    "mul",
    "neg",
    "pow",
    "sub",
    "where",
]

# -- arithmetic --------------------------------------------------------------
# The forward implementations are Python's operators, not NumPy's ufuncs: on
# NumPy scalars (0-d results) ``a * 2.0`` costs a tenth of ``np.multiply(a,
# 2.0)``, and on arrays the operator calls the same ufunc.

add_p = Primitive("add", operator.add, broadcasts=True,
                  rule=(constant_rule(IDENTITY), constant_rule(IDENTITY)))

sub_p = Primitive("sub", operator.sub, broadcasts=True,
                  rule=(constant_rule(IDENTITY), constant_rule(NEGATE)))

mul_p = Primitive("mul", operator.mul, save=(VALUE, VALUE), uses=((1,), (0,)), broadcasts=True,
                  rule=(returns(1), returns(0)))  # d(x y)/dx = y, d(x y)/dy = x

div_p = Primitive("div", operator.truediv, save=(None, VALUE), save_out=True, broadcasts=True,
                  rule=(lambda ns, out, x, y: DivideBy(y),
                        lambda ns, out, x, y: -(out / y)))

neg_p = Primitive("neg", operator.neg, save=(None,), rule=(constant_rule(NEGATE),))


def _pow_dx(ns, out, x, y):
    if type(y) in (int, float):
        if y == 0:
            return 0  # a zero gradient, not "no gradient": x**0 still depends on x
        return 2 * x if y == 2 else y * x ** (y - 1)
    return ns.where(y == 0, 0, y * x ** (y - 1))


def _pow_dy(ns, out, x, y):
    if type(x) in (int, float, complex):
        # A Python log keeps float32 float32 (a NumPy float64 scalar would not).
        if type(x) is complex:
            log_x = cmath.log(x) if x else -math.inf
        else:
            log_x = math.log(x) if x > 0 else (-math.inf if x == 0 else math.nan)
        return out * log_x if x != 0 else ns.where(_real_nonnegative(ns, y), 0, out * log_x)
    # 0 ** y is 0 for every y > 0: its slope in y is 0, not 0 * log(0) = nan.
    return ns.where((x == 0) & _real_nonnegative(ns, y), 0, out * ns.log(x))


def _real_nonnegative(ns, y):
    """``y >= 0``; for complex ``y``, a real number ``>= 0`` (PyTorch's test at ``0 ** y``)."""
    if y.dtype.kind != "c":
        return y >= 0
    return (ns.imag(y) == 0) & (ns.real(y) >= 0)


pow_p = Primitive("pow", operator.pow, save=(VALUE, VALUE), save_out=True, broadcasts=True,
                  rule=(_pow_dx, _pow_dy))


_add, _sub, _mul = (binary_fn(p, array_constants=True) for p in (add_p, sub_p, mul_p))
_pow = binary_fn(pow_p)  # its rule special-cases Python exponents (x ** 2)
_div = binary_fn(div_p, floating=True, array_constants=True)  # int / int gives floats
neg = unary_fn(neg_p)
neg.__doc__ = "``-input``."


def add(input, other, *, alpha=1) -> Tensor:  # noqa: A002
    """``input + alpha * other``, broadcasting.

    >>> import wengert as wg
    >>> wg.add(wg.tensor([1.0, 2.0]), 1.0)
    tensor([2., 3.])
    """
    return _add(input, other if alpha == 1 else _mul(other, alpha))


def sub(input, other, *, alpha=1) -> Tensor:  # noqa: A002
    """``input - alpha * other``, broadcasting."""
    return _sub(input, other if alpha == 1 else _mul(other, alpha))


def mul(input, other) -> Tensor:  # noqa: A002
    """``input * other``, broadcasting."""
    return _mul(input, other)


def div(input, other) -> Tensor:  # noqa: A002
    """``input / other`` (true division), broadcasting."""
    return _div(input, other)


def pow(input, exponent) -> Tensor:  # noqa: A001, A002
    """``input ** exponent``; either may be a tensor.

    At ``0 ** y`` the derivative in ``y`` is taken as 0 (not ``nan``), as in PyTorch.
    """
    return _pow(input, exponent)


# The operators are the specialized functions themselves: one call per op.
Tensor.__add__, Tensor.__sub__, Tensor.__mul__ = _add, _sub, _mul
Tensor.__truediv__, Tensor.__pow__ = _div, _pow
Tensor.__radd__ = lambda self, other: _add(other, self)
Tensor.__rsub__ = lambda self, other: _sub(other, self)
Tensor.__rmul__ = lambda self, other: _mul(other, self)
Tensor.__rtruediv__ = lambda self, other: _div(other, self)
Tensor.__rpow__ = lambda self, other: _pow(other, self)
Tensor.__neg__ = neg
Tensor.__pos__ = lambda self: self
for _f in (add, sub, mul, div, neg, pow):
    method(_f.__name__)(_f)
method("multiply")(mul)
method("divide", "true_divide")(div)
method("subtract")(sub)
method("negative")(neg)


# -- unary functions ---------------------------------------------------------
# (name, forward, saves x?, saves out?, derivative d out / d x, description)


def _tanh_slope(ns, y, x):
    # On an array, 1 as a 0-d array of y's dtype: NumPy makes the same value of a Python
    # 1, bit for bit, but converts it on every call, which doubles the ufunc call's cost.
    # (On a tensor or a NumPy scalar the rule uses the number itself.)
    return (ONES[y.dtype] if type(y) is ndarray else 1) - y * y


def _sigmoid(x):
    if x.dtype.kind == "c":  # (logaddexp has no complex loop)
        return 1 / (1 + np.exp(-x))
    # exp(-log(1 + exp(-x))) stays accurate for large |x| in both directions.
    return np.exp(-np.logaddexp(0, -x))


def _relu(x):
    if x.dtype.kind == "c":
        raise _unordered("relu", x)
    return np.maximum(x, 0)


def _sign(x):
    # NumPy has no sign for bools; PyTorch's is the bool itself.
    return x.copy() if x.dtype == np.bool_ else np.sign(x)


_UNARY = [
    ("exp", np.exp, False, True, returns(OUTPUT), "e raised to each element"),
    ("log", np.log, True, False, lambda ns, y, x: DivideBy(x), "natural logarithm"),
    ("sin", np.sin, True, False, lambda ns, y, x: ns.cos(x), "sine"),
    ("cos", np.cos, True, False, lambda ns, y, x: -ns.sin(x), "cosine"),
    ("tan", np.tan, False, True, lambda ns, y, x: 1 + y * y, "tangent"),
    ("tanh", np.tanh, False, True, _tanh_slope, "hyperbolic tangent"),
    ("sigmoid", _sigmoid, False, True, lambda ns, y, x: y * (1 - y),
     "logistic sigmoid 1 / (1 + exp(-x)), computed stably"),
    ("relu", _relu, False, True, lambda ns, y, x: Mask(y > 0),
     "max(x, 0); the derivative at 0 is 0"),
    ("sqrt", np.sqrt, False, True, lambda ns, y, x: DivideBy(2 * y), "square root"),
    ("abs", np.abs, True, False, abs_rule,
     "absolute value (the modulus of complex numbers); the derivative at 0 is 0"),
    ("sign", real_only(_sign, "sign (sgn is its complex version)"), False, False,
     lambda ns, y, x: 0, "-1, 0 or 1 by sign (derivative 0 everywhere)"),
]


def declare_unary(table, namespace: dict, keep_integers=(), examples=None) -> list[str]:
    """Declare the one-input primitives of ``table`` in the module ``namespace``.

    Each row is ``(name, forward, saves x?, saves out?, d out / d x, description)``;
    each gives a primitive ``<name>_p``, the function ``<name>`` (also a ``Tensor``
    method) and returns the names for ``__all__``. Integer inputs give the default
    float dtype, except for the names in ``keep_integers``. ``examples``: a doctest
    input (a list literal) for the names whose domain excludes ``[0.5, 1.0]``.
    """
    names = []
    for name, impl, saves_x, saves_out, derivative, description in table:
        prim = Primitive(name, impl, save=(VALUE if saves_x else None,), save_out=saves_out,
                         rule=(derivative,))
        fn = unary_fn(prim, floating=name not in keep_integers)
        fn.__module__ = namespace["__name__"]  # documented (and doctested) with that module
        example = (examples or {}).get(name, "[0.5, 1.0]")
        fn.__doc__ = (f"Elementwise {description}.\n\n"
                      f"    >>> import wengert as wg\n"
                      f"    >>> x = wg.tensor({example}, requires_grad=True)\n"
                      f"    >>> wg.{name}(x).sum().backward()  # x.grad holds d{name}/dx\n")
        method(name)(fn)
        namespace[name + "_p"], namespace[name] = prim, fn
        names.append(name)
    return names


__all__ += declare_unary(_UNARY, globals(), keep_integers={"relu", "abs", "sign"})
Tensor.__abs__ = globals()["abs"]
method("absolute")(globals()["abs"])


# -- binary selections -------------------------------------------------------


def _max_slope(ns, a, b, like):
    """d max(a, b) / da as PyTorch defines it: 1 where ``a`` wins (or is NaN),
    1/2 on a tie, 0 where it loses; in the dtype of the input ``like``."""
    return ns.astype(1 - (a < b) - 0.5 * (a == b), like.dtype)


maximum_p = Primitive("maximum", real_only(np.maximum, "maximum", 2), save=(VALUE, VALUE),
                      broadcasts=True,
                      rule=(lambda ns, out, x, y: _max_slope(ns, x, y, x),
                            lambda ns, out, x, y: _max_slope(ns, y, x, y)))

# d min(a, b) / da is d max(b, a) / db with the roles swapped.
minimum_p = Primitive("minimum", real_only(np.minimum, "minimum", 2), save=(VALUE, VALUE),
                      broadcasts=True,
                      rule=(lambda ns, out, x, y: _max_slope(ns, y, x, x),
                            lambda ns, out, x, y: _max_slope(ns, x, y, y)))

maximum = binary_fn(maximum_p)
maximum.__doc__ = "Elementwise maximum; on ties the gradient is split evenly (as PyTorch)."
minimum = binary_fn(minimum_p)
minimum.__doc__ = "Elementwise minimum; on ties the gradient is split evenly (as PyTorch)."


method("maximum")(maximum)
method("minimum")(minimum)

where_p = Primitive("where", np.where, save=(VALUE, None, None), broadcasts=True,
                    rule=(lambda ns, out, c, a, b: None,
                          lambda ns, out, c, a, b: Mask(c),
                          lambda ns, out, c, a, b: Mask(ns.logical_not(c))))


def where(condition, input, other) -> Tensor:  # noqa: A002
    """``input`` where ``condition`` holds, else ``other`` (broadcasting).

    The gradient flows only to the chosen side; the other side receives exact
    zeros, even where its own derivative would be inf or nan.
    """
    c = condition._data if isinstance(condition, Tensor) else np.asarray(condition)
    if c.dtype != np.bool_:
        raise TypeError(f"where: condition must be a bool tensor, got dtype {c.dtype}")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        input = tensor_arg(input)  # noqa: A001
    if isinstance(input, Tensor) and isinstance(other, Tensor):
        if input.dtype != other.dtype:
            input, other = promote(input, other)  # noqa: A001
    elif isinstance(input, Tensor):
        input = _float_for(input, other)  # noqa: A001
    else:
        other = _float_for(other, input)
    return bind(where_p, (c, input, other))


def _float_for(t: Tensor, number) -> Tensor:
    """An integer tensor combined with a Python float takes the default float dtype."""
    if isinstance(number, float) and t.dtype.kind in "biu":
        return t.to(get_default_dtype())
    return t


Tensor.where = lambda self, condition, other: where(condition, self, other)


def _clamp_mask(ns, out, x, lo, hi):
    if lo is None:
        return Mask(x <= hi)
    if hi is None:
        return Mask(x >= lo)
    return Mask((x >= lo) & (x <= hi))


clamp_p = Primitive("clamp", real_only(np.clip, "clamp"), save=(VALUE,), n_params=2,
                    rule=(_clamp_mask,))


def clamp(input, min=None, max=None) -> Tensor:  # noqa: A001, A002
    """Limit values to ``[min, max]``; the gradient passes where ``min <= x <= max``.

    ``min``/``max`` may be numbers or tensors (then gradients reach them too).
    """
    input = tensor_arg(input)  # noqa: A001
    if min is None and max is None:
        raise ValueError("clamp: at least one of min and max must be given")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        # As PyTorch: the input's gradient passes where min <= x <= max; a
        # bound gets it only where it is strictly the one chosen.
        out = input if min is None else where(input < min, min, input)
        return out if max is None else where(out > max, max, out)
    input = _float_for(input, min if isinstance(min, float) else max)  # noqa: A001
    return bind(clamp_p, (input,), (min, max))


clip = clamp
method("clamp", "clip")(clamp)


# -- dtype conversion --------------------------------------------------------


def _cast_rule(ns, out, x, dtype):
    return _Cast(x.dtype, dtype)


class _Cast(LinearMap):
    """``t -> t.astype(to)``: its adjoint casts back (real part for complex -> real)."""

    __slots__ = ("src", "dst")

    def __init__(self, src, dst):
        self.src, self.dst = src, dst

    def apply(self, ns, t):
        return ns.astype(t, self.dst)

    def transpose(self, ns, ct):
        return ns.astype(ct, self.src)


def _astype(x, dtype):
    if x.dtype.kind == "c" and dtype.kind != "c":
        x = x.real  # complex to real keeps the real part (NumPy would warn)
    return x.astype(dtype)


astype_p = Primitive("astype", _astype, save=(SPEC,), n_params=1,
                     rule=(_cast_rule,))


def astype(input, dtype) -> Tensor:  # noqa: A002
    """``input`` converted to ``dtype`` (differentiable between floating dtypes)."""
    input = tensor_arg(input)  # noqa: A001
    dtype = np.dtype(dtype)
    if input.dtype == dtype:
        return input
    out = bind(astype_p, (input,), (dtype,))
    if out._requires_grad and dtype.kind not in "fc":
        out = out.detach()  # integers carry no gradient
    return out


@method()
def to(self, *args, dtype=None, device=None, copy=False) -> Tensor:
    """Convert dtype (``t.to(wg.float64)``); a device argument must be ``'cpu'``."""
    for a in args:
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, str) or type(a).__name__ == "device":
            from .._creation import _check_device

            _check_device(a)
        else:
            dtype = a
    out = self if dtype is None else astype(self, dtype)
    return out.clone() if copy and out is self else out


method("type")(lambda self, dtype=None: str(self.dtype) if dtype is None else astype(self, dtype))
Tensor.float = lambda self: astype(self, np.float32)
Tensor.double = lambda self: astype(self, np.float64)
Tensor.half = lambda self: astype(self, np.float16)
Tensor.long = lambda self: astype(self, np.int64)
Tensor.int = lambda self: astype(self, np.int32)
Tensor.bool = lambda self: astype(self, np.bool_)


# -- comparisons and logic (not differentiable: results are bool) -----------

_COMPARISONS = [
    ("eq", operator.eq, "__eq__"), ("ne", operator.ne, "__ne__"),
    ("lt", real_only(operator.lt, "lt (<)", 2), "__lt__"),
    ("le", real_only(operator.le, "le (<=)", 2), "__le__"),
    ("gt", real_only(operator.gt, "gt (>)", 2), "__gt__"),
    ("ge", real_only(operator.ge, "ge (>=)", 2), "__ge__"),
    ("logical_and", np.logical_and, None),
    ("logical_or", np.logical_or, None), ("logical_xor", np.logical_xor, None),
]

for _name, _impl, _dunder in _COMPARISONS:
    _compare = binary_fn(Primitive(_name, _impl))
    _compare.__doc__ = f"Elementwise ``{_name}`` (bool result, not differentiable)."
    globals()[_name] = _compare
    method(_name)(_compare)
    if _dunder:
        setattr(Tensor, _dunder, _compare)
    not_differentiable(_compare)
__all__ += [_c[0] for _c in _COMPARISONS]


def _bitwise(name: str, ufunc, symbol: str):
    """PyTorch's ``bitwise_<name>`` (the operator ``symbol``): bit by bit on integers, the
    logical operation on bools (as ``logical_<name>``, but keeping an integer dtype);
    floating and complex tensors are refused. Integer results have no derivative, so
    no primitive is recorded."""

    def fn(input, other) -> Tensor:  # noqa: A002
        a, b = tensor_arg(input), tensor_arg(other)
        for t in (a, b):
            if t.dtype.kind not in "biu":
                raise TypeError(
                    f"bitwise_{name} ({symbol}) needs bool or integer tensors, got "
                    f"{a.dtype} and {b.dtype}; for a logical {name} of other dtypes use "
                    f"logical_{name}, e.g. wg.logical_{name}(x != 0, y != 0)")
        if a.dtype != b.dtype:
            a, b = promote(a, b)
        try:
            return Tensor(ufunc(a._data, b._data))
        except ValueError as e:
            raise RuntimeError(f"bitwise_{name}: shapes {a.shape} and {b.shape} do not "
                               f"broadcast ({e}); reshape one so they line up") from None

    fn.__name__ = fn.__qualname__ = f"bitwise_{name}"
    fn.__doc__ = (f"Elementwise bitwise {name} of integer or bool tensors (``a {symbol} b``); "
                  "not differentiable.")
    return not_differentiable(method()(fn))


bitwise_and = _bitwise("and", np.bitwise_and, "&")
bitwise_or = _bitwise("or", np.bitwise_or, "|")
bitwise_xor = _bitwise("xor", np.bitwise_xor, "^")
Tensor.__and__, Tensor.__or__, Tensor.__xor__ = bitwise_and, bitwise_or, bitwise_xor
__all__ += ["bitwise_and", "bitwise_or", "bitwise_xor"]
# ``t == None`` is False (and ``!=`` True), as for any Python object.
_eq, _ne = Tensor.__eq__, Tensor.__ne__
Tensor.__eq__ = lambda self, other: False if other is None else _eq(self, other)
Tensor.__ne__ = lambda self, other: True if other is None else _ne(self, other)
Tensor.__rand__ = Tensor.__and__
Tensor.__ror__ = Tensor.__or__
Tensor.__rxor__ = Tensor.__xor__
for _alias, _name in (("greater", "gt"), ("less", "lt"), ("greater_equal", "ge"),
                      ("less_equal", "le"), ("not_equal", "ne")):
    method(_alias)(globals()[_name])


@not_differentiable
@method()
def equal(input, other) -> bool:  # noqa: A002
    """True when both tensors have the same shape and the same values (PyTorch's ``equal``)."""
    input, other = tensor_arg(input), tensor_arg(other)  # noqa: A001
    return input.shape == other.shape and bool(np.array_equal(input._data, other._data))

isnan_p = Primitive("isnan", np.isnan)
isnan = not_differentiable(unary_fn(isnan_p))
isnan.__doc__ = "Elementwise test for NaN (bool result, not differentiable)."
method("isnan")(isnan)

logical_not_p = Primitive("logical_not", np.logical_not)
logical_not = not_differentiable(unary_fn(logical_not_p))
logical_not.__doc__ = "Elementwise not (bool result, not differentiable)."


method("logical_not")(logical_not)


def _invert(self):
    if self.dtype.kind not in "biu":
        raise TypeError(f"bitwise_not (~) needs a bool or integer tensor, not {self.dtype}; "
                        "for a logical not of other dtypes use logical_not, e.g. "
                        "wg.logical_not(x != 0)")
    return logical_not(self) if self.dtype == np.bool_ else Tensor(np.invert(self._data))


Tensor.__invert__ = _invert
bitwise_not = not_differentiable(method("bitwise_not")(_invert))
__all__ += ["bitwise_not"]

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch (by name: most
# of these functions are declared from tables above).
_COMPLEX_NAMES = [
    "add", "astype", "div", "mul", "neg", "pow", "sub", "where", "exp", "log", "sin", "cos",
    "tan", "tanh", "sigmoid", "sqrt", "abs", "equal", "isnan", "logical_not", "eq", "ne",
    "logical_and", "logical_or", "logical_xor",
]
supports_complex(*(globals()[name] for name in _COMPLEX_NAMES))
