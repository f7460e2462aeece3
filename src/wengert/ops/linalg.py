"""Matrix products. ``matmul`` follows NumPy's rules for 1-D and batched operands."""

from __future__ import annotations

import numpy as np

from .._primitive import VALUE, Primitive, bind, promote
from .._tensor import TENSOR_TYPES, Tensor
from ..autograd.linear import MatmulWith
from ._registry import method, supports_complex, tensor_arg

__all__ = [
    "bmm",
    "dot",
    "matmul",
    "mm",
]

matmul_p = Primitive(
    "matmul", np.matmul, save=(VALUE, VALUE),
    rule=(lambda ns, out, a, b: MatmulWith(b, a.shape, left=True),
          lambda ns, out, a, b: MatmulWith(a, b.shape, left=False)))


@method()
def matmul(input, other) -> Tensor:  # noqa: A002
    """Matrix product with NumPy's rules: vectors, matrices and batches (broadcast).

    >>> import wengert as wg
    >>> a = wg.ones(2, 3, requires_grad=True)
    >>> (a @ wg.ones(3)).shape
    (2,)
    """
    a, b = tensor_arg(input), tensor_arg(other)
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(f"matmul: both arguments need at least 1 dimension, got shapes "
                           f"{a.shape} and {b.shape}; use * for scaling")
    k_a = a.shape[-1]
    k_b = b.shape[0] if b.ndim == 1 else b.shape[-2]
    batch_ok = True
    if a.ndim > 2 or b.ndim > 2:
        try:
            np.broadcast_shapes(a.shape[:-2], b.shape[:-2])
        except ValueError:
            batch_ok = False
    if k_a != k_b or not batch_ok:
        why = (f"inner dimensions {k_a} and {k_b} differ" if k_a != k_b
               else "batch dimensions do not broadcast")
        which = "only" if b.ndim == 1 else "second-to-last"
        raise RuntimeError(
            f"matmul: shapes {a.shape} and {b.shape} cannot be multiplied ({why}); the last "
            f"dimension of the first must equal the {which} dimension of the second")
    if a.dtype != b.dtype:
        a, b = promote(a, b)
        if a.dtype != b.dtype:
            dtype = np.promote_types(a.dtype, b.dtype)
            a, b = a.to(dtype), b.to(dtype)
    return bind(matmul_p, (a, b))


Tensor.__matmul__ = matmul
Tensor.__rmatmul__ = lambda self, other: matmul(other, self)


@method()
def mm(input, mat2) -> Tensor:  # noqa: A002
    """Product of two matrices (2-D only)."""
    a, b = tensor_arg(input), tensor_arg(mat2)
    if a.ndim != 2 or b.ndim != 2:
        raise RuntimeError(f"mm: expected two matrices, got shapes {a.shape} and {b.shape}")
    return matmul(a, b)


@method()
def dot(input, other) -> Tensor:  # noqa: A002
    """Inner product of two vectors of the same length."""
    a, b = tensor_arg(input), tensor_arg(other)
    if a.ndim != 1 or b.ndim != 1 or a.shape != b.shape:
        raise RuntimeError(f"dot: expected two 1-D tensors of the same length, got shapes "
                           f"{a.shape} and {b.shape}")
    return matmul(a, b)


@method()
def bmm(input, mat2) -> Tensor:  # noqa: A002
    """Batched product of two stacks of matrices ((b, n, k) @ (b, k, m))."""
    a, b = tensor_arg(input), tensor_arg(mat2)
    if a.ndim != 3 or b.ndim != 3 or a.shape[0] != b.shape[0]:
        raise RuntimeError(f"bmm: expected (b, n, k) and (b, k, m), got {a.shape} and {b.shape}")
    return matmul(a, b)


def _is_tensor(x) -> bool:
    return type(x) in TENSOR_TYPES

# Complex input: values and gradients (``dL/dx + i dL/dy``), as in PyTorch.
supports_complex(
    bmm,
    dot,
    matmul,
    mm,
)  # noqa: F821
