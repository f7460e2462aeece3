"""The same programs in wengert and in PyTorch give the same values and gradients.

PyTorch is a test-time oracle only; these tests skip when it is not installed.
"""

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")


def run_both(program, *arrays, seed_grad=None):
    """Run ``program(lib, *tensors)`` in both libraries; return values and input grads."""
    wt = [wg.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    tt = [torch.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    w_out, t_out = program(Wengert, *wt), program(Torch, *tt)
    if seed_grad is None:
        w_out.sum().backward()
        t_out.sum().backward()
    else:
        w_out.backward(gradient=wg.tensor(seed_grad))
        t_out.backward(gradient=torch.tensor(seed_grad))
    np.testing.assert_allclose(w_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-12,
                               atol=1e-14)
    for w, t in zip(wt, tt):
        if t.grad is not None:
            np.testing.assert_allclose(w.grad.numpy(), t.grad.numpy(), rtol=1e-12, atol=1e-14)
        else:
            assert w.grad is None


class Wengert:
    """The tiny vocabulary the programs below use, in wengert."""

    sin, exp, log, tanh, sigmoid, relu, sqrt, abs = (
        wg.sin, wg.exp, wg.log, wg.tanh, wg.sigmoid, wg.relu, wg.sqrt, wg.abs)
    maximum, minimum, where, clamp = wg.maximum, wg.minimum, wg.where, wg.clamp
    cat, stack, tensor = wg.cat, wg.stack, wg.tensor

    @staticmethod
    def max_dim(x, d):
        return x.max(dim=d).values


class Torch:
    sin, exp, log, tanh, sigmoid, relu, sqrt, abs = (
        torch.sin, torch.exp, torch.log, torch.tanh, torch.sigmoid, torch.relu, torch.sqrt,
        torch.abs)
    maximum, minimum, where, clamp = torch.maximum, torch.minimum, torch.where, torch.clamp
    cat, stack, tensor = torch.cat, torch.stack, torch.tensor

    @staticmethod
    def max_dim(x, d):
        return x.max(dim=d).values


rng = np.random.default_rng(42)


def randn(*shape):
    return rng.standard_normal(shape)


def test_mlp_forward_backward():
    def mlp(L, x, w1, b1, w2, b2):
        h = L.tanh(x @ w1 + b1)
        return L.sigmoid(h @ w2 + b2)

    run_both(mlp, randn(5, 4), randn(4, 8), randn(8), randn(8, 3), randn(3))


def test_broadcasting_and_reductions():
    def prog(L, a, b, c):
        return ((a * b - c) ** 2).sum(dim=1, keepdim=True) / a.mean() + (a / b).max()

    run_both(prog, randn(3, 4) + 3.0, randn(1, 4) + 3.0, randn(3, 1))


def test_batched_and_vector_matmul():
    def prog(L, a, b, v):
        return ((a @ b) @ v).sum() + (v @ b[0].T).sum() + (a[0] @ (b[0] @ v)).sum()

    run_both(prog, randn(2, 3, 4), randn(2, 4, 5), randn(5))


def test_indexing():
    idx = np.array([0, 2, 2, 1])
    mask_src = randn(4, 5)

    def prog(L, x):
        mask = L.tensor(mask_src > 0)
        picked = x[idx] * 2 + x[1:, ::2].sum() + x[None, ..., -1].sum()
        return picked.sum() + x[mask].sum() + x[idx, [1, 2, 3, 4]].sum()

    run_both(prog, randn(4, 5))


def test_subgradient_conventions_match():
    x = np.array([-1.0, 0.0, 0.0, 2.0, 2.0, 3.0])
    y = np.array([0.0, 0.0, 1.0, 2.0, -1.0, 3.0])

    def prog(L, a, b):
        return (L.relu(a) + L.abs(a) + L.maximum(a, b) + L.minimum(a, b)
                + L.clamp(a, 0.0, 2.0) + L.sqrt(a * a + 1))

    run_both(prog, x, y)


def test_ties_in_max_reductions():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])

    def full(L, a):
        return a.max() * 1.0 + a.min()

    run_both(full, x)

    def along(L, a):
        return L.max_dim(a, 1) * L.tensor(np.array([1.0, 2.0]))

    run_both(along, x)


def test_pow_at_zero_and_negative_base():
    base = np.array([0.0, 2.0, -1.5, 0.0])
    expo = np.array([2.0, 0.5, 3.0, 0.0])

    def prog(L, a, b):
        return a ** b + a ** 2 + a ** 3.0

    run_both(prog, base, expo)


def test_sigmoid_tails_and_where_blocks_nan():
    x = np.array([-800.0, -30.0, 0.0, 30.0, 800.0])

    def prog(L, a):
        safe = L.where(a > 0, L.sqrt(L.abs(a)), a * 0.5)
        return L.sigmoid(a) + safe

    run_both(prog, x)


def test_cat_stack_reshape_permute():
    def prog(L, a, b):
        s = L.stack([a, b], 1)  # (2, 2, 3)
        c = L.cat([a, b * 2], 0)  # (4, 3)
        return (s.permute(2, 0, 1).reshape(3, 4) @ c).flatten() * 1.0

    run_both(prog, randn(2, 3), randn(2, 3))


def test_in_place_and_setitem():
    def prog(L, a, b):
        c = a * 1.0
        c[1:] = b * 3
        c.mul_(2)
        c += a
        return c

    run_both(prog, randn(3, 2), randn(2, 2))


def test_double_backward_matches():
    a = randn(4)

    xw = wg.tensor(a, requires_grad=True)
    (gw,) = wg.grad((wg.sin(xw) * xw ** 2).sum(), xw, create_graph=True)
    (hw,) = wg.grad((gw * gw).sum(), xw)

    xt = torch.tensor(a, requires_grad=True)
    (gt,) = torch.autograd.grad((torch.sin(xt) * xt ** 2).sum(), xt, create_graph=True)
    (ht,) = torch.autograd.grad((gt * gt).sum(), xt)
    np.testing.assert_allclose(hw.numpy(), ht.numpy(), rtol=1e-12)


def test_forward_mode_matches_torch():
    import torch.autograd.forward_ad as tfw

    import wengert.autograd.forward_ad as fw

    a, v = randn(3, 3), randn(3, 3)
    with fw.dual_level():
        x = fw.make_dual(wg.tensor(a), wg.tensor(v))
        tw = fw.unpack_dual((wg.tanh(x @ x) * x).sum(dim=0)).tangent
    with tfw.dual_level():
        x = tfw.make_dual(torch.tensor(a), torch.tensor(v))
        tt = tfw.unpack_dual((torch.tanh(x @ x) * x).sum(dim=0)).tangent
    np.testing.assert_allclose(tw.numpy(), tt.numpy(), rtol=1e-12)
