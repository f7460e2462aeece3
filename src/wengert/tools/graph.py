"""The computational graph as a picture: DOT text for Graphviz, and files rendered from it.

>>> import wengert as wg
>>> x = wg.tensor(2.0, dtype=wg.float64, requires_grad=True)
>>> y = wg.sin(x) * x
>>> print(wg.tools.to_dot(y).splitlines()[0])
digraph wengert {

A graph with more than ``max_nodes`` nodes is drawn grouped: the operations
are banded by depth (the longest path from an input) and, within a band, one
box stands for all the operations of one primitive, with their count and the
depths they span; edges between groups carry how many edges they stand for.
A loop of 10,000 steps thus draws as a few dozen boxes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from .._tensor import TENSOR_TYPES, Tensor
from ..autograd.node import Node


def to_dot(output: Tensor, show_values: bool = True, show_grads: bool = True,
           max_nodes: int = 200, tape=None) -> str:
    """The graph that computed ``output`` as Graphviz DOT text (inputs at the top).

    Leaves are ellipses (with their value and, after backward, their ``.grad``);
    each recorded operation is a box named after its primitive, with its
    value where the graph kept it. Given the ``tape`` that recorded the
    computation (``wg.tools.recording()``), every box is named as in the
    Wengert list (``v3 = v1 + v2``) and shows its value and its adjoint
    (``v̄3``, from one extra backward pass that keeps the graph). A graph with
    more than ``max_nodes`` nodes is grouped (see the module's docstring).
    Render it with ``render`` or ``dot -Tsvg``. A backward pass frees the
    graph as it goes: draw before it, or pass ``retain_graph=True``.
    """
    if type(output) not in TENSOR_TYPES:
        raise TypeError(f"to_dot expects a Tensor, got {type(output).__name__}")
    if max_nodes < 1:
        raise ValueError(f"to_dot: max_nodes must be at least 1, got {max_nodes}")
    items, edges = _collect(output)
    lines = ["digraph wengert {", "  rankdir=BT;", '  node [fontname="Helvetica"];']
    if len(items) > max_nodes:
        lines += _grouped(items, edges, max_nodes)
    else:
        ids = {id(item): f"n{k}" for k, item in enumerate(items)}
        named = _tape_labels(tape, output, show_values, show_grads) if tape is not None else {}
        for item in items:
            attributes = named.get(id(item)) or _attributes(item, output, show_values,
                                                            show_grads)
            lines.append(f"  {ids[id(item)]} {attributes};")
        lines += [f"  {ids[id(a)]} -> {ids[id(b)]};" for a, b in edges]
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(output: Tensor, path: str | os.PathLike, **options) -> Path:
    """Draw the graph of ``output`` into ``path`` (.svg, .png or .pdf; .dot writes the text).

    Uses Graphviz: the ``graphviz`` Python package when installed (``pip install
    "wengert[viz]"``), else the ``dot`` program directly; either way the
    ``dot`` program itself must be installed (Debian: ``apt-get install
    graphviz``). ``options`` go to ``to_dot``. The file appears whole or not
    at all (it is written to a temporary file, then renamed).

    >>> import wengert as wg
    >>> x = wg.tensor(2.0, requires_grad=True)
    >>> wg.tools.render(x * x, "/tmp/wengert-doctest.dot").name
    'wengert-doctest.dot'
    """
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("dot", "svg", "png", "pdf"):
        raise ValueError(f"render: the path must end in .dot, .svg, .png or .pdf, "
                         f"got {path.name!r}")
    dot = to_dot(output, **options)
    data = dot.encode() if fmt == "dot" else _run_graphviz(dot, fmt)
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path


def _run_graphviz(dot: str, fmt: str) -> bytes:
    try:
        import graphviz
    except ImportError:
        graphviz = None
    program = shutil.which("dot")
    if program is None:
        raise RuntimeError(
            f"render: drawing {fmt.upper()} needs Graphviz's dot program, which is not "
            "installed (Debian/Ubuntu: apt-get install graphviz; macOS: brew install "
            "graphviz); a .dot path writes the text without it")
    if graphviz is not None:
        return graphviz.Source(dot).pipe(format=fmt)
    return subprocess.run([program, f"-T{fmt}"], input=dot.encode(), capture_output=True,
                          check=True).stdout


# -- the graph as items (nodes and leaves) and edges ---------------------------------


def _collect(output: Tensor) -> tuple[list, list]:
    """Every node and leaf reachable from ``output``, and the edges (parent, child)."""
    root = output._node or output
    stack, seen, items, edges = [root], set(), [], []
    while stack:  # iterative: a deep graph cannot exhaust the stack
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        items.append(item)
        if type(item) is Node:
            for parent in item.parents or ():
                if parent is not None:
                    edges.append((parent, item))
                    stack.append(parent)
    return items, edges


def _tape_labels(tape, output, show_values, show_grads) -> dict[int, str]:
    """DOT attributes for what ``tape`` recorded: the inputs (v-1, v0 ...) and each
    operation's name, expression, value and adjoint."""
    from .trace import BAR, tables

    inputs = tape.leaves()
    names = tape._names(inputs)
    adjoint = {}
    if show_grads:
        for line in tables(tape, output, inputs).adjoints:
            adjoint[line.name] = line.value  # the last line of a name is its total
    labels = {}
    for node, value, parents, constants in tape.entries:
        name = names[id(node)]
        label = f"{name} = {tape._expression(node, parents, constants, names)}"
        if show_values:
            label += f"\\n{_summary(value)}"
        barred = name[0] + BAR + name[1:]
        if barred in adjoint:
            label += f"\\n{barred} = {_summary(adjoint[barred])}"
        labels[id(node)] = f'[shape=box, label="{label}"]'
    for leaf in inputs:
        label = names[id(leaf)]
        if show_values:
            label += f"\\n{_summary(leaf._data)}"
        if show_grads and leaf.grad is not None:
            label += f"\\ngrad {_summary(leaf.grad._data)}"
        labels[id(leaf)] = f'[shape=ellipse, label="{label}"]'
    return labels


def _attributes(item, output, show_values, show_grads) -> str:
    if type(item) is Node:
        label = item.prim.name
        if show_values and item.out is not None:
            label += f"\\n{_summary(item.out)}"
        if item is output._node and show_values:
            label += f"\\n= {_summary(output._data)}"
        return f'[shape=box, label="{label}"]'
    label = f"leaf {tuple(item.shape)}"
    if show_values:
        label += f"\\n{_summary(item._data)}"
    if show_grads and item.grad is not None:
        label += f"\\ngrad {_summary(item.grad._data)}"
    return f'[shape=ellipse, label="{label}"]'


def _grouped(items, edges, max_nodes) -> list[str]:
    """DOT statements for the grouped picture of a big graph."""
    nodes = sorted((i for i in items if type(i) is Node), key=lambda n: n.seq)
    depth = {id(i): 0 for i in items if type(i) is not Node}
    for node in nodes:  # creation order is a topological order
        depth[id(node)] = 1 + max((depth[id(p)] for p in node.parents or () if p is not None),
                                  default=0)
    deepest = max(depth.values())
    kinds = len({n.prim.name for n in nodes}) + 1
    # About a quarter of max_nodes boxes: fewer, bigger groups read better than many.
    bands = max(1, min(deepest + 1, max(12, max_nodes // 4) // kinds))

    def group(item):
        band = depth[id(item)] * bands // (deepest + 1)
        return (band, item.prim.name if type(item) is Node else "leaf")

    members = Counter(group(i) for i in items)
    span: dict[tuple, list[int]] = {}
    for item in items:
        lo_hi = span.setdefault(group(item), [depth[id(item)], depth[id(item)]])
        lo_hi[0], lo_hi[1] = min(lo_hi[0], depth[id(item)]), max(lo_hi[1], depth[id(item)])
    ids = {g: f"g{k}" for k, g in enumerate(sorted(members))}
    lines = []
    for g, count in sorted(members.items()):
        (_, name), (lo, hi) = g, span[g]
        where = f"depth {lo}" if lo == hi else f"depths {lo}-{hi}"
        shape = "ellipse" if name == "leaf" else "box"
        lines.append(f'  {ids[g]} [shape={shape}, label="{name} x{count}\\n{where}"];')
    for (a, b), count in sorted(Counter((group(a), group(b)) for a, b in edges).items()):
        if a != b:  # edges inside a group are implied by its depth span
            label = f' [label="{count}"]' if count > 1 else ""
            lines.append(f"  {ids[a]} -> {ids[b]}{label};")
    return lines


def _summary(value) -> str:
    value = np.asarray(value)
    if value.ndim == 0:
        return repr(value.item())
    if value.size <= 4:
        return np.array2string(value, precision=4, separator=", ").replace("\n", "")
    return f"{value.shape} {value.dtype}, mean {value.mean():.4g}"
