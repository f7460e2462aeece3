"""Convolution layers with PyTorch's weight layout (out, in / groups, *kernel),
initialization and ``padding_mode``."""

from __future__ import annotations

from . import functional as F
from .linear import _reset, _weight_and_bias
from .module import Module

__all__ = ["Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d"]


def _tuple(value, n: int) -> tuple:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,) * n


class _ConvNd(Module):
    _dims: int
    _transposed = False

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 output_padding=0, device=None, dtype=None):
        super().__init__()
        name = type(self).__name__
        if in_channels % groups or out_channels % groups:
            raise ValueError(f"{name}: in_channels ({in_channels}) and out_channels "
                             f"({out_channels}) must both be divisible by groups ({groups})")
        if padding_mode not in ("zeros", "reflect", "replicate", "circular"):
            raise ValueError(f"{name}: padding_mode must be 'zeros', 'reflect', 'replicate' or "
                             f"'circular', got {padding_mode!r}")
        if isinstance(padding, str) and padding not in ("same", "valid"):
            raise ValueError(f"{name}: padding must be an int, a tuple, 'same' or 'valid', got "
                             f"{padding!r}")
        n = self._dims
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size, self.stride = _tuple(kernel_size, n), _tuple(stride, n)
        self.padding = padding if isinstance(padding, str) else _tuple(padding, n)
        self.dilation, self.output_padding = _tuple(dilation, n), _tuple(output_padding, n)
        self.padding_mode = padding_mode
        if padding == "same" and any(st != 1 for st in self.stride):
            raise ValueError(f"{name}: padding='same' is not supported for strided "
                             f"convolutions (stride={self.stride}); pad explicitly instead")
        shape = ((in_channels, out_channels // groups) if self._transposed
                 else (out_channels, in_channels // groups))
        _weight_and_bias(self, (*shape, *self.kernel_size), out_channels, bias, dtype)

    def reset_parameters(self) -> None:
        _reset(self.weight, self.bias)

    def extra_repr(self) -> str:
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * self._dims:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * self._dims:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode!r}"
        return s


class _Conv(_ConvNd):
    def forward(self, input):  # noqa: A002
        conv = getattr(F, f"conv{self._dims}d")
        if self.padding_mode == "zeros":
            return conv(input, self.weight, self.bias, self.stride, self.padding, self.dilation,
                        self.groups)
        pad = []  # F.pad's order: (left, right) per dim, the last dim first
        for i in reversed(range(self._dims)):
            if self.padding == "valid":
                pad += [0, 0]
            elif self.padding == "same":  # PyTorch's split: the extra one on the right
                total = self.dilation[i] * (self.kernel_size[i] - 1)
                pad += [total // 2, total - total // 2]
            else:
                pad += [self.padding[i]] * 2
        return conv(F.pad(input, tuple(pad), mode=self.padding_mode), self.weight, self.bias,
                    self.stride, 0, self.dilation, self.groups)


class Conv1d(_Conv):
    """1-D convolution over (N, C, L) inputs."""

    _dims = 1


class Conv2d(_Conv):
    """2-D convolution over (N, C, H, W) inputs.

    >>> import wengert as wg
    >>> conv = wg.nn.Conv2d(1, 4, 3, padding=1)
    >>> conv.weight.shape, conv(wg.zeros(2, 1, 8, 8)).shape
    ((4, 1, 3, 3), (2, 4, 8, 8))
    """

    _dims = 2


class Conv3d(_Conv):
    """3-D convolution over (N, C, D, H, W) inputs."""

    _dims = 3


class _ConvTranspose(_ConvNd):
    _transposed = True

    def forward(self, input):  # noqa: A002
        conv = getattr(F, f"conv_transpose{self._dims}d")
        return conv(input, self.weight, self.bias, self.stride, self.padding,
                    self.output_padding, self.groups, self.dilation)


class ConvTranspose1d(_ConvTranspose):
    """The adjoint of Conv1d (a "deconvolution"); weight (in, out / groups, k)."""

    _dims = 1


class ConvTranspose2d(_ConvTranspose):
    """The adjoint of Conv2d; weight (in, out / groups, kH, kW)."""

    _dims = 2
