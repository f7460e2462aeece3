"""Gradient checkpointing: trade compute for memory by recomputing in backward.

``checkpoint(fn, *args)`` runs ``fn`` recorded as usual, but under
``saved_tensors_hooks`` that keep none of the values its tape entries save for
backward: each is replaced by its position. When backward first needs one of them,
``fn`` runs again (recorded, with the random generator's state restored, so that
dropout-like randomness draws the same numbers) and hands back the values saved at
those same positions. The gradients are therefore exactly those of the plain run, and
everything ``fn`` uses, including parameters it closes over, gets its gradient. This
is PyTorch's non-reentrant checkpoint.

>>> import wengert as wg
>>> from wengert.utils.checkpoint import checkpoint
>>> x = wg.tensor([1.0, 2.0], requires_grad=True)
>>> checkpoint(lambda t: wg.sin(t) * t, x).sum().backward()
>>> x.grad
tensor([1.3818, 0.0770])
"""

from __future__ import annotations

from .. import _creation
from .._tensor import TENSOR_TYPES
from ..autograd.grad_mode import enable_grad, is_grad_enabled
from ..autograd.graph import saved_tensors_hooks


class _Recomputation:
    """One checkpointed call: the pack/unpack hooks and the values of the rerun."""

    def __init__(self, fn, args, rng_state):
        self.fn, self.args, self.rng_state = fn, args, rng_state
        self.count = 0
        self.values = None

    def pack(self, tensor):
        self.count += 1
        return self.count - 1  # the value itself is dropped

    def unpack(self, position):
        # Each value is handed out once per backward pass, then dropped, so that memory
        # comes back as the pass goes; another pass over the same tape (retain_graph)
        # finds it missing and recomputes again.
        if self.values is None or position not in self.values:
            self.values = dict(enumerate(self._rerun()))
        return self.values.pop(position)

    def _rerun(self) -> list:
        values = []
        # The same inputs, as the same kind of tensor (a leaf or a computed value), so
        # that the rerun saves the same values in the same order.
        args = tuple(_stand_in(a) for a in self.args)
        state = _rng_state()
        if self.rng_state is not None:
            _set_rng_state(self.rng_state)
        try:
            with enable_grad(), saved_tensors_hooks(lambda t: values.append(t) or 0,
                                                    _never):
                self.fn(*args)
        finally:
            if self.rng_state is not None:
                _set_rng_state(state)
        if len(values) != self.count:
            raise RuntimeError(
                f"checkpoint: the recomputation saved {len(values)} values for backward, but "
                f"the first run saved {self.count}: the checkpointed function must compute "
                "the same operations when run again (no data-dependent branching on state "
                "that changed in between)")
        return values


def _never(_):  # pragma: no cover - the rerun's tape is never differentiated
    raise RuntimeError("checkpoint: internal error, the recomputation's tape was used")


def _stand_in(a):
    if type(a) not in TENSOR_TYPES:
        return a
    d = a.detach()
    if not a._requires_grad:
        return d
    d.requires_grad_()
    if a._node is None:
        return d
    return d * 1  # a computed value (saved as the tape's raw array, like the original)


def _rng_state():
    return _creation.generator().bit_generator.state


def _set_rng_state(state):
    _creation.generator().bit_generator.state = state


def checkpoint(function, *args, use_reentrant: bool = False, preserve_rng_state: bool = True,
               **kwargs):
    """``function(*args, **kwargs)``, keeping no intermediate value for backward:
    backward recomputes them (PyTorch's ``torch.utils.checkpoint.checkpoint``).

    ``use_reentrant`` is accepted for PyTorch compatibility; both settings recompute
    the same (non-reentrant) way. The gradients equal those of the plain call bit for
    bit; with ``preserve_rng_state`` the recomputation draws the same random numbers.
    """
    if not callable(function):
        raise TypeError(f"checkpoint: expected a callable, got {type(function).__name__}")
    if not is_grad_enabled():
        return function(*args, **kwargs)
    call = (lambda *a: function(*a, **kwargs)) if kwargs else function
    frame = _Recomputation(call, args, _rng_state() if preserve_rng_state else None)
    with saved_tensors_hooks(frame.pack, frame.unpack):
        return call(*args)


def checkpoint_sequential(functions, segments: int, input, use_reentrant: bool = False,  # noqa: A002
                          preserve_rng_state: bool = True):
    """Run ``functions`` (a sequence of callables, or a module with ``children()``) in
    order on ``input``, in ``segments`` chunks; every chunk but the last is checkpointed
    (PyTorch's rule).

    Only the chunks' boundary values and one chunk's activations are alive at a time.

    >>> import wengert as wg
    >>> from wengert.utils.checkpoint import checkpoint_sequential
    >>> x = wg.tensor([1.0, 2.0], requires_grad=True)
    >>> checkpoint_sequential([wg.sin, wg.exp, wg.tanh], 2, x).sum().backward()
    >>> x.grad
    tensor([ 0.0475, -0.0284])
    """
    functions = list(functions.children()) if hasattr(functions, "children") else list(functions)
    if not functions:
        raise ValueError("checkpoint_sequential: no functions to run")
    if not isinstance(segments, int) or segments < 1:
        raise ValueError(f"checkpoint_sequential: segments must be a positive int, got "
                         f"{segments!r}")
    size = -(-len(functions) // min(segments, len(functions)))
    chunks = [functions[i:i + size] for i in range(0, len(functions), size)]
    for chunk in chunks[:-1]:
        input = checkpoint(_Chain(chunk), input, preserve_rng_state=preserve_rng_state)  # noqa: A001
    return _Chain(chunks[-1])(input)


class _Chain:
    def __init__(self, functions):
        self.functions = functions

    def __call__(self, x):
        for f in self.functions:
            x = f(x)
        return x


__all__ = ["checkpoint", "checkpoint_sequential"]
