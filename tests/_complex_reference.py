"""Run one complex case in wengert or PyTorch: value, gradient, Hessian-vector product.

Shared by the complex reference tests. The loss is ``Re(sum(out * conj(w)))`` for a
fixed random ``w``, so the gradient ``dL/dx + i dL/dy`` (PyTorch's convention) of every
input is compared; then the gradient of ``Re(sum(grad * conj(v)))``.
"""

from __future__ import annotations

import numpy as np

import wengert as wg


class Generator:
    """The ``uniform(lo, hi, shape)`` source the case tables draw their inputs from."""

    def __init__(self, seed):
        self.rng = np.random.default_rng(seed)

    def uniform(self, lo, hi, shape):
        return self.rng.uniform(lo, hi, shape)


def _numpy(t, is_torch):
    if t is None:
        return None
    return (t.detach().resolve_conj() if is_torch else t.detach()).numpy()


def run(lib, arrays, call):
    """``(value, gradients, second-order gradients)`` of ``call(lib, *inputs)``, as arrays
    (None where an input gets no gradient); ``lib`` is ``wengert`` or ``torch``."""
    is_torch = lib is not wg
    xs = [lib.tensor(a, requires_grad=True) for a in arrays]
    out = call(lib, *xs)
    value = _numpy(out, is_torch)
    rng = np.random.default_rng(1)
    w = rng.uniform(-1, 1, value.shape)
    if np.iscomplexobj(value):
        w = w + 1j * rng.uniform(-1, 1, value.shape)
    loss = lib.real(out * lib.conj(lib.tensor(w))).sum()
    grad = lib.autograd.grad if is_torch else wg.grad
    gs = grad(loss, xs, create_graph=True, allow_unused=True)
    gs = [lib.zeros_like(x) if g is None else g for g, x in zip(gs, xs)]
    v = [lib.tensor(rng.uniform(-1, 1, a.shape) + 1j * rng.uniform(-1, 1, a.shape))
         for a in arrays]
    s = sum(lib.real(g * lib.conj(d)).sum() for g, d in zip(gs, v))
    g2 = grad(s, xs, allow_unused=True) if s.requires_grad else [None] * len(xs)
    return value, [_numpy(g, is_torch) for g in gs], [_numpy(g, is_torch) for g in g2]
