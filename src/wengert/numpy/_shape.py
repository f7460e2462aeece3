"""Shapes, joining, splitting and picking elements under NumPy's names and semantics.

Where NumPy's meaning differs from PyTorch's, NumPy's is followed: ``split`` takes
section *indices* (or a count that must divide), ``flip`` without an axis flips all,
``meshgrid`` indexes ``'xy'`` by default, ``concatenate(axis=None)`` flattens,
``squeeze`` of an axis that is not 1 is an error.

>>> import wengert as wg
>>> import wengert.numpy as wnp
>>> x = wg.tensor([1.0, 2.0, 3.0, 4.0, 5.0], requires_grad=True)
>>> [p.shape for p in wnp.split(x, [1, 3])]
[(1,), (2,), (2,)]
"""

from __future__ import annotations

import builtins
import operator

import numpy as np

import wengert as wg

from .._tensor import TENSOR_TYPES
from ._dispatch import implements, normalize_axis_tuple, tensor_arg


def along(axis: int, index) -> tuple:
    """The ``__getitem__`` key applying ``index`` along ``axis``."""
    return (slice(None),) * axis + (index,)


def _axis(axis, ndim: int) -> int:
    return normalize_axis_tuple(axis, ndim)[0]


# -- shapes --------------------------------------------------------------------


@implements(np.reshape)
def reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    """``numpy.reshape(a, shape, order='C', *, copy=None)``: the same elements in a new shape
    (``order='C'`` only on tensors).

    >>> import wengert.numpy as wnp
    >>> wnp.reshape(wnp.arange(6), (2, -1))
    array([[0, 1, 2],
           [3, 4, 5]])
    """
    if order != "C":
        raise NotImplementedError(f"reshape: order={order!r} on tensors; only 'C' is supported")
    shape = newshape if shape is None else shape
    return wg.reshape(a, (shape,) if isinstance(shape, int) else tuple(shape))


@implements(np.ravel)
def ravel(a, order="C"):
    """``numpy.ravel(a, order='C')``: the elements as a 1-D array (``'C'`` order on tensors).

    >>> import wengert.numpy as wnp
    >>> wnp.ravel([[1, 2], [3, 4]])
    array([1, 2, 3, 4])
    """
    return reshape.tensor_impl(a, (-1,), order)


@implements(np.squeeze)
def squeeze(a, axis=None):
    """``numpy.squeeze(a, axis=None)``: drop axes of length one (each given one must be 1).

    >>> import wengert.numpy as wnp
    >>> wnp.squeeze(wnp.zeros((1, 3, 1))).shape
    (3,)
    """
    a = tensor_arg(a)
    if axis is None:
        return wg.reshape(a, tuple(n for n in a.shape if n != 1))
    axes = normalize_axis_tuple(axis, a.ndim)
    if builtins.any(a.shape[d] != 1 for d in axes):
        raise ValueError(f"squeeze: cannot select an axis to squeeze out which has size not "
                         f"equal to one (shape {a.shape}, axis {axis})")
    return wg.reshape(a, tuple(n for d, n in enumerate(a.shape) if d not in axes))


@implements(np.expand_dims)
def expand_dims(a, axis):
    """``numpy.expand_dims(a, axis)``: insert axes of length one at ``axis`` (int or tuple).

    >>> import wengert.numpy as wnp
    >>> wnp.expand_dims(wnp.zeros(3), (0, 2)).shape
    (1, 3, 1)
    """
    a = tensor_arg(a)
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    new = normalize_axis_tuple(axes, a.ndim + len(axes))
    sizes = iter(a.shape)
    return wg.reshape(a, tuple(1 if d in new else next(sizes) for d in range(a.ndim + len(new))))


@implements(np.moveaxis)
def moveaxis(a, source, destination):
    """``numpy.moveaxis(a, source, destination)``: move axes to new positions.

    >>> import wengert.numpy as wnp
    >>> wnp.moveaxis(wnp.zeros((2, 3, 4)), 0, -1).shape
    (3, 4, 2)
    """
    return wg.moveaxis(a, source, destination)


@implements(np.swapaxes)
def swapaxes(a, axis1, axis2):
    """``numpy.swapaxes(a, axis1, axis2)``: exchange two axes.

    >>> import wengert.numpy as wnp
    >>> wnp.swapaxes(wnp.zeros((2, 3)), 0, 1).shape
    (3, 2)
    """
    return wg.swapaxes(a, axis1, axis2)


@implements(np.transpose, getattr(np, "permute_dims", None))
def transpose(a, axes=None):
    """``numpy.transpose(a, axes=None)`` (alias ``permute_dims``): permute the axes (reverse
    them by default).

    >>> import wengert.numpy as wnp
    >>> wnp.transpose(wnp.zeros((2, 3, 4))).shape
    (4, 3, 2)
    """
    a = tensor_arg(a)
    return wg.permute(a, *(range(a.ndim)[::-1] if axes is None else axes))


def _atleast(fn):
    def apply(*arys):
        out = fn(*arys)
        return out if len(arys) == 1 else tuple(out)

    return apply


@implements(np.atleast_1d)
def atleast_1d(*arys):
    """``numpy.atleast_1d(*arys)``: each input with at least one dimension.

    >>> import wengert.numpy as wnp
    >>> wnp.atleast_1d(2.0)
    array([2.])
    """
    return _atleast(wg.atleast_1d)(*arys)


@implements(np.atleast_2d)
def atleast_2d(*arys):
    """``numpy.atleast_2d(*arys)``: each input with at least two dimensions.

    >>> import wengert.numpy as wnp
    >>> wnp.atleast_2d([1.0, 2.0]).shape
    (1, 2)
    """
    return _atleast(wg.atleast_2d)(*arys)


@implements(np.atleast_3d)
def atleast_3d(*arys):
    """``numpy.atleast_3d(*arys)``: each input with at least three dimensions.

    >>> import wengert.numpy as wnp
    >>> wnp.atleast_3d([1.0, 2.0]).shape
    (1, 2, 1)
    """
    return _atleast(wg.atleast_3d)(*arys)


@implements(np.broadcast_to)
def broadcast_to(array, shape, subok=False):
    """``numpy.broadcast_to(array, shape)``: a broadcast view of ``array``.

    >>> import wengert.numpy as wnp
    >>> wnp.broadcast_to([1.0, 2.0], (2, 2))
    array([[1., 2.],
           [1., 2.]])
    """
    return wg.broadcast_to(array, (shape,) if isinstance(shape, int) else tuple(shape))


@implements(np.broadcast_arrays)
def broadcast_arrays(*args, subok=False):
    """``numpy.broadcast_arrays(*args)``: the inputs broadcast against each other.

    >>> import wengert.numpy as wnp
    >>> [a.shape for a in wnp.broadcast_arrays(wnp.zeros(3), wnp.zeros((2, 1)))]
    [(2, 3), (2, 3)]
    """
    tensors = [tensor_arg(a) for a in args]
    shape = np.broadcast_shapes(*(t.shape for t in tensors))
    return tuple(wg.broadcast_to(t, shape) for t in tensors)


# -- joining ---------------------------------------------------------------------


def _cast_all(arrays, dtype):
    tensors = [tensor_arg(a) for a in arrays]
    return tensors if dtype is None else [wg.astype(t, dtype) for t in tensors]


@implements(np.concatenate, getattr(np, "concat", None))
def concatenate(arrays, axis=0, *, dtype=None, casting="same_kind"):
    """``numpy.concatenate(arrays, axis=0, out=None, *, dtype=None)`` (alias ``concat``):
    join along an existing axis; ``axis=None`` joins the flattened arrays.

    >>> import wengert.numpy as wnp
    >>> wnp.concatenate([[1.0, 2.0], [3.0]])
    array([1., 2., 3.])
    """
    tensors = _cast_all(arrays, dtype)
    if axis is None:
        tensors, axis = [wg.reshape(t, (-1,)) for t in tensors], 0
    return wg.cat(tensors, axis)


@implements(np.stack)
def stack(arrays, axis=0, *, dtype=None, casting="same_kind"):
    """``numpy.stack(arrays, axis=0, out=None, *, dtype=None)``: join along a new axis.

    >>> import wengert.numpy as wnp
    >>> wnp.stack([[1.0, 2.0], [3.0, 4.0]], axis=1)
    array([[1., 3.],
           [2., 4.]])
    """
    return wg.stack(_cast_all(arrays, dtype), axis)


@implements(np.hstack)
def hstack(tup, *, dtype=None, casting="same_kind"):
    """``numpy.hstack(tup, *, dtype=None)``: join column-wise (along axis 1; 0 for 1-D).

    >>> import wengert.numpy as wnp
    >>> wnp.hstack([[1.0], [2.0, 3.0]])
    array([1., 2., 3.])
    """
    return wg.hstack(_cast_all(tup, dtype))


@implements(np.vstack)
def vstack(tup, *, dtype=None, casting="same_kind"):
    """``numpy.vstack(tup, *, dtype=None)``: join row-wise (1-D inputs become rows).

    >>> import wengert.numpy as wnp
    >>> wnp.vstack([[1.0, 2.0], [3.0, 4.0]]).shape
    (2, 2)
    """
    return wg.vstack(_cast_all(tup, dtype))


@implements(np.dstack)
def dstack(tup):
    """``numpy.dstack(tup)``: join along the third axis.

    >>> import wengert.numpy as wnp
    >>> wnp.dstack([[1.0, 2.0], [3.0, 4.0]]).shape
    (1, 2, 2)
    """
    return wg.dstack(_cast_all(tup, None))


@implements(np.column_stack)
def column_stack(tup):
    """``numpy.column_stack(tup)``: 1-D inputs as the columns of a 2-D array.

    >>> import wengert.numpy as wnp
    >>> wnp.column_stack([[1.0, 2.0], [3.0, 4.0]])
    array([[1., 3.],
           [2., 4.]])
    """
    return wg.column_stack(_cast_all(tup, None))


@implements(np.append)
def append(arr, values, axis=None):
    """``numpy.append(arr, values, axis=None)``: ``values`` after ``arr`` (both flattened
    without ``axis``).

    >>> import wengert.numpy as wnp
    >>> wnp.append([1.0, 2.0], [[3.0]])
    array([1., 2., 3.])
    """
    return concatenate.tensor_impl([arr, values], axis)


# -- splitting -------------------------------------------------------------------


def _pieces(ary, bounds, axis):
    a = tensor_arg(ary)
    axis = _axis(axis, a.ndim)
    return [a[along(axis, slice(s, e))] for s, e in zip(bounds[:-1], bounds[1:])]


@implements(np.array_split)
def array_split(ary, indices_or_sections, axis=0):
    """``numpy.array_split(ary, indices_or_sections, axis=0)``: split at the given indices, or
    into N nearly equal pieces (the first ``len % N`` one longer).

    >>> import wengert.numpy as wnp
    >>> [len(p) for p in wnp.array_split(wnp.arange(5.0), 3)]
    [2, 2, 1]
    """
    a = tensor_arg(ary)
    n = a.shape[_axis(axis, a.ndim)]
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0:
            raise ValueError("array_split: number sections must be larger than 0.")
        size, extra = divmod(n, sections)
        bounds = np.cumsum([0] + extra * [size + 1] + (sections - extra) * [size]).tolist()
    else:
        bounds = [0, *(operator.index(i) for i in indices_or_sections), n]
    return _pieces(a, bounds, axis)


@implements(np.split)
def split(ary, indices_or_sections, axis=0):
    """``numpy.split(ary, indices_or_sections, axis=0)``: split at the given indices, or into
    N equal pieces (N must divide the length).

    >>> import wengert.numpy as wnp
    >>> wnp.split(wnp.arange(4.0), 2)
    [array([0., 1.]), array([2., 3.])]
    """
    a = tensor_arg(ary)
    if isinstance(indices_or_sections, (int, np.integer)):
        n = a.shape[_axis(axis, a.ndim)]
        if indices_or_sections <= 0 or n % indices_or_sections:
            raise ValueError(f"split: array split does not result in an equal division "
                             f"(length {n} into {indices_or_sections} sections); use "
                             f"array_split for unequal pieces")
    return array_split.tensor_impl(a, indices_or_sections, axis)


def _split_at(axis_of, name):
    def apply(ary, indices_or_sections):
        a = tensor_arg(ary)
        return split.tensor_impl(a, indices_or_sections, axis_of(a.ndim, name))

    return apply


def _h_axis(ndim, name):
    return 1 if ndim > 1 else 0


def _v_axis(ndim, name):
    if ndim < 2:
        raise ValueError(f"{name} only works on arrays of 2 or more dimensions")
    return 0


def _d_axis(ndim, name):
    if ndim < 3:
        raise ValueError(f"{name} only works on arrays of 3 or more dimensions")
    return 2


@implements(np.hsplit)
def hsplit(ary, indices_or_sections):
    """``numpy.hsplit(ary, indices_or_sections)``: ``split`` along axis 1 (0 for 1-D).

    >>> import wengert.numpy as wnp
    >>> len(wnp.hsplit(wnp.zeros((2, 4)), 2))
    2
    """
    return _split_at(_h_axis, "hsplit")(ary, indices_or_sections)


@implements(np.vsplit)
def vsplit(ary, indices_or_sections):
    """``numpy.vsplit(ary, indices_or_sections)``: ``split`` along axis 0 (2-D or more).

    >>> import wengert.numpy as wnp
    >>> len(wnp.vsplit(wnp.zeros((4, 2)), [1]))
    2
    """
    return _split_at(_v_axis, "vsplit")(ary, indices_or_sections)


@implements(np.dsplit)
def dsplit(ary, indices_or_sections):
    """``numpy.dsplit(ary, indices_or_sections)``: ``split`` along axis 2 (3-D or more).

    >>> import wengert.numpy as wnp
    >>> len(wnp.dsplit(wnp.zeros((1, 1, 4)), 4))
    4
    """
    return _split_at(_d_axis, "dsplit")(ary, indices_or_sections)


# -- repeating, flipping, rolling -----------------------------------------------


@implements(np.tile)
def tile(A, reps):  # noqa: N803 - NumPy's name
    """``numpy.tile(A, reps)``: ``A`` repeated ``reps`` times along each axis.

    >>> import wengert.numpy as wnp
    >>> wnp.tile([1.0, 2.0], 2)
    array([1., 2., 1., 2.])
    """
    return wg.tile(A, (reps,) if isinstance(reps, int) else tuple(reps))


@implements(np.repeat)
def repeat(a, repeats, axis=None):
    """``numpy.repeat(a, repeats, axis=None)``: each element repeated (the flattened array
    without ``axis``).

    >>> import wengert.numpy as wnp
    >>> wnp.repeat([1.0, 2.0], [1, 3])
    array([1., 2., 2., 2.])
    """
    if not isinstance(repeats, (int, np.integer)):
        repeats = wg.tensor(np.asarray(repeats))
    return wg.repeat_interleave(a, repeats, axis)


@implements(np.flip)
def flip(m, axis=None):
    """``numpy.flip(m, axis=None)``: reverse the order along ``axis`` (all axes if None).

    >>> import wengert.numpy as wnp
    >>> wnp.flip([[1.0, 2.0], [3.0, 4.0]])
    array([[4., 3.],
           [2., 1.]])
    """
    m = tensor_arg(m)
    return wg.flip(m, tuple(range(m.ndim)) if axis is None else normalize_axis_tuple(axis, m.ndim))


@implements(np.fliplr)
def fliplr(m):
    """``numpy.fliplr(m)``: reverse the columns (axis 1).

    >>> import wengert.numpy as wnp
    >>> wnp.fliplr([[1.0, 2.0]])
    array([[2., 1.]])
    """
    return wg.fliplr(m)


@implements(np.flipud)
def flipud(m):
    """``numpy.flipud(m)``: reverse the rows (axis 0).

    >>> import wengert.numpy as wnp
    >>> wnp.flipud([1.0, 2.0])
    array([2., 1.])
    """
    return wg.flipud(m)


@implements(np.roll)
def roll(a, shift, axis=None):
    """``numpy.roll(a, shift, axis=None)``: shift elements cyclically (of the flattened array
    without ``axis``).

    >>> import wengert.numpy as wnp
    >>> wnp.roll([1.0, 2.0, 3.0], 1)
    array([3., 1., 2.])
    """
    return wg.roll(a, shift, axis)


@implements(np.rot90)
def rot90(m, k=1, axes=(0, 1)):
    """``numpy.rot90(m, k=1, axes=(0, 1))``: rotate by 90 degrees ``k`` times.

    >>> import wengert.numpy as wnp
    >>> wnp.rot90([[1.0, 2.0], [3.0, 4.0]])
    array([[2., 4.],
           [1., 3.]])
    """
    return wg.rot90(m, k, tuple(axes))


# -- diagonals and triangles ----------------------------------------------------------


@implements(np.diag)
def diag(v, k=0):
    """``numpy.diag(v, k=0)``: the ``k``-th diagonal of a 2-D array, or a 2-D array with
    1-D ``v`` on it.

    >>> import wengert.numpy as wnp
    >>> wnp.diag([1.0, 2.0])
    array([[1., 0.],
           [0., 2.]])
    """
    return wg.diag(v, k)


@implements(np.diagflat)
def diagflat(v, k=0):
    """``numpy.diagflat(v, k=0)``: a 2-D array with the flattened ``v`` on diagonal ``k``.

    >>> import wengert.numpy as wnp
    >>> wnp.diagflat([[1.0, 2.0]]).shape
    (2, 2)
    """
    return wg.diag(wg.reshape(tensor_arg(v), (-1,)), k)


@implements(np.diagonal)
def diagonal(a, offset=0, axis1=0, axis2=1):
    """``numpy.diagonal(a, offset=0, axis1=0, axis2=1)``: the diagonal, as the last axis.

    >>> import wengert.numpy as wnp
    >>> wnp.diagonal([[1.0, 2.0], [3.0, 4.0]])
    array([1., 4.])
    """
    return wg.diagonal(a, offset, axis1, axis2)


@implements(np.trace)
def trace(a, offset=0, axis1=0, axis2=1, dtype=None):
    """``numpy.trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None)``: the sum of a
    diagonal.

    >>> import wengert.numpy as wnp
    >>> wnp.trace([[1.0, 2.0], [3.0, 4.0]])
    np.float64(5.0)
    """
    a = tensor_arg(a)
    return wg.sum(wg.diagonal(a if dtype is None else wg.astype(a, dtype), offset, axis1, axis2),
                  -1)


@implements(np.tril)
def tril(m, k=0):
    """``numpy.tril(m, k=0)``: zero above diagonal ``k`` (of the last two axes).

    >>> import wengert.numpy as wnp
    >>> wnp.tril([[1.0, 2.0], [3.0, 4.0]])
    array([[1., 0.],
           [3., 4.]])
    """
    return wg.tril(m, k)


@implements(np.triu)
def triu(m, k=0):
    """``numpy.triu(m, k=0)``: zero below diagonal ``k`` (of the last two axes).

    >>> import wengert.numpy as wnp
    >>> wnp.triu([[1.0, 2.0], [3.0, 4.0]])
    array([[1., 2.],
           [0., 4.]])
    """
    return wg.triu(m, k)


# -- choosing and picking ----------------------------------------------------------


@implements(np.where)
def where(condition, x=None, y=None):
    """``numpy.where(condition, [x, y])``: ``x`` where ``condition`` holds, else ``y``; with
    only ``condition``, the indices of its nonzero elements (``nonzero``).

    >>> import wengert.numpy as wnp
    >>> wnp.where([True, False], [1.0, 2.0], 0.0)
    array([1., 0.])
    """
    if x is None and y is None:
        return nonzero.tensor_impl(condition)
    if x is None or y is None:
        raise ValueError("where: either both or neither of x and y should be given")
    return wg.where(_bool(condition), x, y)


def _bool(condition):
    c = condition._data if type(condition) in TENSOR_TYPES else np.asarray(condition)
    return wg.Tensor(c.astype(bool, copy=False))


@implements(np.nonzero, differentiable=False)
def nonzero(a):
    """``numpy.nonzero(a)``: a tuple with the indices of the nonzero elements, per axis.

    >>> import wengert.numpy as wnp
    >>> wnp.nonzero([0.0, 3.0, 4.0])
    (array([1, 2]),)
    """
    return tuple(wg.Tensor(i) for i in np.nonzero(tensor_arg(a)._data))


@implements(np.clip)
def clip(a, a_min=None, a_max=None, *, min=None, max=None):  # noqa: A002 - NumPy's names
    """``numpy.clip(a, a_min, a_max, out=None, *, min=None, max=None)``: values limited to
    ``[a_min, a_max]`` (either may be None); the bounds are differentiable too.

    >>> import wengert.numpy as wnp
    >>> wnp.clip([-2.0, 0.5, 3.0], -1.0, 1.0)
    array([-1. ,  0.5,  1. ])
    """
    lo = a_min if min is None else min
    hi = a_max if max is None else max
    return wg.clip(a, lo, hi)


@implements(np.take)
def take(a, indices, axis=None, mode="raise"):
    """``numpy.take(a, indices, axis=None, out=None, mode='raise')``: elements at ``indices``
    along ``axis`` (of the flattened array without it); ``mode`` 'wrap' or 'clip' maps
    out-of-range indices as NumPy does.

    >>> import wengert.numpy as wnp
    >>> wnp.take([[1.0, 2.0], [3.0, 4.0]], [0, 3])
    array([1., 4.])
    """
    a = tensor_arg(a)
    if axis is None:
        a, axis = wg.reshape(a, (-1,)), 0
    axis = _axis(axis, a.ndim)
    idx = np.asarray(indices._data if type(indices) in TENSOR_TYPES else indices)
    n = a.shape[axis]
    if mode == "wrap":
        idx = np.mod(idx, n)
    elif mode == "clip":
        idx = np.clip(idx, 0, n - 1)
    elif mode != "raise":
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip', not {mode!r}")
    return a[along(axis, idx)]


@implements(np.take_along_axis)
def take_along_axis(arr, indices, axis=-1):
    """``numpy.take_along_axis(arr, indices, axis)``: values picked along ``axis`` by
    ``indices`` (as returned by ``argsort``); ``axis=None`` works on the flattened array.

    >>> import wengert.numpy as wnp
    >>> a = wnp.array([[3.0, 1.0], [2.0, 4.0]])
    >>> wnp.take_along_axis(a, wnp.argsort(a, axis=1), axis=1)
    array([[1., 3.],
           [2., 4.]])
    """
    return wg.take_along_dim(arr, indices, axis)


@implements(np.delete)
def delete(arr, obj, axis=None):
    """``numpy.delete(arr, obj, axis=None)``: ``arr`` without the entries ``obj`` (an index,
    indices or a slice) along ``axis`` (of the flattened array without it).

    >>> import wengert.numpy as wnp
    >>> wnp.delete([1.0, 2.0, 3.0], 1)
    array([1., 3.])
    """
    a = tensor_arg(arr)
    if axis is None:
        a, axis = wg.reshape(a, (-1,)), 0
    axis = _axis(axis, a.ndim)
    keep = np.delete(np.arange(a.shape[axis]), obj)  # NumPy decides what obj means
    return a[along(axis, keep)]


_INDEX_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


@implements(np.pad)
def pad(array, pad_width, mode="constant", **kwargs):
    """``numpy.pad(array, pad_width, mode='constant', **kwargs)``: pad each axis. Modes
    ``constant`` (``constant_values``), ``edge``, ``reflect``, ``symmetric``, ``wrap``
    (``reflect_type='even'``); each is a gather, its places chosen by NumPy itself.

    >>> import wengert.numpy as wnp
    >>> wnp.pad([1.0, 2.0], (1, 2), mode="edge")
    array([1., 1., 2., 2., 2.])
    """
    a = tensor_arg(array)
    if mode not in _INDEX_MODES:
        raise NotImplementedError(f"pad: mode {mode!r} on tensors; supported: {_INDEX_MODES}")
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (a.ndim, 2))
    values = np.broadcast_to(np.asarray(kwargs.pop("constant_values", 0)), (a.ndim, 2))
    if kwargs.get("reflect_type", "even") != "even":
        raise NotImplementedError("pad: reflect_type='odd' on tensors")
    for axis in range(a.ndim):
        n = a.shape[axis]
        if mode == "constant":  # two more entries along the axis, n and n + 1, hold the values
            fill = [wg.full_like(a[along(axis, slice(0, 1))], v) for v in values[axis]]
            source = wg.cat([a, *fill], axis)
            idx = np.pad(np.arange(n), widths[axis], constant_values=(n, n + 1))
        else:
            source, idx = a, np.pad(np.arange(n), widths[axis], mode=mode)
        a = source[along(axis, idx)]
    return a


@implements(np.meshgrid)
def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """``numpy.meshgrid(*xi, copy=True, sparse=False, indexing='xy')``: coordinate arrays
    (NumPy's default indexing is ``'xy'``, PyTorch's ``'ij'``).

    >>> import wengert.numpy as wnp
    >>> [g.shape for g in wnp.meshgrid([1.0, 2.0, 3.0], [4.0, 5.0])]
    [(2, 3), (2, 3)]
    """
    if indexing not in ("xy", "ij"):
        raise ValueError("meshgrid: indexing must be 'xy' or 'ij'")
    ts = [wg.reshape(tensor_arg(x), (-1,)) for x in xi]
    n = len(ts)
    shapes = [[1] * n for _ in ts]
    for i, t in enumerate(ts):
        shapes[i][i] = t.shape[0]
    if indexing == "xy" and n > 1:
        for s in shapes:
            s[0], s[1] = s[1], s[0]
    grids = [wg.reshape(t, tuple(s)) for t, s in zip(ts, shapes)]
    if not sparse:
        grids = list(broadcast_arrays.tensor_impl(*grids))
    return tuple(grids)
