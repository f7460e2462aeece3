"""Custom differentiable functions: ``wg.autograd.Function``, PyTorch's API.

A subclass defines ``forward(ctx, *args)`` and ``backward(ctx, *grads)`` (and, for
forward mode, ``jvp(ctx, *tangents)``) as static methods; ``apply`` runs it. To the
engine, each subclass is a primitive (one per class, not in the registry of built-in
ops): ``forward`` runs once, and each of its outputs becomes a tape entry whose rule
is a linear map that calls ``backward`` for its transpose (VJP) and ``jvp`` for its
apply (JVP). Everything built on the rules (both modes, ``create_graph``, the
function transforms) therefore works with custom functions too.

>>> import wengert as wg
>>> class Cube(wg.autograd.Function):
...     @staticmethod
...     def forward(ctx, x):
...         ctx.save_for_backward(x)
...         return x ** 3
...     @staticmethod
...     def backward(ctx, g):
...         x, = ctx.saved_tensors
...         return g * 3 * x ** 2
>>> x = wg.tensor(2.0, requires_grad=True)
>>> Cube.apply(x).backward(); x.grad
tensor(12.)
"""

from __future__ import annotations

import weakref

import numpy as np

from .._primitive import FAST, Primitive, _without_level, bind
from .._tensor import TENSOR_TYPES, _wrap, version_of
from .grad_mode import _fw_state, _mode, no_grad
from .linear import LinearMap


class FunctionCtx:
    """The ``ctx`` a custom function's ``forward``, ``backward`` and ``jvp`` share.

    Attributes a user sets on it (``ctx.scale = 2``) are kept for ``backward``.
    """

    def __init__(self, fn, args):
        self._fn, self._args = fn, args
        self._plain = ()  # the inputs as forward saw them: no history, no tangents
        self._saved = ()
        self._versions = ()
        self._outputs = ()  # forward's outputs, as returned
        self._out_nodes = ()  # weak references to the outputs' tape entries
        self._out_fw = ()  # the outputs' forward-mode tangents
        self._non_differentiable: set = set()
        self._materialize = True
        self._view = None  # how saved inputs are handed out: see _saved_view
        self._cache = None
        self.needs_input_grad = tuple(
            type(a) in TENSOR_TYPES and a._requires_grad and _mode.enabled for a in args)

    # -- PyTorch's ctx API ------------------------------------------------------------
    def save_for_backward(self, *tensors) -> None:
        """Keep tensors (inputs, outputs or intermediates) for ``backward``/``jvp``."""
        from .graph import pack_saved

        for k, t in enumerate(tensors):
            if t is not None and type(t) not in TENSOR_TYPES:
                raise TypeError(f"{self._fn.__name__}.save_for_backward: argument {k} is a "
                                f"{type(t).__name__}; save tensors only (keep other values as "
                                "attributes of ctx, e.g. ctx.scale = scale)")
        self._versions = tuple(None if t is None else version_of(t) for t in tensors)
        self._saved = tuple(None if t is None else pack_saved(t) for t in tensors)

    save_for_forward = save_for_backward

    @property
    def saved_tensors(self) -> tuple:
        """The tensors given to ``save_for_backward``; inputs come back connected to the
        graph when the derivative is being recorded (``create_graph``)."""
        from .graph import unpack_saved

        out = []
        for k, (s, v) in enumerate(zip(self._saved, self._versions)):
            if s is None:
                out.append(None)
                continue
            t = unpack_saved(s)
            if version_of(t) != v:
                raise RuntimeError(
                    f"one of the values saved by {self._fn.__name__}.save_for_backward (number "
                    f"{k}, shape {t.shape}, dtype {t.dtype}) was modified by an in-place "
                    f"operation: it is at version {version_of(t)}; expected version {v}. Fix: "
                    "change a copy (x = x.clone()) or do the in-place change after backward.")
            out.append(self._saved_view(t))
        return tuple(out)

    def mark_non_differentiable(self, *outputs) -> None:
        """Declare outputs that carry no derivative (indices, masks)."""
        self._non_differentiable.update(id(o) for o in outputs)

    def set_materialize_grads(self, value: bool) -> None:
        """``False``: ``backward`` receives None, not zeros, for outputs without gradient."""
        self._materialize = bool(value)

    def mark_dirty(self, *tensors) -> None:
        raise NotImplementedError(f"{self._fn.__name__}: in-place custom functions "
                                  "(mark_dirty) are not supported; return a new tensor")

    # -- what the rules call ----------------------------------------------------------
    def _saved_view(self, t):
        """A saved tensor as the current derivative computation must see it: an input
        as the caller passed it when the derivative is recorded (so that it is itself
        differentiable), without the forward-mode level being pushed; an output
        connected to its tape entry; else the plain tensor forward saw."""
        view = self._view
        if view is None:
            return t
        for a, p in zip(self._args, self._plain):
            if t is p:
                return a if view is True else _without_level(a, view, _fw_state.levels)
        for k, o in enumerate(self._outputs):
            if t is o and self._out_nodes[k] is not None:
                node = self._out_nodes[k]()
                if node is not None:
                    w = _wrap(t._data, node, True)
                    fw = self._out_fw[k]
                    if fw:
                        w._fw = {lv: d for lv, d in fw.items()
                                 if lv != view and lv in _fw_state.levels} or None
                    return w
        return t

    def _call(self, method, ns, view, values):
        self._view = None if ns is FAST else view
        try:
            return method(self, *values)
        finally:
            self._view = None

    def _vjp(self, k, i, ct, ns):
        cache = self._cache
        if cache is None or cache[0] != "vjp" or cache[1] != k or cache[2] is not ct:
            grads = [None] * len(self._outputs)
            for j, o in enumerate(self._outputs):
                if j != k and self._materialize and type(o) in TENSOR_TYPES:
                    grads[j] = _wrap(np.zeros(o._data.shape, o._data.dtype))
            grads[k] = ct if type(ct) in TENSOR_TYPES else _wrap(ct)
            result = self._call(self._fn.backward, ns, True, grads)
            cache = self._cache = ("vjp", k, ct, self._check(result, "backward", "gradient"))
        return self._as_ns(cache[3][i], self._args[i], ns)

    def _jvp(self, k, i, t, ns):
        fn = self._fn
        if fn.jvp is Function.jvp:
            raise RuntimeError(
                f"{fn.__name__}: forward-mode AD (jvp, jacfwd, hessian, forward_ad) needs the "
                f"custom function to define its derivative in that direction: add a "
                f"@staticmethod jvp(ctx, *tangents) to {fn.__name__}, returning one tangent per "
                "output (the saved tensors are available there as in backward).")
        cache = self._cache
        if cache is None or cache[0] != "jvp" or cache[1] != i or cache[2] is not t:
            tangents = [None] * len(self._args)
            for j, a in enumerate(self._args):
                if type(a) in TENSOR_TYPES:
                    tangents[j] = _wrap(np.zeros(a._data.shape, a._data.dtype))
            tangents[i] = t if type(t) in TENSOR_TYPES else _wrap(t)
            level = max((lv for a in self._args if type(a) in TENSOR_TYPES and a._fw
                         for lv in a._fw if lv in _fw_state.levels), default=None)
            result = self._call(fn.jvp, ns, level, tangents)
            result = result if isinstance(result, tuple) else (result,)
            if len(result) != len(self._outputs):
                raise RuntimeError(f"{fn.__name__}.jvp returned {len(result)} tangents, but "
                                   f"forward returned {len(self._outputs)} outputs")
            cache = self._cache = ("jvp", i, t, result)
        return self._as_ns(cache[3][k], self._outputs[k], ns)

    def _check(self, result, method, what):
        fn = self._fn
        result = result if isinstance(result, tuple) else (result,)
        if len(result) != len(self._args):
            raise RuntimeError(f"{fn.__name__}.{method} returned {len(result)} {what}s, but "
                               f"forward took {len(self._args)} inputs: return one per input "
                               "(None for an input without one)")
        for j, (g, a) in enumerate(zip(result, self._args)):
            if g is None or type(a) not in TENSOR_TYPES:
                continue
            shape = g.shape if hasattr(g, "shape") else np.shape(g)
            if tuple(shape) != a._data.shape:
                raise RuntimeError(f"{fn.__name__}.{method} returned a {what} of shape "
                                   f"{tuple(shape)} for input {j}, which has shape "
                                   f"{a._data.shape}; they must match")
        return result

    @staticmethod
    def _as_ns(g, like, ns):
        """A user's result as the rule namespace needs it: raw array or tensor, in the
        dtype of ``like``; zeros for None."""
        dtype = like._data.dtype
        if g is None:
            g = _wrap(np.zeros(like._data.shape, dtype))
        elif type(g) not in TENSOR_TYPES:
            g = _wrap(np.asarray(g))
        if ns is FAST:
            data = g._data
            return data if data.dtype == dtype else data.astype(dtype)
        return g if g._data.dtype == dtype else g.to(dtype)


class _FunctionMap(LinearMap):
    """Output ``k``'s derivative in input ``i``: ``backward`` transposes, ``jvp`` applies."""

    __slots__ = ("ctx", "k", "i")

    def __init__(self, ctx, k, i):
        self.ctx, self.k, self.i = ctx, k, i

    def apply(self, ns, t):
        return self.ctx._jvp(self.k, self.i, t, ns)

    def transpose(self, ns, ct):
        return self.ctx._vjp(self.k, self.i, ct, ns)


def _output(*arrays_and_params):
    """The primitive's forward: output ``k`` of the forward that already ran."""
    ctx, k = arrays_and_params[-2:]
    return ctx._outputs[k]._data


def _rule(ns, i, out, *saved_and_params):
    ctx, k = saved_and_params[-2:]
    return _FunctionMap(ctx, k, i)


class _FunctionPrimitive(Primitive):
    """The primitive of one ``Function`` subclass (kept out of the registry of ops)."""

    __slots__ = ()

    def __init__(self, name):  # noqa: D107 - deliberately does not register
        self.name, self.impl, self.rule = name, _output, _rule
        self.save, self.save_out, self.n_params = None, False, 2
        self.broadcasts = self.view = False
        self.variadic, self.fast, self.readers, self.residual = True, None, None, None


class Function:
    """Base class of custom differentiable functions (PyTorch's ``torch.autograd.Function``).

    Define as static methods ``forward(ctx, *args)`` (returns a tensor or a tuple),
    ``backward(ctx, *grads)`` (one gradient per forward input, None where there is
    none) and optionally ``jvp(ctx, *tangents)`` (one tangent per output), or
    ``forward(*args)`` plus ``setup_context(ctx, inputs, output)``. Call ``apply``.
    ``backward`` written with wengert ops is itself differentiable (``create_graph``).
    """

    _primitive: _FunctionPrimitive

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls._primitive = _FunctionPrimitive(cls.__name__)

    def __init__(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__}: call {type(self).__name__}.apply(...) "
                           "rather than instantiating the Function")

    @staticmethod
    def forward(ctx, *args):
        raise NotImplementedError("a custom Function must define forward")

    @staticmethod
    def backward(ctx, *grads):
        raise NotImplementedError("a custom Function must define backward to be used in "
                                  "reverse mode")

    @staticmethod
    def jvp(ctx, *tangents):
        raise NotImplementedError

    @staticmethod
    def setup_context(ctx, inputs, output):
        raise NotImplementedError

    @classmethod
    def apply(cls, *args):
        """Run ``forward`` once and put each output on the tape."""
        ctx = FunctionCtx(cls, args)
        plain = tuple(a.detach() if type(a) in TENSOR_TYPES else a for a in args)
        ctx._plain = plain
        with no_grad():
            if cls.setup_context is not Function.setup_context:
                result = cls.forward(*plain)
                cls.setup_context(ctx, plain, result)
            else:
                result = cls.forward(ctx, *plain)
        single = not isinstance(result, tuple)
        outputs = (result,) if single else result
        ctx._outputs = outputs
        ctx._out_nodes = ctx._out_fw = (None,) * len(outputs)
        differentiable = any(type(a) in TENSOR_TYPES and (
            a._fw is not None or (a._requires_grad and _mode.enabled)) for a in args)
        if not differentiable:
            return result
        prim, nodes, tangents, final = cls._primitive, [], [], []
        for k, o in enumerate(outputs):
            if type(o) not in TENSOR_TYPES or id(o) in ctx._non_differentiable \
                    or o._data.dtype.kind not in "fc":
                final.append(o)
                nodes.append(None)
                tangents.append(None)
                continue
            t = bind(prim, args, (ctx, k))
            final.append(t)
            nodes.append(None if t._node is None else weakref.ref(t._node))
            tangents.append(t._fw)
        ctx._out_nodes, ctx._out_fw = tuple(nodes), tuple(tangents)
        return final[0] if single else tuple(final)


__all__ = ["Function", "FunctionCtx"]
