"""What the pooling reference tests check after the values: a pooling op's
derivatives against PyTorch's, to second order and in forward mode."""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
import wengert.autograd.forward_ad as fwAD
import wengert.nn.functional as F

torch = pytest.importorskip("torch")  # (collected for doctests even where torch is absent)
torch_fw = torch.autograd.forward_ad
TF = torch.nn.functional


def compare_derivatives(name, x, kwargs, outputs, inputs, rng, tol):
    """``name``'s VJP, the gradient of that VJP with respect to the cotangent (it is
    linear in it), and its JVP, in wengert and in PyTorch: ``outputs`` and ``inputs`` are
    ``(wengert, torch)`` pairs of the op's output and of the input it was applied to."""
    (w_out, t_out), (wx, tx) = outputs, inputs
    dtype = x.dtype
    u = rng.standard_normal(w_out.shape).astype(dtype)
    wu, tu = wg.tensor(u, requires_grad=True), torch.tensor(u, requires_grad=True)
    (w_g,) = wg.grad(w_out, [wx], grad_outputs=(wu,), create_graph=True)
    (t_g,) = torch.autograd.grad(t_out, [tx], tu, create_graph=True)
    np.testing.assert_allclose(w_g.detach().numpy(), t_g.detach().numpy(), **tol)
    v = rng.standard_normal(x.shape).astype(dtype)
    (w_gu,) = wg.grad((w_g * wg.tensor(v)).sum(), [wu])
    (t_gu,) = torch.autograd.grad((t_g * torch.tensor(v)).sum(), [tu])
    np.testing.assert_allclose(w_gu.numpy(), t_gu.numpy(), **tol)
    with fwAD.dual_level():
        w_t = fwAD.unpack_dual(getattr(F, name)(fwAD.make_dual(wg.tensor(x), wg.tensor(v)),
                                                **kwargs)).tangent
    with torch_fw.dual_level():
        t_t = torch_fw.unpack_dual(getattr(TF, name)(
            torch_fw.make_dual(torch.tensor(x), torch.tensor(v)), **kwargs)).tangent
    np.testing.assert_allclose(w_t.numpy(), t_t.numpy(), **tol)
