"""Function transforms, as ``torch.func``: ``grad``, ``vjp``, ``jvp``, ``linearize``,
``jacrev``, ``jacfwd``, ``hessian``, plus ``jacobian(f, mode="auto")``, which picks
forward or reverse mode from the sizes, and ``hvp``; and ``functional_call``, which
runs a module with given tensors as its parameters (a model as a function of them).

Arguments and results may be pytrees (tuples, lists, dicts, namedtuples) of Tensors,
NumPy arrays or Python numbers; results take the array type of the differentiated
arguments (NumPy in, NumPy out). Transforms nest to any depth.

>>> import wengert as wg
>>> d3 = wg.func.grad(wg.func.grad(wg.func.grad(wg.sin)))
>>> round(float(d3(wg.tensor(0.5, dtype=wg.float64))), 12)
-0.87758256189
"""

from .stateless import functional_call
from .transforms import (
    grad,
    grad_and_value,
    hessian,
    hvp,
    jacfwd,
    jacobian,
    jacrev,
    jvp,
    linearize,
    vjp,
)

__all__ = ["grad", "grad_and_value", "vjp", "jvp", "linearize", "jacrev", "jacfwd",
           "jacobian", "hessian", "hvp", "functional_call"]
