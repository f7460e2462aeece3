"""Complex tensors in wengert and in PyTorch: the same values, gradients and second derivatives.

Both follow one convention: for a real loss ``L`` of complex ``z = x + iy``,
``z.grad = dL/dx + i dL/dy``. Each program returns a real loss written with
names both libraries share; ``compare`` checks the value, every input's
gradient (``create_graph``) and the gradient of ``<w, grad>`` for a random
``w`` (second order). The points where conventions matter are included: ``abs``,
``angle`` and ``sgn`` at 0 (gradient 0 in both), real meeting complex (the real
input's gradient is the real part), ``0 ** y``.

Deliberate differences from PyTorch (documented, tested elsewhere): wengert has
no lazy conjugate bit (``conj`` copies, as ``conj_physical``), ``real``/``imag``/
``view_as_real`` share memory with their input but writes through them are
refused while differentiating, and a complex-to-real ``to()`` keeps the real
part without a warning.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")

# -- the harness (shared with test_reference_fft.py) ------------------------------------


def as_numpy(t) -> np.ndarray:
    if hasattr(t, "resolve_conj"):  # PyTorch's lazy conjugation
        t = t.resolve_conj()
    data = t.detach().numpy() if hasattr(t, "detach") else t
    return np.asarray(data)


def close(a, b, what, rtol=1e-10, atol=1e-12):
    np.testing.assert_allclose(as_numpy(a), as_numpy(b), rtol=rtol, atol=atol, err_msg=what)


def random_like(rng, a) -> np.ndarray:
    w = rng.standard_normal(np.shape(a))
    if np.iscomplexobj(a):
        w = w + 1j * rng.standard_normal(np.shape(a))
    return w


def inner(lib, g, w):
    """``Re(sum(conj(w) * g))`` in ``lib`` (``w`` a NumPy array of ``g``'s kind)."""
    if np.iscomplexobj(w):
        return (g * lib.tensor(np.conj(w))).sum().real
    return (g * lib.tensor(w)).sum()


def compare(torch, program, *arrays, second_order=True, rtol=1e-10, atol=1e-12, seed=0):
    """Values, gradients and (optionally) second derivatives of ``program`` agree."""
    w_in = [wg.tensor(a, requires_grad=True) for a in arrays]
    t_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    lw, lt = program(wg, *w_in), program(torch, *t_in)
    close(lw, lt, "value", rtol, atol)
    gw = wg.grad(lw, w_in, create_graph=second_order, allow_unused=True)
    gt = torch.autograd.grad(lt, t_in, create_graph=second_order, allow_unused=True)
    for i, (a, b) in enumerate(zip(gw, gt)):
        assert (a is None) == (b is None), f"input {i}: only one library has a gradient"
        if a is not None:
            assert a.dtype == w_in[i].dtype
            close(a, b, f"gradient of input {i}", rtol, atol)
    if not second_order:
        return
    rng = np.random.default_rng(seed)
    ws = [random_like(rng, a) for a in arrays]
    pairs = [(g, h, w) for g, h, w in zip(gw, gt, ws) if g is not None]
    sw = sum((inner(wg, g, w) for g, _, w in pairs), wg.tensor(0.0, dtype=wg.float64))
    st = sum((inner(torch, h, w) for _, h, w in pairs), torch.tensor(0.0, dtype=torch.float64))
    if not sw.requires_grad and not st.requires_grad:
        return  # linear in every input: no second derivative
    hw = wg.grad(sw, w_in, allow_unused=True) if sw.requires_grad else [None] * len(w_in)
    ht = torch.autograd.grad(st, t_in, allow_unused=True) if st.requires_grad \
        else [None] * len(t_in)
    for i, (a, b) in enumerate(zip(hw, ht)):
        a = np.zeros(np.shape(arrays[i])) if a is None else as_numpy(a)
        b = np.zeros(np.shape(arrays[i])) if b is None else as_numpy(b)
        close(a, b, f"second derivative, input {i}", rtol, atol)


rng = np.random.default_rng(2024)


def c(*shape):
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


def r(*shape):
    return rng.standard_normal(shape)


PROGRAMS = {
    "abs": (lambda L, z: L.abs(z).sum(), [c(3, 4)]),
    "abs-squared": (lambda L, z: (L.abs(z) ** 2).sum(), [c(5)]),
    "real-imag": (lambda L, z: (z.real * z.imag ** 2).sum(), [c(2, 3)]),
    "conj-product": (lambda L, z, w: (L.conj(z) * w).real.sum(), [c(4), c(4)]),
    "angle": (lambda L, z: (L.angle(z) * L.angle(z)).sum(), [c(3, 3)]),
    "holomorphic": (lambda L, z: L.abs(L.exp(z) * L.sin(z) + L.cos(z) / (z * z + 2)).sum(),
                    [c(2, 3)]),
    "log-sqrt-tanh": (lambda L, z: L.abs(L.log(z) + L.sqrt(z) + L.tanh(z)).sum(),
                      [np.abs(r(4)) + 0.5 + 1j * r(4)]),
    "tan": (lambda L, z: L.tan(z).real.sum() + L.tan(z).imag.sum(), [0.3 * c(4)]),
    "pow": (lambda L, z, w: L.abs(z ** w).sum() + L.abs(z ** 2.5).sum(),
            [np.abs(r(3)) + 0.5 + 1j * r(3), c(3)]),
    "pow-scalar-base": (lambda L, w: L.abs((1 + 2j) ** w).sum(), [c(3)]),
    "div-sub-neg": (lambda L, z, w: L.abs(-(z - w) / (w + 3)).sum(), [c(3, 2), c(3, 2)]),
    "matmul": (lambda L, a, b: L.abs(a @ b).sum(), [c(3, 4), c(4, 2)]),
    "matmul-batched-vec": (lambda L, a, b: (a @ b).real.sum(), [c(2, 3, 4), c(4)]),
    "mixed-real-complex": (lambda L, x, z: L.abs(x * z + x).sum(), [r(2, 3), c(3)]),
    "real-times-python-complex": (lambda L, x: (x * (1 - 2j)).imag.sum() + (x * 1j).real.sum(),
                                  [r(4)]),
    "promotion-to-complex": (lambda L, x, z: L.abs(x.to(z.dtype) * z).sum(), [r(3), c(3)]),
    "cast-to-real": (lambda L, z: (z.real.to(L.float64) ** 3).sum(), [c(3)]),
    "complex-from-parts": (lambda L, x, y: L.abs(L.complex(x, y) ** 3).sum(), [r(3), r(3)]),
    "polar": (lambda L, m, a: L.view_as_real(L.polar(m, a) ** 2).sum(),
              [np.abs(r(4)) + 0.1, r(4)]),
    "view-as-real": (lambda L, z: (L.view_as_real(z) ** 3).sum(), [c(2, 3)]),
    "view-as-complex": (lambda L, x: L.abs(L.view_as_complex(x) ** 2).sum(), [r(3, 2)]),
    "sgn": (lambda L, z: (L.sgn(z) * z).real.sum(), [c(4)]),
    "mean-sum": (lambda L, z: L.abs(z.mean(dim=0) + z.sum()).sum(), [c(3, 2)]),
    "index-cat-where": (lambda L, z, w: L.abs(L.cat([z[1:], w[[0]]]) *
                                               L.where(L.tensor([True, False, True]), z, w)
                                               ).sum(), [c(3), c(3)]),
    "norm": (lambda L, z: z.norm() + z.norm(p=1), [c(5)]),
}


@pytest.mark.parametrize("name", list(PROGRAMS))
def test_program(name):
    program, arrays = PROGRAMS[name]
    compare(torch, program, *arrays)


ZEROS = {  # abs, angle and sgn at 0: the subgradient 0 in both libraries
    "abs-at-0": (lambda L, z: L.abs(z).sum(), [np.array([0j, 1 + 1j])]),
    "angle-at-0": (lambda L, z: L.angle(z).sum(), [np.array([0j, -1 + 0j, 2j])]),
    "sgn-at-0": (lambda L, z: L.sgn(z).real.sum() + L.sgn(z).imag.sum(),
                 [np.array([0j, 3 + 4j])]),
    "pow-zero-base": (lambda L, z, w: L.abs(z ** w).sum(),
                      [np.array([0j, 1 + 1j]), np.array([2 + 0j, 1.5 + 0j])]),
}


@pytest.mark.parametrize("name", list(ZEROS))
def test_conventions_at_zero(name):
    program, arrays = ZEROS[name]
    compare(torch, program, *arrays, second_order=False)


def test_gradient_descent_on_a_complex_parameter_matches():
    """``z -= lr * z.grad`` takes the same steps as PyTorch and converges."""
    target = np.array([1 - 2j, 0.5 + 0.5j])
    zw = wg.tensor(np.zeros(2, complex), requires_grad=True)
    zt = torch.tensor(np.zeros(2, complex), requires_grad=True)
    for _ in range(50):
        for lib, z in ((wg, zw), (torch, zt)):
            loss = (lib.abs(z - lib.tensor(target)) ** 2).sum()
            z.grad = None
            loss.backward()
            with lib.no_grad():
                z -= 0.1 * z.grad
    close(zw, zt, "iterate")
    close(zw, target, "converged", rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("f32", "c64-0d", "complex64"), ("f64", "c64-0d", "complex128"),
    ("f32", "c128-0d", "complex64"), ("c64", "f64", "complex128"), ("c64", "f64-0d", "complex64"),
    ("f64", "c64", "complex128"), ("i64", "c64", "complex64"), ("c64-0d", "f64-0d", "complex128"),
])
def test_promotion_matches_torch(a, b, expected):
    """Floating meets complex: PyTorch's categories, with 0-d operands giving way."""
    def make(lib, spec):
        kind, _, zero_d = spec.partition("-")
        dtype = {"f32": "float32", "f64": "float64", "c64": "complex64", "c128": "complex128",
                 "i64": "int64"}[kind]
        return lib.ones(() if zero_d else (3,), dtype=getattr(lib, dtype))

    assert str((make(torch, a) + make(torch, b)).dtype) == f"torch.{expected}"
    assert str((make(wg, a) + make(wg, b)).dtype) == expected
    assert str((make(wg, b) * make(wg, a)).dtype) == expected


def test_python_complex_scalars_keep_the_precision():
    for dtype, expected in (("float32", "complex64"), ("float64", "complex128"),
                            ("int64", "complex64")):
        x = wg.ones(2, dtype=getattr(wg, dtype)) * 1j
        t = torch.ones(2, dtype=getattr(torch, dtype)) * 1j
        assert str(x.dtype) == expected == str(t.dtype).removeprefix("torch.")
