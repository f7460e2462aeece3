"""NumPy's ufuncs (elementwise functions) and their wengert equivalents.

Each NumPy ufunc named here maps to the wengert op of the same meaning
(``arcsin`` -> ``wg.asin``, ``subtract`` -> ``wg.sub``); a few NumPy has and
wengert lacks are composites (``cbrt``, ``float_power``, ``positive``).
On tensors the keyword ``dtype`` casts the inputs first (the loop NumPy would
pick); ``out`` is refused.

>>> import numpy as np
>>> import wengert as wg
>>> import wengert.numpy as wnp
>>> wnp.arcsin(np.array([0.5]))            # arrays in: NumPy's own result
array([0.52359878])
>>> x = wg.tensor([0.5], dtype=wg.float64, requires_grad=True)
>>> y = wnp.arcsin(x)                      # tensors in: a tensor on the tape
>>> y.backward(wg.ones_like(y)); x.grad    # 1 / sqrt(1 - x**2)
tensor([1.1547], dtype=float64)
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from .._tensor import TENSOR_TYPES
from ._dispatch import UFUNCS, tensor_arg, twin


def _positive(x):
    return tensor_arg(x).clone()


def _cbrt(x):
    x = tensor_arg(x)
    return wg.sign(x) * wg.abs(x) ** (1.0 / 3.0)


def _float_power(x1, x2):
    """``x1 ** x2`` computed in float64 (complex128 for complex inputs), as NumPy does."""
    x1, x2 = tensor_arg(x1), tensor_arg(x2)
    wide = np.complex128 if "c" in (x1.dtype.kind, x2.dtype.kind) else np.float64
    return wg.pow(wg.astype(x1, wide), wg.astype(x2, wide))


def _isfinite(x):
    return wg.Tensor(np.isfinite(tensor_arg(x)._data))


def _isinf(x):
    return wg.Tensor(np.isinf(tensor_arg(x)._data))


def _signbit(x):
    return wg.Tensor(np.signbit(tensor_arg(x)._data))


# NumPy name -> (wengert op on tensors, differentiable)
_OPS = {
    # one input
    "negative": (wg.neg, True), "positive": (_positive, True), "absolute": (wg.abs, True),
    "fabs": (wg.abs, True), "sign": (wg.sign, True), "exp": (wg.exp, True),
    "exp2": (wg.exp2, True), "expm1": (wg.expm1, True), "log": (wg.log, True),
    "log2": (wg.log2, True), "log10": (wg.log10, True), "log1p": (wg.log1p, True),
    "sqrt": (wg.sqrt, True), "square": (wg.square, True), "reciprocal": (wg.reciprocal, True),
    "cbrt": (_cbrt, True), "sin": (wg.sin, True), "cos": (wg.cos, True), "tan": (wg.tan, True),
    "arcsin": (wg.asin, True), "arccos": (wg.acos, True), "arctan": (wg.atan, True),
    "sinh": (wg.sinh, True), "cosh": (wg.cosh, True), "tanh": (wg.tanh, True),
    "arcsinh": (wg.asinh, True), "arccosh": (wg.acosh, True), "arctanh": (wg.atanh, True),
    "deg2rad": (wg.deg2rad, True), "rad2deg": (wg.rad2deg, True),
    "degrees": (wg.rad2deg, True), "radians": (wg.deg2rad, True),
    "floor": (wg.floor, True), "ceil": (wg.ceil, True), "trunc": (wg.trunc, True),
    "rint": (wg.round, True), "conjugate": (wg.conj, True),
    "isnan": (wg.isnan, False), "isfinite": (_isfinite, False), "isinf": (_isinf, False),
    "signbit": (_signbit, False), "logical_not": (wg.logical_not, False),
    # two inputs
    "add": (wg.add, True), "subtract": (wg.sub, True), "multiply": (wg.mul, True),
    "divide": (wg.div, True), "power": (wg.pow, True), "float_power": (_float_power, True),
    "remainder": (wg.remainder, True), "fmod": (wg.fmod, True),
    "arctan2": (wg.atan2, True), "hypot": (wg.hypot, True), "maximum": (wg.maximum, True),
    "minimum": (wg.minimum, True), "fmax": (wg.fmax, True), "fmin": (wg.fmin, True),
    "logaddexp": (wg.logaddexp, True), "logaddexp2": (wg.logaddexp2, True),
    "copysign": (wg.copysign, True), "matmul": (wg.matmul, True),
    "floor_divide": (wg.floor_divide, False), "equal": (wg.eq, False),
    "not_equal": (wg.ne, False), "less": (wg.lt, False), "less_equal": (wg.le, False),
    "greater": (wg.gt, False), "greater_equal": (wg.ge, False),
    "logical_and": (wg.logical_and, False), "logical_or": (wg.logical_or, False),
    "logical_xor": (wg.logical_xor, False),
}

# NumPy's other names for the same ufuncs (np.abs is np.absolute, ...)
_ALIASES = {"abs": "absolute", "conj": "conjugate", "mod": "remainder", "true_divide": "divide",
            "pow": "power", "acos": "arccos", "asin": "arcsin", "atan": "arctan",
            "acosh": "arccosh", "asinh": "arcsinh", "atanh": "arctanh", "atan2": "arctan2"}


def _with_dtype(op):
    """``op`` taking NumPy's ``dtype=`` keyword: the inputs are cast to it first."""

    def apply(*inputs, dtype=None):
        if dtype is not None:
            inputs = [wg.astype(tensor_arg(x), dtype) if type(x) in TENSOR_TYPES
                      else np.asarray(x, dtype=dtype) for x in inputs]
        return op(*inputs)

    return apply


def _declare():
    names = []
    for name, (op, differentiable) in _OPS.items():
        ufunc = getattr(np, name)
        wg_name = getattr(op, "__name__", name).lstrip("_")
        doc = (f"NumPy's ``{name}`` (a ufunc); on tensors ``wengert.{wg_name}``, which carries "
               "the graph." if differentiable else
               f"NumPy's ``{name}`` (a ufunc); on tensors a tensor without derivative.")
        globals()[name] = twin(ufunc, _with_dtype(op), name, doc, differentiable, __name__)
        UFUNCS[ufunc] = op  # np.sin(t) without keywords calls the op directly (the fast path)
        names.append(name)
    for alias, name in _ALIASES.items():
        globals()[alias] = globals()[name]
        names.append(alias)
    return sorted(names)


__all__ = _declare()


def keyword_impl(ufunc):
    """The tensor implementation of ``ufunc`` that takes NumPy's keywords (``dtype``)."""
    fn = globals().get(ufunc.__name__)
    return None if fn is None else fn.tensor_impl
