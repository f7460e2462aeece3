"""Elementwise functions of NumPy that are not ufuncs (``round``, ``real``, ``sinc``, ...),
and array creation: NumPy's own creators, which with tensors among the inputs build
tensors (``array([t, u])`` stacks them on the tape, ``zeros_like(t)`` is a tensor).

>>> import wengert as wg
>>> import wengert.numpy as wnp
>>> t = wg.tensor(2.0, dtype=wg.float64, requires_grad=True)
>>> wnp.array([t, t * t])
tensor([2., 4.], dtype=float64, grad_fn=<...>)
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from .._tensor import TENSOR_TYPES
from ..ops._registry import not_differentiable
from ._dispatch import FUNCTIONS, holds_tensor, implements, tensor_arg


@implements(np.round, getattr(np, "around", None))
def round_(a, decimals=0):
    """``numpy.round(a, decimals=0, out=None)`` (alias ``around``): round half to even; the
    derivative is 0.

    >>> import wengert.numpy as wnp
    >>> wnp.round([0.5, 1.5, 2.567], 1)
    array([0.5, 1.5, 2.6])
    """
    return wg.round(a, decimals=decimals)


@implements(np.fix)
def fix(x):
    """``numpy.fix(x, out=None)``: round towards zero; the derivative is 0.

    >>> import wengert.numpy as wnp
    >>> wnp.fix([-1.5, 1.5])
    array([-1.,  1.])
    """
    return wg.trunc(x)


@implements(np.real)
def real(val):
    """``numpy.real(val)``: the real part.

    >>> import wengert.numpy as wnp
    >>> wnp.real([1 + 2j])
    array([1.])
    """
    return wg.real(val)


@implements(np.imag)
def imag(val):
    """``numpy.imag(val)``: the imaginary part (zeros for real input).

    >>> import wengert.numpy as wnp
    >>> wnp.imag([1 + 2j])
    array([2.])
    """
    val = tensor_arg(val)
    return wg.imag(val) if val.dtype.kind == "c" else wg.zeros_like(val)


@implements(np.angle)
def angle(z, deg=False):
    """``numpy.angle(z, deg=False)``: the argument of complex numbers (degrees if ``deg``).

    >>> import wengert.numpy as wnp
    >>> wnp.angle([1j])
    array([1.57079633])
    """
    z = tensor_arg(z)
    # NumPy's angle of a real x is atan2(0, x): pi at -0.0, where PyTorch's (wg.angle) is 0.
    out = wg.angle(z) if z.dtype.kind == "c" else wg.atan2(wg.zeros_like(z), z)
    return wg.rad2deg(out) if deg else out


@implements(np.sinc)
def sinc(x):
    """``numpy.sinc(x)``: ``sin(pi x) / (pi x)``, 1 at 0.

    >>> import wengert.numpy as wnp
    >>> wnp.sinc([0.0, 0.5])
    array([1.        , 0.63661977])
    """
    return wg.sinc(x)


@implements(np.nan_to_num)
def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """``numpy.nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None)``: NaN and
    infinities replaced by finite numbers (they get no gradient).

    >>> import numpy as np, wengert.numpy as wnp
    >>> wnp.nan_to_num([np.nan, 1.0])
    array([0., 1.])
    """
    return wg.nan_to_num(x, nan, posinf, neginf)


@implements(np.copy)
def copy(a, order="K", subok=False):
    """``numpy.copy(a)``: a copy with its own memory; gradients flow to the original.

    >>> import wengert.numpy as wnp
    >>> wnp.copy([1.0, 2.0])
    array([1., 2.])
    """
    return tensor_arg(a).clone()


@implements(np.shape, differentiable=False)
def shape(a):
    """``numpy.shape(a)``: the shape, as a tuple.

    >>> import wengert.numpy as wnp
    >>> wnp.shape([[1.0, 2.0]])
    (1, 2)
    """
    return tensor_arg(a).shape


@implements(np.ndim, differentiable=False)
def ndim(a):
    """``numpy.ndim(a)``: the number of dimensions.

    >>> import wengert.numpy as wnp
    >>> wnp.ndim([[1.0, 2.0]])
    2
    """
    return tensor_arg(a).ndim


@implements(np.size, differentiable=False)
def size(a, axis=None):
    """``numpy.size(a, axis=None)``: the number of elements (along ``axis``).

    >>> import wengert.numpy as wnp
    >>> wnp.size([[1.0, 2.0]])
    2
    """
    a = tensor_arg(a)
    return a.numel() if axis is None else a.shape[axis]


# -- creation ----------------------------------------------------------------------


def _nested(obj) -> bool:
    """Does ``obj`` (a tensor, or nested lists/tuples) hold a tensor anywhere?"""
    if type(obj) in TENSOR_TYPES:
        return True
    return isinstance(obj, (list, tuple)) and any(_nested(o) for o in obj)


def _build(obj):
    """Nested lists of tensors and numbers as one tensor, stacked on the tape."""
    if isinstance(obj, (list, tuple)):
        return wg.stack([_build(o) for o in obj]) if len(obj) else wg.tensor(np.array(obj))
    return tensor_arg(obj if type(obj) in TENSOR_TYPES else np.asarray(obj))


def _array(obj, dtype=None, *, copy=True, order="K", subok=False, ndmin=0, like=None):
    """``numpy.array(object, dtype=None, *, copy=True, ndmin=0)``: an array; from tensors
    (or nested lists holding them) a tensor that keeps the graph.

    >>> import wengert.numpy as wnp
    >>> wnp.array([[1, 2], [3, 4]], dtype=float)
    array([[1., 2.],
           [3., 4.]])
    """
    if not _nested(obj):
        return np.array(obj, dtype, copy=copy, order=order, subok=subok, ndmin=ndmin)
    out = _build(obj)
    if dtype is not None:
        out = wg.astype(out, dtype)
    if copy and out is obj:
        out = out.clone()
    if out.ndim < ndmin:
        out = wg.reshape(out, (1,) * (ndmin - out.ndim) + out.shape)
    return out


def _asarray(a, dtype=None, order=None, *, like=None, **kwargs):
    """``numpy.asarray(a, dtype=None)``: ``a`` as an array without copying; a tensor stays
    the same tensor (``np.asarray(t)`` instead gives its data, see ``Tensor.__array__``).

    >>> import wengert.numpy as wnp
    >>> wnp.asarray([1.0, 2.0])
    array([1., 2.])
    """
    if not _nested(a):
        return np.asarray(a, dtype, order, **kwargs)
    return _array(a, dtype, copy=False)


def _like(numpy_fn, fill):
    """``numpy_fn`` (``zeros_like``...): a tensor (without history) for a tensor prototype."""

    def apply(a, *args, dtype=None, **kwargs):
        if not holds_tensor((a,), {}):
            return numpy_fn(a, *args, dtype=dtype, **kwargs)
        data = np.asarray(a._data)
        return wg.Tensor(np.full_like(data, fill(args, kwargs), dtype=dtype))

    apply.__name__ = apply.__qualname__ = numpy_fn.__name__
    apply.__doc__ = (f"``numpy.{numpy_fn.__name__}``; for a tensor prototype a tensor of its "
                     "shape, without history.")
    apply.__module__ = __name__
    FUNCTIONS[numpy_fn] = apply
    return not_differentiable(apply)


array = _array
asarray = _asarray
zeros_like = _like(np.zeros_like, lambda args, kw: 0)
ones_like = _like(np.ones_like, lambda args, kw: 1)
empty_like = _like(np.empty_like, lambda args, kw: 0)
full_like = _like(np.full_like, lambda args, kw: args[0] if args else kw["fill_value"])
