"""Creating tensors: ``tensor``, ``zeros``, ``randn`` and friends, with PyTorch's dtype policy.

Python floats become the default dtype (float32), Python ints int64, bools
bool; NumPy arrays keep their dtype.
"""

from __future__ import annotations

import math

import numpy as np

from ._backend import default_complex_dtype, get_default_dtype, is_differentiable_dtype
from ._tensor import TENSOR_TYPES, Tensor, _wrap


def _infer_dtype(data) -> np.dtype | None:
    """The dtype PyTorch would give ``data`` (None: let NumPy decide)."""
    if isinstance(data, (np.ndarray, np.generic)):
        return None
    if isinstance(data, bool):
        return np.dtype(bool)
    if isinstance(data, int):
        return np.dtype(np.int64)
    if isinstance(data, float):
        return get_default_dtype()
    if isinstance(data, complex):
        return default_complex_dtype()
    return None


def _as_array(data, dtype=None) -> np.ndarray:
    if type(data) in TENSOR_TYPES:
        data = data._data
    if dtype is not None:
        return np.array(data, dtype=dtype)
    if isinstance(data, (np.ndarray, np.generic)):
        return np.array(data)
    arr = np.array(data)
    if arr.dtype.kind == "f":
        # Python floats (possibly nested with ints) follow the default dtype.
        arr = arr.astype(get_default_dtype(), copy=False)
    elif arr.dtype.kind == "c":
        arr = arr.astype(_infer_dtype(1j), copy=False)
    elif arr.dtype.kind == "O":
        raise TypeError(f"cannot make a tensor from {type(data).__name__}: {data!r}")
    return arr


def tensor(data, dtype=None, device=None, requires_grad: bool = False) -> Tensor:
    """A new tensor holding a copy of ``data`` (numbers, nested lists, arrays).

    >>> import wengert as wg
    >>> wg.tensor([1.0, 2.0]).dtype, wg.tensor([1, 2]).dtype
    (dtype('float32'), dtype('int64'))
    >>> wg.tensor(3.0, dtype=wg.float64, requires_grad=True)
    tensor(3., dtype=float64, requires_grad=True)
    """
    _check_device(device)
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """``data`` as a tensor, sharing memory with a NumPy array where it can.

    A tensor passes through unchanged (or converted, if ``dtype`` differs).
    """
    _check_device(device)
    if type(data) in TENSOR_TYPES:
        return data if dtype is None or data.dtype == dtype else data.to(dtype)
    if isinstance(data, np.ndarray):
        return _wrap(data if dtype is None else data.astype(dtype, copy=False))
    return _wrap(_as_array(data, dtype))


def from_numpy(array: np.ndarray) -> Tensor:
    """A tensor sharing memory with the NumPy array ``array`` (dtype kept)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy expects a numpy.ndarray, got {type(array).__name__}")
    return _wrap(array)


def _check_device(device) -> None:
    if device is not None and str(device) != "cpu":
        raise RuntimeError(f"device '{device}' is not available: wengert runs on 'cpu' only")


def _shape(shape, size=None) -> tuple:
    """``f(2, 3)``, ``f((2, 3))`` and ``f(size=(2, 3))`` all mean shape (2, 3)."""
    if size is not None:
        if shape:
            raise TypeError("give the shape either positionally or as size=, not both")
        shape = (size,)
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    return tuple(int(n) for n in shape)


def _make(array, requires_grad) -> Tensor:
    t = _wrap(array)
    if requires_grad:
        t.requires_grad_(True)
    return t


def _float(dtype):
    return get_default_dtype() if dtype is None else np.dtype(dtype)


def zeros(*shape, size=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of zeros: ``wg.zeros(2, 3)`` or ``wg.zeros((2, 3))``."""
    _check_device(device)
    return _make(np.zeros(_shape(shape, size), _float(dtype)), requires_grad)


def ones(*shape, size=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor of ones."""
    _check_device(device)
    return _make(np.ones(_shape(shape, size), _float(dtype)), requires_grad)


def empty(*shape, size=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """An uninitialized tensor (its values are whatever memory held)."""
    _check_device(device)
    return _make(np.empty(_shape(shape, size), _float(dtype)), requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A tensor filled with ``fill_value`` (dtype inferred from it, as in PyTorch)."""
    _check_device(device)
    dtype = _infer_dtype(fill_value) if dtype is None else np.dtype(dtype)
    return _make(np.full(_shape((size,)), fill_value, dtype), requires_grad)


def _like(t, dtype):
    t = as_tensor(t)
    return t.shape, (t.dtype if dtype is None else np.dtype(dtype))


def zeros_like(input, dtype=None, requires_grad=False) -> Tensor:  # noqa: A002
    shape, dtype = _like(input, dtype)
    return _make(np.zeros(shape, dtype), requires_grad)


def ones_like(input, dtype=None, requires_grad=False) -> Tensor:  # noqa: A002
    shape, dtype = _like(input, dtype)
    return _make(np.ones(shape, dtype), requires_grad)


def empty_like(input, dtype=None, requires_grad=False) -> Tensor:  # noqa: A002
    shape, dtype = _like(input, dtype)
    return _make(np.empty(shape, dtype), requires_grad)


def full_like(input, fill_value, dtype=None, requires_grad=False) -> Tensor:  # noqa: A002
    shape, dtype = _like(input, dtype)
    return _make(np.full(shape, fill_value, dtype), requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Values from ``start`` up to (not including) ``end``: ``wg.arange(4.0)``."""
    _check_device(device)
    if end is None:
        start, end = 0, start
    if dtype is None:
        is_float = any(isinstance(v, float) for v in (start, end, step))
        dtype = get_default_dtype() if is_float else np.int64
    dtype = np.dtype(dtype)
    if dtype.kind in "fc":
        # PyTorch's values: start + i * step in double, rounded once to the dtype. NumPy's
        # step from the first two values (start + step) - start, in the dtype itself, so
        # its values drift (float32 -1 + 2 * 0.3 gave -0.39999998, not -0.4).
        if step == 0:
            raise RuntimeError("arange: step must be nonzero")
        count = max(math.ceil((end - start) / step), 0)
        values = start + np.arange(count, dtype=np.float64) * step
        return _make(values.astype(dtype), requires_grad)
    return _make(np.arange(start, end, step, dtype=dtype), requires_grad)


def linspace(start, end, steps: int, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    _check_device(device)
    return _make(np.linspace(start, end, steps, dtype=_float(dtype)), requires_grad)


def eye(n: int, m: int | None = None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """The identity matrix (``n`` x ``m``)."""
    _check_device(device)
    return _make(np.eye(n, m, dtype=_float(dtype)), requires_grad)


# -- random numbers --------------------------------------------------------

_rng = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Seed the generator behind ``rand``, ``randn``, ``randint`` (and dropout, init)."""
    global _rng
    _rng = np.random.default_rng(seed)


def generator() -> np.random.Generator:
    """The library's random generator (reseeded by ``manual_seed``)."""
    return _rng


def _sample(draw, shape, dtype, scale=1.0):
    """``draw(shape)`` in ``dtype``; a complex dtype draws its real and imaginary parts."""
    if dtype.kind != "c":
        return draw(shape).astype(dtype)
    out = np.empty(shape, dtype)
    out.real, out.imag = draw(shape) * scale, draw(shape) * scale
    return out


def rand(*shape, size=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Uniform samples from [0, 1) (complex: real and imaginary parts each)."""
    _check_device(device)
    return _make(_sample(_rng.random, _shape(shape, size), _float(dtype)), requires_grad)


def randn(*shape, size=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Samples from the standard normal distribution (complex: variance 1/2 per part)."""
    _check_device(device)
    return _make(_sample(_rng.standard_normal, _shape(shape, size), _float(dtype), 0.5 ** 0.5),
                 requires_grad)


def randint(low, high=None, size=(), dtype=None, device=None) -> Tensor:
    """Random integers in [low, high): ``wg.randint(0, 10, (3,))``."""
    _check_device(device)
    if high is None:
        low, high = 0, low
    if not low < high:
        raise RuntimeError(f"randint: low ({low}) must be less than high ({high}): the "
                           "integers are drawn from [low, high)")
    dtype = np.dtype(dtype or np.int64)
    if dtype.kind in "iu":
        return _wrap(_rng.integers(low, high, size=tuple(size), dtype=dtype))
    # A floating dtype (randint_like of a float tensor): integers, held as that dtype.
    return _wrap(_rng.integers(low, high, size=tuple(size)).astype(dtype))


def rand_like(input, dtype=None, requires_grad=False) -> Tensor:  # noqa: A002
    shape, dtype = _like(input, dtype)
    return rand(*shape, dtype=dtype, requires_grad=requires_grad)


def randn_like(input, dtype=None, requires_grad=False) -> Tensor:  # noqa: A002
    shape, dtype = _like(input, dtype)
    return randn(*shape, dtype=dtype, requires_grad=requires_grad)


def randint_like(input, low, high=None, dtype=None) -> Tensor:  # noqa: A002
    shape, dtype = _like(input, dtype)
    return randint(low, high, shape, dtype=dtype)


def is_tensor(obj) -> bool:
    return type(obj) in TENSOR_TYPES or isinstance(obj, Tensor)


__all__ = [
    "tensor", "as_tensor", "from_numpy", "zeros", "ones", "empty", "full", "zeros_like",
    "ones_like", "empty_like", "full_like", "arange", "linspace", "eye", "manual_seed",
    "rand", "randn", "randint", "rand_like", "randn_like", "randint_like", "is_tensor",
    "is_differentiable_dtype",
]
