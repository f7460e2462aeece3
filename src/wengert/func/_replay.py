"""Forward mode by replaying a recorded tape: the linearization behind ``linearize``,
``jacfwd`` and ``jacobian``.

One recorded evaluation of ``f`` holds, on each tape entry, what its derivative rule
needs. Pushing a tangent through those rules in creation order (``map.apply``, the
same maps the reverse engine transposes) is a JVP that does not run ``f`` again, and
it can push a whole *batch* of tangents at once: a tangent with an extra leading
dimension, one row per input direction. Elementwise multipliers broadcast over that
dimension by themselves; the linear maps of ``autograd.linear`` are given their
batched form in ``_BATCHED`` below. A tape holding a map without a batched form is
replayed one direction at a time.
"""

from __future__ import annotations

import numpy as np

from .._primitive import FAST, OBSERVERS, input_map
from ..autograd import linear as lin
from ..autograd.engine import _unpack_saved
from ..autograd.graph import Packed
from ..autograd.node import Node
from ..ops.elementwise import _Cast


class NotBatchable(Exception):
    """A map on the tape has no batched form: replay one direction at a time."""


class ShapeLog:
    """Records each tape entry's output shape and dtype while ``f`` runs (an observer):
    the tape itself keeps only what the rules need."""

    def __init__(self):
        self.shapes: dict = {}

    def __call__(self, prim, node, result, args):
        if node is not None:
            data = result._data
            self.shapes[node] = (data.shape, data.dtype)

    def __enter__(self):
        OBSERVERS.append(self)
        return self

    def __exit__(self, *exc):
        OBSERVERS.remove(self)


class Tape:
    """The part of a recorded tape between ``inputs`` (edges) and ``outputs`` (tensors)."""

    def __init__(self, inputs, outputs, shapes: dict):
        self.inputs, self.outputs, self.shapes = inputs, outputs, shapes
        reached = set(inputs)
        nodes, seen = [], set()
        stack = [o._node for o in outputs if o._node is not None]
        while stack:
            node = stack.pop()
            if node in seen or node.parents is None:
                continue
            seen.add(node)
            nodes.append(node)
            stack.extend(p for p in node.parents if type(p) is Node and p not in seen)
        nodes.sort(key=lambda n: n.seq)
        self.order = []
        for node in nodes:  # keep only entries that depend on an input
            if any(p is not None and p in reached for p in node.parents):
                reached.add(node)
                self.order.append(node)

    def push(self, tangents, batch: int | None = None) -> list:
        """Output tangents (raw arrays) for input ``tangents`` (raw arrays; with ``batch``,
        each has a leading dimension of that size). None marks a zero tangent."""
        tan = {e: t for e, t in zip(self.inputs, tangents) if t is not None}
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for node in self.order:
                total = self._push_node(node, tan, batch)
                if total is not None:
                    tan[node] = total
        return [tan.get(o._node if o._node is not None else o) for o in self.outputs]

    def _push_node(self, node, tan, batch):
        parents = node.parents
        if parents is None:
            raise RuntimeError("linearize: the recorded tape was freed (by a backward pass "
                               "without retain_graph); linearize again")
        prim = node.prim
        if node.versions is None and node.out is None:
            args = node.saved
        else:
            args = _unpack_saved(node, False)
        params = node.params
        out = node.out if prim.save_out else None
        if type(out) is Packed:
            out = out.unpack()
        spec = self.shapes.get(node)
        total = None
        for i, p in enumerate(parents):
            t = tan.get(p) if p is not None else None
            if t is None:
                continue
            m = input_map(prim, i, FAST, out, args, params)
            if m is None:
                continue
            term = _apply(m, t) if batch is None else _apply_batched(m, t, spec)
            if spec is not None:
                shape = spec[0] if batch is None else (batch, *spec[0])
                if term.shape != shape:
                    if batch is not None:
                        term = _aligned(term, spec)
                    term = np.broadcast_to(term, shape)
                if term.dtype != spec[1]:
                    term = term.astype(spec[1])
            total = term if total is None else total + term
        return total


def _apply(m, t):
    if m is lin.IDENTITY:
        return t
    if type(m) in lin.LINEAR_MAP_TYPES:
        return m.apply(FAST, t)
    return t * m


# -- batched tangents: a leading dimension of directions ---------------------------------


def _apply_batched(m, t, spec):
    """Push the batch ``t`` (shape ``(B, *in_shape)``) through ``m``."""
    if m is lin.IDENTITY:
        return t
    kind = type(m)
    if kind in lin.LINEAR_MAP_TYPES:
        batched = _BATCHED.get(kind)
        if batched is None:
            raise NotBatchable(kind.__name__)
        return batched(m, t, spec)
    return _aligned(t, spec) * m  # an elementwise multiplier broadcasts over the batch


def _aligned(t, spec):
    """``t`` with singleton axes after the batch axis, up to the output's rank, so that
    an elementwise factor broadcasts against the input's own axes, never the batch's."""
    if spec is None:
        raise NotBatchable("an elementwise map of unknown output shape")
    missing = len(spec[0]) - (t.ndim - 1)
    return t.reshape(t.shape[:1] + (1,) * missing + t.shape[1:]) if missing > 0 else t


def _elementwise(m, t, spec):
    return m.apply(FAST, _aligned(t, spec))


def _shifted(axis, ndim):
    """Axis numbers of an unbatched array of ``ndim`` dimensions, after a batch axis."""
    if axis is None:
        return tuple(range(1, ndim + 1))
    axes = (axis,) if isinstance(axis, int) else axis
    return tuple(a % ndim + 1 for a in axes)


def _sum_axes(m, t, spec):
    return t.sum(axis=_shifted(m.axis, len(m.in_shape)), keepdims=m.keepdims)


def _broadcast_to(m, t, spec):
    out = m.out_shape
    return np.broadcast_to(_aligned(t, (out,)), t.shape[:1] + tuple(out))


def _sum_to(m, t, spec):
    shape = tuple(m.out_shape)
    lead = t.ndim - 1 - len(shape)
    axes = tuple(range(1, 1 + lead)) + tuple(
        1 + lead + i for i, n in enumerate(shape) if n == 1 and t.shape[1 + lead + i] != 1)
    s = t.sum(axis=axes, keepdims=True) if axes else t
    return s.reshape(t.shape[:1] + shape)


def _reshape(m, t, spec):
    return t.reshape(t.shape[:1] + tuple(m.out_shape))


def _permute(m, t, spec):
    return t.transpose((0, *(a + 1 for a in m.axes)))


def _basic_index(index):
    """``(slice(None), *index)`` when ``index`` is basic (ints, slices, None, ...)."""
    parts = index if isinstance(index, tuple) else (index,)
    if not all(p is None or p is Ellipsis or isinstance(p, (int, slice, np.integer))
               for p in parts):
        raise NotBatchable("advanced indexing")
    return (slice(None), *parts)


def _take(m, t, spec):
    return t[_basic_index(m.index)]


def _embed(m, t, spec):
    out = np.zeros(t.shape[:1] + tuple(m.out_shape), t.dtype)
    out[_basic_index(m.index)] += t
    return out


def _matmul_with(m, t, spec):
    other, n = m.other, len(m.shape)
    if n == 1:  # t is a vector, so the batch is a stack of rows
        if m.left:  # t @ other
            r = t @ other
            return np.moveaxis(r, -2, 0) if other.ndim > 2 else r
        if other.ndim == 1:
            return t @ other
        return np.moveaxis(other @ t.T, -1, 0)  # other @ t, for every row t
    rank = max(n, other.ndim)  # the batch axis must stay in front of matmul's batch axes
    t = t.reshape(t.shape[:1] + (1,) * (rank - n) + t.shape[1:])
    return t @ other if m.left else other @ t


def _compose(m, t, spec):
    return _apply_batched(m.second, _apply_batched(m.first, t, None), spec)


_BATCHED = {
    lin._Negate: lambda m, t, spec: -t,
    lin.Scale: _elementwise,
    lin.DivideBy: _elementwise,
    lin.Mask: _elementwise,
    lin.SumAxes: _sum_axes,
    lin.BroadcastTo: _broadcast_to,
    lin.SumTo: _sum_to,
    lin.Reshape: _reshape,
    lin.Permute: _permute,
    lin.Take: _take,
    lin.Embed: _embed,
    lin.MatmulWith: _matmul_with,
    lin.Compose: _compose,
    _Cast: lambda m, t, spec: t.astype(m.dst),
}
"""The batched form of each linear map class (a map missing here is replayed per direction)."""
