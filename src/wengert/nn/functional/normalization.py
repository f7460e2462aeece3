"""Normalizations: layer, batch, group, instance and RMS norm, as composites.

Each standardizes over some axes (``(x - mean) / sqrt(var + eps)``, the biased
variance, as PyTorch) and applies an optional per-feature affine map. Built
from differentiable primitives, their derivatives come to any order in both
modes. Running statistics are buffers: updated in place (no gradient) when
training, as PyTorch does.
"""

from __future__ import annotations

import numpy as np

from ..._tensor import TENSOR_TYPES, Tensor, bump_version
from ...ops._registry import REAL_ONLY, as_float_tensor, as_real_tensor

__all__ = ["batch_norm", "group_norm", "instance_norm", "layer_norm", "rms_norm"]


def _standardize(x, axes, eps):
    """``((x - mean) / sqrt(var + eps), mean, var)`` over ``axes`` (kept dims)."""
    mean = x.mean(axes, keepdim=True)
    d = x - mean
    var = (d * d).mean(axes, keepdim=True)
    return d * (var + eps) ** -0.5, mean, var


def _affine(y, weight, bias, shape, op):
    """``y * weight + bias``, each reshaped to ``shape`` (broadcasting against ``y``)."""
    if weight is not None:
        y = y * _parameter(weight, shape, op, "weight")
    if bias is not None:
        y = y + _parameter(bias, shape, op, "bias")
    return y


def _parameter(p, shape, op, name):
    p = as_float_tensor(p, op)
    size = int(np.prod(shape))
    if p.numel() != size:
        raise ValueError(f"{op}: {name} must have {size} elements (shape "
                         f"{tuple(n for n in shape if n != 1) or (size,)}), got shape {p.shape}")
    return p.reshape(shape) if p.shape != tuple(shape) else p


def _normalized_axes(op, x, normalized_shape):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or k > x.ndim or tuple(x.shape[x.ndim - k:]) != shape:
        raise ValueError(f"{op}: given normalized_shape={list(shape)}, expected an input of "
                         f"shape [*, {', '.join(map(str, shape))}], but got an input of shape "
                         f"{list(x.shape)}")
    return tuple(range(x.ndim - k, x.ndim)), shape


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5) -> Tensor:  # noqa: A002
    """Standardize over the trailing ``normalized_shape`` dims, then ``* weight + bias``.

    >>> import wengert as wg
    >>> wg.nn.functional.layer_norm(wg.tensor([[1.0, 3.0]]), (2,))
    tensor([[-1.,  1.]])
    """
    x = as_real_tensor(input, "layer_norm", REAL_ONLY)
    axes, shape = _normalized_axes("layer_norm", x, normalized_shape)
    y = _standardize(x, axes, eps)[0]
    return _affine(y, weight, bias, shape, "layer_norm")


def rms_norm(input, normalized_shape, weight=None, eps=None) -> Tensor:  # noqa: A002
    """``x / sqrt(mean(x**2) + eps)`` over the trailing ``normalized_shape`` dims, ``* weight``.

    ``eps`` defaults to the machine epsilon of the input's dtype (PyTorch's).

    >>> import wengert as wg
    >>> wg.nn.functional.rms_norm(wg.tensor([[3.0, 4.0]]), (2,), eps=0.0)
    tensor([[0.8485, 1.1314]])
    """
    x = as_float_tensor(input, "rms_norm")
    axes, shape = _normalized_axes("rms_norm", x, normalized_shape)
    if eps is None:
        eps = float(np.finfo(x.dtype).eps)
    y = x * ((x * x).mean(axes, keepdim=True) + eps) ** -0.5
    return _affine(y, weight, None, shape, "rms_norm")


def _channels(op, x, minimum=2):
    if x.ndim < minimum:
        raise ValueError(f"{op}: expected an input of shape (N, C, ...) with at least "
                         f"{minimum} dimensions, got shape {x.shape}")
    return x.shape[1], (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _update(buffer, value, momentum, op, name):
    """``buffer = (1 - momentum) * buffer + momentum * value``, in place, no gradient."""
    if type(buffer) not in TENSOR_TYPES:
        raise TypeError(f"{op}: {name} must be a tensor (a buffer updated in place)")
    data = buffer._data
    value = np.asarray(value, dtype=data.dtype).reshape(data.shape)
    data *= 1 - momentum
    data += momentum * value
    bump_version(buffer)


def _running(op, running, name, c, x):
    r = as_float_tensor(running, op)
    if r.shape != (c,):
        raise ValueError(f"{op}: {name} must have shape ({c},), one per channel of the input "
                         f"of shape {x.shape}, got {r.shape}")
    return r


def batch_norm(input, running_mean, running_var, weight=None, bias=None,  # noqa: A002
               training=False, momentum=0.1, eps=1e-5) -> Tensor:
    """Standardize each channel (dim 1) over the batch and spatial dims.

    With ``training`` the batch's statistics are used and the running ones (if
    given) updated in place: ``(1 - momentum) * running + momentum * batch``, the
    variance unbiased. Otherwise the running statistics are used.

    >>> import wengert as wg
    >>> x = wg.tensor([[1.0], [3.0]])
    >>> mean, var = wg.zeros(1), wg.ones(1)
    >>> wg.nn.functional.batch_norm(x, mean, var, training=True)
    tensor([[-1.],
            [ 1.]])
    >>> mean, var
    (tensor([0.2]), tensor([1.1]))
    """
    x = as_real_tensor(input, "batch_norm", REAL_ONLY)
    c, shape = _channels("batch_norm", x)
    axes = (0, *range(2, x.ndim))
    if training:
        n = x.numel() // max(c, 1)
        if n <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when "
                             f"training, got input of shape {x.shape}")
        y, mean, var = _standardize(x, axes, eps)
        if running_mean is not None:
            _running("batch_norm", running_mean, "running_mean", c, x)
            _update(running_mean, mean._data, momentum, "batch_norm", "running_mean")
        if running_var is not None:
            _running("batch_norm", running_var, "running_var", c, x)
            _update(running_var, var._data * (n / (n - 1)), momentum, "batch_norm",
                    "running_var")
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: running_mean and running_var must be given in "
                             "evaluation mode (training=False)")
        mean = _running("batch_norm", running_mean, "running_mean", c, x).detach()
        var = _running("batch_norm", running_var, "running_var", c, x).detach()
        y = (x - mean.reshape(shape)) * (var.reshape(shape) + eps) ** -0.5
    return _affine(y, weight, bias, shape, "batch_norm")


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,  # noqa: A002
                  use_input_stats=True, momentum=0.1, eps=1e-5) -> Tensor:
    """Standardize each channel of each sample over its spatial dims (dims 2, ...).

    With running statistics and ``use_input_stats``, they are updated in place
    with the batch average of the per-instance statistics (variance unbiased).

    >>> import wengert as wg
    >>> wg.nn.functional.instance_norm(wg.tensor([[[1.0, 3.0]]]))
    tensor([[[-1.,  1.]]])
    """
    x = as_real_tensor(input, "instance_norm", REAL_ONLY)
    c, shape = _channels("instance_norm", x, minimum=3)
    if not use_input_stats:
        return batch_norm(x, running_mean, running_var, weight, bias, False, momentum, eps)
    axes = tuple(range(2, x.ndim))
    n = int(np.prod(x.shape[2:]))
    if n <= 1:
        raise ValueError(f"instance_norm: expected more than 1 spatial element per channel, "
                         f"got input of shape {x.shape}")
    y, mean, var = _standardize(x, axes, eps)
    if running_mean is not None:
        _running("instance_norm", running_mean, "running_mean", c, x)
        _update(running_mean, mean._data.mean(0), momentum, "instance_norm", "running_mean")
    if running_var is not None:
        _running("instance_norm", running_var, "running_var", c, x)
        _update(running_var, var._data.mean(0) * (n / (n - 1)), momentum, "instance_norm",
                "running_var")
    return _affine(y, weight, bias, shape, "instance_norm")


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5) -> Tensor:  # noqa: A002
    """Standardize each group of ``C / num_groups`` channels of each sample, then the
    per-channel affine map.

    >>> import wengert as wg
    >>> wg.nn.functional.group_norm(wg.tensor([[1.0, 3.0]]), 1)
    tensor([[-1.,  1.]])
    """
    x = as_real_tensor(input, "group_norm", REAL_ONLY)
    c, shape = _channels("group_norm", x)
    if num_groups <= 0 or c % num_groups:
        raise ValueError(f"group_norm: the number of channels {c} (dim 1 of the input of shape "
                         f"{x.shape}) must be divisible by num_groups={num_groups}")
    grouped = x.reshape(x.shape[0], num_groups, -1)
    y = _standardize(grouped, (2,), eps)[0].reshape(x.shape)
    return _affine(y, weight, bias, shape, "group_norm")
