"""Primitives and ``bind``, the one place where an operation meets the tape.

A ``Primitive`` pairs a forward implementation on raw arrays with ONE
derivative rule. The rule receives a namespace ``ns``, the output (when
saved), the saved inputs and the static parameters, and returns one linear
map per input (see ``autograd.linear``). The same rule serves

* reverse mode: the engine calls ``map.transpose`` on the cotangent, and
* forward mode: ``bind`` calls ``map.apply`` on the tangents,

and because it is written against ``ns``, it runs on raw arrays when only a
first derivative is wanted (``ns = FAST``: NumPy, nothing recorded) and on
tensors when a higher derivative is being built (``ns = DIFF``: each op is
itself recorded). Broadcasting is undone centrally: ``bind`` notes on the node
which inputs were broadcast or promoted, the engine sums and casts them back.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ._backend import (
    broadcast_for_rules,
    complex_dtype_of,
    default_complex_dtype,
    get_default_dtype,
    ndarray,
    shares_memory,
)
from ._tensor import TENSOR_TYPES, Tensor, _wrap, check_view_is_current, make_view, version_of
from .autograd.grad_mode import _OFF, _mode
from .autograd.linear import IDENTITY, LINEAR_MAP_TYPES, enter_quiet, exit_quiet
from .autograd.node import SEQ, Node, TensorVersions, node_extra

VALUE = "value"
"""Save mode: the rule needs this input's value."""
SPEC = "spec"
"""Save mode: the rule needs only this input's shape and dtype (an ``ArraySpec``)."""

REGISTRY: dict[str, Primitive] = {}

OBSERVERS: list = []
"""Callbacks ``f(prim, node, output, args)`` told of every op (``node`` is None when it was
not recorded): ``tools.tape.recording`` and ``autograd.detect_anomaly``."""

PACK = None
"""``autograd.graph.pack_node`` while a ``saved_tensors_hooks`` context is open, else None:
tape entries that save values are handed to it (one global test when none is open)."""

FAST = SimpleNamespace()
"""Rule namespace on raw arrays: each primitive's forward implementation
(or its stand-in from ``_FAST_OVERRIDES``)."""
DIFF = SimpleNamespace()
"""Rule namespace on tensors: each primitive, recorded (for higher order)."""


_FAST_OVERRIDES = {"broadcast_to": broadcast_for_rules}
"""Rules on raw arrays may use a faster equivalent of a primitive's forward:
a backward pass never writes into a broadcast, so it need not be a view."""


class Primitive:
    """An operation the tape knows how to differentiate.

    Args:
        name: the name shown on the tape and in error messages.
        impl: ``impl(*arrays, *params) -> array``, the forward computation.
        rule: the derivative, one function per input (PyTorch's derivatives.yaml
            has one formula per input too): ``rule[i](ns, out, *saved, *params)``
            returns the linear map from input ``i``'s perturbation to the
            output's, a multiplier, or ``None`` for no dependence. Only the
            inputs that need a derivative are asked. A variadic primitive has
            one function ``rule(ns, i, out, *saved, *params)``. ``None`` marks
            a primitive that is not differentiable.
        save: per input, ``VALUE``, ``SPEC`` or ``None`` (what the rule needs);
            for a variadic primitive, one mode for every input.
        save_out: the rule needs the output value.
        n_params: how many trailing positional arguments are static parameters.
        uses: per rule, the indices of the saved inputs it reads (default: all).
            A value is saved only when a rule that reads it will run, so
            ``x * c`` keeps nothing of ``x`` when ``c`` needs no gradient (and
            an in-place change of ``x`` afterwards is no error), as in PyTorch.
        broadcasts: inputs may broadcast against each other (the engine sums
            their gradients back to their shapes).
        view: the output shares memory with input 0 (it shares its version counter).
        residual: ``residual(*arrays, *params) -> (out, residual)``, the forward
            computation that also returns intermediate results the rule can reuse
            (``exp`` of the logits, say), used when the op is recorded. The rule
            then takes one more argument after the params: the residual, handed
            over once, to a first-order reverse pass; ``None`` otherwise (higher
            orders, forward mode, a second pass through a retained graph, or
            while ``saved_tensors_hooks`` are open), when the rule recomputes.
    """

    __slots__ = ("name", "impl", "rule", "save", "save_out", "n_params", "broadcasts",
                 "view", "variadic", "fast", "readers", "residual", "plan")

    def __init__(self, name, impl, rule=None, *, save=(), save_out=False, n_params=0,
                 uses=None, broadcasts=False, view=False, residual=None):
        if name in REGISTRY:
            raise ValueError(f"primitive '{name}' is already registered")
        self.name, self.impl, self.rule = name, impl, rule
        if isinstance(rule, tuple) and not save:
            save = (None,) * len(rule)
        if isinstance(rule, tuple) and len(save) != len(rule):
            raise ValueError(f"primitive '{name}': {len(rule)} rules but {len(save)} save modes")
        self.variadic = rule is not None and not isinstance(rule, tuple)
        self.save = save
        self.save_out, self.n_params = save_out, n_params
        self.broadcasts, self.view = broadcasts, view
        self.residual = residual if rule is not None else None
        self.fast = None  # the specialized function, for unary and binary elementwise ops
        # readers[i]: the rules that read saved input i (None: every rule).
        self.readers = None if uses is None else tuple(
            tuple(j for j, used in enumerate(uses) if i in used) for i in range(len(uses)))
        REGISTRY[name] = self
        setattr(FAST, name, _FAST_OVERRIDES.get(name, impl))
        setattr(DIFF, name, self._differentiable_call)

    def __setattr__(self, name, value):
        """Set a field; any change but to ``plan`` drops the engine's plan (made from the
        rules on first use: see ``autograd.engine._plan``), so a primitive given new
        rules is run with them. (Setting is rare; reading, per node, stays a slot read.)"""
        _set_field(self, name, value)
        if name != "plan":
            _set_field(self, "plan", None)

    def _differentiable_call(self, *args):
        n = len(args) - self.n_params
        return bind(self, args[:n], args[n:])

    def __repr__(self):
        return f"<primitive {self.name}>"


_set_field = object.__setattr__


def _save_modes(prim, n):
    if prim.variadic:
        return (prim.save,) * n
    return prim.save if prim.rule is not None else (None,) * n


# -- the tape: recording one application ----------------------------------


def bind(prim: Primitive, args: tuple, params: tuple = ()) -> Tensor:
    """Apply ``prim`` to ``args`` (tensors or raw constants) and record it if needed."""
    record = False
    arrays = []
    for a in args:  # (one pass: the inputs' arrays, and whether to record)
        if type(a) in TENSOR_TYPES:
            if a._fw is not None:
                return _bind_dual(prim, args, params)
            if a._requires_grad:
                record = True
            arrays.append(a._data)
        else:
            arrays.append(a)
    if prim.view and type(args[0]) in TENSOR_TYPES and type(arrays[0]) is not ndarray:
        _as_array_data(args[0])
        arrays[0] = args[0]._data
    record = record and (not _OFF or _mode.enabled) and prim.rule is not None
    residual = None
    try:
        if record and prim.residual is not None:
            out, residual = prim.residual(*arrays, *params)
        else:
            out = prim.impl(*arrays, *params)
    except (ValueError, TypeError, IndexError, OverflowError) as e:
        raise op_error(prim, arrays, e) from None
    if record:
        return _record(prim, args, arrays, params, out, residual)
    result = _wrap(out)
    if prim.view and type(args[0]) in TENSOR_TYPES and shares_memory(out, arrays[0]):
        make_view(result, args[0])  # (a view of a raw constant is a plain new tensor)
    if OBSERVERS:
        _notify(prim, None, result, args)
    return result


def _record(prim, args, arrays, params, out, residual=None) -> Tensor:
    """Put one application of ``prim`` on the tape; return its output tensor.

    One pass over the inputs, building only what the node keeps (``binary_fn``
    is the same, spelled out for two inputs): linear layers, losses and
    reductions come here once per call, and a small model's step is mostly
    such fixed costs.
    """
    n = len(args)
    modes = (prim.save,) * n if prim.variadic else prim.save
    readers = prim.readers
    parents = [None] * n
    saved = [None] * n
    versions = None  # made when a tensor's value is saved
    meta = None
    tensor_saved = False  # a leaf, a view or a constant tensor is among the saved values
    for i in range(n):
        a, mode = args[i], modes[i]
        if mode is VALUE and readers is not None:
            for j in readers[i]:  # (a loop: any() of a generator costs a frame per call)
                r = args[j]
                if type(r) in TENSOR_TYPES and r._requires_grad:
                    break
            else:
                mode = None  # no rule that reads it will run
        if type(a) not in TENSOR_TYPES:
            if mode is VALUE:
                saved[i] = a
            elif mode is SPEC:
                saved[i] = ArraySpec(a)
            continue
        if a._rare is not None:  # (a view has rare fields: its base)
            check_view_is_current(a)
        if a._requires_grad:
            parents[i] = a._node or a
            if prim.broadcasts:
                arr = arrays[i]
                if arr.shape != out.shape or arr.dtype != out.dtype:
                    if meta is None:
                        meta = [None] * n
                    meta[i] = (arr.shape, arr.dtype)
        if mode is VALUE:
            if versions is None:
                versions = [None] * n
            node = a._node
            if node is not None and a._vc is None:  # a raw array or the tensor: see Node.saved
                saved[i], versions[i] = a._data, node.mods
            else:
                saved[i], versions[i] = a, (0 if a._vc is None else a._vc[0])
                tensor_saved = True
        elif mode is SPEC:
            saved[i] = ArraySpec(arrays[i])
    result = _wrap(out, None, True)
    if prim.view and type(args[0]) in TENSOR_TYPES and shares_memory(out, arrays[0]):
        make_view(result, args[0])
    if versions is not None:
        versions = (TensorVersions if tensor_saved else tuple)(versions)
    result._node = node = Node()  # Node.make(prim, parents, saved, ...), inlined
    node.prim = prim
    if n == 1 or n == 2:  # the parents and saved values inline (see Node)
        node.ps, node.p0, node.p1 = n, parents[0], parents[-1] if n == 2 else None
        node.s0, node.s1 = saved[0], saved[-1] if n == 2 else None
    else:
        node.ps, node.p0, node.p1 = tuple(parents), None, None
        node.s0, node.s1 = tuple(saved), None
    node.versions, node.params = versions, params
    node.out, node.mods, node.meta = out if prim.save_out else None, 0, meta
    node.seq = next(SEQ)
    node.extra = None
    if PACK is not None:
        if versions is not None or prim.save_out:
            PACK(node)
    elif residual is not None:  # (not kept past hooks that promise to hold saved values)
        node_extra(node).residual = residual
    if OBSERVERS:
        _notify(prim, node, result, args)
    return result


def _notify(prim, node, result, args):
    for observer in OBSERVERS:
        observer(prim, node, result, args)


def op_error(prim: Primitive, arrays, error: Exception) -> Exception:
    """The NumPy error of a primitive, restated with the op, the shapes and the fix."""
    described = ", ".join(
        f"{tuple(a.shape)} {a.dtype}" if hasattr(a, "shape") else repr(a) for a in arrays)
    message = f"{prim.name}: {error} (inputs: {described})"
    if prim.broadcasts and "broadcast" in str(error):
        shapes = " and ".join(str(tuple(a.shape)) for a in arrays if hasattr(a, "shape"))
        message = (f"{prim.name}: shapes {shapes} do not broadcast: aligned from the right, "
                   "each pair of dimensions must be equal or one of them 1. Reshape or "
                   "unsqueeze an operand so they line up.")
    # PyTorch reports shape errors as RuntimeError; keep IndexError and TypeError.
    if isinstance(error, (ValueError, OverflowError)):
        return RuntimeError(message)
    try:
        return type(error)(message)
    except TypeError:  # a NumPy subclass (a ufunc with no loop for a dtype) wants more
        return next(k for k in type(error).__mro__ if k.__module__ == "builtins")(message)


# -- fast paths for the operators (most of a program's ops) --------------


def unary_fn(prim: Primitive, floating: bool = False):
    """The function applying a one-input, parameter-free ``prim``: ``bind``, specialized.

    Operators and elementwise functions are most of what a program runs, so
    their path is spelled out once here with everything known about the
    primitive looked up in advance, and allocates only what the tape keeps.
    ``floating``: integer inputs give the default float dtype (``exp`` of an
    int64 tensor is float32, as in PyTorch).
    """
    impl, save_out = prim.impl, prim.save_out
    differentiable = prim.rule is not None
    save_x = differentiable and prim.save[0] is VALUE

    def apply(x) -> Tensor:
        if type(x) is not Tensor and type(x) not in TENSOR_TYPES:  # (see binary_fn)
            x = _as_tensor(x)
        if x._fw is not None:
            return _bind_dual(prim, (x,), ())
        xd = x._data
        if floating and not x._requires_grad and xd.dtype.kind in "biu":
            xd = _in_default_float(xd)
        try:
            out = impl(xd)
        except (ValueError, TypeError) as e:
            raise op_error(prim, (xd,), e) from None
        t = _new(Tensor)  # _wrap, inlined (a statement per store: cheaper than chained ones)
        t._data = out
        t._vc = None
        t._fw = None
        t._grad = None
        t._rare = None
        if not (x._requires_grad and (not _OFF or _mode.enabled) and differentiable):
            t._node = None
            t._requires_grad = False
            if OBSERVERS:
                _notify(prim, None, t, (x,))
            return t
        t._requires_grad = True
        if x._rare is not None:  # (a view has rare fields: its base)
            check_view_is_current(x)
        node = x._node
        if save_x:
            if node is not None and x._vc is None:  # (as in _record: see Node.saved)
                saved, version = x._data, node.mods
                versions = _ZERO1 if version == 0 else (version,)
            else:
                saved, versions = x, TensorVersions((version_of(x),))
        else:
            saved = versions = None
        t._node = n = Node()  # Node.make(prim, (node or x,), saved, ...), inlined
        n.prim = prim
        n.p0 = node or x
        n.ps = 1
        n.p1 = None
        n.meta = None
        n.extra = None
        n.s0 = saved
        n.s1 = None
        n.versions = versions
        n.params = ()
        n.out = out if save_out else None
        n.mods = 0
        n.seq = next(SEQ)
        if PACK is not None and (save_x or save_out):
            PACK(t._node)
        if OBSERVERS:
            _notify(prim, t._node, t, (x,))
        return t

    return _specialized(prim, apply)


def binary_fn(prim: Primitive, floating: bool = False, array_constants: bool = False):
    """The function applying a two-input elementwise ``prim``; see ``unary_fn``.

    Either argument may be a constant (a number or an array), as in ``2 * x``.
    ``array_constants``: a Python float meeting a float array is turned into a
    cached 0-d array of the array's dtype (the same value NumPy would use): a
    ufunc call with a Python float costs twice as much as with a 0-d array.
    """
    impl, save_out = prim.impl, prim.save_out
    differentiable = prim.rule is not None
    save_a, save_b = prim.save if differentiable else (None, None)
    save_a, save_b = save_a is VALUE, save_b is VALUE
    readers = prim.readers or ((0, 1), (0, 1))
    a_for_a, a_for_b = 0 in readers[0], 1 in readers[0]
    b_for_a, b_for_b = 0 in readers[1], 1 in readers[1]

    cached = (None, None, None)  # the last float constant, the dtype it met, its array

    def _cached_constant(value: float, dtype):
        nonlocal cached
        c = _array_constant(value, dtype)
        if not c.flags.writeable:  # (a shared one: not 0.0 or NaN)
            cached = (value, dtype, c)  # one tuple: threads read it whole
        return c

    def apply(a, b) -> Tensor:
        # (``type(x) is Tensor`` first: a set lookup costs more, and nearly every
        # operand is a plain Tensor or a number)
        ta = type(a) is Tensor or type(a) in TENSOR_TYPES
        last = cached
        if ta and b is last[0] and type(ad := a._data) is ndarray and ad.dtype is last[1] and (
                a._fw is None):
            # The float constant of an earlier call (``x * 0.9`` in a loop) meeting the
            # same dtype again: its cached array, without the checks below.
            b = bd = last[2]
            tb = mixed = False
            weak, ra, rb = True, a._requires_grad, False
        else:
            tb = type(b) is Tensor or type(b) in TENSOR_TYPES
            if not ta and type(a) is ndarray:  # an array operand follows tensor promotion
                a, ta = _wrap(a), True
            if not tb and type(b) is ndarray:
                b, tb = _wrap(b), True
            mixed = False
            if ta and tb:
                if a is not b and a._data.dtype is not b._data.dtype:
                    a, b = promote(a, b)
                    mixed = True
                if a._fw is not None or b._fw is not None:
                    return _bind_dual(prim, (a, b), ())
                ad, bd = a._data, b._data
                if type(ad) is not type(bd):  # a NumPy scalar and an array (after promote):
                    # NumPy takes ten times longer for a scalar with a 0-d array than for
                    # two scalars, and gives the same scalar.
                    if type(bd) is ndarray and not bd.ndim:
                        bd = bd[()]
                    elif type(ad) is ndarray and not ad.ndim:
                        ad = ad[()]
                ra, rb = a._requires_grad, b._requires_grad
            elif ta:
                tv = type(b)
                if tv is not float and tv is not int:
                    b = constant(b)
                    if type(b) is complex and a._data.dtype.kind in "biu":
                        a = a.to(default_complex_dtype())
                if type(b) is float and a._data.dtype.kind in "biu":
                    a = _to_default_float(a)
                if a._fw is not None:
                    return _bind_dual(prim, (a, b), ())
                ad = a._data
                weak = type(b) in _WEAK  # takes the tensor's dtype and shape
                if array_constants and type(b) is float and type(ad) is ndarray:
                    b = _cached_constant(b, ad.dtype)
                bd = b
                ra, rb = a._requires_grad, False
            else:
                if not tb:
                    return apply(_as_tensor(a), b)
                bd = b._data
                if a is last[0] and type(bd) is ndarray and bd.dtype is last[1] and b._fw is None:
                    a = ad = last[2]  # (as above: ``0.5 * x`` in a loop)
                    weak, ra, rb = True, False, b._requires_grad
                else:
                    a = constant(a)
                    if type(a) is complex and b._data.dtype.kind in "biu":
                        b = b.to(default_complex_dtype())
                    if type(a) is float and b._data.dtype.kind in "biu":
                        b = _to_default_float(b)
                    if b._fw is not None:
                        return _bind_dual(prim, (a, b), ())
                    bd = b._data
                    weak = type(a) in _WEAK
                    if array_constants and type(a) is float and type(bd) is ndarray:
                        a = _cached_constant(a, bd.dtype)
                    ad = a
                    ra, rb = False, b._requires_grad
        if floating and not (ra or rb) and _integral(ad) and _integral(bd):
            ad, bd = _in_default_float(ad), _in_default_float(bd)
        try:
            out = impl(ad, bd)
        except (ValueError, TypeError, OverflowError) as e:
            raise op_error(prim, (ad, bd), e) from None
        t = _new(Tensor)  # _wrap, inlined (as in unary_fn)
        t._data = out
        t._vc = None
        t._fw = None
        t._grad = None
        t._rare = None
        if not ((ra or rb) and (not _OFF or _mode.enabled) and differentiable):
            t._node = None
            t._requires_grad = False
            if OBSERVERS:
                _notify(prim, None, t, (a, b))
            return t
        t._requires_grad = True
        if ta and a._rare is not None:  # (a view has rare fields: its base)
            check_view_is_current(a)
        if tb and b._rare is not None:
            check_view_is_current(b)

        # Was an input broadcast or promoted? Two tensors of one dtype (promote
        # saw to that) and one shape make an output of that shape; a Python
        # number takes the tensor's dtype and shape. Only otherwise compare.
        meta = None
        if (ad is not bd and (mixed or bd.shape != ad.shape)) if ta and tb else not weak:
            meta = _broadcast_meta(ad if ra else None, bd if rb else None, out)
        # Save only what a rule that will run reads (x * c keeps nothing of x).
        need_a = save_a and (a_for_a and ra or a_for_b and rb)
        need_b = save_b and (b_for_a and ra or b_for_b and rb)
        if need_a or need_b:
            common = _COMMON_VERSIONS  # (what a node keeps: see Node.saved)
            if need_a and ta:
                node, vc = a._node, a._vc
                if node is not None and vc is None:
                    sa, va = a._data, node.mods
                else:  # (version_of, inlined)
                    sa, va, common = a, 0 if vc is None else vc[0], _COMMON_TENSOR_VERSIONS
            else:
                sa, va = a if need_a else None, None
            if need_b and tb:
                node, vc = b._node, b._vc
                if node is not None and vc is None:
                    sb, vb = b._data, node.mods
                else:  # (version_of, inlined)
                    sb, vb, common = b, 0 if vc is None else vc[0], _COMMON_TENSOR_VERSIONS
            else:
                sb, vb = b if need_b else None, None
            # Versions are almost always 0: share the tuple (one allocation fewer per op).
            # Constants only (x * 0.9 saves 0.9): nothing to check.
            versions = common.get(va, _NO_VERSION).get(vb) or (
                None if va is None and vb is None else
                (tuple if common is _COMMON_VERSIONS else TensorVersions)((va, vb)))
        else:
            sa = sb = versions = None
        t._node = n = Node()  # Node.make(prim, (a, b), (sa, sb), ...), inlined
        n.prim = prim
        n.p0 = (a._node or a) if ra else None
        n.p1 = (b._node or b) if rb else None
        n.ps = 2
        n.s0 = sa
        n.s1 = sb
        n.versions = versions
        n.params = ()
        n.out = out if save_out else None
        n.mods = 0
        n.meta = meta
        n.seq = next(SEQ)
        n.extra = None
        if PACK is not None and (versions is not None or save_out):
            PACK(t._node)
        if OBSERVERS:
            _notify(prim, t._node, t, (a, b))
        return t

    return _specialized(prim, apply)


_WEAK = {float, int, bool}
"""Python numbers: NumPy gives an array op with one of them the array's dtype and shape."""


_constants: dict = {}


def _array_constant(value: float, dtype):
    """The Python float ``value`` as a cached read-only 0-d array of ``dtype``: the
    value NumPy would use for it against an array of that dtype."""
    if not value or value != value:  # keep -0.0 apart from 0.0, and NaNs never repeat
        return np.asarray(value, dtype=dtype)
    by_dtype = _constants.get(dtype)
    if by_dtype is None:
        by_dtype = _constants[dtype] = {}
    c = by_dtype.get(value)
    if c is None:
        if len(by_dtype) > 4096:  # a loop over ever-new constants: don't grow forever
            by_dtype.clear()
        c = by_dtype[value] = np.asarray(value, dtype=dtype)
        c.flags.writeable = False
    return c


def _broadcast_meta(ad, bd, out):
    """``[(shape, dtype) or None] * 2``: the inputs (given if differentiable) that differ
    from the output, for the engine to sum and cast their cotangents back; or None."""
    meta = [None, None]
    for i, d in enumerate((ad, bd)):
        if d is not None and (d.shape != out.shape or d.dtype != out.dtype):
            meta[i] = (d.shape, d.dtype)
    return meta if meta != [None, None] else None


def _specialized(prim: Primitive, apply):
    apply.__name__ = apply.__qualname__ = prim.name
    prim.fast = apply
    return apply


_new = object.__new__
_NOTHING1 = (None,)
_ZERO1 = (0,)
_COMMON_VERSIONS = {0: {0: (0, 0), None: (0, None)}, None: {0: (None, 0)}}
_COMMON_TENSOR_VERSIONS = {a: {b: TensorVersions(v) for b, v in row.items()}
                           for a, row in _COMMON_VERSIONS.items()}
_NO_VERSION: dict = {}


def _as_array_data(t) -> None:
    """Store a 0-d result as a 0-d array rather than a NumPy scalar before a view of
    it is taken: a scalar is immutable, so a "view" of it would be a copy."""
    if type(t) in TENSOR_TYPES and type(t._data) is not ndarray:
        t._data = np.asarray(t._data)


def _in_default_float(x):
    """An integer or bool operand of a floating op (``exp``, ``atan2``) in the default float
    dtype, before the op: PyTorch computes in that dtype, where NumPy would pick float16
    for int8, uint8 and bool (float32 for int16) and lose digits. A Python number stays
    one (it takes the other operand's dtype)."""
    return x.astype(get_default_dtype()) if hasattr(x, "astype") else x


def _integral(x) -> bool:
    """An integer or bool operand (array, NumPy scalar or Python number)."""
    kind = x.dtype.kind if hasattr(x, "dtype") else ("f" if isinstance(x, float) else "i")
    return kind in "biu"


def _as_tensor(x) -> Tensor:
    from ._creation import as_tensor

    return as_tensor(x)


_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2, "c": 3}


def promote(a: Tensor, b: Tensor):
    """PyTorch's type promotion for two tensors of different dtypes.

    A higher category (bool < integer < floating < complex) wins outright;
    within a category a 0-d tensor gives way to a dimensioned one (``f32_t +
    0-d f64`` stays float32); otherwise NumPy's promotion, which agrees with
    PyTorch's. Floating meeting complex keeps the larger precision
    (``c64 + f64 -> c128``) unless a 0-d operand brings it (``f32_t + 0-d c128
    -> c64``).
    """
    da, db = a._data.dtype, b._data.dtype
    ca, cb = _CATEGORY[da.kind], _CATEGORY[db.kind]
    if ca + cb == 5:  # floating and complex
        dtype = _complex_promotion(a, b) if ca == 3 else _complex_promotion(b, a)
    elif ca != cb:
        dtype = da if ca > cb else db
    elif a._data.ndim == 0 and b._data.ndim:
        dtype = db
    elif b._data.ndim == 0 and a._data.ndim:
        dtype = da
    else:
        dtype = np.promote_types(da, db)
    # Both operands are given the common dtype before the op (not left to NumPy's loop),
    # so that a rule reading the narrower input (pow's log(x) of a float16 x) runs at the
    # result's precision, as PyTorch's does.
    return (a if da == dtype else a.to(dtype)), (b if db == dtype else b.to(dtype))


def _complex_promotion(c: Tensor, f: Tensor):
    """The dtype of complex ``c`` combined with floating ``f`` (PyTorch's rule)."""
    if c._data.ndim == 0 and f._data.ndim:
        return complex_dtype_of(f._data.dtype)
    if f._data.ndim == 0 and c._data.ndim:
        return c._data.dtype
    return np.promote_types(c._data.dtype, f._data.dtype)


def _to_default_float(t: Tensor) -> Tensor:
    """An integer tensor meeting a Python float becomes the default float dtype (PyTorch)."""
    return t.to(get_default_dtype())


def constant(value):
    """A non-tensor operand, as NumPy should see it.

    Python numbers stay Python numbers: NumPy treats them as weakly typed, so
    ``float32_tensor * 2.0`` stays float32. NumPy scalars become Python
    numbers for the same reason (PyTorch treats them as numbers, too).
    """
    tv = type(value)
    if tv is float or tv is int or tv is bool or tv is complex:
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (list, tuple)):
        return np.asarray(value)
    raise TypeError(
        f"unsupported operand type {tv.__name__!r} in an operation with a Tensor: "
        "use a Tensor, a NumPy array or a Python number"
    )


# -- forward mode -----------------------------------------------------------


def _bind_dual(prim: Primitive, args: tuple, params: tuple) -> Tensor:
    """Bind when some input carries forward-mode tangents.

    Tangents are keyed by level. The highest active level is peeled off: the
    primal computation (which may carry lower levels, and may be recorded for
    reverse mode) runs through ``bind`` again, then the rule pushes this
    level's tangents through the same linear maps the engine transposes.
    Perturbations of different levels therefore never mix.
    """
    from .autograd.grad_mode import _fw_state

    active = _fw_state.levels
    level = max((k for a in args if type(a) in TENSOR_TYPES and a._fw is not None
                 for k in a._fw if k in active), default=None)
    primals = tuple(_without_level(a, level, active) for a in args)
    out = bind(prim, primals, params)
    node = out._node
    if node is not None and node.versions is not None:
        # Saved values keep their tangents, so a backward pass built on this
        # node (create_graph) carries this level too: forward-over-reverse.
        saved, versions = list(node.saved), list(node.versions)
        kind = type(node.versions)
        for i, p in enumerate(primals):
            if versions[i] is not None and p is not args[i] and (
                    saved[i] is p or saved[i] is p._data or (
                        PACK is not None and hasattr(saved[i], "unpack_hook"))):
                saved[i], versions[i] = args[i], version_of(args[i])  # (not packed)
                if kind is tuple:
                    kind = TensorVersions
        node.saved, node.versions = tuple(saved), kind(versions)
    if level is None or prim.rule is None:
        return out
    tangents = [a._fw.get(level) if type(a) in TENSOR_TYPES and a._fw is not None else None
                for a in args]
    lower_order = any(
        (type(p) in TENSOR_TYPES and (p._fw is not None or (p._requires_grad and _mode.enabled)))
        for p in (*primals, *(t for t in tangents if t is not None)))
    if lower_order:  # the tangent computation must itself be differentiable
        ns, rule_out, unwrap = DIFF, out, None
        rule_args = primals
    else:  # plain forward mode: push raw arrays, record nothing
        ns, rule_out, unwrap = FAST, out._data, True
        rule_args = tuple(p._data if type(p) in TENSOR_TYPES else p for p in primals)
        tangents = [None if t is None else t._data for t in tangents]
    saved = [rule_args[i] if mode is VALUE else
             (ArraySpec(rule_args[i]) if mode is SPEC else None)
             for i, mode in enumerate(_save_modes(prim, len(args)))]
    out_shape, out_dtype = out._data.shape, out._data.dtype
    rule_out = rule_out if prim.save_out else None
    total = None
    quiet = enter_quiet()  # (quiet_rules(), entered per op: see enter_quiet)
    try:
        for i, t in enumerate(tangents):
            if t is None:
                continue
            m = input_map(prim, i, ns, rule_out, saved, params)
            if m is None:
                continue
            term = apply_map(ns, m, t)
            if term.shape != out_shape:
                term = ns.broadcast_to(term, out_shape)
            if term.dtype != out_dtype:
                term = ns.astype(term, out_dtype)
            total = term if total is None else total + term
    finally:
        exit_quiet(quiet)
    if total is None:
        return out
    if unwrap:
        total = _wrap(total)
    out._fw = {**(out._fw or {}), level: total}
    if out._node is not None and out._node.out is not None:
        node_extra(out._node).out_fw = out._fw
    return out


def input_map(prim, i, ns, out, saved, params):
    """The linear map of input ``i`` of ``prim``, from its rule (with no residual)."""
    if prim.residual is not None:
        params = (*params, None)
    if prim.variadic:
        return prim.rule(ns, i, out, *saved, *params)
    return prim.rule[i](ns, out, *saved, *params)


class ArraySpec:
    """What a rule saved of an input when it needs only its shape and dtype."""

    __slots__ = ("shape", "dtype")

    def __init__(self, x):
        if type(x) in TENSOR_TYPES:
            x = x._data
        self.shape = getattr(x, "shape", ())
        self.dtype = getattr(x, "dtype", None)

    @property
    def ndim(self):
        return len(self.shape)


def _without_level(a, level, active):
    """``a`` with the tangent of ``level`` (and of finished levels) removed."""
    if type(a) not in TENSOR_TYPES or a._fw is None:
        return a
    rest = {k: v for k, v in a._fw.items() if k != level and k in active}
    node = a._node
    if node is None and a._requires_grad:
        # A leaf: route the copy's gradient to the leaf itself through an alias.
        node = Node.make(alias_p, (a,), _NOTHING1, None, (), None, None)
    t = make_view(_wrap(a._data, node, a._requires_grad), a)
    t._fw = rest or None
    return t


alias_p = Primitive("alias", lambda x: x.view(), view=True,
                    rule=(lambda ns, out, x: IDENTITY,))
"""The identity, as a new tensor viewing the same data: a fresh node on the tape."""


def apply_map(ns, m, t):
    """Push tangent ``t`` through the linear map (or multiplier) ``m``: a JVP."""
    if m is IDENTITY:
        return t
    if type(m) in LINEAR_MAP_TYPES:
        return m.apply(ns, t)
    return t * m
