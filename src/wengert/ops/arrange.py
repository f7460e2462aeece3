"""Rearranging elements: flip, roll, rot90, repeat/tile/repeat_interleave, tril/triu.

``flip`` and ``roll`` are primitives whose derivatives are themselves
(a flip is its own adjoint; a roll's adjoint rolls back), so they cost one
copy each way. The others are composites: ``rot90`` of flips and a
transpose, the repeats of reshape + broadcast (whose adjoint sums), the
triangles of ``where`` with a constant mask.
"""

from __future__ import annotations

import numpy as np

from .._primitive import Primitive, bind
from .._tensor import Tensor, _wrap
from ..autograd.linear import LinearMap
from ._registry import method, supports_complex, tensor_arg
from .elementwise import where
from .inplace import clone
from .shape import _dim, broadcast_to, flatten, reshape, transpose

__all__ = [
    "flip",
    "fliplr",
    "flipud",
    "repeat_interleave",
    "roll",
    "rot90",
    "tile",
    "tril",
    "triu",
]


class Flip(LinearMap):
    """``t -> flip(t, dims)``: a permutation that is its own inverse, hence self-adjoint."""

    __slots__ = ("dims",)

    def __init__(self, dims):
        self.dims = dims

    def apply(self, ns, t):
        return ns.flip(t, self.dims)

    transpose = apply


class Roll(LinearMap):
    """``t -> roll(t, shifts, dims)``; its adjoint (and inverse) rolls back."""

    __slots__ = ("shifts", "dims")

    def __init__(self, shifts, dims):
        self.shifts, self.dims = shifts, dims

    def apply(self, ns, t):
        return ns.roll(t, self.shifts, self.dims)

    def transpose(self, ns, ct):
        return ns.roll(ct, tuple(-s for s in self.shifts), self.dims)


# The results are copies, as PyTorch's (an in-place change of one leaves the input alone).
flip_p = Primitive("flip", lambda x, dims: np.flip(x, dims).copy(), n_params=1,
                   rule=(lambda ns, out, x, dims: Flip(dims),))
roll_p = Primitive("roll", lambda x, shifts, dims: np.roll(x, shifts, dims), n_params=2,
                   rule=(lambda ns, out, x, shifts, dims: Roll(shifts, dims),))


def _dims(dims, ndim: int, op: str) -> tuple:
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    out = tuple(_dim(d, ndim, op) for d in dims)
    if len(set(out)) != len(out):
        raise RuntimeError(f"{op}: dimension repeated in dims={dims}")
    return out


@method()
def flip(input, dims) -> Tensor:  # noqa: A002
    """Reverse the order of the elements along ``dims`` (a copy).

    >>> import wengert as wg
    >>> wg.flip(wg.arange(4).reshape(2, 2), [0, 1])
    tensor([[3, 2],
            [1, 0]])
    """
    input = tensor_arg(input)  # noqa: A001
    dims = _dims(dims, input.ndim, "flip")
    if input.ndim == 0 or not dims:
        return clone(input)
    return bind(flip_p, (input,), (dims,))


@method()
def fliplr(input) -> Tensor:  # noqa: A002
    """Reverse the columns (dimension 1) of a tensor with at least 2 dimensions.

    >>> import wengert as wg
    >>> wg.fliplr(wg.arange(4).reshape(2, 2))
    tensor([[1, 0],
            [3, 2]])
    """
    input = tensor_arg(input)  # noqa: A001
    if input.ndim < 2:
        raise RuntimeError(f"fliplr: input must have at least 2 dimensions, got shape "
                           f"{input.shape}")
    return flip(input, 1)


@method()
def flipud(input) -> Tensor:  # noqa: A002
    """Reverse the rows (dimension 0) of a tensor with at least 1 dimension.

    >>> import wengert as wg
    >>> wg.flipud(wg.arange(3))
    tensor([2, 1, 0])
    """
    input = tensor_arg(input)  # noqa: A001
    if input.ndim < 1:
        raise RuntimeError("flipud: input must have at least 1 dimension, got a 0-d tensor")
    return flip(input, 0)


@method()
def roll(input, shifts, dims=None) -> Tensor:  # noqa: A002
    """Shift elements cyclically by ``shifts`` along ``dims`` (with no ``dims``, over the
    flattened tensor, keeping its shape).

    >>> import wengert as wg
    >>> wg.roll(wg.arange(5), 2)
    tensor([3, 4, 0, 1, 2])
    """
    input = tensor_arg(input)  # noqa: A001
    shifts = tuple(int(s) for s in shifts) if isinstance(shifts, (tuple, list)) else (
        int(shifts),)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"roll: {len(shifts)} shifts need as many dims, got dims=None")
        return reshape(bind(roll_p, (flatten(input),), (shifts, 0)), input.shape)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(dims) != len(shifts):
        raise RuntimeError(f"roll: shifts {shifts} and dims {dims} must have the same length")
    dims = tuple(_dim(d, input.ndim, "roll") for d in dims)
    return bind(roll_p, (input,), (shifts, dims))


@method()
def rot90(input, k: int = 1, dims=(0, 1)) -> Tensor:  # noqa: A002
    """Rotate by 90 degrees ``k`` times in the plane ``dims``, from ``dims[0]`` towards
    ``dims[1]``.

    >>> import wengert as wg
    >>> wg.rot90(wg.arange(4).reshape(2, 2))
    tensor([[1, 3],
            [0, 2]])
    """
    input = tensor_arg(input)  # noqa: A001
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"rot90: expected two dims, got {dims}")
    if input.ndim < 2:
        raise RuntimeError(f"rot90: input must have at least 2 dimensions, got shape "
                           f"{input.shape}")
    d0, d1 = _dims(dims, input.ndim, "rot90")
    k %= 4
    if k == 1:
        return transpose(flip(input, d1), d0, d1)
    if k == 2:
        return flip(input, (d0, d1))
    if k == 3:
        return transpose(flip(input, d0), d0, d1)
    return clone(input)


def _owned(t: Tensor) -> Tensor:
    """``t``, or a copy of it where it is a view (repeats return new memory, as PyTorch's)."""
    return clone(t) if t._base is not None else t


def _tile(input, reps: tuple) -> Tensor:
    """``input`` repeated ``reps[i]`` times along dimension i (``len(reps) >= input.ndim``):
    a reshape that interleaves size-1 axes, a broadcast along them, and a reshape back."""
    shape = (1,) * (len(reps) - input.ndim) + input.shape
    spread = tuple(v for n in shape for v in (1, n))
    grown = tuple(v for r, n in zip(reps, shape) for v in (r, n))
    out = broadcast_to(reshape(input, spread), grown)
    return _owned(reshape(out, tuple(r * n for r, n in zip(reps, shape))))


def _sizes(sizes) -> tuple:
    if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)):
        sizes = sizes[0]
    sizes = tuple(int(s) for s in sizes)
    if any(s < 0 for s in sizes):
        raise RuntimeError(f"repeat: repeats must be non-negative, got {sizes}")
    return sizes


@method()
def repeat(self, *sizes) -> Tensor:
    """``Tensor.repeat``: the tensor repeated ``sizes[i]`` times along dimension i (NumPy's
    ``tile``; extra leading sizes add dimensions).

    >>> import wengert as wg
    >>> wg.tensor([1, 2]).repeat(2, 2)
    tensor([[1, 2, 1, 2],
            [1, 2, 1, 2]])
    """
    sizes = _sizes(sizes)
    if len(sizes) < self.ndim:
        raise RuntimeError(f"repeat: the number of sizes ({len(sizes)}) can not be smaller than "
                           f"the number of dimensions of the tensor (shape {self.shape})")
    return _tile(self, sizes)


@method()
def tile(input, dims) -> Tensor:  # noqa: A002
    """``input`` repeated ``dims[i]`` times along dimension i; a short ``dims`` is padded with
    leading 1s.

    >>> import wengert as wg
    >>> wg.tile(wg.tensor([[1, 2]]), (2,))
    tensor([[1, 2, 1, 2]])
    """
    input = tensor_arg(input)  # noqa: A001
    dims = _sizes((dims,) if isinstance(dims, int) else tuple(dims))
    return _tile(input, (1,) * (input.ndim - len(dims)) + dims)


@method()
def repeat_interleave(input, repeats=None, dim=None, *, output_size=None) -> Tensor:  # noqa: A002
    """Repeat each element ``repeats`` times (an int, or one count per element) along ``dim``
    (over the flattened tensor when ``dim`` is None). With one integer tensor and no
    ``repeats``, the indices ``0..n-1`` repeated by its counts.

    >>> import wengert as wg
    >>> wg.repeat_interleave(wg.tensor([1, 2]), 2)
    tensor([1, 1, 2, 2])
    >>> wg.tensor([[1, 2], [3, 4]]).repeat_interleave(wg.tensor([1, 2]), dim=0)
    tensor([[1, 2],
            [3, 4],
            [3, 4]])
    """
    input = tensor_arg(input)  # noqa: A001
    if repeats is None:
        return repeat_interleave(_wrap(np.arange(input._data.size)), input, 0)
    if dim is None:
        input, d = flatten(input), 0  # noqa: A001
    else:
        d = _dim(dim, input.ndim, "repeat_interleave")
    if input.ndim == 0:
        input = reshape(input, (1,))  # noqa: A001
    n = input.shape[d]
    counts = np.asarray(repeats._data if isinstance(repeats, Tensor) else repeats)
    if counts.dtype.kind not in "iu":
        raise TypeError(f"repeat_interleave: repeats must be integers, got dtype {counts.dtype}")
    if counts.ndim > 1 or (counts.ndim == 1 and counts.size not in (1, n)):
        raise RuntimeError(f"repeat_interleave: repeats of shape {counts.shape} must be a "
                           f"number or have one count per element ({n}) along dimension {d}")
    if np.any(counts < 0):
        raise RuntimeError("repeat_interleave: repeats must be non-negative")
    if output_size is not None and int(counts.sum() if counts.size == n else counts * n) \
            != output_size:
        raise RuntimeError(f"repeat_interleave: output_size {output_size} does not match the "
                           "repeats")
    if counts.size == n and counts.ndim == 1 and n != 1:
        return input[(slice(None),) * d + (np.repeat(np.arange(n), counts),)]
    r = int(counts.reshape(()) if counts.ndim else counts)
    shape = input.shape
    spread = broadcast_to(reshape(input, shape[:d + 1] + (1,) + shape[d + 1:]),
                          shape[:d + 1] + (r,) + shape[d + 1:])
    return _owned(reshape(spread, shape[:d] + (n * r,) + shape[d + 1:]))


def _triangle(input, diagonal, op, lower):
    input = tensor_arg(input)  # noqa: A001
    if input.ndim < 2:
        raise RuntimeError(f"{op}: input must have at least 2 dimensions, got shape "
                           f"{input.shape}")
    m, n = input.shape[-2:]
    keep = np.tri(m, n, int(diagonal), dtype=bool)
    return where(keep if lower else ~np.tri(m, n, int(diagonal) - 1, dtype=bool), input, 0)


@method()
def tril(input, diagonal: int = 0) -> Tensor:  # noqa: A002
    """The lower triangle of the last two dimensions (elements on and below diagonal
    ``diagonal``); the rest are zeros.

    >>> import wengert as wg
    >>> wg.tril(wg.ones(2, 3, dtype=wg.int64))
    tensor([[1, 0, 0],
            [1, 1, 0]])
    """
    return _triangle(input, diagonal, "tril", True)


@method()
def triu(input, diagonal: int = 0) -> Tensor:  # noqa: A002
    """The upper triangle of the last two dimensions (elements on and above diagonal
    ``diagonal``); the rest are zeros.

    >>> import wengert as wg
    >>> wg.triu(wg.ones(2, 3, dtype=wg.int64), 1)
    tensor([[0, 1, 1],
            [0, 0, 1]])
    """
    return _triangle(input, diagonal, "triu", False)

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    flip,
    fliplr,
    flipud,
    repeat_interleave,
    roll,
    rot90,
    tile,
    tril,
    triu,
)  # noqa: F821
