"""Bad input to complex and FFT operations: clear errors that name the op, the dtypes or
shapes and the fix, never a silent wrong result (NumPy would order complex numbers)."""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

Z = wg.tensor([1 + 2j, -1j])
X = wg.ones(3)


@pytest.mark.parametrize(("name", "call"), [
    ("lt", lambda: Z < 0), ("le", lambda: Z <= Z), ("gt", lambda: wg.gt(Z, X[:2])),
    ("ge", lambda: wg.ge(X[:2], Z)), ("lt", lambda: wg.lt(1.0, Z)),
    ("maximum", lambda: wg.maximum(Z, Z)),
    ("minimum", lambda: wg.minimum(X[:2], Z)), ("relu", lambda: wg.relu(Z)),
    ("clamp", lambda: wg.clamp(Z, 0, 1)), ("amax", lambda: Z.max()), ("amin", lambda: Z.amin()),
    ("argmax", lambda: Z.argmax()), ("argmin", lambda: wg.argmin(Z)),
    ("argmax", lambda: Z.max(dim=0)), ("sign", lambda: wg.sign(Z)),
    ("lt", lambda: X < 1j),
])
def test_ordering_complex_numbers_is_refused(name, call):
    with pytest.raises(TypeError, match=rf"^{name}: .*not defined for complex.*no order.*"
                                        r"\.real, \.imag or \.abs\(\)"):
        call()


def test_equality_of_complex_numbers_works():
    np.testing.assert_array_equal((Z == Z).numpy(), [True, True])
    np.testing.assert_array_equal((Z != 1 + 2j).numpy(), [False, True])


def test_backward_from_a_complex_output_needs_a_real_loss():
    z = wg.tensor([1j], requires_grad=True)
    with pytest.raises(RuntimeError, match="only for real outputs.*complex64.*abs"):
        (z * 2).sum().backward()
    with pytest.raises(RuntimeError, match="grad: grad can be implicitly created only for real"):
        wg.grad((z * 2).sum(), z)
    (z * 2).sum().backward(gradient=wg.tensor(1 + 0j))  # an explicit cotangent is fine
    np.testing.assert_allclose(z.grad.numpy(), [2])


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: wg.imag(X), RuntimeError, r"imag is only defined for complex tensors.*float32"),
    (lambda: X.imag, RuntimeError, r"imag is only defined for complex"),
    (lambda: wg.view_as_real(X), RuntimeError, r"view_as_real is only defined for complex"),
    (lambda: wg.view_as_complex(wg.ones(3)), RuntimeError,
     r"view_as_complex: .*last dimension has size 2, got shape \(3,\)"),
    (lambda: wg.view_as_complex(wg.ones(3, 2, dtype=wg.float16)), RuntimeError,
     r"view_as_complex: expected a float32 or float64.*float16"),
    (lambda: wg.complex(wg.ones(2), wg.ones(2, dtype=wg.float64)), TypeError,
     r"complex: .*same dtype, got float32 and float64"),
    (lambda: wg.complex(wg.tensor([1, 2]), wg.tensor([1, 2])), TypeError,
     r"complex: .*floating point.*int64"),
    (lambda: wg.complex(wg.ones(2), wg.ones(3)), RuntimeError, r"complex: shapes .* broadcast"),
    (lambda: wg.polar(wg.ones(2), wg.ones(2, dtype=wg.float64)), TypeError,
     r"polar: .*same floating dtype"),
])
def test_bad_complex_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize(("call", "error", "match"), [
    (lambda: wg.fft.rfft(Z), RuntimeError, r"fft.rfft expects a real input.*complex64.*fft.fft"),
    (lambda: wg.fft.ihfft(Z), RuntimeError, r"fft.ihfft expects a real input"),
    (lambda: wg.fft.rfftn(wg.ones(2, 2, dtype=wg.cfloat)), RuntimeError, r"fft.rfftn expects"),
    (lambda: wg.fft.fft(X, dim=1), IndexError,
     r"fft.fft: dimension 1 is out of range for a tensor of shape \(3,\)"),
    (lambda: wg.fft.fft2(X), IndexError, r"fft.fft2: dimension -2 is out of range"),
    (lambda: wg.fft.fft(X, norm="unitary"), ValueError,
     r"fft.fft: invalid normalization mode 'unitary'.*'ortho'"),
    (lambda: wg.fft.fft(X, n=0), RuntimeError, r"fft.fft: invalid number of data points \(0\)"),
    (lambda: wg.fft.irfft(wg.ones(1, dtype=wg.cfloat)), RuntimeError,
     r"fft.irfft: invalid number of data points \(0\).*pass n"),
    (lambda: wg.fft.fftn(wg.ones(3, 3), s=(2, 2, 2)), RuntimeError,
     r"fft.fftn: s has 3 sizes but the input has only 2 dimensions"),
    (lambda: wg.fft.fftn(wg.ones(3, 3), s=(2,), dim=(0, 1)), RuntimeError,
     r"fft.fftn: s and dim must have the same length"),
    (lambda: wg.fft.fftn(wg.ones(3, 3), dim=(0, -2)), RuntimeError,
     r"fft.fftn: dimension repeated"),
    (lambda: wg.fft.fft(wg.tensor(1.0)), RuntimeError, r"fft.fft: .*at least one dimension"),
    (lambda: wg.fft.fftshift(X, dim=3), IndexError, r"fft.fftshift: dimension 3 is out of range"),
])
def test_bad_fft_arguments(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_gradcheck_refuses_complex64():
    from wengert.autograd import gradcheck

    with pytest.raises(ValueError, match="complex64.*float64 or complex128"):
        gradcheck(wg.exp, (wg.tensor([1j], requires_grad=True),))
