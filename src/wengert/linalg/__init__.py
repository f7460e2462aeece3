"""``wg.linalg``: linear algebra under PyTorch's ``torch.linalg`` names, every function
differentiable in both modes and to any order (except ``matrix_rank``).

Modules by idea: ``solve`` (inv, solve, solve_triangular, pinv, lstsq),
``determinant`` (det, slogdet), ``decompositions`` (cholesky, qr, eigh, svd),
``norms`` (vector/matrix norms, cond, matrix_rank), ``matrix_functions``
(matrix_power, matrix_exp), ``products`` (multi_dot, vecdot, cross, matmul).
"""

from ..ops._registry import supports_complex
from ._matrix import LinAlgError
from .decompositions import cholesky, eigh, eigvalsh, qr, svd, svdvals
from .determinant import det, slogdet
from .matrix_functions import matrix_exp, matrix_power
from .norms import cond, matrix_norm, matrix_rank, norm, vector_norm
from .products import cross, matmul, multi_dot, vecdot
from .solve import inv, lstsq, pinv, solve, solve_triangular


def _attach_methods():
    """PyTorch's Tensor methods for linear algebra (``A.det()``, ``A.inverse()``, ...)."""
    from ..ops._registry import method

    for name, fn in (("det", det), ("inverse", inv), ("slogdet", slogdet),
                     ("matrix_exp", matrix_exp), ("matrix_power", matrix_power),
                     ("pinverse", pinv), ("cholesky", cholesky)):
        method(name)(fn)


_attach_methods()

__all__ = [
    "LinAlgError",
    "cholesky",
    "cond",
    "cross",
    "det",
    "eigh",
    "eigvalsh",
    "inv",
    "lstsq",
    "matmul",
    "matrix_exp",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "multi_dot",
    "norm",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_triangular",
    "svd",
    "svdvals",
    "vecdot",
    "vector_norm",
]

# Complex input: every function (PyTorch's conventions; see ``_matrix`` and
# ``decompositions`` for the conjugate transposes and the phases of eigenvectors).
supports_complex(cholesky, cond, cross, det, eigh, eigvalsh, inv, lstsq, matmul, matrix_exp,
                 matrix_norm, matrix_power, matrix_rank, multi_dot, norm, pinv, qr, slogdet,
                 solve, solve_triangular, svd, svdvals, vecdot, vector_norm)
