"""``wengert.numpy.linalg``: NumPy's ``numpy.linalg`` names and semantics, differentiable on
tensors (plain arrays go to NumPy itself). ``solve(a, b)`` treats ``b`` as a vector only
when it is 1-D (NumPy 2); ``pinv`` cuts singular values below ``1e-15`` times the largest
by default (NumPy's ``rcond``); ``lstsq`` returns NumPy's ``(x, residuals, rank, s)``.

>>> import wengert as wg
>>> import wengert.numpy as wnp
>>> a = wg.tensor([[2.0, 0.0], [0.0, 4.0]], requires_grad=True)
>>> wnp.linalg.det(a)
tensor(8., grad_fn=<...>)
"""

from __future__ import annotations

import numpy as np

import wengert as wg
from wengert.linalg import LinAlgError

from ._dispatch import implements, tensor_arg
from ._products import tensordot

_la = np.linalg


def _np(name):
    return getattr(_la, name, None)  # (names NumPy 1.26 lacks run the tensor code)


@implements(_la.inv)
def inv(a):
    """``numpy.linalg.inv(a)``: the inverse of (a stack of) square matrices.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.inv([[2.0, 0.0], [0.0, 4.0]])
    array([[0.5 , 0.  ],
           [0.  , 0.25]])
    """
    return wg.linalg.inv(a)


@implements(_la.det)
def det(a):
    """``numpy.linalg.det(a)``: the determinant.

    >>> import wengert.numpy as wnp
    >>> round(float(wnp.linalg.det([[2.0, 1.0], [1.0, 2.0]])), 12)
    3.0
    """
    return wg.linalg.det(a)


@implements(_la.slogdet)
def slogdet(a):
    """``numpy.linalg.slogdet(a)``: ``(sign, logabsdet)`` of the determinant.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.slogdet([[2.0, 0.0], [0.0, 3.0]]).sign
    np.float64(1.0)
    """
    return wg.linalg.slogdet(a)


@implements(_la.solve)
def solve(a, b):
    """``numpy.linalg.solve(a, b)``: ``x`` with ``a @ x = b``; ``b`` is a vector only when 1-D,
    otherwise (a stack of) matrices (NumPy 2's rule).

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.solve([[2.0, 0.0], [0.0, 4.0]], [2.0, 2.0])
    array([1. , 0.5])
    """
    a, b = tensor_arg(a), tensor_arg(b)
    if b.ndim >= 2 and b.shape == a.shape[:-1]:  # PyTorch would read this b as vectors
        return wg.linalg.solve(a, b[None])
    return wg.linalg.solve(a, b)


@implements(_la.norm)
def norm(x, ord=None, axis=None, keepdims=False):  # noqa: A002 - NumPy's name
    """``numpy.linalg.norm(x, ord=None, axis=None, keepdims=False)``: a vector or matrix norm
    (the 2-norm of the flattened ``x`` by default); the gradient at 0 is 0.

    >>> import wengert.numpy as wnp
    >>> float(wnp.linalg.norm([3.0, 4.0]))
    5.0
    """
    if isinstance(axis, list):
        axis = tuple(axis)
    return wg.linalg.norm(x, ord, axis, keepdims)


@implements(_np("vector_norm"))
def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):  # noqa: A002
    """``numpy.linalg.vector_norm(x, /, *, axis=None, keepdims=False, ord=2)``.

    >>> import wengert.numpy as wnp
    >>> float(wnp.linalg.vector_norm([[3.0], [4.0]]))
    5.0
    """
    return wg.linalg.vector_norm(x, ord, axis, keepdims)


@implements(_np("matrix_norm"))
def matrix_norm(x, /, *, keepdims=False, ord="fro"):  # noqa: A002
    """``numpy.linalg.matrix_norm(x, /, *, keepdims=False, ord='fro')`` (last two axes).

    >>> import wengert.numpy as wnp
    >>> float(wnp.linalg.matrix_norm([[3.0, 0.0], [0.0, 4.0]]))
    5.0
    """
    return wg.linalg.matrix_norm(x, ord, (-2, -1), keepdims)


@implements(_la.cond)
def cond(x, p=None):
    """``numpy.linalg.cond(x, p=None)``: the condition number.

    >>> import wengert.numpy as wnp
    >>> float(wnp.linalg.cond([[1.0, 0.0], [0.0, 4.0]]))
    4.0
    """
    return wg.linalg.cond(x, p)


@implements(_la.eigh)
def eigh(a, UPLO="L"):  # noqa: N803 - NumPy's name
    """``numpy.linalg.eigh(a, UPLO='L')``: ``(eigenvalues, eigenvectors)`` of symmetric
    (Hermitian) matrices, eigenvalues ascending.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.eigh([[2.0, 0.0], [0.0, 1.0]]).eigenvalues
    array([1., 2.])
    """
    return wg.linalg.eigh(a, UPLO)


@implements(_la.eigvalsh)
def eigvalsh(a, UPLO="L"):  # noqa: N803
    """``numpy.linalg.eigvalsh(a, UPLO='L')``: the eigenvalues of symmetric matrices.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.eigvalsh([[2.0, 0.0], [0.0, 1.0]])
    array([1., 2.])
    """
    return wg.linalg.eigvalsh(a, UPLO)


@implements(_la.svd)
def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """``numpy.linalg.svd(a, full_matrices=True, compute_uv=True, hermitian=False)``:
    ``(U, S, Vh)``, or only ``S`` when ``compute_uv`` is False.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.svd([[3.0, 0.0], [0.0, 4.0]], compute_uv=False)
    array([4., 3.])
    """
    if not compute_uv:
        return wg.linalg.svdvals(a)
    return wg.linalg.svd(a, full_matrices)


@implements(_np("svdvals"))
def svdvals(x, /):
    """``numpy.linalg.svdvals(x)``: the singular values, descending.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.svdvals([[3.0, 0.0], [0.0, 4.0]])
    array([4., 3.])
    """
    return wg.linalg.svdvals(x)


@implements(_la.qr)
def qr(a, mode="reduced"):
    """``numpy.linalg.qr(a, mode='reduced')``: ``(Q, R)`` (``'reduced'``, ``'complete'``) or
    ``R`` alone (``'r'``).

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.qr([[2.0, 0.0], [0.0, 3.0]], mode="r").shape
    (2, 2)
    """
    if mode == "r":
        return wg.linalg.qr(a, "reduced").R
    if mode not in ("reduced", "complete"):
        raise NotImplementedError(f"qr: mode {mode!r} on tensors; use 'reduced', 'complete' "
                                  "or 'r'")
    return wg.linalg.qr(a, mode)


@implements(_la.cholesky)
def cholesky(a, /, *, upper=False):
    """``numpy.linalg.cholesky(a, /, *, upper=False)``: the Cholesky factor ``L`` with
    ``a = L @ L.T`` (or ``U`` with ``a = U.T @ U``).

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.cholesky([[4.0, 0.0], [0.0, 9.0]])
    array([[2., 0.],
           [0., 3.]])
    """
    return wg.linalg.cholesky(a, upper=upper)


@implements(_la.pinv)
def pinv(a, rcond=None, hermitian=False, *, rtol=None):
    """``numpy.linalg.pinv(a, rcond=None, hermitian=False, *, rtol=None)``: the
    pseudo-inverse; singular values below ``rcond`` (default ``1e-15``) times the largest
    count as zero.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.pinv([[2.0, 0.0], [0.0, 0.0]])
    array([[0.5, 0. ],
           [0. , 0. ]])
    """
    if rcond is not None and rtol is not None:
        raise ValueError("pinv: pass either rcond or rtol, not both")
    cut = rtol if rtol is not None else (1e-15 if rcond is None else rcond)
    return wg.linalg.pinv(a, rtol=cut, hermitian=hermitian)


@implements(_la.matrix_power)
def matrix_power(a, n):
    """``numpy.linalg.matrix_power(a, n)``: ``a`` times itself ``n`` times (``n < 0``: of
    the inverse).

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.matrix_power([[1.0, 1.0], [0.0, 1.0]], 3)
    array([[1., 3.],
           [0., 1.]])
    """
    return wg.linalg.matrix_power(a, n)


@implements(_la.matrix_rank, differentiable=False)
def matrix_rank(A, tol=None, hermitian=False, *, rtol=None):  # noqa: N803
    """``numpy.linalg.matrix_rank(A, tol=None, hermitian=False, *, rtol=None)``: the rank,
    computed by NumPy (no derivative).

    >>> import wengert.numpy as wnp
    >>> int(wnp.linalg.matrix_rank([[1.0, 2.0], [2.0, 4.0]]))
    1
    """
    rtol = {} if rtol is None else {"rtol": rtol}
    return wg.Tensor(np.asarray(_la.matrix_rank(tensor_arg(A)._data, tol, hermitian, **rtol)))


@implements(_la.lstsq)
def lstsq(a, b, rcond=None):
    """``numpy.linalg.lstsq(a, b, rcond=None)``: ``(x, residuals, rank, s)`` of the least
    squares solution of ``a @ x = b`` (``x``, ``residuals`` and ``s`` differentiable).

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.lstsq([[1.0], [1.0]], [1.0, 3.0])[0]
    array([2.])
    """
    a, b = tensor_arg(a), tensor_arg(b)
    if a.ndim != 2:
        raise LinAlgError(f"lstsq: a must be 2-D, got shape {a.shape}")
    vector = b.ndim == 1
    result = wg.linalg.lstsq(a, b[:, None] if vector else b)
    rank = int(_la.lstsq(a._data, b._data, rcond)[2])  # NumPy's rank, by its rcond
    m, n = a.shape
    residuals = result.residuals if rank == n and m > n else wg.Tensor(np.empty((0,), a.dtype))
    x = result.solution[:, 0] if vector else result.solution
    return x, residuals, rank, wg.linalg.svdvals(a)


@implements(_la.multi_dot)
def multi_dot(arrays):
    """``numpy.linalg.multi_dot(arrays, *, out=None)``: a chain of matrix products, in the
    cheapest order.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.multi_dot([[1.0, 2.0], [[1.0], [1.0]]])
    array([3.])
    """
    return wg.linalg.multi_dot(list(arrays))


@implements(_np("matmul"))
def matmul(x1, x2, /):
    """``numpy.linalg.matmul(x1, x2)``: the matrix product.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.matmul([[1.0, 2.0]], [[3.0], [4.0]])
    array([[11.]])
    """
    return wg.matmul(x1, x2)


@implements(_np("outer"))
def outer(x1, x2, /):
    """``numpy.linalg.outer(x1, x2)``: the outer product of two vectors.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.outer([1.0, 2.0], [3.0])
    array([[3.],
           [6.]])
    """
    return wg.outer(x1, x2)


@implements(_np("cross"))
def cross(x1, x2, /, *, axis=-1):
    """``numpy.linalg.cross(x1, x2, /, *, axis=-1)``: the cross product of 3-vectors.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.cross([1.0, 0.0, 0.0], [0.0, 1.0, 0.0])
    array([0., 0., 1.])
    """
    return wg.linalg.cross(x1, x2, dim=axis)


@implements(_np("vecdot"))
def vecdot(x1, x2, /, *, axis=-1):
    """``numpy.linalg.vecdot(x1, x2, /, *, axis=-1)``: ``sum(conj(x1) * x2)`` along ``axis``.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.vecdot([1.0, 2.0], [3.0, 4.0])
    np.float64(11.0)
    """
    return wg.linalg.vecdot(x1, x2, dim=axis)


@implements(_np("diagonal"))
def diagonal(x, /, *, offset=0):
    """``numpy.linalg.diagonal(x, /, *, offset=0)``: the diagonals of the last two axes.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.diagonal([[1.0, 2.0], [3.0, 4.0]])
    array([1., 4.])
    """
    return wg.diagonal(x, offset, -2, -1)


@implements(_np("trace"))
def trace(x, /, *, offset=0, dtype=None):
    """``numpy.linalg.trace(x, /, *, offset=0, dtype=None)``: the traces of the last two axes.

    >>> import wengert.numpy as wnp
    >>> float(wnp.linalg.trace([[1.0, 2.0], [3.0, 4.0]]))
    5.0
    """
    x = tensor_arg(x)
    return wg.sum(wg.diagonal(x if dtype is None else wg.astype(x, dtype), offset, -2, -1), -1)


@implements(_np("matrix_transpose"))
def matrix_transpose(x, /):
    """``numpy.linalg.matrix_transpose(x)``: swap the last two axes.

    >>> import wengert.numpy as wnp
    >>> wnp.linalg.matrix_transpose([[1.0, 2.0]])
    array([[1.],
           [2.]])
    """
    return wg.swapaxes(x, -2, -1)


_tensordot_np = _np("tensordot")
if _tensordot_np is not None:
    from ._dispatch import FUNCTIONS

    FUNCTIONS[_tensordot_np] = tensordot.tensor_impl

__all__ = ["LinAlgError", "cholesky", "cond", "cross", "det", "diagonal", "eigh", "eigvalsh",
           "inv", "lstsq", "matmul", "matrix_norm", "matrix_power", "matrix_rank",
           "matrix_transpose", "multi_dot", "norm", "outer", "pinv", "qr", "slogdet", "solve",
           "svd", "svdvals", "tensordot", "trace", "vecdot", "vector_norm"]
