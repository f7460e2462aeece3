"""Complex tensors: creation, dtypes and promotion, parts and views, the gradient convention.

For a real loss ``L`` of ``z = x + iy``, ``z.grad = dL/dx + i dL/dy`` (PyTorch's
convention): checked here against finite differences taken on the real and
imaginary parts separately.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
import wengert.autograd.forward_ad as fwAD
from wengert.autograd import gradcheck, gradgradcheck


def fd_gradient(loss, z: np.ndarray, h=1e-6) -> np.ndarray:
    """``dL/dx + i dL/dy`` by central differences, one part of one element at a time."""
    g = np.zeros(z.shape, complex)
    for k in range(z.size):
        for unit in (1, 1j):
            step = np.zeros(z.size, complex)
            step[k] = h * unit
            step = step.reshape(z.shape)
            d = (loss(z + step) - loss(z - step)) / (2 * h)
            g.flat[k] += d * unit
    return g


LOSSES = {
    "abs": lambda L, z: L.abs(z).sum(),
    "abs-squared": lambda L, z: (z * L.conj(z)).real.sum(),
    "real-of-square": lambda L, z: (z * z).real.sum(),
    "imag-of-exp": lambda L, z: L.exp(z).imag.sum(),
    "angle": lambda L, z: (L.angle(z) ** 2).sum(),
    "matmul": lambda L, z: L.abs(z @ z.T).sum(),
}


class _NumpyLib:
    abs, conj, exp, angle = np.abs, np.conj, np.exp, np.angle


def _np_loss(name):
    fn = LOSSES[name]
    return lambda z: float(fn(_NumpyLib, z))


@pytest.mark.parametrize("name", list(LOSSES))
def test_gradient_is_dl_dx_plus_i_dl_dy(name):
    z0 = np.array([[0.3 + 1.1j, -0.7 + 0.2j], [1.5 - 0.4j, -0.2 - 0.9j]])
    z = wg.tensor(z0, requires_grad=True)
    LOSSES[name](wg, z).backward()
    np.testing.assert_allclose(z.grad.numpy(), fd_gradient(_np_loss(name), z0), rtol=1e-6,
                               atol=1e-8)
    assert z.grad.dtype == wg.complex128


def test_known_gradients():
    z = wg.tensor([3 + 4j], dtype=wg.complex128, requires_grad=True)
    wg.abs(z).sum().backward()
    np.testing.assert_allclose(z.grad.numpy(), [0.6 + 0.8j])  # z / |z|
    z.grad = None
    (z * z).real.sum().backward()  # x^2 - y^2: (2x, -2y)
    np.testing.assert_allclose(z.grad.numpy(), [6 - 8j])
    z.grad = None
    z.imag.sum().backward()
    np.testing.assert_allclose(z.grad.numpy(), [1j])


def test_gradient_descent_converges():
    target = wg.tensor([1 - 2j, 0.5j], dtype=wg.complex128)
    z = wg.zeros(2, dtype=wg.complex128, requires_grad=True)
    for _ in range(100):
        z.grad = None
        (wg.abs(z - target) ** 2).sum().backward()
        with wg.no_grad():
            z -= 0.2 * z.grad
    np.testing.assert_allclose(z.detach().numpy(), target.numpy(), atol=1e-8)


def test_real_input_through_complex_gets_the_real_part():
    x = wg.tensor([0.5, -1.0], dtype=wg.float64, requires_grad=True)
    y = (x * (2 + 3j)).imag.sum()  # d/dx of 3x
    y.backward()
    assert x.grad.dtype == wg.float64
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 3.0])


def test_creation_and_dtypes():
    assert wg.tensor(1 + 2j).dtype == wg.complex64 == wg.cfloat
    assert wg.tensor([1j, 2.0]).dtype == wg.complex64
    assert wg.tensor(np.array([1j])).dtype == wg.complex128 == wg.cdouble
    assert wg.zeros(2, dtype=wg.cfloat).dtype == wg.complex64
    z = wg.randn(4000, dtype=wg.cdouble)
    assert z.dtype == wg.complex128
    assert abs(np.var(z.numpy().real) - 0.5) < 0.05 and abs(np.var(z.numpy().imag) - 0.5) < 0.05
    u = wg.rand(100, dtype=wg.cfloat).numpy()
    assert u.dtype == np.complex64 and (u.real >= 0).all() and (u.imag < 1).all()
    assert (u.imag > 0).any()
    wg.set_default_dtype(wg.float64)
    try:
        assert wg.tensor(1j).dtype == wg.complex128
    finally:
        wg.set_default_dtype(wg.float32)
    assert wg.tensor(1 + 2j).item() == 1 + 2j
    assert repr(wg.tensor([1 + 2j])) == "tensor([1.+2.j])"
    assert "complex128" in repr(wg.tensor(np.array([1j])))


@pytest.mark.parametrize(("a", "b", "expected"), [
    (wg.ones(3, dtype=wg.float32), wg.ones(3, dtype=wg.complex64), wg.complex64),
    (wg.ones(3, dtype=wg.float64), wg.ones(3, dtype=wg.complex64), wg.complex128),
    (wg.ones(3, dtype=wg.float64), wg.tensor(1j), wg.complex128),
    (wg.ones(3, dtype=wg.float32), wg.tensor(1j, dtype=wg.complex128), wg.complex64),
    (wg.ones(3, dtype=wg.complex64), wg.tensor(1.0, dtype=wg.float64), wg.complex64),
    (wg.ones(3, dtype=wg.int64), wg.ones(3, dtype=wg.complex64), wg.complex64),
    (wg.ones(3, dtype=wg.float32), 1j, wg.complex64),
    (wg.ones(3, dtype=wg.int64), 1j, wg.complex64),
])
def test_promotion(a, b, expected):
    assert (a + b).dtype == expected
    assert (b * a).dtype == expected


def test_cat_and_where_promote():
    assert wg.cat([wg.ones(2), wg.ones(1, dtype=wg.complex64)]).dtype == wg.complex64
    assert wg.where(wg.tensor([True, False]), wg.ones(2), wg.tensor([1j, 2j])).dtype \
        == wg.complex64


def test_parts_and_properties():
    z = wg.tensor([1 + 2j, -3 - 1j])
    np.testing.assert_array_equal(z.real.numpy(), [1, -3])
    np.testing.assert_array_equal(z.imag.numpy(), [2, -1])
    np.testing.assert_array_equal(z.conj().numpy(), [1 - 2j, -3 + 1j])
    np.testing.assert_array_equal(wg.conj_physical(z).numpy(), z.conj().numpy())
    np.testing.assert_allclose(z.angle().numpy(), np.angle(z.numpy()), rtol=1e-6)
    np.testing.assert_allclose(z.abs().numpy(), np.abs(z.numpy()), rtol=1e-6)
    assert wg.is_complex(z) and not wg.is_complex(z.real)
    assert z.real.dtype == wg.float32
    x = wg.tensor([1.0, -2.0])
    assert wg.real(x) is x and wg.conj(x) is x  # real input: as it is (PyTorch)
    np.testing.assert_allclose(wg.angle(x).numpy(), [0, np.pi])
    assert not z.is_conj() and z.resolve_conj() is z


def test_real_imag_and_view_as_real_share_memory():
    z = wg.tensor([1 + 2j, 3 - 1j])
    r = z.real
    r[0] = 5.0
    z.imag[1] = 7.0
    np.testing.assert_array_equal(z.numpy(), [5 + 2j, 3 + 7j])
    v = wg.view_as_real(z)
    assert v.shape == (2, 2)
    v[0, 1] = -1.0
    assert z.numpy()[0] == 5 - 1j
    back = wg.view_as_complex(v)
    np.testing.assert_array_equal(back.numpy(), z.numpy())


def test_in_place_write_through_a_differentiated_part_is_refused():
    z = wg.tensor([1 + 2j], dtype=wg.complex128, requires_grad=True)
    y = z * 2
    with pytest.raises(RuntimeError, match="view"):
        y.real[0] = 1.0


def test_complex_and_polar_build_complex_tensors():
    out = wg.complex(wg.tensor([1.0, np.inf]), wg.tensor([np.inf, 2.0]))
    assert out.dtype == wg.complex64
    assert out.numpy()[0].real == 1 and out.numpy()[0].imag == np.inf  # not nan + inf j
    assert out.numpy()[1] == complex(np.inf, 2)
    p = wg.polar(wg.tensor([2.0], dtype=wg.float64), wg.tensor([np.pi / 2], dtype=wg.float64))
    np.testing.assert_allclose(p.numpy(), [2j], atol=1e-15)


def test_sgn():
    np.testing.assert_allclose(wg.sgn(wg.tensor([3 + 4j, 0j])).numpy(), [0.6 + 0.8j, 0])
    np.testing.assert_array_equal(wg.sgn(wg.tensor([-2.0, 0.0, 3.0])).numpy(), [-1, 0, 1])


def test_forward_mode_with_complex_tangents():
    z0 = np.array([0.4 + 1j, -1 + 0.5j])
    t0 = np.array([1j, 0.5 - 1j])
    with fwAD.dual_level():
        z = fwAD.make_dual(wg.tensor(z0), wg.tensor(t0))
        tangent = fwAD.unpack_dual(wg.exp(z) * z).tangent
        real_tangent = fwAD.unpack_dual(wg.abs(z)).tangent
    np.testing.assert_allclose(tangent.numpy(), (np.exp(z0) * z0 + np.exp(z0)) * t0)
    np.testing.assert_allclose(real_tangent.numpy(), np.real(np.conj(z0) / np.abs(z0) * t0))


def test_second_order():
    z = wg.tensor([0.4 + 1j, -1 + 0.5j], dtype=wg.complex128, requires_grad=True)
    assert gradgradcheck(lambda a: wg.abs(wg.sin(a) * a) + wg.angle(a), (z,))
    x = wg.tensor([0.3, 0.8], dtype=wg.float64, requires_grad=True)
    assert gradgradcheck(lambda a, b: wg.abs(wg.polar(a, b) ** 3), (x, x.detach() * 2 + 0.1))


def test_gradcheck_perturbs_real_and_imaginary_parts():
    z = wg.tensor([0.4 + 1j], dtype=wg.complex128, requires_grad=True)
    assert gradcheck(lambda a: wg.exp(a), (z,))
    assert gradcheck(lambda a: wg.conj(a) * a, (z,))


def test_conjugate_transpose_properties():
    z = np.arange(12).reshape(2, 2, 3) * (1 + 2j) - 3j
    t = wg.tensor(z, requires_grad=True)
    np.testing.assert_array_equal(t.mH.detach().numpy(), np.conj(np.swapaxes(z, -1, -2)))
    np.testing.assert_array_equal(t[0].H.detach().numpy(), np.conj(z[0].T))
    (t.mH @ t).abs().sum().backward()
    torch = pytest.importorskip("torch")
    tt = torch.tensor(z, requires_grad=True)
    (tt.mH @ tt).abs().sum().backward()
    np.testing.assert_allclose(t.grad.numpy(), tt.grad.numpy(), rtol=1e-12)
    real = wg.tensor([[1.0, 2.0]])
    assert real.mH.dtype == real.dtype and real.mH.shape == (2, 1)
    with pytest.raises(RuntimeError, match="t\\(\\)"):
        t.H  # noqa: B018  (3-d: H is for matrices)
