"""The ``wengert`` command: show automatic differentiation at work.

With no arguments it walks the seeds' example f(x1, x2) = ln(x1) + x1*x2 - sin(x2)
at (2, 5): the forward evaluation trace, the forward tangent and reverse adjoint
tables (the seeds' Tables 2 and 3), both gradients from one reverse pass, the
same derivative from forward mode, and the tape as a Wengert list.
"""

from __future__ import annotations

import argparse
import math
import sys

import numpy as np

import wengert as wg

from .autograd import forward_ad as fwAD
from .tools import recording
from .tools import trace as wengert_tables


def seed_example(x1: float = 2.0, x2: float = 5.0) -> str:
    """The report the default command prints, as text."""
    a = wg.tensor(x1, dtype=wg.float64, requires_grad=True)
    b = wg.tensor(x2, dtype=wg.float64, requires_grad=True)
    with recording() as tape:
        y = wg.log(a) + a * b - wg.sin(b)
    evaluation = tape.evaluation_trace([a, b])
    dx1, dx2 = wg.grad(y, [a, b])
    with fwAD.dual_level():
        dual = fwAD.make_dual(a.detach(), wg.tensor(1.0, dtype=wg.float64))
        y_dot = fwAD.unpack_dual(wg.log(dual) + dual * b.detach() - wg.sin(b.detach())).tangent

    labels = {"v-1": "x1", "v0": "x2"}
    width = max(len(line.expression if line.expression != "input" else labels[line.name])
                for line in evaluation)
    out = [f"f(x1, x2) = ln(x1) + x1*x2 - sin(x2)   at (x1, x2) = ({x1:g}, {x2:g})", "",
           "Forward evaluation trace:"]
    for line in evaluation:
        expr = labels[line.name] if line.expression == "input" else line.expression
        out.append(f"  {line.name:>4} = {expr:<{width}} = {_fmt(line.value)}")
    out.append(f"     y = v{len(tape)}{'':<{width - len(str(len(tape))) - 1}} = {_fmt(y._data)}")
    tables = wengert_tables(lambda u, v: wg.log(u) + u * v - wg.sin(v), x1, x2)
    out += ["", tables.render(tables=("tangents", "adjoints")).rstrip()]
    out += ["", "Gradient (reverse mode, one backward pass over the tape):",
            f"  dy/dx1 = {_fmt(dx1._data)}", f"  dy/dx2 = {_fmt(dx2._data)}", "",
            "Forward mode (x1-dot = 1, x2-dot = 0, one forward pass):",
            f"  y-dot = dy/dx1 = {_fmt(y_dot._data)}", "",
            "The tape as a Wengert list:"]
    out += [f"  {line}" for line in tape.wengert_list([a, b])]
    return "\n".join(out)


def _fmt(value) -> str:
    return repr(float(np.asarray(value)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="wengert",
        description="Automatic differentiation, shown: the evaluation trace, the gradient "
                    "and the tape (Wengert list) of the seeds' example function.")
    parser.add_argument("--at", nargs=2, type=float, metavar=("X1", "X2"), default=(2.0, 5.0),
                        help="the point (x1, x2) to evaluate at (default: 2 5)")
    parser.add_argument("--version", action="version", version=f"wengert {wg.__version__}")
    args = parser.parse_args(argv)
    if not all(math.isfinite(v) for v in args.at):
        parser.error(f"--at: x1 and x2 must be finite numbers, got {args.at[0]:g} {args.at[1]:g}")
    if not args.at[0] > 0:
        parser.error(f"--at: x1 must be positive (ln(x1) is undefined at {args.at[0]:g})")
    if (sys.stdout.encoding or "").lower().replace("-", "") != "utf8":
        sys.stdout.reconfigure(errors="replace")  # the tables use v̇, v̄ and ∂
    print(seed_example(*args.at))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
