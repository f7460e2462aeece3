"""``wg.fft`` against ``torch.fft``: values, dtypes, gradients and second derivatives.

The adjoints that are easy to get wrong are the real transforms': ``rfft``
keeps half the spectrum, ``irfft`` reads a half spectrum as a Hermitian whole
(bins other than DC and Nyquist count twice, and the imaginary parts of DC and
Nyquist are ignored). Every function is checked for every norm, with even and
odd lengths, cropping and zero-padding, against PyTorch's gradients (which use
the same complex convention, ``dL/dx + i dL/dy``).
"""

from __future__ import annotations

import numpy as np
import pytest
from test_reference_complex import close, compare

import wengert as wg

torch = pytest.importorskip("torch")

rng = np.random.default_rng(77)


def c(*shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def r(*shape):
    return rng.standard_normal(shape)


def loss(L, y):
    """A real loss that weighs every real and imaginary part differently (and nonlinearly)."""
    if y.is_complex():
        y = L.view_as_real(y.resolve_conj())  # (PyTorch may hand back a lazy conjugate)
    weights = L.tensor(np.linspace(-1.0, 2.0, y.numel()).reshape(y.shape))
    return (y * weights).sum() + (y * y * y).sum() / 3


NORMS = [None, "backward", "ortho", "forward"]

# (name, input, kwargs)
CALLS = [
    ("fft", c(3, 5), {}), ("fft", r(6), {}), ("fft", c(5), {"n": 8}), ("fft", c(2, 5), {"n": 3}),
    ("fft", c(4, 3), {"dim": 0}),
    ("ifft", c(3, 5), {}), ("ifft", c(4), {"n": 6, "dim": -1}),
    ("rfft", r(6), {}), ("rfft", r(7), {}), ("rfft", r(3, 5), {"n": 8}),
    ("rfft", r(3, 8), {"n": 5}), ("rfft", r(4, 3), {"dim": 0}),
    ("irfft", c(4), {}), ("irfft", c(4), {"n": 7}), ("irfft", c(4), {"n": 4}),
    ("irfft", c(5), {"n": 12}), ("irfft", c(3, 5), {"dim": 0}), ("irfft", c(1, 4), {}),
    ("hfft", c(4), {}), ("hfft", c(3), {"n": 5}), ("hfft", c(2, 4), {"n": 8}),
    ("ihfft", r(6), {}), ("ihfft", r(5), {"n": 8}),
    ("fft2", c(3, 4), {}), ("fft2", c(2, 3, 4), {"s": (4, 2)}),
    ("ifft2", c(3, 4), {"dim": (0, 1)}),
    ("rfft2", r(3, 4), {}), ("rfft2", r(3, 5), {"s": (4, 3)}),
    ("irfft2", c(3, 3), {}), ("irfft2", c(3, 3), {"s": (2, 5)}),
    ("fftn", c(2, 3, 4), {}), ("fftn", c(2, 3, 4), {"s": (3, 3), "dim": (2, 0)}),
    ("ifftn", c(2, 3, 4), {"s": (-1, 5), "dim": (0, 2)}),
    ("rfftn", r(2, 3, 4), {}), ("rfftn", r(2, 3, 5), {"dim": (0, 2)}),
    ("irfftn", c(2, 3, 3), {}), ("irfftn", c(2, 3, 3), {"s": (3, 4)}),
    ("irfftn", c(2, 3, 4), {"s": (2, 7), "dim": (0, 2)}),
]


def _id(call):
    name, x, kwargs = call
    args = ",".join(f"{k}={v}" for k, v in kwargs.items()).replace(" ", "")
    return f"{name}-{'c' if np.iscomplexobj(x) else 'r'}{x.shape}-{args}".replace(" ", "")


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("call", CALLS, ids=[_id(c_) for c_ in CALLS])
def test_transform_matches_torch(call, norm):
    name, x, kwargs = call
    kwargs = {**kwargs, "norm": norm}
    compare(torch, lambda L, t: loss(L, getattr(L.fft, name)(t, **kwargs)), x)


def test_irfft_ignores_the_imaginary_parts_of_dc_and_nyquist():
    """Their gradient is exactly 0, in both libraries; the other bins count twice."""
    x = np.array([1 + 5j, 2 - 1j, 3 + 2j, 4 + 7j])  # n = 6: bin 3 is the Nyquist bin
    w = wg.tensor(x, requires_grad=True)
    wg.fft.irfft(w).sum().backward()
    t = torch.tensor(x, requires_grad=True)
    torch.fft.irfft(t).sum().backward()
    close(w.grad, t.grad, "gradient")
    assert w.grad.numpy()[0].imag == 0 and w.grad.numpy()[3].imag == 0
    compare(torch, lambda L, z: (L.fft.irfft(z, n=6) ** 2).sum(), x)


@pytest.mark.parametrize("shift", ["fftshift", "ifftshift"])
@pytest.mark.parametrize("dim", [None, 0, (1,), (-1, 0)])
def test_shifts_match_torch(shift, dim):
    x = r(4, 5)
    compare(torch, lambda L, t: loss(L, getattr(L.fft, shift)(t, dim=dim)), x)


@pytest.mark.parametrize(("name", "real_input"), [
    ("fft", False), ("fft", True), ("ifft", False), ("rfft", True), ("irfft", False),
    ("hfft", False), ("ihfft", True), ("fftn", False), ("rfftn", True), ("irfftn", False),
])
@pytest.mark.parametrize("precision", ["float32", "float64"])
def test_values_and_dtypes(name, real_input, precision):
    """Forward values and output dtypes as PyTorch's (float32 in, complex64 out)."""
    x = r(3, 6) if real_input else c(3, 6)
    dtype = getattr(np, precision) if real_input else {"float32": np.complex64,
                                                       "float64": np.complex128}[precision]
    x = x.astype(dtype)
    ours = getattr(wg.fft, name)(wg.tensor(x))
    theirs = getattr(torch.fft, name)(torch.tensor(x))
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    tol = 1e-5 if precision == "float32" else 1e-12
    close(ours, theirs, name, rtol=tol, atol=tol)


def test_frequencies_match_torch():
    for n in (1, 4, 7):
        close(wg.fft.fftfreq(n, 0.5), torch.fft.fftfreq(n, 0.5), "fftfreq", rtol=1e-7)
        close(wg.fft.rfftfreq(n), torch.fft.rfftfreq(n), "rfftfreq", rtol=1e-7)
        assert wg.fft.fftfreq(n).dtype == wg.float32
    assert wg.fft.fftfreq(4, dtype=wg.float64).dtype == wg.float64
