"""Affine layers and shape helpers: ``Linear``, ``Bilinear``, ``Identity``, ``Flatten``,
``Unflatten``. Weights are laid out as PyTorch's, (out_features, in_features)."""

from __future__ import annotations

import math

from .. import _creation
from ..ops.shape import flatten
from . import init
from .functional import bilinear, linear
from .module import Module
from .parameter import Parameter


def _weight(*shape, dtype=None) -> Parameter:
    return Parameter(_creation.empty(*shape, dtype=dtype))


def _weight_and_bias(module: Module, weight_shape: tuple, bias_size: int, bias: bool,
                     dtype) -> None:
    """Register ``weight`` and ``bias`` (or a None placeholder) and give them PyTorch's
    default initialization: kaiming_uniform(a=sqrt(5)), bias U(-1/sqrt(fan_in), ...)."""
    module.weight = _weight(*weight_shape, dtype=dtype)
    module.register_parameter("bias", _weight(bias_size, dtype=dtype) if bias else None)
    _reset(module.weight, module.bias)


def _reset(weight: Parameter, bias: Parameter | None) -> None:
    """PyTorch's default initialization of a linear or convolution layer, in place."""
    init.kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        bound = init._bias_bound(weight)
        init.uniform_(bias, -bound, bound)


class Identity(Module):
    """Returns its input unchanged (a placeholder that accepts and ignores any arguments)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, x):
        return x


class Linear(Module):
    """``y = x @ weight.T + bias``, weight (out_features, in_features), PyTorch's init.

    >>> import wengert as wg
    >>> layer = wg.nn.Linear(3, 2)
    >>> layer.weight.shape, layer.bias.shape
    ((2, 3), (2,))
    >>> layer
    Linear(in_features=3, out_features=2, bias=True)
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__()
        self.in_features, self.out_features = in_features, out_features
        _weight_and_bias(self, (out_features, in_features), out_features, bias, dtype)

    def reset_parameters(self) -> None:
        _reset(self.weight, self.bias)

    def forward(self, input):  # noqa: A002 - PyTorch's argument name
        # The parameters straight from their table: ``self.weight`` reaches them only
        # through a failed instance lookup and ``__getattr__``, which costs more than the
        # rest of the call on a small layer.
        table = self._parameters
        try:
            weight, bias = table["weight"], table["bias"]
        except KeyError:  # deleted, maybe replaced by a plain attribute: the usual lookup
            weight, bias = self.weight, self.bias
        return linear(input, weight, bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Bilinear(Module):
    """``y_k = x1 @ weight[k] @ x2 + bias_k``, weight (out, in1, in2)."""

    def __init__(self, in1_features: int, in2_features: int, out_features: int,
                 bias: bool = True, device=None, dtype=None):
        super().__init__()
        self.in1_features, self.in2_features = in1_features, in2_features
        self.out_features = out_features
        self.weight = _weight(out_features, in1_features, in2_features, dtype=dtype)
        if bias:
            self.bias = _weight(out_features, dtype=dtype)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, x1, x2):
        return bilinear(x1, x2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class Flatten(Module):
    """Flattens dims ``start_dim`` .. ``end_dim`` (by default all but the batch dim)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        return flatten(x, self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Splits dim ``dim`` into ``unflattened_size``."""

    def __init__(self, dim: int, unflattened_size):
        super().__init__()
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, x):
        dim = self.dim % x.ndim if x.ndim else 0
        return x.reshape(*x.shape[:dim], *self.unflattened_size, *x.shape[dim + 1:])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"
