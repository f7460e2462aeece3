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
    """The recorded operations of a computation, in the order they ran."""

    def __init__(self):
        # (node, output, parents, saved): the edges are kept here because a
        # backward pass frees them on the node itself.
        self.entries: list[tuple] = []

    def _record(self, node, tensor) -> None:
        self.entries.append((node, tensor, node.parents, node.saved))

    def _names(self, inputs: Sequence[Tensor]) -> dict[int, str]:
        # The seeds number n inputs v(1-n) .. v0 and the results v1, v2, ...
        names = {id(t): f"v{i + 1 - len(inputs)}" for i, t in enumerate(inputs)}
        for k, (node, *_) in enumerate(self.entries, start=1):
            names[id(node)] = f"v{k}"
        return names

    def _expression(self, node, parents, saved, names) -> str:
        args = []
        for i, parent in enumerate(parents):
            if parent is not None and id(parent) in names:
                args.append(names[id(parent)])
            else:
                args.append(_constant(saved[i]))
        name = node.prim.name
        if name in _INFIX and len(args) == 2:
            return f"{args[0]} {_INFIX[name]} {args[1]}"
        if name == "neg":
            return f"-{args[0]}"
        params = [repr(p) for p in node.params]
        return f"{name}({', '.join(args + params)})"

    def evaluation_trace(self, inputs: Sequence[Tensor]) -> list[TraceLine]:
        """The forward evaluation trace: inputs first, then each recorded op with its value."""
        names = self._names(inputs)
        lines = [TraceLine(names[id(t)], "input", np.asarray(t._data)) for t in inputs]
        for node, tensor, parents, saved in self.entries:
            lines.append(TraceLine(names[id(node)], self._expression(node, parents, saved, names),
                                   np.asarray(tensor._data)))
        return lines

    def wengert_list(self, inputs: Sequence[Tensor]) -> list[str]:
        """The tape as the seeds print it: ``v1 = log(v-1)``, one primitive per line."""
        names = self._names(inputs)
        return [f"{names[id(node)]} = {self._expression(node, parents, saved, names)}"
                for node, _, parents, saved in self.entries]

    def __len__(self) -> int:
        return len(self.entries)


def _constant(value) -> str:
    if type(value) in TENSOR_TYPES:
        value = value._data
    if value is None:
        return "c"
    return np.array2string(np.asarray(value), precision=6) if np.ndim(value) else repr(
        np.asarray(value).item())


@contextlib.contextmanager
def recording() -> Iterator[Tape]:
    """Record every operation on tensors that require grad inside the block."""
    tape = Tape()
    OBSERVERS.append(tape._record)
    try:
        yield tape
    finally:
        OBSERVERS.remove(tape._record)
