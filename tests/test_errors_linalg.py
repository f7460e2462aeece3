"""Bad input to linear algebra and contractions: an error naming the op, the shapes or
dtypes, the failing batch element and the fix; never a silent wrong result."""

import numpy as np
import pytest

import wengert as wg

L = wg.linalg


def singular_batch():
    a = np.stack([np.eye(3), np.ones((3, 3))])  # element 1 is singular
    return wg.tensor(a, requires_grad=True)


@pytest.mark.parametrize("fn", [L.inv, lambda a: L.solve(a, wg.ones(2, 3, 1, dtype=wg.float64))])
def test_singular_matrix_names_the_op_and_the_batch_element(fn):
    with pytest.raises(L.LinAlgError, match=r"linalg\.(inv|solve).*batch index \(1,\).*singular"):
        fn(singular_batch())
    assert issubclass(L.LinAlgError, RuntimeError)  # as torch.linalg.LinAlgError


def test_cholesky_of_a_non_positive_definite_matrix():
    a = np.stack([np.eye(2), np.eye(2), -np.eye(2)])
    with pytest.raises(L.LinAlgError, match=r"linalg\.cholesky.*batch index \(2,\).*not "
                                            r"positive-definite"):
        L.cholesky(wg.tensor(a))


def test_triangular_solve_with_a_zero_on_the_diagonal():
    a = wg.tensor([[1.0, 2.0], [0.0, 0.0]])
    with pytest.raises(L.LinAlgError, match=r"solve_triangular.*singular.*diagonal"):
        L.solve_triangular(a, wg.ones(2, 1), upper=True)


@pytest.mark.parametrize("fn", [L.inv, L.det, L.slogdet, L.cholesky, L.eigh, L.eigvalsh,
                                L.matrix_exp, lambda a: L.matrix_power(a, 2)])
def test_non_square_input(fn):
    with pytest.raises(RuntimeError, match=r"linalg\.\w+: expected square matrices.*\(2, 3\)"):
        fn(wg.ones(2, 3))


@pytest.mark.parametrize("fn", [L.inv, L.det, L.qr, L.svd, L.pinv])
def test_vectors_and_integers_are_refused(fn):
    with pytest.raises(RuntimeError, match=r"at least 2 dimensions.*\(3,\)"):
        fn(wg.ones(3))
    with pytest.raises(TypeError, match=r"float32, float64, complex64 or complex128.*int64"):
        fn(wg.tensor([[1, 2], [3, 4]]))


def test_solve_shape_mismatches():
    with pytest.raises(RuntimeError, match=r"linalg\.solve: A has shape \(3, 3\).*\(2,\).*3"):
        L.solve(wg.eye(3), wg.ones(2))
    with pytest.raises(RuntimeError, match=r"linalg\.solve: .*\(3, 3\).*\(2, 4\).*3 rows"):
        L.solve(wg.eye(3), wg.ones(2, 4))
    with pytest.raises(RuntimeError, match=r"batch dimensions of shapes \(2, 3, 3\) and "
                                           r"\(4, 3, 1\) do not broadcast"):
        L.solve(wg.ones(2, 3, 3), wg.ones(4, 3, 1))
    with pytest.raises(RuntimeError, match=r"lstsq.*both must have 3 rows"):
        L.lstsq(wg.ones(3, 2), wg.ones(4, 1))


def test_decomposition_derivatives_that_do_not_exist_say_so():
    a = wg.tensor(np.random.default_rng(0).standard_normal((4, 2)), requires_grad=True)
    u = L.svd(a, full_matrices=True).U
    with pytest.raises(RuntimeError, match=r"full_matrices=True.*square.*full_matrices=False"):
        u.sum().backward()
    q = L.qr(a, mode="complete").Q
    with pytest.raises(RuntimeError, match=r"linalg\.qr: the derivative.*mode='complete'"):
        q.sum().backward()
    w = wg.tensor(np.random.default_rng(0).standard_normal((2, 4)), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"linalg\.qr: the derivative.*m >= n"):
        L.qr(w).R.sum().backward()


def test_bad_arguments():
    with pytest.raises(RuntimeError, match="mode must be 'reduced', 'complete' or 'r'"):
        L.qr(wg.eye(2), mode="full")
    with pytest.raises(RuntimeError, match="UPLO must be 'L' or 'U'"):
        L.eigh(wg.eye(2), UPLO="X")
    with pytest.raises(RuntimeError, match="matrix_norm: ord must be"):
        L.matrix_norm(wg.eye(2), ord=3)
    with pytest.raises(IndexError, match=r"matrix_norm: dim \(0, 5\) out of range"):
        L.matrix_norm(wg.eye(2), dim=(0, 5))
    with pytest.raises(TypeError, match="n must be an integer"):
        L.matrix_power(wg.eye(2), 1.5)
    with pytest.raises(RuntimeError, match=r"multi_dot: tensors 0 and 1 have shapes \(2, 3\) "
                                           r"and \(2, 2\)"):
        L.multi_dot([wg.ones(2, 3), wg.ones(2, 2)])


def test_einsum_errors():
    with pytest.raises(RuntimeError, match=r"einsum: the equation 'ij,jk' has 2 operand.*1"):
        wg.einsum("ij,jk", wg.ones(2, 2))
    with pytest.raises(RuntimeError, match=r"einsum: operand 0 has shape \(2, 3, 4\).*'ij'"):
        wg.einsum("ij->i", wg.ones(2, 3, 4))
    with pytest.raises(RuntimeError, match=r"label 'j' .* sizes 3 and 4"):
        wg.einsum("ij,jk->ik", wg.ones(2, 3), wg.ones(4, 2))
    with pytest.raises(RuntimeError, match=r"output subscript 'z'"):
        wg.einsum("ij->z", wg.ones(2, 3))
    with pytest.raises(RuntimeError, match=r"invalid subscript '1'"):
        wg.einsum("i1->i", wg.ones(2, 3))
    with pytest.raises(RuntimeError, match=r"label 'i' of 'ii->i' has sizes 2 and 3"):
        wg.einsum("ii->i", wg.ones(2, 3))


def test_contraction_errors():
    with pytest.raises(RuntimeError, match=r"tensordot: contracted dimensions .* \(2, 3\)"):
        wg.tensordot(wg.ones(2, 3), wg.ones(2, 3), dims=1)
    with pytest.raises(RuntimeError, match=r"outer: expected two 1-D"):
        wg.outer(wg.ones(2, 2), wg.ones(2))
    with pytest.raises(RuntimeError, match=r"vdot: expected two 1-D tensors of the same length"):
        wg.vdot(wg.ones(2), wg.ones(3))
    with pytest.raises(RuntimeError, match=r"cross: dimension 1 has size 2, expected 3"):
        wg.cross(wg.ones(3, 2), wg.ones(3, 2), dim=1)
    with pytest.raises(RuntimeError, match=r"cross: shapes \(2, 3\) and \(4, 3\) do not broadcast"):
        wg.cross(wg.ones(2, 3), wg.ones(4, 3))


# -- complex input ---------------------------------------------------------------------------


def test_complex_singular_and_indefinite_matrices_name_the_op():
    z = wg.tensor(np.array([[1.0, 1j], [1j, -1.0]]))  # det = -1 - (-1) = 0
    with pytest.raises(L.LinAlgError, match=r"linalg\.inv.*singular.*complex128"):
        L.inv(z)
    with pytest.raises(L.LinAlgError, match=r"linalg\.cholesky.*not positive-definite"):
        L.cholesky(wg.tensor(np.array([[1.0, 2j], [-2j, 1.0]])))


def test_complex_svd_derivative_with_full_matrices_of_a_non_square_matrix():
    z = wg.tensor(np.ones((3, 2)) * (1 + 1j) + np.eye(3, 2), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"linalg\.svd: derivatives with full_matrices=True"):
        L.svd(z).S.sum().backward()


def test_complex_and_real_operands_are_promoted():
    a = wg.tensor(np.eye(2) * (1 + 1j), requires_grad=True)
    b = wg.tensor([[1.0], [2.0]], dtype=wg.float64, requires_grad=True)
    x = L.solve(a, b)
    assert x.dtype == wg.complex128
    wg.real(x).sum().backward()
    assert b.grad.dtype == wg.float64 and a.grad.dtype == wg.complex128
