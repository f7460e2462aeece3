"""Diagonals: ``diagonal`` (a view), ``diag_embed``, ``diag``, ``trace``.

Two primitives, each the other's adjoint: taking a diagonal, and embedding
values on the diagonal of a zero tensor. Their rules return each other, so
the pair is closed under differentiation, to any order.
"""

from __future__ import annotations

import numpy as np

from .._primitive import SPEC, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import LinearMap
from ._registry import method, supports_complex, tensor_arg
from .reduce import sum as _sum
from .shape import _dim

__all__ = [
    "diag",
    "diag_embed",
    "diagonal",
    "trace",
]


def _diagonal(x, offset, dim1, dim2):
    d = np.diagonal(x, offset, dim1, dim2)
    if x.flags.writeable:  # NumPy's diagonal views are read-only (for now); PyTorch's are not
        d.flags.writeable = True
    return d


def _diag_embed(x, shape, offset, dim1, dim2):
    out = np.zeros(shape, dtype=x.dtype)
    _diagonal(out, offset, dim1, dim2)[...] = x
    return out


class TakeDiagonal(LinearMap):
    """``t -> diagonal(t, offset, dim1, dim2)`` for ``t`` of ``shape``; its adjoint embeds."""

    __slots__ = ("shape", "offset", "dim1", "dim2")

    def __init__(self, shape, offset, dim1, dim2):
        self.shape, self.offset, self.dim1, self.dim2 = shape, offset, dim1, dim2

    def apply(self, ns, t):
        return ns.diagonal(t, self.offset, self.dim1, self.dim2)

    def transpose(self, ns, ct):
        return ns.diag_embed(ct, self.shape, self.offset, self.dim1, self.dim2)


class EmbedDiagonal(TakeDiagonal):
    """``t -> zeros(shape)`` with ``t`` on its diagonal: the adjoint of ``TakeDiagonal``."""

    __slots__ = ()

    apply, transpose = TakeDiagonal.transpose, TakeDiagonal.apply


diagonal_p = Primitive("diagonal", _diagonal, save=(SPEC,), n_params=3, view=True,
                       rule=(lambda ns, out, x, *p: TakeDiagonal(x.shape, *p),))
diag_embed_p = Primitive("diag_embed", _diag_embed, n_params=4,
                         rule=(lambda ns, out, x, *p: EmbedDiagonal(*p),))


def _plane(ndim, dim1, dim2, op):
    d1, d2 = _dim(dim1, ndim, op), _dim(dim2, ndim, op)
    if d1 == d2:
        raise RuntimeError(f"{op}: dim1 and dim2 cannot be the same dimension ({dim1}, {dim2})")
    return d1, d2


@method()
def diagonal(input, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:  # noqa: A002
    """The diagonal ``offset`` (above the main one if positive) of the matrices in the plane
    ``(dim1, dim2)``, as a view; it becomes the last dimension.

    >>> import wengert as wg
    >>> wg.diagonal(wg.arange(6).reshape(2, 3), 1)
    tensor([1, 5])
    """
    input = tensor_arg(input)  # noqa: A001
    if input.ndim < 2:
        raise RuntimeError(f"diagonal: expected a tensor with at least 2 dimensions, got shape "
                           f"{input.shape}")
    d1, d2 = _plane(input.ndim, dim1, dim2, "diagonal")
    return bind(diagonal_p, (input,), (int(offset), d1, d2))


_diagonal_of = diagonal  # (``diag``'s argument ``diagonal`` hides the function)


@method()
def diag_embed(input, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:  # noqa: A002
    """Matrices (in the plane ``(dim1, dim2)`` of the result) whose diagonal ``offset`` holds
    the last dimension of ``input``; zeros elsewhere.

    >>> import wengert as wg
    >>> wg.diag_embed(wg.tensor([1, 2]))
    tensor([[1, 0],
            [0, 2]])
    """
    input = tensor_arg(input)  # noqa: A001
    if input.ndim == 0:
        raise RuntimeError("diag_embed: expected a tensor with at least 1 dimension, got 0-d")
    offset = int(offset)
    d1, d2 = _plane(input.ndim + 1, dim1, dim2, "diag_embed")
    m = input.shape[-1] + abs(offset)
    shape = list(input.shape[:-1])
    for d in sorted((d1, d2)):
        shape.insert(d, m)
    return bind(diag_embed_p, (input,), (tuple(shape), offset, d1, d2))


@method()
def diag(input, diagonal: int = 0) -> Tensor:  # noqa: A002
    """A 1-D tensor as the diagonal ``diagonal`` of a square matrix, or a matrix's diagonal
    ``diagonal`` as a 1-D tensor.

    >>> import wengert as wg
    >>> wg.diag(wg.tensor([1, 2]), 1)
    tensor([[0, 1, 0],
            [0, 0, 2],
            [0, 0, 0]])
    """
    input = tensor_arg(input)  # noqa: A001
    if input.ndim == 1:
        return diag_embed(input, diagonal, 0, 1)
    if input.ndim == 2:
        return _diagonal_of(input, diagonal)
    raise RuntimeError(f"diag: expected a 1-D or 2-D tensor, got shape {input.shape}")


@method()
def trace(input) -> Tensor:  # noqa: A002
    """The sum of the main diagonal of a matrix.

    >>> import wengert as wg
    >>> wg.trace(wg.arange(4.0).reshape(2, 2))
    tensor(3.)
    """
    input = tensor_arg(input)  # noqa: A001
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix (2-D), got shape {input.shape}")
    return _sum(diagonal(input))

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    diag,
    diag_embed,
    diagonal,
    trace,
)  # noqa: F821
