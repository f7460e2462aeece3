"""Small helpers every ops module uses to declare its public functions."""

from __future__ import annotations

from .._creation import as_tensor
from .._tensor import TENSOR_TYPES, Tensor


def tensor_arg(x) -> Tensor:
    """A function argument as a tensor (arrays and numbers are wrapped, not copied)."""
    return x if type(x) in TENSOR_TYPES else as_tensor(x)


def method(*names):
    """Also make the decorated function a ``Tensor`` method (under ``names``, or its own)."""

    def register(fn):
        for name in names or (fn.__name__,):
            setattr(Tensor, name, fn)
        return fn

    return register


def dim_arg(dim, axis):
    """PyTorch's ``dim`` or NumPy's ``axis``; a list becomes a tuple."""
    if axis is not None:
        if dim is not None:
            raise TypeError("pass either dim or axis, not both")
        dim = axis
    return tuple(dim) if isinstance(dim, list) else dim


def as_float_tensor(x, op: str) -> Tensor:
    """A tensor argument that must be floating point (it carries a derivative)."""
    t = tensor_arg(x)
    if t.dtype.kind not in "fc":
        raise TypeError(f"{op}: expected a floating point tensor, got dtype {t.dtype}")
    return t
