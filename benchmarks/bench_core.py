"""Core per-op overhead benchmark: wengert vs PyTorch (CPU) vs NumPy (forward only).

Two workloads, both dominated by per-operation overhead rather than arithmetic:

1. **elementwise chain**: 200 elementwise ops (20 cycles of the same 10 ops:
   multiply/add a constant, ``sin``, ``tanh``, ``exp`` of a small value,
   ``cos``, multiply/add another tensor, ``x * x``) on a ``(10,)`` float32
   tensor, forward + ``y.sum().backward()``; and forward alone without grad.
2. **scalar chain**: 100,000 ops on a 0-d float64 tensor (25,000 cycles of
   ``x * 1.0000001``, ``+ 1e-7``, ``sin``, ``* w``), forward + backward; and
   forward alone without grad. The values stay near the fixed point 0.0084 and
   the gradient stays O(1) (no underflow, no denormals).

The exact same Python function runs the chain for every library, so the
Python-level loop overhead is identical. PyTorch is optional (its columns are
skipped when ``import torch`` fails); it runs with ``torch.set_num_threads(1)``.

Methodology: before timing, wengert's forward value is compared with NumPy's
and its gradients with PyTorch's (``np.allclose``; with a finite-difference
check instead when PyTorch is missing). Each measurement does warm-up runs,
then ``repeats`` timed repeats of ``number`` calls each (``time.perf_counter``),
with ``gc.collect()`` before every repeat (the collector stays enabled while
timing, as in a real program); the median repeat is reported.

Usage (from the repository root)::

    python benchmarks/bench_core.py                    # full run, writes docs/benchmarks.md
    python benchmarks/bench_core.py --quick            # few repeats; no file unless --output
    python benchmarks/bench_core.py --output out.md    # write the report elsewhere ('-': nowhere)
    python benchmarks/bench_core.py --profile          # also print a cProfile of wengert's hot path
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime
import gc
import io
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import wengert as wg

try:
    import torch
except ImportError:  # PyTorch is optional
    torch = None

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "benchmarks.md"

TARGET_RATIO = 0.5
"""The issue's target: wengert's per-op cost at most 0.5x PyTorch's."""

ELEM_SIZE = 10
ELEM_CYCLES = 20
ELEM_OPS_PER_CYCLE = 10
ELEM_OPS = ELEM_CYCLES * ELEM_OPS_PER_CYCLE  # 200

SCALAR_OPS_PER_CYCLE = 4
SCALAR_OPS_DEFAULT = 100_000
SCALAR_X0 = 0.0084  # near the chain's fixed point: values and gradient stay O(1)


# -- the workloads (one function, run unchanged by every library) -------------


def elementwise_chain(x, w, ops, cycles: int = ELEM_CYCLES):
    """``cycles`` x 10 elementwise ops; ``w`` is a second tensor of the same shape."""
    sin, cos, exp, tanh = ops.sin, ops.cos, ops.exp, ops.tanh
    for _ in range(cycles):
        x = x * 0.9  # 1  multiply by a constant
        x = x + 0.1  # 2  add a constant
        x = sin(x)  # 3
        x = x * w  # 4  multiply by another tensor
        x = tanh(x)  # 5  now in (-1, 1)
        x = exp(x)  # 6  exp of a small value: (0.37, 2.72)
        x = x - 0.5  # 7  subtract a constant
        x = x * x  # 8  a value used twice
        x = cos(x)  # 9
        x = x + w  # 10 add another tensor
    return x


def scalar_chain(x, w, ops, cycles: int = SCALAR_OPS_DEFAULT // SCALAR_OPS_PER_CYCLE):
    """``cycles`` x 4 scalar ops; with ``x = 0.0084`` and ``w = 1`` everything stays bounded."""
    sin = ops.sin
    for _ in range(cycles):
        x = x * 1.0000001
        x = x + 1e-7
        x = sin(x)
        x = x * w
    return x


# -- libraries ---------------------------------------------------------------


@dataclass
class Library:
    name: str
    tensor: Callable[[np.ndarray, bool], Any]  # (array, requires_grad) -> tensor
    sin: Callable
    cos: Callable
    exp: Callable
    tanh: Callable
    no_grad: Callable[[], Any]  # a context manager factory
    to_numpy: Callable[[Any], np.ndarray]
    differentiable: bool = True


def _libraries() -> dict[str, Library]:
    libs = {
        "wengert": Library(
            "wengert",
            lambda a, rg: wg.tensor(a, requires_grad=rg),
            wg.sin, wg.cos, wg.exp, wg.tanh, wg.no_grad,
            lambda t: np.asarray(t.detach().numpy()),
        ),
        "numpy": Library(
            "numpy",
            lambda a, rg: a.copy(),
            np.sin, np.cos, np.exp, np.tanh, contextlib.nullcontext,
            np.asarray, differentiable=False,
        ),
    }
    if torch is not None:
        libs["torch"] = Library(
            "torch",
            lambda a, rg: torch.tensor(a, requires_grad=rg),
            torch.sin, torch.cos, torch.exp, torch.tanh, torch.no_grad,
            lambda t: t.detach().numpy(),
        )
    return libs


@dataclass
class Workload:
    key: str
    title: str
    chain: Callable  # chain(x, w, ops) -> y
    x0: np.ndarray
    w0: np.ndarray
    n_ops: int
    rtol: float
    atol: float


def _workloads(scalar_ops: int) -> list[Workload]:
    rng = np.random.default_rng(0)
    cycles = scalar_ops // SCALAR_OPS_PER_CYCLE

    def scalar(x, w, ops):
        return scalar_chain(x, w, ops, cycles)

    return [
        Workload(
            "elementwise", f"elementwise chain, {ELEM_OPS} ops, ({ELEM_SIZE},) float32",
            elementwise_chain,
            rng.uniform(-1.0, 1.0, ELEM_SIZE).astype(np.float32),
            rng.uniform(0.5, 1.5, ELEM_SIZE).astype(np.float32),
            ELEM_OPS, rtol=1e-3, atol=1e-5,
        ),
        Workload(
            "scalar", f"scalar chain, {cycles * SCALAR_OPS_PER_CYCLE:,} ops, 0-d float64",
            scalar, np.array(SCALAR_X0), np.array(1.0),
            cycles * SCALAR_OPS_PER_CYCLE, rtol=1e-7, atol=1e-10,
        ),
    ]


# -- correctness -------------------------------------------------------------


def _fwd_bwd_once(lib: Library, wl: Workload):
    x, w = lib.tensor(wl.x0, True), lib.tensor(wl.w0, True)
    y = wl.chain(x, w, lib)
    value = lib.to_numpy(y).copy()
    y.sum().backward()
    return value, lib.to_numpy(x.grad).copy(), lib.to_numpy(w.grad).copy()


def _finite_difference_check(wl: Workload, gx, gw) -> tuple[bool, str]:
    """Directional central difference in float64 on the NumPy forward (no PyTorch)."""
    ops = _libraries()["numpy"]
    rng = np.random.default_rng(1)
    vx, vw = rng.standard_normal(wl.x0.shape), rng.standard_normal(wl.w0.shape)
    x0, w0 = wl.x0.astype(np.float64), wl.w0.astype(np.float64)
    h = 1e-6

    def f(s):
        return float(np.sum(wl.chain(x0 + s * vx, w0 + s * vw, ops)))

    fd = (f(h) - f(-h)) / (2 * h)
    ad = float(np.sum(gx * vx) + np.sum(gw * vw))
    ok = abs(fd - ad) <= 1e-3 * max(1.0, abs(fd))
    return ok, f"directional derivative: wengert {ad:.9g}, finite difference {fd:.9g}"


def check_workload(wl: Workload, libs: dict[str, Library]) -> tuple[bool, list[str]]:
    """Compare wengert's forward with NumPy's and its gradients with PyTorch's."""
    lines = []
    ok = True
    value, gx, gw = _fwd_bwd_once(libs["wengert"], wl)
    ref_value = np.asarray(wl.chain(wl.x0.copy(), wl.w0.copy(), libs["numpy"]))
    if np.array_equal(value, ref_value):
        lines.append("forward value equals NumPy's bit for bit")
    elif np.allclose(value, ref_value, rtol=wl.rtol, atol=wl.atol):
        lines.append(f"forward value close to NumPy's (max abs diff "
                     f"{np.max(np.abs(value - ref_value)):.3g})")
    else:
        ok = False
        lines.append(f"ERROR: forward value differs from NumPy's: {value} vs {ref_value}")
    if not (np.all(np.isfinite(gx)) and np.all(np.isfinite(gw))):
        ok = False
        lines.append("ERROR: wengert's gradient is not finite")
    if "torch" in libs:
        t_value, t_gx, t_gw = _fwd_bwd_once(libs["torch"], wl)
        for name, a, b in (("value", value, t_value), ("x.grad", gx, t_gx), ("w.grad", gw, t_gw)):
            diff = float(np.max(np.abs(a - b)))
            if np.allclose(a, b, rtol=wl.rtol, atol=wl.atol):
                lines.append(f"{name} matches PyTorch's (max abs diff {diff:.3g})")
            else:
                ok = False
                lines.append(f"ERROR: {name} differs from PyTorch's (max abs diff {diff:.3g}): "
                             f"wengert {a} vs torch {b}")
    else:
        fd_ok, msg = _finite_difference_check(wl, gx, gw)
        ok = ok and fd_ok
        lines.append(("" if fd_ok else "ERROR: ") + msg)
    return ok, lines


# -- timing ------------------------------------------------------------------


@dataclass
class Timing:
    seconds: list[float]  # per call, one entry per repeat
    number: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(runners: dict[str, Callable[[], Any]], repeats: int, number: int,
            warmup: int, gc_off: bool = False) -> dict[str, Timing]:
    """Median-of-repeats timing of each runner, interleaved.

    Every repeat times each runner once (``number`` calls), in an order that
    rotates from one repeat to the next, so that slow drifts of the machine
    (frequency, noisy neighbours) affect all libraries alike. ``gc.collect()``
    runs before each timed block; the collector stays enabled while timing
    unless ``gc_off`` (then it is disabled inside each timed block).
    """
    names = list(runners)
    for name in names:
        for _ in range(warmup):
            runners[name]()
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeats):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            fn = runners[name]
            gc.collect()
            if gc_off:
                gc.disable()
            try:
                t0 = time.perf_counter()
                for _ in range(number):
                    fn()
                seconds[name].append((time.perf_counter() - t0) / number)
            finally:
                gc.enable()
    gc.collect()
    return {name: Timing(seconds[name], number) for name in names}


def fwd_bwd_runner(lib: Library, wl: Workload) -> Callable[[], None]:
    x, w = lib.tensor(wl.x0, True), lib.tensor(wl.w0, True)
    chain = wl.chain

    def run():
        x.grad = None
        w.grad = None
        chain(x, w, lib).sum().backward()

    return run


def fwd_runner(lib: Library, wl: Workload) -> Callable[[], None]:
    x, w = lib.tensor(wl.x0, lib.differentiable), lib.tensor(wl.w0, lib.differentiable)
    chain, no_grad = wl.chain, lib.no_grad

    def run():
        with no_grad():
            chain(x, w, lib)

    return run


@dataclass
class Row:
    label: str
    n_ops: int
    times: dict[str, Timing]  # library name -> timing (numpy: forward only)
    grad: bool


def run_benchmarks(args, libs, workloads, log) -> tuple[list[Row], list[str], bool]:
    rows, check_lines, all_ok = [], [], True
    for wl in workloads:
        log(f"\n== {wl.title}")
        ok, lines = check_workload(wl, libs)
        all_ok = all_ok and ok
        for line in lines:
            (print if ok else _err)(f"   check: {line}")
        check_lines.append(f"- {wl.title}: " + "; ".join(lines))
        if wl.key == "elementwise":
            repeats, number, warmup = (5, 5, 2) if args.quick else (20, 20, 5)
        else:
            repeats, number, warmup = (1, 1, 0) if args.quick else (7, 1, 1)
        diff_libs = [n for n in ("wengert", "torch") if n in libs]
        runners = {("fwd+bwd", n): fwd_bwd_runner(libs[n], wl) for n in diff_libs}
        runners.update({("fwd only", n): fwd_runner(libs[n], wl) for n in (*diff_libs, "numpy")})
        timings = measure(runners, repeats, number, warmup, gc_off=args.gc_off)
        for (kind, name), tm in timings.items():
            log(f"   {kind:9s} {name:8s} {_us(tm.median / wl.n_ops):>9s} us/op "
                f"(min {_us(min(tm.seconds) / wl.n_ops)})")
        fb = {n: timings["fwd+bwd", n] for n in diff_libs}
        fw = {n: timings["fwd only", n] for n in (*diff_libs, "numpy")}
        rows.append(Row(f"{wl.title}: forward + backward", wl.n_ops,
                        {**fb, "numpy": fw["numpy"]}, grad=True))
        rows.append(Row(f"{wl.title}: forward only (no grad)", wl.n_ops, fw, grad=False))
    return rows, check_lines, all_ok


# -- profiling ---------------------------------------------------------------


def profile_wengert(libs, wl: Workload, calls: int = 200, top: int = 15) -> str:
    """cProfile of wengert's forward + backward of ``wl``: top functions by tottime."""
    run = fwd_bwd_runner(libs["wengert"], wl)
    for _ in range(5):
        run()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        run()
    prof.disable()
    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    head = (f"cProfile of wengert, {wl.title}, forward + backward, {calls} calls "
            f"({calls * wl.n_ops:,} ops), top {top} by tottime:\n")
    return head + buf.getvalue().strip()


# -- reporting ---------------------------------------------------------------


def _us(seconds: float) -> str:
    us = seconds * 1e6
    return f"{us:.3f}" if us < 1 else f"{us:.2f}" if us < 100 else f"{us:.0f}"


def _ratio(a: Timing | None, b: Timing | None) -> str:
    return "n/a" if a is None or b is None else f"{a.median / b.median:.2f}x"


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def machine_description() -> list[tuple[str, str]]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    logical = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else logical
    commit = "unknown"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
            text=True, timeout=5, check=True).stdout.strip() or "unknown"
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        if dirty:
            commit += " (with uncommitted changes in src/)"
    torch_info = "not installed (PyTorch columns skipped)"
    if torch is not None:
        torch_info = f"{torch.__version__} (CPU, torch.set_num_threads(1))"
    return [
        ("Date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu),
        ("Cores", f"{logical} logical ({usable} usable by this process)"),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("NumPy", np.__version__),
        ("PyTorch", torch_info),
        ("wengert", f"{wg.__version__}, commit {commit}"),
    ]


def markdown_report(rows: list[Row], check_lines, machine, args, scalar_ops,
                    profile_text: str | None) -> str:
    has_torch = torch is not None
    out = ["# wengert core benchmarks", ""]
    flags = "".join(f" --{f}" for f in ("quick", "gc-off") if getattr(args, f.replace("-", "_")))
    out.append(f"Generated by `python benchmarks/bench_core.py{flags}`"
               + (" (**quick run: few repeats, noisy numbers**)" if args.quick else "") + ".")
    out += ["", "## Machine", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in machine]
    out += ["", "## Results", "",
            "Median time per op in microseconds (total time of the chain divided by its number "
            "of ops; forward + backward includes `y.sum().backward()`). The NumPy column is "
            "always the forward pass alone, without any gradient. Ratios: below 1 means "
            f"wengert is faster. Target from the issue: per-op cost at most "
            f"{TARGET_RATIO}x PyTorch's.", ""]
    header = ["Workload", "wengert (us/op)"]
    if has_torch:
        header.append("PyTorch (us/op)")
    header += ["NumPy fwd (us/op)"]
    if has_torch:
        header += ["wengert / PyTorch", "same, best runs"]
    header.append("wengert / NumPy fwd")
    if has_torch:
        header.append(f"target <= {TARGET_RATIO}x PyTorch")
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
    for row in rows:
        t = row.times
        cells = [row.label, _us(t["wengert"].median / row.n_ops)]
        if has_torch:
            cells.append(_us(t["torch"].median / row.n_ops))
        cells.append(_us(t["numpy"].median / row.n_ops))
        if has_torch:
            cells.append(_ratio(t["wengert"], t["torch"]))
            # Minimum over repeats: what each library costs when nothing else
            # competes for the CPU (a shared 2-core machine is noisy).
            cells.append(f"{min(t['wengert'].seconds) / min(t['torch'].seconds):.2f}x")
        cells.append(_ratio(t["wengert"], t["numpy"]))
        if has_torch:
            met = t["wengert"].median <= TARGET_RATIO * t["torch"].median
            cells.append("met" if met else "**not met**")
        out.append("| " + " | ".join(cells) + " |")

    big = [r for r in rows if r.n_ops >= 10_000]
    if big:
        out += ["", f"Total seconds for the {scalar_ops:,}-op scalar chain:", ""]
        names = ["wengert", *(["torch"] if has_torch else []), "numpy"]
        labels = {"wengert": "wengert", "torch": "PyTorch", "numpy": "NumPy fwd"}
        out.append("| Workload | " + " | ".join(f"{labels[n]} (s)" for n in names) + " |")
        out.append("|---|" + "---:|" * len(names))
        for row in big:
            out.append(f"| {row.label} | "
                       + " | ".join(f"{row.times[n].median:.3f}" for n in names) + " |")

    out += ["", "Spread (per call, min / median / max over the timed repeats; "
            "repeats x calls per repeat):", "",
            "| Workload | Library | min | median | max | repeats x calls |",
            "|---|---|---:|---:|---:|---:|"]
    for row in rows:
        for name, tm in row.times.items():
            if row.grad and name == "numpy":
                continue  # the same measurement as the forward-only row
            lo, md, hi = min(tm.seconds), tm.median, max(tm.seconds)
            out.append(f"| {row.label} | {name} | {_fmt_s(lo)} | {_fmt_s(md)} | {_fmt_s(hi)} "
                       f"| {len(tm.seconds)} x {tm.number} |")

    out += ["", "## Correctness checks (before timing)", ""] + list(check_lines)
    out += ["", "## Methodology", "",
            "- The same Python function computes each chain for every library (only `sin`, "
            "`cos`, `exp`, `tanh` and the tensor type differ), so loop overhead is identical.",
            f"- Elementwise chain: {ELEM_CYCLES} cycles of 10 ops: `x*0.9`, `x+0.1`, `sin`, "
            "`x*w`, `tanh`, `exp`, `x-0.5`, `x*x`, `cos`, `x+w`; `x` and `w` are (10,) "
            "float32 leaves that require grad.",
            f"- Scalar chain: {scalar_ops // SCALAR_OPS_PER_CYCLE:,} cycles of `x*1.0000001`, "
            f"`x+1e-7`, `sin`, `x*w` from `x = {SCALAR_X0}`, `w = 1.0` (0-d float64 leaves). "
            "NumPy's first op on a 0-d array returns a NumPy scalar, so its column is "
            "NumPy-scalar arithmetic (wengert stores the same NumPy scalars internally).",
            "- Forward + backward: `x.grad = w.grad = None; chain(x, w).sum().backward()`. "
            "Forward only: the same chain under `no_grad()` (PyTorch: `torch.no_grad()`).",
            "- Warm-up runs, then the median of the timed repeats (`time.perf_counter`), "
            "the libraries interleaved repeat by repeat; `gc.collect()` before each repeat, "
            + ("garbage collector **disabled** while timing (`--gc-off`)." if args.gc_off
               else "garbage collector left enabled while timing (as in a real program)."),
            ("- PyTorch runs with `torch.set_num_threads(1)`: these tensors are far too small "
             "for threads to help, and one thread makes the comparison fair." if has_torch else
             "- PyTorch is not installed: its columns are skipped."),
            "- Before timing, wengert's forward value is compared with NumPy's and its "
            + ("gradients with PyTorch's (`np.allclose`; float32 rtol 1e-3 / atol 1e-5, "
               "float64 rtol 1e-7 / atol 1e-10)." if has_torch else
               "gradient with a float64 central finite difference along a random direction.")]
    if profile_text:
        out += ["", "## Profile", "", "```", profile_text, "```"]
    return "\n".join(out) + "\n"


def _fmt_s(seconds: float) -> str:
    return f"{seconds * 1e3:.3f} ms" if seconds < 1 else f"{seconds:.3f} s"


# -- main --------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="few repeats (a smoke test); the report is written only with --output")
    parser.add_argument("--output", default=None,
                        help="Markdown report path (default: docs/benchmarks.md for a full "
                             "run, none for --quick; '-' writes no file)")
    parser.add_argument("--scalar-ops", type=int, default=SCALAR_OPS_DEFAULT,
                        help=f"length of the scalar chain (default {SCALAR_OPS_DEFAULT:,}; "
                             f"a multiple of {SCALAR_OPS_PER_CYCLE})")
    parser.add_argument("--gc-off", action="store_true",
                        help="disable Python's cyclic garbage collector inside the timed "
                             "blocks (to see how much of the cost it is)")
    parser.add_argument("--profile", action="store_true",
                        help="also print a cProfile (top 15 by tottime) of wengert's "
                             "elementwise chain, forward + backward, and add it to the report")
    args = parser.parse_args(argv)
    if args.scalar_ops < SCALAR_OPS_PER_CYCLE:
        parser.error(f"--scalar-ops must be at least {SCALAR_OPS_PER_CYCLE}")

    if torch is not None:
        torch.set_num_threads(1)
    libs = _libraries()
    workloads = _workloads(args.scalar_ops)
    scalar_ops = workloads[1].n_ops
    machine = machine_description()
    print("wengert core benchmarks" + (" (quick)" if args.quick else ""))
    for k, v in machine:
        print(f"  {k}: {v}")

    t0 = time.perf_counter()
    rows, check_lines, ok = run_benchmarks(args, libs, workloads, print)
    profile_text = None
    if args.profile:
        profile_text = profile_wengert(libs, workloads[0], calls=50 if args.quick else 200)
    report = markdown_report(rows, check_lines, machine, args, scalar_ops, profile_text)
    print(f"\n(benchmarks took {time.perf_counter() - t0:.1f} s)\n")
    print(report)

    output = args.output if args.output is not None else (None if args.quick else DEFAULT_OUTPUT)
    if output not in (None, "-"):
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report)
        print(f"report written to {path}")
    if not ok:
        _err("ERROR: at least one correctness check failed (see 'check:' lines above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
