"""Per-operation overhead: long chains of tiny ops, forward + backward.

1. **elementwise chain**: 200 elementwise ops (20 cycles of ``x*0.9``, ``x+0.1``,
   ``sin``, ``x*w``, ``tanh``, ``exp``, ``x-0.5``, ``x*x``, ``cos``, ``x+w``) on a
   ``(10,)`` float32 tensor, forward + ``y.sum().backward()``, reported per op; and the
   forward alone without grad (NumPy's column: the same forward).
2. **scalar chain**: 100,000 ops on a 0-d float64 tensor (``x*1.0000001``, ``+1e-7``,
   ``sin``, ``*w``, repeated; the values stay near the fixed point 0.0084 and the
   gradient O(1)), forward + backward; and the forward alone.
3. **a 1,000,000-op scalar chain**, wengert only: it has to run (no recursion, memory
   freed as backward goes).

The same Python function runs each chain for every library (only the namespace of
``sin``/``cos``/``exp``/``tanh`` and the tensor type differ), so the loop overhead is
identical. JAX computes the gradient with ``jax.grad`` (eager: op by op; jit: one
compiled function); HIPS autograd with ``autograd.grad``. JAX is not run on the scalar
chains: tracing 100,000 ops eagerly or compiling them is not what the workload measures.
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from . import _harness as h

ELEM_SIZE, ELEM_CYCLES = 10, 20
ELEM_OPS = ELEM_CYCLES * 10
SCALAR_OPS, SCALAR_OPS_QUICK, MILLION = 100_000, 10_000, 1_000_000
SCALAR_X0 = 0.0084  # near the chain's fixed point: values and gradient stay O(1)


def elementwise_chain(x, w, ops, cycles: int = ELEM_CYCLES):
    """``cycles`` x 10 elementwise ops; ``w`` is a second tensor of the same shape."""
    sin, cos, exp, tanh = ops.sin, ops.cos, ops.exp, ops.tanh
    for _ in range(cycles):
        x = x * 0.9
        x = x + 0.1
        x = sin(x)
        x = x * w
        x = tanh(x)  # now in (-1, 1)
        x = exp(x)  # exp of a small value: (0.37, 2.72)
        x = x - 0.5
        x = x * x  # a value used twice
        x = cos(x)
        x = x + w
    return x


def scalar_chain(x, w, ops, n_ops: int = SCALAR_OPS):
    """``n_ops`` scalar ops (a multiple of 4); with ``x = 0.0084``, ``w = 1`` all stays
    bounded."""
    sin = ops.sin
    for _ in range(n_ops // 4):
        x = x * 1.0000001
        x = x + 1e-7
        x = sin(x)
        x = x * w
    return x


# -- forward + backward of a chain, per library ----------------------------------------


def _object_api(lib, chain, x0, w0, grad: bool):
    """wengert / PyTorch: leaves that require grad, ``chain(x, w).sum().backward()``."""
    x, w = lib.tensor(x0, requires_grad=grad), lib.tensor(w0, requires_grad=grad)
    if not grad:
        def forward():
            with lib.no_grad():
                return chain(x, w, lib)
        return forward

    def step():
        x.grad = w.grad = None
        y = chain(x, w, lib)
        y.sum().backward()
        return y, x.grad, w.grad

    return step


def _functional(grad_fn, chain, ns, x0, w0):
    """JAX / HIPS autograd: ``value_and_grad``-style function of ``(x, w)``."""
    g = grad_fn(lambda x, w: ns.sum(chain(x, w, ns)), (0, 1))

    def step():
        return g(x0, w0)

    return step


def steps(chain, x0, w0, with_jax: bool, with_autograd: bool = True) -> dict:
    """Library -> a forward + backward runner returning (value or None, gx, gw)."""
    out = {"wengert": _object_api(wg, chain, x0, w0, True)}
    torch = h.torch_module()
    if torch is not None:
        out["torch"] = _object_api(torch, chain, x0, w0, True)
    jx = h.jax_modules() if with_jax else None
    if jx is not None:
        jax, jnp = jx
        eager = _functional(jax.grad, chain, jnp, jnp.asarray(x0), jnp.asarray(w0))
        jitted = jax.jit(jax.grad(lambda x, w: jnp.sum(chain(x, w, jnp)), (0, 1)))
        out["jax"] = lambda: (None, *jax.block_until_ready(eager()))
        out["jax_jit"] = lambda: (None, *jax.block_until_ready(jitted(x0, w0)))
    ag = h.autograd_modules() if with_autograd else None
    if ag is not None:
        autograd, anp = ag
        fn = _functional(autograd.grad, chain, anp, x0, w0)
        out["autograd"] = lambda: (None, *fn())
    return out


def check(runners: dict, chain, x0, w0, rtol: float, atol: float) -> str:
    """wengert's value equals NumPy's forward and its gradients every reference's."""
    value, gx, gw = runners["wengert"]()
    h.assert_close("forward value vs NumPy", value, chain(x0.copy(), w0.copy(), np), rtol, atol)
    refs = []
    for name, run in runners.items():
        if name != "wengert":
            _, rx, rw = run()
            h.assert_close(f"gradients vs {name}", [gx, gw], [rx, rw], rtol, atol)
            refs.append(h.LIBRARIES[name])
    return "value = NumPy's; gradients = " + (", ".join(refs) or "(no reference)") + "'s"


def _chain_rows(title, chain, x0, w0, n_ops, per_op, with_jax, rtol, atol, timing,
                with_autograd=True):
    runners = steps(chain, x0, w0, with_jax, with_autograd)
    checked = check(runners, chain, x0, w0, rtol, atol)
    per = n_ops if per_op else 1
    unit = " (per op)" if per_op else ""
    timed = h.measure(runners, **timing)
    fb = h.medians(timed, per)
    forward = {"wengert": _object_api(wg, chain, x0, w0, False),
               "numpy": lambda: chain(x0, w0, np)}
    torch = h.torch_module()
    if torch is not None:
        forward["torch"] = _object_api(torch, chain, x0, w0, False)
    fw = h.medians(h.measure(forward, **timing), per)
    return [h.row(f"{title}, forward + backward{unit}", fb, targets=(("torch", 0.4),),
                  check=checked, note=h.collector_note(timed, per)),
            h.row(f"{title}, forward only, no grad{unit}", fw,
                  note="NumPy: the same forward")]


def run(quick: bool = False) -> list[dict]:
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-1.0, 1.0, ELEM_SIZE).astype(np.float32)
    w0 = rng.uniform(0.5, 1.5, ELEM_SIZE).astype(np.float32)
    elem_timing = dict(repeats=5 if quick else 25, warmup=2, repeat_s=0.05 if quick else 0.2)
    rows = _chain_rows(f"elementwise chain, {ELEM_OPS} ops on (10,) float32", elementwise_chain,
                       x0, w0, ELEM_OPS, True, True, 1e-3, 1e-5, elem_timing)
    n = SCALAR_OPS_QUICK if quick else SCALAR_OPS

    def chain(x, w, ops):
        return scalar_chain(x, w, ops, n)

    scalar_timing = dict(repeats=1 if quick else 5, number=1, warmup=0 if quick else 1)
    rows += _chain_rows(f"scalar chain, {n:,} ops, 0-d float64", chain, np.array(SCALAR_X0),
                        np.array(1.0), n, False, False, 1e-7, 1e-10, scalar_timing,
                        with_autograd=not quick)  # autograd: 12x slower, full runs only
    if not quick:
        rows.append(million_row())
    return rows


def million_row() -> dict:
    """The 1,000,000-op chain runs, and its gradient is right."""
    def chain(x, w, ops):
        return scalar_chain(x, w, ops, MILLION)

    step = _object_api(wg, chain, np.array(SCALAR_X0), np.array(1.0), True)
    seconds = h.measure({"wengert": step}, repeats=1, number=1, warmup=0)["wengert"].median
    value, gx, gw = step()
    ok = np.isfinite(value.item()) and np.isfinite(gx.item()) and np.isfinite(gw.item())
    assert ok, "1,000,000-op chain: non-finite result"
    return h.row(f"scalar chain, {MILLION:,} ops, 0-d float64, forward + backward",
                 {"wengert": seconds}, check="runs; value and gradients finite",
                 note="wengert only: it has to run (no recursion limit, tape freed)")


def profile(quick: bool = False) -> str:
    """cProfile of wengert's elementwise chain, forward + backward."""
    rng = np.random.default_rng(0)
    x0 = rng.uniform(-1.0, 1.0, ELEM_SIZE).astype(np.float32)
    step = _object_api(wg, elementwise_chain, x0, x0 + 1, True)
    return h.profile(step, 50 if quick else 300)
