"""Record the tape of a computation and print it as a Wengert list.

>>> import wengert as wg
>>> from wengert.tools import recording
>>> x1 = wg.tensor(2.0, dtype=wg.float64, requires_grad=True)
>>> x2 = wg.tensor(5.0, dtype=wg.float64, requires_grad=True)
>>> with recording() as tape:
...     y = wg.log(x1) + x1 * x2 - wg.sin(x2)
>>> print("\\n".join(tape.wengert_list([x1, x2])))
v1 = log(v-1)
v2 = v-1 * v0
v3 = v1 + v2
v4 = sin(v0)
v5 = v3 - v4
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from .._primitive import OBSERVERS
from .._tensor import TENSOR_TYPES, Tensor

_INFIX = {"add": "+", "sub": "-", "mul": "*", "div": "/", "pow": "**", "matmul": "@"}


@dataclass(frozen=True)
class TraceLine:
    """One line of the evaluation trace: ``name = expression = value``."""

    name: str
    expression: str
    value: np.ndarray


class Tape:
    """The recorded operations of one thread's computation, in the order they ran."""

    def __init__(self):
        # (node, value, parents, constants): the value is copied and the edges
        # kept here, because later in-place ops and backward passes change them
        # on the tensor and the node.
        self.entries: list[tuple] = []
        self._thread = threading.get_ident()

    def _record(self, prim, node, tensor, args) -> None:
        if node is None or threading.get_ident() != self._thread:
            return  # not on the tape, or another thread's
        parents = node.parents
        constants = tuple(None if p is not None else _value_of(a) for p, a in zip(parents, args))
        self.entries.append((node, np.array(tensor._data, copy=True), parents, constants))

    def _names(self, inputs: Sequence[Tensor]) -> dict[int, str]:
        # The seeds number n inputs v(1-n) .. v0 and the results v1, v2, ...
        names = {}
        for k, (node, *_) in enumerate(self.entries, start=1):
            names[id(node)] = f"v{k}"
        for i, t in enumerate(inputs):  # an input may be an intermediate result
            names[id(t._node or t)] = f"v{i + 1 - len(inputs)}"
        return names

    def _expression(self, node, parents, constants, names) -> str:
        args = [names.get(id(p), "?") if p is not None else _constant(c)
                for p, c in zip(parents, constants)]
        name = node.prim.name
        if name in _INFIX and len(args) == 2:
            return f"{args[0]} {_INFIX[name]} {args[1]}"
        if name == "neg":
            return f"-{args[0]}"
        params = [_param(p) for p in node.params]
        return f"{name}({', '.join(args + params)})"

    def evaluation_trace(self, inputs: Sequence[Tensor]) -> list[TraceLine]:
        """The forward evaluation trace: inputs first, then each recorded op with its value."""
        names = self._names(inputs)
        lines = [TraceLine(names[id(t._node or t)], "input", np.array(t._data, copy=True))
                 for t in inputs]
        for node, value, parents, constants in self.entries:
            lines.append(TraceLine(names[id(node)],
                                   self._expression(node, parents, constants, names), value))
        return lines

    def wengert_list(self, inputs: Sequence[Tensor]) -> list[str]:
        """The tape as the seeds print it: ``v1 = log(v-1)``, one primitive per line."""
        names = self._names(inputs)
        return [f"{names[id(node)]} = {self._expression(node, parents, constants, names)}"
                for node, _, parents, constants in self.entries]

    def leaves(self) -> list[Tensor]:
        """The leaf tensors the recorded operations read, in order of first use."""
        produced = {id(node) for node, *_ in self.entries}
        found: dict[int, Tensor] = {}
        for _, _, parents, _ in self.entries:
            for p in parents:
                if p is not None and type(p) in TENSOR_TYPES and id(p) not in produced:
                    found.setdefault(id(p), p)
        return list(found.values())

    def trace(self, output: Tensor, inputs: Sequence[Tensor] | None = None,
              direction: Sequence[float] | None = None):
        """The evaluation, tangent and adjoint tables of ``output`` (a ``Trace``).

        >>> import wengert as wg
        >>> x = wg.tensor(3.0, dtype=wg.float64, requires_grad=True)
        >>> with wg.tools.recording() as tape:
        ...     y = x * x + wg.sin(x)
        >>> print(tape.trace(y).render(tables=("evaluation",)))
        Evaluation trace:
          v0 = input           = 3.0
          v1 = v0 * v0         = 9.0
          v2 = sin(v0)         = 0.1411200080598672
          v3 = v1 + v2         = 9.141120008059866
        <BLANKLINE>
        """
        from .trace import tables

        return tables(self, output, inputs, direction)

    def __len__(self) -> int:
        return len(self.entries)


def _value_of(arg):
    return arg._data if type(arg) in TENSOR_TYPES else arg


def _constant(value) -> str:
    if np.ndim(value) == 0:
        return repr(np.asarray(value).item())
    return np.array2string(np.asarray(value), precision=6, threshold=6)


def _param(p) -> str:
    if isinstance(p, np.ndarray):
        return f"array(shape={p.shape})"
    return repr(p)


@contextlib.contextmanager
def recording() -> Iterator[Tape]:
    """Record every operation on tensors that require grad inside the block (this thread's)."""
    tape = Tape()
    OBSERVERS.append(tape._record)
    try:
        yield tape
    finally:
        OBSERVERS.remove(tape._record)
