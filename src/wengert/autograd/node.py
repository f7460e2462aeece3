"""One entry of the tape: the Wengert list's ``v_i = op(v_j, v_k)``.

A ``Node`` remembers which primitive produced a tensor, the edges to where its
inputs came from, and the few arrays its derivative rule needs. It holds raw
data, never its own output tensor, so the graph has no reference cycles and is
freed by reference counting alone.
"""

from __future__ import annotations

import itertools

_sequence = itertools.count()


class Node:
    """A recorded primitive application (PyTorch calls it ``grad_fn``).

    Attributes:
        prim: the ``Primitive`` that ran.
        parents: one edge per input: the input's ``Node``, the input tensor
            itself when it is a leaf that requires grad, or ``None`` when no
            gradient flows there. ``None`` for the whole tuple once the node
            has been freed by a backward pass.
        saved: what the rule needs, per input: the input ``Tensor`` (or raw
            constant) when its value is saved, its shape when only the shape is,
            else ``None``.
        versions: version counts of the saved tensors at save time, to detect
            in-place changes made before backward reads them.
        out: the output array when the rule needs it, else ``None``;
            ``out_version`` is the output's shared version counter.
        meta: ``(shape, dtype)`` per input where broadcasting or type promotion
            made the input differ from the output, so the engine can sum the
            cotangent back down and cast it; ``None`` when none did.
        seq: creation order. Parents are always created before their children,
            so decreasing ``seq`` is a reverse topological order, and it fixes
            the order in which gradients are summed (deterministic results).
    """

    __slots__ = (
        "prim", "parents", "saved", "versions", "params", "out", "out_version",
        "meta", "seq", "hooks", "out_fw", "__weakref__",
    )

    def __init__(self, prim, parents, saved, versions, params, out, out_version, meta):
        self.prim = prim
        self.parents = parents
        self.saved = saved
        self.versions = versions
        self.params = params
        self.out = out
        self.out_version = out_version
        self.meta = meta
        self.seq = next(_sequence)
        self.hooks = None
        self.out_fw = None

    # -- PyTorch-compatible introspection ---------------------------------
    def name(self) -> str:
        return f"{self.prim.name.title().replace('_', '')}Backward"

    @property
    def next_functions(self) -> tuple:
        """``(node_or_leaf, 0)`` per input, as ``torch``'s ``grad_fn.next_functions``."""
        return tuple((p, 0) for p in (self.parents or ()))

    def register_hook(self, hook):
        """Hook ``hook(grad_output) -> new grad or None`` on this node's output gradient."""
        if self.hooks is None:
            self.hooks = []
        self.hooks.append(hook)
        return _RemovableHandle(self.hooks, hook)

    def __repr__(self):
        return f"<{self.name()} #{self.seq}>"


class _RemovableHandle:
    """Returned by ``register_hook``; ``remove()`` takes the hook out again."""

    __slots__ = ("_hooks", "_hook")

    def __init__(self, hooks: list, hook):
        self._hooks, self._hook = hooks, hook

    def remove(self) -> None:
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)
