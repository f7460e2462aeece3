"""Convolution layers with PyTorch's weight layout (out, in / groups, *kernel),
initialization and ``padding_mode``."""

from __future__ import annotations

from . import functional as F
from .functional.conv import _padding
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
        if self._transposed and padding_mode != "zeros":
            raise ValueError(f"{name}: only padding_mode='zeros' is supported, got "
                             f"{padding_mode!r} (as in PyTorch)")
        if isinstance(padding, str) and padding not in ("same", "valid"):
            raise ValueError(f"{name}: padding must be an int, a tuple, 'same' or 'valid', got "
                             f"{padding!r}")
        n = self._dims
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size, self.stride = _tuple(kernel_size, n), _tuple(stride, n)
        self.padding = padding if isinstance(padding, str) else _tuple(padding, n)
        self.dilation, self.output_padding = _tuple(dilation, n), _tuple(output_padding, n)
        self.padding_mode = padding_mode
        if isinstance(padding, str):  # (a strided 'same' is refused here, as PyTorch does)
            _padding(padding, n, self.kernel_size, self.dilation, self.stride, name)
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
        # The convolution's own padding, done by F.pad in the mode: (lo, hi) per dimension
        # ('same': PyTorch's split), in F.pad's order (the last dimension first).
        pairs = ([(p, p) for p in self.padding] if not isinstance(self.padding, str) else
                 _padding(self.padding, self._dims, self.kernel_size, self.dilation,
                          self.stride, type(self).__name__))
        pad = tuple(v for pair in reversed(pairs) for v in pair)
        return conv(F.pad(input, pad, mode=self.padding_mode), self.weight, self.bias,
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

    def forward(self, input, output_size=None):  # noqa: A002
        """``output_size`` (the spatial sizes, optionally with the leading batch and
        channel sizes) picks the output padding: a strided convolution maps several
        input sizes to one output size, and this says which to invert to."""
        conv = getattr(F, f"conv_transpose{self._dims}d")
        return conv(input, self.weight, self.bias, self.stride, self.padding,
                    self._output_padding(input, output_size), self.groups, self.dilation)

    def _output_padding(self, input, output_size):  # noqa: A002
        if output_size is None:
            return self.output_padding
        n, name = self._dims, type(self).__name__
        output_size = tuple(int(v) for v in output_size)
        if len(output_size) == input.ndim:
            output_size = output_size[-n:]
        if len(output_size) != n:
            raise ValueError(f"{name}: output_size must have {n} or {input.ndim} elements "
                             f"(spatial sizes, or all of the output's), got {output_size}")
        low = tuple((size - 1) * s - 2 * p + d * (k - 1) + 1 for size, s, p, d, k in zip(
            input.shape[-n:], self.stride, self.padding, self.dilation, self.kernel_size))
        high = tuple(lo + s - 1 for lo, s in zip(low, self.stride))
        if any(not lo <= v <= hi for v, lo, hi in zip(output_size, low, high)):
            raise ValueError(f"{name}: requested an output size of {output_size}, but valid "
                             f"sizes range from {low} to {high} (for an input of spatial size "
                             f"{tuple(input.shape[-n:])})")
        return tuple(v - lo for v, lo in zip(output_size, low))


class ConvTranspose1d(_ConvTranspose):
    """The adjoint of Conv1d (a "deconvolution"); weight (in, out / groups, k)."""

    _dims = 1


class ConvTranspose2d(_ConvTranspose):
    """The adjoint of Conv2d; weight (in, out / groups, kH, kW)."""

    _dims = 2
