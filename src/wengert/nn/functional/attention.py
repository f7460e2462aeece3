"""Scaled dot-product attention, a composite of ``matmul`` and the fused ``softmax``."""

from __future__ import annotations

import math

import numpy as np

from ..._tensor import TENSOR_TYPES, Tensor
from ...ops._registry import REAL_ONLY, as_real_tensor
from ...ops.elementwise import where
from .dropout import dropout
from .softmax import softmax

__all__ = ["scaled_dot_product_attention"]


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False) -> Tensor:
    """``softmax(query @ key^T * scale + mask) @ value`` over the last two dims.

    ``attn_mask``: bool (True = attend) or float (added to the scores),
    broadcasting to ``(..., L, S)``; ``is_causal``: attend only to positions at
    or before one's own; ``scale`` defaults to ``1 / sqrt(E)``. Masked scores are
    ``-inf`` and get no gradient; a query whose scores are all masked gets the output 0
    (PyTorch's safe softmax), not NaN.

    >>> import wengert as wg
    >>> q = k = v = wg.ones(1, 2, 4)
    >>> wg.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True).shape
    (1, 2, 4)
    """
    op = "scaled_dot_product_attention"
    q, k, v = (as_real_tensor(t, op, REAL_ONLY) for t in (query, key, value))
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2 or q.shape[-1] != k.shape[-1] or (
            k.shape[-2] != v.shape[-2]):
        raise ValueError(f"{op}: expected query (..., L, E), key (..., S, E) and value "
                         f"(..., S, Ev), got {q.shape}, {k.shape} and {v.shape}")
    if enable_gqa and q.ndim >= 3 and k.shape[-3] != q.shape[-3]:
        k, v = _repeat_heads(k, q.shape[-3], op), _repeat_heads(v, q.shape[-3], op)
    length, source = q.shape[-2], k.shape[-2]
    scale = 1 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * scale
    if is_causal:
        if attn_mask is not None:
            raise ValueError(f"{op}: pass either attn_mask or is_causal, not both")
        scores = where(np.tril(np.ones((length, source), dtype=bool)), scores, -math.inf)
    if attn_mask is not None:
        mask = attn_mask._data if type(attn_mask) in TENSOR_TYPES else None
        if mask is not None and mask.dtype == np.bool_ or (
                mask is None and np.asarray(attn_mask).dtype == np.bool_):
            scores = where(np.asarray(attn_mask if mask is None else mask), scores, -math.inf)
        else:
            scores = scores + attn_mask
    # A query that may attend to nothing (its scores all -inf) gets weights 0, not the
    # NaN of 0/0, as PyTorch's safe softmax: its output is 0 and so is its gradient. (Its
    # scores are replaced first so that no NaN reaches the gradient of the others.)
    nothing = np.isneginf(scores._data).all(axis=-1, keepdims=True)
    if nothing.any():
        weights = where(nothing, 0.0, softmax(where(nothing, 0.0, scores), -1))
    else:
        weights = softmax(scores, -1)
    if dropout_p > 0:
        weights = dropout(weights, dropout_p)
    return weights @ v


def _repeat_heads(t, heads, op):
    """Grouped-query attention: each key/value head serves ``heads / kv_heads`` query heads."""
    kv = t.shape[-3]
    if heads % kv:
        raise ValueError(f"{op}: the number of query heads {heads} must be a multiple of the "
                         f"key/value heads {kv}")
    index = (Ellipsis, np.repeat(np.arange(kv), heads // kv), slice(None), slice(None))
    return t[index]
