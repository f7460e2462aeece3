"""Replaying a recorded tape: forward mode behind ``linearize`` and ``jacfwd``, and
batched reverse mode behind ``jacrev`` and ``jacobian``.

One recorded evaluation of ``f`` holds, on each tape entry, what its derivative rule
needs. Pushing a tangent through those rules in creation order (``map.apply``, the
same maps the reverse engine transposes) is a JVP that does not run ``f`` again, and
it can push a whole *batch* of tangents at once: a tangent with an extra leading
dimension, one row per input direction. Elementwise multipliers broadcast over that
dimension by themselves; the linear maps of ``autograd.linear`` are given their
batched form in ``_BATCHED`` below. A tape holding a map without a batched form is
replayed one direction at a time.

Reverse mode runs the other way over the same entries (``Tape.pull``): a stack of
cotangents, one row per output direction, pulled back through each map's adjoint
(``transpose``) in the engine's order, newest entry first, summing contributions to a
reused value in the same order as the engine. The batched adjoints are the second
column of ``_BATCHED``; a map without one is transposed row by row (that map only,
exactly as the engine would), the rest of the tape staying batched.
"""

from __future__ import annotations

import math

import numpy as np

from .._primitive import FAST, OBSERVERS, input_map
from ..autograd import linear as lin
from ..autograd.engine import _edge_hook, _unpack_saved
from ..autograd.graph import Packed
from ..autograd.node import Node
from ..nn.functional.folding import AdjointPair
from ..nn.functional.linear import _WeightMap
from ..nn.functional.softmax import LogSoftmaxJacobian, SoftmaxJacobian
from ..ops.elementwise import _Cast
from ..ops.index import _has_int_array


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
        edges = {}  # node -> its parents (``Node.parents`` builds a tuple on each read)
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            parents = node.parents
            if parents is None:
                continue
            seen.add(node)
            nodes.append(node)
            edges[node] = parents
            stack.extend(p for p in parents if type(p) is Node and p not in seen)
        nodes.sort(key=lambda n: n.seq)
        self.order = []
        for node in nodes:  # keep only entries that depend on an input
            if any(p is not None and p in reached for p in edges[node]):
                reached.add(node)
                self.order.append(node)
        self.reached = reached

    def push(self, tangents, batch: int | None = None) -> list:
        """Output tangents (raw arrays) for input ``tangents`` (raw arrays; with ``batch``,
        each has a leading dimension of that size). None marks a zero tangent."""
        tan = {e: t for e, t in zip(self.inputs, tangents) if t is not None}
        with lin.quiet_rules():
            for node in self.order:
                total = self._push_node(node, tan, batch)
                if total is not None:
                    tan[node] = total
        return [tan.get(o._node if o._node is not None else o) for o in self.outputs]

    def _push_node(self, node, tan, batch):
        parents = node.parents
        prim = node.prim
        args, out, params = _rule_inputs(node)
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

    def pullable(self) -> bool:
        """Whether ``pull`` gives what the engine would: no tensor hooks on the tape and
        no one watching each gradient (anomaly mode, a trace), which need them one by one."""
        return (_edge_hook() is None
                and all(node.extra is None or node.extra.hooks is None for node in self.order)
                and all(type(e) is Node or e._rare is None or e._rare.hooks is None
                        for e in self.inputs))

    def pull(self, cotangents) -> list:
        """Input cotangents for output ``cotangents`` (raw arrays, each with a leading
        batch dimension, of the same size for all; None marks a zero cotangent): a batch
        of vector-Jacobian products in one pass over the tape. An input the batch does
        not reach gets None."""
        reached = self.reached
        cts: dict = {}
        for o, c in zip(self.outputs, cotangents):
            edge = o._node if o._node is not None else o
            if c is not None and edge in reached:
                prev = cts.get(edge)
                cts[edge] = c if prev is None else prev + c
        pop = cts.pop
        with lin.quiet_rules():
            for node in reversed(self.order):  # decreasing seq, as the engine goes
                ct = pop(node, None)
                if ct is not None:
                    self._pull_node(node, ct, cts)
        return [cts.get(e) for e in self.inputs]

    def _pull_node(self, node, ct, cts):
        prim, meta, reached = node.prim, node.meta, self.reached
        args, out, params = _rule_inputs(node)
        for i, p in enumerate(node.parents):
            if p is None or p not in reached:
                continue
            m = input_map(prim, i, FAST, out, args, params)
            if m is None:
                continue
            g = _transpose_batched(m, ct)
            if meta is not None and meta[i] is not None:  # undo broadcasting, promotion
                shape, dtype = meta[i]
                g = _batched_sum_to(g, shape)
                if g.dtype != dtype:
                    g = FAST.astype(g, dtype)
            prev = cts.get(p)
            cts[p] = g if prev is None else prev + g


def _rule_inputs(node):
    """``(saved arguments, output, params)`` of a tape entry, as its rule takes them."""
    if node.parents is None:
        raise RuntimeError("the recorded tape was freed (by a backward pass without "
                           "retain_graph); evaluate the function again")
    if node.versions is None and node.out is None:
        args = node.saved
    else:
        args = _unpack_saved(node, False)  # checks in-place changes since the forward
    out = node.out if node.prim.save_out else None
    if type(out) is Packed:
        out = out.unpack()
    return args, out, node.params


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
        if batched is None or batched[0] is None:
            raise NotBatchable(kind.__name__)
        return batched[0](m, t, spec)
    return _aligned(t, spec) * m  # an elementwise multiplier broadcasts over the batch


def _transpose_batched(m, ct):
    """Pull the batch ``ct`` (shape ``(B, *out_shape)``) back through ``m``'s adjoint."""
    if m is lin.IDENTITY:
        return ct
    kind = type(m)
    if kind in lin.LINEAR_MAP_TYPES:
        batched = _BATCHED.get(kind)
        if batched is None or batched[1] is None:
            return _rows(m, ct)
        return batched[1](m, ct)
    # A multiplier broadcasts against the output, whose shape ct has after the batch axis.
    return ct * m if ct.dtype not in lin.COMPLEX_DTYPES else ct * lin.conj(FAST, m)


def _rows(m, ct):
    """``m.transpose`` of each row of ``ct``, stacked: the engine's own computation."""
    return np.stack([np.asarray(m.transpose(FAST, row)) for row in ct])


def _aligned(t, spec):
    """``t`` with singleton axes after the batch axis, up to the output's rank, so that
    an elementwise factor broadcasts against the input's own axes, never the batch's."""
    if spec is None:
        raise NotBatchable("an elementwise map of unknown output shape")
    missing = len(spec[0]) - (t.ndim - 1)
    return t.reshape(t.shape[:1] + (1,) * missing + t.shape[1:]) if missing > 0 else t


def _elementwise(m, t, spec):
    return m.apply(FAST, _aligned(t, spec))


def _elementwise_t(m, ct):
    return m.transpose(FAST, ct)  # ct has the output's full rank: factors broadcast right


def _shifted(axis, ndim):
    """Axis numbers of an unbatched array of ``ndim`` dimensions, after a batch axis."""
    if axis is None:
        return tuple(range(1, ndim + 1))
    axes = (axis,) if isinstance(axis, int) else axis
    return tuple(a % ndim + 1 for a in axes)


def _sum_axes(m, t, spec):
    return t.sum(axis=_shifted(m.axis, len(m.in_shape)), keepdims=m.keepdims)


def _sum_axes_t(m, ct):
    shape = tuple(m.in_shape)
    kept = lin.kept_shape(shape, m.axis)
    return np.broadcast_to(ct.reshape(ct.shape[:1] + kept), ct.shape[:1] + shape)


def _batched_broadcast_to(t, shape):
    shape = tuple(shape)
    return np.broadcast_to(_aligned(t, (shape,)), t.shape[:1] + shape)


def _batched_sum_to(t, shape):
    """``sum_to`` of each row of ``t``: broadcasting undone on the axes after the batch's."""
    shape = tuple(shape)
    if t.shape[1:] == shape:
        return t
    lead = t.ndim - 1 - len(shape)
    axes = tuple(range(1, 1 + lead)) + tuple(
        1 + lead + i for i, n in enumerate(shape) if n == 1 and t.shape[1 + lead + i] != 1)
    s = t.sum(axis=axes, keepdims=True) if axes else t
    return s.reshape(t.shape[:1] + shape)


def _reshape(m, t, spec):
    return t.reshape(t.shape[:1] + tuple(m.out_shape))


def _permute(m, t, spec):
    return t.transpose((0, *(a + 1 for a in m.axes)))


def _permute_t(m, ct):
    return ct.transpose((0, *(a + 1 for a in lin.inverse_permutation(m.axes))))


# Indexing: a basic index (ints, slices, None, ...) keeps the batch axis in front; an
# advanced one (integer or boolean arrays) moves it to the back, where no index reaches
# and where NumPy keeps an unindexed axis whatever it does with the indexed ones.


def _is_basic(index) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, slice, np.integer))
               for p in parts)


def _front(index):
    return (slice(None), *(index if isinstance(index, tuple) else (index,)))


def _back(index, ndim: int) -> tuple:
    """``index`` for an array of ``ndim`` dimensions with one more axis at the back: an
    Ellipsis is spelled out, so that it cannot stretch over that axis."""
    parts = index if isinstance(index, tuple) else (index,)
    if not any(p is Ellipsis for p in parts):
        return parts
    used = sum(0 if p is None or p is Ellipsis else
               p.ndim if isinstance(p, np.ndarray) and p.dtype == np.bool_ else 1 for p in parts)
    at = next(k for k, p in enumerate(parts) if p is Ellipsis)
    return (*parts[:at], *(slice(None),) * (ndim - used), *parts[at + 1:])


def _gather(t, index, shape):
    """``row[index]`` for each row of ``t`` (rows of ``shape``)."""
    if _is_basic(index):
        return t[_front(index)]
    return np.moveaxis(np.moveaxis(t, 0, -1)[_back(index, len(shape))], -1, 0)


def _scatter(t, index, shape):
    """Zeros of ``shape`` with each row of ``t`` added at ``index`` (the engine's
    ``index_scatter`` per row, repeated indices adding up in the same order)."""
    batch, shape = t.shape[0], tuple(shape)
    if _is_basic(index):
        out = np.zeros((batch, *shape), t.dtype)
        out[_front(index)] = t
        return out
    index = _back(index, len(shape))
    rows = np.moveaxis(t, 0, -1)
    if not _has_int_array(index):  # boolean masks hit each element once
        out = np.zeros((*shape, batch), t.dtype)
        out[index] = rows
        return np.moveaxis(out, -1, 0)
    if t[0].size > 1000 and t.dtype.kind == "f":  # as index_scatter: by flat position
        size = math.prod(shape)
        position = np.arange(size).reshape(shape)[index]
        bins = (position.reshape(1, -1) + size * np.arange(batch).reshape(-1, 1)).ravel()
        values = np.broadcast_to(t, (batch, *position.shape)).reshape(batch, -1).ravel()
        total = np.bincount(bins, values, batch * size)
        return total.reshape((batch, *shape)).astype(t.dtype, copy=False)
    out = np.zeros((*shape, batch), t.dtype)
    np.add.at(out, index, rows)
    return np.moveaxis(out, -1, 0)


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


def _matmul_with_t(m, ct):
    """``MatmulWith.transpose`` with a batch axis in front of matmul's own batch axes
    (the cotangent always has more axes than the other operand, so they never mix)."""
    other, shape, batch = m.other, tuple(m.shape), ct.shape[0]
    a_vec, b_vec = (len(shape), other.ndim) if m.left else (other.ndim, len(shape))
    a_vec, b_vec = a_vec == 1, b_vec == 1
    row = ct.shape[1:] + (1,) if b_vec else ct.shape[1:]
    if a_vec:
        row = row[:-1] + (1,) + row[-1:]
    ct = ct.reshape((batch, *row))
    other = lin.conj(FAST, other)
    if m.left:  # out = t @ b  ->  dt = ct @ b^T
        b = other.reshape(other.shape + (1,)) if b_vec else other
        promoted = (1,) + shape if a_vec else shape
        if b.ndim == 2:  # one matrix product for the whole batch
            dt = (ct.reshape(-1, ct.shape[-1]) @ b.T).reshape(ct.shape[:-1] + b.shape[:1])
        else:
            dt = ct @ np.swapaxes(b, -1, -2)
    else:  # out = a @ t  ->  dt = a^T @ ct
        a = other.reshape((1,) + other.shape) if a_vec else other
        promoted = shape + (1,) if b_vec else shape
        if a.ndim == 2:  # (ct^T @ a)^T: one matrix product for the whole batch
            rows = np.swapaxes(ct, -1, -2)
            dt = (rows.reshape(-1, rows.shape[-1]) @ a).reshape(rows.shape[:-1] + a.shape[1:])
            dt = np.swapaxes(dt, -1, -2)
        else:
            dt = np.swapaxes(a, -1, -2) @ ct
    return _batched_sum_to(dt, promoted).reshape((batch, *shape))


def _weight_map_t(m, ct):
    """``nn.functional.linear``'s weight adjoint ``g^T @ x`` (batch flattened), per row."""
    x = m.x
    rows = ct.reshape(ct.shape[0], -1, ct.shape[-1])
    return np.swapaxes(rows, 1, 2) @ x.reshape(-1, x.shape[-1])


def _axis_from_end(axis, ndim):
    """A row's axis counted from the end, which the batch axis in front does not shift."""
    return axis - ndim if axis >= 0 else axis


def _softmax_t(m, ct):  # self-adjoint: y * (ct - sum(y * ct, axis))
    y = m.y
    yt = y * ct
    return yt - y * yt.sum(_axis_from_end(m.axis, y.ndim), keepdims=True)


def _log_softmax_t(m, ct):  # ct - exp(y) * sum(ct, axis)
    y = m.y
    return ct - np.exp(y) * ct.sum(_axis_from_end(m.axis, y.ndim), keepdims=True)


def _compose(m, t, spec):
    return _apply_batched(m.second, _apply_batched(m.first, t, None), spec)


def _compose_t(m, ct):
    return _transpose_batched(m.first, _transpose_batched(m.second, ct))


_PAIR_ROWS = {
    "max_pool": lambda picks, t: picks.gather_rows(t),
    "max_pool_backward": lambda picks, ct: picks.scatter_rows(ct),
}
"""Batched forms of the primitives that ``AdjointPair`` maps name (the others go row by
row): ``name -> f(*params, rows)``."""


def _adjoint_pair(m, t, spec):
    rows = _PAIR_ROWS.get(m.forward)
    if rows is None:
        raise NotBatchable(m.forward)
    return rows(*m.params, t)


def _adjoint_pair_t(m, ct):
    rows = _PAIR_ROWS.get(m.backward)
    return _rows(m, ct) if rows is None else rows(*m.params, ct)


_BATCHED = {
    lin._Negate: (lambda m, t, spec: -t, lambda m, ct: -ct),
    lin.Scale: (_elementwise, _elementwise_t),
    lin.DivideBy: (_elementwise, _elementwise_t),
    lin.Mask: (_elementwise, _elementwise_t),
    lin.ReMul: (None, _elementwise_t),
    lin.SumAxes: (_sum_axes, _sum_axes_t),
    lin.BroadcastTo: (lambda m, t, spec: _batched_broadcast_to(t, m.out_shape),
                      lambda m, ct: _batched_sum_to(ct, m.in_shape)),
    lin.SumTo: (lambda m, t, spec: _batched_sum_to(t, m.out_shape),
                lambda m, ct: _batched_broadcast_to(ct, m.in_shape)),
    lin.Reshape: (_reshape, lambda m, ct: ct.reshape(ct.shape[:1] + tuple(m.in_shape))),
    lin.Permute: (_permute, _permute_t),
    lin.Take: (lambda m, t, spec: _gather(t, m.index, m.in_shape),
               lambda m, ct: _scatter(ct, m.index, m.in_shape)),
    lin.Embed: (lambda m, t, spec: _scatter(t, m.index, m.out_shape),
                lambda m, ct: _gather(ct, m.index, m.out_shape)),
    lin.MatmulWith: (_matmul_with, _matmul_with_t),
    lin.Compose: (_compose, _compose_t),
    _Cast: (lambda m, t, spec: m.apply(FAST, t), _elementwise_t),
    _WeightMap: (None, _weight_map_t),
    SoftmaxJacobian: (None, _softmax_t),
    LogSoftmaxJacobian: (None, _log_softmax_t),
    AdjointPair: (_adjoint_pair, _adjoint_pair_t),
}
"""The batched forms of each linear map class: ``(apply, transpose)``. A map missing
here, or a None, is replayed per direction (forward) or transposed row by row (reverse)."""
