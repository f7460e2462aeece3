"""What every benchmark shares: threads, the optional references, timing, checks, rows,
profiles and the machine's description.

A workload module ``benchmarks/bench_<name>.py`` has ``run(quick) -> list[dict]``; each
row is built by :func:`row` and carries ``workload``, one ``<library>_s`` (seconds) or
``<library>_mib`` (memory) value per library that ran, the ratios ``ratio``
(wengert / PyTorch) and ``ratio_numpy`` (wengert / NumPy), the issue's ``target`` with
``met``, the correctness ``check`` that ran before timing and a ``note``.
Libraries: ``wengert``, ``torch``, ``jax`` (eager), ``jax_jit``, ``autograd`` (HIPS) and
``numpy`` (hand-written forward + backward, or forward only where the row says so).
"""

from __future__ import annotations

import contextlib
import cProfile
import datetime
import functools
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

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "benchmarks.md"
THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")

LIBRARIES = {"wengert": "wengert", "torch": "PyTorch", "jax": "JAX eager",
             "jax_jit": "JAX jit", "autograd": "HIPS autograd", "numpy": "NumPy by hand"}
"""Column key -> column title, in table order."""


# -- threads and references -------------------------------------------------------


def set_threads(n: int) -> None:
    """Give every library ``n`` threads. The BLAS/OpenMP variables only take effect when
    set before NumPy is first imported (``run.py`` does so); PyTorch's count is set here
    and again in :func:`torch_module`; XLA gets its flags before JAX is imported."""
    for var in THREAD_VARS:
        os.environ[var] = str(n)
    if n == 1:
        os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false "
                                           "intra_op_parallelism_threads=1")
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(n)


def threads() -> int:
    """The thread count NumPy's BLAS uses (its environment variables, else every CPU)."""
    for var in THREAD_VARS:
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return os.cpu_count() or 1


@functools.cache
def torch_module():
    """PyTorch with ``threads()`` threads, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads())
    return torch


SKIPPED: set[str] = set()
"""References left out of this run (``run.py --quick`` leaves out the slow eager ones)."""


def jax_modules():
    """``(jax, jax.numpy)``, or None when JAX is not installed or skipped."""
    return None if "jax" in SKIPPED else _jax()


def autograd_modules():
    """``(autograd, autograd.numpy)``, or None when autograd is not installed or skipped."""
    return None if "autograd" in SKIPPED else _autograd()


@functools.cache
def _jax():
    """``(jax, jax.numpy)`` on the CPU with float64 enabled (float32 inputs stay float32),
    or None when JAX is not installed."""
    try:
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)  # float64 workloads stay float64
    return jax, jnp


@functools.cache
def _autograd():
    """``(autograd, autograd.numpy)`` (HIPS autograd), or None when it is not installed."""
    try:
        import autograd
        import autograd.numpy as anp
    except ImportError:
        return None
    return autograd, anp


def reference_versions() -> dict[str, str]:
    """Library column -> version text (or why its column is empty)."""
    torch, jax, ag = torch_module(), jax_modules(), autograd_modules()
    missing = "not installed (column skipped)"
    skipped = "skipped in this run (--quick)"
    return {
        "PyTorch": f"{torch.__version__} (CPU, torch.set_num_threads({torch.get_num_threads()}))"
                   if torch else missing,
        "JAX": f"{jax[0].__version__} (CPU, eager and jit)" if jax else
               skipped if "jax" in SKIPPED else missing,
        "HIPS autograd": _dist_version("autograd") if ag else
                         skipped if "autograd" in SKIPPED else missing,
    }


def _dist_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


# -- timing ------------------------------------------------------------------------


@dataclass
class Timing:
    seconds: list[float]  # per call, one entry per repeat
    number: int  # calls per repeat
    gc_seconds: list[float]  # per call, one entry per repeat: time in the cyclic collector
    full_collections: list[float]  # per call, one entry per repeat: generation-2 collections

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def gc_median(self) -> float:
        return statistics.median(self.gc_seconds)


class _CollectorClock:
    """Time CPython's cyclic garbage collector spends in collections while it is installed
    (``gc.callbacks``), and how many of them were full (generation 2) collections: a Python
    object per tape entry is walked by every full collection, a C++ graph is not."""

    def __init__(self):
        self.seconds, self.full, self._start = 0.0, 0, 0.0

    def __call__(self, phase, info):
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._start
            self.full += info["generation"] == 2

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self)


def measure(runners: dict[str, Callable[[], object]], repeats: int, number: int | None = None,
            warmup: int = 1, repeat_s: float = 0.1, gc_off: bool = False) -> dict[str, Timing]:
    """Median-of-repeats timing of each runner, the runners interleaved.

    Every repeat times each runner once (``number`` calls; None: as many as fill about
    ``repeat_s`` seconds, found during warm-up), in an order that rotates from one
    repeat to the next so that the drift of a shared machine affects every library
    alike. ``gc.collect()`` runs before each timed block; the collector stays enabled
    while timing (as in a real program) unless ``gc_off``, and the time spent in it is
    recorded (``Timing.gc_seconds``).
    """
    names = list(runners)
    numbers = {}
    for name in names:
        start = time.perf_counter()
        for _ in range(max(warmup, 1)):
            runners[name]()
        per_call = (time.perf_counter() - start) / max(warmup, 1)
        numbers[name] = number or max(1, int(repeat_s / max(per_call, 1e-9)))
    seconds: dict[str, list[float]] = {name: [] for name in names}
    in_gc: dict[str, list[float]] = {name: [] for name in names}
    full: dict[str, list[float]] = {name: [] for name in names}
    for r in range(repeats):
        k = r % len(names)
        for name in names[k:] + names[:k]:
            fn, n = runners[name], numbers[name]
            gc.collect()
            if gc_off:
                gc.disable()
            try:
                with _CollectorClock() as collector:
                    t0 = time.perf_counter()
                    for _ in range(n):
                        fn()
                    seconds[name].append((time.perf_counter() - t0) / n)
                in_gc[name].append(collector.seconds / n)
                full[name].append(collector.full / n)
            finally:
                gc.enable()
    gc.collect()
    return {name: Timing(seconds[name], numbers[name], in_gc[name], full[name])
            for name in names}


def collector_note(timings: dict[str, Timing], per: int = 1) -> str:
    """What each library's median call spent in CPython's cyclic collector, for rows where
    that is part of the story (long tapes of Python objects)."""
    parts = []
    for name, t in timings.items():
        full = statistics.median(t.full_collections)
        parts.append(f"{LIBRARIES[name]} {_seconds(t.gc_median / per)} "
                     f"({t.gc_median / t.median:.0%}, {full:g} full)")
    return (f"time in CPython's cyclic GC per call ({len(gc.get_objects()):,} objects tracked "
            "after the run): " + ", ".join(parts))


def _seconds(s: float) -> str:
    if s < 5e-9:
        return "~0"
    if s >= 1:
        return f"{s:.3g} s"
    return f"{s * 1e3:.3g} ms" if s >= 1e-3 else f"{s * 1e6:.3g} us"


def medians(timings: dict[str, Timing], per: int = 1) -> dict[str, float]:
    """Library -> median seconds (divided by ``per``, e.g. the number of ops)."""
    return {name: t.median / per for name, t in timings.items()}


# -- correctness ---------------------------------------------------------------------


def to_numpy(value):
    """An array from a wengert / PyTorch / JAX tensor, or anything array-like."""
    import numpy as np
    for attr in ("detach",):
        if hasattr(value, attr):
            value = value.detach()
    if hasattr(value, "numpy") and not isinstance(value, np.ndarray):
        value = value.numpy()
    return np.asarray(value)


def assert_close(what: str, ours, theirs, rtol: float, atol: float) -> float:
    """Fail (AssertionError naming ``what``) unless allclose; returns the max abs diff."""
    import numpy as np
    ours_list = ours if isinstance(ours, (list, tuple)) else [ours]
    theirs_list = theirs if isinstance(theirs, (list, tuple)) else [theirs]
    assert len(ours_list) == len(theirs_list), f"{what}: {len(ours_list)} vs {len(theirs_list)}"
    worst = 0.0
    for i, (a, b) in enumerate(zip(ours_list, theirs_list)):
        a, b = to_numpy(a), to_numpy(b)
        assert a.shape == b.shape, f"{what}[{i}]: shape {a.shape} vs {b.shape}"
        diff = float(np.max(np.abs(a.astype(np.float64) - b))) if a.size else 0.0
        assert np.allclose(a, b, rtol=rtol, atol=atol), (
            f"{what}[{i}] differs: max abs diff {diff:.3g} (rtol {rtol}, atol {atol})")
        worst = max(worst, diff)
    return worst


# -- rows -----------------------------------------------------------------------------


def row(workload: str, values: dict[str, float | None], *, unit: str = "s",
        targets: tuple[tuple[str, float], ...] = (), check: str = "", note: str = "") -> dict:
    """A result row: ``values`` maps library -> seconds (``unit="s"``) or MiB
    (``unit="mib"``); ``targets`` are ``(library, limit)``: wengert's value must be at most
    ``limit`` times that library's."""
    out: dict = {"workload": workload, "unit": unit}
    for lib, v in values.items():
        if v is not None:
            out[f"{lib}_{unit}"] = v
    ours = values.get("wengert")
    for key, ref in (("ratio", "torch"), ("ratio_numpy", "numpy")):
        theirs = values.get(ref)
        out[key] = ours / theirs if ours is not None and theirs else None
    texts, met = [], []
    for ref, limit in targets:
        texts.append(f"<= {limit:g}x {LIBRARIES[ref]}")
        theirs = values.get(ref)
        if ours is not None and theirs:
            met.append(ours <= limit * theirs)
    out["target"] = "; ".join(texts)
    out["met"] = (all(met) if met else None) if targets else None
    out["check"], out["note"] = check, note
    return out


# -- profiles and the machine -----------------------------------------------------------


def profile(fn: Callable[[], object], calls: int, top: int = 15) -> str:
    """cProfile of ``calls`` calls of ``fn`` (after one warm-up call): top ``top`` by
    tottime."""
    fn()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(calls):
        fn()
    prof.disable()
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("tottime").print_stats(top)
    text = buf.getvalue()
    start = text.find("   ncalls")  # from the table's header: drop pstats' preamble
    return text[max(start, 0):].rstrip()


def machine_description() -> list[tuple[str, str]]:
    """(field, value) pairs: date, CPU, cores, OS, Python, NumPy, threads, references,
    wengert's version and commit."""
    import numpy as np

    import wengert as wg

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    logical = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else logical
    load = ""
    with contextlib.suppress(OSError, AttributeError):
        load = ", load average at start " + " / ".join(f"{v:.2f}" for v in os.getloadavg())
    commit = "unknown"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
            text=True, timeout=5, check=True).stdout.strip() or "unknown"
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "src"], cwd=REPO_ROOT,
                               capture_output=True, text=True, timeout=5).stdout.strip()
        if dirty:
            commit += " (with uncommitted changes in src/)"
    n = threads()
    env = ", ".join(f"{v}={os.environ.get(v, 'unset')}" for v in THREAD_VARS)
    return [
        ("Date", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", cpu),
        ("Cores", f"{logical} logical ({usable} usable by this process){load}"),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("NumPy", np.__version__),
        ("Threads", f"{n} for every library ({env}; torch.set_num_threads({n}))"),
        *reference_versions().items(),
        ("wengert", f"{wg.__version__}, commit {commit}"),
    ]
