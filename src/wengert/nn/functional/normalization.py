"""Normalizations: layer, batch, group, instance and RMS norm.

Each standardizes over some axes (``(x - mean) / sqrt(var + eps)``, the biased
variance, as PyTorch) and applies an optional per-feature affine map. Running
statistics are buffers: updated in place (no gradient) when training, as
PyTorch does.

Batch statistics per channel (batch, instance and group norm) are one fused
primitive, ``batch_norm``: a CNN runs it on every layer, and as a composite
of a dozen small ops its forward and backward passes cost a fifth of an
epoch. Its rule is the classic closed form (``BatchNormMap``), written with
``ns`` ops, so it differentiates again; the first-order backward pass reuses
the forward's centred input and ``rstd`` (the primitive's residual). Layer
and RMS norm stay composites of differentiable primitives.
"""

from __future__ import annotations

import numpy as np

from ..._primitive import FAST, VALUE, Primitive, bind
from ..._tensor import TENSOR_TYPES, Tensor, bump_version
from ...autograd.linear import LinearMap
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


# -- batch statistics as one primitive ---------------------------------------------------


def _channel_sums(a):
    """Per-channel sums of an ``(N, C, ...)`` array, shape ``(1, C, 1, ...)``.

    Summing the batch axis first (whole contiguous rows added, vectorized) and then
    each channel's contiguous run is several times faster in NumPy than one
    reduction over the axes ``(0, 2, ...)``, which walks the array with strides.
    """
    n, c = a.shape[:2]
    s = a.reshape(n, c, -1).sum(0).sum(1)
    return s.reshape((1, c) + (1,) * (a.ndim - 2))


def _channelwise(op, a, v, out=None):
    """``op(a, v)`` for a per-channel ``v`` (kept dims) and an ``(N, C, ...)`` array ``a``.

    Done on ``a`` as ``N`` rows with ``v`` spread over one row (each value repeated
    over its channel's run): NumPy's loops then run along whole rows. Broadcasting
    ``(1, C, 1, 1)`` instead runs a short inner loop per channel and image, about
    twice as slow on a CNN's feature maps.
    """
    n = a.shape[0]
    row = np.repeat(v.reshape(-1), a.size // max(n * v.size, 1))
    r = op(a.reshape(n, -1), row, out=None if out is None else out.reshape(n, -1))
    return r.reshape(a.shape)


class BatchStats:
    """What the ``batch_norm`` primitive measured: the per-channel ``mean`` and biased
    ``var`` (shape ``(C,)``) for the running statistics; a static parameter the forward
    computation fills, so the statistics are computed once."""

    __slots__ = ("mean", "var")

    def __init__(self):
        self.mean = self.var = None

    def __repr__(self):  # shown in tape listings
        return "batch_stats"


class BatchNormResidual:
    """The centred input ``d = x - mean`` and ``rstd = (var + eps)**-0.5`` (kept dims),
    and the cotangent sums that one backward pass shares between the inputs' maps.

    ``owned``: ``d`` is a private array used by one reverse pass (the forward's residual
    or a recomputation), so the input's map may build its gradient in ``d`` and in the
    scratch product ``ct * d`` (the weight's and bias's maps need only the sums). Every
    array allocated in a CNN's backward pass costs page faults, more than the arithmetic.
    """

    __slots__ = ("d", "rstd", "ct", "sums", "owned", "scratch")

    def __init__(self, d, rstd, owned=False):
        self.d, self.rstd, self.ct, self.sums = d, rstd, None, None
        self.owned, self.scratch = owned, None

    def sums_of(self, ns, ct):
        """``(sum(ct), sum(ct * d))`` per channel (kept dims), once per cotangent."""
        if self.ct is not ct:
            s1, s2, p = _sums(ns, ct, self.d)
            self.sums, self.ct = (s1, s2), ct
            self.scratch = p if self.owned and ns is FAST else None
        return self.sums


def _batch_norm(x, weight, bias, eps, stats):
    return _batch_norm_and_residual(x, weight, bias, eps, stats)[0]


def _batch_norm_and_residual(x, weight, bias, eps, stats):
    """``(y, BatchNormResidual)``: the statistics in two passes (the variance of the
    centred values: no cancellation in float32), then ``y = d * (rstd * w) + b``."""
    c = x.shape[1]
    m = x.size // c
    mean = _channel_sums(x) / m
    d = _channelwise(np.subtract, x, mean)
    y = d * d
    var = _channel_sums(y) / m
    rstd = 1 / np.sqrt(var + eps)
    if stats is not None:
        stats.mean, stats.var = mean.reshape(c), var.reshape(c)
    _channelwise(np.multiply, d, rstd if weight is None else rstd * weight.reshape(rstd.shape),
                 out=y)
    if bias is not None:
        _channelwise(np.add, y, bias.reshape(rstd.shape), out=y)
    return y, BatchNormResidual(d, rstd, owned=True)


def _recomputed(ns, x, eps):
    """The residual again, from ``x``: NumPy, or recorded ``ns`` ops (higher orders)."""
    if ns is FAST:
        return _batch_norm_and_residual(x, None, None, eps, None)[1]
    axes = (0, *range(2, x.ndim))
    m = _per_channel(x.shape)
    d = x - ns.sum(x, axes, True) / m
    return BatchNormResidual(d, (ns.sum(d * d, axes, True) / m + eps) ** -0.5)


class BatchNormMap(LinearMap):
    """The derivative of ``batch_norm`` in one of its inputs (``which``: 0 the input
    ``x``, 1 the weight, 2 the bias), with ``x_hat = d * rstd`` and ``M`` values per
    channel:

    * x: ``t -> w * rstd * (t - mean(t) - x_hat * mean(t * x_hat))``, a symmetric
      projection scaled per channel, so its transpose is the same formula (the
      classic ``dx = rstd / M * (M g - sum(g) - x_hat sum(g x_hat))``, ``g = w ct``);
    * weight: ``t -> x_hat * t``, transposed ``sum(ct * x_hat)``;
    * bias: ``t -> t`` broadcast, transposed ``sum(ct)``.

    The sums over ``(N, *spatial)`` come from ``res.sums_of``, computed once per
    cotangent for all three maps. On arrays the input's gradient is assembled as
    ``ct * a + d * b + c`` with per-channel ``a, b, c``.
    """

    __slots__ = ("which", "res", "w")

    def __init__(self, which, res, w):
        self.which, self.res, self.w = which, res, w

    def _scale(self, ns):
        """``w * rstd`` per channel (kept dims)."""
        rstd = self.res.rstd
        return rstd if self.w is None else ns.reshape(self.w, rstd.shape) * rstd

    def apply(self, ns, t):
        res = self.res
        if self.which == 2:
            return ns.broadcast_to(ns.reshape(t, res.rstd.shape), res.d.shape)
        if self.which == 1:
            return res.d * (ns.reshape(t, res.rstd.shape) * res.rstd)
        s1, s2, _ = _sums(ns, t, res.d)
        return self._pulled(ns, t, s1, s2)

    def transpose(self, ns, ct):
        res = self.res
        s1, s2 = res.sums_of(ns, ct)
        if self.which == 0:
            return self._pulled(ns, ct, s1, s2)
        return ns.reshape(s1 if self.which == 2 else s2 * res.rstd, (res.rstd.shape[1],))

    def _pulled(self, ns, t, s1, s2):
        """``w * rstd * (t - s1 / M - d * rstd**2 * s2 / M)``."""
        res = self.res
        m = _per_channel(t.shape)
        a = self._scale(ns)
        b = a * res.rstd * res.rstd * s2 / -m
        c = a * s1 / -m
        if ns is not FAST:
            return t * a + res.d * b + c
        if res.owned and res.scratch is not None and res.ct is t:
            out, scratch = res.d, res.scratch
            res.d = res.scratch = None  # consumed: a second use would fail, not mislead
            res.owned = False
        else:
            out, scratch = None, None
        out = _channelwise(np.multiply, res.d if out is None else out, b, out=out)
        _channelwise(np.add, out, c, out=out)
        out += _channelwise(np.multiply, t, a, out=scratch)
        return out


def _per_channel(shape):
    """``M``: how many values each channel's statistics are over."""
    return int(np.prod(shape)) // shape[1]


def _sums(ns, t, d):
    """``(sum(t), sum(t * d), t * d)``, the sums per channel (kept dims)."""
    p = t * d
    if ns is FAST:
        return _channel_sums(t), _channel_sums(p), p
    axes = (0, *range(2, t.ndim))
    return ns.sum(t, axes, True), ns.sum(p, axes, True), p


def _batch_norm_rule(which):
    def rule(ns, out, x, w, b, eps, stats, residual):
        return BatchNormMap(which, residual if residual is not None else
                            _recomputed(ns, x, eps), w if which == 0 else None)
    return rule


batch_norm_p = Primitive(
    "batch_norm", _batch_norm, save=(VALUE, VALUE, None), n_params=2,
    uses=((0, 1), (0,), (0,)), residual=_batch_norm_and_residual,
    rule=(_batch_norm_rule(0), _batch_norm_rule(1), _batch_norm_rule(2)))
"""``(x - mean) * rstd * weight + bias`` with per-channel (dim 1) statistics over every
other dim; ``weight`` and ``bias`` are ``(C,)`` or None; params ``(eps, BatchStats or None)``."""


def _fused_parameter(p, c, x, op, name):
    """``weight``/``bias`` as a ``(C,)`` tensor of ``x``'s dtype, or False when it is
    of another dtype (then the composite path promotes, as before)."""
    if p is None:
        return None
    p = _parameter(p, (c,), op, name)
    return p if p.dtype == x.dtype else False


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
    if training:
        n = x.numel() // max(c, 1)
        if n <= 1:
            raise ValueError(f"batch_norm: expected more than 1 value per channel when "
                             f"training, got input of shape {x.shape}")
        if running_mean is not None:
            _running("batch_norm", running_mean, "running_mean", c, x)
        if running_var is not None:
            _running("batch_norm", running_var, "running_var", c, x)
        y, mean, var = _batch_standardize(x, weight, bias, eps, shape, "batch_norm")
        if running_mean is not None:
            _update(running_mean, mean, momentum, "batch_norm", "running_mean")
        if running_var is not None:
            _update(running_var, var * (n / (n - 1)), momentum, "batch_norm", "running_var")
        return y
    if running_mean is None or running_var is None:
        raise ValueError("batch_norm: running_mean and running_var must be given in "
                         "evaluation mode (training=False)")
    mean = _running("batch_norm", running_mean, "running_mean", c, x).detach()
    var = _running("batch_norm", running_var, "running_var", c, x).detach()
    # An affine map per channel: ``x * scale + shift``, the small vectors computed first.
    scale = (var + eps) ** -0.5
    if weight is not None:
        scale = scale * _parameter(weight, (c,), "batch_norm", "weight")
    shift = -mean * scale
    if bias is not None:
        shift = shift + _parameter(bias, (c,), "batch_norm", "bias")
    return x * scale.reshape(shape) + shift.reshape(shape)


def _batch_standardize(x, weight, bias, eps, shape, op):
    """``(y, mean, var)``: ``x`` standardized per channel (dim 1) over every other dim, then
    ``* weight + bias``; the biased statistics as ``(C,)`` arrays. One ``batch_norm``
    primitive where the parameters have ``x``'s dtype (the composite otherwise)."""
    c = x.shape[1]
    w = _fused_parameter(weight, c, x, op, "weight")
    b = _fused_parameter(bias, c, x, op, "bias")
    if w is False or b is False or c == 0:
        axes = (0, *range(2, x.ndim))
        y, mean, var = _standardize(x, axes, eps)
        return (_affine(y, weight, bias, shape, op), mean._data.reshape(c),
                var._data.reshape(c))
    stats = BatchStats()
    y = bind(batch_norm_p, (x, w, b), (eps, stats))
    return y, stats.mean, stats.var


def _instance_standardize(x, eps):
    """``(y, mean, var)``: each ``x[i, j]`` standardized over its own dims 2, ... (the
    statistics as ``(N, C)`` arrays): the ``batch_norm`` primitive on ``x`` seen as one
    sample of ``N * C`` channels."""
    n, c = x.shape[:2]
    if x.numel() == 0:
        y, mean, var = _standardize(x, tuple(range(2, x.ndim)), eps)
        return y, mean._data.reshape(n, c), var._data.reshape(n, c)
    stats = BatchStats()
    y = bind(batch_norm_p, (x.reshape(1, n * c, *x.shape[2:]), None, None), (eps, stats))
    return y.reshape(x.shape), stats.mean.reshape(n, c), stats.var.reshape(n, c)


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
    n = int(np.prod(x.shape[2:]))
    if n <= 1:
        raise ValueError(f"instance_norm: expected more than 1 spatial element per channel, "
                         f"got input of shape {x.shape}")
    y, mean, var = _instance_standardize(x, eps)
    if running_mean is not None:
        _running("instance_norm", running_mean, "running_mean", c, x)
        _update(running_mean, mean.mean(0), momentum, "instance_norm", "running_mean")
    if running_var is not None:
        _running("instance_norm", running_var, "running_var", c, x)
        _update(running_var, var.mean(0) * (n / (n - 1)), momentum, "instance_norm",
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
    y = _instance_standardize(x.reshape(x.shape[0], num_groups, -1), eps)[0].reshape(x.shape)
    return _affine(y, weight, bias, shape, "group_norm")
