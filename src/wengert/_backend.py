"""Arrays, dtypes and devices: the one place that knows what a tensor's data is.

Today every tensor holds a NumPy array (or a NumPy scalar, which NumPy returns
for 0-d results and which we keep rather than pay for a conversion per op).
Primitive implementations call NumPy's functions; those dispatch on the array's
own library through NumPy's protocols (``__array_ufunc__``/``__array_function__``),
so an array from another library (CuPy) stays where it is. Derivative rules
never call NumPy directly: they receive a namespace (see ``_primitive``).
"""

from __future__ import annotations

import math

import numpy as np

ndarray = np.ndarray

# Dtypes under PyTorch's names. They are NumPy dtype objects, so they compare
# equal to NumPy's spellings (``wg.float32 == np.float32``).
float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
complex64 = np.dtype("complex64")
complex128 = np.dtype("complex128")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
bool_ = np.dtype("bool")

_FLOAT_KINDS = frozenset("fc")


class _DefaultDtype:
    dtype = float32  # process-wide, as in PyTorch


_default = _DefaultDtype()


def get_default_dtype() -> np.dtype:
    """The dtype that Python floats and float creation functions produce (float32)."""
    return _default.dtype


def result_dtype(*dtypes) -> np.dtype:
    """PyTorch's promotion of tensor dtypes: floating beats integer beats bool;
    within a category the wider type wins."""
    floats = [d for d in dtypes if d.kind in "fc"]
    return np.result_type(*floats) if floats else np.result_type(*dtypes)


def complex_dtype_of(dtype) -> np.dtype:
    """The complex dtype with ``dtype``'s precision (float32 -> complex64); complex as is."""
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        return dtype
    return complex128 if dtype == float64 else complex64


def real_dtype_of(dtype) -> np.dtype:
    """The real dtype of a complex dtype's parts (complex64 -> float32); real as is."""
    dtype = np.dtype(dtype)
    return np.empty(0, dtype).real.dtype if dtype.kind == "c" else dtype


def default_complex_dtype() -> np.dtype:
    """The complex dtype matching the default float dtype (complex64 for float32)."""
    return complex_dtype_of(_default.dtype)


def set_default_dtype(dtype) -> None:
    """Set the dtype for Python floats and float creation functions.

    >>> import wengert as wg
    >>> wg.set_default_dtype(wg.float64); wg.tensor(1.5).dtype
    dtype('float64')
    >>> wg.set_default_dtype(wg.float32)
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"set_default_dtype: only floating dtypes are allowed, got {dtype}")
    _default.dtype = dtype


def is_differentiable_dtype(dtype) -> bool:
    """Floating and complex data can carry gradients; integers and bools cannot."""
    return dtype.kind in _FLOAT_KINDS


class device:  # noqa: N801 - PyTorch's name
    """Where a tensor's data lives. Only ``cpu`` exists today."""

    __slots__ = ("type",)

    def __init__(self, type: str = "cpu"):  # noqa: A002
        if isinstance(type, device):
            type = type.type  # noqa: A001
        if type != "cpu":
            raise RuntimeError(f"device '{type}' is not available: wengert runs on 'cpu' only")
        self.type = type

    def __eq__(self, other):
        return str(self) == str(other)

    def __hash__(self):
        return hash(self.type)

    def __repr__(self):
        return f"device(type='{self.type}')"

    def __str__(self):
        return self.type


CPU = device("cpu")


class _Ones(dict):
    """dtype -> a read-only 0-d array holding 1 (made on first use)."""

    def __missing__(self, dtype):
        one = self[dtype] = np.ones((), dtype)
        one.flags.writeable = False
        return one


ONES = _Ones()
"""``ONES[dtype]``: a shared read-only 0-d 1 of ``dtype``, for hot paths that would
otherwise make one per call (``np.ones`` or a Python 1 converted by each ufunc call)."""

_ONES_VECTORS: dict = {}


def ones_vector(n: int, dtype) -> np.ndarray:
    """A shared read-only vector of ``n`` ones of ``dtype`` (``linear``'s bias gradient is
    ``ones @ rows``: ``np.ones`` per call costs as much as the product on a small layer)."""
    ones = _ONES_VECTORS.get((n, dtype))
    if ones is None:
        if len(_ONES_VECTORS) > 64:  # ever-new batch sizes: don't keep them all
            _ONES_VECTORS.clear()
        ones = _ONES_VECTORS[(n, dtype)] = np.ones(n, dtype)
        ones.flags.writeable = False
    return ones


def shares_memory(out, x) -> bool:
    """Whether ``out`` is a view of ``x``'s memory (NumPy's cheap, conservative test)."""
    return type(out) is ndarray and type(x) is ndarray and np.may_share_memory(out, x)


_SMALL = 1 << 16


def broadcast_for_rules(x, shape: tuple):
    """``np.broadcast_to`` as derivative rules use it on raw arrays.

    A small result is materialized: NumPy's ``broadcast_to`` spends about 4 us
    checking its arguments, ten times what filling a few thousand elements
    costs (and the sum's backward hits it once per ``.sum().backward()``). A
    large one stays a zero-copy view.
    """
    if math.prod(shape) <= _SMALL:
        out = np.empty(shape, dtype=x.dtype)
        out[...] = x
        return out
    return np.broadcast_to(x, shape)


def sum_to(x, shape: tuple):
    """Sum ``x`` down to ``shape``, undoing NumPy broadcasting.

    Broadcasting both prepends axes and stretches size-1 axes; both are summed,
    the stretched ones with ``keepdims`` so the result has exactly ``shape``.
    """
    if x.shape == shape:
        return x
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        i + lead for i, n in enumerate(shape) if n == 1 and x.shape[i + lead] != 1
    )
    if axes:
        x = x.sum(axis=axes, keepdims=True)
    return x.reshape(shape) if lead or x.shape != shape else x
