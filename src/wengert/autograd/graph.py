"""Hooks on the values the tape saves for backward: ``saved_tensors_hooks``.

Inside ``with saved_tensors_hooks(pack, unpack):`` every value a tape entry saves for
its derivative rule (an intermediate result, or an output the rule reads) is handed
to ``pack(tensor)`` when it is saved, and the tape keeps only what ``pack`` returned;
the backward pass calls ``unpack(packed)`` for the tensor when the rule needs it. Use
it to offload activations, compress them (``pack = lambda t: t.to(float16)``) or
count them. Hooks are per thread; the innermost context wins, as in PyTorch.

>>> import wengert as wg
>>> seen = []
>>> x = wg.tensor([1.0, 2.0], requires_grad=True)
>>> with wg.autograd.graph.saved_tensors_hooks(lambda t: seen.append(t) or len(seen) - 1,
...                                            lambda k: seen[k]):
...     y = wg.sin(x * 2)  # sin saves x * 2
>>> y.sum().backward(); len(seen)
1
"""

from __future__ import annotations

import threading

import numpy as np

from .. import _primitive
from .._tensor import TENSOR_TYPES, _wrap, version_counter


class _Hooks(threading.local):
    def __init__(self):
        self.stack: list = []


_hooks = _Hooks()
_lock = threading.Lock()
_open = [0]  # hook contexts open in any thread; while 0 the tape pays nothing


class saved_tensors_hooks:  # noqa: N801 - PyTorch's name
    """Context manager: ``pack(tensor) -> object`` when a value is saved for backward,
    ``unpack(object) -> tensor`` when backward needs it."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook, self.unpack_hook = pack_hook, unpack_hook

    def __enter__(self):
        _hooks.stack.append((self.pack_hook, self.unpack_hook))
        with _lock:
            _open[0] += 1
            _primitive.PACK = pack_node
        return self

    def __exit__(self, *exc):
        _hooks.stack.pop()
        with _lock:
            _open[0] -= 1
            if not _open[0]:
                _primitive.PACK = None


class disable_saved_tensors_hooks:  # noqa: N801
    """Save values as they are inside this block, even within ``saved_tensors_hooks``."""

    def __enter__(self):
        self._stack, _hooks.stack = _hooks.stack, []

    def __exit__(self, *exc):
        _hooks.stack = self._stack


class Packed:
    """A saved value as ``pack`` returned it, with the hook that restores it, and the
    version counter of the tensor it was (None for a tape entry's raw array)."""

    __slots__ = ("value", "unpack_hook", "counter")

    def __init__(self, value, unpack_hook, counter=None):
        self.value, self.unpack_hook, self.counter = value, unpack_hook, counter

    def unpack(self):
        """The saved raw array."""
        t = self.unpack_hook(self.value)
        return t._data if type(t) in TENSOR_TYPES else np.asarray(t)


class PackedVersions(tuple):
    """``Node.versions`` of a node whose saved values are packed: the engine's sign to
    unpack them (it tests ``type(versions) is not tuple``)."""

    __slots__ = ()


def pack_node(node) -> None:
    """Pack every value ``node`` saved (called by ``bind`` while hooks are open)."""
    if not _hooks.stack:
        return
    pack, unpack = _hooks.stack[-1]
    versions = node.versions
    if versions is not None:
        saved = list(node.saved)
        for i, (s, v) in enumerate(zip(saved, versions)):
            if v is None:  # a constant given as a number or an array: not a saved tensor
                continue
            if type(s) in TENSOR_TYPES:
                saved[i] = Packed(pack(s.detach()), unpack, version_counter(s))
            else:
                saved[i] = Packed(pack(_wrap(s)), unpack)
        node.saved, node.versions = tuple(saved), PackedVersions(versions)
    if node.out is not None:
        node.out = Packed(pack(_wrap(node.out)), unpack)


def pack_saved(t):
    """A tensor given to a custom Function's ``save_for_backward``, packed if hooked."""
    if not _hooks.stack:
        return t
    pack, unpack = _hooks.stack[-1]
    return Packed(pack(t), unpack)


def unpack_saved(s):
    """The tensor ``pack_saved`` stored."""
    if type(s) is not Packed:
        return s
    t = s.unpack_hook(s.value)
    return t if type(t) in TENSOR_TYPES else _wrap(np.asarray(t))


__all__ = ["saved_tensors_hooks", "disable_saved_tensors_hooks"]
