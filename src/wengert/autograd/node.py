"""One entry of the tape: the Wengert list's ``v_i = op(v_j, v_k)``.

A ``Node`` remembers which primitive produced a tensor, the edges to where its
inputs came from, and the few arrays its derivative rule needs. It holds raw
data, never its own output tensor, so the graph has no reference cycles and is
freed by reference counting alone.
"""

from __future__ import annotations

import itertools

SEQ = itertools.count()
"""Creation order of tape entries (``Node.seq``), taken as ``next(SEQ)``: a sixth cheaper
than calling the bound ``SEQ.__next__`` (a slot wrapper)."""

last_change = [-1]
"""``[seq]``: a sequence number taken at the latest in-place change of any tensor
(``bump_version``). A node whose ``seq`` is larger was recorded after every change
so far, so none of its saved values can have changed: the engine skips their checks."""


class TensorVersions(tuple):
    """``Node.versions`` when some saved value is a tensor (a leaf, a view or a constant)
    rather than a raw array: the engine must unwrap it and check its version counter
    even when nothing changed in place since the node was recorded."""

    __slots__ = ()


class Node:
    """A recorded primitive application (PyTorch calls it ``grad_fn``).

    Attributes:
        prim: the ``Primitive`` that ran.
        parents: one edge per input: the input's ``Node``, the input tensor
            itself when it is a leaf that requires grad, or ``None`` when no
            gradient flows there. ``None`` for the whole tuple once the node
            has been freed by a backward pass. Stored inline for one and two
            inputs (see ``p0``), so this is a property.
        p0, p1, ps: the storage of ``parents``. For a node of one or two inputs
            (nearly all of a program's), ``ps`` is 1 or 2 and the edges are
            ``p0`` and ``p1``; otherwise ``ps`` is the tuple of edges. ``None``
            once freed. A tuple per node would double the objects a long tape
            keeps alive, and the cyclic garbage collector walks every one of
            them in each full collection (half of a 100,000-op chain's time).
        saved: what the rule needs, per input: its value when the rule needs
            it (the raw array for a tensor computed on the tape, the tensor
            itself for a leaf, a view or a constant tensor), an ``ArraySpec``
            when only its shape and dtype are needed, else ``None``. A raw
            array keeps no tensor alive (its producer's ``mods`` counts in-place
            changes to it): that halves the objects a long graph holds, which
            the garbage collector walks. ``None`` once freed. Stored inline like
            the parents (see ``s0``), so this is a property.
        s0, s1: the storage of ``saved``. For a node of one or two inputs (``ps``
            is 1 or 2) the saved values themselves (``s1`` is ``None`` for one
            input); otherwise ``s0`` is the tuple of saved values. A tuple per
            node cost an allocation per op, and one that holds a tensor (``x *
            w`` saves the leaf ``w``) stays tracked by the cyclic collector: a
            quarter more objects for it to walk in a long chain.
        versions: per saved value, the version it had when saved (checked by
            the engine: a value changed in place since then is refused); for a
            raw array that is its producer's ``mods`` count. A ``TensorVersions``
            when a saved value is a tensor; ``None`` when nothing needs a check.
        out: the output array when the rule needs it, else ``None``.
        mods: how many times this node's output (or a view of it) was changed
            in place; a saved output is valid only while it is 0.
        meta: ``(shape, dtype)`` per input where broadcasting or type promotion
            made the input differ from the output, so the engine can sum the
            cotangent back down and cast it; ``None`` when none did.
        extra: the fields few nodes set (a ``NodeExtra``: hooks, the forward-mode
            tangents of a saved output, a residual), or ``None``, as for nearly every
            node: one store per op instead of three. ``hooks``, ``out_fw`` and
            ``residual`` read them (``None`` when unset).
        seq: creation order. Parents are always created before their children,
            so decreasing ``seq`` is a reverse topological order, and it fixes
            the order in which gradients are summed (deterministic results).
    """

    __slots__ = (
        "prim", "p0", "p1", "ps", "s0", "s1", "versions", "params", "out", "mods",
        "meta", "seq", "extra", "__weakref__",
    )

    # No ``__init__``: ``Node()`` is a blank entry for the recording paths to fill in
    # (about 300 instructions cheaper than ``object.__new__(Node)``, paid once per op);
    # ``Node.make`` is the constructor.

    @classmethod
    def make(cls, prim, parents, saved, versions, params, out, meta) -> Node:
        """A tape entry with these fields (and no hooks, no tangents, no residual)."""
        self = cls()
        self.prim = prim
        self.parents = parents  # (first: it says how ``saved`` is stored)
        self.saved = saved
        self.versions = versions
        self.params = params
        self.out = out
        self.mods = 0
        self.meta = meta
        self.seq = next(SEQ)
        self.extra = None
        return self

    @property
    def parents(self):
        ps = self.ps
        if type(ps) is int:
            return (self.p0,) if ps == 1 else (self.p0, self.p1)
        return ps

    @parents.setter
    def parents(self, parents):
        n = None if parents is None else len(parents)
        if n == 1 or n == 2:
            self.ps, self.p0, self.p1 = n, parents[0], parents[-1] if n == 2 else None
        else:
            self.ps, self.p0, self.p1 = None if parents is None else tuple(parents), None, None

    @property
    def saved(self):
        ps = self.ps
        if type(ps) is int:
            return (self.s0,) if ps == 1 else (self.s0, self.s1)
        return None if ps is None else self.s0

    @saved.setter
    def saved(self, saved):
        """Store ``saved`` (one value per parent) the way ``parents`` is stored: set
        ``parents`` first. ``None`` drops the values."""
        ps = self.ps
        if saved is None:
            self.s0 = self.s1 = None
        elif type(ps) is int:
            self.s0, self.s1 = saved[0], saved[1] if ps == 2 else None
        else:
            self.s0, self.s1 = tuple(saved), None

    @property
    def hooks(self) -> list | None:
        """Hooks on this node's output gradient (``register_hook``), or None."""
        extra = self.extra
        return None if extra is None else extra.hooks

    @property
    def out_fw(self) -> dict | None:
        """The forward-mode tangents of the saved output, ``{level: tangent}``, or None."""
        extra = self.extra
        return None if extra is None else extra.out_fw

    @property
    def residual(self):
        """What the primitive's forward computation handed over for its rule (see
        ``Primitive``'s ``residual``), until a backward pass takes it; else None."""
        extra = self.extra
        return None if extra is None else extra.residual

    # -- PyTorch-compatible introspection ---------------------------------
    def name(self) -> str:
        # snake_case primitive names become CamelCase; a custom Function's class name
        # (already CamelCase) is kept as it is
        words = self.prim.name.split("_")
        return "".join(w if w != w.lower() else w.title() for w in words) + "Backward"

    @property
    def next_functions(self) -> tuple:
        """``(node_or_leaf, 0)`` per input, as ``torch``'s ``grad_fn.next_functions``."""
        return tuple((p, 0) for p in (self.parents or ()))

    def register_hook(self, hook):
        """Hook ``hook(grad_output) -> new grad or None`` on this node's output gradient."""
        extra = node_extra(self)
        if extra.hooks is None:
            extra.hooks = []
        extra.hooks.append(hook)
        return _RemovableHandle(extra.hooks, hook)

    def __repr__(self):
        return f"<{self.name()} #{self.seq}>"


class NodeExtra:
    """The fields of a tape entry that few entries set (``Node.extra``).

    Attributes:
        hooks: hooks on the node's output gradient (``register_hook``), or None.
        out_fw: the forward-mode tangents of the saved output, for a backward pass
            that records itself (forward-over-reverse), or None.
        residual: what the primitive's forward computation handed over for its rule
            (see ``Primitive``'s ``residual``), until a backward pass takes it.
    """

    __slots__ = ("hooks", "out_fw", "residual")

    def __init__(self):
        self.hooks = self.out_fw = self.residual = None


def node_extra(node: Node) -> NodeExtra:
    """``node``'s rarely set fields, made on first use."""
    extra = node.extra
    if extra is None:
        extra = node.extra = NodeExtra()
    return extra


class _RemovableHandle:
    """Returned by ``register_hook``; ``remove()`` takes the hook out again."""

    __slots__ = ("_hooks", "_hook")

    def __init__(self, hooks: list, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)
