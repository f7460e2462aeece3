"""Tensor contractions: ``einsum`` (one primitive whose derivative is another einsum),
and the products built on it or on ``matmul``: tensordot, inner, outer, vdot, kron, cross.

The ``einsum`` primitive sees only *plain* subscripts: explicit output, no
ellipsis, no label repeated within an operand, no label of size 1 broadcast
against a larger one. The public function reduces every equation to that form
with differentiable shape ops (ellipses become letters, a repeated label takes
a diagonal by indexing, a broadcast label is squeezed away), and splits three
or more operands into pairwise contractions in a greedy order. In plain form the
derivative in operand ``i`` is exact and simple: the same einsum with the
tangent in place of operand ``i``, and its adjoint the einsum of the cotangent
with the other operands, broadcast over the labels only operand ``i`` has.
"""

from __future__ import annotations

import functools
import math
import string

import numpy as np

from .._primitive import VALUE, Primitive, bind
from .._tensor import Tensor
from ..autograd.linear import LinearMap
from ._registry import method, tensor_arg

__all__ = [
    "cross",
    "einsum",
    "ger",
    "inner",
    "kron",
    "outer",
    "tensordot",
    "vdot",
]

_BLAS_WORTHY = 1 << 12
"""Above this many multiply-adds a two-operand einsum asks NumPy for an optimized path
(tensordot, that is BLAS); below it the plain C loop is faster than planning."""


@functools.lru_cache(maxsize=1024)
def _parse(spec: str):
    """``"ab,bc->ac"`` as ``(("ab", "bc"), "ac")``."""
    ins, out = spec.split("->")
    return tuple(ins.split(",")), out


def _einsum(*arrays_and_spec):
    *arrays, spec = arrays_and_spec
    ins, out = _parse(spec)
    sizes = {}
    for labels, a in zip(ins, arrays):
        sizes.update(zip(labels, a.shape))
    optimize = len(arrays) > 1 and math.prod(sizes.values()) > _BLAS_WORTHY
    return np.asarray(np.einsum(spec, *arrays, optimize=optimize))


class EinsumWith(LinearMap):
    """``t -> einsum(spec, ..., t, ...)`` with ``t`` as operand ``i`` (plain subscripts).

    The adjoint contracts the cotangent with the other operands into operand
    ``i``'s labels; labels that only operand ``i`` has were summed away, so the
    cotangent is broadcast along them.
    """

    __slots__ = ("spec", "i", "operands", "shape")

    def __init__(self, spec, i, operands, shape):
        self.spec, self.i, self.operands, self.shape = spec, i, operands, shape

    def apply(self, ns, t):
        ops = list(self.operands)
        ops[self.i] = t
        return ns.einsum(*ops, self.spec)

    def transpose(self, ns, ct):
        ins, out = _parse(self.spec)
        mine = ins[self.i]
        others = [lab for k, lab in enumerate(ins) if k != self.i]
        known = set(out).union(*others)
        kept = "".join(c for c in mine if c in known)
        spec = ",".join([out, *others]) + "->" + kept
        g = ns.einsum(ct, *(op for k, op in enumerate(self.operands) if k != self.i), spec)
        if kept != mine:
            g = ns.reshape(g, tuple(n if c in known else 1 for c, n in zip(mine, self.shape)))
            g = ns.broadcast_to(g, self.shape)
        return g


def _einsum_rule(ns, i, out, *operands_and_spec):
    *operands, spec = operands_and_spec
    return EinsumWith(spec, i, tuple(operands), operands[i].shape)


einsum_p = Primitive("einsum", _einsum, save=VALUE, n_params=1, rule=_einsum_rule)


# -- the public einsum ----------------------------------------------------------


def einsum(equation: str, *operands) -> Tensor:
    """Einstein summation, as ``torch.einsum``: ``einsum("ij,jk->ik", a, b)``.

    Ellipses, repeated labels (diagonals, traces), implicit outputs (the labels
    seen once, in alphabetical order) and size-1 broadcasting are supported.
    Three or more operands are contracted pairwise in a greedy order (the
    pair whose result is smallest relative to its inputs first).

    >>> import wengert as wg
    >>> a = wg.ones(2, 3, requires_grad=True)
    >>> wg.einsum("ij,ij->i", a, a)
    tensor([3., 3.], grad_fn=<EinsumBackward #...>)
    >>> wg.einsum("ii", wg.eye(3))  # a trace
    tensor(3.)
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    tensors = [tensor_arg(t) for t in operands]
    if not tensors:
        raise RuntimeError("einsum: expected at least one operand")
    dtype = np.result_type(*(t.dtype for t in tensors))
    tensors = [t if t.dtype == dtype else t.to(dtype) for t in tensors]
    ins, out = _normalize(equation, [t.shape for t in tensors])
    tensors, ins = _plain_operands(equation, tensors, ins, out)
    return _contract(tensors, ins, out)


_LETTERS = string.ascii_letters


def _normalize(equation: str, shapes):
    """Subscripts with ellipses spelled out as letters and an explicit output."""
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise RuntimeError(f"einsum: the equation {equation!r} has {len(terms)} operand(s) "
                           f"but {len(shapes)} tensor(s) were given")
    for c in eq:
        if c not in _LETTERS and c not in ".,->":
            raise RuntimeError(f"einsum: invalid subscript {c!r} in {equation!r}; use letters "
                               "a-z, A-Z and '...'")
    free = [c for c in _LETTERS if c not in eq]
    n_ellipsis = 0
    for k, (term, shape) in enumerate(zip(terms, shapes)):
        explicit = len(term.replace("...", ""))
        if "..." in term:
            n_ellipsis = max(n_ellipsis, len(shape) - explicit)
        if (len(shape) < explicit) if "..." in term else len(shape) != explicit:
            raise RuntimeError(f"einsum: operand {k} has shape {shape}, but its subscripts "
                               f"{term!r} name {explicit} dimension(s)")
    batch = "".join(free[:n_ellipsis])
    ins = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            k = len(shape) - len(term.replace("...", ""))
            term = term.replace("...", batch[n_ellipsis - k:])
        ins.append(term)
    if arrow:
        out = rhs.replace("...", batch)  # without '...' there, the ellipsis dims are summed
    else:
        counts = {}
        for term in ins:
            for c in term:
                counts[c] = counts.get(c, 0) + 1
        out = batch + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in batch))
    seen = set("".join(ins))
    for c in out:
        if c not in seen:
            raise RuntimeError(f"einsum: output subscript {c!r} in {equation!r} does not "
                               "appear in any operand")
    if len(set(out)) != len(out):
        raise RuntimeError(f"einsum: output subscripts in {equation!r} repeat a label")
    return ins, out


def _plain_operands(equation, tensors, ins, out):
    """Diagonals for repeated labels, size-1 broadcast labels squeezed away, sizes checked."""
    from .index import _getitem_method
    from .shape import permute, reshape

    sizes = {}
    for term, t in zip(ins, tensors):
        for c, n in zip(term, t.shape):
            if n != 1:
                if sizes.get(c, n) != n:
                    raise RuntimeError(f"einsum: label {c!r} of {equation!r} has sizes "
                                       f"{sizes[c]} and {n} in different places; sizes must "
                                       "match or be 1 (broadcast)")
                sizes[c] = n
    plain_tensors, plain_ins = [], []
    for term, t in zip(ins, tensors):
        for c in [c for c in dict.fromkeys(term) if term.count(c) > 1]:
            where = [k for k, d in enumerate(term) if d == c]
            n = t.shape[where[0]]
            if any(t.shape[k] != n for k in where):
                raise RuntimeError(f"einsum: the repeated label {c!r} of {equation!r} takes a "
                                   f"diagonal, but its dimensions differ in shape {t.shape}")
            rest = [k for k in range(len(term)) if k not in where]
            t = permute(t, rest + where)
            ar = np.arange(n)
            t = _getitem_method(t, (Ellipsis, *([ar] * len(where))))
            term = "".join(term[k] for k in rest) + c
        squeeze = [k for k, c in enumerate(term) if t.shape[k] == 1 and sizes.get(c, 1) != 1]
        if squeeze:
            t = reshape(t, tuple(n for k, n in enumerate(t.shape) if k not in squeeze))
            term = "".join(c for k, c in enumerate(term) if k not in squeeze)
        plain_tensors.append(t)
        plain_ins.append(term)
    return plain_tensors, plain_ins


def _contract(tensors, ins, out):
    """Pairwise contractions in greedy order, then the final one into ``out``."""
    tensors, ins = list(tensors), list(ins)
    while len(tensors) > 2:
        i, j, kept = _greedy_pair(tensors, ins, out)
        spec = f"{ins[i]},{ins[j]}->{kept}"
        merged = bind(einsum_p, (tensors[i], tensors[j]), (spec,))
        for k in (j, i):
            del tensors[k], ins[k]
        tensors.append(merged)
        ins.append(kept)
    spec = ",".join(ins) + "->" + out
    if len(tensors) == 1 and ins[0] == out:
        return tensors[0]
    return bind(einsum_p, tuple(tensors), (spec,))


def _greedy_pair(tensors, ins, out):
    """The pair to contract next: the smallest result relative to the inputs it replaces
    (opt_einsum's greedy cost), ties broken by fewer multiply-adds."""
    sizes = {}
    for term, t in zip(ins, tensors):
        sizes.update(zip(term, t.shape))
    best = None
    for i in range(len(ins)):
        for j in range(i + 1, len(ins)):
            needed = set(out).union(*(ins[k] for k in range(len(ins)) if k not in (i, j)))
            union = ins[i] + "".join(c for c in ins[j] if c not in ins[i])
            kept = "".join(c for c in union if c in needed)
            size = math.prod(sizes[c] for c in kept)
            cost = (size - math.prod(tensors[i].shape) - math.prod(tensors[j].shape),
                    math.prod(sizes[c] for c in union))
            if best is None or cost < best[0]:
                best = (cost, i, j, kept)
    return best[1], best[2], best[3]


# -- products built on einsum and matmul -------------------------------------------


def tensordot(a, b, dims=2) -> Tensor:
    """Sum of products over ``dims``: the last ``dims`` dimensions of ``a`` with the first
    of ``b`` (an int), or the listed dimensions ``([a dims], [b dims])``.

    >>> import wengert as wg
    >>> wg.tensordot(wg.ones(2, 3, 4), wg.ones(3, 4, 5)).shape
    (2, 5)
    """
    a, b = tensor_arg(a), tensor_arg(b)
    if isinstance(dims, int):
        if dims < 0 or dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot: dims={dims} must be in [0, {min(a.ndim, b.ndim)}] "
                               f"for shapes {a.shape} and {b.shape}")
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = ([d] if isinstance(d, int) else list(d) for d in dims)
    if len(da) != len(db):
        raise RuntimeError(f"tensordot: {len(da)} dimensions of a but {len(db)} of b to contract")
    la, lb = _LETTERS[:a.ndim], _LETTERS[a.ndim:a.ndim + b.ndim]
    lb = list(lb)
    for x, y in zip(da, db):
        if not (-a.ndim <= x < a.ndim and -b.ndim <= y < b.ndim):
            raise IndexError(f"tensordot: dimension pair ({x}, {y}) out of range for shapes "
                             f"{a.shape} and {b.shape}")
        if a.shape[x] != b.shape[y]:
            raise RuntimeError(f"tensordot: contracted dimensions {x} of a (size {a.shape[x]}) "
                               f"and {y} of b (size {b.shape[y]}) differ; shapes {a.shape} and "
                               f"{b.shape}")
        lb[y % b.ndim] = la[x % a.ndim]
    lb = "".join(lb)
    keep = "".join(c for c in la if c not in lb) + "".join(c for c in lb if c not in la)
    return einsum(f"{la},{lb}->{keep}", a, b)


@method()
def inner(input, other) -> Tensor:  # noqa: A002
    """Sum of products over the last dimension of both (a number times a tensor for 0-d).

    >>> import wengert as wg
    >>> wg.inner(wg.tensor([1.0, 2.0]), wg.tensor([3.0, 4.0]))
    tensor(11.)
    """
    a, b = tensor_arg(input), tensor_arg(other)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    return tensordot(a, b, ([-1], [-1]))


@method("outer", "ger")
def outer(input, vec2) -> Tensor:  # noqa: A002
    """Outer product of two vectors, ``out[i, j] = input[i] * vec2[j]`` (alias ``ger``).

    >>> import wengert as wg
    >>> wg.outer(wg.tensor([1.0, 2.0]), wg.tensor([1.0, 0.0, -1.0])).shape
    (2, 3)
    """
    a, b = tensor_arg(input), tensor_arg(vec2)
    if a.ndim != 1 or b.ndim != 1:
        raise RuntimeError(f"outer: expected two 1-D tensors, got shapes {a.shape} and {b.shape}")
    return a.reshape(a.shape[0], 1) * b


ger = outer


@method()
def vdot(input, other) -> Tensor:  # noqa: A002
    """Dot product of two vectors (the first is conjugated, which matters for complex).

    >>> import wengert as wg
    >>> wg.vdot(wg.tensor([1.0, 2.0]), wg.tensor([3.0, 4.0]))
    tensor(11.)
    """
    a, b = tensor_arg(input), tensor_arg(other)
    if a.ndim != 1 or b.ndim != 1 or a.shape != b.shape:
        raise RuntimeError(f"vdot: expected two 1-D tensors of the same length, got shapes "
                           f"{a.shape} and {b.shape}")
    if a.dtype.kind == "c" or b.dtype.kind == "c":
        # conj(a) . b (NumPy's and PyTorch's vdot); not einsum, whose complex gradient
        # lacks the conjugation (reported)
        return (a.conj() * b).sum()
    return einsum("i,i->", a, b)


@method()
def kron(input, other) -> Tensor:  # noqa: A002
    """Kronecker product: blocks ``input[i, j] * other`` (any number of dimensions).

    >>> import wengert as wg
    >>> wg.kron(wg.eye(2), wg.ones(2, 3)).shape
    (4, 6)
    """
    a, b = tensor_arg(input), tensor_arg(other)
    nd = max(a.ndim, b.ndim)
    sa, sb = (1,) * (nd - a.ndim) + a.shape, (1,) * (nd - b.ndim) + b.shape
    # a[i0, 1, i1, 1, ...] * b[1, j0, 1, j1, ...] -> a block (i, j) holding a[i] * b
    a = a.reshape(tuple(x for n in sa for x in (n, 1)))
    b = b.reshape(tuple(x for n in sb for x in (1, n)))
    return (a * b).reshape(tuple(m * n for m, n in zip(sa, sb)))


@method()
def cross(input, other, dim=None) -> Tensor:  # noqa: A002
    """Cross product of 3-vectors along ``dim`` (default: the first dimension of size 3,
    as ``torch.cross``; ``wg.linalg.cross`` defaults to the last). Broadcasts.

    >>> import wengert as wg
    >>> wg.cross(wg.tensor([1.0, 0.0, 0.0]), wg.tensor([0.0, 1.0, 0.0]))
    tensor([0., 0., 1.])
    """
    a, b = tensor_arg(input), tensor_arg(other)
    try:
        shape = np.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise RuntimeError(f"cross: shapes {a.shape} and {b.shape} do not broadcast") from None
    if dim is None:
        dim = next((k for k, n in enumerate(shape) if n == 3), None)
        if dim is None:
            raise RuntimeError(f"cross: no dimension of size 3 in shape {shape}")
    if not -len(shape) <= dim < len(shape):
        raise IndexError(f"cross: dim {dim} out of range for shape {shape}")
    dim %= len(shape)
    if shape[dim] != 3:
        raise RuntimeError(f"cross: dimension {dim} has size {shape[dim]}, expected 3 "
                           f"(shapes {a.shape} and {b.shape})")
    a, b = a.broadcast_to(shape), b.broadcast_to(shape)
    before = (slice(None),) * dim

    def rolled(t, order):
        return t[(*before, np.array(order))]

    return (rolled(a, [1, 2, 0]) * rolled(b, [2, 0, 1])
            - rolled(a, [2, 0, 1]) * rolled(b, [1, 2, 0]))
