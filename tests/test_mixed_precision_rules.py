"""Two floating tensors of different precisions: both are given the common dtype before
the op, so the rules run at the result's precision (pow's exponent gradient takes
``log`` of the base: a float16 base met by a float32 exponent is logged in float32, as in
PyTorch), and each input's gradient comes back in its own dtype."""

import numpy as np
import pytest

import wengert as wg


def test_pow_exponent_gradient_logs_the_base_at_the_result_precision():
    a = np.array([7.0, 5.0, 3.0], dtype=np.float16)
    b = np.array([-2.0, 4.0, 0.5], dtype=np.float32)
    wa, wb = wg.tensor(a, requires_grad=True), wg.tensor(b, requires_grad=True)
    ga, gb = wg.grad(wg.pow(wa, wb).sum(), [wa, wb])
    assert ga.dtype == wg.float16 and gb.dtype == wg.float32
    a32 = a.astype(np.float32)
    np.testing.assert_array_equal(gb.numpy(), a32 ** b * np.log(a32))  # not np.log(a) (float16)


@pytest.mark.parametrize("da, db, out", [("float16", "float64", "float64"),
                                         ("float32", "float16", "float32"),
                                         ("complex64", "complex128", "complex128"),
                                         ("uint8", "int8", "int16")])
def test_the_result_and_the_gradients_dtypes(da, db, out):
    x = wg.tensor(np.array([1, 2], dtype=da), requires_grad=np.dtype(da).kind in "fc")
    y = wg.tensor(np.array([3, 4], dtype=db), requires_grad=np.dtype(db).kind in "fc")
    z = x * y
    assert str(z.dtype) == out
    if z.requires_grad:
        z.real.sum().backward() if np.dtype(out).kind == "c" else z.sum().backward()
        assert str(x.grad.dtype) == da and str(y.grad.dtype) == db
        np.testing.assert_array_equal(x.grad.numpy(), np.array([3, 4], dtype=da))


@pytest.mark.parametrize("name", ["atan2", "hypot", "logaddexp", "copysign", "div"])
@pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.bool_])
def test_a_floating_binary_op_of_small_integers_computes_in_the_default_float(name, dtype):
    a = np.array([1, 0, 1] if dtype is np.bool_ else [3, 0, 7], dtype=dtype)
    b = np.array([1, 1, 1] if dtype is np.bool_ else [7, 5, 3], dtype=dtype)
    f = np.divide if name == "div" else getattr(np, {"atan2": "arctan2"}.get(name, name))
    out = getattr(wg, name)(wg.tensor(a), wg.tensor(b))
    assert out.dtype == wg.float32  # computed in float32, not in NumPy's float16
    np.testing.assert_array_equal(out.numpy(), f(a.astype(np.float32), b.astype(np.float32)))


def test_matches_pytorch():
    torch = pytest.importorskip("torch")
    a = np.array([7.0, 5.0, 3.0], dtype=np.float16)
    b = np.array([-2.0, 4.0, 0.5], dtype=np.float32)
    wa, wb = wg.tensor(a, requires_grad=True), wg.tensor(b, requires_grad=True)
    ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    for w, t in zip(wg.grad(wg.pow(wa, wb).sum(), [wa, wb]),
                    torch.autograd.grad(torch.pow(ta, tb).sum(), [ta, tb])):
        assert str(w.dtype) == str(t.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(w.numpy(), t.numpy())
