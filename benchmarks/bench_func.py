"""Function transforms: wengert vs torch.func (CPU), in one process.

Workloads:

1. **Jacobian of f: R^3 -> R^1000** and **of f: R^1000 -> R^3** (small MLP-like
   functions: ``tanh(x @ W1 + b1) @ W2``), with ``wg.func.jacobian`` in modes ``auto``,
   ``forward`` and ``reverse``, next to ``torch.func.jacfwd`` / ``jacrev``. The auto
   rows also report how auto compares with wengert's better and worse mode.
2. **Hessian-vector product of an MLP loss** (``wg.func.hvp``, forward over reverse)
   next to ``torch.func.jvp(torch.func.grad(loss))``.
3. **Checkpointing memory**: peak traced memory (tracemalloc) of forward + backward of
   a 64-layer MLP (width 512, batch 256, float32) plainly and with
   ``checkpoint_sequential(..., 8 segments)``; backward asks for the input's gradient
   only, so what is measured is activations and cotangents, not parameter gradients.

Before timing, every wengert result is compared with PyTorch's. Timing: warm-up, then
the median of ``repeats`` runs (``time.perf_counter``), the variants of a workload
measured round-robin; PyTorch with one thread.

    python benchmarks/bench_func.py            # full run, prints a table
    python benchmarks/bench_func.py --quick    # fewer repeats, smaller memory workload
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc

import numpy as np

import wengert as wg
from wengert.utils.checkpoint import checkpoint_sequential

try:
    import torch
    import torch.func as tf

    torch.set_num_threads(1)
except ImportError:  # PyTorch is optional
    torch = tf = None


def _median_times(fns: dict, repeats: int, warmup: int = 2) -> dict:
    """The median time of each function, measured round-robin (one run of each per
    round, in a shuffled order), so that a busy machine's drift and the caches one leaves
    for the next affect them all alike."""
    for _ in range(warmup):
        for fn in fns.values():
            fn()
    times: dict = {name: [] for name in fns}
    order = np.random.default_rng(0)
    names = list(fns)
    for _ in range(repeats):
        for name in order.permutation(names):
            fn = fns[name]
            gc.collect()
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def _mlp_jacobian_case(n, m, seed=0):
    rng = np.random.default_rng(seed)
    w1, b1 = rng.standard_normal((n, 64)) / np.sqrt(n), rng.standard_normal(64)
    w2 = rng.standard_normal((64, m)) / 8
    x = rng.standard_normal(n)

    def make(lib, tensor):
        a, b, c = tensor(w1), tensor(b1), tensor(w2)
        return lambda v: lib.tanh(v @ a + b) @ c

    return x, make(wg, wg.tensor), (make(torch, torch.tensor) if torch else None)


def _jacobian_rows(n, m, repeats):
    x, f, tf_f = _mlp_jacobian_case(n, m)
    name = f"jacobian R^{n}->R^{m}"
    fns = {mode: (lambda mode=mode: wg.func.jacobian(f, mode=mode)(x))
           for mode in ("auto", "forward", "reverse")}
    if torch is not None:
        tx = torch.tensor(x)
        want = tf.jacrev(tf_f)(tx).numpy()
        for mode in ("auto", "forward", "reverse"):
            np.testing.assert_allclose(wg.func.jacobian(f, mode=mode)(x), want, rtol=1e-10,
                                       atol=1e-12)
        fns["torch forward"] = lambda: tf.jacfwd(tf_f)(tx)
        fns["torch reverse"] = lambda: tf.jacrev(tf_f)(tx)
    times = _median_times(fns, repeats)
    ours = {mode: times[mode] for mode in ("auto", "forward", "reverse")}
    theirs = {}
    if torch is not None:
        theirs = {"forward": times["torch forward"], "reverse": times["torch reverse"]}
        theirs["auto"] = min(theirs.values())  # the better of torch's two, chosen by hand
    best, worst = min(ours["forward"], ours["reverse"]), max(ours["forward"], ours["reverse"])
    rows = []
    for mode in ("auto", "forward", "reverse"):
        peer = {"auto": "torch: better of jacfwd/jacrev", "forward": "torch.func.jacfwd",
                "reverse": "torch.func.jacrev"}[mode]
        row = _row(f"{name} {mode} ({peer})", ours[mode], theirs.get(mode))
        if mode == "auto":
            row["auto_vs_better_mode"] = ours["auto"] / best
            row["worse_mode_vs_auto"] = worst / ours["auto"]
        rows.append(row)
    return rows


def _hvp_row(repeats):
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((64, 32)), rng.standard_normal((64, 10))
    w1, w2 = rng.standard_normal((32, 64)) / 6, rng.standard_normal((64, 10)) / 8
    v1, v2 = rng.standard_normal(w1.shape), rng.standard_normal(w2.shape)

    def make(lib, tensor):
        xs, ys = tensor(x), tensor(y)

        def loss(a, b):
            return ((lib.tanh(xs @ a) @ b - ys) ** 2).mean()

        return loss

    loss = make(wg, wg.tensor)
    fns = {"wengert": lambda: wg.func.hvp(loss, (w1, w2), (v1, v2))}
    if torch is not None:
        t_loss = make(torch, torch.tensor)
        tw = (torch.tensor(w1), torch.tensor(w2))
        tv = (torch.tensor(v1), torch.tensor(v2))

        def t_hvp():
            return tf.jvp(tf.grad(t_loss, argnums=(0, 1)), tw, tv)[1]

        for a, b in zip(wg.func.hvp(loss, (w1, w2), (v1, v2)), t_hvp()):
            np.testing.assert_allclose(a, b.numpy(), rtol=1e-10, atol=1e-12)
        fns["torch"] = t_hvp
    times = _median_times(fns, repeats)
    ours, theirs = times["wengert"], times.get("torch")
    return _row("hvp of an MLP loss (64x32 -> 64 -> 10), forward over reverse", ours, theirs)


def _memory_row(quick: bool):
    depth, width, batch = (16, 128, 64) if quick else (64, 512, 256)
    wg.manual_seed(0)
    weights = [(wg.randn(width, width) / np.sqrt(width)).requires_grad_() for _ in range(depth)]
    layers = [lambda h, w=w: wg.relu(h @ w) for w in weights]
    x = wg.randn(batch, width, requires_grad=True)

    def plain(h):
        for f in layers:
            h = f(h)
        return h

    def peak(run):
        # The gradient with respect to the input only: every layer's backward runs, but
        # no weight gradient is kept (the engine holds leaf gradients until the pass
        # ends, which would add the same parameter-sized memory to both runs).
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        wg.grad(run(x).sum(), [x])
        result = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.stop()
        return result

    plain_peak = peak(plain)
    ckpt_peak = peak(lambda h: checkpoint_sequential(layers, 8, h))
    return {"workload": f"peak memory, {depth}-layer MLP (width {width}, batch {batch}): "
                        "checkpoint_sequential(8) / plain",
            "wengert_s": None, "torch_s": None, "ratio": ckpt_peak / plain_peak,
            "plain_mb": plain_peak / 2**20, "checkpoint_mb": ckpt_peak / 2**20}


def _row(workload, ours, theirs):
    return {"workload": workload, "wengert_s": ours, "torch_s": theirs,
            "ratio": None if theirs is None else ours / theirs}


def run(quick: bool = False) -> list[dict]:
    """Every workload; rows ``{workload, wengert_s, torch_s, ratio}`` (ratio: wengert's
    time over PyTorch's; for the memory row, checkpointed peak over plain peak)."""
    repeats = 3 if quick else 25
    rows = _jacobian_rows(3, 1000, repeats) + _jacobian_rows(1000, 3, repeats)
    rows.append(_hvp_row(repeats * 4))
    rows.append(_memory_row(quick))
    return rows


def _format(rows) -> str:
    lines = [f"{'workload':<82} {'wengert':>10} {'torch':>10} {'ratio':>7}  notes"]
    for r in rows:
        def cell(v, unit="ms"):
            return f"{'-':>10}" if v is None else f"{v * 1e3:>8.3f}{unit}"
        notes = ", ".join(f"{k}={v:.2f}" for k, v in r.items()
                          if k not in ("workload", "wengert_s", "torch_s", "ratio"))
        lines.append(f"{r['workload']:<82} {cell(r['wengert_s'])} {cell(r['torch_s'])} "
                     f"{r['ratio']:>7.2f}  {notes}" if r["ratio"] is not None else
                     f"{r['workload']:<82} {cell(r['wengert_s'])} {cell(r['torch_s'])} "
                     f"{'-':>7}  {notes}")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats, smaller workload")
    args = parser.parse_args(argv)
    print(_format(run(args.quick)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
