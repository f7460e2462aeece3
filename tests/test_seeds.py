"""Every number the seed tutorials print, reproduced (shared/seeds/000..004)."""

import numpy as np
import pytest

import wengert as wg
import wengert.autograd.forward_ad as fwAD
from wengert.tools import recording

F64 = wg.float64


def seed_f(x1, x2):
    return wg.log(x1) + x1 * x2 - wg.sin(x2)


# -- 000: Linear layer, MSE loss, one gradient step -------------------------


class Linear:
    def __init__(self, in_size, out_size):
        self.weight = wg.tensor(np.ones((out_size, in_size)) / in_size, requires_grad=True)
        self.bias = wg.tensor(np.zeros(out_size), requires_grad=True)

    def __call__(self, x):
        return x @ self.weight.T + self.bias


def mse(p, y):
    return ((y - p) ** 2).mean()


def test_seed000_prediction_loss_and_gradients():
    feature = wg.tensor(np.array([28.1, 58.0]))
    label = wg.tensor(np.array([165.0]))
    layer = Linear(2, 1)
    prediction = layer(feature)
    assert prediction.dtype == F64
    np.testing.assert_allclose(prediction.detach().numpy(), [43.05], rtol=1e-15)
    loss = mse(prediction, label)
    assert loss.item() == pytest.approx(14871.8025, rel=1e-14)
    loss.backward()
    dp = -2 * (165.0 - 43.05)
    np.testing.assert_allclose(layer.weight.grad.numpy(), [[dp * 28.1, dp * 58.0]], rtol=1e-14)
    np.testing.assert_allclose(layer.bias.grad.numpy(), [dp], rtol=1e-14)

    # The seed subtracts the raw gradient (no learning rate) and diverges:
    with wg.no_grad():
        layer.weight -= layer.weight.grad
        layer.bias -= layer.bias.grad
    assert mse(layer(feature), label).item() == pytest.approx(1026548766283.6302, rel=1e-12)


def test_seed000_trains_with_a_learning_rate():
    feature = wg.tensor(np.array([[28.1, 58.0]]))
    label = wg.tensor(np.array([[165.0]]))
    layer = Linear(2, 1)
    losses = []
    for _ in range(50):
        loss = mse(layer(feature), label)
        losses.append(loss.item())
        layer.weight.grad = layer.bias.grad = None
        loss.backward()
        with wg.no_grad():
            layer.weight -= 1e-4 * layer.weight.grad
            layer.bias -= 1e-4 * layer.bias.grad
    assert losses[-1] < 1e-6 * losses[0]
    assert all(b <= a for a, b in zip(losses, losses[1:]))


# -- 001: D2L's autograd cells -------------------------------------------------


def test_seed001_backward_of_2_xTx():
    x = wg.arange(4.0)
    assert x.grad is None
    x.requires_grad_(True)
    y = 2 * wg.dot(x, x)
    assert y.item() == 28.0
    assert y.grad_fn is not None
    y.backward()
    assert (x.grad == 4 * x).all().item()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 4.0, 8.0, 12.0])

    x.grad.zero_()  # gradients accumulate until zeroed
    x.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0, 1.0, 1.0])

    x.grad.zero_()
    y = x * x
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 2.0, 4.0, 6.0])

    x.grad.zero_()
    y = x * x
    y.backward(gradient=wg.ones(len(x)))
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 2.0, 4.0, 6.0])


def test_seed001_detach():
    x = wg.arange(4.0, requires_grad=True)
    y = x * x
    u = y.detach()
    z = u * x
    z.sum().backward()
    assert (x.grad == u).all().item()
    x.grad.zero_()
    y.sum().backward()
    assert (x.grad == 2 * x).all().item()


def test_seed001_python_control_flow():
    def f(a):
        b = a * 2
        while b.norm() < 1000:
            b = b * 2
        c = b if b.sum() > 0 else 100 * b
        return c

    for seed in range(5):
        wg.manual_seed(seed)
        a = wg.randn(size=(), requires_grad=True)
        d = f(a)
        d.backward()
        assert (a.grad == d / a).item()


def test_seed001_tables_forward_and_reverse_mode():
    x1, x2 = wg.tensor(2.0, dtype=F64), wg.tensor(5.0, dtype=F64)
    with fwAD.dual_level():  # Table 2: forward mode, one pass per input
        y = seed_f(fwAD.make_dual(x1, wg.ones_like(x1)), x2)
        assert fwAD.unpack_dual(y).tangent.item() == 5.5
        y = seed_f(x1, fwAD.make_dual(x2, wg.ones_like(x2)))
        assert fwAD.unpack_dual(y).tangent.item() == 1.7163378145367738
    a, b = x1.requires_grad_(), x2.requires_grad_()
    seed_f(a, b).backward()  # Table 3: reverse mode, both in one pass
    assert (a.grad.item(), b.grad.item()) == (5.5, 1.7163378145367738)


# -- 002: operator overloading plus a tape ------------------------------------


def test_seed002_grad_and_printed_tape():
    x = wg.tensor(2.0, dtype=F64, requires_grad=True)
    y = wg.tensor(5.0, dtype=F64, requires_grad=True)
    with recording() as tape:
        f = wg.log(x) + x * y - wg.sin(y)
    assert f.item() == 11.652071455223084
    assert tape.wengert_list([x, y]) == [
        "v1 = log(v-1)", "v2 = v-1 * v0", "v3 = v1 + v2", "v4 = sin(v0)", "v5 = v3 - v4",
    ]
    dx, dy = wg.grad(f, [x, y])
    assert dx.item() == 5.5
    assert dy.item() == 1.7163378145367738


# -- 003: numerical vs chain rule; reused nodes are summed ---------------------


def test_seed003_reused_nodes_sum_their_paths():
    a = wg.tensor(3.0, requires_grad=True)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad.item() == 4.0


def test_seed003_chain_rule_matches_finite_differences():
    def Y(x):
        return 3 * x ** 2 - 4 * x + 5

    def Z(y):
        return y ** 2 - 4 * y

    def F(z):
        return z ** 4 - 5

    x = wg.tensor(3.0, dtype=F64, requires_grad=True)
    (dy,) = wg.grad(Y(x), [x])
    assert dy.item() == 14.0
    (dF,) = wg.grad(F(Z(Y(x))), [x])
    assert dF.item() == 4 * 320.0 ** 3 * (2 * 20 - 4) * 14  # 66060288000

    def f(v):
        return F(Z(Y(v)))

    h = 1e-4
    numeric = (f(3.0 + h) - f(3.0 - h)) / (2 * h)
    assert dF.item() == pytest.approx(numeric, rel=1e-7)


# -- 004: the computational graph of (wx - y)^2 --------------------------------


def test_seed004_partial_derivatives_of_wx_minus_y_squared():
    w, x, y = (wg.tensor(v, dtype=F64, requires_grad=True) for v in (1.0, 2.0, 3.0))
    with recording() as tape:
        f = (w * x - y) ** 2
    assert f.item() == 1.0
    assert len(tape) == 3  # wx, wx - y, (wx - y)^2: forward in topological order
    dw, dx, dy = wg.grad(f, [w, x, y])
    assert (dw.item(), dx.item(), dy.item()) == (-4.0, -2.0, 2.0)
