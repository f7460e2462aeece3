"""Indexing: ``x[index]`` (getitem), its adjoint (scatter-add) and ``x[index] = v``.

Every index NumPy understands works: integers, slices, ``None``, ``...``,
integer arrays (repeats are summed in the gradient) and boolean masks, with
PyTorch's meaning where the two differ: integers are applied before the
advanced (array) indices, so ``x[1, :, idx]`` of a ``(2, 3, 4)`` tensor has
shape ``(3, len(idx))`` as in PyTorch (NumPy gives ``(len(idx), 3)``); a 0-d
integer tensor counts as an integer, a uint8 tensor as a mask (PyTorch's
deprecated reading; uint8 NumPy arrays stay integer indices, as in NumPy).
Beyond PyTorch: negative slice steps (``x[::-1]``) work. A list of lists is
one (nested) integer index, as in NumPy and in PyTorch's announced future
(PyTorch 2.x still reads it as a tuple, with a deprecation warning).
"""

from __future__ import annotations

import math

import numpy as np

from .._primitive import SPEC, Primitive, bind
from .._tensor import TENSOR_TYPES, Tensor, bump_version
from ..autograd.linear import BroadcastTo, Compose, Embed, LinearMap, Mask, Take
from ._registry import method, supports_complex
from .shape import reshape_p

__all__ = [
    "index_put",
]


def _has_int_array(index) -> bool:
    """Whether an index may hit the same element twice (then scatters must add)."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(isinstance(p, np.ndarray) and p.dtype != np.bool_ for p in parts)


def _getitem(x, index):
    out = x[index]
    if type(out) is not np.ndarray and type(x) is np.ndarray:
        # NumPy returns a copied scalar for a single element; PyTorch returns a
        # view (x[0].add_(1) changes x). A trailing ... gives NumPy's 0-d view.
        parts = index if isinstance(index, tuple) else (index,)
        if not any(p is Ellipsis for p in parts):
            out = x[(*parts, Ellipsis)]
    return out


def _index_scatter(x, index, shape):
    """Zeros of ``shape`` with ``x`` added at ``index``: the adjoint of ``x[index]``."""
    if _has_int_array(index):
        if x.size > 1000 and x.dtype.kind == "f":
            # Sum by flat position: bincount is 2-4x faster than np.add.at on large inputs
            # (embedding and gather gradients), and adds in float64.
            size = math.prod(shape)
            position = np.arange(size).reshape(shape)[index]
            total = np.bincount(position.ravel(), np.broadcast_to(x, position.shape).ravel(), size)
            return total.reshape(shape).astype(x.dtype, copy=False)
        out = np.zeros(shape, dtype=x.dtype)
        np.add.at(out, index, x)
        return out
    out = np.zeros(shape, dtype=x.dtype)
    out[index] = x
    return out


def _index_put(x, v, index, sub_shape):
    out = np.array(x, copy=True)
    out[index] = v
    return out


getitem_p = Primitive("getitem", _getitem, save=(SPEC,), n_params=1, view=True,
                      rule=(lambda ns, out, x, index: Take(index, x.shape),))

index_scatter_p = Primitive(
    "index_scatter", _index_scatter, save=(None,), n_params=2,
    rule=(lambda ns, out, x, index, shape: Embed(index, shape),))


class _Overwrite(LinearMap):
    """``t -> t`` with zeros at ``index``: what survives of ``x`` in ``x[index] = v``."""

    __slots__ = ("index", "sub_shape")

    def __init__(self, index, sub_shape):
        self.index, self.sub_shape = index, sub_shape

    def apply(self, ns, t):
        return ns.index_put(t, 0, self.index, self.sub_shape)

    transpose = apply


def _last_writes(index, shape):
    """Where an index hits an element twice, which selected positions land.

    ``x[index] = v`` with a repeated integer index keeps the last write (what
    NumPy does), so only that position's value reaches the output and gets a
    gradient. None when every selected element is distinct.
    """
    if not _has_int_array(index):
        return None
    targets = np.arange(math.prod(shape)).reshape(shape)[index].ravel()
    if len(np.unique(targets)) == targets.size:
        return None
    _, first_from_end = np.unique(targets[::-1], return_index=True)
    landed = np.zeros(targets.size, dtype=bool)
    landed[targets.size - 1 - first_from_end] = True
    return landed.reshape(np.empty(shape, dtype=bool)[index].shape)


def _values_map(ns, out, x, v, index, sub):
    landed = _last_writes(index, x.shape)
    scatter = Embed(index, x.shape) if landed is None else Compose(Mask(landed),
                                                                   Embed(index, x.shape))
    return Compose(BroadcastTo(v.shape, sub), scatter)


index_put_p = Primitive(
    "index_put", _index_put, save=(SPEC, SPEC), n_params=2,
    rule=(lambda ns, out, x, v, index, sub: _Overwrite(index, sub), _values_map))


def normalize_index(index):
    """Tensors and lists inside an index become arrays (a 0-d integer tensor an int)."""
    if isinstance(index, tuple):
        return tuple(normalize_index(i) for i in index)
    if type(index) in TENSOR_TYPES:
        data = index._data
        if data.dtype.kind not in "biu":
            raise IndexError(f"tensors used as indices must be integer or bool, not {data.dtype}")
        if data.dtype == np.uint8:
            return np.asarray(data, dtype=np.bool_)  # PyTorch: a uint8 tensor is a mask
        if data.ndim == 0 and data.dtype.kind != "b":
            return int(data)  # PyTorch: a 0-d integer tensor selects, like an int
        return np.asarray(data)
    if isinstance(index, list):
        arr = np.asarray(index) if index else np.zeros(0, dtype=np.intp)
        if arr.dtype.kind not in "biu":
            raise IndexError(f"lists used as indices must hold integers or bools, got {index!r}")
        return arr
    return index


def _is_int(p) -> bool:
    return type(p) is int or isinstance(p, np.integer)


def torch_order(index, shape: tuple):
    """``(numpy_index, drop)``: an index with PyTorch's meaning, in NumPy's terms.

    NumPy counts integers among the advanced indices, so an integer separated
    from an index array by a slice sends the array's dimensions to the front;
    PyTorch applies integers first (as ``select``) and only then decides
    whether the arrays are adjacent. Where the two differ, each integer outside
    the block of arrays becomes a length-1 slice (the arrays stay adjacent) and
    ``drop`` lists the result axes to squeeze away; else ``drop`` is None.
    """
    if type(index) is not tuple:
        return index, None
    arrays = [i for i, p in enumerate(index) if type(p) is np.ndarray]
    if not arrays or not any(_is_int(p) for p in index) or any(type(p) is bool for p in index):
        return index, None
    advanced = [i for i, p in enumerate(index) if type(p) is np.ndarray or _is_int(p)]
    if advanced[-1] - advanced[0] + 1 == len(advanced):
        return index, None  # one block in NumPy too: the same result
    first, last = arrays[0], arrays[-1]
    if not all(type(p) is np.ndarray or _is_int(p) for p in index[first:last + 1]):
        return index, None  # arrays separated in PyTorch too: both put them first
    consumed = sum(0 if p is None or p is Ellipsis else
                   p.ndim if type(p) is np.ndarray and p.dtype == np.bool_ else 1 for p in index)
    out, drop, dim, axis = [], [], 0, 0
    for i, p in enumerate(index):
        if first <= i <= last:
            if i == first:  # the block's dimensions
                axis += max(1 if a.dtype == np.bool_ else a.ndim
                            for a in index[first:last + 1] if type(a) is np.ndarray)
            out.append(p)
            dim += p.ndim if type(p) is np.ndarray and p.dtype == np.bool_ else 1
        elif _is_int(p):
            size = shape[dim] if dim < len(shape) else None
            if size is None or not -size <= p < size:
                raise IndexError(f"index {p} is out of bounds for dimension {dim} "
                                 f"with size {size} (tensor of shape {shape})")
            out.append(slice(p % size, p % size + 1))
            drop.append(axis)
            dim, axis = dim + 1, axis + 1
        elif p is Ellipsis:
            out.append(p)
            skipped = len(shape) - consumed
            dim, axis = dim + skipped, axis + skipped
        else:
            out.append(p)
            dim, axis = dim + (p is not None), axis + 1
    return tuple(out), tuple(drop) if drop else None


def prepare_index(index, shape: tuple):
    """An index as given by a user, as ``(numpy_index, drop)``: see ``torch_order``."""
    return torch_order(normalize_index(index), shape)


def _setitem_index(index, shape: tuple):
    try:
        return prepare_index(index, shape)
    except IndexError as e:
        raise IndexError(f"setitem: {e}") from None


def _getitem_method(self, index) -> Tensor:
    try:
        key, drop = prepare_index(index, self._data.shape)
        out = bind(getitem_p, (self,), (key,))
    except IndexError as e:
        detail = str(e).removeprefix("getitem: ").split(" (inputs: ")[0]
        raise IndexError(f"getitem: index {_describe(index)} is invalid for a tensor of shape "
                         f"{self.shape}: {detail}") from None
    if drop is None:
        return out
    return bind(reshape_p, (out,), (_squeezed(out.shape, drop),))


def _squeezed(shape, drop) -> tuple:
    return tuple(n for i, n in enumerate(shape) if i not in drop)


def _unsqueezed(values, sub_shape, drop):
    """``values`` (broadcastable to the squeezed selection) reshaped to fit ``sub_shape``."""
    shape = np.shape(values)
    squeezed = _squeezed(sub_shape, drop)
    while len(shape) > len(squeezed) and shape[0] == 1:
        shape = shape[1:]  # NumPy drops leading 1s of assigned values
    if len(shape) > len(squeezed) or any(
            n not in (1, m) for n, m in zip(shape[::-1], squeezed[::-1])):
        raise RuntimeError(f"setitem: cannot assign values of shape {np.shape(values)} to a "
                           f"selection of shape {squeezed}")
    shape = [1] * (len(squeezed) - len(shape)) + list(shape)
    for axis in drop:
        shape.insert(axis, 1)
    shape = tuple(shape)
    if type(values) in TENSOR_TYPES:
        return bind(reshape_p, (values,), (shape,))
    return np.reshape(values, shape)


def _describe(index) -> str:
    """An index as a user would write it inside ``x[...]``."""
    if isinstance(index, np.ndarray) or type(index) in TENSOR_TYPES:
        kind = "array" if isinstance(index, np.ndarray) else "tensor"
        return f"{kind}(shape={tuple(index.shape)}, dtype={index.dtype})"
    if isinstance(index, tuple):
        return "[" + ", ".join(_describe(i) for i in index) + "]"
    if isinstance(index, slice):
        parts = ["" if v is None else str(v) for v in (index.start, index.stop, index.step)]
        return ":".join(parts[:2] if index.step is None else parts)
    return "..." if index is Ellipsis else repr(index)


Tensor.__getitem__ = _getitem_method


def index_put(input, index, values, accumulate=False) -> Tensor:  # noqa: A002
    """``input`` with ``input[index]`` replaced by ``values`` (out of place, differentiable).

    With ``accumulate`` the values are added instead, and an element that ``index``
    selects more than once receives the sum of all its values (as PyTorch); without it,
    the last write lands.
    """
    from ._registry import tensor_arg

    input = tensor_arg(input)  # noqa: A001
    index, drop = _setitem_index(index, input.shape)
    sub_shape = np.empty(input.shape, dtype=np.bool_)[index].shape
    if drop is not None:
        values = _unsqueezed(values, sub_shape, drop)
    if type(values) in TENSOR_TYPES:
        while values.ndim > len(sub_shape) and values.shape[0] == 1:
            values = values.reshape(values.shape[1:])  # NumPy drops leading 1s here too
        try:
            np.broadcast_shapes(values.shape, sub_shape)
        except ValueError:
            raise RuntimeError(
                f"setitem: cannot assign a tensor of shape {values.shape} to the selection "
                f"{_describe(index)} of shape {sub_shape}") from None
        if values.dtype != input.dtype:
            values = values.to(input.dtype)
    if accumulate:
        from .shape import broadcast_to

        if type(values) not in TENSOR_TYPES:
            values = Tensor(np.asarray(values, dtype=input.dtype))
        values = broadcast_to(values, sub_shape)
        return input + bind(index_scatter_p, (values,), (index, input.shape))
    return bind(index_put_p, (input, values), (index, sub_shape))


def _setitem(self, index, value) -> None:
    from .inplace import commit, recording

    if recording(self, value):
        commit(self, index_put(self, index, value), "setitem")
        return
    index, drop = _setitem_index(index, self.shape)
    data = value._data if type(value) in TENSOR_TYPES else value
    if drop is not None:
        data = _unsqueezed(data, self._data[index].shape, drop)
    if not isinstance(self._data, np.ndarray):
        self._data = np.array(self._data)
    try:
        self._data[index] = data
    except ValueError as e:
        raise RuntimeError(f"setitem: cannot assign values of shape {np.shape(data)} to the "
                           f"selection {_describe(index)} of a tensor of shape {self.shape} "
                           f"({e})") from None
    bump_version(self)


Tensor.__setitem__ = _setitem
method("index_put")(index_put)

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    index_put,
)  # noqa: F821
