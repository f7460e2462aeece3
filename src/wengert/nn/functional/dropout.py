"""Dropout: zero elements at random (inverted: survivors scaled by ``1 / (1 - p)``).

The mask comes from wengert's global generator, so ``wg.manual_seed`` makes it
reproducible. The result is ``input * mask``: differentiable through the mask.
"""

from __future__ import annotations

import math

import numpy as np

from ... import _creation
from ..._tensor import Tensor
from ...ops._registry import as_float_tensor

__all__ = ["alpha_dropout", "dropout"]


def _check_p(op, p):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"{op}: dropout probability has to be between 0 and 1, but got {p}")


def _keep(shape, p):
    return _creation.generator().random(shape) >= p


def dropout(input, p=0.5, training=True, inplace=False) -> Tensor:  # noqa: A002
    """Zero each element with probability ``p``, scale the rest by ``1 / (1 - p)``.

    >>> import wengert as wg
    >>> wg.manual_seed(0)
    >>> wg.nn.functional.dropout(wg.ones(4), p=0.5)
    tensor([2., 0., 0., 0.])
    """
    _check_p("dropout", p)
    x = as_float_tensor(input, "dropout")
    if not training or p == 0:
        return x
    if p == 1:
        out = x * np.zeros((), dtype=x.dtype)
    else:
        mask = _keep(x.shape, p).astype(x.dtype) * np.asarray(1 / (1 - p), dtype=x.dtype)
        out = x * mask
    if inplace:
        x.copy_(out)
        return x
    return out


# SELU's negative saturation is -_ALPHA (scale * alpha of SELU).
_ALPHA = 1.7580993408473766


def alpha_dropout(input, p=0.5, training=False, inplace=False) -> Tensor:  # noqa: A002
    """Dropout for SELU networks: dropped elements become SELU's negative saturation
    value, then an affine map restores mean 0 and variance 1.

    >>> import wengert as wg
    >>> wg.nn.functional.alpha_dropout(wg.ones(2), p=0.5, training=False)
    tensor([1., 1.])
    """
    _check_p("alpha_dropout", p)
    x = as_float_tensor(input, "alpha_dropout")
    if not training or p == 0:
        return x
    if p == 1:
        return x * np.zeros((), dtype=x.dtype)
    keep = _keep(x.shape, p)
    a = 1 / math.sqrt((_ALPHA ** 2 * p + 1) * (1 - p))
    b = (np.where(keep, 0.0, -_ALPHA * a) + _ALPHA * a * p).astype(x.dtype)
    out = x * (keep * a).astype(x.dtype) + b
    if inplace:
        x.copy_(out)
        return x
    return out
