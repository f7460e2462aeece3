"""Resampling: ``interpolate`` (nearest, nearest-exact, linear, bilinear) and pixel shuffles.

Composites. Nearest modes gather with one integer index per spatial dim
(``getitem``, whose adjoint adds the gradients of repeated pixels); linear
modes are separable, one ``(out, in)`` interpolation matrix per dim (two
non-zeros a row) applied with ``matmul``. Coordinates follow PyTorch's CPU
kernels, including legacy ``'nearest'`` (``floor(dst * in / out)``, computed
in float32) and ``align_corners``.
"""

from __future__ import annotations

import math

import numpy as np

from ..._tensor import Tensor
from ...ops._registry import REAL_ONLY, as_real_tensor, tensor_arg
from ...ops.shape import permute, reshape
from ._spatial import along_dims

__all__ = ["interpolate", "pixel_shuffle", "pixel_unshuffle"]

_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3}


def _sizes(x, n, size, scale_factor, recompute_scale_factor):
    """Output sizes and the scale (in / out) each dim's coordinates use (None: in / out)."""
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    spatial = x.shape[2:]
    if size is not None:
        out = (size,) * n if isinstance(size, int) else tuple(size)
        if len(out) != n:
            raise ValueError(f"interpolate: size must be an int or {n} ints for an input of "
                             f"shape {tuple(x.shape)}, got {size!r}")
        return out, (None,) * n
    factors = ((scale_factor,) * n if isinstance(scale_factor, (int, float))
               else tuple(scale_factor))
    if len(factors) != n:
        raise ValueError(f"interpolate: scale_factor must be a number or {n} numbers for an "
                         f"input of shape {tuple(x.shape)}, got {scale_factor!r}")
    out = tuple(math.floor(s * f) for s, f in zip(spatial, factors))
    scales = (None,) * n if recompute_scale_factor else tuple(1.0 / f for f in factors)
    return out, scales


def _nearest_index(size, out, scale, exact):
    if out == size:
        return np.arange(out)
    ratio = np.float32(size / out if scale is None else scale)  # PyTorch computes in float
    dst = np.arange(out, dtype=np.float32) + np.float32(0.5 if exact else 0.0)
    return np.minimum(np.floor(dst * ratio).astype(np.int64), size - 1)


def _linear_matrix(size, out, scale, align_corners):
    """Row ``o`` holds the weights of the two input samples that output ``o`` interpolates;
    also which entries those are (both are read, one maybe with weight 0: PyTorch's
    ``w0 * x0 + w1 * x1`` is NaN for a NaN ``x1`` even at ``w1 == 0``)."""
    dst = np.arange(out, dtype=np.float64)
    if align_corners:
        src = dst * ((size - 1) / (out - 1) if out > 1 else 0.0)
    else:
        ratio = size / out if scale is None else scale
        src = np.maximum((dst + 0.5) * ratio - 0.5, 0.0)
    i0 = np.minimum(src.astype(np.int64), size - 1)
    i1 = np.minimum(i0 + 1, size - 1)
    frac = src - i0
    i = np.arange(size)
    first, second = i == i0[:, None], i == i1[:, None]
    weights = first * (1.0 - frac)[:, None] + second * frac[:, None]
    if not frac.any():  # (an identity, as for an unchanged size: PyTorch copies the input)
        return weights, first
    return weights, first | second


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,  # noqa: A002
                recompute_scale_factor=None, antialias=False) -> Tensor:
    """Resample ``input`` (N, C, *spatial) to ``size`` or by ``scale_factor``.

    Modes: ``'nearest'`` (PyTorch's legacy nearest), ``'nearest-exact'``,
    ``'linear'`` (3-D input), ``'bilinear'`` (4-D), ``'trilinear'`` (5-D).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.interpolate(wg.tensor([[[1.0, 2.0]]]), scale_factor=2).tolist()
    [[[1.0, 1.0, 2.0, 2.0]]]
    >>> F.interpolate(wg.tensor([[[1.0, 2.0]]]), size=3, mode="linear",
    ...               align_corners=True).tolist()
    [[[1.0, 1.5, 2.0]]]
    """
    x = as_real_tensor(input, "interpolate", REAL_ONLY)
    n = x.ndim - 2
    if n < 1 or n > 3:
        raise ValueError(f"interpolate: expected a 3-D, 4-D or 5-D input (N, C, *spatial), "
                         f"got shape {tuple(x.shape)}")
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported")
    out, scales = _sizes(x, n, size, scale_factor, recompute_scale_factor)
    if any(o < 1 for o in out):
        raise ValueError(f"interpolate: output size {out} must be positive (input "
                         f"{tuple(x.shape)})")
    if mode in ("nearest", "nearest-exact"):
        if align_corners is not None:
            raise ValueError(f"interpolate: align_corners applies to linear modes, not {mode!r}")
        index = [slice(None), slice(None)]
        for j, (s, o, scale) in enumerate(zip(x.shape[2:], out, scales)):
            shape = [1] * n
            shape[j] = o
            index.append(_nearest_index(s, o, scale, mode == "nearest-exact").reshape(shape))
        return x[tuple(index)]
    if mode in _LINEAR:
        if _LINEAR[mode] != n:
            raise ValueError(f"interpolate: mode {mode!r} needs a {_LINEAR[mode] + 2}-D "
                             f"input, got shape {tuple(x.shape)}")
        matrices, reads = zip(*(_linear_matrix(s, o, scale, bool(align_corners))
                                for s, o, scale in zip(x.shape[2:], out, scales)))
        return along_dims(x, matrices, reads)
    raise ValueError(f"interpolate: mode {mode!r} is not supported; use 'nearest', "
                     f"'nearest-exact', 'linear', 'bilinear' or 'trilinear'")


def pixel_shuffle(input, upscale_factor: int) -> Tensor:  # noqa: A002
    """Rearrange ``(*, C * r * r, H, W)`` into ``(*, C, H * r, W * r)``.

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.pixel_shuffle(wg.ones(1, 8, 2, 3), 2).shape
    (1, 2, 4, 6)
    """
    x, r = tensor_arg(input), int(upscale_factor)
    if x.ndim < 3 or x.shape[-3] % (r * r):
        raise RuntimeError(f"pixel_shuffle: input of shape {tuple(x.shape)} needs at least 3 "
                           f"dims and channels divisible by upscale_factor**2 = {r * r}")
    *lead, c, h, w = x.shape
    y = reshape(x, (*lead, c // (r * r), r, r, h, w))
    k = len(lead)
    y = permute(y, (*range(k), k, k + 3, k + 1, k + 4, k + 2))
    return reshape(y, (*lead, c // (r * r), h * r, w * r))


def pixel_unshuffle(input, downscale_factor: int) -> Tensor:  # noqa: A002
    """Rearrange ``(*, C, H * r, W * r)`` into ``(*, C * r * r, H, W)``: pixel_shuffle's inverse.

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.pixel_unshuffle(wg.ones(1, 2, 4, 6), 2).shape
    (1, 8, 2, 3)
    """
    x, r = tensor_arg(input), int(downscale_factor)
    if x.ndim < 3 or x.shape[-2] % r or x.shape[-1] % r:
        raise RuntimeError(f"pixel_unshuffle: input of shape {tuple(x.shape)} needs at least "
                           f"3 dims and height and width divisible by downscale_factor = {r}")
    *lead, c, h, w = x.shape
    y = reshape(x, (*lead, c, h // r, r, w // r, r))
    k = len(lead)
    y = permute(y, (*range(k), k, k + 2, k + 4, k + 1, k + 3))
    return reshape(y, (*lead, c * r * r, h // r, w // r))
