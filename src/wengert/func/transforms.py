"""The function transforms: ``grad``, ``vjp``, ``jvp``, ``linearize``, the Jacobians,
``hessian`` and ``hvp`` (torch.func's names and signatures).

Reverse mode records ``f`` once and pulls cotangents back through the tape
(``Evaluation``); forward mode pushes tangents forward, either by replaying a recorded
tape (``Tape``: batched, ``f`` runs once) or, inside an enclosing transform, with dual
tensors of a fresh forward-mode level.
"""

from __future__ import annotations

import functools

import numpy as np

from .._tensor import _wrap
from ..autograd import forward_ad as fw
from ..autograd.engine import _cast
from ._core import Evaluation, as_input, as_output, kind_of, reaches_outside, to_kind
from ._replay import NotBatchable, ShapeLog, Tape
from ._tree import flatten, unflatten

_CHUNK = 256
"""Directions pushed (forward mode) or pulled (reverse mode) through the tape at once
(bounds the memory of a batched pass)."""


def _bound(f, kwargs):
    return functools.partial(f, **kwargs) if kwargs else f


def _detached(t):
    return t.detach() if t._requires_grad else t


def _ones(t):
    return _wrap(np.ones(t._data.shape, t._data.dtype))


# -- reverse mode -----------------------------------------------------------------------


def grad_and_value(f, argnums=0, has_aux: bool = False):
    """``f``'s gradient and value: ``(grad, value)``, or ``(grad, (value, aux))``.

    >>> import wengert as wg
    >>> g, v = wg.func.grad_and_value(lambda x: (x ** 2).sum())(wg.tensor([1.0, 2.0]))
    >>> g, v
    (tensor([2., 4.]), tensor(5.))
    """

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        ev = Evaluation(_bound(f, kwargs), args, argnums, has_aux, "grad")
        out = ev.outputs[0]
        if len(ev.outputs) != 1 or out._data.size != 1:
            shape = (f"shape {out.shape}" if len(ev.outputs) == 1
                     else f"a pytree of {len(ev.outputs)} arrays")
            raise RuntimeError(
                f"grad: the function must return a scalar (one element) to take its gradient, "
                f"but it returned {shape}. For a non-scalar output use wg.func.jacobian (every "
                "partial derivative) or wg.func.vjp (a vector-Jacobian product).")
        grads = ev.grads([_ones(out)], retain=False, create=ev.create)
        grads = unflatten(ev.in_spec, [ev.result(g) for g in grads])
        value = ev.value()
        return (grads, (value, ev.aux_value())) if has_aux else (grads, value)

    return wrapper


def grad(f, argnums=0, has_aux: bool = False):
    """The function computing the gradient of the scalar function ``f``.

    ``argnums`` (an int or a tuple) picks the arguments to differentiate; each may be
    a Tensor, a NumPy array, a Python number or a pytree (tuple, list, dict) of them.
    The gradient has the structure and array type of those arguments. Transforms nest:
    ``grad(grad(f))`` is the second derivative.

    >>> import wengert as wg
    >>> f = lambda x1, x2: wg.log(x1) + x1 * x2 - wg.sin(x2)
    >>> wg.func.grad(f, argnums=(0, 1))(2.0, 5.0)
    (5.5, 1.7163378145367738)
    >>> wg.func.grad(lambda x: x * wg.func.grad(lambda y: x + y)(1.0))(2.0)
    1.0
    """
    gv = grad_and_value(f, argnums, has_aux)

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        grads, value = gv(*args, **kwargs)
        return (grads, value[1]) if has_aux else grads

    return wrapper


def vjp(f, *primals, has_aux: bool = False):
    """``(f(*primals), vjp_fn)``: ``vjp_fn(cotangents)`` is ``cotangents^T J``, one entry
    per primal. ``cotangents`` has the structure of ``f``'s output; ``vjp_fn`` may be
    called many times.

    >>> import wengert as wg
    >>> out, vjp_fn = wg.func.vjp(wg.sin, wg.tensor([0.0, 1.0]))
    >>> vjp_fn(wg.ones(2))
    (tensor([1.0000, 0.5403]),)
    """
    if not primals:
        raise TypeError("vjp: pass at least one primal, as vjp(f, x)")
    ev = Evaluation(f, primals, tuple(range(len(primals))), has_aux, "vjp")

    def vjp_fn(*cotangents):
        if len(cotangents) == 1:
            cotangents = cotangents[0]
        leaves, spec = flatten(cotangents)
        if spec != ev.out_spec:
            raise RuntimeError(f"vjp_fn: expected cotangents with the structure of the "
                               f"function's output ({len(ev.outputs)} arrays), got "
                               f"{len(leaves)} arrays in another structure")
        cts = []
        for k, (c, o) in enumerate(zip(leaves, ev.outputs)):
            c = as_input(c, "vjp_fn", f"cotangent {k}")
            if c.shape != o.shape:
                raise RuntimeError(f"vjp_fn: cotangent {k} has shape {c.shape}, but output {k} "
                                   f"has shape {o.shape}; they must match")
            cts.append(c)
        create = ev.create or any(c._requires_grad or c._fw is not None for c in cts)
        grads = ev.grads(cts, retain=True, create=create)
        return unflatten(ev.in_spec, [ev.result(g, create) for g in grads])

    value = ev.value()
    return (value, vjp_fn, ev.aux_value()) if has_aux else (value, vjp_fn)


# -- forward mode -----------------------------------------------------------------------


def _flat_tangents(primals, tangents, op):
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(f"{op}: primals and tangents must be tuples of arguments, "
                        "e.g. jvp(f, (x,), (v,))")
    p_leaves, p_spec = flatten(tuple(primals))
    t_leaves, t_spec = flatten(tuple(tangents))
    if p_spec != t_spec:
        raise RuntimeError(f"{op}: the tangents must have the structure of the primals "
                           f"({len(p_leaves)} arrays), got {len(t_leaves)} arrays in another "
                           "structure")
    ps = [as_input(p, op, f"primal {k}") for k, p in enumerate(p_leaves)]
    ts = [as_input(t, op, f"tangent {k}") for k, t in enumerate(t_leaves)]
    for k, (p, t) in enumerate(zip(ps, ts)):
        if p.shape != t.shape:
            raise RuntimeError(f"{op}: tangent {k} has shape {t.shape}, but primal {k} has shape "
                               f"{p.shape}; each tangent must have its primal's shape")
    return ps, ts, p_spec, kind_of(p_leaves)


def jvp(f, primals, tangents, *, has_aux: bool = False):
    """``(f(*primals), J @ tangents)``: the Jacobian-vector product, in forward mode.

    >>> import wengert as wg
    >>> f = lambda x1, x2: wg.log(x1) + x1 * x2 - wg.sin(x2)
    >>> wg.func.jvp(f, (2.0, 5.0), (1.0, 0.0))[1]
    5.5
    """
    ps, ts, spec, kind = _flat_tangents(primals, tangents, "jvp")
    with fw.dual_level() as level:
        result = f(*unflatten(spec, [fw.make_dual(p, t, level=level) for p, t in zip(ps, ts)]))
        aux = None
        if has_aux:
            if not isinstance(result, tuple) or len(result) != 2:
                raise TypeError("jvp(has_aux=True): the function must return a pair (output, aux)")
            result, aux = result
        outs, out_spec = flatten(result)
        outs = [as_output(o, "jvp", f"output {k}") for k, o in enumerate(outs)]
        pairs = [fw.unpack_dual(o, level=level) for o in outs]
    values = [p for p, _ in pairs]
    derivs = [t if t is not None else _wrap(np.zeros(p._data.shape, p._data.dtype))
              for p, t in pairs]
    if not reaches_outside((*values, *derivs), ()):
        values = [to_kind(_detached(v), kind) for v in values]
        derivs = [to_kind(_detached(d), kind) for d in derivs]
    out = (unflatten(out_spec, values), unflatten(out_spec, derivs))
    return (*out, aux) if has_aux else out


def linearize(f, *primals):
    """``(f(*primals), jvp_fn)``: ``jvp_fn(*tangents)`` is ``J @ tangents`` at ``primals``.

    ``f`` runs once; each ``jvp_fn`` call pushes the tangents through the recorded
    tape without running ``f`` again.

    >>> import wengert as wg
    >>> out, jvp_fn = wg.func.linearize(lambda x: x ** 3, 2.0)
    >>> jvp_fn(1.0)
    12.0
    """
    if not primals:
        raise TypeError("linearize: pass at least one primal, as linearize(f, x)")
    shapes = ShapeLog()
    ev = Evaluation(f, primals, tuple(range(len(primals))), False, "linearize", shapes)
    tape = None if ev.create else Tape(_edges(ev), ev.outputs, shapes.shapes)

    def jvp_fn(*tangents):
        if tape is None:  # inside an enclosing transform: dual tensors, recorded
            return jvp(f, primals, tangents)[1]
        ps, ts, _, _ = _flat_tangents(primals, tangents, "linearize")
        raw = [t._data.astype(x._data.dtype, copy=False) for t, x in zip(ts, ev.inputs)]
        pushed = tape.push(raw)
        return unflatten(ev.out_spec, [
            to_kind(_wrap(d if d is not None else np.zeros(o._data.shape, o._data.dtype)),
                    ev.kind) for d, o in zip(pushed, ev.outputs)])

    return ev.value(), jvp_fn


def _edges(ev):
    return [x._node if x._node is not None else x for x in ev.inputs]


# -- Jacobians --------------------------------------------------------------------------

_MODES = ("auto", "forward", "reverse")


def jacobian(f, argnums=0, *, has_aux: bool = False, mode: str = "auto"):
    """The function computing ``f``'s Jacobian; ``mode="auto"`` picks the cheaper mode.

    Forward mode costs one Jacobian-vector product per input element, reverse mode one
    vector-Jacobian product per output element. ``"auto"`` evaluates ``f`` once
    (recorded), reads the sizes, and then uses forward mode when there are fewer inputs
    than outputs and reverse mode otherwise, reusing that evaluation either way.
    Each output's block has shape ``output.shape + input.shape``.

    >>> import wengert as wg
    >>> wg.func.jacobian(lambda x: x * x)(wg.tensor([1.0, 2.0]))
    tensor([[2., 0.],
            [0., 4.]])
    """
    if mode not in _MODES:
        raise ValueError(f"jacobian: mode must be one of {_MODES}, got {mode!r}")

    @functools.wraps(f)
    def wrapper(*args, **kwargs):
        shapes = ShapeLog() if mode != "reverse" else None
        op = {"auto": "jacobian", "forward": "jacfwd", "reverse": "jacrev"}[mode]
        ev = Evaluation(_bound(f, kwargs), args, argnums, has_aux, op, shapes)
        chosen = mode
        if mode == "auto":
            n = sum(x._data.size for x in ev.inputs)
            m = sum(o._data.size for o in ev.outputs)
            chosen = "forward" if n < m else "reverse"
        if chosen == "reverse":
            blocks = _reverse_blocks(ev)
        elif ev.create:
            blocks = _dual_blocks(_bound(f, kwargs), args, argnums, ev)
        else:
            blocks = _replay_blocks(ev, shapes.shapes)
        jac = unflatten(ev.out_spec, [unflatten(ev.in_spec, [ev.result(b) for b in row])
                                      for row in blocks])
        return (jac, ev.aux_value()) if has_aux else jac

    return wrapper


def jacrev(f, argnums=0, *, has_aux: bool = False):
    """The Jacobian of ``f`` in reverse mode: one recorded evaluation, then the output
    directions pulled back through its tape together (a batch of cotangents).

    >>> import wengert as wg
    >>> wg.func.jacrev(lambda x: x.sum() * x)(wg.tensor([1.0, 2.0]))
    tensor([[4., 1.],
            [2., 5.]])
    """
    return jacobian(f, argnums, has_aux=has_aux, mode="reverse")


def jacfwd(f, argnums=0, *, has_aux: bool = False):
    """The Jacobian of ``f`` in forward mode: one recorded evaluation, then the input
    directions pushed through its tape together (a batch of tangents).

    >>> import wengert as wg
    >>> wg.func.jacfwd(lambda x: x.sum() * x)(wg.tensor([1.0, 2.0]))
    tensor([[4., 1.],
            [2., 5.]])
    """
    return jacobian(f, argnums, has_aux=has_aux, mode="forward")


def _assemble(columns_or_rows, out, x, rows: bool, create: bool):
    """A block ``out.shape + x.shape`` from rows (reverse) or columns (forward)."""
    if create:
        from ..ops.shape import stack

        stacked = stack(columns_or_rows)  # (k, ...)
        if not rows:
            stacked = stacked.reshape(x._data.size, out._data.size).t()
        return stacked.reshape(out.shape + x.shape)
    stacked = np.stack(columns_or_rows)
    if not rows:
        stacked = stacked.reshape(x._data.size, out._data.size).T
    return _wrap(np.ascontiguousarray(stacked).reshape(out.shape + x.shape))


def _zero_block(out, x):
    return _wrap(np.zeros(out.shape + x.shape, np.result_type(out._data.dtype, x._data.dtype)))


def _reverse_blocks(ev) -> list:
    """Reverse-mode Jacobian blocks: all output directions pulled back through the
    recorded tape together (``Tape.pull``, in chunks of ``_CHUNK`` rows), or, where that
    cannot stand for the engine (inside an enclosing transform, hooks on the tape), one
    recorded backward pass per output element."""
    if not ev.create:
        tape = Tape(_edges(ev), ev.outputs, {})
        if tape.pullable():
            return _pulled_blocks(ev, tape)
    return _row_blocks(ev)


def _pulled_blocks(ev, tape) -> list:
    outs, inputs = ev.outputs, ev.inputs
    # The rows of all outputs one after another (output k's rows: starts[k] to ends[k]),
    # cut in chunks: a chunk may span several outputs.
    sizes = [o._data.size if o._requires_grad else 0 for o in outs]
    ends = np.cumsum(sizes).tolist()
    starts = [e - n for e, n in zip(ends, sizes)]
    pieces = [[[] for _ in inputs] for _ in outs]  # per output and input: (k, *x.shape)
    total = ends[-1]
    for lo in range(0, total, _CHUNK):
        hi = min(lo + _CHUNK, total)
        seeds, spans = [], []
        for o, start, end in zip(outs, starts, ends):
            a, b = max(start, lo), min(end, hi)
            spans.append((a, b))
            seed = None
            if a < b:
                seed = np.zeros((hi - lo, o._data.size), o._data.dtype)
                seed[np.arange(a - lo, b - lo), np.arange(a - start, b - start)] = 1
                seed = seed.reshape((hi - lo, *o.shape))
            seeds.append(seed)
        pulled = tape.pull(seeds)
        for k, (a, b) in enumerate(spans):
            if a >= b:
                continue
            for i, (g, x) in enumerate(zip(pulled, inputs)):
                data = x._data
                if g is None:
                    g = np.zeros((b - a, *data.shape), data.dtype)
                else:
                    g = g[a - lo:b - lo]
                    if g.dtype != data.dtype:
                        g = _cast(g, data.dtype)
                pieces[k][i].append(g)
    blocks = []
    for k, o in enumerate(outs):
        if not sizes[k]:
            blocks.append([_zero_block(o, x) for x in inputs])
            continue
        blocks.append([_wrap(np.concatenate(p).reshape(o.shape + x.shape))
                       for p, x in zip(pieces[k], inputs)])
    return blocks


def _row_blocks(ev) -> list:
    """Reverse-mode Jacobian blocks, one recorded backward pass per output element."""
    from ..autograd.engine import grad

    blocks = []
    for out in ev.outputs:
        if not out._requires_grad:
            blocks.append([_zero_block(out, x) for x in ev.inputs])
            continue
        rows = [[] for _ in ev.inputs]
        seed = np.zeros(out._data.size, out._data.dtype)
        for j in range(out._data.size):
            seed[j] = 1
            ct = _wrap(seed.reshape(out.shape).copy())
            seed[j] = 0
            gs = grad(out, ev.inputs, ct, retain_graph=True, create_graph=ev.create,
                      allow_unused=True)
            for i, (g, x) in enumerate(zip(gs, ev.inputs)):
                if g is None:
                    g = _wrap(np.zeros(x._data.shape, x._data.dtype))
                rows[i].append(g if ev.create else g._data)
        blocks.append([_assemble(r, out, x, True, ev.create) for r, x in zip(rows, ev.inputs)])
    return blocks


def _replay_blocks(ev, shapes) -> list:
    tape = Tape(_edges(ev), ev.outputs, shapes)
    blocks = [[None] * len(ev.inputs) for _ in ev.outputs]
    for i, x in enumerate(ev.inputs):
        n, dtype = x._data.size, x._data.dtype
        columns = [[] for _ in ev.outputs]  # per output: (k, *out.shape) chunks
        for start in range(0, n, _CHUNK):
            size = min(_CHUNK, n - start)
            basis = np.zeros((size, n), dtype)
            basis[np.arange(size), start + np.arange(size)] = 1
            tangents = [None] * len(ev.inputs)
            tangents[i] = basis.reshape((size, *x.shape))
            try:
                pushed = tape.push(tangents, batch=size)
            except NotBatchable:
                pushed = _one_by_one(tape, tangents, i, size)
            for k, (d, o) in enumerate(zip(pushed, ev.outputs)):
                columns[k].append(np.zeros((size, *o.shape), o._data.dtype) if d is None else d)
        for k, o in enumerate(ev.outputs):
            cols = np.concatenate(columns[k]).reshape(n, o._data.size)
            blocks[k][i] = _wrap(np.ascontiguousarray(cols.T).reshape(o.shape + x.shape))
    return blocks


def _one_by_one(tape, tangents, i, size):
    """``tape.push`` of a batch, one direction at a time (a map has no batched form)."""
    per = []
    for j in range(size):
        single = list(tangents)
        single[i] = tangents[i][j]
        per.append(tape.push(single))
    return [None if per[0][k] is None else np.stack([p[k] for p in per])
            for k in range(len(per[0]))]


def _dual_blocks(f, args, argnums, ev) -> list:
    """Forward-mode Jacobian blocks inside an enclosing transform: one dual evaluation
    per input element, recorded so that the result stays differentiable."""
    originals = flatten(args[argnums] if isinstance(argnums, int)
                        else tuple(args[n] for n in argnums))[0]
    nums = (argnums,) if isinstance(argnums, int) else argnums

    def g(*flat):
        call = list(args)
        tree = unflatten(ev.in_spec, flat)
        for j, n in enumerate(nums):
            call[n % len(args)] = tree if isinstance(argnums, int) else tree[j]
        result = f(*call)
        return result[0] if ev.aux is not None else result

    primals = tuple(as_input(p, "jacfwd", "an input") for p in originals)
    columns = [[[] for _ in ev.inputs] for _ in ev.outputs]
    for i, x in enumerate(primals):
        for j in range(x._data.size):
            e = np.zeros(x._data.size, x._data.dtype)
            e[j] = 1
            tangents = tuple(_wrap(np.zeros(p._data.shape, p._data.dtype)) for p in primals)
            tangents = (*tangents[:i], _wrap(e.reshape(x.shape)), *tangents[i + 1:])
            _, derivs = jvp(g, primals, tangents)
            for k, d in enumerate(flatten(derivs)[0]):
                d = as_output(d, "jacfwd", f"output {k}")
                columns[k][i].append(d)
    return [[_assemble(columns[k][i], o, x, False, True) for i, x in enumerate(primals)]
            for k, o in enumerate(ev.outputs)]


# -- second order -----------------------------------------------------------------------


def hessian(f, argnums=0):
    """The Hessian of the scalar function ``f``: forward mode over reverse mode
    (``jacfwd(jacrev(f))``).

    >>> import wengert as wg
    >>> wg.func.hessian(lambda x: (x ** 3).sum())(wg.tensor([1.0, 2.0]))
    tensor([[ 6.,  0.],
            [ 0., 12.]])
    """
    return jacfwd(jacrev(f, argnums), argnums)


def hvp(f, primals, tangents):
    """The Hessian-vector product ``H(primals) @ tangents`` of the scalar function ``f``
    (forward over reverse), with the structure of ``primals``.

    >>> import wengert as wg
    >>> wg.func.hvp(lambda x: (x ** 3).sum(), (wg.tensor([1.0, 2.0]),), (wg.ones(2),))
    (tensor([ 6., 12.]),)
    """
    if not isinstance(primals, (tuple, list)):
        raise TypeError("hvp: primals and tangents must be tuples, e.g. hvp(f, (x,), (v,))")
    gradient = grad(f, argnums=tuple(range(len(primals))))
    return jvp(gradient, tuple(primals), tuple(tangents))[1]


__all__ = ["grad", "grad_and_value", "vjp", "jvp", "linearize", "jacrev", "jacfwd",
           "jacobian", "hessian", "hvp"]
