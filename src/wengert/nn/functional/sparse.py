"""Lookups by integer index: ``embedding`` and ``one_hot``."""

from __future__ import annotations

import numpy as np

from ..._tensor import TENSOR_TYPES, Tensor, _wrap, bump_version
from ...ops._registry import as_float_tensor, not_differentiable

__all__ = ["embedding", "one_hot"]


def _indices(op, x):
    data = x._data if type(x) in TENSOR_TYPES else np.asarray(x)
    if data.dtype.kind not in "iu":
        raise TypeError(f"{op}: indices must be an integer (int64) tensor, got dtype "
                        f"{data.dtype}")
    return np.asarray(data)


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,  # noqa: A002
              scale_grad_by_freq=False, sparse=False) -> Tensor:
    """Rows of ``weight`` picked by the integer ``input``: ``weight[input]``.

    The row ``padding_idx`` gets no gradient. With ``max_norm``, the rows looked
    up are first rescaled in place (no gradient) to norm at most ``max_norm``.

    >>> import wengert as wg
    >>> w = wg.tensor([[0.0, 1.0], [2.0, 3.0]], requires_grad=True)
    >>> wg.nn.functional.embedding(wg.tensor([1, 1]), w, padding_idx=0).sum().backward()
    >>> w.grad
    tensor([[0., 0.],
            [2., 2.]])
    """
    idx = _indices("embedding", input)
    w = as_float_tensor(weight, "embedding")
    if w.ndim != 2:
        raise ValueError(f"embedding: weight must be a 2-D (num_embeddings, embedding_dim) "
                         f"tensor, got shape {w.shape}")
    n = w.shape[0]
    if idx.size and (idx.min() < -n or idx.max() >= n):
        bad = idx[(idx < -n) | (idx >= n)].flat[0]
        raise IndexError(f"embedding: index {bad} is out of range for a weight with {n} rows "
                         f"(shape {w.shape})")
    if scale_grad_by_freq or sparse:
        raise NotImplementedError("embedding: scale_grad_by_freq and sparse are not supported")
    if padding_idx is not None:
        if not -n <= padding_idx < n:
            raise ValueError(f"embedding: padding_idx {padding_idx} must be within the "
                             f"{n} rows of the weight")
        padding_idx %= n
    if max_norm is not None:
        _renormalize(w, np.unique(idx % max(n, 1)), max_norm, norm_type)
    rows = w[idx % max(n, 1)]
    if padding_idx is not None and np.any(idx % n == padding_idx):
        from ...ops.elementwise import where

        rows = where((idx % n == padding_idx)[..., None], rows.detach(), rows)
    return rows


def _renormalize(w, rows, max_norm, norm_type):
    """PyTorch's ``embedding_renorm_``: rows with norm above ``max_norm`` scaled down, in place."""
    data = w._data
    norms = np.linalg.norm(data[rows], ord=norm_type, axis=1)
    over = norms > max_norm
    if over.any():
        data[rows[over]] *= (max_norm / (norms[over] + 1e-7))[:, None].astype(data.dtype)
        bump_version(w)


@not_differentiable
def one_hot(tensor, num_classes=-1) -> Tensor:
    """int64 one-hot encoding of integer ``tensor``: a new last dim of ``num_classes``
    (inferred as ``max + 1`` when -1).

    >>> import wengert as wg
    >>> wg.nn.functional.one_hot(wg.tensor([0, 2]))
    tensor([[1, 0, 0],
            [0, 0, 1]])
    """
    idx = _indices("one_hot", tensor)
    if num_classes == -1:
        if idx.size == 0:
            raise ValueError("one_hot: cannot infer num_classes from an empty tensor; pass it")
        num_classes = int(idx.max()) + 1
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        raise IndexError(f"one_hot: class values must be in [0, {num_classes - 1}] "
                         f"(num_classes={num_classes}), got values in "
                         f"[{idx.min()}, {idx.max()}]")
    out = np.zeros(idx.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, idx[..., None].astype(np.intp), 1, -1)
    return _wrap(out)
