"""The reverse-mode engine: walk the tape backwards, applying each rule's adjoint.

Iterative throughout (a million-op chain needs no recursion). Nodes are
processed in decreasing creation order, which is a reverse topological order
because a node's inputs always exist before it; that order also fixes the order
in which contributions to a reused value are summed, so results are
reproducible bit for bit. A node's cotangent is complete when its turn comes,
because every node that consumes it was created later and has run already.
"""

from __future__ import annotations

import sys
from heapq import heapify, heappop, heappush, heapreplace
from operator import attrgetter

import numpy as np
from numpy import ndarray

from .._backend import ONES
from .._primitive import DIFF, FAST
from .._tensor import TENSOR_TYPES, _wrap, bump_version
from .grad_mode import _mode, _set_enabled
from .graph import Packed, PackedVersions
from .linear import (
    COMPLEX_DTYPES,
    IDENTITY,
    KNOWN_RULES,
    LINEAR_MAP_TYPES,
    NEGATE,
    REAL_SCALAR_TYPES,
    conj,
    enter_quiet,
    exit_quiet,
)
from .node import Node, last_change

_by_seq = attrgetter("seq")
_loaded = sys.modules

_IN_PLACE_SIZE = 16384
"""Gradient sums of at least this many elements are added in place into the engine's own
array: no fresh allocation (and page faults) per contribution. Smaller ones are added
out of place, which costs less than the bookkeeping on tiny arrays."""


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate gradients of ``tensors`` into the ``.grad`` of leaves (``Tensor.backward``)."""
    tensors = _as_tuple(tensors)
    targets = None if inputs is None else _as_tuple(inputs)
    if targets is not None and not targets:
        raise RuntimeError("backward(inputs=...) got an empty sequence of inputs")
    _run(tensors, grad_tensors, retain_graph, create_graph, targets, accumulate=True,
         allow_unused=True, caller="backward")


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         allow_unused=False):
    """The gradients of ``outputs`` with respect to ``inputs``, returned (not accumulated).

    The seeds' ``grad(l, [x, y])`` and PyTorch's ``torch.autograd.grad``.

    Args:
        outputs: a tensor or sequence of tensors to differentiate.
        inputs: a tensor or sequence of tensors (leaves or intermediate results).
        grad_outputs: cotangents for the outputs; may be omitted for outputs
            with one element.
        retain_graph: keep the tape for another pass (defaults to ``create_graph``).
        create_graph: record this pass so the result can be differentiated again.
        allow_unused: return ``None`` for an input the outputs do not depend on,
            instead of raising.

    >>> import wengert as wg
    >>> x = wg.tensor(2.0, dtype=wg.float64, requires_grad=True)
    >>> y = wg.tensor(5.0, dtype=wg.float64, requires_grad=True)
    >>> f = wg.log(x) + x * y - wg.sin(y)
    >>> dx, dy = wg.grad(f, [x, y])
    >>> float(dx), float(dy)
    (5.5, 1.7163378145367738)
    """
    inputs = _as_tuple(inputs)
    if not inputs:
        raise RuntimeError("grad() got an empty sequence of inputs")
    for i, t in enumerate(inputs):
        if not t._requires_grad:
            raise RuntimeError(
                f"grad(): input {i} (shape {t.shape}) does not require grad. Create it with "
                "requires_grad=True (or call .requires_grad_()) before computing the outputs."
            )
    return _run(_as_tuple(outputs), grad_outputs, retain_graph, create_graph, inputs,
                accumulate=False, allow_unused=allow_unused, caller="grad")


def _as_tuple(x) -> tuple:
    if type(x) in TENSOR_TYPES:
        return (x,)
    if isinstance(x, (list, tuple)):
        for i, t in enumerate(x):
            if type(t) not in TENSOR_TYPES:
                raise TypeError(f"expected a sequence of Tensors, element {i} is "
                                f"{type(t).__name__}")
        return tuple(x)
    raise TypeError(f"expected a Tensor or a sequence of Tensors, got {type(x).__name__}")


def _seeds(outputs, grad_outputs, create_graph, caller):
    """Validate outputs and their cotangents; return ``[(edge, cotangent)]``."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    else:
        single = type(grad_outputs) in TENSOR_TYPES or isinstance(grad_outputs, np.ndarray)
        grad_outputs = (grad_outputs,) if single else tuple(grad_outputs)
        if len(grad_outputs) != len(outputs):
            raise RuntimeError(f"{caller}: got {len(grad_outputs)} gradients for "
                               f"{len(outputs)} outputs")
    seeds = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not out._requires_grad:
            raise RuntimeError(
                f"{caller}: element {i} of the outputs does not require grad and has no "
                "grad_fn: nothing that requires grad was used to compute it (or it was "
                "computed under no_grad)."
            )
        if g is None:
            if out._data.dtype.kind == "c":
                raise RuntimeError(
                    f"{caller}: grad can be implicitly created only for real outputs, but "
                    f"output {i} has dtype {out.dtype}. Differentiate a real loss (e.g. "
                    "y.abs().sum() or y.real.sum()), or pass the cotangent explicitly.")
            if out._data.size != 1:
                raise RuntimeError(
                    f"{caller}: grad can be implicitly created only for outputs with one "
                    f"element, but output {i} has shape {out.shape}. Pass the cotangent, e.g. "
                    f"y.backward(gradient=wg.ones_like(y)), or reduce first (y.sum().backward())."
                )
            g = _ones(out._data)  # (its shape is right: no check below)
            seeds.append((out._node or out, _wrap(g) if create_graph else g))
            continue
        if type(g) not in TENSOR_TYPES:
            g = _wrap(np.asarray(g, dtype=out._data.dtype))
        elif g.dtype != out.dtype:
            g = g.to(out.dtype)  # the cotangent takes the output's dtype
        if g.shape != out.shape:
            raise RuntimeError(
                f"{caller}: the gradient for output {i} has shape {g.shape}, but the output "
                f"has shape {out.shape}; they must match."
            )
        seeds.append((out._node or out, g if create_graph else g._data))
    return seeds


def _ones(data):
    """A fresh array of ones shaped and typed as ``data`` (the seed may be handed out
    and changed in place, by a hook or as a ``.grad``: never a shared one). A scalar
    output's seed is a copy of the shared 0-d one: ``np.ones`` costs seven times as
    much, paid on every ``loss.backward()``."""
    if data.shape:
        return np.ones(data.shape, data.dtype)
    return ONES[data.dtype].copy()


def _collect(roots, caller) -> list[Node]:
    """Every node reachable from ``roots``, in reverse topological order."""
    seen = set()
    add = seen.add
    stack = [r for r in roots if type(r) is Node]
    push, pop = stack.append, stack.pop
    while stack:
        node = pop()
        ps = node.ps
        if type(ps) is int:  # the parents inline (see Node)
            p = node.p0
            if type(p) is Node and p not in seen:
                add(p)
                push(p)
            if ps == 2:
                p = node.p1
                if type(p) is Node and p not in seen:
                    add(p)
                    push(p)
            continue
        if ps is None:
            raise _freed_error(node, caller)
        for p in ps:
            if type(p) is Node and p not in seen:
                add(p)
                push(p)
    seen.update(r for r in roots if type(r) is Node)
    return sorted(seen, key=_by_seq, reverse=True)


def _freed_error(node, caller) -> RuntimeError:
    return RuntimeError(
        f"{caller}: trying to backward through the graph a second time: the tape "
        f"entry for '{node.prim.name}' was freed by an earlier backward pass. Pass "
        "retain_graph=True to the first backward() or grad() if you need to go "
        "through the graph again.")


def _prune(order, targets) -> set:
    """Nodes whose rule must run to reach ``targets`` (PyTorch's ``exec_info``)."""
    needed = set()
    wanted = set(targets)
    for node in reversed(order):  # parents first
        for p in node.parents:
            if p is not None and (p in needed or p in wanted):
                needed.add(node)
                break
    return needed


def _run(outputs, grad_outputs, retain_graph, create_graph, targets, accumulate,
         allow_unused, caller):
    if retain_graph is None:
        retain_graph = create_graph
    seeds = _seeds(outputs, grad_outputs, create_graph, caller)

    # Where to capture each target's gradient: a leaf collects what flows into
    # it; a non-leaf target is read off its node's incoming cotangent.
    capture_nodes = {}
    target_edges = needed = wanted = None
    if targets is not None:
        order = _collect([e for e, _ in seeds], caller)
        target_edges = [t._node or t for t in targets]
        capture_nodes = {e: None for e in target_edges if type(e) is Node}
        needed = _prune(order, target_edges)  # nodes whose rule must run
        wanted = needed | set(target_edges)  # edges that must receive a cotangent

    cts: dict = {}  # pending cotangents, by node or leaf tensor
    for edge, g in seeds:
        prev = cts.get(edge)
        cts[edge] = g if prev is None else prev + g

    prev_mode = _mode.enabled
    _set_enabled(create_graph)
    quiet = enter_quiet()  # (quiet_rules())
    try:
        _reverse_pass(cts, DIFF if create_graph else FAST, create_graph, retain_graph,
                      needed, wanted, capture_nodes, _edge_hook(), caller)
    finally:
        exit_quiet(quiet)
        _set_enabled(prev_mode)

    if not accumulate:
        return _gather(targets, target_edges, cts, capture_nodes, create_graph,
                       allow_unused)
    for t, edge in zip(targets or (), target_edges or ()):
        if type(edge) is Node and capture_nodes[edge] is not None:
            cts[t] = capture_nodes[edge]  # backward(inputs=[non-leaf]) fills its .grad
    _accumulate_leaves(cts, create_graph, {id(g) for _, g in seeds})
    return None


EDGE_OBSERVERS: list = []
"""Callbacks ``f(node, index, parent, gradient)`` told of every gradient a backward pass
sends along an edge (``tools.trace`` uses it for the adjoint table)."""


def _edge_hook():
    """What to call for each gradient of this pass: None unless someone listens
    (anomaly mode, a trace), so that a normal backward pays nothing."""
    # (Anomaly mode can be on only once its module was imported: no import per pass.)
    anomaly = _loaded.get(__package__ + ".anomaly")
    hooks = list(EDGE_OBSERVERS)
    if anomaly is not None and anomaly.is_anomaly_enabled():
        hooks.append(anomaly.check_gradient)
    if not hooks:
        return None
    if len(hooks) == 1:
        return hooks[0]

    def all_hooks(node, index, parent, g):
        for hook in hooks:
            hook(node, index, parent, g)

    return all_hooks


def _reverse_pass(cts, ns, create_graph, retain_graph, needed, wanted, capture_nodes,
                  on_edge, caller):
    """The hot loop: each tape entry, newest first, pulls its cotangent back to its inputs.

    The entries waiting for their turn are a heap by creation order (``-seq``): an
    entry joins it when it receives its first cotangent, so the pass visits only
    what the outputs reach, with no walk of the graph beforehand. Written out in
    one function (transposing inlined) because it runs once per recorded op:
    every call saved here is saved a million times in a long chain.
    """
    pop, get = cts.pop, cts.get
    heap = [(-e.seq, e) for e in cts if type(e) is Node]
    heapify(heap)
    # Large sums made by this pass, by where they wait: ``id`` of the array (an array
    # in ``cts`` is alive, so its id is its own; once its node ran nothing adds to it).
    owned: dict = {}
    owned_get = owned.get
    complex_dtypes, real_scalars = COMPLEX_DTYPES, REAL_SCALAR_TYPES  # locals: read per op
    # The last real dtype a cotangent had: an identity test instead of hashing a dtype
    # (NumPy does not cache its hash: 400 instructions) to see that it is not complex.
    real = None
    map_types = LINEAR_MAP_TYPES
    node_type, array_type, int_type = Node, ndarray, int  # (a local is read faster)
    changed = last_change
    targeted = bool(capture_nodes) or needed is not None
    # The node to run next without a trip through the heap, if it may, and its
    # cotangent (held here, not in ``cts``, until it runs or joins the heap).
    nxt = nxt_ct = None
    while True:
        # A chain's next node is usually the parent the node before it just reached.
        # When that parent's seq is above every waiting node's, nothing left to run can
        # add to its cotangent (a node that could was created after it, and nothing left
        # has a seq above the heap's top), so it runs at once: no heap push and pop.
        if nxt is None:
            if not heap:
                break
            node = heappop(heap)[1]
            ct = pop(node)
        elif not heap or heap[0][0] > -nxt.seq:
            node, ct = nxt, nxt_ct
        else:
            cts[nxt] = nxt_ct
            node = heapreplace(heap, (-nxt.seq, nxt))[1]
            ct = pop(node)
        nxt = None
        # The parents and the saved values are stored inline for one or two inputs (see
        # Node): ``args``, the rule's saved arguments, is None while they are ``node.s0``
        # and ``node.s1`` as stored (a check below may hand over others).
        ps = node.ps
        if ps == 1:
            parents = (node.p0,)
            args = None
        elif ps == 2:
            parents = (node.p0, node.p1)
            args = None
        elif ps is None:
            raise _freed_error(node, caller)
        else:
            parents, args = ps, node.s0
        if node.extra is not None and node.extra.hooks is not None:
            ct = _run_hooks(node.extra.hooks, ct, create_graph)
        if targeted:  # grad(...) or backward(inputs=...)
            if node in capture_nodes:
                capture_nodes[node] = ct
            if needed is not None and node not in needed:
                continue  # not run: another pass may still need it
        prim = node.prim
        versions, out = node.versions, node.out
        if (versions is None or type(versions) is tuple) and not create_graph and (
                out is None or type(out) is not Packed):
            # Raw arrays (or nothing) saved: check them only if something changed in
            # place since the node was recorded (their producers' ``mods``).
            if changed[0] > node.seq:
                if versions is not None:
                    for i, v in enumerate(versions):
                        if v is not None and parents[i].mods != v:
                            _unpack_saved(node, False)  # raises, naming the value
                if out is not None and node.mods:
                    _unpack_saved(node, False)  # raises: the saved output changed
        elif create_graph or type(versions) is PackedVersions or type(out) is Packed:
            if versions is not None or out is not None:
                args = _unpack_saved(node, create_graph)
            if out is not None:
                if type(out) is Packed:  # saved_tensors_hooks
                    out = out.unpack()
                if create_graph:
                    out = _wrap(out, node, True)
                    out._fw = None if node.extra is None else node.extra.out_fw
        else:  # TensorVersions: _unpack_saved's common case, inlined
            if args is None:
                saved = [node.s0, node.s1] if ps == 2 else [node.s0]
            else:
                saved = list(args)
            for i, v in enumerate(versions):
                if v is None:
                    continue
                s = saved[i]
                if type(s) in TENSOR_TYPES:  # a leaf, a view or a constant tensor
                    vc = s._vc
                    if vc is not None and vc[0] != v:
                        _unpack_saved(node, False)  # raises, naming the value
                    saved[i] = s._data
                elif parents[i].mods != v:
                    _unpack_saved(node, False)  # raises
            if out is not None and node.mods:
                _unpack_saved(node, False)  # raises: the saved output changed
            args = saved
        # The rules (with the maps known without a call, see KNOWN_RULES) and how to
        # call them: most take one or two saved values, and a call with them spelled
        # out costs less than one with ``*args`` (no argument tuple built per call).
        rules, arity = prim.plan or _plan(prim)
        if arity <= 0:  # params, a residual, or variadic
            if args is None:
                args = node.saved
            if node.params:
                args = (*args, *node.params)
            if prim.residual is not None:  # handed over once, and only to a first-order pass
                extra = node.extra
                args = (*args, None if create_graph or extra is None else extra.residual)
                if extra is not None:
                    extra.residual = None
        meta = node.meta
        m0 = g0 = None  # the first edge's map and gradient, for a second edge to the same value
        i = -1
        for parent in parents:  # (a counter costs less than enumerate's pairs)
            i += 1
            if parent is None or (targeted and wanted is not None and parent not in wanted):
                continue
            if arity < 0:
                m = rules(ns, i, out, *args)
            else:
                m = rules[i]
                if type(m) is int_type:  # the multiplier is a saved value (or the output)
                    m = out if m < 0 else (node.s1 if m else node.s0) if args is None else args[m]
                elif m is not IDENTITY and type(m) not in map_types:
                    if args is not None:  # (arity 1 or 2 below: the values inline)
                        m = m(ns, out, *args)
                    elif arity == 2:
                        m = m(ns, out, node.s0, node.s1)
                    else:
                        m = m(ns, out, node.s0)
            if m is IDENTITY:  # (add's and sub's first input: nothing to apply)
                g = ct
                if meta is not None and meta[i] is not None:
                    g = _summed_back(ns, g, meta[i])
            else:
                if m is None:
                    continue
                if i and m is m0 and parent is parents[0]:
                    g = g0  # x * x: the same map to the same value pulls back the same array
                else:
                    # (an array is a multiplier: tested first, it spares most edges the set
                    # lookup that tells a map from a multiplier)
                    if type(m) is not array_type and type(m) in map_types:
                        g = -ct if m is NEGATE else m.transpose(ns, ct)
                    elif type(ct) is array_type and ct.dtype is real:
                        g = ct * m
                    elif type(ct) in real_scalars or ct.dtype not in complex_dtypes:
                        g = ct * m  # (NumPy scalars' .dtype is slow: their type says it first)
                        if type(ct) is ndarray:
                            real = ct.dtype
                    else:  # a complex multiplier pulls back conjugated (see autograd.linear)
                        g = ct * conj(ns, m)
                    if meta is not None and meta[i] is not None:
                        g = _summed_back(ns, g, meta[i])
                    m0 = m
                    g0 = g
            if on_edge is not None:
                on_edge(node, i, parent, g)
            prev = nxt_ct if parent is nxt else get(parent)
            if prev is None:
                if type(parent) is not node_type:  # a leaf
                    cts[parent] = g
                elif nxt is None:  # reached for the first time: it waits its turn
                    nxt, nxt_ct = parent, g
                elif parent.seq > nxt.seq:
                    cts[nxt] = nxt_ct
                    heappush(heap, (-nxt.seq, nxt))
                    nxt, nxt_ct = parent, g
                else:
                    cts[parent] = g
                    heappush(heap, (-parent.seq, parent))
            elif (owned and owned_get(parent) == id(prev) and type(g) is ndarray
                  and prev.shape == g.shape and prev.dtype == g.dtype):
                prev += g  # a large sum this pass made (nobody else sees it): in place
            else:
                prev = prev + g
                if parent is nxt:
                    nxt_ct = prev
                else:
                    cts[parent] = prev
                if type(prev) is array_type and prev.size >= _IN_PLACE_SIZE and not create_graph:
                    owned[parent] = id(prev)
        if not retain_graph:  # (one statement per store: cheaper than a chained one)
            node.ps = None
            node.p0 = None
            node.p1 = None
            node.s0 = None
            node.s1 = None
            node.out = None


def _summed_back(ns, g, shape_dtype):
    """The gradient ``g`` of a broadcast or promoted input, summed back to its shape and
    cast to its dtype (``shape_dtype``: the node's ``meta`` entry for it)."""
    shape, dtype = shape_dtype
    g = ns.sum_to(g, shape)
    return ns.astype(g, dtype) if g.dtype != dtype else g


def _plan(prim):
    """``prim.plan``, made on first use: ``(rules, arity)`` for ``_reverse_pass``: per input
    its rule, or what the rule is known to return (``KNOWN_RULES``), and how to call the
    rules: with the saved values spelled out (arity 1 or 2), with ``*args`` (3 or more
    inputs; 0: after appending the params and the residual), or, for a variadic
    primitive (its one rule), ``rule(ns, i, out, *args)`` (-1). Kept on the primitive (a
    slot read per node; a dict keyed by the rule tuple hashed the tuple every time), which
    drops it when any of its fields is set again (``Primitive.__setattr__``)."""
    rule = prim.rule
    if prim.variadic:
        plan = (rule, -1)
    else:
        rules = tuple(KNOWN_RULES.get(r, r) for r in rule)
        plan = (rules, 0 if prim.n_params or prim.residual else len(rules))
    prim.plan = plan
    return plan


def _unpack_saved(node, create_graph):
    """The rule's arguments: saved values, checked against in-place changes.

    A raw array was the output of ``node.parents[i]``, whose ``mods`` count
    says whether it changed; a saved tensor carries its own version counter.
    With ``create_graph`` every value is handed over as a tensor connected to
    the tape, so the derivative is recorded as a function of the inputs.
    """
    saved, versions, parents = node.saved, node.versions, node.parents
    args = list(saved)
    for i, v in enumerate(versions or ()):
        s = saved[i]
        if type(s) is Packed:  # saved_tensors_hooks: restored for this use only
            s = args[i] = s.unpack()
            if saved[i].counter is not None:  # it was a tensor (a leaf, a view, a constant)
                now, parent = saved[i].counter[0], parents[i]
                if now != v:
                    raise RuntimeError(_modified_message(node, f"input {i}", s, now, v))
                if create_graph:
                    args[i] = parent if type(parent) in TENSOR_TYPES else _wrap(
                        s, parent, True) if type(parent) is Node else _wrap(s)
                continue
        if v is None:  # a constant, or a private copy made by an in-place op
            if type(s) in TENSOR_TYPES:
                if not create_graph:
                    args[i] = s._data
            elif create_graph and type(parents[i]) is Node and type(s) is np.ndarray:
                args[i] = _wrap(s, parents[i], True)
            continue
        if type(s) in TENSOR_TYPES:
            now = 0 if s._vc is None else s._vc[0]
            data = s._data
            if not create_graph:
                args[i] = data
        else:
            producer = parents[i]
            now, data = producer.mods, s
            if create_graph:
                args[i] = _wrap(s, producer, True)
        if now != v:
            raise RuntimeError(_modified_message(node, f"input {i}", data, now, v))
    if node.out is not None and node.mods:
        raise RuntimeError(_modified_message(node, "its output", node.out, node.mods, 0))
    return args


def _modified_message(node, what, data, now, expected):
    return (
        f"one of the values needed for gradient computation has been modified by an in-place "
        f"operation: {what} of '{node.prim.name}' (shape {tuple(data.shape)}, dtype "
        f"{data.dtype}) is at version {now}; expected version {expected}. Fix: change a copy "
        "(x = x.clone()) or do the in-place change after backward."
    )


def _run_hooks(hooks, ct, create_graph):
    """Apply tensor hooks to a gradient; ``retain_grad`` runs last, as in PyTorch."""
    from .._tensor import _RetainGrad

    g = ct if create_graph else _wrap(ct)
    replaced = False
    ordered = [h for h in hooks if type(h) is not _RetainGrad]
    ordered += [h for h in hooks if type(h) is _RetainGrad]
    for hook in ordered:
        r = hook(g)
        if r is not None:
            if r.shape != g.shape:
                raise RuntimeError(f"hook {hook!r} returned a gradient of shape {r.shape}; "
                                   f"expected {g.shape}")
            g, replaced = r, True
    if create_graph:
        return g
    # A hook may hand back a tensor the caller keeps: never let .grad alias it.
    return np.array(g._data, copy=True) if replaced else g._data


def _accumulate_leaves(cts, create_graph, handed_out: set):
    """Add each leaf's gradient into its ``.grad`` (PyTorch's AccumulateGrad)."""
    for leaf, g in cts.items():
        if type(leaf) is Node:  # a pruned branch that received a cotangent
            continue
        rare = leaf._rare  # (its hooks: see Tensor._rare)
        if rare is not None and rare.hooks is not None:
            g = _run_hooks(rare.hooks, g, create_graph)
        if create_graph:
            if g.dtype != leaf._data.dtype:
                g = g.to(leaf._data.dtype)
            # The same cotangent tensor may reach several leaves (and be the
            # caller's own): each .grad gets memory of its own.
            leaf._grad = g.clone() if leaf._grad is None else leaf._grad + g
            continue
        dtype = leaf._data.dtype
        if g.dtype is not dtype and g.dtype != dtype:
            g = _cast(g, dtype)
        old = leaf._grad
        if old is None:
            # A gradient array the leaf may keep and later add to in place: a copy of a
            # view, of an array handed out already, or of a read-only one.
            if (isinstance(g, ndarray) and (g.base is not None or id(g) in handed_out
                                            or not g.flags.writeable)):
                g = g.copy()
            handed_out.add(id(g))
            leaf._grad = _wrap(g)
        elif old._requires_grad:
            leaf._grad = old + _wrap(g)
        elif not isinstance(old._data, np.ndarray):  # a NumPy scalar: same tensor, new value
            old._data = np.asarray(old._data + g)
            bump_version(old)
        else:
            np.add(old._data, g, out=old._data)
            bump_version(old)


def _cast(g, dtype):
    """A raw gradient in its input's dtype; a complex one for a real input is its real part."""
    if g.dtype.kind == "c" and dtype.kind != "c":
        g = g.real
    return g.astype(dtype)


def _gather(targets, edges, cts, capture_nodes, create_graph, allow_unused):
    result = []
    for i, (t, edge) in enumerate(zip(targets, edges)):
        g = capture_nodes.get(edge) if type(edge) is Node else cts.get(edge)
        if g is not None and type(edge) is not Node and t._rare is not None and (
                t._rare.hooks is not None):
            g = _run_hooks(t._rare.hooks, g, create_graph)  # a leaf's hooks run in grad() too
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad(): input {i} (shape {t.shape}) was not used to compute the outputs "
                    "(its gradient is undefined). Pass allow_unused=True to get None for it."
                )
            result.append(None)
            continue
        if not create_graph:
            if g.dtype != t._data.dtype:
                g = _cast(g, t._data.dtype)
            g = _wrap(g)
        elif g.dtype != t._data.dtype:
            g = g.to(t._data.dtype)
        result.append(g)
    return tuple(result)


__all__ = ["backward", "grad"]
