"""``wengert check``: gradient-check every registered primitive outside pytest.

Each case of ``wengert.testing.cases.SPECS`` becomes a function of its
differentiable inputs (the primitive applied with ``bind``); ``gradcheck``
compares its reverse- and forward-mode Jacobians with central differences,
and ``gradgradcheck`` does the same for the first derivative (second order).
Float32 cases are checked in float64, where finite differences can tell an
error from rounding.

>>> from wengert.testing.check import check_primitives
>>> [r.name for r in check_primitives(["sin"], first_only=True)]
['sin']
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .._primitive import REGISTRY, bind
from .._tensor import Tensor
from ..autograd.checks import gradcheck, gradgradcheck


@dataclass
class PrimitiveReport:
    name: str
    cases: int = 0
    first_order: int = 0  # cases whose reverse and forward derivatives agree with FD
    second_order: int | None = 0  # None: not checked
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def _as_function(case):
    """The case's primitive as a function of its differentiable inputs, and those inputs."""
    prim = REGISTRY[case.prim]
    arrays = case.arrays
    diff = case.diff
    inputs = []
    for i in diff:
        a = arrays[i]
        dtype = np.complex128 if a.dtype.kind == "c" else np.float64
        inputs.append(Tensor(np.asarray(a, dtype=dtype), requires_grad=True))

    def f(*xs):
        args = list(arrays)
        for i, x in zip(diff, xs):
            args[i] = x
        return bind(prim, tuple(args), case.params)

    return f, inputs


def check_case(case, second_order: bool = True) -> tuple[bool, bool, str | None]:
    """(first order ok, second order ok, the failure message or None) for one case."""
    f, inputs = _as_function(case)
    tol = max(case.tol, 1e-5)  # the case's own steps and tolerance (coarser for float32)
    try:  # any exception is a finding to report, not a reason to stop checking
        gradcheck(f, inputs, eps=case.h1, atol=tol, rtol=1e-3)
    except Exception as e:
        return False, False, f"{case.id}: {type(e).__name__}: {e}"
    if not second_order:
        return True, True, None
    try:
        gradgradcheck(f, inputs, eps=case.h2, atol=max(tol, 1e-4), rtol=1e-3)
    except Exception as e:
        return True, False, f"{case.id} (second order): {type(e).__name__}: {e}"
    return True, True, None


def check_primitives(names: Iterable[str] | None = None, first_only: bool = False,
                     second_order: bool = True) -> list[PrimitiveReport]:
    """Check the named primitives (default: all with cases); one report per primitive."""
    from .cases import SPECS

    wanted = sorted(SPECS) if names is None else list(names)
    unknown = [n for n in wanted if n not in SPECS]
    if unknown:
        raise KeyError(f"no cases for {', '.join(unknown)} (known primitives with cases: "
                       f"{len(SPECS)}; see `wengert ops --primitives`)")
    reports = []
    for name in wanted:
        report = PrimitiveReport(name, second_order=0 if second_order else None)
        start = time.perf_counter()
        for case in SPECS[name][:1] if first_only else SPECS[name]:
            first, second, failure = check_case(case, second_order)
            report.cases += 1
            report.first_order += first
            if report.second_order is not None:
                report.second_order += second
            if failure:
                report.failures.append(failure)
        report.seconds = time.perf_counter() - start
        reports.append(report)
    return reports


def summary(reports: list[PrimitiveReport]) -> str:
    """A table of the reports, then the failures in full."""
    rows = [("primitive", "cases", "1st order", "2nd order", "seconds")]
    rows += [(r.name, str(r.cases), f"{r.first_order}/{r.cases}",
              "-" if r.second_order is None else f"{r.second_order}/{r.cases}",
              f"{r.seconds:.2f}") for r in reports]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(row, widths))) for row in rows]
    failed = [r for r in reports if not r.ok]
    cases = sum(r.cases for r in reports)
    lines.append("")
    lines.append(f"{len(reports)} primitives, {cases} cases: "
                 + ("all derivatives agree with finite differences in reverse and forward "
                    "mode" if not failed else f"{len(failed)} primitives FAILED"))
    for r in failed:
        lines += ["", f"{r.name}:"] + [f"  {f}" for f in r.failures]
    return "\n".join(lines)
