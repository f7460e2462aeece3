"""cross_entropy forward + backward: wengert vs PyTorch (CPU), side by side in one run.

Workload: ``F.cross_entropy(logits, target)`` on ``(256, 1000)`` float32 logits
that require grad and int64 targets (mean reduction), then ``loss.backward()``;
the gradient is cleared between calls. The same inputs go to
``torch.nn.functional.cross_entropy``. Before timing, wengert's loss and
gradient are checked against PyTorch's.

Methodology: warm-up calls, then ``repeats`` timed calls per library,
interleaved call by call (so both see the same machine load), each timed with
``time.perf_counter``; the median is reported. PyTorch runs with
``torch.set_num_threads(1)`` as in ``bench_core.py`` (NumPy's elementwise
kernels are single-threaded; on a shared 2-core machine PyTorch's thread pool
also makes its medians erratic). ``ratio`` is wengert / PyTorch: below 1.0
wengert is faster.

Usage (from the repository root)::

    python benchmarks/bench_cross_entropy.py            # full run, prints a table
    python benchmarks/bench_cross_entropy.py --quick    # few repeats
    python benchmarks/bench_cross_entropy.py --profile  # add a cProfile of wengert's call

``run(quick) -> list[dict]`` returns rows ``{workload, wengert_s, torch_s, ratio}``
for the lead's suite.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time

import numpy as np

import wengert as wg

try:
    import torch
except ImportError:  # PyTorch is optional: its column is then empty
    torch = None

SHAPE = (256, 1000)
WORKLOAD = "cross_entropy fwd+bwd (256, 1000) float32, int64 targets, mean"


def _inputs(seed: int = 0):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal(SHAPE).astype(np.float32) * 3
    target = rng.integers(0, SHAPE[1], SHAPE[0]).astype(np.int64)
    return logits, target


def _wengert_step(logits, target):
    x = wg.tensor(logits, requires_grad=True)
    t = wg.tensor(target)

    def step():
        x.grad = None
        wg.nn.functional.cross_entropy(x, t).backward()

    return step, x


def _torch_step(logits, target):
    x = torch.tensor(logits, requires_grad=True)
    t = torch.tensor(target)

    def step():
        x.grad = None
        torch.nn.functional.cross_entropy(x, t).backward()

    return step, x


def _check(w_step, w_x, t_step, t_x) -> None:
    w_step()
    t_step()
    np.testing.assert_allclose(w_x.grad.numpy(), t_x.grad.numpy(), rtol=1e-4, atol=1e-8)


def _time(steps: dict, repeats: int, warmup: int) -> dict:
    for _ in range(warmup):
        for step in steps.values():
            step()
    samples = {name: [] for name in steps}
    clock = time.perf_counter
    for _ in range(repeats):
        for name, step in steps.items():
            t0 = clock()
            step()
            samples[name].append(clock() - t0)
    return {name: statistics.median(s) for name, s in samples.items()}


def run(quick: bool = False) -> list[dict]:
    """Time the workload; rows ``{workload, wengert_s, torch_s, ratio}`` (seconds)."""
    logits, target = _inputs()
    w_step, w_x = _wengert_step(logits, target)
    steps = {"wengert": w_step}
    if torch is not None:
        torch.set_num_threads(1)
        t_step, t_x = _torch_step(logits, target)
        _check(w_step, w_x, t_step, t_x)
        steps["torch"] = t_step
    medians = _time(steps, repeats=30 if quick else 300, warmup=3 if quick else 20)
    torch_s = medians.get("torch")
    return [{"workload": WORKLOAD, "wengert_s": medians["wengert"], "torch_s": torch_s,
             "ratio": None if torch_s is None else medians["wengert"] / torch_s}]


def profile(calls: int = 200) -> str:
    """cProfile of wengert's step, top 15 functions by total time."""
    step, _ = _wengert_step(*_inputs())
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(calls):
        step()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few repeats (noisy)")
    parser.add_argument("--profile", action="store_true", help="print a cProfile of wengert")
    args = parser.parse_args()
    for row in run(args.quick):
        torch_us = "-" if row["torch_s"] is None else f"{row['torch_s'] * 1e6:.0f}"
        ratio = "-" if row["ratio"] is None else f"{row['ratio']:.2f}x"
        print(f"{row['workload']}\n  wengert {row['wengert_s'] * 1e6:.0f} us   "
              f"torch {torch_us} us   ratio {ratio}")
    if args.profile:
        print(profile())


if __name__ == "__main__":
    main()
