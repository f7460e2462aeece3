"""Run every wengert benchmark side by side with the installed references; write a report.

    python benchmarks/run.py [--quick] [--only NAME...] [--output docs/benchmarks.md]
                             [--threads N] [--profile]

Each workload lives in ``benchmarks/bench_<name>.py`` (``run(quick) -> list[dict]``, rows
made by ``_harness.row``). Every workload first checks that wengert's values and
gradients equal the references', then times them: warm-up, interleaved repeats with
``gc.collect()`` before each, median. References: PyTorch (CPU), JAX (eager and jit),
HIPS autograd and hand-written NumPy, each where installed (a missing one leaves its
column empty). Every library gets ``--threads`` threads (default 1: the BLAS/OpenMP
variables are set before NumPy is imported, and ``torch.set_num_threads``).

A full run writes ``docs/benchmarks.md``; ``--quick`` (few repeats, smaller sizes: a
smoke test of about a minute) writes a file only when ``--output`` names one
(``--output -`` writes none). The exit status is 1 when a correctness check failed.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(ROOT))

from benchmarks import _harness as h  # noqa: E402  (after the path fix, before NumPy)

WORKLOADS = ("core", "mlp", "cnn", "lstm", "func", "memory", "digits", "conv",
             "cross_entropy")
"""Module names ``bench_<name>``, in report order."""


def parse(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="few repeats and smaller sizes (a smoke test); no file unless "
                             "--output")
    parser.add_argument("--only", nargs="+", choices=WORKLOADS, metavar="NAME",
                        help=f"run only these workloads ({', '.join(WORKLOADS)})")
    parser.add_argument("--output", default=None,
                        help="Markdown report (default: docs/benchmarks.md for a full run, "
                             "none for --quick; '-': none)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads for every library (BLAS, OpenMP, PyTorch, XLA); "
                             "default 1")
    parser.add_argument("--profile", action="store_true",
                        help="add a cProfile of wengert's hot path of each workload that has "
                             "one")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse(argv)
    h.set_threads(args.threads)
    if args.quick:  # a smoke test: JAX (compiles per op) and HIPS autograd only in full runs
        h.SKIPPED.update(("jax", "autograd"))
    names = args.only or WORKLOADS
    machine = h.machine_description()
    print("wengert benchmarks" + (" (quick)" if args.quick else ""))
    for k, v in machine:
        print(f"  {k}: {v}")
    rows, failures, profiles = [], [], {}
    start = time.perf_counter()
    for name in names:
        t0 = time.perf_counter()
        module = importlib.import_module(f"benchmarks.bench_{name}")
        try:
            new = module.run(quick=args.quick)
        except Exception as exc:  # a failed check (AssertionError) or a crash: report it
            failures.append((name, f"{type(exc).__name__}: {exc}"))
            traceback.print_exc()
            continue
        rows += new
        for r in new:
            print(text_line(r))
        if args.profile and hasattr(module, "profile"):
            profiles[name] = module.profile(args.quick)
        print(f"  [{name}: {time.perf_counter() - t0:.1f} s]", flush=True)
    elapsed = time.perf_counter() - start
    report = markdown(rows, failures, profiles, machine, args, elapsed)
    output = args.output if args.output is not None else (
        None if args.quick else h.DEFAULT_OUTPUT)
    if output not in (None, "-"):
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(report)
        print(f"report written to {path}")
    else:
        print(report)
    print(f"(benchmarks took {elapsed:.1f} s)")
    for name, msg in failures:
        print(f"ERROR in {name}: {msg}", file=sys.stderr)
    return 1 if failures else 0


# -- formatting ------------------------------------------------------------------------


def fmt(value, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "mib":
        return f"{value:.1f} MiB" if abs(value) >= 0.1 or value == 0 else f"{value * 1024:.1f} KiB"
    if value < 1e-3:
        return f"{value * 1e6:.2f} us" if value < 1e-4 else f"{value * 1e6:.0f} us"
    return f"{value * 1e3:.2f} ms" if value < 1 else f"{value:.2f} s"


def ratio(value) -> str:
    return "-" if value is None else f"{value:.2f}x"


def met(r) -> str:
    return "" if r["met"] is None else ("met" if r["met"] else "**not met**")


def columns(rows) -> list[str]:
    present = {k.rsplit("_", 1)[0] for r in rows for k in r
               if k.endswith(("_s", "_mib"))}
    return [lib for lib in h.LIBRARIES if lib in present]


def text_line(r) -> str:
    unit = r["unit"]
    cells = [f"{lib} {fmt(r[f'{lib}_{unit}'], unit)}" for lib in h.LIBRARIES
             if f"{lib}_{unit}" in r]
    extra = f"  ratio vs torch {ratio(r['ratio'])}" if r["ratio"] is not None else ""
    extra += f"  vs numpy {ratio(r['ratio_numpy'])}" if r["ratio_numpy"] is not None else ""
    extra += f"  target {r['target']}: {met(r)}" if r["target"] else ""
    return f"  {r['workload']}\n      " + ", ".join(cells) + extra


def markdown(rows, failures, profiles, machine, args, elapsed) -> str:
    libs = columns(rows)
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "") + (
        f" --only {' '.join(args.only)}" if args.only else "") + (
        f" --threads {args.threads}" if args.threads != 1 else "")
    out = ["# wengert benchmarks", "",
           f"Generated by `{command}` in {elapsed / 60:.1f} minutes"
           + (" (**quick run: few repeats, smaller sizes, noisy numbers**)" if args.quick
              else "") + ".",
           "", "## Machine", "", "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in machine]
    out += ["", "The machine is shared with other jobs: medians of interleaved repeats damp "
            "the noise, but single numbers can be off by 20% or more between runs; the "
            "ratios (libraries measured in the same repeats) are steadier than the times.",
            "", "## Results", "",
            "Median time per call (or memory); ratios below 1 mean wengert is faster or "
            "smaller. `-`: not measured (the library is not installed, or the row says why).",
            ""]
    header = ["Workload", *(h.LIBRARIES[lib] for lib in libs), "wengert / PyTorch",
              "wengert / NumPy", "Target", "Met"]
    out.append("| " + " | ".join(header) + " |")
    out.append("|" + "|".join(["---"] + ["---:"] * (len(header) - 3) + ["---", "---"]) + "|")
    for r in rows:
        unit = r["unit"]
        cells = [r["workload"], *(fmt(r.get(f"{lib}_{unit}"), unit) for lib in libs),
                 ratio(r["ratio"]), ratio(r["ratio_numpy"]), r["target"] or "", met(r)]
        out.append("| " + " | ".join(cells) + " |")
    if failures:
        out += ["", "## Failed workloads", ""]
        out += [f"- **{name}**: {msg}" for name, msg in failures]
    notes = [r for r in rows if r["note"]]
    if notes:
        out += ["", "## Notes", ""] + [f"- {r['workload']}: {r['note']}" for r in notes]
    out += ["", "## Correctness checks (before timing)", ""]
    out += [f"- {r['workload']}: {r['check']}" for r in rows if r["check"]]
    out += ["", "## Methodology", "",
            "- Every workload first compares wengert's values and gradients with the "
            "references' (`np.allclose`); a mismatch fails the run (exit status 1).",
            "- Timing: warm-up calls, then repeats of a block of calls (`time.perf_counter`), "
            "the libraries interleaved repeat by repeat in a rotating order, `gc.collect()` "
            "before each block, the garbage collector enabled while timing; the median "
            "block is reported.",
            f"- Threads: {args.threads} for every library (OPENBLAS/OMP/MKL_NUM_THREADS set "
            f"before NumPy is imported, `torch.set_num_threads({args.threads})`"
            + (", XLA's Eigen pool off" if args.threads == 1 else "") + ").",
            "- Memory: peak traced memory (`tracemalloc`, which sees NumPy's buffers) above "
            "what was allocated before the step; PyTorch allocates outside Python's "
            "allocator, so its memory column is n/a.",
            "- Each module also runs alone: `python -m benchmarks.bench_<name>`; "
            "`--profile` adds a cProfile of wengert's hot path below."]
    for name, text in profiles.items():
        out += ["", f"## Profile: {name}", "", "```", text, "```"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
