"""What every ``wg.linalg`` module shares: argument checks, LAPACK errors, the
(conjugate) transpose of the last two dimensions, triangle masks, packed outputs and
the linear maps the rules are built from.

Complex matrices: a rule's adjoint (``transpose``) is the adjoint for the real inner
product ``Re(sum(conj(a) * b))`` (see ``autograd.linear``), so wherever the real
formulas transpose a matrix, the complex ones take the conjugate transpose ``mH``;
for real data ``mH`` is ``mT`` (no conjugation is recorded or computed). Symmetric
becomes Hermitian the same way (``sym``, ``from_triangle``).

Packed outputs: a decomposition has several outputs, but a primitive has one.
Its forward implementation therefore returns them *packed* side by side in one
array (``pack``) and the public function slices them out again with
differentiable ops (``unpack``). The rule receives the packed output and slices
the same way with ``ns``, so when a higher derivative is recorded every output
it uses is a function of the input on the tape, and one LAPACK call serves all
outputs.
"""

from __future__ import annotations

import math

import numpy as np

from .._primitive import DIFF
from .._tensor import Tensor
from ..autograd.linear import LinearMap, conj
from ..ops._registry import tensor_arg


class LinAlgError(RuntimeError):
    """A matrix has no inverse, factorization or solution (``torch.linalg.LinAlgError``)."""


# -- arguments ---------------------------------------------------------------


def matrix_arg(x, op: str, square: bool = False) -> Tensor:
    """A floating or complex tensor with at least two dimensions (square when asked)."""
    t = tensor_arg(x)
    if t.dtype.kind not in "fc":
        raise TypeError(f"{op}: expected a float32, float64, complex64 or complex128 tensor, "
                        f"got dtype {t.dtype}; convert first, e.g. A.double()")
    if t.ndim < 2:
        raise RuntimeError(f"{op}: expected a matrix or a batch of matrices (at least 2 "
                           f"dimensions), got shape {t.shape}")
    if square and t.shape[-1] != t.shape[-2]:
        raise RuntimeError(f"{op}: expected square matrices (last two dimensions equal), got "
                           f"shape {t.shape}")
    return t


def same_dtype(op: str, *tensors):
    """The tensors in their common floating dtype (float32 with float64 gives float64)."""
    dtype = np.result_type(*(t.dtype for t in tensors))
    return tuple(t if t.dtype == dtype else t.to(dtype) for t in tensors)


def broadcast_batch(op: str, a: Tensor, b: Tensor, b_core: int = 2):
    """``a`` (..., n, n) and ``b`` (..., *core) with their batch dimensions broadcast."""
    from ..ops.shape import broadcast_to

    try:
        batch = np.broadcast_shapes(a.shape[:-2], b.shape[:b.ndim - b_core])
    except ValueError:
        raise RuntimeError(f"{op}: batch dimensions of shapes {a.shape} and {b.shape} do not "
                           "broadcast") from None
    return (broadcast_to(a, batch + a.shape[-2:]),
            broadcast_to(b, batch + b.shape[b.ndim - b_core:]))


# -- LAPACK errors -------------------------------------------------------------


def lapack(op: str, what: str, fn, a, *rest):
    """``fn(a, *rest)``, with NumPy's ``LinAlgError`` restated: the op, the batch element
    that failed, the shape and the fix (``what`` says what is wrong with that matrix)."""
    try:
        return fn(a, *rest)
    except np.linalg.LinAlgError:
        where = ""
        if a.ndim > 2:
            for index in np.ndindex(a.shape[:-2]):
                try:
                    fn(a[index], *(r[index] if np.ndim(r) == a.ndim else r for r in rest))
                except np.linalg.LinAlgError:
                    where = f" at batch index {index}"
                    break
        raise LinAlgError(f"{op}: the input matrix{where} is {what} (input shape {a.shape}, "
                          f"dtype {a.dtype})") from None


# -- small matrix helpers, on arrays and tensors alike (``ns``) ---------------


def mT(ns, x):
    """``x`` with its last two dimensions swapped."""
    n = x.ndim
    return ns.permute(x, (*range(n - 2), n - 1, n - 2))


def mH(ns, x):  # noqa: N802 - PyTorch's name
    """The conjugate transpose of the last two dimensions (``mT`` for real data)."""
    return conj(ns, mT(ns, x))


def sym(ns, x):
    """The Hermitian part ``(x + x^H) / 2`` (the symmetric part of real data)."""
    return (x + mH(ns, x)) * 0.5


def real_dtype(dtype) -> np.dtype:
    """The real dtype of the same precision (float64 for complex128)."""
    return np.finfo(dtype).dtype


def triangle(n: int, lower: bool, dtype, k: int = 0) -> np.ndarray:
    """The 0/1 mask of the lower (``k`` <= 0) or upper triangle of an n x n matrix."""
    ones = np.ones((n, n), dtype=dtype)
    return np.tril(ones, k) if lower else np.triu(ones, -k)


def eye(n: int, dtype) -> np.ndarray:
    return np.eye(n, dtype=dtype)


def diag_embed(ns, d, dtype):
    """Vectors (..., n) as diagonal matrices (..., n, n)."""
    n = d.shape[-1]
    return ns.reshape(d, d.shape + (1,)) * eye(n, dtype)


def diagonal(ns, x):
    """The diagonals (..., n) of matrices (..., n, n)."""
    return ns.sum(x * eye(x.shape[-1], x.dtype), (x.ndim - 1,), False)


def from_triangle(a: Tensor, lower: bool) -> Tensor:
    """The symmetric (Hermitian) matrix whose ``lower`` (or upper) triangle is that of
    ``a``: the part of ``a`` that LAPACK's symmetric routines read (PyTorch's ``UPLO``).
    (They ignore the imaginary part of the diagonal too: the decompositions take the
    Hermitian part of their input, ``sym``.)"""
    n = a.shape[-1]
    tri = triangle(n, lower, real_dtype(a.dtype))
    strict = triangle(n, lower, real_dtype(a.dtype), -1)
    return a * tri + mH(DIFF, a * strict)


def safe_reciprocal_gaps(ns, w, square: bool = False):
    """``F[i, j] = 1 / (w_j - w_i)`` (of squares when ``square``), 0 where ``w_i == w_j``.

    The eigen- and singular-vector rules divide by these gaps. PyTorch leaves
    ``inf``/``nan`` where eigenvalues coincide; here those entries are 0: the
    eigenvalue-only part of the derivative stays exact at repeated eigenvalues
    (e.g. ``eigvalsh`` of the identity), and the eigenvectors of a repeated
    eigenvalue are not differentiable anyway (they are not even unique).
    """
    v = w * w if square else w
    gaps = ns.reshape(v, v.shape[:-1] + (1, v.shape[-1])) - ns.reshape(v, v.shape + (1,))
    nonzero = gaps != 0
    return ns.where(nonzero, 1 / ns.where(nonzero, gaps, 1.0), 0.0)


# -- packed outputs ------------------------------------------------------------


def pack(batch_ndim: int, *arrays) -> np.ndarray:
    """Several outputs with the same batch dimensions, flattened side by side."""
    batch = arrays[0].shape[:batch_ndim]
    return np.concatenate([a.reshape(batch + (-1,)) for a in arrays], axis=-1)


def unpack(ns, packed, shapes):
    """The outputs of ``pack``, given their shapes without the batch dimensions."""
    batch = packed.shape[:-1]
    out, start = [], 0
    for shape in shapes:
        size = math.prod(shape)
        part = ns.getitem(packed, (Ellipsis, slice(start, start + size)))
        out.append(ns.reshape(part, batch + tuple(shape)))
        start += size
    return out


def packed_tangent(ns, parts, batch_ndim):
    """The tangents of the outputs of ``pack`` packed the same way."""
    batch = parts[0].shape[:batch_ndim]
    flat = [ns.reshape(p, batch + (math.prod(p.shape[batch_ndim:]),)) for p in parts]
    return ns.cat(*flat, batch_ndim) if len(flat) > 1 else flat[0]


# -- linear maps -----------------------------------------------------------------


class Sandwich(LinearMap):
    """``t -> left @ t @ right`` on matrices; its adjoint is ``left^H @ c @ right^H``."""

    __slots__ = ("left", "right")

    def __init__(self, left, right):
        self.left, self.right = left, right

    def apply(self, ns, t):
        return ns.matmul(ns.matmul(self.left, t), self.right)

    def transpose(self, ns, ct):
        return ns.matmul(ns.matmul(mH(ns, self.left), ct), mH(ns, self.right))


class Symmetrize(LinearMap):
    """``t -> (t + t^H) / 2``: a decomposition of a symmetric (Hermitian) matrix reads only
    this part of a perturbation. Self-adjoint (for complex data too: only real-linear,
    but ``Re<g, t^H> = Re<g^H, t>``)."""

    __slots__ = ()

    def apply(self, ns, t):
        return sym(ns, t)

    transpose = apply


SYMMETRIZE = Symmetrize()
