"""Linear maps: the local derivative of a primitive, usable in both modes.

A derivative rule returns, per input, the linear map from that input's
perturbation to the output's. Forward mode pushes a tangent through it
(``apply``: a JVP); reverse mode pulls a cotangent back through its adjoint
(``transpose``: a VJP). One rule thus serves both modes, and the two can never
drift apart: ``tests/test_linear.py`` checks ``<u, L v> == <L^T u, v>`` for
every map.

Most rules are elementwise and return a plain multiplier (an array, a tensor
or a number) instead of a map object; the engine treats it as ``Scale``. Maps
are written against a namespace ``ns`` of primitives (raw NumPy functions on
the fast path, recording wengert functions when a higher derivative is being
built), so the maps themselves are differentiable.

Complex data: ``transpose`` is the adjoint for the real inner product
``<a, b> = Re(sum(conj(a) * b))``, which makes a gradient ``dL/dx + i dL/dy``
(PyTorch's convention). For a complex-linear map that is the conjugate
transpose: a multiplier ``c`` pulls a cotangent back as ``ct * conj(c)``.
"""

from __future__ import annotations

import numpy as np

LINEAR_MAP_TYPES: set[type] = set()
"""Every LinearMap class; the engine tests ``type(m) in LINEAR_MAP_TYPES``."""

COMPLEX_DTYPES = frozenset({np.dtype(np.complex64), np.dtype(np.complex128)})
"""``dtype in COMPLEX_DTYPES`` is the cheapest test for complex data on the hot path."""

REAL_SCALAR_TYPES = frozenset({np.float64, np.float32, np.float16})
"""NumPy's real scalar types (0-d results): ``type(x) in`` it is cheaper than ``x.dtype``."""

_SAME_SIZE_INT = {np.dtype(f): np.dtype(i) for f, i in
                  ((np.float16, np.int16), (np.float32, np.int32), (np.float64, np.int64))}


def _select_bits(mask, t, bits):
    """``where(mask, t, 0)`` on float arrays of one shape, bit for bit, without branches.

    NumPy's ``where`` (and every masked copy) branches per element, so on a mask
    like ReLU's, half on at random, it runs at a misprediction per element: ten
    times slower than arithmetic. Multiplying ``t``'s bits, as integers, by the
    mask (0 or 1) is branch-free and gives the same result (``+0.0`` where off,
    ``t`` exactly where on, NaN and inf included) in one pass that casts the
    mask in cache-sized pieces: about 15% faster than ``t & (0 - mask)``, which
    needed the mask widened, negated and then combined (four passes).
    """
    return np.multiply(t.view(bits), mask).view(t.dtype)


def quiet_rules():
    """The floating-point error state rules run under, in both modes: rules evaluate
    derivatives at singular points (log at 0, 0/0, inf * 0) on branches that a mask or
    a zero weight then discards, so NumPy's warnings about them would be noise."""
    return np.errstate(divide="ignore", invalid="ignore", over="ignore")


try:  # NumPy >= 2.0 keeps the error state in a context variable
    from numpy._core.umath import _extobj_contextvar as _ERRSTATE
except ImportError:  # pragma: no cover - another NumPy layout: np.errstate itself
    _ERRSTATE = None

_QUIET: dict = {}
"""NumPy's error state -> the same with ``quiet_rules()``'s settings (made once per state)."""


def enter_quiet():
    """Enter ``quiet_rules()``'s error state; ``exit_quiet(token)`` leaves it.

    The same state as ``with quiet_rules():`` (everything not set there, ``under``
    included, stays as the caller had it), for the paths that enter it on every
    call (each ``backward()``, each cross-entropy): ``np.errstate`` parses its
    settings and builds the state anew each time, a fifth of a small layer's cost.
    """
    if _ERRSTATE is None:  # pragma: no cover
        state = quiet_rules()
        state.__enter__()
        return state
    current = _ERRSTATE.get()
    quiet = _QUIET.get(current)
    if quiet is None:
        if len(_QUIET) > 64:  # states made and dropped by the caller: don't keep them all
            _QUIET.clear()
        with quiet_rules():
            quiet = _QUIET[current] = _ERRSTATE.get()
    return _ERRSTATE.set(quiet)


def exit_quiet(token) -> None:
    """Restore the error state ``enter_quiet()`` replaced."""
    if _ERRSTATE is None:  # pragma: no cover
        token.__exit__(None, None, None)
    else:
        _ERRSTATE.reset(token)


class LinearMap:
    """Base class: subclasses define ``apply`` (JVP) and ``transpose`` (VJP)."""

    __slots__ = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        LINEAR_MAP_TYPES.add(cls)

    def apply(self, ns, t):  # pragma: no cover - interface
        raise NotImplementedError

    def transpose(self, ns, ct):  # pragma: no cover - interface
        raise NotImplementedError


class _Identity(LinearMap):
    __slots__ = ()

    def apply(self, ns, t):
        return t

    transpose = apply

    def __repr__(self):
        return "IDENTITY"


class _Negate(LinearMap):
    __slots__ = ()

    def apply(self, ns, t):
        return -t

    transpose = apply

    def __repr__(self):
        return "NEGATE"


IDENTITY = _Identity()
NEGATE = _Negate()


# -- rules the engine need not call ---------------------------------------------------

KNOWN_RULES: dict = {}
"""Rules whose result is known without calling them, by function: a constant map
(``add``'s ``IDENTITY``) or the index of the saved value they return (``OUTPUT`` for the
output). The engine reads the map off the node instead of calling the rule (a Python
call costs about 600 instructions, the read about 100), and most of a program's edges
(``+``, ``-``, ``*``, ``exp``) have such rules. Every other caller just calls them."""

OUTPUT = -1
"""``returns(OUTPUT)``: the rule's map is the primitive's output (``exp``)."""


def constant_rule(m: LinearMap):
    """The rule whose map is always ``m`` (``IDENTITY`` for both inputs of ``add``)."""
    def rule(ns, out, *saved):
        return m

    KNOWN_RULES[rule] = m
    return rule


def returns(k: int):
    """The rule whose multiplier is saved value ``k`` (``mul``'s ``y`` for ``x``), or the
    output for ``k = OUTPUT`` (``exp``)."""
    if k == OUTPUT:
        def rule(ns, out, *saved):
            return out
    else:
        def rule(ns, out, *saved):
            return saved[k]

    KNOWN_RULES[rule] = k
    return rule


class Scale(LinearMap):
    """``t -> t * c`` for an elementwise factor ``c`` (adjoint: ``ct * conj(c)``)."""

    __slots__ = ("c",)

    def __init__(self, c):
        self.c = c

    def apply(self, ns, t):
        return t * self.c

    def transpose(self, ns, ct):
        # A real cotangent means real data: conjugating is only needed for complex.
        return ct * self.c if ct.dtype not in COMPLEX_DTYPES else ct * conj(ns, self.c)


class ReMul(LinearMap):
    """``t -> re(t * c)``: complex to real, the derivative of ``abs``, ``angle`` and
    other real functions of complex data. Its adjoint is ``ct * conj(c)``."""

    __slots__ = ("c",)

    def __init__(self, c):
        self.c = c

    def apply(self, ns, t):
        return ns.real(t * self.c)

    def transpose(self, ns, ct):
        return ct * conj(ns, self.c)


class DivideBy(LinearMap):
    """``t -> t / d``: cheaper and more accurate than scaling by ``1 / d``."""

    __slots__ = ("d",)

    def __init__(self, d):
        self.d = d

    def apply(self, ns, t):
        return t / self.d

    def transpose(self, ns, ct):
        return ct / self.d if ct.dtype not in COMPLEX_DTYPES else ct / conj(ns, self.d)


class Mask(LinearMap):
    """``t -> where(mask, t, 0)``: lets no NaN or inf through where the mask is off."""

    __slots__ = ("mask",)

    def __init__(self, mask):
        self.mask = mask

    def apply(self, ns, t):
        mask = self.mask
        if type(t) is np.ndarray and type(mask) is np.ndarray and t.shape == mask.shape:
            bits = _SAME_SIZE_INT.get(t.dtype)
            if bits is not None and mask.dtype == np.bool_:
                return _select_bits(mask, t, bits)
        return ns.where(mask, t, 0)

    transpose = apply


class SumAxes(LinearMap):
    """``t -> t.sum(axis, keepdims)``; its adjoint broadcasts back to ``in_shape``."""

    __slots__ = ("in_shape", "axis", "keepdims")

    def __init__(self, in_shape, axis, keepdims):
        self.in_shape, self.axis, self.keepdims = in_shape, axis, keepdims

    def apply(self, ns, t):
        return ns.sum(t, self.axis, self.keepdims)

    def transpose(self, ns, ct):
        if not self.keepdims and self.axis is not None:
            ct = ns.reshape(ct, kept_shape(self.in_shape, self.axis))
        return ns.broadcast_to(ct, self.in_shape)


class BroadcastTo(LinearMap):
    """``t -> broadcast_to(t, out_shape)``; its adjoint sums back to ``in_shape``."""

    __slots__ = ("in_shape", "out_shape")

    def __init__(self, in_shape, out_shape):
        self.in_shape, self.out_shape = in_shape, out_shape

    def apply(self, ns, t):
        return ns.broadcast_to(t, self.out_shape)

    def transpose(self, ns, ct):
        return ns.sum_to(ct, self.in_shape)


class SumTo(LinearMap):
    """``t -> sum_to(t, out_shape)``, the adjoint of ``BroadcastTo``."""

    __slots__ = ("in_shape", "out_shape")

    def __init__(self, in_shape, out_shape):
        self.in_shape, self.out_shape = in_shape, out_shape

    def apply(self, ns, t):
        return ns.sum_to(t, self.out_shape)

    def transpose(self, ns, ct):
        return ns.broadcast_to(ct, self.in_shape)


class Reshape(LinearMap):
    __slots__ = ("in_shape", "out_shape")

    def __init__(self, in_shape, out_shape):
        self.in_shape, self.out_shape = in_shape, out_shape

    def apply(self, ns, t):
        return ns.reshape(t, self.out_shape)

    def transpose(self, ns, ct):
        return ns.reshape(ct, self.in_shape)


class Permute(LinearMap):
    __slots__ = ("axes",)

    def __init__(self, axes):
        self.axes = axes

    def apply(self, ns, t):
        return ns.permute(t, self.axes)

    def transpose(self, ns, ct):
        return ns.permute(ct, inverse_permutation(self.axes))


class Take(LinearMap):
    """``t -> t[index]``; its adjoint scatters (adds) back into zeros of ``in_shape``."""

    __slots__ = ("index", "in_shape")

    def __init__(self, index, in_shape):
        self.index, self.in_shape = index, in_shape

    def apply(self, ns, t):
        return ns.getitem(t, self.index)

    def transpose(self, ns, ct):
        return ns.index_scatter(ct, self.index, self.in_shape)


class Embed(LinearMap):
    """``t -> zeros(out_shape)`` with ``t`` added at ``index``: the adjoint of ``Take``."""

    __slots__ = ("index", "out_shape")

    def __init__(self, index, out_shape):
        self.index, self.out_shape = index, out_shape

    def apply(self, ns, t):
        return ns.index_scatter(t, self.index, self.out_shape)

    def transpose(self, ns, ct):
        return ns.getitem(ct, self.index)


class MatmulWith(LinearMap):
    """``t -> t @ other`` (``left=True``: t is the left operand) or ``t -> other @ t``.

    ``shape`` is the perturbed operand's shape. The adjoint promotes 1-D
    operands as ``matmul`` does (a row on the left, a column on the right),
    multiplies by the other operand's transpose, sums over broadcast batch
    dims and drops the promoted axis again.
    """

    __slots__ = ("other", "shape", "left")

    def __init__(self, other, shape, left: bool):
        self.other, self.shape, self.left = other, shape, left

    def apply(self, ns, t):
        return ns.matmul(t, self.other) if self.left else ns.matmul(self.other, t)

    def transpose(self, ns, ct):
        other, shape = self.other, self.shape
        a_vec, b_vec = (len(shape), other.ndim) if self.left else (other.ndim, len(shape))
        a_vec, b_vec = a_vec == 1, b_vec == 1
        ct_shape = ct.shape + (1,) if b_vec else ct.shape
        if a_vec:
            ct_shape = ct_shape[:-1] + (1,) + ct_shape[-1:]
        ct = _reshape(ns, ct, ct_shape)
        other = conj(ns, other)  # complex: the conjugate transpose
        if self.left:  # out = t @ b  ->  dt = ct @ b^T
            b = _reshape(ns, other, other.shape + (1,)) if b_vec else other
            promoted = (1,) + shape if a_vec else shape
            dt = ns.matmul(ct, _swap_last(ns, b))
        else:  # out = a @ t  ->  dt = a^T @ ct
            a = _reshape(ns, other, (1,) + other.shape) if a_vec else other
            promoted = shape + (1,) if b_vec else shape
            dt = ns.matmul(_swap_last(ns, a), ct)
        return _reshape(ns, ns.sum_to(dt, promoted), shape)


class Compose(LinearMap):
    """``t -> second(first(t))``."""

    __slots__ = ("first", "second")

    def __init__(self, first, second):
        self.first, self.second = first, second

    def apply(self, ns, t):
        return self.second.apply(ns, self.first.apply(ns, t))

    def transpose(self, ns, ct):
        return self.first.transpose(ns, self.second.transpose(ns, ct))


# -- helpers shared by maps and rules -------------------------------------


def conj(ns, c):
    """The complex conjugate of a multiplier; real data and numbers come back as they are."""
    tc = type(c)
    if tc is complex:
        return c.conjugate()  # stays a (weakly typed) Python number
    if tc is float or tc is int or tc is bool:
        return c
    return ns.conj(c) if c.dtype.kind == "c" else c


def _reshape(ns, x, shape):
    return x if x.shape == shape else ns.reshape(x, shape)


def _swap_last(ns, x):
    axes = tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2)
    return ns.permute(x, axes)


def inverse_permutation(axes):
    inv = [0] * len(axes)
    for i, a in enumerate(axes):
        inv[a] = i
    return tuple(inv)


def kept_shape(shape, axis):
    """The shape a reduction over ``axis`` leaves with ``keepdims=True``."""
    if axis is None:
        return (1,) * len(shape)
    axes = {a % len(shape) for a in ((axis,) if isinstance(axis, int) else axis)}
    return tuple(1 if i in axes else n for i, n in enumerate(shape))
