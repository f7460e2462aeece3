"""NumPy's protocols on ``Tensor``: ``np.sin(t)``, ``np.sum(t)`` and ``np.float64(2) * t``
give tensors that carry the graph.

* ``__array_ufunc__``: a NumPy ufunc with a tensor among its inputs runs the wengert op
  of the same meaning (``_ufuncs._OPS``). NumPy also routes its binary operators here
  (``array * t``, ``np.float64(2) * t``), so reflected operators give the same tensors
  as before. A ufunc wengert does not know returns ``NotImplemented`` (NumPy then raises
  a ``TypeError`` naming it); ``out=`` is refused (it would lose the graph).
* ``__array_function__``: a NumPy function runs its ``wengert.numpy`` twin
  (``np.concatenate([t, u])``, ``np.linalg.norm(t)``). A function without a twin runs
  NumPy's own on the tensors' data when no tensor requires grad (``np.allclose(t, u)``
  keeps working, and returns what NumPy returns); with one that requires grad NumPy's
  implementation runs on the tensor itself: what reads only ``.shape`` works, what needs
  the values meets ``__array__``'s refusal (the gradient would be silently lost).
* Operators NumPy routes here without a differentiable meaning (``bool_array & t``) go
  to Tensor's own operator, as they did when Tensor opted out of ufuncs.
* ``__array__`` (in ``_tensor.py``): ``np.asarray(t)`` is the data, refused for a tensor
  that requires grad (as PyTorch's ``numpy()``): use ``t.detach()``.
"""

from __future__ import annotations

import numpy as np

from .._tensor import TENSOR_TYPES, Tensor
from ._dispatch import FUNCTIONS, UFUNCS, refuse_out
from ._reductions import cumprod, cumsum, max_, min_, prod, sum_
from ._ufuncs import keyword_impl

# ufunc.reduce / ufunc.accumulate as the reductions and scans they are
_METHODS = {
    (np.add, "reduce"): sum_.tensor_impl, (np.multiply, "reduce"): prod.tensor_impl,
    (np.maximum, "reduce"): max_.tensor_impl, (np.minimum, "reduce"): min_.tensor_impl,
    (np.add, "accumulate"): cumsum.tensor_impl, (np.multiply, "accumulate"): cumprod.tensor_impl,
}


# NumPy's operators without a differentiable meaning (``bool_array & mask_tensor``):
# NumPy routes them here too; they go to Tensor's own operator, as before the protocol.
_OPERATORS = {np.bitwise_and: "and", np.bitwise_or: "or", np.bitwise_xor: "xor",
              np.left_shift: "lshift", np.right_shift: "rshift", np.divmod: "divmod"}


def _operator(ufunc, inputs):
    """Tensor's Python operator for ``ufunc`` (``a & t`` -> ``t.__rand__(a)``), if it has one."""
    if ufunc is np.invert and len(inputs) == 1:
        method = getattr(type(inputs[0]), "__invert__", None)
        return NotImplemented if method is None else method(inputs[0])
    name = _OPERATORS.get(ufunc)
    if name is None or len(inputs) != 2:
        return NotImplemented
    a, b = inputs
    if type(a) in TENSOR_TYPES:
        method = getattr(type(a), f"__{name}__", None)
        return NotImplemented if method is None else method(a, b)
    method = getattr(type(b), f"__r{name}__", None)
    return NotImplemented if method is None else method(b, a)


def array_ufunc(self, ufunc, method, *inputs, **kwargs):
    """NumPy's ufunc ``ufunc`` on inputs that include a tensor: the wengert op."""
    if method == "__call__":
        op = UFUNCS.get(ufunc)
        if op is None:
            return NotImplemented if kwargs else _operator(ufunc, inputs)
        if not kwargs:
            return op(*inputs)
        return keyword_impl(ufunc)(*inputs, **refuse_out(f"numpy.{ufunc.__name__}", kwargs))
    impl = _METHODS.get((ufunc, method))
    if impl is None:
        return NotImplemented
    kwargs = refuse_out(f"numpy.{ufunc.__name__}.{method}", kwargs)
    axis = kwargs.pop("axis", 0)  # a ufunc method's default axis is 0
    return impl(*inputs, axis, **kwargs)


def array_function(self, func, types, args, kwargs):
    """NumPy's function ``func`` on arguments that include a tensor: its wengert.numpy twin."""
    for t in types:
        if t not in TENSOR_TYPES and not issubclass(t, np.ndarray):
            return NotImplemented  # another array library's type: let it decide
    impl = FUNCTIONS.get(func)
    if impl is not None:
        return impl(*args, **refuse_out(f"numpy.{func.__name__}", kwargs))
    return _on_data(func, args, kwargs)


def _on_data(func, args, kwargs):
    """NumPy's own ``func``: on the tensors' data when none requires grad; otherwise on the
    tensors themselves, so that what only reads ``.shape`` works and what needs the values
    meets ``Tensor.__array__``'s refusal (the gradient would be silently dropped)."""
    if any(_requires_grad(a) for group in (args, kwargs.values()) for a in group):
        implementation = getattr(func, "_implementation", None)
        if implementation is None:
            raise TypeError(f"{func.__name__}: NumPy's function cannot take a tensor that "
                            "requires grad; use t.detach() where no gradient is needed")
        return implementation(*args, **kwargs)
    args = [_data(a) for a in args]
    kwargs = {k: _data(v) for k, v in kwargs.items()}
    return func(*args, **kwargs)


def _requires_grad(a) -> bool:
    if type(a) in TENSOR_TYPES:
        return a._requires_grad
    return isinstance(a, (list, tuple)) and any(
        type(b) in TENSOR_TYPES and b._requires_grad for b in a)


def _data(a):
    if type(a) in TENSOR_TYPES:
        return a._data
    if isinstance(a, (list, tuple)) and any(type(b) in TENSOR_TYPES for b in a):
        return type(a)(b._data if type(b) in TENSOR_TYPES else b for b in a)
    return a


def install() -> None:
    """Give ``Tensor`` (and so its subclasses) NumPy's ufunc and function protocols."""
    Tensor.__array_ufunc__ = array_ufunc
    Tensor.__array_function__ = array_function
