"""wg.func against torch.func on the same functions and inputs.

Deliberate difference: Python numbers given to a wengert transform are taken as float64
(and results come back as Python floats); torch.func only takes tensors.
"""

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")
tf = torch.func

rng = np.random.default_rng(11)
W = rng.standard_normal((4, 3))
B = rng.standard_normal(3)


def make(lib):
    """The same function for both libraries: R^4 -> R^3, and its squared norm."""
    w, b = (wg.tensor(W), wg.tensor(B)) if lib is wg else (torch.tensor(W), torch.tensor(B))

    def vector(x):
        h = lib.tanh(x @ w + b)
        return lib.sin(h) * lib.exp(x[:3] / 4) + (x * x).sum()

    return vector, lambda x: (vector(x) ** 2).sum()


X = rng.standard_normal(4)
V = rng.standard_normal(4)


def both():
    return (*make(wg), *make(torch))


def test_grad_jacobians_hessian_match_torch_func():
    wv, ws, tv, ts = both()
    x = torch.tensor(X)
    np.testing.assert_allclose(wg.func.grad(ws)(X), tf.grad(ts)(x).numpy(), rtol=1e-13)
    np.testing.assert_allclose(wg.func.jacrev(wv)(X), tf.jacrev(tv)(x).numpy(), rtol=1e-13)
    np.testing.assert_allclose(wg.func.jacfwd(wv)(X), tf.jacfwd(tv)(x).numpy(), rtol=1e-13)
    np.testing.assert_allclose(wg.func.jacobian(wv)(X), tf.jacrev(tv)(x).numpy(), rtol=1e-13)
    np.testing.assert_allclose(wg.func.hessian(ws)(X), tf.hessian(ts)(x).numpy(), rtol=1e-12,
                               atol=1e-13)


@pytest.mark.filterwarnings("ignore::UserWarning")  # torch.func.linearize
def test_jvp_vjp_hvp_match_torch_func():
    wv, ws, tv, ts = both()
    x, v = torch.tensor(X), torch.tensor(V)
    out, tangent = wg.func.jvp(wv, (X,), (V,))
    t_out, t_tangent = tf.jvp(tv, (x,), (v,))
    np.testing.assert_allclose(out, t_out.numpy(), rtol=1e-14)
    np.testing.assert_allclose(tangent, t_tangent.numpy(), rtol=1e-13)
    ct = rng.standard_normal(3)
    _, vjp_fn = wg.func.vjp(wv, X)
    _, t_vjp_fn = tf.vjp(tv, x)
    np.testing.assert_allclose(vjp_fn(ct)[0], t_vjp_fn(torch.tensor(ct))[0].numpy(), rtol=1e-13)
    (hv,) = wg.func.hvp(ws, (X,), (V,))
    t_hv = tf.jvp(tf.grad(ts), (x,), (v,))[1]
    np.testing.assert_allclose(hv, t_hv.numpy(), rtol=1e-12)
    _, jvp_fn = wg.func.linearize(wv, X)
    np.testing.assert_allclose(jvp_fn(V), tf.linearize(tv, x)[1](v).numpy(), rtol=1e-13)


def test_nested_grad_matches_torch():
    wg_value = wg.func.grad(lambda x: x * wg.func.grad(lambda y: x * y * y)(1.0))(2.0)
    t_value = tf.grad(lambda x: x * tf.grad(lambda y: x * y * y)(torch.tensor(1.0)))(
        torch.tensor(2.0))
    assert wg_value == t_value.item() == 8.0


def test_custom_function_matches_torch_autograd_function():
    class WgSquash(wg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = wg.tanh(x)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * (1 - y * y)

    class TorchSquash(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = torch.tanh(x)
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * (1 - y * y)

    x = wg.tensor(X, requires_grad=True)
    tx = torch.tensor(X, requires_grad=True)
    (g,) = wg.grad((WgSquash.apply(x) * x).sum(), [x], create_graph=True)
    (tg,) = torch.autograd.grad((TorchSquash.apply(tx) * tx).sum(), [tx], create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), tg.detach().numpy(), rtol=1e-15)
    (gg,) = wg.grad(g.sum(), [x])
    (tgg,) = torch.autograd.grad(tg.sum(), [tx])
    np.testing.assert_allclose(gg.numpy(), tgg.numpy(), rtol=1e-14)


def test_checkpoint_matches_torch_checkpoint():
    from torch.utils.checkpoint import checkpoint as t_checkpoint

    from wengert.utils.checkpoint import checkpoint

    w = wg.tensor(W, requires_grad=True)
    tw = torch.tensor(W, requires_grad=True)
    x = wg.tensor(X, requires_grad=True)
    tx = torch.tensor(X, requires_grad=True)
    checkpoint(lambda t: wg.sin(t @ w), x).sum().backward()
    t_checkpoint(lambda t: torch.sin(t @ tw), tx, use_reentrant=False).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-15)
    np.testing.assert_allclose(w.grad.numpy(), tw.grad.numpy(), rtol=1e-15)
