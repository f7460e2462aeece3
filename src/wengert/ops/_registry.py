"""Small helpers every ops module uses to declare its public functions."""

from __future__ import annotations

from .._creation import as_tensor
from .._tensor import TENSOR_TYPES, Tensor


def tensor_arg(x) -> Tensor:
    """A function argument as a tensor (arrays and numbers are wrapped, not copied)."""
    return x if type(x) in TENSOR_TYPES else as_tensor(x)


def method(*names):
    """Also make the decorated function a ``Tensor`` method (under ``names``, or its own)."""

    def register(fn):
        for name in names or (fn.__name__,):
            setattr(Tensor, name, fn)
        return fn

    return register


def dim_arg(dim, axis):
    """PyTorch's ``dim`` or NumPy's ``axis``; a list becomes a tuple."""
    if axis is not None:
        if dim is not None:
            raise TypeError("pass either dim or axis, not both")
        dim = axis
    return tuple(dim) if isinstance(dim, list) else dim


def as_float_tensor(x, op: str) -> Tensor:
    """A tensor argument that must be floating point (it carries a derivative)."""
    t = tensor_arg(x)
    if t.dtype.kind not in "fc":
        raise TypeError(f"{op}: expected a floating point tensor, got dtype {t.dtype}")
    return t


# Public functions whose results carry no derivative (comparisons, arg-reductions,
# predicates). Every other public function is differentiable, and the test sweep
# checks that each one is exercised by finite differences.
NOT_DIFFERENTIABLE: set = set()


def not_differentiable(*fns):
    """Declare public functions whose results carry no derivative; returns the first."""
    NOT_DIFFERENTIABLE.update(fns)
    return fns[0]


# Public functions that accept complex input (values, and gradients with PyTorch's
# convention ``dL/dx + i dL/dy``). Every other public function refuses complex input
# with a TypeError naming it (tests/test_complex_coverage.py checks both halves).
COMPLEX_SUPPORT: set = set()


def supports_complex(*fns):
    """Declare public functions that accept complex input; returns the first."""
    COMPLEX_SUPPORT.update(fns)
    return fns[0]


def refuse_complex(t, op: str, why: str = "complex numbers have no order") -> None:
    """Raise the TypeError of ``op`` for a complex tensor ``t`` (PyTorch refuses it too)."""
    if t.dtype.kind == "c":
        raise TypeError(f"{op} is not defined for complex inputs (dtype {t.dtype}): {why}. "
                        "Apply it to .real, .imag or .abs() instead.")


# The reason given by functions that PyTorch defines for real input only (``why``).
REAL_ONLY = "PyTorch defines it for real input only"


def as_real_tensor(x, op: str, why: str = "complex numbers have no order") -> Tensor:
    """A tensor argument that must be real floating point: ``as_float_tensor`` refusing
    complex input by the name ``op`` (``refuse_complex``). The real path makes the same
    single dtype check, so refusing costs nothing."""
    t = tensor_arg(x)
    if t.dtype.kind != "f":
        refuse_complex(t, op, why)
        raise TypeError(f"{op}: expected a floating point tensor, got dtype {t.dtype}")
    return t


# The namespaces whose functions are operators, with the prefix users write.
OP_NAMESPACES = {"wengert.linalg": "linalg.", "wengert.fft": "fft.",
                 "wengert.nn.functional": "nn.functional.", "wengert.numpy": "numpy.",
                 "wengert.numpy.linalg": "numpy.linalg.", "wengert.numpy.fft": "numpy.fft."}


def public_functions() -> dict:
    """Every public operator function, by qualified name (``"sin"``, ``"linalg.inv"``).

    Top-level names come from the ``__all__`` of each ``wengert.ops`` module;
    the others from the ``__all__`` of ``wg.linalg``, ``wg.fft`` and
    ``wg.nn.functional``. Aliases (``concat`` for ``cat``) appear under each name.
    """
    import importlib
    import pkgutil

    from . import __path__ as ops_path

    modules = [("wengert.ops." + m.name, "") for m in pkgutil.iter_modules(ops_path)
               if not m.name.startswith("_")]
    found = {}
    for module_name, prefix in [*modules, *OP_NAMESPACES.items()]:
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if callable(obj) and not isinstance(obj, type):
                found[prefix + name] = obj
    return found
