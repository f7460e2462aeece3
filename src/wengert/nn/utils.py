"""``wg.nn.utils``: gradient clipping and flattening parameters into one vector."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .._creation import as_tensor
from .._tensor import TENSOR_TYPES, Tensor, bump_version

__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector",
           "vector_to_parameters"]


def _params(parameters) -> list[Tensor]:
    return [parameters] if type(parameters) in TENSOR_TYPES else list(parameters)


def clip_grad_norm_(parameters: Iterable[Tensor] | Tensor, max_norm: float,
                    norm_type: float = 2.0, error_if_nonfinite: bool = False) -> Tensor:
    """Scale all gradients together so their joint ``norm_type`` norm is at most
    ``max_norm``; returns the norm before clipping (PyTorch's rule: scale by
    ``max_norm / (norm + 1e-6)`` when that is below 1)."""
    grads = [p.grad._data for p in _params(parameters) if p.grad is not None]
    if not grads:
        return as_tensor(np.zeros(()))
    if norm_type == math.inf:
        total = max(float(np.abs(g).max()) if g.size else 0.0 for g in grads)
    else:
        total = float(sum(float(np.sum(np.abs(g, dtype=np.float64) ** norm_type))
                          for g in grads) ** (1.0 / norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} of the "
                           "gradients is non-finite, so it cannot be clipped (pass "
                           "error_if_nonfinite=False to skip this check)")
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        for p in _params(parameters):
            if p.grad is not None:
                p.grad._data *= coef
                bump_version(p.grad)
    return as_tensor(np.asarray(total, dtype=grads[0].dtype))


def clip_grad_value_(parameters: Iterable[Tensor] | Tensor, clip_value: float) -> None:
    """Clip every gradient element into ``[-clip_value, clip_value]``, in place."""
    for p in _params(parameters):
        if p.grad is not None:
            np.clip(p.grad._data, -clip_value, clip_value, out=p.grad._data)
            bump_version(p.grad)


def parameters_to_vector(parameters: Iterable[Tensor]) -> Tensor:
    """All parameters flattened and concatenated (a differentiable function of them)."""
    from ..ops.shape import cat

    return cat([p.reshape(-1) for p in parameters])


def vector_to_parameters(vec: Tensor, parameters: Iterable[Tensor]) -> None:
    """Copy consecutive slices of ``vec`` into the parameters, in place."""
    params = list(parameters)
    total = sum(p.numel() for p in params)
    if vec.ndim != 1 or vec.numel() != total:
        raise ValueError(f"vector_to_parameters: expected a vector of {total} elements, got "
                         f"shape {tuple(vec.shape)}")
    offset = 0
    for p in params:
        n = p.numel()
        p._data[...] = vec._data[offset:offset + n].reshape(p.shape)
        bump_version(p)
        offset += n
