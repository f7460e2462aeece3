"""Gathering and scattering along a dimension, and masks: composites of indexing.

Every op here is an index expression on the indexing primitives (``getitem``,
its adjoint ``index_scatter``, and ``index_put``), so it needs no rule of its
own: ``gather`` is ``x[grids with index on dim]`` (its gradient scatter-adds),
``scatter_add``/``index_add`` add an ``index_scatter`` (repeats accumulate),
``scatter``/``index_copy`` are ``index_put``.

Repeated indices in ``scatter``/``index_copy``: the last write (in C order of
``index``) lands, as NumPy assigns; the gradient reaches exactly the written
value that landed (the others do not affect the result, so theirs is 0).
PyTorch leaves the winner unspecified and gives every duplicate the gradient.
"""

from __future__ import annotations

import numpy as np

from .._primitive import bind
from .._tensor import TENSOR_TYPES, Tensor
from ._registry import method, supports_complex, tensor_arg
from .elementwise import where
from .index import getitem_p, index_put, index_scatter_p
from .shape import _dim, broadcast_to, reshape

__all__ = [
    "gather",
    "index_add",
    "index_copy",
    "index_select",
    "masked_fill",
    "masked_select",
    "scatter",
    "scatter_add",
    "take",
    "take_along_dim",
]


def _indices(index, op: str) -> np.ndarray:
    """An index argument (tensor, array or list of integers) as an integer array."""
    data = np.asarray(index._data if type(index) in TENSOR_TYPES else index)
    if data.dtype.kind not in "iu" and not (data.size == 0 and data.dtype.kind == "f"):
        raise TypeError(f"{op}: index must be an integer tensor, got dtype {data.dtype}")
    return data.astype(np.intp, copy=False)


def _check_bounds(index: np.ndarray, size: int, op: str, dim: int, negative: bool = False):
    """Refuse an index outside ``[0, size)`` (``[-size, size)`` where ``negative``)."""
    if index.size:
        lo, hi = index.min(), index.max()
        if hi >= size or lo < (-size if negative else 0):
            bad = hi if hi >= size else lo
            raise IndexError(f"{op}: index {bad} is out of bounds for dimension {dim} with "
                             f"size {size}")


def _same_dtype(src: Tensor, input: Tensor, op: str):  # noqa: A002
    if src.dtype != input.dtype:
        raise RuntimeError(f"{op}: src has dtype {src.dtype} but input has dtype "
                           f"{input.dtype}; convert one with .to(dtype)")


def _grids(index: np.ndarray, dim: int) -> tuple:
    """The index tuple picking ``x[i_0, ..., index[i], ..., i_n]`` for every position i of
    ``index``: ``index`` on ``dim``, broadcast aranges elsewhere."""
    nd = index.ndim
    return tuple(index if a == dim else
                 np.arange(n).reshape((1,) * a + (n,) + (1,) * (nd - a - 1))
                 for a, n in enumerate(index.shape))


def _along_dim(input, dim, index, op, negative=False):
    """``(input, d, index, grids)`` of the gather/scatter family, checked."""
    input = tensor_arg(input)  # noqa: A001
    index = _indices(index, op)
    if input.ndim == 0:
        input = reshape(input, (1,))  # noqa: A001 - a 0-d tensor acts as a 1-element vector
    if index.ndim == 0:
        index = index.reshape(1)
    d = _dim(dim, input.ndim, op)
    if index.ndim != input.ndim:
        raise RuntimeError(f"{op}: index has {index.ndim} dimensions (shape {index.shape}) but "
                           f"input has {input.ndim} (shape {input.shape}); they must match")
    for a, (n, m) in enumerate(zip(index.shape, input.shape)):
        if a != d and n > m:
            raise RuntimeError(f"{op}: index of shape {index.shape} is larger than input of "
                               f"shape {input.shape} in dimension {a} (only dimension {d} may "
                               "be larger)")
    _check_bounds(index, input.shape[d], op, d, negative)
    return input, d, index, _grids(index, d)


def _restore(out: Tensor, like) -> Tensor:
    """A result computed on a 0-d input (or index) viewed as 1-element, back to 0-d."""
    zero_d = (like.ndim if type(like) in TENSOR_TYPES else np.ndim(like)) == 0
    return reshape(out, ()) if zero_d and out.shape == (1,) else out


@method()
def gather(input, dim: int, index, *, sparse_grad: bool = False) -> Tensor:  # noqa: A002
    """``out[i][j][k] = input[i][index[i][j][k]][k]`` for ``dim=1``: values picked along
    ``dim`` (``index`` has input's number of dimensions, and is not larger elsewhere).

    >>> import wengert as wg
    >>> wg.gather(wg.tensor([[1, 2], [3, 4]]), 1, wg.tensor([[0, 0], [1, 0]]))
    tensor([[1, 1],
            [4, 3]])
    """
    x, _, _, grids = _along_dim(input, dim, index, "gather")
    return _restore(bind(getitem_p, (x,), (grids,)), index)


def _src_block(src: Tensor, index: np.ndarray, op: str) -> Tensor:
    """The leading block of ``src`` of ``index``'s shape (``src`` may be larger)."""
    if src.ndim == 0:
        src = reshape(src, (1,) * index.ndim)
    if src.ndim != index.ndim or any(s < n for s, n in zip(src.shape, index.shape)):
        raise RuntimeError(f"{op}: src of shape {src.shape} must have index's number of "
                           f"dimensions and be at least as large (index shape {index.shape})")
    if src.shape == index.shape:
        return src
    return bind(getitem_p, (src,), (tuple(slice(0, n) for n in index.shape),))


@method()
def scatter(input, dim: int, index, src=None, *, value=None, reduce=None) -> Tensor:  # noqa: A002
    """``input`` with ``out[i][index[i][j]] = src[i][j]`` (for ``dim=1``); ``src`` may be a
    tensor or a number. Repeated indices: the last write lands (see the module notes).

    >>> import wengert as wg
    >>> wg.scatter(wg.zeros(2, 3), 1, wg.tensor([[2], [0]]), 5.0)
    tensor([[0., 0., 5.],
            [5., 0., 0.]])
    """
    if value is not None:
        src = value
    if src is None:
        raise TypeError("scatter: give src (a tensor) or value (a number)")
    if reduce is not None:
        if reduce == "add" and type(src) in TENSOR_TYPES:
            return scatter_add(input, dim, index, src)
        raise NotImplementedError(f"scatter: reduce={reduce!r} is not supported; use "
                                  "scatter_add for sums")
    x, _, idx, grids = _along_dim(input, dim, index, "scatter")
    if type(src) in TENSOR_TYPES:
        _same_dtype(src, x, "scatter")
        src = _src_block(src, idx, "scatter")
    return _restore(index_put(x, grids, src), input)


@method()
def scatter_add(input, dim: int, index, src) -> Tensor:  # noqa: A002
    """``input`` with ``out[i][index[i][j]] += src[i][j]`` (for ``dim=1``); repeated indices
    accumulate.

    >>> import wengert as wg
    >>> wg.scatter_add(wg.zeros(3), 0, wg.tensor([0, 2, 0]), wg.tensor([1.0, 2.0, 3.0]))
    tensor([4., 0., 2.])
    """
    x, _, idx, grids = _along_dim(input, dim, index, "scatter_add")
    src = tensor_arg(src)
    _same_dtype(src, x, "scatter_add")
    added = bind(index_scatter_p, (_src_block(src, idx, "scatter_add"),), (grids, x.shape))
    return _restore(x + added, input)


def _dim_index(input, dim, index, op):
    """``(input, d, index, key)`` for the index_* ops: a 1-D ``index`` into dimension ``d``."""
    input = tensor_arg(input)  # noqa: A001
    if input.ndim == 0:
        input = reshape(input, (1,))  # noqa: A001
    d = _dim(dim, input.ndim, op)
    index = _indices(index, op)
    if index.ndim > 1:
        raise RuntimeError(f"{op}: index must be 0-d or 1-D, got shape {index.shape}")
    index = index.reshape(-1)
    _check_bounds(index, input.shape[d], op, d)
    return input, d, index, (slice(None),) * d + (index,)


def _source(source, input, d, index, op):
    source = tensor_arg(source)
    _same_dtype(source, input, op)
    want = input.shape[:d] + (index.size,) + input.shape[d + 1:]
    if source.shape != want and not (source.ndim == 0 and want == (1,)):
        raise RuntimeError(f"{op}: source has shape {source.shape}, expected {want} (input's "
                           f"shape {input.shape} with dimension {d} of index's length "
                           f"{index.size})")
    return reshape(source, want)


@method()
def index_select(input, dim: int, index) -> Tensor:  # noqa: A002
    """The slices of ``input`` at the positions ``index`` (1-D) along ``dim``.

    >>> import wengert as wg
    >>> wg.index_select(wg.tensor([[1, 2], [3, 4]]), 1, wg.tensor([1, 1]))
    tensor([[2, 2],
            [4, 4]])
    """
    x, _, _, key = _dim_index(input, dim, index, "index_select")
    return bind(getitem_p, (x,), (key,))


@method()
def index_add(input, dim: int, index, source, *, alpha=1) -> Tensor:  # noqa: A002
    """``input`` with ``alpha * source`` added to the slices at ``index`` along ``dim``;
    repeated indices accumulate.

    >>> import wengert as wg
    >>> wg.index_add(wg.zeros(3), 0, wg.tensor([0, 0]), wg.tensor([1.0, 2.0]))
    tensor([3., 0., 0.])
    """
    x, d, idx, key = _dim_index(input, dim, index, "index_add")
    source = _source(source, x, d, idx, "index_add")
    if alpha != 1:
        source = source * alpha
    return _restore(x + bind(index_scatter_p, (source,), (key, x.shape)), input)


@method()
def index_copy(input, dim: int, index, source) -> Tensor:  # noqa: A002
    """``input`` with the slices at ``index`` along ``dim`` replaced by those of ``source``
    (repeated indices: the last one lands).

    >>> import wengert as wg
    >>> wg.index_copy(wg.zeros(3), 0, wg.tensor([2]), wg.tensor([7.0]))
    tensor([0., 0., 7.])
    """
    x, d, idx, key = _dim_index(input, dim, index, "index_copy")
    return _restore(index_put(x, key, _source(source, x, d, idx, "index_copy")), input)


def _mask(mask, op) -> np.ndarray:
    data = np.asarray(mask._data if type(mask) in TENSOR_TYPES else mask)
    if data.dtype != np.bool_:
        raise TypeError(f"{op}: mask must be a bool tensor, got dtype {data.dtype}")
    return data


@method()
def masked_fill(input, mask, value) -> Tensor:  # noqa: A002
    """``input`` with ``value`` (a number or a 0-d tensor, which gets the gradient of the
    filled places) wherever ``mask`` (broadcast to input's shape) is true.

    >>> import wengert as wg
    >>> wg.masked_fill(wg.zeros(3), wg.tensor([True, False, True]), 2.0)
    tensor([2., 0., 2.])
    """
    input = tensor_arg(input)  # noqa: A001
    m = _mask(mask, "masked_fill")
    if len(m.shape) > input.ndim or any(
            n not in (1, k) for n, k in zip(m.shape[::-1], input.shape[::-1])):
        raise RuntimeError(f"masked_fill: mask of shape {m.shape} does not broadcast to the "
                           f"input's shape {input.shape}")
    if type(value) in TENSOR_TYPES:
        if value.ndim:
            raise RuntimeError(f"masked_fill: value must be a number or a 0-d tensor, got "
                               f"shape {value.shape}")
        if value.dtype != input.dtype:
            value = value.to(input.dtype)
    else:
        value = np.asarray(value).astype(input.dtype)  # PyTorch casts the value to input's
    return where(m, value, input)


@method()
def masked_select(input, mask) -> Tensor:  # noqa: A002
    """The elements of ``input`` where ``mask`` is true (both broadcast), as a 1-D tensor.

    >>> import wengert as wg
    >>> wg.masked_select(wg.tensor([[1, 2], [3, 4]]), wg.tensor([True, False]))
    tensor([1, 3])
    """
    input = tensor_arg(input)  # noqa: A001
    m = _mask(mask, "masked_select")
    try:
        shape = np.broadcast_shapes(m.shape, input.shape)
    except ValueError:
        raise RuntimeError(f"masked_select: mask of shape {m.shape} and input of shape "
                           f"{input.shape} do not broadcast") from None
    x, m = broadcast_to(input, shape), np.broadcast_to(m, shape)
    if not shape:
        x, m = reshape(x, (1,)), m.reshape(1)
    return bind(getitem_p, (x,), (m,))


@method()
def take(input, index) -> Tensor:  # noqa: A002
    """The elements of the flattened ``input`` at ``index`` (negative counts from the end),
    in the shape of ``index``.

    >>> import wengert as wg
    >>> wg.take(wg.tensor([[1, 2], [3, 4]]), wg.tensor([0, -1]))
    tensor([1, 4])
    """
    input = tensor_arg(input)  # noqa: A001
    idx = _indices(index, "take")
    _check_bounds(idx, input._data.size, "take", 0, negative=True)
    return bind(getitem_p, (reshape(input, (-1,)),), (idx,))


@method()
def take_along_dim(input, indices, dim=None) -> Tensor:  # noqa: A002
    """Values picked along ``dim`` by ``indices`` (broadcast against ``input`` in the other
    dimensions; negative counts from the end); with no ``dim``, ``take`` on the flattened
    tensors.

    >>> import wengert as wg
    >>> x = wg.tensor([[10, 30, 20], [60, 40, 50]])
    >>> wg.take_along_dim(x, x.argmax(1, keepdim=True), 1)
    tensor([[30],
            [60]])
    """
    input = tensor_arg(input)  # noqa: A001
    idx = _indices(indices, "take_along_dim")
    if dim is None:
        return take(input, idx.reshape(-1))
    d = _dim(dim, input.ndim, "take_along_dim")
    if idx.ndim != input.ndim:
        raise RuntimeError(f"take_along_dim: indices of shape {idx.shape} must have input's "
                           f"number of dimensions (shape {input.shape})")
    n = input.shape[d]
    _check_bounds(idx, n, "take_along_dim", d, negative=True)
    rest = [1 if a == d else s for a, s in enumerate(input.shape)]
    try:
        common = list(np.broadcast_shapes(tuple(rest),
                                          tuple(1 if a == d else s
                                                for a, s in enumerate(idx.shape))))
    except ValueError:
        raise RuntimeError(f"take_along_dim: input of shape {input.shape} and indices of shape "
                           f"{idx.shape} do not broadcast outside dimension {d}") from None
    x = broadcast_to(input, tuple(common[:d] + [n] + common[d + 1:]))
    idx = np.broadcast_to(idx, tuple(common[:d] + [idx.shape[d]] + common[d + 1:]))
    return bind(getitem_p, (x,), (_grids(np.where(idx < 0, idx + n, idx), d),))

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    gather,
    index_add,
    index_copy,
    index_select,
    masked_fill,
    masked_select,
    scatter,
    scatter_add,
    take,
    take_along_dim,
)  # noqa: F821
