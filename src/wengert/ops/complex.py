"""Complex numbers: parts, conjugate, angle, polar form, and real views of complex data.

Gradients follow PyTorch's convention: for a real loss ``L`` of a complex
``z = x + iy``, ``z.grad`` is ``dL/dx + i dL/dy``, so that ``z -= lr * z.grad``
descends. The maps here are real-linear but not complex-linear (``conj``,
``real``, ``abs``...), so each spells out its adjoint for the real inner
product ``Re(sum(conj(a) * b))`` (see ``autograd.linear``).

>>> import wengert as wg
>>> z = wg.tensor([3 + 4j], dtype=wg.complex128, requires_grad=True)
>>> wg.abs(z).sum().backward()
>>> z.grad
tensor([0.6+0.8j], dtype=complex128)
"""

from __future__ import annotations

import numpy as np

from .._backend import complex_dtype_of, ndarray, real_dtype_of
from .._primitive import DIFF, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import LinearMap, ReMul
from ._registry import method, not_differentiable, refuse_complex, supports_complex, tensor_arg

__all__ = [
    "angle",
    "complex",
    "conj",
    "conj_physical",
    "imag",
    "is_complex",
    "polar",
    "real",
    "sgn",
    "view_as_complex",
    "view_as_real",
]


def real_only(impl, what: str, arity: int = 1, why: str = "complex numbers have no order"):
    """``impl`` refusing complex operands (the first ``arity``, 1 or 2): ``what`` needs an
    order, which complex numbers lack (or another reason ``why``). NumPy would order them
    lexicographically; PyTorch refuses. The check costs two type tests per operand
    (comparisons are frequent)."""
    scalars = _COMPLEX_SCALARS

    if arity == 1:
        def checked(x, *params):
            if (type(x) is ndarray and x.dtype.kind == "c") or type(x) in scalars:
                raise _unordered(what, x, why)
            return impl(x, *params)
    else:
        def checked(x, y):
            if (type(x) is ndarray and x.dtype.kind == "c") or type(x) in scalars:
                raise _unordered(what, x, why)
            if (type(y) is ndarray and y.dtype.kind == "c") or type(y) in scalars:
                raise _unordered(what, y, why)
            return impl(x, y)

    checked.__name__ = getattr(impl, "__name__", what)
    return checked


_COMPLEX_SCALARS = frozenset({complex, np.complex64, np.complex128})


def _unordered(what, x, why="complex numbers have no order") -> TypeError:
    return TypeError(f"{what} is not defined for complex inputs (dtype "
                     f"{getattr(x, 'dtype', 'complex')}): {why}. Apply it to .real, .imag or "
                     ".abs() instead.")


# -- the parts of a complex number and back ------------------------------------


class _PartOf(LinearMap):
    """``t -> re(t)`` (or ``im(t)``): complex to real. The adjoint embeds a real
    cotangent as ``ct + 0i`` (``0 + ct i``)."""

    __slots__ = ("imaginary",)

    def __init__(self, imaginary: bool):
        self.imaginary = imaginary

    def apply(self, ns, t):
        return ns.imag(t) if self.imaginary else ns.real(t)

    def transpose(self, ns, ct):
        return ns.complex(0.0, ct) if self.imaginary else ns.complex(ct, 0.0)


class _IntoPart(LinearMap):
    """``t -> t + 0i`` (or ``0 + t i``): real to complex, the adjoint of ``_PartOf``."""

    __slots__ = ("imaginary",)

    def __init__(self, imaginary: bool):
        self.imaginary = imaginary

    def apply(self, ns, t):
        return ns.complex(0.0, t) if self.imaginary else ns.complex(t, 0.0)

    def transpose(self, ns, ct):
        return ns.imag(ct) if self.imaginary else ns.real(ct)


_REAL_PART, _IMAG_PART = _PartOf(False), _PartOf(True)
_INTO_REAL, _INTO_IMAG = _IntoPart(False), _IntoPart(True)


def _real(x):
    return np.real(x)


def _imag(x):
    return np.imag(x)


def _complex(re, im):
    # Assigning the parts (not re + 1j * im) keeps infinities exact: 1j * inf is nan + inf j.
    dtype = complex_dtype_of(np.result_type(re, im))
    out = np.empty(np.broadcast_shapes(np.shape(re), np.shape(im)), dtype)
    out.real, out.imag = re, im
    return out


real_p = Primitive("real", _real, view=True, rule=(lambda ns, out, x: _REAL_PART,))
imag_p = Primitive("imag", _imag, view=True, rule=(lambda ns, out, x: _IMAG_PART,))
complex_p = Primitive("complex", _complex, broadcasts=True,
                      rule=(lambda ns, out, re, im: _INTO_REAL,
                            lambda ns, out, re, im: _INTO_IMAG))


def _complex_input(x, op: str) -> Tensor:
    x = tensor_arg(x)
    if x.dtype.kind != "c":
        raise RuntimeError(f"{op} is only defined for complex tensors, got dtype {x.dtype}; "
                           "make one with wg.complex(re, im) or x.to(wg.complex64)")
    return x


@method()
def real(input) -> Tensor:  # noqa: A002
    """The real part of a complex tensor (a real tensor comes back as it is).

    >>> import wengert as wg
    >>> wg.real(wg.tensor([1 + 2j, 3 - 1j]))
    tensor([1., 3.])
    """
    input = tensor_arg(input)  # noqa: A001
    return bind(real_p, (input,)) if input.dtype.kind == "c" else input


@method()
def imag(input) -> Tensor:  # noqa: A002
    """The imaginary part of a complex tensor.

    >>> import wengert as wg
    >>> wg.imag(wg.tensor([1 + 2j, 3 - 1j]))
    tensor([ 2., -1.])
    """
    return bind(imag_p, (_complex_input(input, "imag"),))


Tensor.real = property(real, doc="The real part (``wg.real``).")
Tensor.imag = property(imag, doc="The imaginary part (``wg.imag``).")


def complex(real, imag) -> Tensor:  # noqa: A001
    """The complex tensor ``real + i * imag`` (PyTorch's ``torch.complex``), broadcasting.

    Both parts must be floating point of one dtype: float32 gives complex64,
    float64 complex128.

    >>> import wengert as wg
    >>> wg.complex(wg.tensor([1.0, 2.0]), wg.tensor([0.5, -1.0]))
    tensor([1.+0.5j, 2.-1.0j])
    """
    re, im = tensor_arg(real), tensor_arg(imag)
    if re.dtype.kind != "f" or im.dtype.kind != "f" or re.dtype != im.dtype:
        raise TypeError(f"complex: real and imag must be floating point tensors of the same "
                        f"dtype, got {re.dtype} and {im.dtype}; convert them first, e.g. "
                        "wg.complex(re.double(), im.double())")
    return bind(complex_p, (re, im))


# -- conjugate, angle, magnitude -------------------------------------------------


class _Conjugate(LinearMap):
    """``t -> conj(t)``: real-linear and its own adjoint."""

    __slots__ = ()

    def apply(self, ns, t):
        return ns.conj(t)

    transpose = apply


_CONJUGATE = _Conjugate()

conj_p = Primitive("conj", np.conj, rule=(lambda ns, out, x: _CONJUGATE,))


@method()
def conj(input) -> Tensor:  # noqa: A002
    """The complex conjugate (a real tensor comes back as it is).

    wengert has no lazy conjugate bit: this is PyTorch's ``conj_physical``.

    >>> import wengert as wg
    >>> wg.conj(wg.tensor([1 + 2j]))
    tensor([1.-2.j])
    """
    input = tensor_arg(input)  # noqa: A001
    return bind(conj_p, (input,)) if input.dtype.kind == "c" else input


conj_physical = conj
method("conj_physical")(conj)
# Conjugation is never lazy here, so there is nothing to resolve (PyTorch's conj bit).
Tensor.resolve_conj = Tensor.resolve_neg = lambda self: self
Tensor.is_conj = lambda self: False
Tensor.mH = property(lambda self: conj(self.mT), doc="""The conjugate transpose of the
last two dimensions (``mT`` for real tensors).

>>> import wengert as wg
>>> wg.tensor([[1 + 2j, 3j]]).mH
tensor([[1.-2.j],
        [0.-3.j]])
""")
Tensor.H = property(lambda self: conj(self.t()), doc="""The conjugate transpose of a matrix
(a tensor of at most 2 dimensions; ``mH`` for batches).""")


def _nonzero(ns, x):
    """``x`` with zeros replaced by 1: a divisor whose unused branch stays finite."""
    return ns.where(x == 0, 1, x)


def _angle_rule(ns, out, x):
    if x.dtype.kind != "c":
        return 0  # a step function of real x: slope 0 (PyTorch's convention)
    # d angle = Im(dz / z) = Re(-i dz / z); 0 at z = 0, as in PyTorch.
    return ReMul(ns.where(x == 0, 0, -1j / _nonzero(ns, x)))


def _angle(x):
    if x.dtype.kind == "c":
        return np.angle(x)
    # PyTorch's real angle: pi below 0, else 0 (NaN stays NaN). NumPy's atan2(0, x) is pi
    # at -0.0 too, which would make the sign bit of a zero an angle.
    dtype = x.dtype
    out = np.where(x < 0, np.asarray(np.pi, dtype), np.asarray(0, dtype))
    return np.where(np.isnan(x), x, out) if type(x) is np.ndarray else out[()]


angle_p = Primitive("angle", _angle, save=("value",), rule=(_angle_rule,))


@method()
def angle(input) -> Tensor:  # noqa: A002
    """The argument of each element, in radians (``pi`` for negative reals, 0 at 0).

    >>> import wengert as wg
    >>> wg.angle(wg.tensor([1j, -1.0 + 0j]))
    tensor([1.5708, 3.1416])
    """
    input = tensor_arg(input)  # noqa: A001
    if input.dtype.kind in "biu":
        input = input.to(np.float32)  # noqa: A001
    return bind(angle_p, (input,))


def abs_rule(ns, out, x):
    """The derivative of ``abs``: ``sign(x)``; for complex ``x``, ``Re(conj(sgn(x)) dx)``."""
    if x.dtype.kind != "c":
        return ns.sign(x)
    return ReMul(ns.conj(_sgn(ns, x)))


def _sgn(ns, x):
    """``x / |x|``, 0 at 0, written with ``ns`` so that it is differentiable in rules."""
    size = ns.abs(x)
    return ns.where(size == 0, 0, x / _nonzero(ns, size))


@method()
def sgn(input) -> Tensor:  # noqa: A002
    """``input / abs(input)`` for complex input (0 at 0); ``sign`` for real input.

    >>> import wengert as wg
    >>> wg.sgn(wg.tensor([3 + 4j, 0j]))
    tensor([0.6+0.8j, 0.0+0.0j])
    """
    from .elementwise import sign

    input = tensor_arg(input)  # noqa: A001
    return _sgn(DIFF, input) if input.dtype.kind == "c" else sign(input)


def abs_squared(x: Tensor) -> Tensor:
    """``|x|^2`` as a real tensor, smooth at 0 (``re^2 + im^2``, not ``abs(x)**2``)."""
    if x.dtype.kind != "c":
        return x * x
    re, im = real(x), imag(x)
    return re * re + im * im


def polar(abs, angle) -> Tensor:  # noqa: A002
    """The complex tensor ``abs * (cos(angle) + i sin(angle))`` (PyTorch's ``torch.polar``).

    >>> import wengert as wg
    >>> wg.polar(wg.tensor([2.0]), wg.tensor([0.0]))
    tensor([2.+0.j])
    """
    from . import elementwise as ew

    r, theta = tensor_arg(abs), tensor_arg(angle)
    refuse_complex(r, "polar", "abs and angle are real")
    refuse_complex(theta, "polar", "abs and angle are real")
    if r.dtype != theta.dtype:
        raise TypeError(f"polar: abs and angle must have the same floating dtype, got "
                        f"{r.dtype} and {theta.dtype}")
    return complex(r * ew.cos(theta), r * ew.sin(theta))


@not_differentiable
@method()
def is_complex(input) -> bool:  # noqa: A002
    """Whether ``input`` has a complex dtype.

    >>> import wengert as wg
    >>> wg.is_complex(wg.tensor([1j])), wg.is_complex(wg.tensor([1.0]))
    (True, False)
    """
    return tensor_arg(input).dtype.kind == "c"


# -- complex data seen as pairs of reals -----------------------------------------


def _view_as_real(x):
    x = np.asarray(x)
    return x[..., None].view(real_dtype_of(x.dtype))


def _view_as_complex(x):
    # A view when the last axis is contiguous, else a copy (PyTorch would refuse).
    x = np.ascontiguousarray(x)
    return x.view(complex_dtype_of(x.dtype))[..., 0]


class _Reinterpret(LinearMap):
    """``view_as_real`` (``to_real``) or ``view_as_complex``: the same numbers, so
    each is the other's adjoint (and inverse)."""

    __slots__ = ("to_real",)

    def __init__(self, to_real: bool):
        self.to_real = to_real

    def apply(self, ns, t):
        return ns.view_as_real(t) if self.to_real else ns.view_as_complex(t)

    def transpose(self, ns, ct):
        return ns.view_as_complex(ct) if self.to_real else ns.view_as_real(ct)


_AS_REAL, _AS_COMPLEX = _Reinterpret(True), _Reinterpret(False)

view_as_real_p = Primitive("view_as_real", _view_as_real, view=True,
                           rule=(lambda ns, out, x: _AS_REAL,))
view_as_complex_p = Primitive("view_as_complex", _view_as_complex, view=True,
                              rule=(lambda ns, out, x: _AS_COMPLEX,))


def view_as_real(input) -> Tensor:  # noqa: A002
    """A complex tensor of shape ``s`` as a real tensor of shape ``s + (2,)`` (real, imag).

    >>> import wengert as wg
    >>> wg.view_as_real(wg.tensor([1 + 2j]))
    tensor([[1., 2.]])
    """
    return bind(view_as_real_p, (_complex_input(input, "view_as_real"),))


def view_as_complex(input) -> Tensor:  # noqa: A002
    """A real tensor of shape ``s + (2,)`` as a complex tensor of shape ``s``.

    >>> import wengert as wg
    >>> wg.view_as_complex(wg.tensor([[1.0, 2.0]]))
    tensor([1.+2.j])
    """
    input = tensor_arg(input)  # noqa: A001
    if input.dtype not in (np.float32, np.float64) or not input.ndim or input.shape[-1] != 2:
        raise RuntimeError(f"view_as_complex: expected a float32 or float64 tensor whose last "
                           f"dimension has size 2, got shape {input.shape} and dtype "
                           f"{input.dtype}")
    return bind(view_as_complex_p, (input,))

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    angle,
    conj,
    imag,
    is_complex,
    real,
    sgn,
    view_as_real,
)  # noqa: F821
