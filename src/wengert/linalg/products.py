"""Products under ``wg.linalg`` names: multi_dot (in the cheapest order), vecdot, cross,
matmul."""

from __future__ import annotations

from .._tensor import Tensor
from ..ops import contract
from ..ops._registry import tensor_arg
from ..ops.complex import conj
from ..ops.linalg import matmul

__all__ = ["cross", "matmul", "multi_dot", "vecdot"]


def multi_dot(tensors) -> Tensor:
    """The product of a chain of matrices, multiplied in the order that needs the fewest
    operations (dynamic programming on the shapes). The first may be a row vector (1-D)
    and the last a column vector (1-D).

    >>> import wengert as wg
    >>> wg.linalg.multi_dot([wg.ones(3), wg.ones(3, 4), wg.ones(4)])
    tensor(12.)
    """
    ts = [tensor_arg(t) for t in tensors]
    if len(ts) < 2:
        raise RuntimeError(f"linalg.multi_dot: expected at least 2 tensors, got {len(ts)}")
    first_vector, last_vector = ts[0].ndim == 1, ts[-1].ndim == 1
    if first_vector:
        ts[0] = ts[0].unsqueeze(0)
    if last_vector:
        ts[-1] = ts[-1].unsqueeze(-1)
    for i, t in enumerate(ts):
        if t.ndim != 2:
            raise RuntimeError(f"linalg.multi_dot: tensor {i} has shape {t.shape}; expected "
                               "matrices (only the first and last may be 1-D)")
        if i and ts[i - 1].shape[1] != t.shape[0]:
            raise RuntimeError(f"linalg.multi_dot: tensors {i - 1} and {i} have shapes "
                               f"{ts[i - 1].shape} and {t.shape}, which cannot be multiplied")
    dims = [ts[0].shape[0]] + [t.shape[1] for t in ts]
    split = _chain_order(dims)
    result = _multiply(ts, split, 0, len(ts) - 1)
    if first_vector:
        result = result.squeeze(0)
    if last_vector:
        result = result.squeeze(-1)
    return result


def _chain_order(dims):
    """The classic matrix-chain dynamic program: ``split[i][j]`` for each sub-chain."""
    n = len(dims) - 1
    cost = [[0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = float("inf")
            for k in range(i, j):
                c = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if c < cost[i][j]:
                    cost[i][j], split[i][j] = c, k
    return split


def _multiply(ts, split, i, j):
    if i == j:
        return ts[i]
    k = split[i][j]
    return matmul(_multiply(ts, split, i, k), _multiply(ts, split, k + 1, j))


def vecdot(x, y, *, dim=-1) -> Tensor:
    """The dot product of vectors along ``dim``, broadcasting the rest; ``x`` is conjugated
    (``sum(conj(x) * y)``), as in PyTorch.

    >>> import wengert as wg
    >>> wg.linalg.vecdot(wg.tensor([1.0, 2.0]), wg.tensor([[3.0, 4.0]]))
    tensor([11.])
    """
    return (conj(tensor_arg(x)) * tensor_arg(y)).sum(dim)


def cross(input, other, *, dim=-1) -> Tensor:  # noqa: A002
    """The cross product of 3-vectors along ``dim`` (default the last), broadcasting.

    >>> import wengert as wg
    >>> wg.linalg.cross(wg.tensor([0.0, 1.0, 0.0]), wg.tensor([0.0, 0.0, 1.0]))
    tensor([1., 0., 0.])
    """
    return contract.cross(input, other, dim=dim)
