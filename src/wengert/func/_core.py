"""What every transform shares: arguments in, one recorded evaluation, results out.

Inputs are turned into tensors that the transform differentiates with respect to:
fresh leaves, or, when an argument already carries derivatives for an enclosing
computation (it requires grad, or carries forward-mode tangents), a fresh tape entry
that is connected to it (``alias``). Each transform therefore asks the engine for the
gradient with respect to its *own* inputs only, and perturbations of nested transforms
never mix. Whether the derivative must itself be recorded (``create_graph``) is decided
from what the evaluation reached: it is only when something outside this transform
can still be differentiated.
"""

from __future__ import annotations

import threading
import weakref

import numpy as np

from .._tensor import TENSOR_TYPES, Tensor, _wrap
from ..autograd.grad_mode import _fw_state, enable_grad
from ..autograd.node import Node
from ._tree import flatten, unflatten

TENSOR, NUMPY, PYTHON = "tensor", "numpy", "python"

_FRESH: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # id -> leaf
"""The leaves transforms made to differentiate with respect to. Once its transform has
evaluated its function, such a leaf is nobody else's input: a graph reaching it does
not depend on anything outside through it. While the function runs (``_active``), it
is the input of an enclosing transform."""


class _Active(threading.local):
    def __init__(self):
        self.leaves: list = []


_active = _Active()


def argnums_tuple(argnums, nargs: int, op: str) -> tuple:
    """``argnums`` as a tuple of valid non-negative positions."""
    nums = (argnums,) if isinstance(argnums, int) else argnums
    if not isinstance(nums, tuple) or not nums or not all(isinstance(n, int) for n in nums):
        raise TypeError(f"{op}: argnums must be an int or a non-empty tuple of ints, "
                        f"got {argnums!r}")
    out = []
    for n in nums:
        if not -nargs <= n < nargs:
            raise ValueError(
                f"{op}: argnums={argnums!r} is out of range for a function called with {nargs} "
                f"positional argument{'s' if nargs != 1 else ''} (valid: 0 to {nargs - 1}, "
                "or negative from the end)")
        out.append(n % nargs)
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: argnums={argnums!r} names an argument twice")
    return tuple(out)


def kind_of(leaves) -> str:
    """The array type results are given in: that of the differentiated arguments."""
    if any(type(x) in TENSOR_TYPES for x in leaves):
        return TENSOR
    if any(isinstance(x, (np.ndarray, np.generic)) for x in leaves):
        return NUMPY
    return PYTHON


def as_input(x, op: str, what: str) -> Tensor:
    """A differentiated argument (a pytree leaf) as a floating point tensor."""
    if type(x) in TENSOR_TYPES:
        t = x
    elif isinstance(x, (np.ndarray, np.generic)):
        t = _wrap(np.asarray(x))
    elif isinstance(x, (float, int)) and not isinstance(x, bool):
        # A Python number is a double (it comes back as a Python float).
        t = _wrap(np.asarray(float(x), dtype=np.float64))
    else:
        raise TypeError(f"{op}: {what} is a {type(x).__name__}; the arguments to differentiate "
                        "must be (pytrees of) Tensors, NumPy arrays or Python numbers")
    if t._data.dtype.kind not in "fc":
        raise TypeError(f"{op}: {what} has dtype {t._data.dtype}; only floating point inputs "
                        "can be differentiated. Convert it first (e.g. x.astype(float)).")
    return t


def as_output(x, op: str, what: str) -> Tensor:
    """A result of the user's function (a pytree leaf) as a tensor."""
    if type(x) in TENSOR_TYPES:
        return x
    if isinstance(x, (np.ndarray, np.generic, float, int)) and not isinstance(x, bool):
        return _wrap(np.asarray(x))  # a constant: its derivative is zero
    raise TypeError(f"{op}: the function returned {what} of type {type(x).__name__}; it must "
                    "return a Tensor (or an array, or a pytree of them)")


def to_kind(t, kind: str):
    """A result tensor in the caller's array type."""
    if t is None or kind is TENSOR or type(t) not in TENSOR_TYPES:
        return t
    data = t._data
    if kind is PYTHON and data.ndim == 0:
        return data.item()
    return np.asarray(data)


def track(t: Tensor) -> Tensor:
    """A fresh tensor to differentiate with respect to, standing for ``t``."""
    if t._requires_grad or t._fw is not None:
        from ..ops.shape import alias

        with enable_grad():
            out = alias(t)  # connected to t on the tape, tangents included
        if not out._requires_grad:
            out.requires_grad_()
            _FRESH[id(out)] = out
        return out
    leaf = _wrap(t._data, None, True)
    _FRESH[id(leaf)] = leaf
    return leaf


def reaches_outside(outputs, inputs) -> bool:
    """Whether ``outputs`` depend on something an enclosing computation differentiates:
    a tracked input that came from outside, an open forward-mode level, or a leaf that
    requires grad and is not one of ``inputs`` (a closure over a parameter)."""
    if _fw_state.levels or any(t._node is not None for t in inputs):
        return True
    ours = {id(t) for t in inputs}
    fresh, active = _FRESH, _active.leaves
    stack = [o._node for o in outputs if o._node is not None]
    seen = set(stack)
    while stack:
        parents = stack.pop().parents
        for p in parents or ():
            if p is None:
                continue
            if type(p) is Node:
                if p not in seen:
                    seen.add(p)
                    stack.append(p)
            elif id(p) not in ours and (id(p) not in fresh or any(id(p) in a for a in active)):
                return True
    return False


class Evaluation:
    """``f`` evaluated once, recorded, at tracked copies of the differentiated arguments.

    Attributes: ``inputs`` (the tracked tensors, flat), ``in_spec`` (their nest),
    ``outputs`` (flat tensors), ``out_spec``, ``aux``, ``kind`` and ``create`` (record
    the derivatives, for an enclosing computation).
    """

    def __init__(self, f, args, argnums, has_aux: bool, op: str, observer=None):
        nums = argnums_tuple(argnums, len(args), op)
        chosen = args[nums[0]] if isinstance(argnums, int) else tuple(args[n] for n in nums)
        leaves, self.in_spec = flatten(chosen)
        self.kind = kind_of(leaves)
        self.inputs = [track(as_input(x, op, f"input {k} of the differentiated arguments"))
                       for k, x in enumerate(leaves)]
        tracked = unflatten(self.in_spec, self.inputs)
        call = list(args)
        for j, n in enumerate(nums):
            call[n] = tracked if isinstance(argnums, int) else tracked[j]
        _active.leaves.append({id(t) for t in self.inputs})
        try:
            with enable_grad():
                if observer is None:
                    result = f(*call)
                else:
                    with observer:
                        result = f(*call)
        finally:
            _active.leaves.pop()
        self.aux = None
        if has_aux:
            if not isinstance(result, tuple) or len(result) != 2:
                raise TypeError(f"{op}(has_aux=True): the function must return a pair "
                                f"(output, aux), got {type(result).__name__}")
            result, self.aux = result
        outs, self.out_spec = flatten(result)
        if not outs:
            raise TypeError(f"{op}: the function returned no array")
        self.outputs = [as_output(o, op, f"output {k}") for k, o in enumerate(outs)]
        self.create = reaches_outside(self.outputs, self.inputs)

    def grads(self, cotangents, retain: bool, create: bool) -> list:
        """``cotangents^T J`` per input (tensors; zeros where an input was not used)."""
        from ..autograd.engine import grad

        pairs = [(o, c) for o, c in zip(self.outputs, cotangents) if o._requires_grad]
        result = [None] * len(self.inputs)
        if pairs:
            result = list(grad([o for o, _ in pairs], self.inputs, [c for _, c in pairs],
                               retain_graph=retain or create, create_graph=create,
                               allow_unused=True))
        return [g if g is not None else _zeros(x) for g, x in zip(result, self.inputs)]

    def result(self, t, create=None):
        """An output (or aux) tensor for the caller: detached unless it carries derivatives
        for an enclosing computation, then in the caller's array type."""
        if type(t) not in TENSOR_TYPES:
            return t
        if create if create is not None else self.create:
            return t
        return to_kind(t.detach() if t._requires_grad else t, self.kind)

    def value(self):
        return unflatten(self.out_spec, [self.result(o) for o in self.outputs])

    def aux_value(self):
        leaves, spec = flatten(self.aux)
        return unflatten(spec, [self.result(a) for a in leaves])


def _zeros(x: Tensor) -> Tensor:
    return _wrap(np.zeros(x._data.shape, x._data.dtype))
