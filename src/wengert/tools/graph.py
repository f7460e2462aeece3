"""The computational graph as a picture: DOT text for Graphviz.

>>> import wengert as wg
>>> x = wg.tensor(2.0, dtype=wg.float64, requires_grad=True)
>>> y = wg.sin(x) * x
>>> print(wg.tools.to_dot(y).splitlines()[0])
digraph wengert {
"""

from __future__ import annotations

import numpy as np

from .._tensor import TENSOR_TYPES, Tensor
from ..autograd.node import Node


def to_dot(output: Tensor, show_values: bool = True, show_grads: bool = True) -> str:
    """The graph that computed ``output`` as Graphviz DOT text (inputs at the top).

    Leaves are ellipses (with their value and, after backward, their ``.grad``);
    each recorded operation is a box named after its primitive, with its
    value where the tape kept it. Render it with ``dot -Tsvg``. A backward pass
    frees the graph as it goes: draw before it, or pass ``retain_graph=True``.
    """
    if type(output) not in TENSOR_TYPES:
        raise TypeError(f"to_dot expects a Tensor, got {type(output).__name__}")
    lines = ["digraph wengert {", "  rankdir=BT;", '  node [fontname="Helvetica"];']
    ids: dict[int, str] = {}

    def name(obj) -> str:
        key = id(obj)
        if key not in ids:
            ids[key] = f"n{len(ids)}"
        return ids[key]

    root = output._node or output
    stack, seen = [root], set()
    while stack:  # iterative: a deep graph cannot exhaust the stack
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if type(item) is Node:
            label = item.prim.name
            if show_values and item.out is not None:
                label += f"\\n{_summary(item.out)}"
            if item is output._node and show_values:
                label += f"\\n= {_summary(output._data)}"
            lines.append(f'  {name(item)} [shape=box, label="{label}"];')
            for parent in item.parents or ():
                if parent is not None:
                    lines.append(f"  {name(parent)} -> {name(item)};")
                    stack.append(parent)
        else:  # a leaf tensor
            label = f"leaf {tuple(item.shape)}"
            if show_values:
                label += f"\\n{_summary(item._data)}"
            if show_grads and item.grad is not None:
                label += f"\\ngrad {_summary(item.grad._data)}"
            lines.append(f'  {name(item)} [shape=ellipse, label="{label}"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def _summary(value) -> str:
    value = np.asarray(value)
    if value.ndim == 0:
        return repr(value.item())
    if value.size <= 4:
        return np.array2string(value, precision=4, separator=", ").replace("\n", "")
    return f"{value.shape} {value.dtype}, mean {value.mean():.4g}"
