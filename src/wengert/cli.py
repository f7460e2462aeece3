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
from .tools.expression import ExpressionError, parse


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


SEED_EXPRESSION = "ln(x1) + x1*x2 - sin(x2)"


def build_parser() -> argparse.ArgumentParser:
    """The command line: the seed example, and the subcommands."""
    parser = argparse.ArgumentParser(
        prog="wengert",
        description="Automatic differentiation, shown. With no command: the seeds' example "
                    "f(x1, x2) = ln(x1) + x1*x2 - sin(x2) traced, differentiated both ways, "
                    "and its tape printed as a Wengert list.")
    parser.add_argument("--at", nargs=2, type=float, metavar=("X1", "X2"), default=(2.0, 5.0),
                        dest="point", help="the point (x1, x2) to evaluate at (default: 2 5)")
    parser.add_argument("--version", action="version", version=f"wengert {wg.__version__}")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                        help="color the headings and errors: auto (the default) colors only "
                             "on a terminal, and never when NO_COLOR is set")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    at_help = "the point, one NAME=VALUE per variable (e.g. --at x1=2 x2=5)"
    p_trace = commands.add_parser(
        "trace", help="the Wengert tables (evaluation, tangents, adjoints) of an expression",
        description="Print the evaluation trace, the forward tangent trace and the reverse "
                    f"adjoint trace of EXPR (default: the seeds' {SEED_EXPRESSION} at x1=2 "
                    "x2=5).")
    p_trace.add_argument("expr", nargs="?", metavar="EXPR")
    p_trace.add_argument("--at", nargs="+", metavar="NAME=VALUE", help=at_help)
    p_trace.add_argument("--wrt", metavar="NAME",
                         help="the input whose tangent is 1 in the forward table (default: "
                              "the first)")
    p_trace.add_argument("--mode", choices=("forward", "reverse", "both"), default="both")
    p_trace.add_argument("--format", choices=("text", "markdown"), default="text")

    p_grad = commands.add_parser("grad", help="the gradient (and Hessian) of an expression",
                                 description="Print d EXPR / d each variable at a point.")
    p_grad.add_argument("expr", metavar="EXPR")
    p_grad.add_argument("--at", nargs="+", metavar="NAME=VALUE", required=True, help=at_help)
    p_grad.add_argument("--hessian", action="store_true", help="also print the Hessian")

    p_graph = commands.add_parser(
        "graph", help="draw the computational graph of an expression (DOT, SVG or PNG)",
        description="Write the graph of EXPR, with values and adjoints, as Graphviz DOT; "
                    "a .svg or .png path is rendered with Graphviz's dot program.")
    p_graph.add_argument("expr", metavar="EXPR")
    p_graph.add_argument("--at", nargs="+", metavar="NAME=VALUE", required=True, help=at_help)
    p_graph.add_argument("-o", "--output", required=True, metavar="PATH",
                         help="where to write: .dot (text), .svg or .png (needs Graphviz)")

    p_ops = commands.add_parser(
        "ops", help="every operator and the derivatives it supports",
        description="List every public operator function with its support for reverse mode, "
                    "forward mode, higher order and complex input (--primitives: the "
                    "primitives they are built on). docs/ops.md is --format markdown.")
    p_ops.add_argument("--primitives", action="store_true",
                       help="list the primitives and their derivative rules instead")
    p_ops.add_argument("--format", choices=("text", "markdown"), default="text")

    p_check = commands.add_parser(
        "check", help="gradient-check every registered primitive against finite differences",
        description="Check each primitive's reverse- and forward-mode derivatives, and its "
                    "second derivatives, against central finite differences (float64) on the "
                    "cases of wengert.testing.cases; print a summary. Exit code 1 if any "
                    "disagree.")
    p_check.add_argument("primitives", nargs="*", metavar="PRIMITIVE",
                         help="only these (default: every primitive)")
    p_check.add_argument("--quick", action="store_true", help="one case per primitive")
    p_check.add_argument("--first-order", action="store_true",
                         help="skip the second-order checks")

    p_train = commands.add_parser(
        "train", help="train an MLP or a CNN on the embedded handwritten digits",
        description="Train a classifier on the UCI handwritten digits that ship with wengert "
                    "(8x8 images, a fixed 80/20 split), with a progress bar; print the test "
                    "accuracy and save a checkpoint (wg.save).")
    p_train.add_argument("--model", choices=("mlp", "cnn"), default="mlp")
    p_train.add_argument("--epochs", type=_positive_int, default=None,
                         help="passes over the training set (default: 40 for mlp, 20 for cnn)")
    p_train.add_argument("--lr", type=float, default=None,
                         help="learning rate (default: 2e-3 for adam/adamw, 0.05 for sgd)")
    p_train.add_argument("--optimizer", choices=("adam", "adamw", "sgd", "rmsprop"),
                         default="adam")
    p_train.add_argument("--seed", type=int, default=0, help="initialization and shuffling")
    p_train.add_argument("--batch-size", type=_positive_int, default=64)
    p_train.add_argument("--checkpoint", default="digits.safetensors", metavar="PATH",
                         help="where to save the model and optimizer state ('' for none)")
    p_train.add_argument("--plot", metavar="PNG", help="draw the loss and accuracy curves "
                                                       "(needs matplotlib: wengert[plot])")
    p_train.add_argument("--no-progress", action="store_true", help="no progress bar")

    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if (sys.stdout.encoding or "utf8").lower().replace("-", "") != "utf8":
        sys.stdout.reconfigure(errors="replace")  # the tables use v̇, v̄ and ∂
    paint = _painter(args.color)
    try:
        if args.command == "trace":
            print(paint(_trace_command(args, parser)), end="")
        elif args.command == "grad":
            print(paint(_grad_command(args, parser)))
        elif args.command == "graph":
            print(_graph_command(args, parser))
        elif args.command == "ops":
            from .tools import ops_table

            text = _ops_table() if args.primitives and args.format == "text" else \
                ops_table.render(args.format)
            print(paint(text) if args.format == "text" else text, end="" if
                  text.endswith("\n") else "\n")
        elif args.command == "check":
            from .testing.check import check_primitives, summary

            try:
                reports = check_primitives(args.primitives or None, args.quick,
                                           not args.first_order)
            except KeyError as e:
                parser.error(f"check: {e.args[0]}")
            print(paint(summary(reports)))
            return 0 if all(r.ok for r in reports) else 1
        elif args.command == "train":
            print(paint(_train_command(args, parser)))
        else:
            x1, x2 = args.point
            if not all(math.isfinite(v) for v in args.point):
                parser.error(f"--at: x1 and x2 must be finite numbers, got {x1:g} {x2:g}")
            if not x1 > 0:
                parser.error(f"--at: x1 must be positive (ln(x1) is undefined at {x1:g})")
            print(paint(seed_example(x1, x2)))
    except ExpressionError as e:
        print(_painter(args.color, sys.stderr)(f"wengert: error: {e}", ERROR), file=sys.stderr)
        return 2
    return 0


BOLD, ERROR = "\033[1m", "\033[1;31m"


def _painter(choice: str, stream=None):
    """A function that colors text for ``stream``, or leaves it alone.

    ``paint(text)`` bolds the headings (unindented lines ending in ``:``);
    ``paint(text, style)`` colors all of it. Colors appear only on a terminal
    (or with ``--color always``), never with ``NO_COLOR`` set or ``TERM=dumb``.
    """
    import os

    stream = stream or sys.stdout
    on = choice == "always" or (
        choice == "auto" and stream.isatty() and "NO_COLOR" not in os.environ
        and os.environ.get("TERM") != "dumb")

    def paint(text: str, style: str | None = None) -> str:
        if not on:
            return text
        if style is not None:
            return f"{style}{text}\033[0m"
        return "\n".join(f"{BOLD}{line}\033[0m" if line.endswith(":") and line[:1].strip()
                         else line for line in text.split("\n"))

    return paint


def _point(pairs, expression, parser) -> list[float]:
    """The values of ``expression``'s variables from ``NAME=VALUE`` pairs, in its order."""
    given = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        try:
            given[name.strip()] = float(value)
        except ValueError:
            sep = ""
        if not sep:
            parser.error(f"--at: expected NAME=VALUE, got {pair!r}")
    missing = [v for v in expression.variables if v not in given]
    unknown = [v for v in given if v not in expression.variables]
    if missing or unknown:
        parser.error(f"--at: {expression.text!r} needs values for "
                     f"{', '.join(expression.variables) or 'nothing'}"
                     + (f"; missing {', '.join(missing)}" if missing else "")
                     + (f"; unknown {', '.join(unknown)}" if unknown else ""))
    return [given[v] for v in expression.variables]


def _trace_command(args, parser) -> str:
    expression = parse(args.expr or SEED_EXPRESSION)
    at = args.at if args.expr or args.at else ["x1=2", "x2=5"]
    values = _point(at, expression, parser)
    if not expression.variables:
        parser.error(f"trace: {expression.text!r} has no variables to differentiate by")
    wrt = args.wrt or expression.variables[0]
    if wrt not in expression.variables:
        parser.error(f"--wrt: {wrt!r} is not a variable of {expression.text!r}")
    direction = [1.0 if v == wrt else 0.0 for v in expression.variables]
    tables = {"forward": ("evaluation", "tangents"), "reverse": ("evaluation", "adjoints"),
              "both": ("evaluation", "tangents", "adjoints")}[args.mode]
    names = ", ".join(f"{v} = v{i + 1 - len(values)}"
                      for i, v in enumerate(expression.variables))
    result = wengert_tables(expression, *values, direction=direction)
    return f"{expression.text}   ({names})\n\n" + result.render(args.format, tables=tables)


def _evaluate_at(args, parser):
    """Parse ``args.expr``, evaluate it at ``args.at`` on float64 leaves: (expr, xs, y)."""
    expression = parse(args.expr)
    values = _point(args.at, expression, parser)
    xs = [wg.tensor(v, dtype=wg.float64, requires_grad=True) for v in values]
    y = expression(*xs)
    if not isinstance(y, wg.Tensor) or not y.requires_grad:
        parser.error(f"{args.command}: {expression.text!r} does not depend on any variable")
    return expression, xs, y


def _grad_command(args, parser) -> str:
    expression, xs, y = _evaluate_at(args, parser)
    grads = wg.grad(y, xs, create_graph=args.hessian, allow_unused=True)
    lines = [f"{expression.text} = {_fmt(y._data)}"]
    lines += [f"  d/d{v} = {_fmt(g._data) if g is not None else 0.0}"
              for v, g in zip(expression.variables, grads)]
    if args.hessian:
        lines.append("Hessian (row i: d/dx_i of the gradient):")
        for v, g in zip(expression.variables, grads):
            row = ([0.0] * len(xs) if g is None or not g.requires_grad else
                   [0.0 if h is None else float(h._data)
                    for h in wg.grad(g, xs, retain_graph=True, allow_unused=True)])
            lines.append(f"  {v}: " + "  ".join(f"{h: .17g}" for h in row))
    return "\n".join(lines)


def _graph_command(args, parser) -> str:
    from .tools import render

    with recording() as tape:  # the boxes are named and valued as in the Wengert list
        _, _, y = _evaluate_at(args, parser)
    y.backward(retain_graph=True)  # the leaves show their gradients
    try:
        path = render(y, args.output, tape=tape)
    except (ValueError, RuntimeError) as e:
        parser.error(f"graph: {e}")
    return f"wrote {path}"


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _train_command(args, parser) -> str:
    from .demo import train

    try:
        result = train(args.model, args.epochs, args.lr, args.optimizer, args.seed,
                       args.batch_size, args.checkpoint or None, not args.no_progress,
                       args.plot)
    except ImportError as e:  # --plot without matplotlib
        parser.error(f"train: {e}")
    h = result.history
    lines = [f"Trained {args.model} on digits:", f"  epochs          {len(h['loss'])}",
             f"  final loss      {h['loss'][-1]:.4f}",
             f"  train accuracy  {h['train_acc'][-1]:.4f}",
             f"  test accuracy   {result.test_accuracy:.4f}",
             f"  time            {result.seconds:.1f} s"]
    if args.checkpoint:
        lines.append(f"  checkpoint      {args.checkpoint} (wg.load to read it back)")
    if args.plot:
        lines.append(f"  curves          {args.plot}")
    return "\n".join(lines)


def _ops_table() -> str:
    from ._primitive import REGISTRY

    rows = [("primitive", "reverse", "forward", "higher order")]
    for name in sorted(REGISTRY):
        prim = REGISTRY[name]
        mark = "yes" if prim.rule is not None else "-"
        rows.append((name, mark, mark, mark if prim.rule is not None else "not differentiable"))
    width = [max(len(r[i]) for r in rows) for i in range(4)]
    out = ["  ".join(cell.ljust(w) for cell, w in zip(row, width)).rstrip() for row in rows]
    differentiable = sum(p.rule is not None for p in REGISTRY.values())
    out.append(f"\n{len(REGISTRY)} primitives, {differentiable} differentiable. Each has one "
               "rule that serves reverse mode (transpose), forward mode (apply) and, being "
               "written with wengert's own ops, every higher order.")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
