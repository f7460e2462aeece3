"""Complex ``wg.linalg`` against PyTorch: values, gradients and second derivatives.

Each case of ``wengert.testing.cases.complex_linalg`` runs in both libraries on the same
complex128 inputs. The loss is ``Re(sum(out * conj(w)))`` for a fixed random ``w`` (every
output there is gauge-invariant: eigen- and singular vectors enter only through
quantities that do not depend on their phases), so the gradient ``dL/dx + i dL/dy``
(PyTorch's convention) of every input is compared; then the gradient of
``Re(sum(grad * conj(v)))`` (a Hessian-vector product) is compared too.

Deliberate differences (listed in the case module, with the reasons):
``TORCH_FIRST_ORDER_ONLY`` (PyTorch's second derivative of det at a singular complex
matrix is wrong) and ``NO_TORCH_REFERENCE``; a loss that depends on the phases of
eigenvectors is refused by PyTorch and exact here (the phases are fixed; tested below).
"""

from __future__ import annotations

import numpy as np
import pytest
from _complex_reference import Generator, run  # (tests/_complex_reference.py)

import wengert as wg
from wengert.testing.cases.complex_linalg import (
    CASES,
    NO_TORCH_REFERENCE,
    TORCH_FIRST_ORDER_ONLY,
)

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("case", [pytest.param(c, id=f"{c[0]}-{c[1]}") for c in CASES
                                  if (c[0], c[1]) not in NO_TORCH_REFERENCE])
def test_matches_pytorch(case):
    name, label, make, call = case
    arrays = [np.asarray(a, dtype=np.complex128) for a in make(Generator(7))]
    expected = run(torch, arrays, call)
    got = run(wg, arrays, call)
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-10, atol=1e-12)
    orders = (1,) if (name, label) in TORCH_FIRST_ORDER_ONLY else (1, 2)
    for order in orders:
        for g, e in zip(got[order], expected[order]):
            if e is None or g is None:
                assert not np.any(e if g is None else g), f"order {order}: one side is None"
                continue
            np.testing.assert_allclose(g, e, rtol=1e-8, atol=1e-10, err_msg=f"order {order}")


def test_complex_outputs_have_pytorchs_dtypes():
    a = wg.tensor(np.eye(2) * (1 + 1j))
    assert wg.linalg.eigvalsh(a).dtype == wg.float64
    assert wg.linalg.svdvals(a).dtype == wg.float64
    assert wg.linalg.slogdet(a).logabsdet.dtype == wg.float64
    assert wg.linalg.slogdet(a).sign.dtype == wg.complex128
    assert wg.linalg.matrix_norm(a).dtype == wg.float64
    assert wg.linalg.eigh(a).eigenvectors.dtype == wg.complex128


def test_eigenvectors_and_singular_vectors_have_a_fixed_phase():
    """The entry of largest magnitude of each eigenvector / left singular vector is real and
    positive (the phase is otherwise free), so they are functions of the input."""
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (3, 3)) + 1j * rng.uniform(-1, 1, (3, 3))
    for vectors in [wg.linalg.eigh(wg.tensor(x + x.conj().T)).eigenvectors,
                    wg.linalg.svd(wg.tensor(x)).U]:
        v = vectors.numpy()
        big = v[np.abs(v).argmax(0), np.arange(3)]
        np.testing.assert_allclose(big.imag, 0, atol=1e-15)
        assert np.all(big.real > 0)
    u, s, vh = (t.numpy() for t in wg.linalg.svd(wg.tensor(x)))
    np.testing.assert_allclose((u * s) @ vh, x, atol=1e-14)


def test_a_phase_dependent_loss_is_refused_by_pytorch_and_exact_here():
    """PyTorch raises for a loss that depends on the phases of complex eigenvectors; here
    the phases are fixed (largest entry real positive), so such a loss is an ordinary
    function of the input and its gradient is the exact one (checked by finite
    differences)."""
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (3, 3)) + 1j * rng.uniform(-1, 1, (3, 3))
    h = x + x.conj().T
    t = torch.tensor(h, requires_grad=True)
    with pytest.raises(RuntimeError, match="phase|gauge|ill-defined"):
        torch.real(torch.linalg.eigh(t).eigenvectors).sum().backward()
    assert wg.autograd.gradcheck(lambda a: wg.real(wg.linalg.eigh(a).eigenvectors),
                                 [wg.tensor(h, requires_grad=True)], atol=1e-6, rtol=1e-4)
