"""Norms, condition numbers and rank: composites of reductions and ``svdvals``.
Norms of complex tensors are real (of ``|x|``), as in PyTorch.

At a zero vector the 2-norm's gradient is 0 (PyTorch's subgradient); ties in
the max/min of the induced 1- and inf-norms share the gradient evenly, as
``amax`` does.
"""

from __future__ import annotations

import math

import numpy as np

from .._tensor import Tensor
from ..ops._registry import not_differentiable, tensor_arg
from ..ops.reduce import amax, amin
from ..ops.reduce import norm as _vector_p_norm
from ..ops.reduce import sum as _sum
from ._matrix import matrix_arg

__all__ = ["cond", "matrix_norm", "matrix_rank", "norm", "vector_norm"]

_INF = math.inf


def _float(x, op, dtype=None):
    t = tensor_arg(x)
    if dtype is not None:
        t = t.to(dtype)
    if t.dtype.kind not in "fc":
        raise TypeError(f"{op}: expected a floating point or complex tensor, got dtype "
                        f"{t.dtype}")
    return t


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None) -> Tensor:  # noqa: A002
    """The vector ``ord``-norm of ``x`` over ``dim`` (all elements when None): ``ord`` is
    any real number, ``inf`` or ``-inf`` (0 counts the nonzero elements).

    >>> import wengert as wg
    >>> wg.linalg.vector_norm(wg.tensor([3.0, -4.0]))
    tensor(5.)
    """
    x = _float(x, "linalg.vector_norm", dtype)
    if isinstance(ord, str) or not isinstance(ord, (int, float)):
        raise RuntimeError(f"linalg.vector_norm: ord must be a number, inf or -inf, got {ord!r}")
    if isinstance(dim, list):
        dim = tuple(dim)
    return _vector_p_norm(x, p=ord, dim=dim, keepdim=keepdim)


def _matrix_dims(A, dim, op):  # noqa: N803
    if not (isinstance(dim, (tuple, list)) and len(dim) == 2):
        raise RuntimeError(f"{op}: dim must be a pair of dimensions, got {dim!r}")
    nd = A.ndim
    d0, d1 = dim
    if not (-nd <= d0 < nd and -nd <= d1 < nd):
        raise IndexError(f"{op}: dim {tuple(dim)} out of range for shape {A.shape}")
    d0, d1 = d0 % nd, d1 % nd
    if d0 == d1:
        raise RuntimeError(f"{op}: dim must name two different dimensions, got {tuple(dim)}")
    return d0, d1


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None) -> Tensor:  # noqa: A002, N803
    """A matrix norm over the two dimensions ``dim``: ``'fro'``, ``'nuc'`` (the sum of
    singular values), ``2``/``-2`` (largest/smallest singular value), ``1``/``-1``
    (max/min column sum of ``|A|``), ``inf``/``-inf`` (max/min row sum).

    >>> import wengert as wg
    >>> wg.linalg.matrix_norm(wg.tensor([[1.0, -2.0], [3.0, 4.0]]), ord=1)
    tensor(6.)
    """
    from ..ops.elementwise import abs as abs_
    from .decompositions import svdvals

    op = "linalg.matrix_norm"
    A = _float(A, op, dtype)  # noqa: N806
    if A.ndim < 2:
        raise RuntimeError(f"{op}: expected a tensor with at least 2 dimensions, got {A.shape}")
    d0, d1 = _matrix_dims(A, dim, op)
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        rest = [k for k in range(A.ndim) if k not in (d0, d1)]
        s = svdvals(A.permute(*rest, d0, d1))
        result = _sum(s, -1) if ord == "nuc" else (amax(s, -1) if ord == 2 else amin(s, -1))
    elif ord in (1, -1, _INF, -_INF):
        summed, across = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = _sum(abs_(A), summed, True)
        result = (amax if ord > 0 else amin)(sums, across, True)
        result = result.reshape(tuple(n for k, n in enumerate(result.shape)
                                      if k not in (d0, d1)))
    else:
        raise RuntimeError(f"{op}: ord must be 'fro', 'nuc', 2, -2, 1, -1, inf or -inf, "
                           f"got {ord!r}")
    if keepdim:
        for k in sorted((d0, d1)):
            result = result.unsqueeze(k)
    return result


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None) -> Tensor:  # noqa: A002, N803
    """A vector or matrix norm, as ``torch.linalg.norm``: a matrix norm when ``dim`` is a
    pair (or ``dim`` is None, ``ord`` is given and ``A`` is 2-D), else a vector norm
    (of the flattened tensor when both ``dim`` and ``ord`` are None).

    >>> import wengert as wg
    >>> wg.linalg.norm(wg.tensor([[3.0, 0.0], [0.0, 4.0]]))
    tensor(5.)
    """
    A = _float(A, "linalg.norm", dtype)  # noqa: N806
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None and len(dim) == 2:
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim)
    if dim is None and ord is not None:
        if A.ndim == 2:
            return matrix_norm(A, ord, (-2, -1), keepdim)
        if A.ndim != 1:
            raise RuntimeError(f"linalg.norm: with ord={ord!r} and dim=None the input must "
                               f"be 1-D or 2-D, got shape {A.shape}; pass dim")
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim)


def cond(A, p=None) -> Tensor:  # noqa: N803
    """The condition number of ``A`` in the norm ``p``: the ratio of the extreme singular
    values for ``p`` in (None, 2, -2), else ``matrix_norm(A, p) * matrix_norm(inv(A), p)``.

    >>> import wengert as wg
    >>> wg.linalg.cond(wg.tensor([[2.0, 0.0], [0.0, 0.5]]))
    tensor(4.)
    """
    from .decompositions import svdvals
    from .solve import inv

    A = matrix_arg(A, "linalg.cond")  # noqa: N806
    if p in (None, 2, -2):
        s = svdvals(A)
        big, small = s[..., 0], s[..., -1]
        return small / big if p == -2 else big / small
    A = matrix_arg(A, "linalg.cond", square=True)  # noqa: N806
    return matrix_norm(A, p) * matrix_norm(inv(A), p)


@not_differentiable
def matrix_rank(A, *, atol=None, rtol=None, hermitian=False) -> Tensor:  # noqa: N803
    """The number of singular values above ``max(atol, rtol * largest)`` (defaults as
    ``pinv``), an int64 tensor; not differentiable.

    >>> import wengert as wg
    >>> wg.linalg.matrix_rank(wg.tensor([[1.0, 2.0], [2.0, 4.0]]))
    tensor(1)
    """
    from .solve import _tolerances

    A = matrix_arg(A, "linalg.matrix_rank", square=hermitian)  # noqa: N806
    atol, rtol = _tolerances(A, atol, rtol)
    a = A._data
    if hermitian:
        s = np.abs(np.linalg.eigvalsh(a))
    else:
        s = np.linalg.svd(a, compute_uv=False)
    top = s.max(axis=-1, initial=0.0, keepdims=True)
    return Tensor(np.sum(s > np.maximum(atol, rtol * top), axis=-1).astype(np.int64))
