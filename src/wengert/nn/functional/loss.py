"""Regression, binary and divergence losses, and vector similarities: composites.

Each is built from differentiable primitives, so its derivatives (both modes,
any order) come from theirs; ``where`` picks branches so that the branch not
taken contributes an exact zero (no ``0 * inf``).
"""

from __future__ import annotations

import numpy as np

from ... import ops
from ..._primitive import VALUE, Primitive, unary_fn
from ..._tensor import Tensor
from ...ops._registry import (
    REAL_ONLY,
    as_float_tensor,
    as_real_tensor,
    refuse_complex,
    tensor_arg,
)
from ._reduction import reduce, reduction_arg

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cosine_similarity",
    "hinge_embedding_loss",
    "huber_loss",
    "kl_div",
    "l1_loss",
    "margin_ranking_loss",
    "mse_loss",
    "normalize",
    "pairwise_distance",
    "poisson_nll_loss",
    "smooth_l1_loss",
]

_E = ops.elementwise
_NO_ORDER = "complex numbers have no order"
_R = ops.reduce


def _int_target(target, x):
    """An integer target (counts, labels, +-1) as ``x``'s dtype, as PyTorch promotes it;
    any other target unchanged (its own checks follow)."""
    t = tensor_arg(target)
    return t.to(x.dtype) if t.dtype.kind in "iu" else t


def _pair(op, input, target, why=REAL_ONLY, int_target=True):  # noqa: A002
    """Both operands as float tensors of one shape (PyTorch broadcasts, with a warning);
    complex ones are refused for ``why``, unless ``why`` is None (the loss accepts them).
    An integer target takes the input's dtype (``int_target``: PyTorch's promotion)."""
    x = as_float_tensor(input, op) if why is None else as_real_tensor(input, op, why)
    if int_target:
        target = _int_target(target, x)
    y = as_float_tensor(target, op) if why is None else as_real_tensor(target, op, why)
    if x.shape != y.shape:
        try:
            np.broadcast_shapes(x.shape, y.shape)
        except ValueError:
            raise ValueError(f"{op}: input of shape {x.shape} and target of shape {y.shape} "
                             "do not broadcast; give them the same shape") from None
    return x, y


def _weighted(loss, weight, op, reduction, by_weight=False, broadcast=False):
    """``loss * weight`` reduced. PyTorch's weight of an mse, l1 or huber loss has the
    input's shape, and its ``mean`` of a weighted mse or l1 loss divides by the summed
    weights (``by_weight``); the binary cross-entropies' weight need only ``broadcast``
    to the input's shape (say one weight per class)."""
    if weight is None:
        return reduce(loss, reduction)
    w = as_float_tensor(weight, op)
    if broadcast and w.shape != loss.shape:
        try:
            fits = np.broadcast_shapes(w.shape, loss.shape) == loss.shape
        except ValueError:
            fits = False
        if not fits:
            fix = (f": give it that shape, or one that broadcasts to it (one weight per "
                   f"class: ({loss.shape[-1]},))") if loss.shape else ""
            raise ValueError(f"{op}: weight of shape {w.shape} does not broadcast to the "
                             f"input's shape {loss.shape}{fix}")
    elif w.shape != loss.shape:
        raise ValueError(f"{op}: weight must have the input's shape {loss.shape}, got "
                         f"{w.shape}")
    loss = loss * w
    if by_weight and reduction == "mean":
        return loss.sum() / w.sum()
    return reduce(loss, reduction)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean",  # noqa: A002
             weight=None) -> Tensor:
    """Mean squared error ``(input - target) ** 2``, reduced.

    >>> import wengert as wg
    >>> wg.nn.functional.mse_loss(wg.tensor([1.0, 2.0]), wg.tensor([1.0, 4.0]))
    tensor(2.)
    """
    reduction = reduction_arg("mse_loss", reduction, size_average, reduce)
    x, y = _pair("mse_loss", input, target)
    d = x - y
    return _weighted(d * d, weight, "mse_loss", reduction, by_weight=True)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean",  # noqa: A002
            weight=None) -> Tensor:
    """Mean absolute error ``|input - target|``; its derivative at 0 is 0 (PyTorch's).

    >>> import wengert as wg
    >>> wg.nn.functional.l1_loss(wg.tensor([1.0, 2.0]), wg.tensor([1.0, 4.0]))
    tensor(1.)
    """
    reduction = reduction_arg("l1_loss", reduction, size_average, reduce)
    x, y = _pair("l1_loss", input, target, None)
    return _weighted(_E.abs(x - y), weight, "l1_loss", reduction, by_weight=True)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean",  # noqa: A002
                   beta=1.0) -> Tensor:
    """``0.5 * d**2 / beta`` where ``|d| < beta``, else ``|d| - beta / 2`` (``d = input - target``).

    >>> import wengert as wg
    >>> wg.nn.functional.smooth_l1_loss(wg.tensor([0.0, 3.0]), wg.tensor([0.5, 0.0]))
    tensor(1.3125)
    """
    reduction = reduction_arg("smooth_l1_loss", reduction, size_average, reduce)
    if beta < 0:
        raise ValueError(f"smooth_l1_loss: beta must be non-negative, got {beta}")
    x, y = _pair("smooth_l1_loss", input, target, _NO_ORDER)
    d = x - y
    a = _E.abs(d)
    if beta == 0:
        return _reduce(a, reduction)
    return _reduce(_E.where((a < beta)._data, d * d * (0.5 / beta), a - 0.5 * beta), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None) -> Tensor:  # noqa: A002
    """``0.5 * d**2`` where ``|d| < delta``, else ``delta * (|d| - 0.5 * delta)``.

    >>> import wengert as wg
    >>> wg.nn.functional.huber_loss(wg.tensor([0.0, 3.0]), wg.tensor([0.5, 0.0]))
    tensor(1.3125)
    """
    reduction = reduction_arg("huber_loss", reduction)
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    x, y = _pair("huber_loss", input, target, _NO_ORDER)
    d = x - y
    a = _E.abs(d)
    loss = _E.where((a < delta)._data, d * d * 0.5, (a - 0.5 * delta) * delta)
    return _weighted(loss, weight, "huber_loss", reduction)


def _clamped_log(x):
    """``max(log(x), -100)``, PyTorch's guard in binary cross-entropy: a probability of
    exactly 0 or 1 costs 100, not infinity. Where clamped the derivative is 0."""
    positive = (x > 0)._data
    safe = _E.where(positive, x, 1.0)
    return _E.where(positive, _E.clamp(_E.log(safe), min=-100.0), -100.0)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,  # noqa: A002
                         reduction="mean") -> Tensor:
    """``-(t * log(x) + (1 - t) * log(1 - x))`` for probabilities ``x``; logs clamped at -100.

    >>> import wengert as wg
    >>> x = wg.tensor([0.5, 0.9])
    >>> wg.nn.functional.binary_cross_entropy(x, wg.tensor([1.0, 1.0]))
    tensor(0.3993)
    """
    reduction = reduction_arg("binary_cross_entropy", reduction, size_average, reduce)
    op = "binary_cross_entropy"
    x, t = as_real_tensor(input, op, REAL_ONLY), as_real_tensor(target, op, REAL_ONLY)
    if x.shape != t.shape:
        raise ValueError(f"binary_cross_entropy: target of shape {t.shape} must have the "
                         f"input's shape {x.shape}")
    # written so that NaN fails too, as in PyTorch
    xs, ts = x._data, t._data
    if not np.all((xs >= 0) & (xs <= 1)):
        raise ValueError("binary_cross_entropy: all elements of input must be in [0, 1] "
                         "(probabilities, not NaN); for logits use "
                         "binary_cross_entropy_with_logits")
    if not np.all((ts >= 0) & (ts <= 1)):
        raise ValueError("binary_cross_entropy: all elements of target must be in [0, 1] "
                         "(probabilities, not NaN)")
    loss = -(t * _clamped_log(x) + (1 - t) * _clamped_log(1 - x))
    return _weighted(loss, weight, "binary_cross_entropy", reduction, broadcast=True)


def _log1pexp(z):
    return np.logaddexp(0, z)


log1pexp_p = Primitive("log1pexp", _log1pexp, save=(VALUE,),
                       rule=(lambda ns, out, z: ns.sigmoid(z),))
"""``log(1 + exp(z))`` (softplus) for the losses on logits: stable, and smooth to any order
(a private primitive: ``nn.functional.softplus`` belongs to the activations)."""
_softplus = unary_fn(log1pexp_p)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,  # noqa: A002
                                     reduce=None, reduction="mean", pos_weight=None) -> Tensor:
    """Binary cross-entropy of ``sigmoid(input)``, computed stably from the logits.

    ``(1 - t) * x + (1 + (pos_weight - 1) * t) * softplus(-x)`` per element.

    >>> import wengert as wg
    >>> F = wg.nn.functional
    >>> F.binary_cross_entropy_with_logits(wg.tensor([0.0, 200.0]), wg.tensor([1.0, 0.0]))
    tensor(100.3466)
    """
    op = "binary_cross_entropy_with_logits"
    reduction = reduction_arg(op, reduction, size_average, reduce)
    x, t = as_real_tensor(input, op, REAL_ONLY), as_real_tensor(target, op, REAL_ONLY)
    if x.shape != t.shape:
        raise ValueError(f"{op}: target of shape {t.shape} must have the input's shape "
                         f"{x.shape}")
    log_weight = 1.0 if pos_weight is None else 1 + (as_float_tensor(pos_weight, op) - 1) * t
    loss = (1 - t) * x + log_weight * _softplus(-x)
    return _weighted(loss, weight, op, reduction, broadcast=True)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean",  # noqa: A002
           log_target=False) -> Tensor:
    """Kullback-Leibler divergence ``target * (log(target) - input)`` for log-probabilities
    ``input`` (``target`` as probabilities, or log-probabilities with ``log_target``).

    ``reduction='batchmean'`` divides the sum by the batch size (the true KL
    divergence); ``0 * log(0)`` counts as 0, and a negative target gives NaN.

    >>> import wengert as wg
    >>> p = wg.tensor([0.5, 0.5])
    >>> wg.nn.functional.kl_div(p.log(), p, reduction="sum")
    tensor(0.)
    """
    if reduction == "batchmean":
        reduction_arg("kl_div", "sum", size_average, reduce)
    else:
        reduction = reduction_arg("kl_div", reduction, size_average, reduce)
    x, t = _pair("kl_div", input, target, int_target=False)  # PyTorch refuses integers
    if log_target:
        loss = _E.exp(t) * (t - x)
    else:
        # 0 * log(0) is 0; a negative "probability" gives NaN (log of it), as in PyTorch
        zero = (t == 0)._data
        loss = _E.where(zero, 0.0, t * _E.log(_E.where(zero, 1.0, t))) - t * x
    if reduction == "batchmean":
        total = loss.sum()
        return total / x.shape[0] if x.ndim else total
    return _reduce(loss, reduction)


def _reduce(loss, reduction):
    return reduce(loss, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None,  # noqa: A002
                     eps=1e-8, reduce=None, reduction="mean") -> Tensor:
    """Negative log-likelihood of ``target`` under a Poisson distribution of rate
    ``exp(input)`` (``log_input``) or ``input``: ``exp(x) - t * x`` or ``x - t * log(x + eps)``.

    ``full`` adds Stirling's approximation of ``log(t!)`` where ``t > 1``.

    >>> import wengert as wg
    >>> wg.nn.functional.poisson_nll_loss(wg.tensor([0.0]), wg.tensor([1.0]))
    tensor(1.)
    """
    reduction = reduction_arg("poisson_nll_loss", reduction, size_average, reduce)
    x, t = _pair("poisson_nll_loss", input, target, None)
    loss = _E.exp(x) - t * x if log_input else x - t * _E.log(x + eps)
    if full:
        refuse_complex(t, "poisson_nll_loss", "full=True compares the target with 1 "
                       "(use full=False)")
        big = (t > 1)._data
        safe = _E.where(big, t, 2.0)
        stirling = safe * _E.log(safe) - safe + 0.5 * _E.log(2 * np.pi * safe)
        loss = loss + _E.where(big, stirling, 0.0)
    return _reduce(loss, reduction)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean") -> Tensor:
    """``max(0, -target * (input1 - input2) + margin)`` for targets of +-1.

    >>> import wengert as wg
    >>> F = wg.nn.functional
    >>> F.margin_ranking_loss(wg.tensor([1.0]), wg.tensor([2.0]), wg.tensor([1.0]))
    tensor(1.)
    """
    reduction = reduction_arg("margin_ranking_loss", reduction, size_average, reduce)
    x1, x2 = _pair("margin_ranking_loss", input1, input2, _NO_ORDER)
    y = as_real_tensor(_int_target(target, x1), "margin_ranking_loss")
    return _reduce(_E.clamp(-y * (x1 - x2) + margin, min=0.0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,  # noqa: A002
                         reduction="mean") -> Tensor:
    """``x`` where ``target == 1``, ``max(0, margin - x)`` where ``target == -1``.

    >>> import wengert as wg
    >>> F = wg.nn.functional
    >>> F.hinge_embedding_loss(wg.tensor([0.3, 0.3]), wg.tensor([1.0, -1.0]), reduction="sum")
    tensor(1.)
    """
    reduction = reduction_arg("hinge_embedding_loss", reduction, size_average, reduce)
    x, y = _pair("hinge_embedding_loss", input, target, _NO_ORDER)
    # PyTorch's terms: the hinge wherever target != 1, x wherever target != -1 (a target
    # that is neither gets both; one of +-1 exactly one)
    yd = y._data
    hinge = _E.where(yd != 1, _E.clamp(margin - x, min=0.0), 0.0)
    return _reduce(_E.where(yd != -1, x, 0.0) + hinge, reduction)


def _norm_clamped(x, dim, eps):
    """``max(||x||_2, eps)`` along ``dim``, kept, with a 0-safe square root."""
    return _E.clamp(_R.norm(x, 2, dim, True), min=eps)


def cosine_similarity(x1, x2, dim=1, eps=1e-8) -> Tensor:
    """``x1 . x2 / (max(||x1||, eps) * max(||x2||, eps))`` along ``dim`` (broadcasting).

    >>> import wengert as wg
    >>> wg.nn.functional.cosine_similarity(wg.tensor([[1.0, 0.0]]), wg.tensor([[1.0, 1.0]]))
    tensor([0.7071])
    """
    op = "cosine_similarity"
    a, b = as_real_tensor(x1, op, REAL_ONLY), as_real_tensor(x2, op, REAL_ONLY)
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"cosine_similarity: x1 of shape {a.shape} and x2 of shape {b.shape} "
                         "do not broadcast") from None
    nd = max(len(shape), 1)
    if not -nd <= dim < nd:
        raise IndexError(f"cosine_similarity: dim {dim} is out of range for shape {shape}")
    dim = dim % nd
    if a.shape != shape:
        a = ops.shape.broadcast_to(a, shape)
    if b.shape != shape:
        b = ops.shape.broadcast_to(b, shape)
    return ((a / _norm_clamped(a, dim, eps)) * (b / _norm_clamped(b, dim, eps))).sum(dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False) -> Tensor:
    """``||x1 - x2 + eps||_p`` along the last dimension.

    >>> import wengert as wg
    >>> wg.nn.functional.pairwise_distance(wg.tensor([[3.0, 0.0]]), wg.tensor([[0.0, 4.0]]),
    ...                                    eps=0.0)
    tensor([5.])
    """
    a = as_float_tensor(x1, "pairwise_distance")
    b = as_float_tensor(x2, "pairwise_distance")
    try:
        np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(f"pairwise_distance: x1 of shape {a.shape} and x2 of shape {b.shape} "
                         "do not broadcast") from None
    d = a - b + eps
    return _R.norm(d, p, -1 if d.ndim else None, keepdim)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None) -> Tensor:  # noqa: A002
    """``input / max(||input||_p, eps)`` along ``dim``.

    >>> import wengert as wg
    >>> wg.nn.functional.normalize(wg.tensor([[3.0, 4.0]]))
    tensor([[0.6, 0.8]])
    """
    if out is not None:
        raise TypeError("normalize: out= is not supported; use the returned tensor")
    x = as_float_tensor(input, "normalize")
    nd = max(x.ndim, 1)
    if not -nd <= dim < nd:
        raise IndexError(f"normalize: dim {dim} is out of range for an input of shape "
                         f"{x.shape}")
    return x / _E.clamp(_R.norm(x, p, dim if x.ndim else None, True), min=eps)
