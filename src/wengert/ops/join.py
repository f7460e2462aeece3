"""Splitting a tensor into pieces and joining pieces: composites of slicing, reshape and cat.

The pieces of ``split``/``chunk``/``unbind``/``narrow``/``select`` are views
(basic indexing), as in PyTorch; their gradients are scatters back into the
whole, which the indexing primitive already provides.
"""

from __future__ import annotations

from .._tensor import Tensor
from ._registry import method, supports_complex, tensor_arg
from .shape import _dim, atleast_1d, atleast_2d, atleast_3d, broadcast_to, cat, reshape

__all__ = [
    "chunk",
    "column_stack",
    "dstack",
    "hstack",
    "meshgrid",
    "narrow",
    "select",
    "split",
    "unbind",
    "vstack",
]


def _along(dim: int, index) -> tuple:
    """An index applying ``index`` to dimension ``dim`` (all of the earlier ones kept)."""
    return (slice(None),) * dim + (index,)


def _dimensioned(input, dim, op):
    input = tensor_arg(input)  # noqa: A001
    if input.ndim == 0:
        raise RuntimeError(f"{op}: expected a tensor with at least one dimension, got a 0-d one")
    return input, _dim(dim, input.ndim, op)


@method()
def split(tensor, split_size_or_sections, dim: int = 0) -> tuple:
    """Pieces of ``tensor`` along ``dim``: of size ``split_size`` (the last may be smaller),
    or of the listed sizes (which must add up to the dimension's size).

    >>> import wengert as wg
    >>> [p.shape for p in wg.split(wg.zeros(5, 2), 2)]
    [(2, 2), (2, 2), (1, 2)]
    >>> [p.shape for p in wg.zeros(5, 2).split([1, 4])]
    [(1, 2), (4, 2)]
    """
    tensor, d = _dimensioned(tensor, dim, "split")
    n = tensor.shape[d]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if any(s < 0 for s in sizes) or sum(sizes) != n:
            raise RuntimeError(f"split: sizes {sizes} must be non-negative and add up to "
                               f"{n}, the size of dimension {d} of a tensor of shape "
                               f"{tensor.shape}")
    else:
        size = int(split_size_or_sections)
        if size < 0 or (size == 0 and n):
            raise RuntimeError(f"split: split_size must be positive, got {size}")
        sizes = [size] * (n // size) + ([n % size] if n % size else []) if n else [0]
    out, start = [], 0
    for s in sizes:
        out.append(tensor[_along(d, slice(start, start + s))])
        start += s
    return tuple(out)


@method()
def chunk(input, chunks: int, dim: int = 0) -> tuple:  # noqa: A002
    """At most ``chunks`` pieces of equal size along ``dim`` (the last may be smaller, and
    fewer pieces come back when the size does not allow ``chunks`` of them, as in PyTorch).

    >>> import wengert as wg
    >>> [p.shape for p in wg.chunk(wg.zeros(5), 3)]
    [(2,), (2,), (1,)]
    """
    input, d = _dimensioned(input, dim, "chunk")  # noqa: A001
    chunks = int(chunks)
    if chunks <= 0:
        raise RuntimeError(f"chunk: the number of chunks must be positive, got {chunks}")
    n = input.shape[d]
    return split(input, max(-(-n // chunks), 1), d)


@method()
def unbind(input, dim: int = 0) -> tuple:  # noqa: A002
    """The slices along ``dim``, each without that dimension.

    >>> import wengert as wg
    >>> [p.shape for p in wg.unbind(wg.zeros(2, 3), 1)]
    [(2,), (2,), (2,)]
    """
    input, d = _dimensioned(input, dim, "unbind")  # noqa: A001
    return tuple(input[_along(d, i)] for i in range(input.shape[d]))


@method()
def select(input, dim: int, index: int) -> Tensor:  # noqa: A002
    """The slice at ``index`` along ``dim``, without that dimension (``x[:, index]`` for dim 1).

    >>> import wengert as wg
    >>> wg.select(wg.zeros(2, 3), 1, -1).shape
    (2,)
    """
    input, d = _dimensioned(input, dim, "select")  # noqa: A001
    n = input.shape[d]
    index = int(index)
    if not -n <= index < n:
        raise IndexError(f"select: index {index} is out of range for dimension {d} with size "
                         f"{n} (tensor of shape {input.shape})")
    return input[_along(d, index)]


@method()
def narrow(input, dim: int, start, length: int) -> Tensor:  # noqa: A002
    """The ``length`` elements from ``start`` along ``dim`` (a view).

    >>> import wengert as wg
    >>> wg.narrow(wg.arange(6), 0, 2, 3)
    tensor([2, 3, 4])
    """
    input, d = _dimensioned(input, dim, "narrow")  # noqa: A001
    n = input.shape[d]
    start, length = int(start), int(length)
    if not -n <= start <= n:
        raise IndexError(f"narrow: start {start} is out of range for dimension {d} with size "
                         f"{n} (tensor of shape {input.shape})")
    if start < 0:
        start += n
    if length < 0 or start + length > n:
        raise RuntimeError(f"narrow: start ({start}) + length ({length}) exceeds the size "
                           f"{n} of dimension {d} (tensor of shape {input.shape})")
    return input[_along(d, slice(start, start + length))]


def _tensors(tensors, op):
    if not isinstance(tensors, (list, tuple)) or not tensors:
        raise RuntimeError(f"{op}: expected a non-empty list or tuple of tensors")
    return [tensor_arg(t) for t in tensors]


def hstack(tensors) -> Tensor:
    """Join along the columns: dimension 1, or 0 for 1-D tensors.

    >>> import wengert as wg
    >>> wg.hstack([wg.zeros(2), wg.ones(3)]).shape
    (5,)
    """
    tensors = atleast_1d(_tensors(tensors, "hstack"))
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors) -> Tensor:
    """Join along the rows (dimension 0), after making each at least 2-D.

    >>> import wengert as wg
    >>> wg.vstack([wg.zeros(3), wg.ones(3)]).shape
    (2, 3)
    """
    return cat(atleast_2d(_tensors(tensors, "vstack")), 0)


def dstack(tensors) -> Tensor:
    """Join along the depth (dimension 2), after making each at least 3-D.

    >>> import wengert as wg
    >>> wg.dstack([wg.zeros(2, 3), wg.ones(2, 3)]).shape
    (2, 3, 2)
    """
    return cat(atleast_3d(_tensors(tensors, "dstack")), 2)


def column_stack(tensors) -> Tensor:
    """Join as columns: 0-d and 1-D tensors become columns ``(n, 1)``, then ``hstack``.

    >>> import wengert as wg
    >>> wg.column_stack([wg.zeros(3), wg.ones(3, 2)]).shape
    (3, 3)
    """
    tensors = _tensors(tensors, "column_stack")
    return hstack([reshape(t, (t._data.size, 1)) if t.ndim <= 1 else t for t in tensors])


def meshgrid(*tensors, indexing: str = "ij") -> tuple:
    """Coordinate grids from 1-D tensors (broadcast views); ``indexing='xy'`` swaps the
    first two dimensions, as NumPy's default.

    >>> import wengert as wg
    >>> [g.shape for g in wg.meshgrid(wg.zeros(2), wg.zeros(3))]
    [(2, 3), (2, 3)]
    >>> [g.shape for g in wg.meshgrid(wg.zeros(2), wg.zeros(3), indexing="xy")]
    [(3, 2), (3, 2)]
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tensors[0]
    tensors = [tensor_arg(t) for t in tensors]
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    for i, t in enumerate(tensors):
        if t.ndim > 1:
            raise RuntimeError(f"meshgrid: expected 0-d or 1-D tensors, but tensor {i} has "
                               f"shape {t.shape}")
    sizes = [t._data.size for t in tensors]
    swap = indexing == "xy" and len(tensors) > 1
    if swap:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out = []
    for i, t in enumerate(tensors):
        axis = (1 - i if i < 2 else i) if swap else i
        shape = [1] * len(tensors)
        shape[axis] = sizes[axis]
        out.append(broadcast_to(reshape(t, tuple(shape)), tuple(sizes)))
    return tuple(out)

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    chunk,
    column_stack,
    dstack,
    hstack,
    meshgrid,
    narrow,
    select,
    split,
    unbind,
    vstack,
)  # noqa: F821
