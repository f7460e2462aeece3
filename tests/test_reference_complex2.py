"""Complex inputs against PyTorch: values, gradients and second derivatives.

Each case of ``wengert.testing.cases._complex_table`` runs in both libraries on the same complex128
inputs. The loss is ``Re(sum(out * conj(w)))`` for a fixed random ``w``, so the gradient
``dL/dx + i dL/dy`` (PyTorch's convention) of every input is compared; then the
gradient of ``Re(sum(grad * conj(v)))`` (a Hessian-vector product) is compared too.

Deliberate differences (not in the table, or tested elsewhere): ``nansum``/``nanmean``
accept complex input (PyTorch refuses it on CPU); ``silu``, ``bilinear`` and
``dropout`` have complex gradients here (PyTorch computes their forward only);
``nan_to_num`` has a complex gradient (PyTorch: forward only).
"""

from __future__ import annotations

import numpy as np
import pytest
from _complex_reference import Generator, run  # (tests/_complex_reference.py)

import wengert as wg
from wengert.testing.cases._complex_table import CASES, NO_TORCH_GRADIENT, TORCH_REFUSES

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c[0]}-{c[1]}") for c in CASES
                                  if c[0] not in NO_TORCH_GRADIENT | TORCH_REFUSES])
def test_matches_pytorch(case):
    name, label, area, make, call = case
    arrays = [np.asarray(a, dtype=np.complex128) for a in make(Generator(7))]
    expected = run(torch, arrays, call)
    got = run(wg, arrays, call)
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-10, atol=1e-12)
    for order in (1, 2):
        for g, e in zip(got[order], expected[order]):
            if e is None or g is None:
                assert not np.any(e if g is None else g), f"order {order}: one side is None"
                continue
            np.testing.assert_allclose(g, e, rtol=1e-9, atol=1e-11, err_msg=f"order {order}")


@pytest.mark.parametrize("name", sorted(NO_TORCH_GRADIENT))
def test_forward_matches_pytorch_where_it_has_no_complex_gradient(name):
    _, _, _, make, call = next(c for c in CASES if c[0] == name)
    arrays = [np.asarray(a, dtype=np.complex128) for a in make(Generator(3))]
    expected = call(torch, *(torch.tensor(a) for a in arrays)).resolve_conj().numpy()
    np.testing.assert_allclose(call(wg, *(wg.tensor(a) for a in arrays)).numpy(), expected,
                               rtol=1e-10, atol=1e-12)


def test_vdot_and_vecdot_conjugate_their_first_argument():
    a, b = np.array([1j, 2.0]), np.array([1j, 1 + 1j])
    assert wg.vdot(wg.tensor(a), wg.tensor(b)).item() == np.vdot(a, b)
    assert wg.linalg.vecdot(wg.tensor(a), wg.tensor(b)).item() == np.vdot(a, b)


def test_complex_variance_is_real():
    z = wg.tensor([1 + 1j, -1 - 1j, 1j], dtype=wg.complex128)
    v = wg.var(z)
    assert v.dtype == wg.float64
    assert v.item() == pytest.approx(torch.var(torch.tensor([1 + 1j, -1 - 1j, 1j])).item())


def test_logaddexp_of_large_complex_values_does_not_overflow():
    a = np.array([800 + 1j, -800 + 0.5j])
    b = np.array([799 - 2j, -801 + 0j])
    got = wg.logaddexp(wg.tensor(a), wg.tensor(b)).numpy()
    expected = torch.logaddexp(torch.tensor(a), torch.tensor(b)).numpy()
    np.testing.assert_allclose(got, expected, rtol=1e-12)
