"""One SGD step of an MLP 784-512-512-10 (ReLU), batch 256, float32, cross-entropy loss.

wengert: ``wg.nn.Linear`` + ``wg.nn.ReLU`` in ``wg.nn.Sequential``, ``F.cross_entropy``,
``wg.optim.SGD``: ``zero_grad(); loss.backward(); step()``. PyTorch: the same with
``torch.nn`` / ``torch.optim``. NumPy by hand: the forward, the backward written out
(softmax minus one-hot, transposed matmuls, ReLU masks) and the update in place, as
one would write it without autodiff: the floor of what any NumPy-based library can do.
JAX (eager and ``jax.jit`` of the whole step) and HIPS autograd: ``value_and_grad`` of
the same loss over a list of parameters, then ``p - lr * g``.

Before timing, one step from the same weights and batch must give every library the
same loss and the same updated parameters.
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from . import _harness as h
from ._training import stepper

SIZES, BATCH, LR = (784, 512, 512, 10), 256, 0.01


def initial(sizes=SIZES, batch=BATCH, seed=0):
    """PyTorch-layout parameters ``[W1, b1, W2, b2, ...]`` (W: (out, in)) and a batch."""
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes, sizes[1:]):
        bound = 1 / np.sqrt(n_in)
        params += [rng.uniform(-bound, bound, (n_out, n_in)).astype(np.float32),
                   rng.uniform(-bound, bound, n_out).astype(np.float32)]
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], batch)
    return params, x, y


# -- one training step per library: make_<lib>(params, x, y) -> (step, parameters) ----


def _layers(nn, params):
    """Linear layers of the shapes of ``params``, ReLU between them."""
    mods = []
    for w in params[0::2]:
        mods += [nn.Linear(w.shape[1], w.shape[0]), nn.ReLU()]
    return mods[:-1]


def make_module(lib, params, x, y, lr=LR):
    """wengert or PyTorch (``lib``): ``nn.Sequential`` of ``nn.Linear`` and ``nn.ReLU``,
    cross-entropy, ``optim.SGD``."""
    model = lib.nn.Sequential(*_layers(lib.nn, params))
    for p, value in zip(model.parameters(), params):
        p.data = lib.from_numpy(value.copy())
    step = stepper(lib, model, [(x, y)], lambda ps: lib.optim.SGD(ps, lr=lr))
    return step, lambda: list(model.parameters())


def make_numpy(params, x, y, lr=LR):
    """Forward, backward and update written by hand (in place where natural)."""
    ps = [p.copy() for p in params]
    weights, biases = ps[0::2], ps[1::2]
    rows = np.arange(len(y))

    def step():
        acts, h_ = [x], x
        for i, (w, b) in enumerate(zip(weights, biases)):
            h_ = h_ @ w.T
            h_ += b
            if i < len(weights) - 1:
                np.maximum(h_, 0, out=h_)
            acts.append(h_)
        logits = acts.pop()
        m = logits.max(axis=1, keepdims=True)
        e = np.exp(logits - m)
        s = e.sum(axis=1, keepdims=True)
        loss = np.mean(np.log(s[:, 0]) + m[:, 0] - logits[rows, y])
        d = e
        d /= s
        d[rows, y] -= 1
        d /= len(y)
        for i in range(len(weights) - 1, -1, -1):
            a = acts[i]
            gw, gb = d.T @ a, d.sum(axis=0)
            if i:
                d = d @ weights[i]
                d *= a > 0  # ReLU: the activation is positive where the input was
            weights[i] -= lr * gw
            biases[i] -= lr * gb
        return loss

    return step, lambda: ps


def _loss(ns, logsumexp):
    def loss(params, x, y):
        h_ = x
        for i in range(0, len(params), 2):
            h_ = h_ @ params[i].T + params[i + 1]
            if i < len(params) - 2:
                h_ = ns.maximum(h_, 0)
        return ns.mean(logsumexp(h_) - h_[ns.arange(len(y)), y])

    return loss


def _lse(ns):
    def logsumexp(z):
        m = ns.max(z, axis=1, keepdims=True)
        return ns.log(ns.sum(ns.exp(z - m), axis=1)) + m[:, 0]

    return logsumexp


def make_jax(params, x, y, lr=LR, jit=False):
    jax, jnp = h.jax_modules()
    loss = _loss(jnp, lambda z: jax.nn.logsumexp(z, axis=1))
    value_and_grad = jax.value_and_grad(loss)

    def update(ps, x, y):
        value, grads = value_and_grad(ps, x, y)
        return value, [p - lr * g for p, g in zip(ps, grads)]

    update = jax.jit(update) if jit else update
    state = [[jnp.asarray(p) for p in params]]
    xj, yj = jnp.asarray(x), jnp.asarray(y)

    def step():
        value, state[0] = update(state[0], xj, yj)
        return jax.block_until_ready(value)

    return step, lambda: state[0]


def make_autograd(params, x, y, lr=LR):
    autograd, anp = h.autograd_modules()
    value_and_grad = autograd.value_and_grad(_loss(anp, _lse(anp)))
    state = [[p.copy() for p in params]]

    def step():
        value, grads = value_and_grad(state[0], x, y)
        state[0] = [p - lr * g for p, g in zip(state[0], grads)]
        return value

    return step, lambda: state[0]


def makers() -> dict:
    """Library -> make_<lib>, for the installed libraries."""
    out = {"wengert": lambda *a: make_module(wg, *a)}
    torch = h.torch_module()
    if torch is not None:
        out["torch"] = lambda *a: make_module(torch, *a)
    if h.jax_modules() is not None:
        out["jax"] = make_jax
        out["jax_jit"] = lambda *a: make_jax(*a, jit=True)
    if h.autograd_modules() is not None:
        out["autograd"] = make_autograd
    out["numpy"] = make_numpy
    return out


def check(makers_, params, x, y) -> str:
    """One step from the same weights: every library's loss and new parameters agree."""
    results = {}
    for name, make in makers_.items():
        step, get = make(params, x, y)
        loss = float(h.to_numpy(step()))
        results[name] = loss, [h.to_numpy(p) for p in get()]
    loss, new = results.pop("wengert")
    for name, (ref_loss, ref_new) in results.items():
        h.assert_close(f"loss vs {name}", loss, ref_loss, 1e-5, 1e-6)
        h.assert_close(f"updated parameters vs {name}", new, ref_new, 1e-4, 1e-6)
    return ("one step from the same weights: loss and updated parameters = "
            + ", ".join(h.LIBRARIES[n] for n in results) + "'s")


def run(quick: bool = False) -> list[dict]:
    params, x, y = initial()
    makers_ = makers()
    checked = check(makers_, params, x, y)
    runners = {name: make(params, x, y)[0] for name, make in makers_.items()}
    times = h.medians(h.measure(runners, repeats=3 if quick else 15, warmup=2,
                                repeat_s=0.1 if quick else 0.5))
    return [h.row("MLP 784-512-512-10 SGD step, batch 256, float32", times,
                  targets=(("torch", 1.0), ("numpy", 1.05)), check=checked)]


def profile(quick: bool = False) -> str:
    step, _ = make_module(wg, *initial())
    return h.profile(step, 10 if quick else 50)
