"""Gradient checkpointing: the same gradients as the plain run, bit for bit, with less memory."""

import tracemalloc

import numpy as np
import pytest

import wengert as wg
from wengert.utils.checkpoint import checkpoint, checkpoint_sequential


def _mlp(depth, width, seed=0, dropout=0.0):
    wg.manual_seed(seed)
    weights = [(wg.randn(width, width, dtype=wg.float64) / np.sqrt(width)).requires_grad_()
               for _ in range(depth)]

    def layer(w):
        def f(x):
            h = wg.tanh(x @ w)  # the weight is closed over, not an argument
            if dropout:
                keep = wg.rand(*h.shape, dtype=wg.float64) > dropout
                h = h * keep / (1 - dropout)
            return h
        return f

    return weights, [layer(w) for w in weights]


def _grads(weights, x, run):
    for w in weights:
        w.grad = None
    x.grad = None
    wg.manual_seed(123)  # the same random draws in both runs
    run(x).pow(2).sum().backward()
    return [w.grad.numpy().copy() for w in weights] + [x.grad.numpy().copy()]


def _plain(layers):
    def run(x):
        for f in layers:
            x = f(x)
        return x
    return run


@pytest.mark.parametrize("dropout", [0.0, 0.3])
@pytest.mark.parametrize("segments", [1, 3, 6])
def test_checkpoint_sequential_gives_identical_gradients(dropout, segments):
    weights, layers = _mlp(6, 8, dropout=dropout)
    x = wg.randn(4, 8, dtype=wg.float64, requires_grad=True)
    plain = _grads(weights, x, _plain(layers))
    ckpt = _grads(weights, x, lambda t: checkpoint_sequential(layers, segments, t))
    for a, b in zip(plain, ckpt):
        np.testing.assert_array_equal(a, b)


def test_checkpoint_gives_identical_gradients_with_randomness_and_kwargs():
    weights, layers = _mlp(3, 5, dropout=0.5)
    x = wg.randn(2, 5, dtype=wg.float64, requires_grad=True)

    def block(t, scale=1.0):
        return _plain(layers)(t) * scale

    plain = _grads(weights, x, lambda t: block(t, scale=2.0))
    ckpt = _grads(weights, x, lambda t: checkpoint(block, t, scale=2.0, use_reentrant=False))
    for a, b in zip(plain, ckpt):
        np.testing.assert_array_equal(a, b)


def test_checkpoint_under_create_graph_and_in_transforms():
    x = wg.tensor([0.3, -1.2, 2.0], dtype=wg.float64, requires_grad=True)
    f = lambda t: wg.sin(t) * wg.exp(t / 2)  # noqa: E731
    (g,) = wg.grad(checkpoint(f, x).sum(), [x], create_graph=True)
    (g2,) = wg.grad(g.sum(), [x])
    (h,) = wg.grad(f(x).sum(), [x], create_graph=True)
    (h2,) = wg.grad(h.sum(), [x])
    np.testing.assert_array_equal(g.detach().numpy(), h.detach().numpy())
    np.testing.assert_allclose(g2.numpy(), h2.numpy(), rtol=1e-14)
    hc = wg.func.hessian(lambda t: checkpoint(f, t).sum())(x.detach())
    np.testing.assert_allclose(hc.numpy(), np.diag(h2.numpy()), rtol=1e-14)
    assert wg.func.grad(lambda t: checkpoint(f, t).sum())(0.5) == \
        wg.func.grad(lambda t: f(t).sum())(0.5)


def test_without_grad_mode_checkpoint_just_calls():
    with wg.no_grad():
        out = checkpoint(wg.sin, wg.tensor([1.0], requires_grad=True))
    assert not out.requires_grad


def test_recomputation_that_differs_is_an_error():
    calls = []

    def unstable(t):
        calls.append(1)
        return wg.sin(t) * t if len(calls) == 1 else wg.sin(t)

    y = checkpoint(unstable, wg.tensor([1.0], requires_grad=True))
    with pytest.raises(RuntimeError, match="recomputation saved 1 values .* first run saved 3"):
        y.sum().backward()


def test_bad_arguments():
    with pytest.raises(TypeError, match="expected a callable"):
        checkpoint(3, wg.ones(2))
    with pytest.raises(ValueError, match="segments must be a positive int"):
        checkpoint_sequential([wg.sin], 0, wg.ones(2))
    with pytest.raises(ValueError, match="no functions"):
        checkpoint_sequential([], 2, wg.ones(2))


def _peak(run, x):
    """Peak memory of forward + backward above what was allocated before (the .grad
    arrays already exist, so backward adds into them: what is measured is activations
    and cotangents)."""
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    run(x).sum().backward()
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return peak


def test_checkpoint_sequential_cuts_peak_memory():
    weights, layers = _mlp(32, 64)
    x = wg.randn(256, 64, dtype=wg.float64, requires_grad=True)
    _plain(layers)(x).sum().backward()  # allocate every .grad
    plain = _peak(_plain(layers), x)
    ckpt = _peak(lambda t: checkpoint_sequential(layers, 8, t), x)
    assert ckpt < 0.55 * plain, (ckpt, plain)  # 32 layers in 8 segments: ~0.45
