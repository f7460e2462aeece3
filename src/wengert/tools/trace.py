"""Wengert tables: the evaluation trace, the forward tangent trace and the reverse
adjoint trace of a function, with values, as the seeds print them.

>>> import wengert as wg
>>> t = wg.tools.trace(lambda x1, x2: wg.log(x1) + x1 * x2 - wg.sin(x2), 2.0, 5.0)
>>> [line.expression for line in t.evaluation[2:]]
['log(v-1)', 'v-1 * v0', 'v1 + v2', 'sin(v0)', 'v3 - v4']
>>> t.adjoints[-1].name, float(t.adjoints[-1].value)   # the last += on x1
('v̄-1', 5.5)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .._creation import tensor as _tensor
from .._primitive import FAST, apply_map, input_map
from .._tensor import TENSOR_TYPES, Tensor
from ..autograd import engine
from ..autograd.engine import _unpack_saved
from ..autograd.linear import quiet_rules
from .tape import Tape, TraceLine, recording

BAR, DOT = "\u0304", "\u0307"  # combining macron (v̄) and dot above (v̇)


@dataclass
class Trace:
    """The three tables of one evaluation; each is a list of ``TraceLine``."""

    evaluation: list[TraceLine]
    tangents: list[TraceLine]
    adjoints: list[TraceLine]
    direction: tuple

    def render(self, fmt: str = "text", max_lines: int = 40,
               tables: Sequence[str] = ("evaluation", "tangents", "adjoints")) -> str:
        """The tables as aligned text (``fmt="text"``) or Markdown (``"markdown"``).

        A table longer than ``max_lines`` shows its start and end only;
        ``tables`` picks which of the three to show.
        """
        if fmt not in ("text", "markdown"):
            raise ValueError(f"render: fmt must be 'text' or 'markdown', got {fmt!r}")
        seeded = ", ".join(f"v{DOT}{i + 1 - len(self.direction)} = {d:g}"
                           for i, d in enumerate(self.direction))
        sections = {"evaluation": ("Evaluation trace", self.evaluation),
                    "tangents": (f"Forward tangent trace ({seeded})", self.tangents),
                    "adjoints": ("Reverse adjoint trace (newest entry first)", self.adjoints)}
        sections = [sections[name] for name in tables]
        out = []
        for title, lines in sections:
            lines = _summarized(lines, max_lines)
            if fmt == "markdown":
                out += [f"**{title}**", "", "| | expression | value |", "|---|---|---:|"]
                out += [f"| {ln.name} | {ln.expression} | {_fmt(ln.value)} |" if ln else
                        "| ... | | |" for ln in lines]
            else:
                width = max((len(ln.name) for ln in lines if ln), default=0)
                expr = max((len(ln.expression) for ln in lines if ln), default=0)
                out.append(f"{title}:")
                out += [f"  {ln.name:>{width}} = {ln.expression:<{expr}} = {_fmt(ln.value)}"
                        if ln else "  ..." for ln in lines]
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def __str__(self) -> str:
        return self.render()


def trace(f: Callable, *args, direction: Sequence[float] | None = None) -> Trace:
    """Run ``f(*args)`` and return its Wengert tables (``Trace``).

    Args:
        f: a function of tensors returning one tensor (a non-scalar output is
            summed for the adjoint table).
        args: its inputs (numbers, arrays or tensors; taken as float64).
        direction: the tangent of each input for the forward table (default:
            1 for the first input, 0 for the others, as in the seeds' Table 2).
    """
    inputs = [_tensor(a._data if type(a) in TENSOR_TYPES else a, dtype=np.float64)
              .requires_grad_() for a in args]
    if not inputs:
        raise ValueError("trace: give at least one input")
    direction = tuple(direction) if direction is not None else (1.0,) + (0.0,) * (
        len(inputs) - 1)
    if len(direction) != len(inputs):
        raise ValueError(f"trace: {len(direction)} directions for {len(inputs)} inputs")

    with recording() as tape:
        out = f(*inputs)
    if type(out) not in TENSOR_TYPES:
        raise TypeError(f"trace: the function returned {type(out).__name__}, not a Tensor")
    return tables(tape, out, inputs, direction)


def tables(tape: Tape, output: Tensor, inputs: Sequence[Tensor] | None = None,
           direction: Sequence[float] | None = None) -> Trace:
    """The Wengert tables of what ``tape`` recorded, for ``output``.

    ``inputs`` default to the leaf tensors the recorded operations read, in
    the order they were first used. The graph of ``output`` is kept
    (``retain_graph``), so the caller can still call ``backward`` on it.
    """
    if type(output) not in TENSOR_TYPES:
        raise TypeError(f"trace: the output must be a Tensor, got {type(output).__name__}")
    if not tape.entries:
        raise ValueError("trace: nothing was recorded (no operation on a tensor that "
                         "requires grad ran inside the block)")
    inputs = list(inputs) if inputs is not None else tape.leaves()
    direction = tuple(direction) if direction is not None else (1.0,) + (0.0,) * (
        len(inputs) - 1)
    if len(direction) != len(inputs):
        raise ValueError(f"trace: {len(direction)} directions for {len(inputs)} inputs")
    evaluation = tape.evaluation_trace(inputs)
    tangents = _tangent_trace(tape, inputs, direction)
    adjoints = _adjoint_trace(tape, inputs, output)
    return Trace(evaluation, tangents, adjoints, direction)


def _tangent_trace(tape: Tape, inputs, direction) -> list[TraceLine]:
    """Forward mode over the recorded tape: each entry pushes its inputs' tangents
    through the same linear maps (``apply``) that the adjoint pass transposes."""
    names = tape._names(inputs)
    tangent = {id(x): np.full(x.shape, d, dtype=np.float64) for x, d in zip(inputs, direction)}
    lines = [TraceLine(_dotted(names[id(x)]), "seed", tangent[id(x)]) for x in inputs]
    for node, value, parents, _ in tape.entries:
        me, prim = names[id(node)], node.prim
        saved = _unpack_saved(node, create_graph=False)
        total, terms = np.zeros(np.shape(value)), []
        for i, p in enumerate(parents):
            if p is None or id(p) not in tangent:
                continue
            terms.append(f"∂{me}/∂{names[id(p)]}·{_dotted(names[id(p)])}")
            with quiet_rules():  # (as wherever rules run)
                m = input_map(prim, i, FAST, node.out, saved, node.params)
                if m is not None:
                    total = total + apply_map(FAST, m, tangent[id(p)])
        tangent[id(node)] = total
        lines.append(TraceLine(_dotted(me), " + ".join(terms) or "0", total))
    return lines


def _adjoint_trace(tape: Tape, inputs, out: Tensor) -> list[TraceLine]:
    names = tape._names(inputs)
    events = []
    engine.EDGE_OBSERVERS.append(
        lambda node, i, parent, g: events.append((node, parent, np.array(g, copy=True))))
    hook = engine.EDGE_OBSERVERS[-1]
    try:
        seed = out.sum() if out.numel() != 1 else out
        engine.grad(seed, inputs, retain_graph=True, allow_unused=True)
    finally:
        engine.EDGE_OBSERVERS.remove(hook)
    top = names.get(id(out._node), "y")
    lines = [TraceLine(_barred(top), "seed", np.ones(()))]
    totals: dict[int, np.ndarray] = {}
    for node, parent, g in events:
        if id(parent) not in names or id(node) not in names:
            continue  # an op outside the traced function (the sum of a non-scalar output)
        src, dst = names[id(node)], names[id(parent)]
        term = f"{_barred(src)}·∂{src}/∂{dst}"
        if id(parent) in totals:  # a value used twice: its adjoint sums both paths
            totals[id(parent)] = totals[id(parent)] + g
            term = f"{_barred(dst)} + {term}"
        else:
            totals[id(parent)] = g
        lines.append(TraceLine(_barred(dst), term, totals[id(parent)]))
    return lines


def _dotted(name: str) -> str:
    return name[0] + DOT + name[1:]


def _barred(name: str) -> str:
    return name[0] + BAR + name[1:]


def _fmt(value) -> str:
    value = np.asarray(value)
    if value.ndim == 0:
        return repr(float(value))
    return np.array2string(value, precision=6, threshold=8)


def _summarized(lines, max_lines):
    if len(lines) <= max_lines:
        return lines
    head = max_lines * 2 // 3
    return [*lines[:head], None, *lines[-(max_lines - head):]]
