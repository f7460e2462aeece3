"""Memory: the MLP step's peak against hand-written NumPy's, no growth over 1,000 training
steps, and a 64-layer MLP with and without ``checkpoint_sequential``.

Memory is traced with ``tracemalloc`` (NumPy registers its buffers with it), so wengert
and NumPy are measured alike; PyTorch allocates outside Python's allocator and has no
CPU peak-memory counter, so its memory column is n/a.

1. **MLP step peak** (bench_mlp's 784-512-512-10 SGD step, batch 256): peak traced memory
   during one step (the third), above what was traced before the model was built: the
   parameters, whatever the library keeps between steps (wengert: last step's ``.grad``)
   and everything the step allocates. The batch exists before and is not counted.
2. **No growth**: traced memory (after ``gc.collect()``) after 1,000 steps minus after
   10 steps.
3. **64-layer MLP** (width 512, batch 256, float32, ReLU): forward + backward to the
   input (every layer's backward runs; no weight gradient is kept, so what is measured is
   activations and cotangents), plainly and with ``checkpoint_sequential(8 segments)``:
   peak memory, and time next to PyTorch's (``torch.utils.checkpoint``). The gradients
   are checked in float64 (in float32, rounding over 64 layers flips ReLU kinks).
"""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np

import wengert as wg
from wengert.utils.checkpoint import checkpoint_sequential

from . import _harness as h
from . import bench_mlp

MIB = 2.0**20
GROWTH_TOLERANCE = 4096
"""Bytes: allowed drift of the traced total between step 10 and step 1,000 (interpreter
caches, free lists); one leaked activation of the MLP would be 512 KiB."""


def _traced(fn):
    """Run ``fn`` with tracemalloc on; returns its result."""
    gc.collect()
    tracemalloc.start()
    try:
        return fn()
    finally:
        tracemalloc.stop()


def step_peak(make, *batch) -> float:
    """Bytes: the peak during the third step above the memory before the model existed."""
    def measure():
        base = tracemalloc.get_traced_memory()[0]
        step, _ = make(*batch)
        step()
        step()
        gc.collect()
        tracemalloc.reset_peak()
        step()
        return tracemalloc.get_traced_memory()[1] - base

    return _traced(measure)


def growth(make, params, x, y, early: int, late: int) -> float:
    """Bytes: traced memory after ``late`` steps minus after ``early`` steps."""
    def measure():
        step, _ = make(params, x, y)
        for _ in range(early):
            step()
        gc.collect()
        at_early = tracemalloc.get_traced_memory()[0]
        for _ in range(late - early):
            step()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - at_early

    return _traced(measure)


def mlp_rows(quick: bool) -> list[dict]:
    params, x, y = bench_mlp.initial()
    ours = bench_mlp.makers()["wengert"]
    peaks = {"wengert": step_peak(ours, params, x, y),
             "numpy": step_peak(bench_mlp.make_numpy, params, x, y)}
    late = 30 if quick else 1000
    grown = {"wengert": growth(ours, params, x, y, 10, late),
             "numpy": growth(bench_mlp.make_numpy, params, x, y, 10, late)}
    growth_row = h.row(f"MLP training: traced memory after {late:,} steps minus after 10",
                       {k: v / MIB for k, v in grown.items()}, unit="mib",
                       check=f"wengert grew by {grown['wengert']:+,.0f} bytes, NumPy by "
                             f"{grown['numpy']:+,.0f} bytes")
    growth_row["target"] = "no growth"
    growth_row["met"] = abs(grown["wengert"]) <= GROWTH_TOLERANCE
    growth_row["ratio_numpy"] = None  # a ratio of two near-zero numbers means nothing
    return [h.row("MLP 784-512-512-10 SGD step, batch 256: peak memory (parameters + step)",
                  {k: v / MIB for k, v in peaks.items()}, unit="mib",
                  targets=(("numpy", 1.1),),
                  note="PyTorch: n/a (no CPU peak-memory counter; its allocations bypass "
                       "tracemalloc)"),
            growth_row]


def deep_mlp(quick: bool, dtype=np.float32):
    """library -> (layers, input), and the description."""
    depth, width, batch = (16, 128, 64) if quick else (64, 512, 256)
    rng = np.random.default_rng(0)
    weights = [(rng.standard_normal((width, width)) / np.sqrt(width / 2)).astype(dtype)
               for _ in range(depth)]
    x = rng.standard_normal((batch, width)).astype(dtype)
    out = {}
    for name, lib in (("wengert", wg), ("torch", h.torch_module())):
        if lib is None:
            continue
        ws = [lib.from_numpy(w.copy()).requires_grad_() for w in weights]
        layers = [lambda t, w=w, lib=lib: lib.relu(t @ w) for w in ws]
        out[name] = (layers, lib.from_numpy(x.copy()).requires_grad_())
    return out, f"{depth}-layer MLP (width {width}, batch {batch}, float32)"


def _forward_backward(lib, layers, x, checkpointed: bool):
    if checkpointed:
        if lib is wg:
            y = checkpoint_sequential(layers, 8, x)
        else:
            from torch.utils.checkpoint import checkpoint_sequential as t_ckpt
            y = t_ckpt(layers, 8, x, use_reentrant=False)
    else:
        y = x
        for f in layers:
            y = f(y)
    (gx,) = lib.autograd.grad(y.sum(), [x])
    return gx


def _runners(nets, checkpointed):
    libs = {"wengert": wg, "torch": h.torch_module()}
    return {name: (lambda name=name, lib=libs[name]:
                   _forward_backward(lib, *nets[name], checkpointed)) for name in nets}


def check_deep(quick: bool) -> str:
    """In float64 (float32 rounding grows over 64 layers and flips ReLU kinks): plain and
    checkpointed input gradients equal PyTorch's."""
    nets, _ = deep_mlp(quick, np.float64)
    plain, ckpt = _runners(nets, False), _runners(nets, True)
    ours, ours_ckpt = plain["wengert"](), ckpt["wengert"]()
    h.assert_close("checkpointed input gradient vs plain", ours_ckpt, ours, 1e-10, 0)
    if "torch" not in plain:
        return "checkpointed input gradient = plain one's (PyTorch not installed)"
    h.assert_close("input gradient vs PyTorch", ours, plain["torch"](), 1e-9, 1e-12)
    h.assert_close("checkpointed input gradient vs PyTorch's", ours_ckpt, ckpt["torch"](),
                   1e-9, 1e-12)
    return "in float64: plain and checkpointed input gradients = PyTorch's"


def checkpoint_rows(quick: bool) -> list[dict]:
    checked = check_deep(quick)
    nets, title = deep_mlp(quick)
    rows = []
    for checkpointed in (False, True):
        runners = _runners(nets, checkpointed)
        check = checked if checkpointed else ""
        peak = _traced(lambda: _peak_of(runners["wengert"]))
        times = h.medians(h.measure(runners, repeats=1 if quick else 5, number=1, warmup=1))
        label = "with checkpoint_sequential(8)" if checkpointed else "plain"
        rows.append(h.row(f"{title} fwd + bwd, {label}: time", times, check=check))
        rows.append(h.row(f"{title} fwd + bwd, {label}: peak memory", {"wengert": peak / MIB},
                          unit="mib"))
    plain, ckpt = rows[1]["wengert_mib"], rows[3]["wengert_mib"]
    rows[3]["note"] = f"checkpointed / plain peak = {ckpt / plain:.2f}x"
    return rows


def _peak_of(fn) -> float:
    base = tracemalloc.get_traced_memory()[0]
    tracemalloc.reset_peak()
    fn()
    return tracemalloc.get_traced_memory()[1] - base


def run(quick: bool = False) -> list[dict]:
    return mlp_rows(quick) + checkpoint_rows(quick)
