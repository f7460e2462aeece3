"""Shape primitives (reshape, permute, broadcast, concatenate) and their composites.

Their derivatives are other shape primitives (reshape <-> reshape, permute <->
inverse permute, broadcast_to <-> sum_to, cat <-> slicing), so the rule set is
closed under differentiation and higher derivatives stay cheap.
"""

from __future__ import annotations

import builtins
import math

import numpy as np

from .._backend import result_dtype
from .._backend import sum_to as _sum_to
from .._primitive import SPEC, Primitive, alias_p, bind
from .._tensor import Tensor
from ..autograd.linear import BroadcastTo, Embed, Permute, Reshape, SumTo
from ._registry import method, supports_complex, tensor_arg

__all__ = [
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "broadcast_to",
    "cat",
    "concat",
    "concatenate",
    "expand",
    "flatten",
    "moveaxis",
    "movedim",
    "permute",
    "ravel",
    "reshape",
    "squeeze",
    "stack",
    "sum_to",
    "swapaxes",
    "swapdims",
    "t",
    "transpose",
    "unflatten",
    "unsqueeze",
]

# -- primitives ----------------------------------------------------------------

reshape_p = Primitive("reshape", np.reshape, save=(SPEC,), n_params=1, view=True,
                      rule=(lambda ns, out, x, shape: Reshape(x.shape, shape),))

permute_p = Primitive("permute", np.transpose, save=(None,), n_params=1, view=True,
                      rule=(lambda ns, out, x, axes: Permute(axes),))

broadcast_to_p = Primitive("broadcast_to", np.broadcast_to, save=(SPEC,), n_params=1,
                           view=True,
                           rule=(lambda ns, out, x, shape: BroadcastTo(x.shape, shape),))

sum_to_p = Primitive("sum_to", _sum_to, save=(SPEC,), n_params=1,
                     rule=(lambda ns, out, x, shape: SumTo(x.shape, shape),))


def _cat_rule(ns, i, out, *specs_and_axis):
    *specs, axis = specs_and_axis
    start = builtins.sum(s.shape[axis] for s in specs[:i])
    index = (slice(None),) * axis + (slice(start, start + specs[i].shape[axis]),)
    return Embed(index, _cat_shape(specs, axis))  # (cat does not save its output)


def _cat_shape(specs, axis):
    shape = list(specs[0].shape)
    shape[axis] = builtins.sum(s.shape[axis] for s in specs)
    return tuple(shape)


cat_p = Primitive("cat", lambda *arrays_and_axis: np.concatenate(arrays_and_axis[:-1],
                                                                 axis=arrays_and_axis[-1]),
                  save=SPEC, n_params=1, rule=_cat_rule)


# -- public functions --------------------------------------------------------


def _normalize_shape(shape, numel: int, op: str, in_shape) -> tuple:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    shape = tuple(int(n) for n in shape)
    if shape.count(-1) > 1:
        raise RuntimeError(f"{op}: only one dimension can be -1, got {shape}")
    if -1 in shape:
        known = math.prod(n for n in shape if n != -1)
        if known == 0 or numel % known:
            raise RuntimeError(f"{op}: shape {shape} is invalid for input of shape {in_shape} "
                               f"({numel} elements)")
        shape = tuple(numel // known if n == -1 else n for n in shape)
    if math.prod(shape) != numel:
        raise RuntimeError(f"{op}: shape {shape} is invalid for input of shape {in_shape} "
                           f"({numel} elements)")
    return shape


@method()
def reshape(input, *shape) -> Tensor:  # noqa: A002
    """The same elements in a new shape (one dimension may be -1).

    >>> import wengert as wg
    >>> wg.arange(6).reshape(2, 3).shape
    (2, 3)
    """
    input = tensor_arg(input)  # noqa: A001
    shape = _normalize_shape(shape, input._data.size, "reshape", input.shape)
    if shape == input.shape:
        return input
    return bind(reshape_p, (input,), (shape,))


method("view")(reshape)


@method()
def view_as(input, other) -> Tensor:  # noqa: A002
    """``input`` in the shape of ``other``.

    >>> import wengert as wg
    >>> wg.arange(6).view_as(wg.zeros(3, 2)).shape
    (3, 2)
    """
    return reshape(input, other.shape)


@method()
def reshape_as(input, other) -> Tensor:  # noqa: A002
    """``input`` reshaped to the shape of ``other``."""
    return reshape(input, other.shape)


def _dim(d: int, ndim: int, op: str) -> int:
    if not -builtins.max(ndim, 1) <= d < builtins.max(ndim, 1):
        raise IndexError(f"{op}: dimension {d} is out of range for a tensor with {ndim} "
                         f"dimensions (expected in [{-builtins.max(ndim, 1)}, "
                         f"{builtins.max(ndim, 1) - 1}])")
    return d % builtins.max(ndim, 1)


@method()
def permute(input, *dims) -> Tensor:  # noqa: A002
    """Reorder dimensions: ``x.permute(2, 0, 1)``."""
    input = tensor_arg(input)  # noqa: A001
    if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
        dims = dims[0]
    nd = input.ndim
    dims = tuple(_dim(d, nd, "permute") for d in dims)
    if sorted(dims) != list(range(nd)):
        raise RuntimeError(f"permute: {dims} is not a permutation of the {nd} dimensions of a "
                           f"tensor of shape {input.shape}")
    if dims == tuple(range(nd)):
        return input
    return bind(permute_p, (input,), (dims,))


@method("transpose", "swapaxes", "swapdims")
def transpose(input, dim0: int = 0, dim1: int = 1) -> Tensor:  # noqa: A002
    """Swap two dimensions."""
    input = tensor_arg(input)  # noqa: A001
    nd = input.ndim
    if nd < 2 and dim0 in (0, -1) and dim1 in (0, 1, -1):
        return input
    axes = list(range(nd))
    d0, d1 = _dim(dim0, nd, "transpose"), _dim(dim1, nd, "transpose")
    axes[d0], axes[d1] = axes[d1], axes[d0]
    return permute(input, axes)


swapaxes = swapdims = transpose


@method()
def t(input) -> Tensor:  # noqa: A002
    """Transpose a matrix (0-d and 1-d tensors are returned as they are)."""
    input = tensor_arg(input)  # noqa: A001
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, got shape {input.shape}")
    return transpose(input, 0, -1) if input.ndim == 2 else input


Tensor.T = property(lambda self: permute(self, tuple(reversed(range(self.ndim)))))
Tensor.mT = property(lambda self: transpose(self, -2, -1))


@method()
def squeeze(input, dim=None) -> Tensor:  # noqa: A002
    """Remove dimensions of size 1 (all of them, or those in ``dim``)."""
    input = tensor_arg(input)  # noqa: A001
    shape = input.shape
    if dim is None:
        dims = {i for i, n in enumerate(shape) if n == 1}
    else:
        dims = {_dim(d, len(shape), "squeeze")
                for d in (dim if isinstance(dim, (tuple, list)) else (dim,))}
        dims = {d for d in dims if d < len(shape) and shape[d] == 1}
    return reshape(input, tuple(n for i, n in enumerate(shape) if i not in dims))


@method()
def unsqueeze(input, dim: int) -> Tensor:  # noqa: A002
    """Insert a dimension of size 1 at ``dim``."""
    input = tensor_arg(input)  # noqa: A001
    shape = list(input.shape)
    d = _dim(dim, len(shape) + 1, "unsqueeze")
    shape.insert(d, 1)
    return reshape(input, tuple(shape))


@method()
def flatten(input, start_dim: int = 0, end_dim: int = -1) -> Tensor:  # noqa: A002
    """Merge dimensions ``start_dim``..``end_dim`` into one."""
    input = tensor_arg(input)  # noqa: A001
    shape = input.shape
    if not shape:
        return reshape(input, (1,))
    s, e = _dim(start_dim, len(shape), "flatten"), _dim(end_dim, len(shape), "flatten")
    if s > e:
        raise RuntimeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    return reshape(input, shape[:s] + (math.prod(shape[s:e + 1]),) + shape[e + 1:])


@method()
def ravel(input) -> Tensor:  # noqa: A002
    """The elements as a 1-D tensor.

    >>> import wengert as wg
    >>> wg.ravel(wg.zeros(2, 3)).shape
    (6,)
    """
    return flatten(input)


@method()
def unflatten(input, dim: int, sizes) -> Tensor:  # noqa: A002
    """Split dimension ``dim`` into ``sizes`` (one of them may be -1).

    >>> import wengert as wg
    >>> wg.unflatten(wg.zeros(2, 6), 1, (3, 2)).shape
    (2, 3, 2)
    """
    input = tensor_arg(input)  # noqa: A001
    shape = input.shape
    d = _dim(dim, len(shape), "unflatten")
    if not shape:
        raise RuntimeError("unflatten: a 0-d tensor has no dimension to unflatten")
    sizes = _normalize_shape(tuple(sizes), shape[d], "unflatten", (shape[d],))
    return reshape(input, shape[:d] + sizes + shape[d + 1:])


@method("movedim", "moveaxis")
def movedim(input, source, destination) -> Tensor:  # noqa: A002
    """Move dimension(s) ``source`` to position(s) ``destination``; the rest keep their order.

    >>> import wengert as wg
    >>> wg.movedim(wg.zeros(2, 3, 4), 0, -1).shape
    (3, 4, 2)
    """
    input = tensor_arg(input)  # noqa: A001
    nd = input.ndim
    src = (source,) if isinstance(source, int) else tuple(source)
    dst = (destination,) if isinstance(destination, int) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: source {source} and destination {destination} must "
                           "name as many dimensions")
    src = tuple(_dim(d, nd, "movedim") for d in src)
    dst = tuple(_dim(d, nd, "movedim") for d in dst)
    if len(set(src)) != len(src) or len(set(dst)) != len(dst):
        raise RuntimeError(f"movedim: repeated dimension in source {source} or destination "
                           f"{destination}")
    order = [d for d in range(nd) if d not in src]
    for s, d in sorted(zip(dst, src)):
        order.insert(s, d)
    return permute(input, tuple(order)) if nd else input


moveaxis = movedim


def _atleast(nd, tensors):
    """Each tensor with at least ``nd`` dimensions (NumPy's placement of the new ones)."""
    single = len(tensors) == 1 and not isinstance(tensors[0], (tuple, list))
    if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
        tensors = tensors[0]
    out = []
    for t in tensors:
        t = tensor_arg(t)
        shape = t.shape
        if len(shape) < nd:
            if nd == 3 and len(shape) == 2:
                shape = shape + (1,)
            elif nd == 3 and len(shape) == 1:
                shape = (1,) + shape + (1,)
            else:
                shape = (1,) * (nd - len(shape)) + shape
            t = reshape(t, shape)
        out.append(t)
    return out[0] if single else tuple(out)


def atleast_1d(*tensors):
    """Each tensor viewed with at least one dimension (one tensor in, one out).

    >>> import wengert as wg
    >>> wg.atleast_1d(wg.tensor(1.0)).shape
    (1,)
    """
    return _atleast(1, tensors)


def atleast_2d(*tensors):
    """Each tensor viewed with at least two dimensions (a 1-D ``(n,)`` becomes ``(1, n)``).

    >>> import wengert as wg
    >>> wg.atleast_2d(wg.zeros(3)).shape
    (1, 3)
    """
    return _atleast(2, tensors)


def atleast_3d(*tensors):
    """Each tensor viewed with at least three dimensions (``(n,)`` -> ``(1, n, 1)``,
    ``(m, n)`` -> ``(m, n, 1)``, as NumPy and PyTorch).

    >>> import wengert as wg
    >>> wg.atleast_3d(wg.zeros(2, 3)).shape
    (2, 3, 1)
    """
    return _atleast(3, tensors)


@method()
def broadcast_to(input, *shape) -> Tensor:  # noqa: A002
    """A view of ``input`` repeated along broadcast dimensions (NumPy's broadcasting)."""
    input = tensor_arg(input)  # noqa: A001
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = shape[0]
    shape = tuple(int(n) for n in shape)
    lead = len(shape) - input.ndim
    if lead < 0:
        raise RuntimeError(f"broadcast_to: cannot broadcast shape {input.shape} to {shape} "
                           "(fewer dimensions)")
    shape = tuple(input.shape[i - lead] if n == -1 and i >= lead else n
                  for i, n in enumerate(shape))
    try:
        np.broadcast_shapes(input.shape, shape)
    except ValueError:
        raise RuntimeError(f"broadcast_to/expand: shape {input.shape} cannot be broadcast to "
                           f"{shape}: each dimension must match or be 1") from None
    if np.broadcast_shapes(input.shape, shape) != shape:
        raise RuntimeError(f"broadcast_to/expand: shape {input.shape} cannot be broadcast to "
                           f"{shape}")
    if shape == input.shape:
        return input
    return bind(broadcast_to_p, (input,), (shape,))


@method()
def expand(input, *sizes) -> Tensor:  # noqa: A002
    """PyTorch's ``expand``: broadcast to ``sizes`` (``-1`` keeps a dimension)."""
    return broadcast_to(input, *sizes)


@method()
def expand_as(input, other) -> Tensor:  # noqa: A002
    """``input`` broadcast to the shape of ``other`` (a view).

    >>> import wengert as wg
    >>> wg.ones(3, 1).expand_as(wg.zeros(3, 4)).shape
    (3, 4)
    """
    return broadcast_to(input, other.shape)


def sum_to(input, shape) -> Tensor:  # noqa: A002
    """Sum ``input`` down to ``shape``: the inverse of broadcasting (and its adjoint)."""
    input = tensor_arg(input)  # noqa: A001
    shape = tuple(shape)
    if input.shape == shape:
        return input
    return bind(sum_to_p, (input,), (shape,))


def _joined(tensors, dim, axis, op):
    """The tensors to join (at least one) and the dimension (``axis`` is NumPy's name)."""
    tensors = [tensor_arg(t) for t in tensors]
    if not tensors:
        raise RuntimeError(f"{op}: expected a non-empty list of tensors")
    return tensors, dim if axis is None else axis


def cat(tensors, dim: int = 0, *, axis=None) -> Tensor:
    """Join tensors along an existing dimension.

    >>> import wengert as wg
    >>> wg.cat([wg.zeros(2, 3), wg.ones(1, 3)]).shape
    (3, 3)
    """
    tensors, dim = _joined(tensors, dim, axis, "cat")
    nd = tensors[0].ndim
    if nd == 0:
        raise RuntimeError("cat: zero-dimensional tensors cannot be concatenated; use stack")
    d = _dim(dim, nd, "cat")
    first = tensors[0].shape
    for i, t in enumerate(tensors):
        if t.ndim != nd or t.shape[:d] + t.shape[d + 1:] != first[:d] + first[d + 1:]:
            raise RuntimeError(
                f"cat: tensor {i} has shape {t.shape}, which does not match tensor 0's shape "
                f"{first} except in dimension {d}")
    dtype = result_dtype(*(t.dtype for t in tensors))
    tensors = [t if t.dtype == dtype else t.to(dtype) for t in tensors]
    return bind(cat_p, tuple(tensors), (d,))


concatenate = concat = cat


def stack(tensors, dim: int = 0, *, axis=None) -> Tensor:
    """Join tensors of the same shape along a new dimension."""
    tensors, dim = _joined(tensors, dim, axis, "stack")
    shape = tensors[0].shape
    for i, t in enumerate(tensors):
        if t.shape != shape:
            raise RuntimeError(f"stack: all tensors must have the same shape, but tensor 0 has "
                               f"shape {shape} and tensor {i} has shape {t.shape}")
    d = _dim(dim, len(shape) + 1, "stack")
    return cat([unsqueeze(t, d) for t in tensors], d)



def alias(input) -> Tensor:  # noqa: A002
    """A new tensor object viewing the same data, connected to ``input`` on the tape."""
    return bind(alias_p, (tensor_arg(input),))

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    atleast_1d,
    atleast_2d,
    atleast_3d,
    broadcast_to,
    cat,
    concat,
    concatenate,
    expand,
    flatten,
    moveaxis,
    movedim,
    permute,
    ravel,
    reshape,
    squeeze,
    stack,
    sum_to,
    swapaxes,
    swapdims,
    t,
    transpose,
    unflatten,
    unsqueeze,
)  # noqa: F821
