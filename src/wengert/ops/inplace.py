"""In-place operations (``add_``, ``zero_``, ``x += y``, ``x[i] = v``) with PyTorch's semantics.

An in-place op writes into the tensor's memory (views see the change) and
bumps its version counter. When it is recorded, it is computed out of place
and then committed: the tensor takes over the new tape entry, and any tape
entry that saved the old value will refuse to use it (the version no longer
matches) instead of silently computing a wrong gradient.
"""

from __future__ import annotations

import numpy as np

from .._tensor import TENSOR_TYPES, Tensor, _wrap, bump_version
from ..autograd.grad_mode import _mode
from . import elementwise as ew
from ._registry import method
from .index import index_put


def recording(target: Tensor, *others) -> bool:
    """Whether an in-place op on ``target`` with ``others`` must go through the tape.

    Forward-mode tangents propagate even under ``no_grad`` (as in PyTorch), so
    a dual tensor is always tracked.
    """
    tensors = [o for o in (target, *others) if type(o) in TENSOR_TYPES]
    if any(t._fw is not None for t in tensors):
        return True
    return _mode.enabled and any(t._requires_grad for t in tensors)


def commit(target: Tensor, result: Tensor, op: str) -> Tensor:
    """Write ``result`` into ``target``'s memory and give ``target`` its history."""
    if result.shape != target.shape:
        raise RuntimeError(
            f"{op}: the result has shape {result.shape}, but the tensor being modified in "
            f"place has shape {target.shape}; an in-place op cannot change the shape")
    if not np.can_cast(result.dtype, target.dtype, "same_kind"):
        raise RuntimeError(
            f"{op}: result type {result.dtype} can't be cast to the tensor's type "
            f"{target.dtype} in place; use the out-of-place op or convert first")
    node = result._node
    if node is not None and target._node is None and target._requires_grad:
        raise RuntimeError(
            f"{op}: a leaf tensor that requires grad (shape {target.shape}) is being used "
            "in an in-place operation. Do the update under `with wg.no_grad():` (as "
            "optimizers do), or work on a copy (x = x.clone()).")
    if (node is not None or result._fw is not None) and target._base is not None:
        # The base tensor would keep its old history (PyTorch rewrites it; we
        # refuse rather than lose the gradient silently).
        raise RuntimeError(
            f"{op}: in-place change of a view (of a tensor of shape {target._base.shape}) "
            "with values that are being differentiated is not supported: the base tensor "
            "would not learn about it. Write through the base instead "
            "(base[index] = value is differentiable), or clone() the view first.")
    if node is not None:
        _snapshot_saved(node, target)
    if node is not None and target.retains_grad:
        _move_retain_hook(target, node)
    data = target._data
    if isinstance(data, np.ndarray):
        if not data.flags.writeable:
            raise RuntimeError(
                f"{op}: this tensor's memory is read-only (a broadcast/expanded view); "
                "clone() it before changing it in place")
        np.copyto(data, result._data, casting="same_kind")
    else:  # a NumPy scalar: immutable, and nothing else shares it
        target._data = np.array(result._data, dtype=data.dtype)
    bump_version(target)  # before rebinding: the old producer's output changed
    if node is not None:  # (under no_grad the history stays, as in PyTorch)
        target._node = node
        target._requires_grad = True
    target._fw = result._fw
    return target


def _snapshot_saved(node, target):
    """The new tape entry may have saved ``target``'s value; keep a private copy of it."""
    if node.versions is None:
        return
    saved, data = node.saved, target._data
    hit = [s is target or s is data for s in saved]
    if any(hit):
        copy = np.array(data, copy=True)
        if type(target) in TENSOR_TYPES and target._fw is not None and any(
                s is target for s in saved):
            # Keep the tangents too, for forward-over-reverse.
            copy = _wrap(copy, target._node, target._requires_grad)
            copy._fw = target._fw
        node.saved = tuple(copy if h else s for s, h in zip(saved, hit))
        # A private copy cannot change: nothing to check.
        # (keep the tuple's type: it tells the engine how to unwrap the saved values)
        node.versions = type(node.versions)(
            None if h else v for v, h in zip(node.versions, hit))


def _move_retain_hook(target, node):
    """``retain_grad()`` follows the tensor to its new tape entry (as in PyTorch)."""
    from .._tensor import _RetainGrad

    old = target._node
    if old is not None and old.hooks:
        keep = [h for h in old.hooks if not (type(h) is _RetainGrad and h.ref() is target)]
        old.hooks[:] = keep
    node.register_hook(_RetainGrad(target))


def _inplace(op_name: str, fn):
    def method_(self, *args, **kwargs):
        return commit(self, fn(self, *args, **kwargs), op_name)

    method_.__name__ = method_.__qualname__ = op_name
    method_.__doc__ = f"In-place version of ``{fn.__name__}``: changes this tensor and returns it."
    return method_


_IN_PLACE = {
    "add_": ew.add, "sub_": ew.sub, "mul_": ew.mul, "div_": ew.div, "pow_": ew.pow,
    "clamp_": ew.clamp, "clip_": ew.clamp, "neg_": ew.neg, "exp_": ew.exp,
    "log_": ew.log, "sqrt_": ew.sqrt, "relu_": ew.relu, "sigmoid_": ew.sigmoid,
    "tanh_": ew.tanh, "abs_": ew.abs, "sin_": ew.sin, "cos_": ew.cos,
}
for _name, _fn in _IN_PLACE.items():
    setattr(Tensor, _name, _inplace(_name, _fn))

for _dunder, _name in (("__iadd__", "add_"), ("__isub__", "sub_"), ("__imul__", "mul_"),
                       ("__itruediv__", "div_"), ("__ipow__", "pow_")):
    setattr(Tensor, _dunder, getattr(Tensor, _name))


@method()
def fill_(self, value) -> Tensor:
    """Set every element to ``value``; returns ``self``."""
    if recording(self, value):
        return commit(self, index_put(self, Ellipsis, value), "fill_")
    value = value._data if type(value) in TENSOR_TYPES else value
    if isinstance(self._data, np.ndarray):
        self._data[...] = value
    else:
        self._data = np.full((), value, dtype=self._data.dtype)
    bump_version(self)
    return self


@method()
def zero_(self) -> Tensor:
    """Set every element to zero; returns ``self`` (``x.grad.zero_()``)."""
    return fill_(self, 0)


@method()
def copy_(self, src) -> Tensor:
    """Copy ``src`` (broadcast) into this tensor; the gradient flows to ``src``."""
    if recording(self, src):
        return commit(self, index_put(self, Ellipsis, src), "copy_")
    return fill_(self, src)


@method()
def clone(self) -> Tensor:
    """A copy with its own memory; gradients flow back to the original."""
    return ew.add(self, 0) if self._requires_grad or self._fw is not None else _wrap(
        np.array(self._data, copy=True))
