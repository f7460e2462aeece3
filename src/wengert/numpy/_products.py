"""Products under NumPy's names and semantics: ``dot`` of N-D arrays contracts the last
axis of ``a`` with the second-to-last of ``b``, ``outer`` and ``vdot`` flatten their
inputs, ``tensordot`` takes ``axes``, ``cross`` takes ``axisa``/``axisb``/``axisc``.

>>> import wengert as wg
>>> import wengert.numpy as wnp
>>> a = wg.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> wnp.dot(a, wg.tensor([1.0, 1.0]))
tensor([3., 7.], grad_fn=<...>)
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from ._dispatch import implements, tensor_arg


@implements(np.dot)
def dot(a, b):
    """``numpy.dot(a, b, out=None)``: the product of scalars, the inner product of vectors,
    the matrix product of 2-D arrays, and for N-D a sum over the last axis of ``a`` and the
    second-to-last of ``b``.

    >>> import wengert.numpy as wnp
    >>> wnp.dot([1.0, 2.0], [3.0, 4.0])
    np.float64(11.0)
    """
    a, b = tensor_arg(a), tensor_arg(b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.ndim <= 2 and b.ndim <= 2:
        return wg.matmul(a, b)
    return wg.tensordot(a, b, ([-1], [-2 if b.ndim > 1 else -1]))


@implements(np.vdot)
def vdot(a, b):
    """``numpy.vdot(a, b)``: ``sum(conj(a) * b)`` over the flattened inputs.

    >>> import wengert.numpy as wnp
    >>> wnp.vdot([[1.0, 2.0]], [3.0, 4.0])
    np.float64(11.0)
    """
    return wg.vdot(wg.reshape(tensor_arg(a), (-1,)), wg.reshape(tensor_arg(b), (-1,)))


@implements(np.inner)
def inner(a, b):
    """``numpy.inner(a, b)``: sums of products over the last axes.

    >>> import wengert.numpy as wnp
    >>> wnp.inner([1.0, 2.0], [3.0, 4.0])
    np.float64(11.0)
    """
    return wg.inner(a, b)


@implements(np.outer)
def outer(a, b):
    """``numpy.outer(a, b, out=None)``: ``a[i] * b[j]`` of the flattened inputs.

    >>> import wengert.numpy as wnp
    >>> wnp.outer([1.0, 2.0], [3.0, 4.0])
    array([[3., 4.],
           [6., 8.]])
    """
    return wg.outer(wg.reshape(tensor_arg(a), (-1,)), wg.reshape(tensor_arg(b), (-1,)))


@implements(np.tensordot)
def tensordot(a, b, axes=2):
    """``numpy.tensordot(a, b, axes=2)``: sum products over the last ``axes`` axes of ``a``
    and the first of ``b``, or over the given pairs ``([axes of a], [axes of b])``.

    >>> import wengert.numpy as wnp
    >>> wnp.tensordot(wnp.ones((2, 3)), wnp.ones((3, 4)), axes=1).shape
    (2, 4)
    """
    if not isinstance(axes, (int, np.integer)):
        left, right = axes
        axes = ([left] if isinstance(left, int) else list(left),
                [right] if isinstance(right, int) else list(right))
    return wg.tensordot(a, b, axes)


@implements(np.einsum)
def einsum(*operands, dtype=None, order="K", casting="safe", optimize=False):
    """``numpy.einsum(subscripts, *operands, out=None, dtype=None, optimize=False)``: the
    Einstein summation (subscript strings; wengert picks its own contraction order, so
    ``optimize`` is ignored on tensors).

    >>> import wengert.numpy as wnp
    >>> wnp.einsum("ij,j->i", [[1.0, 2.0], [3.0, 4.0]], [1.0, 1.0])
    array([3., 7.])
    """
    subscripts, *arrays = operands
    if not isinstance(subscripts, str):
        raise NotImplementedError("einsum on tensors: pass the subscripts as a string "
                                  "('ij,jk->ik'), not in the sublist form")
    tensors = [tensor_arg(x) for x in arrays]
    if dtype is not None:
        tensors = [wg.astype(t, dtype) for t in tensors]
    return wg.einsum(subscripts, *tensors)


@implements(np.kron)
def kron(a, b):
    """``numpy.kron(a, b)``: the Kronecker product.

    >>> import wengert.numpy as wnp
    >>> wnp.kron([1.0, 2.0], [1.0, 10.0])
    array([ 1., 10.,  2., 20.])
    """
    return wg.kron(a, b)


@implements(np.cross)
def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """``numpy.cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None)``: the cross product of
    3-vectors (``axis`` sets all three axes).

    >>> import wengert.numpy as wnp
    >>> wnp.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
    array([0., 0., 1.])
    """
    if axis is not None:
        axisa = axisb = axisc = axis
    a = wg.moveaxis(tensor_arg(a), axisa, -1)
    b = wg.moveaxis(tensor_arg(b), axisb, -1)
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        raise ValueError(f"cross: on tensors both vectors need 3 components, got "
                         f"{a.shape[-1]} and {b.shape[-1]}")
    return wg.moveaxis(wg.linalg.cross(a, b, dim=-1), -1, axisc)
