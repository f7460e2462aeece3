"""Convolution benchmark: wengert's ``conv2d`` vs PyTorch's, forward + backward.

Workload: a 2-layer stack ``1 -> 16 -> 32`` channels, 3x3 kernels, padding 1,
a ReLU between the layers, batch 64, float32; ``loss = y.sum()``; forward
and backward to both weights and both biases (the images are data: no
gradient to them, as in training). Two image sizes:
8x8 (scikit-learn's digits) and 28x28 (MNIST).

PyTorch runs in the same process with ``torch.set_num_threads(n)``, ``n``
being the thread count NumPy's BLAS uses (``OPENBLAS_NUM_THREADS`` /
``OMP_NUM_THREADS`` / ``MKL_NUM_THREADS`` when set, else the CPU count), so
both libraries get the same cores. Before timing, wengert's loss and
gradients are checked against PyTorch's. Each measurement is the median of
``repeats`` repeats of about 0.2 s each (``time.perf_counter``), after warm-up, the
two libraries' repeats interleaved. On a loaded machine run with
``OPENBLAS_NUM_THREADS=1``: multi-threaded BLAS degrades badly when its
threads compete with other processes.

Usage (from the repository root)::

    python benchmarks/bench_conv.py            # full run, prints a table
    python benchmarks/bench_conv.py --quick    # fewer repeats
    python benchmarks/bench_conv.py --profile  # also a cProfile of wengert's 28x28 step

``run(quick)`` returns the rows ``{workload, wengert_s, torch_s, ratio}``.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import statistics
import time

import numpy as np

import wengert as wg
import wengert.nn.functional as F

try:
    import torch
except ImportError:  # PyTorch is optional: its column is then empty
    torch = None

BATCH = 64
CHANNELS = (1, 16, 32)
SIZES = (8, 28)
TARGET_RATIO = 1.5


def blas_threads() -> int:
    """The thread count NumPy's BLAS uses (its environment variables, else every CPU)."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return os.cpu_count() or 1


def make_inputs(size: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, CHANNELS[0], size, size)).astype(np.float32)
    params = []
    for c_in, c_out in zip(CHANNELS, CHANNELS[1:]):
        scale = 1.0 / np.sqrt(c_in * 9)
        params.append(rng.uniform(-scale, scale, (c_out, c_in, 3, 3)).astype(np.float32))
        params.append(rng.uniform(-scale, scale, (c_out,)).astype(np.float32))
    return x, params


def wengert_step(x, params):
    """Forward and backward once; returns the loss and the gradients (w1, b1, w2, b2)."""
    x_t = wg.tensor(x)
    xs = [wg.tensor(a, requires_grad=True) for a in params]
    w1, b1, w2, b2 = xs
    h = F.conv2d(x_t, w1, b1, padding=1).relu()
    loss = F.conv2d(h, w2, b2, padding=1).sum()
    loss.backward()
    return loss, [t.grad for t in xs]


def torch_step(x, params):
    x_t = torch.from_numpy(x)
    xs = [torch.from_numpy(a).requires_grad_() for a in params]
    w1, b1, w2, b2 = xs
    h = torch.nn.functional.conv2d(x_t, w1, b1, padding=1).relu()
    loss = torch.nn.functional.conv2d(h, w2, b2, padding=1).sum()
    loss.backward()
    return loss, [t.grad for t in xs]


def check(x, params):
    """wengert's loss and gradients agree with PyTorch's (float32 tolerances)."""
    loss, grads = wengert_step(x, params)
    t_loss, t_grads = torch_step(x, params)
    assert np.allclose(loss.item(), t_loss.item(), rtol=1e-4, atol=1e-3)
    for g, t in zip(grads, t_grads):
        assert np.allclose(g.numpy(), t.numpy(), rtol=1e-3, atol=1e-4)


def measure(steps, args, repeats: int) -> list[float]:
    """Median seconds per call of each step; repeats of about 0.2 s, the steps interleaved
    (on a shared machine the load drifts: both libraries see the same drift)."""
    numbers = []
    for step in steps:
        start = time.perf_counter()
        for _ in range(3):
            step(*args)
        numbers.append(max(1, int(0.2 / ((time.perf_counter() - start) / 3))))
    times = [[] for _ in steps]
    for _ in range(repeats):
        for step, number, out in zip(steps, numbers, times):
            gc.collect()
            start = time.perf_counter()
            for _ in range(number):
                step(*args)
            out.append((time.perf_counter() - start) / number)
    return [statistics.median(t) for t in times]


def run(quick: bool = False) -> list[dict]:
    """One row per image size: ``{workload, wengert_s, torch_s, ratio}``."""
    threads = blas_threads()
    if torch is not None:
        torch.set_num_threads(threads)
    repeats = 5 if quick else 15
    rows = []
    for size in SIZES:
        x, params = make_inputs(size)
        if torch is not None:
            check(x, params)
        steps = [wengert_step] + ([torch_step] if torch is not None else [])
        ours, theirs = (*measure(steps, (x, params), repeats), float("nan"))[:2]
        rows.append({"workload": f"conv2d 1->16->32 3x3 pad 1, batch {BATCH}, {size}x{size}, "
                                 f"float32, fwd+bwd ({threads} threads)",
                     "wengert_s": ours, "torch_s": theirs, "ratio": ours / theirs})
    return rows


def profile(size: int = 28, calls: int = 20) -> str:
    x, params = make_inputs(size)
    wengert_step(x, params)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        wengert_step(x, params)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(14)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"NumPy BLAS threads = torch threads = {blas_threads()}; target ratio <= "
          f"{TARGET_RATIO}")
    print(f"{'workload':<75} {'wengert ms':>10} {'torch ms':>9} {'ratio':>6}")
    for row in run(args.quick):
        print(f"{row['workload']:<75} {row['wengert_s'] * 1e3:>10.3f} "
              f"{row['torch_s'] * 1e3:>9.3f} {row['ratio']:>6.2f}")
    if args.profile:
        print(profile())


if __name__ == "__main__":
    main()
