"""How a ``wengert.numpy`` function picks its path: NumPy for arrays, wengert for tensors.

Each public function is a *NumPy twin*: a wrapper with NumPy's name around a
*tensor implementation* (NumPy's signature, computed with wengert ops). When no
argument is a tensor the wrapper calls NumPy's own function, so plain arrays
give exactly NumPy's results, at NumPy's speed. When a tensor is among the
arguments (or in a list/tuple argument, as in ``concatenate([t, u])``) the
tensor implementation runs and the result carries the graph.

The same tables serve Tensor's NumPy protocols (``_protocols.py``):
``np.sum(t)`` finds the tensor implementation of ``np.sum`` here.
"""

from __future__ import annotations

import functools

import numpy as np

from .._tensor import TENSOR_TYPES
from ..ops._registry import not_differentiable

try:
    from numpy.lib.array_utils import normalize_axis_tuple
except ImportError:  # NumPy 1.26
    from numpy.core.numeric import normalize_axis_tuple  # noqa: F401 - re-exported

FUNCTIONS: dict = {}
"""NumPy function -> tensor implementation (``__array_function__``)."""

UFUNCS: dict = {}
"""NumPy ufunc -> tensor implementation (``__array_ufunc__``)."""


def holds_tensor(args, kwargs) -> bool:
    """Is a tensor among ``args``/``kwargs``, or in a list or tuple among them?"""
    for group in (args, kwargs.values()):
        for a in group:
            t = type(a)
            if t in TENSOR_TYPES:
                return True
            if (t is list or t is tuple) and any(type(b) in TENSOR_TYPES for b in a):
                return True
    return False


def refuse_out(name: str, kwargs: dict) -> dict:
    """``kwargs`` without ``out``; an ``out`` array is refused (it would lose the graph)."""
    if "out" in kwargs:
        out = kwargs["out"]
        if out is not None and not (type(out) is tuple and all(o is None for o in out)):
            raise TypeError(
                f"{name}: out= is not supported with wengert tensors: a result written into "
                f"an existing array would lose its graph. Use the returned value instead "
                f"(y = {name}(...); for array += tensor write array = array + tensor).")
        kwargs = {k: v for k, v in kwargs.items() if k != "out"}
    return kwargs


def twin(numpy_fn, tensor_fn, name: str, doc: str | None = None, differentiable: bool = True,
         module: str | None = None):
    """The public function ``name``: NumPy's ``numpy_fn`` on arrays, ``tensor_fn`` on tensors.

    ``module`` (default: ``tensor_fn``'s) is where the doctests of ``doc`` are collected.
    ``numpy_fn`` None (a name this NumPy lacks): arrays run ``tensor_fn`` and get arrays back.
    """
    if numpy_fn is None:
        numpy_fn = _on_arrays(tensor_fn)

    def fn(*args, **kwargs):
        if holds_tensor(args, kwargs):
            if kwargs:
                return tensor_fn(*args, **refuse_out(f"wengert.numpy.{name}", kwargs))
            return tensor_fn(*args)
        return numpy_fn(*args, **kwargs)

    functools.update_wrapper(fn, tensor_fn)
    fn.__name__ = fn.__qualname__ = name
    fn.__module__ = module or tensor_fn.__module__
    if doc is not None:
        fn.__doc__ = doc
    fn.tensor_impl = tensor_fn
    if isinstance(numpy_fn, np.ufunc):
        UFUNCS[numpy_fn] = tensor_fn
    elif not hasattr(numpy_fn, "on_arrays"):
        FUNCTIONS[numpy_fn] = tensor_fn
    if not differentiable:
        not_differentiable(fn)
    return fn


def implements(numpy_fn, *also, differentiable: bool = True):
    """Decorate the tensor implementation of ``numpy_fn`` (and of NumPy aliases ``also``).

    The decorated name becomes the NumPy twin; its docstring and signature are
    the implementation's (NumPy's signature, minus ``out``).
    """

    def register(tensor_fn):
        fn = twin(numpy_fn, tensor_fn, tensor_fn.__name__.rstrip("_"),
                  differentiable=differentiable)
        for alias in also:
            if alias is not None:
                FUNCTIONS[alias] = tensor_fn
        return fn

    return register


def _on_arrays(tensor_fn):
    """``tensor_fn`` for plain arrays: its results as arrays (tensors never leak out)."""

    def fn(*args, **kwargs):
        return as_arrays(tensor_fn(*args, **kwargs))

    fn.on_arrays = True
    return fn


def as_arrays(result):
    """``result`` with each tensor (also in a tuple or list) replaced by its array."""
    if type(result) in TENSOR_TYPES:
        return result._data
    if isinstance(result, (tuple, list)):
        items = [as_arrays(r) for r in result]
        return type(result)(*items) if hasattr(result, "_fields") else type(result)(items)
    return result


def tensor_arg(x):
    """An argument as a tensor, NumPy's way: lists and Python floats become float64 (as
    ``np.asarray`` makes them), not the default float dtype ``wg.as_tensor`` would pick."""
    from .._creation import as_tensor

    return x if type(x) in TENSOR_TYPES else as_tensor(np.asarray(x))
