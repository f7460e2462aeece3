"""Cumulative operations along one dimension: cumsum, cumprod, logcumsumexp, cummax, cummin.

cumsum's adjoint is a reversed cumsum. cumprod's derivative never divides by a zero
of the input (PyTorch's convention, exact to every order). logcumsumexp's derivative
is computed in log space by two primitives that are each other's transposes, so it
neither overflows nor loses an order. cummax/cummin select with ``take_along_axis``.
"""

from __future__ import annotations

import math
from collections import namedtuple

import numpy as np

from .._primitive import FAST, VALUE, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import LinearMap
from ._registry import method, refuse_complex, supports_complex, tensor_arg
from .reduce import _axis, _raw, accumulator_dtype, in_dtype, omitting_each, take_along_axis

__all__ = [
    "cummax",
    "cummin",
    "cumprod",
    "cumsum",
    "logcumsumexp",
]


def _flip(ns, x, axis: int):
    return ns.getitem(x, (slice(None),) * (axis % x.ndim) + (slice(None, None, -1),))


def reverse_cumsum(ns, x, axis: int):
    """``out[i] = sum(x[i:])`` along ``axis``: the adjoint of cumsum."""
    return _flip(ns, ns.cumsum(_flip(ns, x, axis), axis), axis)


# -- cumsum ----------------------------------------------------------------------


class _Cumsum(LinearMap):
    __slots__ = ("axis",)

    def __init__(self, axis):
        self.axis = axis

    def apply(self, ns, t):
        return ns.cumsum(t, self.axis)

    def transpose(self, ns, ct):
        return reverse_cumsum(ns, ct, self.axis)


cumsum_p = Primitive("cumsum", lambda x, axis: np.cumsum(x, axis=axis), n_params=1,
                     rule=(lambda ns, out, x, axis: _Cumsum(axis),))


# -- cumprod ---------------------------------------------------------------------


class _Cumprod(LinearMap):
    """The derivative of ``y = cumprod(x)``: ``dy[j] = sum_{i<=j} t[i] prod_{k<=j, k!=i} x[k]``.

    Without zeros it is ``y * cumsum(t / x)`` (transpose: ``reverse_cumsum(g * y) / x``).
    With zeros, on raw arrays (a first derivative), PyTorch's O(n) formula: up to a
    slice's first zero the division is safe; at the first zero only the terms that omit
    it survive (a cumprod with it replaced by 1); past it everything is 0. Recorded for
    a higher order, the formula must stay exact near the zeros too, so the products of
    the others are formed explicitly (n times the memory; only then).
    """

    __slots__ = ("x", "y", "axis", "zeros")

    def __init__(self, x, y, axis):
        self.x, self.y, self.axis = x, y, axis % x.ndim
        zeros = _raw(x) == 0
        self.zeros = zeros if zeros.any() else None

    def _masks(self, ns, x):
        """Before each slice's first zero; at it; and cumprod with it replaced by 1."""
        seen = np.cumsum(self.zeros, self.axis)
        before, first = seen == 0, self.zeros & (seen == 1)
        x_safe = ns.where(before, x, 1)
        return before, first, x_safe, ns.cumprod(ns.where(first, 1, x), self.axis)

    def _omitted_products(self, ns, x):
        """``c[..., i, j, ...] = prod_{k<=j, k!=i} x[k]`` where ``i <= j``, else 0 (a mask)."""
        n = x.shape[self.axis]
        c = ns.cumprod(omitting_each(ns, x, self.axis), self.axis + 1)
        lower = np.tri(n, dtype=bool).T.reshape((n, n) + (1,) * (self.x.ndim - self.axis - 1))
        return c, lower

    def apply(self, ns, t):
        x, y, axis = self.x, self.y, self.axis
        if self.zeros is None:
            return y * ns.cumsum(t / x, axis)
        if ns is FAST:
            before, first, x_safe, y_without = self._masks(ns, x)
            t_first = ns.sum(ns.where(first, t, 0), axis, True)
            return ns.where(before, y * ns.cumsum(t / x_safe, axis), t_first * y_without)
        c, lower = self._omitted_products(ns, x)
        t_i = ns.reshape(t, t.shape[:axis + 1] + (1,) + t.shape[axis + 1:])
        return ns.sum(ns.where(lower, t_i * c, 0), axis, False)

    def transpose(self, ns, ct):
        x, y, axis = self.x, self.y, self.axis
        if x.dtype.kind == "c":  # the conjugate transpose: every factor conjugated
            x, y = ns.conj(x), ns.conj(y)
        if self.zeros is None:
            return reverse_cumsum(ns, ct * y, axis) / x
        if ns is FAST:
            before, first, x_safe, y_without = self._masks(ns, x)
            at_first = ns.where(first, reverse_cumsum(ns, ct * y_without, axis), 0)
            return ns.where(before, reverse_cumsum(ns, ct * y, axis) / x_safe, at_first)
        c, lower = self._omitted_products(ns, x)
        ct_j = ns.reshape(ct, ct.shape[:axis] + (1,) + ct.shape[axis:])
        return ns.sum(ns.where(lower, ct_j * c, 0), axis + 1, False)


cumprod_p = Primitive("cumprod", lambda x, axis: np.cumprod(x, axis=axis), save=(VALUE,),
                      save_out=True, n_params=1,
                      rule=(lambda ns, out, x, axis: _Cumprod(x, out, axis),))


# -- logcumsumexp ------------------------------------------------------------------


def _log_parts(v):
    """``log(v)`` where ``v > 0`` and ``log(-v)`` where ``v < 0``; ``-inf`` elsewhere."""
    with np.errstate(divide="ignore"):
        log_abs = np.log(np.abs(v))
    return np.where(v > 0, log_abs, -np.inf), np.where(v < 0, log_abs, -np.inf)


def _logcumsumexp(x, axis):
    return np.logaddexp.accumulate(x, axis=axis)


def _lcse_jvp(t, x, y, axis):
    """``out[j] = sum_{i<=j} t[i] exp(x[i] - y[j])``, in log space (no overflow)."""
    pos, neg = _log_parts(t)
    with np.errstate(invalid="ignore"):
        return (np.exp(_logcumsumexp(pos + x, axis) - y)
                - np.exp(_logcumsumexp(neg + x, axis) - y))


def _lcse_vjp(g, x, y, axis):
    """``out[i] = sum_{j>=i} g[j] exp(x[i] - y[j])``, in log space (PyTorch's formula)."""
    pos, neg = _log_parts(g)

    def reverse_lcse(v):
        return np.flip(_logcumsumexp(np.flip(v, axis), axis), axis)

    with np.errstate(invalid="ignore"):
        return np.exp(reverse_lcse(pos - y) + x) - np.exp(reverse_lcse(neg - y) + x)


class _LcseJvp(LinearMap):
    """``t -> lcse_jvp(t, x, y)``; its transpose is ``lcse_vjp``."""

    __slots__ = ("x", "y", "axis")

    def __init__(self, x, y, axis):
        self.x, self.y, self.axis = x, y, axis

    def apply(self, ns, t):
        return ns.logcumsumexp_jvp(t, self.x, self.y, self.axis)

    def transpose(self, ns, ct):
        return ns.logcumsumexp_vjp(ct, self.x, self.y, self.axis)


class _LcseVjp(_LcseJvp):
    """``g -> lcse_vjp(g, x, y)``; its transpose is ``lcse_jvp``."""

    __slots__ = ()

    apply, transpose = _LcseJvp.transpose, _LcseJvp.apply


class _ScaledThen(LinearMap):
    """``t -> m(t * s)``: the derivative of a map that is linear in a first argument
    ``s`` with respect to a value it multiplies (``x`` in ``sum t[i] exp(x[i] - ...)``)."""

    __slots__ = ("s", "m")

    def __init__(self, s, m):
        self.s, self.m = s, m

    def apply(self, ns, t):
        return self.m.apply(ns, t * self.s)

    def transpose(self, ns, ct):
        return self.m.transpose(ns, ct) * self.s


# y is logcumsumexp(x) where these are used, but they are exact functions of (t, x, y)
# for any y: d/dx multiplies the first argument, d/dy scales the output by -1.
logcumsumexp_jvp_p = Primitive(
    "logcumsumexp_jvp", _lcse_jvp, save=(VALUE, VALUE, VALUE), save_out=True, n_params=1,
    uses=((1, 2), (0, 1, 2), ()),
    rule=(lambda ns, out, t, x, y, axis: _LcseJvp(x, y, axis),
          lambda ns, out, t, x, y, axis: _ScaledThen(t, _LcseJvp(x, y, axis)),
          lambda ns, out, t, x, y, axis: -out))

logcumsumexp_vjp_p = Primitive(
    "logcumsumexp_vjp", _lcse_vjp, save=(VALUE, VALUE, VALUE), save_out=True, n_params=1,
    uses=((1, 2), (), (0, 1, 2)),
    rule=(lambda ns, out, g, x, y, axis: _LcseVjp(x, y, axis),
          lambda ns, out, g, x, y, axis: out,
          lambda ns, out, g, x, y, axis: _ScaledThen(-g, _LcseVjp(x, y, axis))))

logcumsumexp_p = Primitive(
    "logcumsumexp", _logcumsumexp, save=(VALUE,), save_out=True, n_params=1,
    rule=(lambda ns, out, x, axis: _LcseJvp(x, out, axis),))


# -- public functions ----------------------------------------------------------------


def _scan(prim, input, dim, axis, op: str, dtype=None, floating=False):  # noqa: A002
    input = tensor_arg(input)  # noqa: A001
    if dim is None:
        dim = axis
    if dim is None:
        raise TypeError(f"{op}() missing required argument 'dim' (the dimension to scan "
                        f"along), e.g. x.{op}(0)")
    ax = _axis(dim, input.ndim, op)
    if not floating:
        dtype = accumulator_dtype(input, dtype)
    if dtype is not None:
        input = input.to(dtype)  # noqa: A001
    elif floating and input.dtype.kind in "biu":
        from .._backend import get_default_dtype

        input = input.to(get_default_dtype())  # noqa: A001
    if input.ndim == 0:
        return in_dtype(bind(prim, (input.reshape(1),), (0,)).reshape(()), dtype)
    return in_dtype(bind(prim, (input,), (ax,)), dtype)


@method()
def cumsum(input, dim=None, *, dtype=None, axis=None) -> Tensor:  # noqa: A002
    """Cumulative sum along ``dim``: ``out[i] = input[0] + ... + input[i]``.

    >>> import wengert as wg
    >>> wg.cumsum(wg.tensor([1.0, 2.0, 3.0]), 0)
    tensor([1., 3., 6.])
    """
    return _scan(cumsum_p, input, dim, axis, "cumsum", dtype)


@method()
def cumprod(input, dim=None, *, dtype=None, axis=None) -> Tensor:  # noqa: A002
    """Cumulative product along ``dim``; its gradient is exact at zeros (never divides by one).

    >>> import wengert as wg
    >>> wg.cumprod(wg.tensor([2.0, 0.0, 3.0]), 0)
    tensor([2., 0., 0.])
    """
    return _scan(cumprod_p, input, dim, axis, "cumprod", dtype)


@method()
def logcumsumexp(input, dim=None, *, axis=None) -> Tensor:  # noqa: A002
    """``log(cumsum(exp(input), dim))``, computed without overflow.

    >>> import wengert as wg
    >>> wg.logcumsumexp(wg.tensor([0.0, 0.0, 90.0]), 0)  # exp(90) would overflow float32
    tensor([ 0.0000,  0.6931, 90.0000])
    """
    input = tensor_arg(input)  # noqa: A001
    if input.dtype.kind == "c":
        return _complex_logcumsumexp(input, dim if dim is not None else axis)
    return _scan(logcumsumexp_p, input, dim, axis, "logcumsumexp", floating=True)


def _complex_logcumsumexp(z, dim) -> Tensor:
    """``log(cumsum(exp(z - c))) + c`` with ``c`` the largest real part along ``dim`` (a
    constant: it cancels, so it carries no gradient). The log is the principal one, so the
    imaginary part lies in ``(-pi, pi]`` shifted by ``Im(c) = 0``."""
    from .complex import real
    from .elementwise import exp, log
    from .reduce import amax

    if dim is None:
        raise TypeError("logcumsumexp() missing required argument 'dim' (the dimension to "
                        "scan along), e.g. x.logcumsumexp(0)")
    re = real(z).detach()
    c = amax(re, dim, True) if z.ndim else re
    c = c.where(c.abs() < math.inf, 0)  # an infinite maximum: shift by nothing
    return log(cumsum(exp(z - c), dim)) + c


_CumMax = namedtuple("cummax", ["values", "indices"])
_CumMin = namedtuple("cummin", ["values", "indices"])


def _running_extremum(input, dim, accumulate, op, kind):  # noqa: A002
    """``kind(values, indices)`` of a running max/min: a NaN, once seen, stays; among
    equal values the latest index is taken (as PyTorch); gradients go to that index."""
    input = tensor_arg(input)  # noqa: A001
    refuse_complex(input, op)
    axis = _axis(dim, input.ndim, op)
    if input.ndim == 0:
        return kind(input.clone(), Tensor(np.array(0)))
    x = input._data
    best = accumulate(x, axis=axis)
    hit = x == best
    if x.dtype.kind in "fc":
        hit |= np.isnan(x)
    positions = np.arange(x.shape[axis]).reshape((-1,) + (1,) * (x.ndim - axis - 1))
    idx = np.maximum.accumulate(np.where(hit, positions, 0), axis=axis)
    return kind(take_along_axis(input, idx, axis), Tensor(idx))


@method()
def cummax(input, dim) -> tuple:  # noqa: A002
    """``(values, indices)`` of the running maximum along ``dim``.

    >>> import wengert as wg
    >>> wg.cummax(wg.tensor([1.0, 3.0, 2.0, 3.0]), 0)
    cummax(values=tensor([1., 3., 3., 3.]), indices=tensor([0, 1, 1, 3]))
    """
    return _running_extremum(input, dim, np.maximum.accumulate, "cummax", _CumMax)


@method()
def cummin(input, dim) -> tuple:  # noqa: A002
    """``(values, indices)`` of the running minimum along ``dim``.

    >>> import wengert as wg
    >>> wg.cummin(wg.tensor([2.0, 1.0, 3.0, 1.0]), 0)
    cummin(values=tensor([2., 1., 1., 1.]), indices=tensor([0, 1, 1, 3]))
    """
    return _running_extremum(input, dim, np.minimum.accumulate, "cummin", _CumMin)

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    cumsum,
    cumprod,
    logcumsumexp,
)  # noqa: F821
