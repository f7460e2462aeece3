"""Cross-entropy with class-index targets as one fused primitive; ``nll_loss``.

For logits ``x`` (classes along ``axis``), targets ``t``, class weights ``w``
and label smoothing ``e`` over ``C`` classes, sample ``i`` loses

    (1 - e) * w[t_i] * (lse_i - x_i[t_i]) + e / C * sum_c w_c * (lse_i - x_ic)

(zero where ``t_i == ignore_index``), and its gradient is ``softmax - onehot``
generalized: ``a_i * p_i - (1 - e) * w[t_i] * onehot(t_i) - e / C * w`` with
``a_i = (1 - e) * w[t_i] + e / C * sum(w)``. ``mean`` divides by the summed
weights of the counted targets, as PyTorch does.

Speed: the forward pass computes ``exp`` once; a recorded call hands it to
the first-order backward pass as the primitive's residual, so the backward
pass is one multiply plus a scatter at the targets (no second ``exp``).
Without it (a second backward with ``retain_graph``, forward mode) the rule
recomputes. Higher orders build the same gradient from ``ns.softmax``,
recorded, so they differentiate again.
"""

from __future__ import annotations

from math import prod

import numpy as np

from ..._primitive import FAST, VALUE, Primitive, bind
from ..._tensor import TENSOR_TYPES, Tensor
from ...autograd.linear import LinearMap, enter_quiet, exit_quiet
from ...ops._registry import as_float_tensor
from ...ops.elementwise import where
from ._reduction import reduction_arg
from .softmax import by_rows, class_sums, log_softmax

__all__ = ["cross_entropy", "nll_loss"]


class _Targets:
    """The target-derived constants of one ``cross_entropy`` call (a static parameter)."""

    __slots__ = ("target", "flat", "valid", "weight", "wt", "a", "hot", "smooth", "denom")

    def __init__(self, target, flat, valid, weight, wt, a, hot, smooth, denom):
        self.target, self.flat, self.valid, self.weight, self.wt = target, flat, valid, weight, wt
        self.a, self.hot, self.smooth, self.denom = a, hot, smooth, denom

    def axis_of(self, x):
        return 0 if x.ndim == 1 else 1

    def at_targets(self, a):
        """``a`` at the targets, in kept-dims shape: a flat gather when ``a`` is C-contiguous
        (a fraction of ``take_along_axis``'s cost, which matters next to one pass over ``a``)."""
        if a.flags.c_contiguous:
            return a.reshape(-1)[self.flat]
        return np.take_along_axis(a, self.target, self.axis_of(a))

    def subtract_at_targets(self, g, v):
        """``g[targets] -= v`` in place, for a C-contiguous ``g``."""
        g = g.reshape(-1)
        g[self.flat] -= v

    def __repr__(self):  # shown in tape listings
        return f"target(shape={self.target.shape})"


# A row whose sum of exp(x) lies in (exp(-bound), inf) is safe without subtracting its
# maximum first (a full pass saved): nothing overflowed, and the row's maximum is at least
# -bound - log(C), so what underflows is below exp(-87 + bound + log(C)) of the row's
# total in float32. Otherwise the maxima are subtracted. Keyed by dtype: exp(-bound),
# with bound 16 (float32) and 256 (float64).
_NO_SHIFT_LOW = {np.dtype(np.float32): np.float32(np.exp(-16.0)),
                 np.dtype(np.float64): np.float64(np.exp(-256.0))}


def _exp_and_sum(x, axis):
    """``(e, s, shift)``: ``e = exp(x - shift)``, ``s = sum(e, axis)``, stable (``shift``
    None: none subtracted).

    Callers silence overflow and invalid operations (``inf`` and ``nan`` inputs give
    PyTorch's results without warnings)."""
    low = _NO_SHIFT_LOW.get(x.dtype)
    if low is not None and x.size:
        e = np.exp(x)
        s = class_sums(e, axis)
        if low < s.min() and s.max() < np.inf:  # (False for nan: the shifted path)
            return e, s, None
    m = np.max(x, axis=axis, keepdims=True) if x.size else 0
    e = by_rows(np.subtract, x, m) if x.size else x - m
    np.exp(e, out=e)
    return e, class_sums(e, axis), m


def _cross_entropy(x, reduction, smoothing, res):
    return _cross_entropy_and_exp(x, reduction, smoothing, res)[0]


def _cross_entropy_and_exp(x, reduction, smoothing, res):
    """The loss, and ``(e, s)`` for the rule: ``exp`` of the (shifted) logits and its sums."""
    axis = res.axis_of(x)
    quiet = enter_quiet()  # (quiet_rules(): inf and nan logits give PyTorch's results)
    try:
        e, s, m = _exp_and_sum(x, axis)
        lse = np.log(s) if m is None else np.log(s) + m
        loss = lse - res.at_targets(x)
        if res.wt is not None or smoothing:
            loss *= (1 - smoothing) * (1 if res.wt is None else res.wt)
        if smoothing:
            summed = (np.sum(x, axis=axis, keepdims=True) if res.weight is None else
                      np.sum(x * res.weight, axis=axis, keepdims=True))
            total_w = x.shape[axis] if res.weight is None else np.sum(res.weight)
            loss += smoothing / x.shape[axis] * (total_w * lse - summed)
        if res.valid is not None:
            loss = np.where(res.valid, loss, 0).astype(x.dtype, copy=False)
        if reduction == "none":
            return np.squeeze(loss, axis), (e, s)
        total = loss.sum()
        if smoothing and reduction == "mean" and not res.denom:
            # Nothing counted: PyTorch's mean is its NLL part's 0/0 plus the smoothing
            # part's x/0, NaN, where one fused division would give +-inf.
            total = total * np.nan
        return (total if reduction == "sum" else total / res.denom), (e, s)
    finally:
        exit_quiet(quiet)


def _per_sample(ns, ct, reduction, res, axis):
    """The cotangent of each sample's loss, in kept-dims shape (or a scalar)."""
    if reduction == "none":
        return ns.reshape(ct, res.target.shape)
    if reduction == "sum":
        return ct
    r = ct / res.denom
    if res.valid is not None and not res.denom:
        # Nothing counted (every target ignored, or zero weights): the mean is 0/0 and
        # NaN, but an ignored sample takes no part in it, so its gradient is exactly 0
        # (as in PyTorch), not its zero weight times 1/0.
        r = ns.where(res.valid, r, 0.0)
    return r


class CrossEntropyMap(LinearMap):
    """The derivative: per sample ``sum(t * coef, axis)``, then the reduction, where
    ``coef = e * (a / s) - hot * onehot(target) - smooth * w`` (``e / s`` is the softmax).

    On arrays (``ns`` is FAST) the gradient is built in one pass over ``e`` plus a
    scatter at the targets, in place when the map ``owns`` ``e`` (a map from the rule
    is used once); with recorded ``ns`` (higher orders) ``e`` is ``ns.softmax(x)``
    and everything is ``ns`` arithmetic, so it differentiates again.
    """

    __slots__ = ("e", "s", "res", "reduction", "axis", "smoothing", "owned")

    def __init__(self, e, s, res, reduction, axis, smoothing, owned=False):
        self.e, self.s, self.res, self.reduction = e, s, res, reduction
        self.axis, self.smoothing, self.owned = axis, smoothing, owned

    def _coef(self, ns, r):
        """``coef`` scaled by the per-sample cotangent ``r``."""
        res = self.res
        scale = r * res.a / self.s
        if ns is not FAST:
            return self.e * scale - r * _constant_part(self.e.shape, self.e.dtype, res)
        g = by_rows(np.multiply, self.e, scale, self.e if self.owned else None)
        self.owned = False
        if not g.flags.c_contiguous:  # (a map built on another layout)
            g = np.ascontiguousarray(g)
        res.subtract_at_targets(g, r * res.hot)
        if self.smoothing:
            smooth = r * res.smooth
            g -= smooth if res.weight is None else smooth * res.weight
        return g

    def apply(self, ns, t):
        per = ns.sum(t * self._coef(ns, 1.0), self.axis, False)
        if self.reduction == "none":
            return per
        total = ns.sum(per, None, False)
        return total if self.reduction == "sum" else total / self.res.denom

    def transpose(self, ns, ct):
        return self._coef(ns, _per_sample(ns, ct, self.reduction, self.res, self.axis))


def _constant_part(shape, dtype, res):
    """``hot * onehot(target) + smooth * w``: the gradient's part that is not softmax."""
    out = np.zeros(shape, dtype=dtype)
    axis = 0 if len(shape) == 1 else 1
    np.put_along_axis(out, res.target, res.hot, axis)
    if res.smooth is not None and np.any(res.smooth):
        out += res.smooth if res.weight is None else res.smooth * res.weight
    return out


def _cross_entropy_rule(ns, out, x, reduction, smoothing, res, residual):
    axis = res.axis_of(x)
    if ns is FAST:
        if residual is None:
            with np.errstate(over="ignore", invalid="ignore"):
                residual = _exp_and_sum(x, axis)[:2]
        e, s = residual
        return CrossEntropyMap(e, s, res, reduction, axis, smoothing, owned=True)
    return CrossEntropyMap(ns.softmax(x, axis), 1.0, res, reduction, axis, smoothing)


cross_entropy_p = Primitive("cross_entropy", _cross_entropy, save=(VALUE,), n_params=3,
                            rule=(_cross_entropy_rule,), residual=_cross_entropy_and_exp)


# -- targets and weights ---------------------------------------------------------


def class_targets(op: str, x: Tensor, target, weight, ignore_index):
    """Validate class-index targets for logits/log-probabilities ``x``.

    Returns ``(t, valid, w, wt)`` in kept-dims shape (the class axis of size 1):
    the targets with ignored ones replaced by 0, the mask of counted ones (None
    when all count), the weights shaped to broadcast along the class axis (or
    None) and each target's weight times ``valid`` (or None with neither).
    """
    t = target._data if type(target) in TENSOR_TYPES else np.asarray(target)
    if x.ndim == 0:
        raise ValueError(f"{op}: input must have at least 1 dimension (classes), got a 0-d "
                         "tensor")
    axis = 0 if x.ndim == 1 else 1
    n_classes = x.shape[axis]
    expected = x.shape[:axis] + x.shape[axis + 1:]
    if t.dtype.kind not in "iu":
        raise TypeError(f"{op}: class-index targets must be an integer (int64) tensor, got "
                        f"dtype {t.dtype}; for class probabilities pass a float target of "
                        f"the input's shape {x.shape}" if op == "cross_entropy" else
                        f"{op}: targets must be an integer (int64) tensor of class indices, "
                        f"got dtype {t.dtype}")
    if t.shape != expected:
        raise ValueError(f"{op}: for input of shape {x.shape} (classes along dim {axis}) the "
                         f"target must have shape {expected}, got {t.shape}")
    # One reduction settles the common case (all targets valid, ignore_index out of range)
    # without the elementwise masks: viewed as unsigned, a negative target is huge.
    in_range = t.size == 0 or (
        t.view(_UNSIGNED.get(t.dtype.itemsize, t.dtype)) if t.dtype.kind == "i" else t
    ).max() < n_classes
    ignored = None if in_range and not 0 <= ignore_index < n_classes else t == ignore_index
    valid = None if ignored is None or not ignored.any() else ~ignored
    bad = None if in_range else (t < 0) | (t >= n_classes)
    if bad is not None and valid is not None:
        bad &= valid
    if bad is not None and bad.any():
        raise IndexError(f"{op}: target {t[bad].flat[0]} is out of bounds for {n_classes} "
                         f"classes (input shape {x.shape}); targets must lie in "
                         f"[0, {n_classes - 1}] or equal ignore_index={ignore_index}")
    if valid is not None:
        t = np.where(valid, t, 0)
    kept = t.shape[:axis] + (1,) + t.shape[axis:]
    t = t.astype(np.intp, copy=False).reshape(kept)
    valid = None if valid is None else valid.reshape(kept)
    w = _class_weights(op, weight, n_classes, x, axis)
    wt = None if w is None else np.take(w.reshape(-1), t)
    if valid is not None:
        wt = valid.astype(x.dtype) if wt is None else np.where(valid, wt, 0).astype(x.dtype)
    return t, valid, w, wt


_UNSIGNED = {n: np.dtype(f"u{n}") for n in (1, 2, 4, 8)}


def _class_weights(op, weight, n_classes, x, axis):
    if weight is None:
        return None
    w = weight._data if type(weight) in TENSOR_TYPES else np.asarray(weight)
    if w.shape != (n_classes,):
        raise ValueError(f"{op}: weight must have shape ({n_classes},), one per class of the "
                         f"input of shape {x.shape}, got {w.shape}")
    return w.astype(x.dtype, copy=False).reshape((n_classes,) + (1,) * (x.ndim - axis - 1))


def _counted_weight(x, t, wt):
    """The denominator of ``mean``: the summed weights of the counted targets."""
    return np.asarray(t.size if wt is None else np.sum(wt), dtype=x.dtype)


# -- public functions --------------------------------------------------------------


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,  # noqa: A002
                  reduce=None, reduction="mean", label_smoothing=0.0) -> Tensor:
    """Cross-entropy between logits ``input`` and class indices or class probabilities.

    ``input`` is ``(C,)``, ``(N, C)`` or ``(N, C, d1, ...)``; an integer ``target``
    holds class indices (shape ``()``, ``(N,)``, ``(N, d1, ...)``), a float one
    class probabilities of the input's shape. Class indices are one fused, stable
    primitive whose gradient is ``softmax - onehot``.

    >>> import wengert as wg
    >>> x = wg.tensor([[2.0, 0.0, 0.0]], requires_grad=True)
    >>> loss = wg.nn.functional.cross_entropy(x, wg.tensor([0]))
    >>> round(loss.item(), 4)
    0.2395
    >>> loss.backward(); x.grad
    tensor([[-0.2130,  0.1065,  0.1065]])
    """
    reduction = reduction_arg("cross_entropy", reduction, size_average, reduce)
    x = as_float_tensor(input, "cross_entropy")
    smoothing = float(label_smoothing)
    if not 0.0 <= smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {smoothing}")
    target_dtype = target.dtype if type(target) in TENSOR_TYPES else np.asarray(target).dtype
    if target_dtype.kind == "f":
        return _probabilities(x, target, weight, reduction, smoothing)
    return bind(cross_entropy_p, (x,), cross_entropy_params(x, target, weight, ignore_index,
                                                            reduction, smoothing))


def cross_entropy_params(x, target, weight, ignore_index, reduction, smoothing) -> tuple:
    """The static parameters of ``cross_entropy_p`` for logits ``x`` (a tensor or an array)."""
    t, valid, w, wt = class_targets("cross_entropy", x, target, weight, ignore_index)
    n_classes = x.shape[0 if x.ndim == 1 else 1]
    a = (1.0 if wt is None else wt) if not smoothing else (
        (1 - smoothing) * (1.0 if wt is None else wt)
        + smoothing / n_classes * (n_classes if w is None else float(np.sum(w))) *
        (1.0 if valid is None else valid.astype(x.dtype)))
    hot = (1 - smoothing) * (1.0 if wt is None else wt)
    smooth = smoothing / n_classes * (1.0 if valid is None else valid.astype(x.dtype))
    res = _Targets(t, _flat_targets(x.shape, t), valid, w, wt, a, hot, smooth,
                   _counted_weight(x, t, wt))
    return reduction, smoothing, res


def _flat_targets(shape, t):
    """The targets' positions in C-order logits of ``shape`` (``t`` in kept-dims shape):
    ``(n * C + t) * D + d`` for sample ``n``, position ``d`` of ``D`` trailing ones."""
    n_classes = shape[0 if len(shape) == 1 else 1]
    inner = prod(shape[2:])
    pos = np.arange(t.size).reshape(t.shape)
    return (pos // inner * n_classes + t) * inner + pos % inner if inner != 1 else (
        pos * n_classes + t)



def _probabilities(x, target, weight, reduction, smoothing):
    """Cross-entropy against class probabilities: a composite over ``log_softmax``."""
    target = as_float_tensor(target, "cross_entropy")
    if target.shape != x.shape:
        raise ValueError(f"cross_entropy: class-probability targets must have the input's "
                         f"shape {x.shape}, got {target.shape}")
    axis = 0 if x.ndim == 1 else 1
    n_classes = x.shape[axis]
    if smoothing:
        target = target * (1 - smoothing) + smoothing / n_classes
    scores = log_softmax(x, axis) * target
    w = _class_weights("cross_entropy", weight, n_classes, x, axis)
    if w is not None:
        scores = scores * w
    if reduction == "none":
        return -scores.sum(axis)
    total = -scores.sum()
    return total if reduction == "sum" else total / (x.numel() // max(n_classes, 1))


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100,  # noqa: A002
             reduce=None, reduction="mean") -> Tensor:
    """Negative log-likelihood of class indices ``target`` under log-probabilities ``input``.

    ``-weight[t] * input[t]`` per sample (0 where ``t == ignore_index``); ``mean``
    divides by the summed weights of the counted targets.

    >>> import wengert as wg
    >>> logp = wg.tensor([[-0.5, -1.0], [-2.0, -0.1]])
    >>> wg.nn.functional.nll_loss(logp, wg.tensor([0, 1]))
    tensor(0.3)
    """
    reduction = reduction_arg("nll_loss", reduction, size_average, reduce)
    x = as_float_tensor(input, "nll_loss")
    t, valid, w, wt = class_targets("nll_loss", x, target, weight, ignore_index)
    axis = 0 if x.ndim == 1 else 1
    kept = t.shape
    grids = np.ogrid[tuple(slice(n) for n in kept)]
    index = tuple(t if i == axis else grids[i] for i in range(x.ndim))
    picked = x[index]  # kept-dims shape
    if wt is not None:
        picked = picked * wt
    if valid is not None:  # an ignored sample takes no part, even in a mean of 0/0
        picked = where(valid, picked, 0.0)
    per = -picked.reshape(kept[:axis] + kept[axis + 1:])
    if reduction == "none":
        return per
    total = per.sum()
    if reduction == "sum":
        return total
    denom = _counted_weight(x, t, wt)
    if denom:
        return total / denom
    with np.errstate(invalid="ignore", divide="ignore"):  # nothing counted: NaN, quietly
        return total / denom

