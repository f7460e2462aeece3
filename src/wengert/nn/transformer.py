"""Attention layers: ``MultiheadAttention``, ``TransformerEncoderLayer``,
``TransformerEncoder``, with PyTorch's parameter names (``in_proj_weight``,
``out_proj.weight``, ``self_attn.*``, ``linear1``, ``norm1`` ...) and semantics:
in ``MultiheadAttention`` a boolean mask marks with True what may NOT be attended.
"""

from __future__ import annotations

import copy
import math

import numpy as np

from .. import _creation
from ..ops.elementwise import where
from ..ops.linalg import matmul
from . import functional as F
from . import init
from .containers import ModuleList
from .dropout import Dropout
from .linear import Linear
from .module import Module
from .normalization import LayerNorm
from .parameter import Parameter

__all__ = ["MultiheadAttention", "TransformerEncoder", "TransformerEncoderLayer"]


def _additive(mask, dtype, what: str):
    """A boolean (True = blocked) or float mask as a float tensor to add to the scores."""
    if mask is None:
        return None
    mask = _creation.as_tensor(mask)
    if mask.dtype == np.bool_:
        return where(mask, -math.inf, 0.0).to(dtype)
    if mask.dtype.kind != "f":
        raise TypeError(f"MultiheadAttention: {what} must be bool or floating point, got "
                        f"{mask.dtype}")
    return mask.to(dtype)


class MultiheadAttention(Module):
    """Attention with ``num_heads`` heads over ``embed_dim`` features (q, k, v of one size).

    >>> import wengert as wg
    >>> mha = wg.nn.MultiheadAttention(8, 2, batch_first=True)
    >>> out, weights = mha(wg.zeros(3, 5, 8), wg.zeros(3, 7, 8), wg.zeros(3, 7, 8))
    >>> out.shape, weights.shape
    ((3, 5, 8), (3, 5, 7))
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim=None, vdim=None,
                 batch_first: bool = False, device=None, dtype=None):
        super().__init__()
        if embed_dim % num_heads:
            raise ValueError(f"MultiheadAttention: embed_dim ({embed_dim}) must be divisible by "
                             f"num_heads ({num_heads})")
        if add_bias_kv or add_zero_attn or kdim not in (None, embed_dim) or vdim not in (
                None, embed_dim):
            raise NotImplementedError("MultiheadAttention: add_bias_kv, add_zero_attn and "
                                      "kdim/vdim different from embed_dim are not supported")
        self.embed_dim, self.num_heads, self.dropout = embed_dim, num_heads, dropout
        self.head_dim, self.batch_first = embed_dim // num_heads, batch_first
        self.in_proj_weight = Parameter(_creation.empty(3 * embed_dim, embed_dim, dtype=dtype))
        if bias:
            self.in_proj_bias = Parameter(_creation.zeros(3 * embed_dim, dtype=dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, dtype=dtype)
        init.xavier_uniform_(self.in_proj_weight)
        if bias:
            init.zeros_(self.out_proj.bias)

    def forward(self, query, key, value, key_padding_mask=None, need_weights: bool = True,
                attn_mask=None, average_attn_weights: bool = True, is_causal: bool = False):
        batched = query.ndim == 3
        if self.batch_first and batched:
            query, key, value = (t.transpose(0, 1) for t in (query, key, value))
        if not batched:
            query, key, value = (t.unsqueeze(1) for t in (query, key, value))
            if key_padding_mask is not None:
                key_padding_mask = key_padding_mask.unsqueeze(0)
        tgt, batch, embed = query.shape
        src = key.shape[0]
        if embed != self.embed_dim or key.shape[-1] != embed or value.shape[-1] != embed:
            raise ValueError(f"MultiheadAttention: expected {self.embed_dim} features in query, "
                             f"key and value, got {query.shape[-1]}, {key.shape[-1]}, "
                             f"{value.shape[-1]}")
        heads, hd = self.num_heads, self.head_dim
        w, b = self.in_proj_weight, self.in_proj_bias

        def project(x, k):
            out = matmul(x, w[k * embed:(k + 1) * embed].mT)
            out = out if b is None else out + b[k * embed:(k + 1) * embed]
            # (len, batch, embed) -> (batch, heads, len, head_dim)
            return out.reshape(x.shape[0], batch, heads, hd).permute(1, 2, 0, 3)

        q, k, v = project(query, 0), project(key, 1), project(value, 2)
        scores = matmul(q, k.mT) * (1.0 / math.sqrt(hd))
        if attn_mask is None and is_causal:
            attn_mask = _creation.as_tensor(np.triu(np.ones((tgt, src), dtype=bool), 1))
        mask = _additive(attn_mask, scores.dtype, "attn_mask")
        if mask is not None:
            if mask.ndim == 3:  # (batch * heads, tgt, src)
                mask = mask.reshape(batch, heads, tgt, src)
            scores = scores + mask
        padding = _additive(key_padding_mask, scores.dtype, "key_padding_mask")
        if padding is not None:
            scores = scores + padding.reshape(batch, 1, 1, src)
        weights = F.softmax(scores, dim=-1)
        if self.dropout and self.training:
            weights = F.dropout(weights, self.dropout, True)
        out = matmul(weights, v).permute(2, 0, 1, 3).reshape(tgt, batch, embed)
        out = self.out_proj(out)
        if self.batch_first and batched:
            out = out.transpose(0, 1)
        if not batched:
            out = out.squeeze(1)
        if not need_weights:
            return out, None
        if average_attn_weights:
            weights = weights.mean(dim=1)
        return out, (weights if batched else weights.squeeze(0))

    def extra_repr(self) -> str:
        return f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"


def _activation(activation):
    if callable(activation):
        return activation
    if activation == "relu":
        return F.relu
    if activation == "gelu":
        return F.gelu
    raise ValueError(f"TransformerEncoderLayer: activation must be 'relu', 'gelu' or a "
                     f"callable, got {activation!r}")


class TransformerEncoderLayer(Module):
    """Self-attention then a feed-forward block, each with dropout, a residual connection
    and layer normalization (after by default, before with ``norm_first``)."""

    def __init__(self, d_model: int, nhead: int, dim_feedforward: int = 2048,
                 dropout: float = 0.1, activation="relu", layer_norm_eps: float = 1e-5,
                 batch_first: bool = False, norm_first: bool = False, bias: bool = True,
                 device=None, dtype=None):
        super().__init__()
        self.self_attn = MultiheadAttention(d_model, nhead, dropout, bias,
                                            batch_first=batch_first, dtype=dtype)
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, dtype=dtype)
        self.dropout = Dropout(dropout)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, dtype=dtype)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.dropout1, self.dropout2 = Dropout(dropout), Dropout(dropout)
        self.activation = _activation(activation)

    def _attention(self, x, mask, padding, is_causal):
        out = self.self_attn(x, x, x, attn_mask=mask, key_padding_mask=padding,
                             need_weights=False, is_causal=is_causal)[0]
        return self.dropout1(out)

    def _feed_forward(self, x):
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))

    def forward(self, src, src_mask=None, src_key_padding_mask=None, is_causal: bool = False):
        x = src
        if self.norm_first:
            x = x + self._attention(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._feed_forward(self.norm2(x))
        x = self.norm1(x + self._attention(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._feed_forward(x))


class TransformerEncoder(Module):
    """``num_layers`` copies of ``encoder_layer`` (independent weights), then ``norm``."""

    def __init__(self, encoder_layer: TransformerEncoderLayer, num_layers: int, norm=None,
                 enable_nested_tensor: bool = True, mask_check: bool = True):
        super().__init__()
        self.layers = ModuleList([copy.deepcopy(encoder_layer) for _ in range(num_layers)])
        self.num_layers, self.norm = num_layers, norm

    def forward(self, src, mask=None, src_key_padding_mask=None, is_causal: bool = False):
        x = src
        for layer in self.layers:
            x = layer(x, src_mask=mask, src_key_padding_mask=src_key_padding_mask,
                      is_causal=is_causal)
        return x if self.norm is None else self.norm(x)
