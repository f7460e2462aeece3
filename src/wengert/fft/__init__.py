"""``wg.fft``: discrete Fourier transforms under PyTorch's ``torch.fft`` names,
differentiable in both modes and to any order.

Arguments follow PyTorch: ``n`` (1-D) or ``s`` (n-D) crop or zero-pad the input
before transforming (``-1`` keeps a size), ``dim`` picks the dimensions and
``norm`` is ``"backward"`` (the default: no scaling forward, ``1/n`` inverse),
``"ortho"`` (``1/sqrt(n)`` both ways) or ``"forward"``. Real transforms keep the
precision: float32 gives complex64, float64 complex128.

>>> import wengert as wg
>>> x = wg.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
>>> wg.fft.rfft(x)
tensor([10.+0.j, -2.+2.j, -2.+0.j], grad_fn=<FftR2CBackward #...>)
>>> wg.fft.irfft(wg.fft.rfft(x)).abs().sum().backward()
>>> x.grad
tensor([1., 1., 1., 1.])
"""

from __future__ import annotations

import numpy as np

from .._backend import complex_dtype_of, default_complex_dtype, get_default_dtype
from .._tensor import Tensor
from ..ops._registry import not_differentiable, supports_complex, tensor_arg
from ._transforms import DUAL, c2c, c2r, r2c, resize

__all__ = [
    "fft",
    "fft2",
    "fftfreq",
    "fftn",
    "fftshift",
    "hfft",
    "ifft",
    "ifft2",
    "ifftn",
    "ifftshift",
    "ihfft",
    "irfft",
    "irfft2",
    "irfftn",
    "rfft",
    "rfft2",
    "rfftfreq",
    "rfftn",
]

# -- arguments ----------------------------------------------------------------------


def _norm(norm, op: str) -> str:
    if norm is None:
        return "backward"
    if norm not in DUAL:
        raise ValueError(f"fft.{op}: invalid normalization mode {norm!r}; expected "
                         "'backward', 'ortho', 'forward' or None")
    return norm


def _axes(x: Tensor, s, dim, op: str) -> tuple:
    """``(axes, sizes)`` for an n-D transform, as ``torch.fft.fftn`` reads ``s`` and ``dim``."""
    nd = x.ndim
    if isinstance(dim, int):
        dim = (dim,)
    if s is not None:
        s = tuple(int(n) for n in s)
        if dim is None:
            if len(s) > nd:
                raise RuntimeError(f"fft.{op}: s has {len(s)} sizes but the input has only {nd} "
                                   f"dimensions (shape {x.shape})")
            dim = tuple(range(nd - len(s), nd))
        elif len(s) != len(dim):
            raise RuntimeError(f"fft.{op}: s and dim must have the same length, got s={s} "
                               f"and dim={tuple(dim)}")
    elif dim is None:
        dim = tuple(range(nd))
    axes = []
    for d in dim:
        if not -nd <= d < nd:
            raise IndexError(f"fft.{op}: dimension {d} is out of range for a tensor of shape "
                             f"{x.shape} (expected in [{-nd}, {nd - 1}])")
        axes.append(d % nd)
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"fft.{op}: dimension repeated in dim={tuple(dim)}")
    sizes = [x.shape[a] for a in axes] if s is None else \
        [x.shape[a] if n == -1 else n for a, n in zip(axes, s)]
    for n in sizes:
        if n < 1:
            raise RuntimeError(f"fft.{op}: invalid number of data points ({n}) for input of "
                               f"shape {x.shape}; sizes must be at least 1")
    return tuple(axes), tuple(sizes)


def _complex(x, op: str) -> Tensor:
    """The input of a complex transform: real data become complex (of their precision)."""
    x = tensor_arg(x)
    _check_dims(x, op)
    if x.dtype.kind == "c":
        return x
    if x.dtype.kind in "biu":
        return x.to(default_complex_dtype())
    return x.to(complex_dtype_of(x.dtype))


def _real(x, op: str) -> Tensor:
    """The input of a real-to-complex transform."""
    x = tensor_arg(x)
    _check_dims(x, op)
    if x.dtype.kind == "c":
        raise RuntimeError(f"fft.{op} expects a real input tensor, but got dtype {x.dtype}; "
                           "use fft.fft / fft.fftn for complex input, or pass x.real")
    return x.to(get_default_dtype()) if x.dtype.kind in "biu" else x


def _check_dims(x: Tensor, op: str) -> None:
    if x.ndim == 0:
        raise RuntimeError(f"fft.{op}: expected a tensor with at least one dimension, got a "
                           "0-d tensor")


def _one(dim: int, n) -> tuple:
    return (dim,), (None if n is None else (n,))


# -- complex to complex -------------------------------------------------------------------


def _c2c_n(input, s, dim, norm, forward, op):  # noqa: A002
    x = _complex(input, op)
    axes, sizes = _axes(x, s, dim, op)
    return c2c(resize(x, axes, sizes), axes, _norm(norm, op), forward)


def fftn(input, s=None, dim=None, norm=None) -> Tensor:  # noqa: A002
    """The n-dimensional discrete Fourier transform over ``dim`` (all dimensions by default).

    >>> import wengert as wg
    >>> wg.fft.fftn(wg.ones(2, 2))
    tensor([[4.+0.j, 0.+0.j],
            [0.+0.j, 0.+0.j]])
    """
    return _c2c_n(input, s, dim, norm, True, "fftn")


def ifftn(input, s=None, dim=None, norm=None) -> Tensor:  # noqa: A002
    """The n-dimensional inverse discrete Fourier transform.

    >>> import wengert as wg
    >>> wg.fft.ifftn(wg.tensor([[4.0, 0.0], [0.0, 0.0]]))
    tensor([[1.+0.j, 1.+0.j],
            [1.+0.j, 1.+0.j]])
    """
    return _c2c_n(input, s, dim, norm, False, "ifftn")


def fft(input, n=None, dim=-1, norm=None) -> Tensor:  # noqa: A002
    """The one-dimensional discrete Fourier transform along ``dim``.

    >>> import wengert as wg
    >>> wg.fft.fft(wg.tensor([1.0, 0.0, 0.0, 0.0]))
    tensor([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
    """
    dims, s = _one(dim, n)
    return _c2c_n(input, s, dims, norm, True, "fft")


def ifft(input, n=None, dim=-1, norm=None) -> Tensor:  # noqa: A002
    """The one-dimensional inverse discrete Fourier transform along ``dim``.

    >>> import wengert as wg
    >>> wg.fft.ifft(wg.tensor([4.0, 0.0, 0.0, 0.0]))
    tensor([1.+0.j, 1.+0.j, 1.+0.j, 1.+0.j])
    """
    dims, s = _one(dim, n)
    return _c2c_n(input, s, dims, norm, False, "ifft")


def fft2(input, s=None, dim=(-2, -1), norm=None) -> Tensor:  # noqa: A002
    """The two-dimensional discrete Fourier transform over ``dim``.

    >>> import wengert as wg
    >>> wg.fft.fft2(wg.ones(1, 2)).shape
    (1, 2)
    """
    return _c2c_n(input, s, dim, norm, True, "fft2")


def ifft2(input, s=None, dim=(-2, -1), norm=None) -> Tensor:  # noqa: A002
    """The two-dimensional inverse discrete Fourier transform over ``dim``.

    >>> import wengert as wg
    >>> wg.fft.ifft2(wg.ones(1, 2))
    tensor([[1.+0.j, 0.+0.j]])
    """
    return _c2c_n(input, s, dim, norm, False, "ifft2")


# -- real to complex and back ---------------------------------------------------------------


def _r2c_n(input, s, dim, norm, op):  # noqa: A002
    x = _real(input, op)
    axes, sizes = _axes(x, s, dim, op)
    return r2c(resize(x, axes, sizes), axes, _norm(norm, op))


def _c2r_n(input, s, dim, norm, op):  # noqa: A002
    x = _complex(input, op)
    axes, sizes = _axes(x, s, dim, op)
    last = axes[-1]
    if s is None or s[-1] == -1:  # the default output length: 2 * (m - 1)
        n = 2 * (x.shape[last] - 1)
        if n < 1:
            raise RuntimeError(f"fft.{op}: invalid number of data points ({n}) from an input "
                               f"of size {x.shape[last]} in dimension {last}; pass n (or s)")
    else:
        n = sizes[-1]
    x = resize(x, axes, sizes[:-1] + (n // 2 + 1,))
    return c2r(x, axes, _norm(norm, op), n)


def rfftn(input, s=None, dim=None, norm=None) -> Tensor:  # noqa: A002
    """The n-dimensional FFT of real input: the last of ``dim`` keeps ``n // 2 + 1`` bins.

    >>> import wengert as wg
    >>> wg.fft.rfftn(wg.ones(2, 4)).shape
    (2, 3)
    """
    return _r2c_n(input, s, dim, norm, "rfftn")


def irfftn(input, s=None, dim=None, norm=None) -> Tensor:  # noqa: A002
    """The inverse of ``rfftn``: a real result; the last size defaults to ``2 * (m - 1)``.

    >>> import wengert as wg
    >>> wg.fft.irfftn(wg.fft.rfftn(wg.ones(2, 4))).shape
    (2, 4)
    """
    return _c2r_n(input, s, dim, norm, "irfftn")


def rfft(input, n=None, dim=-1, norm=None) -> Tensor:  # noqa: A002
    """The FFT of real input along ``dim``: the ``n // 2 + 1`` non-negative frequencies.

    >>> import wengert as wg
    >>> wg.fft.rfft(wg.tensor([1.0, 1.0, 1.0, 1.0]))
    tensor([4.+0.j, 0.+0.j, 0.+0.j])
    """
    dims, s = _one(dim, n)
    return _r2c_n(input, s, dims, norm, "rfft")


def irfft(input, n=None, dim=-1, norm=None) -> Tensor:  # noqa: A002
    """The inverse of ``rfft``: a real signal of length ``n`` (default ``2 * (m - 1)``).

    The imaginary parts of the zero-frequency (and, for even ``n``, Nyquist) bins
    do not affect the result, so their gradient is 0.

    >>> import wengert as wg
    >>> wg.fft.irfft(wg.tensor([4.0, 0.0, 0.0]))
    tensor([1., 1., 1., 1.])
    """
    dims, s = _one(dim, n)
    return _c2r_n(input, s, dims, norm, "irfft")


def rfft2(input, s=None, dim=(-2, -1), norm=None) -> Tensor:  # noqa: A002
    """The two-dimensional FFT of real input.

    >>> import wengert as wg
    >>> wg.fft.rfft2(wg.ones(2, 4)).shape
    (2, 3)
    """
    return _r2c_n(input, s, dim, norm, "rfft2")


def irfft2(input, s=None, dim=(-2, -1), norm=None) -> Tensor:  # noqa: A002
    """The inverse of ``rfft2``.

    >>> import wengert as wg
    >>> wg.fft.irfft2(wg.fft.rfft2(wg.ones(2, 4))).shape
    (2, 4)
    """
    return _c2r_n(input, s, dim, norm, "irfft2")


def hfft(input, n=None, dim=-1, norm=None) -> Tensor:  # noqa: A002
    """The FFT of a signal with Hermitian symmetry given by its first half: a real spectrum
    of length ``n`` (default ``2 * (m - 1)``). ``hfft(x) = irfft(conj(x))`` with the
    normalization reversed.

    >>> import wengert as wg
    >>> wg.fft.hfft(wg.tensor([1.0, 0.0, 0.0]))
    tensor([1., 1., 1., 1.])
    """
    from ..ops.complex import conj

    x = _complex(input, "hfft")
    return irfft(conj(x), n, dim, DUAL[_norm(norm, "hfft")])


def ihfft(input, n=None, dim=-1, norm=None) -> Tensor:  # noqa: A002
    """The inverse of ``hfft``: the first ``n // 2 + 1`` bins of the inverse FFT of real
    input. ``ihfft(x) = conj(rfft(x))`` with the normalization reversed.

    >>> import wengert as wg
    >>> wg.fft.ihfft(wg.tensor([1.0, 1.0, 1.0, 1.0]))
    tensor([1.-0.j, 0.-0.j, 0.-0.j])
    """
    from ..ops.complex import conj

    x = _real(input, "ihfft")
    return conj(rfft(x, n, dim, DUAL[_norm(norm, "ihfft")]))


# -- helpers ------------------------------------------------------------------------------


def _roll(x: Tensor, shift: int, axis: int) -> Tensor:
    from ..ops.shape import cat

    n = x.shape[axis]
    shift %= max(n, 1)
    if not shift:
        return x
    before = (slice(None),) * axis
    return cat([x[before + (slice(n - shift, n),)], x[before + (slice(0, n - shift),)]], axis)


def _shift(input, dim, op, sign):  # noqa: A002
    x = tensor_arg(input)
    if not x.ndim:
        return x
    axes = _axes(x, None, dim, op)[0]
    for a in axes:
        x = _roll(x, sign * (x.shape[a] // 2), a)
    return x


def fftshift(input, dim=None) -> Tensor:  # noqa: A002
    """Move the zero frequency to the middle: roll each of ``dim`` (all) by ``n // 2``.

    >>> import wengert as wg
    >>> wg.fft.fftshift(wg.fft.fftfreq(5))
    tensor([-0.4, -0.2,  0.0,  0.2,  0.4])
    """
    return _shift(input, dim, "fftshift", 1)


def ifftshift(input, dim=None) -> Tensor:  # noqa: A002
    """The inverse of ``fftshift``.

    >>> import wengert as wg
    >>> wg.fft.ifftshift(wg.fft.fftshift(wg.arange(5.0)))
    tensor([0., 1., 2., 3., 4.])
    """
    return _shift(input, dim, "ifftshift", -1)


def _frequencies(values, dtype, requires_grad) -> Tensor:
    from .._creation import tensor

    return tensor(values, dtype=get_default_dtype() if dtype is None else dtype,
                  requires_grad=requires_grad)


@not_differentiable
def fftfreq(n: int, d: float = 1.0, *, dtype=None, device=None,
            requires_grad=False) -> Tensor:
    """The sample frequencies of an ``fft`` of length ``n`` (sample spacing ``d``).

    >>> import wengert as wg
    >>> wg.fft.fftfreq(4)
    tensor([ 0.00,  0.25, -0.50, -0.25])
    """
    from .._creation import _check_device

    _check_device(device)
    return _frequencies(np.fft.fftfreq(n, d), dtype, requires_grad)


@not_differentiable
def rfftfreq(n: int, d: float = 1.0, *, dtype=None, device=None,
             requires_grad=False) -> Tensor:
    """The sample frequencies of an ``rfft`` of length ``n``: ``n // 2 + 1`` of them.

    >>> import wengert as wg
    >>> wg.fft.rfftfreq(4)
    tensor([0.00, 0.25, 0.50])
    """
    from .._creation import _check_device

    _check_device(device)
    return _frequencies(np.fft.rfftfreq(n, d), dtype, requires_grad)


# Complex input: every transform but the real-input ones (rfft*, ihfft), which refuse it.
supports_complex(fft, fft2, fftn, ifft, ifft2, ifftn, hfft, irfft, irfft2, irfftn,  # noqa: F821
                 fftshift, ifftshift)  # noqa: F821
