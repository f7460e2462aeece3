"""Function transforms: jacobians R^3 -> R^1000 and R^1000 -> R^3, and a Hessian-vector
product of an MLP loss, against torch.func, JAX (eager and jit) and HIPS autograd.

1. **Jacobians** of ``f(x) = tanh(x @ W1 + b1) @ W2`` (hidden width 64, float64), with
   ``wg.func.jacobian`` in modes ``auto``, ``forward`` and ``reverse``; the references:
   ``torch.func.jacfwd`` / ``jacrev``, ``jax.jacfwd`` / ``jacrev`` (eager and jit) and
   HIPS ``autograd.jacobian`` (reverse only). The ``auto`` row compares with each
   reference's better mode, chosen by hand.
2. **HVP** of the mean squared error of a two-layer tanh MLP (64x32 -> 64 -> 10, float64),
   forward over reverse: ``wg.func.hvp``; ``torch.func.jvp(torch.func.grad(loss))``;
   ``jax.jvp(jax.grad(loss))``; ``autograd.hessian_vector_product``.

Every result is first compared with every reference's.
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from . import _harness as h

MODES = ("auto", "forward", "reverse")


def _mlp(n, m, seed=0):
    rng = np.random.default_rng(seed)
    w1, b1 = rng.standard_normal((n, 64)) / np.sqrt(n), rng.standard_normal(64)
    w2 = rng.standard_normal((64, m)) / 8

    def make(ns, asarray):
        a, b, c = asarray(w1), asarray(b1), asarray(w2)
        return lambda v: ns.tanh(v @ a + b) @ c

    return rng.standard_normal(n), make


def jacobian_runners(n, m) -> tuple[dict, dict]:
    """mode -> {library: runner}, and the reference runner each mode is checked against."""
    x, make = _mlp(n, m)
    f = make(wg, wg.tensor)
    out = {mode: {"wengert": lambda mode=mode: wg.func.jacobian(f, mode=mode)(x)}
           for mode in MODES}
    refs = {}
    torch = h.torch_module()
    if torch is not None:
        tfn, tx = make(torch, torch.tensor), torch.tensor(x)
        refs["torch"] = {"forward": lambda: torch.func.jacfwd(tfn)(tx),
                         "reverse": lambda: torch.func.jacrev(tfn)(tx)}
    jx = h.jax_modules()
    if jx is not None:
        jax, jnp = jx
        jfn, xj = make(jnp, jnp.asarray), jnp.asarray(x)
        for key, wrap in (("jax", lambda g: g), ("jax_jit", jax.jit)):
            fwd, rev = wrap(jax.jacfwd(jfn)), wrap(jax.jacrev(jfn))
            refs[key] = {"forward": lambda fwd=fwd: jax.block_until_ready(fwd(xj)),
                         "reverse": lambda rev=rev: jax.block_until_ready(rev(xj))}
    ag = h.autograd_modules()
    if ag is not None:
        autograd, anp = ag
        afn = make(anp, np.asarray)
        refs["autograd"] = {"reverse": lambda: autograd.jacobian(afn)(x)}
    for lib, modes in refs.items():
        for mode, fn in modes.items():
            out[mode][lib] = fn
    return out, refs


def jacobian_rows(n, m, quick) -> list[dict]:
    runners, refs = jacobian_runners(n, m)
    want = runners["reverse"]["wengert"]()
    for mode in MODES:
        h.assert_close(f"jacobian R^{n}->R^{m} {mode} vs reverse", runners[mode]["wengert"](),
                       want, 1e-10, 1e-12)
    for lib, modes in refs.items():
        for mode, fn in modes.items():
            h.assert_close(f"jacobian R^{n}->R^{m} vs {lib} {mode}", want, fn(), 1e-8, 1e-10)
    checked = ("all three modes agree; = " + ", ".join(h.LIBRARIES[k] for k in refs)
               + "'s" if refs else "all three modes agree")
    timed = {mode: h.medians(h.measure(r, repeats=3 if quick else 9, warmup=2,
                                       repeat_s=0.02 if quick else 0.1))
             for mode, r in runners.items() if mode != "auto"}
    timed["auto"] = h.medians(h.measure({"wengert": runners["auto"]["wengert"]},
                                        repeats=3 if quick else 9, warmup=2,
                                        repeat_s=0.02 if quick else 0.1))
    for lib in refs:  # each reference's better mode, chosen by hand
        timed["auto"][lib] = min(timed[mode][lib] for mode in ("forward", "reverse")
                                 if lib in timed[mode])
    rows = []
    for mode in MODES:
        ours = timed[mode]["wengert"]
        best = min(timed["forward"]["wengert"], timed["reverse"]["wengert"])
        note = (f"auto / wengert's better mode = {ours / best:.2f}x; references: their "
                "better mode" if mode == "auto" else
                "HIPS autograd: reverse only" if mode == "forward" and "autograd" in refs
                else "")
        rows.append(h.row(f"jacobian R^{n}->R^{m}, float64, mode {mode}", timed[mode],
                          check=checked if mode == "auto" else "", note=note))
    return rows


def hvp_row(quick) -> dict:
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((64, 32)), rng.standard_normal((64, 10))
    w = (rng.standard_normal((32, 64)) / 6, rng.standard_normal((64, 10)) / 8)
    v = (rng.standard_normal(w[0].shape), rng.standard_normal(w[1].shape))

    def make(ns, asarray):
        xs, ys = asarray(x), asarray(y)
        return lambda a, b: ns.mean((ns.tanh(xs @ a) @ b - ys) ** 2)

    loss = make(wg, wg.tensor)
    runners = {"wengert": lambda: wg.func.hvp(loss, w, v)}
    torch = h.torch_module()
    if torch is not None:
        t_loss, tw, tv = make(torch, torch.tensor), *(tuple(map(torch.tensor, p)) for p in (w, v))
        grad = torch.func.grad(t_loss, argnums=(0, 1))
        runners["torch"] = lambda: torch.func.jvp(lambda *p: grad(*p), tw, tv)[1]
    jx = h.jax_modules()
    if jx is not None:
        jax, jnp = jx
        j_grad = jax.grad(make(jnp, jnp.asarray), argnums=(0, 1))
        jw, jv = tuple(map(jnp.asarray, w)), tuple(map(jnp.asarray, v))

        def j_hvp(p, t):
            return jax.jvp(lambda *q: j_grad(*q), p, t)[1]

        jitted = jax.jit(j_hvp)
        runners["jax"] = lambda: jax.block_until_ready(j_hvp(jw, jv))
        runners["jax_jit"] = lambda: jax.block_until_ready(jitted(jw, jv))
    ag = h.autograd_modules()
    if ag is not None:
        autograd, anp = ag
        from autograd.misc import flatten  # its hvp wants one flat vector

        a_loss = make(anp, np.asarray)
        flat_w, unflatten = flatten(w)
        flat_v = flatten(v)[0]
        a_hvp = autograd.hessian_vector_product(lambda p: a_loss(*unflatten(p)))
        runners["autograd"] = lambda: unflatten(a_hvp(flat_w, flat_v))
    ours = runners["wengert"]()
    for lib, fn in runners.items():
        if lib != "wengert":
            h.assert_close(f"hvp vs {lib}", list(ours), list(fn()), 1e-9, 1e-12)
    refs = [h.LIBRARIES[k] for k in runners if k != "wengert"]
    times = h.medians(h.measure(runners, repeats=3 if quick else 9, warmup=2,
                                repeat_s=0.02 if quick else 0.1))
    return h.row("hvp of an MLP loss (64x32 -> 64 -> 10, float64), forward over reverse",
                 times, check="= " + ", ".join(refs) + "'s" if refs else "")


def run(quick: bool = False) -> list[dict]:
    return jacobian_rows(3, 1000, quick) + jacobian_rows(1000, 3, quick) + [hvp_row(quick)]
