"""Misuse gets an error that names the op, the shapes or dtypes, and the fix,
and leaves the existing ``.grad`` values and the tape as they were."""

import numpy as np
import pytest

import wengert as wg


@pytest.fixture
def x_with_grad():
    x = wg.tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    (x * x).sum().backward()
    return x  # x.grad == [2, 4, 6]


def assert_grad_untouched(x):
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0, 6.0])


def test_backward_on_non_scalar_without_gradient(x_with_grad):
    x = x_with_grad
    y = x * 2
    with pytest.raises(RuntimeError, match=r"shape \(3,\).*gradient=") as info:
        y.backward()
    assert "sum()" in str(info.value)  # the fix is spelled out
    assert_grad_untouched(x)
    y.backward(gradient=wg.ones_like(y))  # the graph is intact: the fix works
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 6.0, 8.0])


def test_gradient_of_the_wrong_shape(x_with_grad):
    y = x_with_grad * 2
    with pytest.raises(RuntimeError, match=r"gradient .* shape \(2,\).*output has shape \(3,\)"):
        y.backward(gradient=wg.ones(2, dtype=wg.float64))
    assert_grad_untouched(x_with_grad)


def test_second_backward_through_a_freed_graph(x_with_grad):
    x = x_with_grad
    y = (wg.sin(x) * x).sum()
    y.backward()
    grad_after_first = x.grad.numpy().copy()
    with pytest.raises(RuntimeError, match=r"second time.*'sum'.*retain_graph=True"):
        y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), grad_after_first)


def test_requires_grad_on_an_integer_tensor():
    with pytest.raises(RuntimeError, match=r"dtype int64.*floating point"):
        wg.tensor([1, 2], requires_grad=True)
    t = wg.tensor([1, 2])
    with pytest.raises(RuntimeError, match="int64"):
        t.requires_grad_()
    assert not t.requires_grad
    with pytest.raises(RuntimeError, match="bool"):
        wg.tensor([True]).requires_grad = True


def test_mismatched_shapes_in_add(x_with_grad):
    with pytest.raises(RuntimeError, match=r"add: shapes \(3,\) and \(2,\) do not broadcast.*unsqueeze"):
        x_with_grad + wg.ones(2, dtype=wg.float64)
    assert_grad_untouched(x_with_grad)


def test_mismatched_shapes_in_matmul():
    a, b = wg.ones(2, 3, requires_grad=True), wg.ones(4, 5)
    with pytest.raises(RuntimeError, match=r"matmul: shapes \(2, 3\) and \(4, 5\).*3 and 4 differ"):
        a @ b
    with pytest.raises(RuntimeError, match=r"batch dimensions do not broadcast"):
        wg.ones(2, 3, 4) @ wg.ones(5, 4, 2)


def test_in_place_change_of_a_saved_value(x_with_grad):
    x = x_with_grad
    a = x * 1.0
    y = wg.sin(a)  # sin saves its input a
    a.mul_(2)
    with pytest.raises(RuntimeError,
                       match=r"modified by an in-place operation: input 0 of 'sin' \(shape \(3,\), "
                             r"dtype float64\) is at version 1; expected version 0.*clone"):
        y.sum().backward()
    assert_grad_untouched(x)


def test_in_place_change_of_a_saved_output(x_with_grad):
    y = wg.exp(x_with_grad * 1.0)  # exp saves its output
    y.add_(1)
    with pytest.raises(RuntimeError, match=r"its output of 'exp'"):
        y.sum().backward()
    assert_grad_untouched(x_with_grad)


def test_in_place_change_through_a_view_is_caught():
    x = wg.tensor(np.arange(6.0), requires_grad=True)
    a = x * 1.0
    y = a * a  # saves a
    v = a.detach().reshape(2, 3)  # shares a's memory and version counter
    v.add_(1)
    with pytest.raises(RuntimeError, match="'mul'"):
        y.sum().backward()


def test_in_place_ops_that_save_nothing_are_fine():
    x = wg.tensor(np.array([1.0, 2.0]), requires_grad=True)
    a = x * 1.0
    b = a + 1.0  # add saves nothing
    a.mul_(3)  # recorded: a now depends on x through mul
    (a + b).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 4.0])


def test_in_place_on_a_leaf_that_requires_grad():
    w = wg.tensor(np.array([1.0, 2.0]), requires_grad=True)
    with pytest.raises(RuntimeError, match=r"leaf tensor that requires grad.*no_grad"):
        w.add_(1)
    with pytest.raises(RuntimeError, match="leaf"):
        w[0] = 5.0
    np.testing.assert_array_equal(w.detach().numpy(), [1.0, 2.0])
    assert w._version == 0
    with wg.no_grad():  # the optimizer's way
        w -= 0.5
        w[1] = 7.0
    np.testing.assert_array_equal(w.detach().numpy(), [0.5, 7.0])
    assert w.is_leaf and w.requires_grad and w._version == 2


def test_differentiable_setitem():
    x = wg.tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    v = wg.tensor(np.array(10.0), requires_grad=True)
    y = x * 1.0
    y[1] = v * 2
    (y * wg.tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    np.testing.assert_array_equal(y.detach().numpy(), [1.0, 20.0, 3.0])
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 0.0, 3.0])
    assert v.grad.item() == 4.0


def test_numpy_of_a_tensor_that_requires_grad():
    x = wg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"detach\(\)\.numpy\(\)"):
        x.numpy()


def test_item_of_a_multi_element_tensor():
    with pytest.raises(RuntimeError, match="3 elements"):
        wg.ones(3).item()


def test_bad_index_names_shape():
    with pytest.raises(IndexError, match=r"getitem.*shape \(3,\)"):
        wg.ones(3)[5]


def test_reshape_to_an_impossible_shape():
    with pytest.raises(RuntimeError, match=r"reshape: shape \(4,\) is invalid for input of shape \(2, 3\)"):
        wg.ones(2, 3).reshape(4)


def test_bad_dim_is_named():
    with pytest.raises(IndexError, match=r"sum: dimension 2 is out of range.*2 dimensions"):
        wg.ones(2, 3).sum(dim=2)


def test_unsupported_operand():
    with pytest.raises(TypeError, match="unsupported operand type 'str'"):
        wg.ones(2) * "a"


def test_in_place_op_that_saves_its_own_input_is_twice_differentiable():
    x = wg.tensor(np.array([0.5, 1.5]), requires_grad=True)
    a = x * 1.0
    a.mul_(a)  # a = x^2, mul saved the old a (a private copy is kept)
    (g,) = wg.grad(a.sum(), x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), 2 * np.array([0.5, 1.5]))
    (h,) = wg.grad(g.sum(), x)
    np.testing.assert_allclose(h.numpy(), [2.0, 2.0])
