"""The reverse engine and Tensor's autograd semantics (PyTorch's), including misuse."""

import threading

import numpy as np
import pytest

import wengert as wg

F64 = wg.float64


def t64(values, requires_grad=True):
    return wg.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


# -- .grad semantics -----------------------------------------------------------


def test_grad_accumulates_until_zeroed_or_reset():
    x = t64([1.0, 2.0])
    (x * x).sum().backward()
    (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 8.0])
    g = x.grad
    x.grad.zero_()
    (3 * x).sum().backward()
    assert x.grad is g  # accumulated in place into the same tensor
    np.testing.assert_array_equal(g.numpy(), [3.0, 3.0])
    x.grad = None
    x.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])


def test_only_leaves_get_grad_unless_retained():
    x = t64([1.0, 2.0])
    y = x * 2
    z = y * y
    y.retain_grad()
    z.sum().backward()
    assert x.is_leaf and not y.is_leaf
    np.testing.assert_array_equal(y.grad.numpy(), [4.0, 8.0])
    np.testing.assert_array_equal(x.grad.numpy(), [8.0, 16.0])
    w = x * 3
    (w * 1).sum().backward()
    assert w.grad is None


def test_leaf_that_does_not_require_grad_gets_nothing():
    x = t64([1.0, 2.0])
    c = t64([5.0, 6.0], requires_grad=False)
    (x * c).sum().backward()
    assert c.grad is None
    np.testing.assert_array_equal(x.grad.numpy(), [5.0, 6.0])


def test_gradients_of_shared_arrays_are_not_aliased():
    # add passes the same cotangent array to both inputs; each .grad must own its memory.
    x, y = t64([1.0, 2.0]), t64([3.0, 4.0])
    (x + y).sum().backward()
    x.grad.zero_()
    np.testing.assert_array_equal(y.grad.numpy(), [1.0, 1.0])


def test_backward_with_gradient_for_non_scalar():
    x = t64([1.0, 2.0, 3.0])
    y = x * x
    y.backward(gradient=wg.tensor(np.array([1.0, 0.5, 0.0])))
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0, 0.0])


def test_backward_inputs_restricts_accumulation():
    x, y = t64([1.0]), t64([2.0])
    (x * y).sum().backward(inputs=[x])
    assert y.grad is None
    np.testing.assert_array_equal(x.grad.numpy(), [2.0])


def test_retain_graph_allows_a_second_pass():
    x = t64([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 8.0])


def test_create_graph_makes_grad_differentiable():
    x = t64([1.0, 2.0])
    y = (x ** 3).sum()
    y.backward(create_graph=True)
    assert x.grad.requires_grad
    g = x.grad
    x.grad = None
    g.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 6 * np.array([1.0, 2.0]))


def test_hooks_on_leaf_and_intermediate():
    x = t64([1.0, 2.0])
    seen = []
    h1 = x.register_hook(lambda g: g * 10)
    y = x * 2
    y.register_hook(lambda g: seen.append(g.numpy().copy()))
    y.sum().backward()
    np.testing.assert_array_equal(seen[0], [1.0, 1.0])
    np.testing.assert_array_equal(x.grad.numpy(), [20.0, 20.0])
    h1.remove()
    x.grad = None
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


def test_detach_cuts_the_graph_and_shares_memory():
    x = t64([1.0, 2.0])
    d = x.detach()
    assert not d.requires_grad and d.grad_fn is None
    with wg.no_grad():
        x.mul_(2)
    np.testing.assert_array_equal(d.numpy(), [2.0, 4.0])


# -- wg.grad -----------------------------------------------------------------


def test_grad_returns_without_accumulating():
    x = t64([1.0, 2.0])
    (g,) = wg.grad((x * x).sum(), x)
    assert x.grad is None
    np.testing.assert_array_equal(g.numpy(), [2.0, 4.0])


def test_grad_with_respect_to_intermediate_tensor():
    x = t64([1.0, 2.0])
    y = x * 3
    z = (y * y).sum()
    gy, gx = wg.grad(z, [y, x])
    np.testing.assert_array_equal(gy.numpy(), [6.0, 12.0])
    np.testing.assert_array_equal(gx.numpy(), [18.0, 36.0])


def test_grad_allow_unused_and_grad_outputs():
    x, unused = t64([1.0, 2.0]), t64([0.0])
    y = x * x
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        wg.grad(y, [x, unused], grad_outputs=wg.ones_like(y), retain_graph=True)
    gx, gu = wg.grad(y, [x, unused], grad_outputs=wg.ones_like(y), allow_unused=True)
    assert gu is None
    np.testing.assert_array_equal(gx.numpy(), [2.0, 4.0])


def test_grad_of_several_outputs_sums_them():
    x = t64([1.0, 2.0])
    (g,) = wg.grad([(x * x).sum(), x.sum()], [x])
    np.testing.assert_array_equal(g.numpy(), [3.0, 5.0])


def test_grad_input_that_does_not_require_grad():
    x = t64([1.0], requires_grad=False)
    with pytest.raises(RuntimeError, match="does not require grad"):
        wg.grad((x * 2).sum(), x)


# -- nested differentiation never mixes perturbations --------------------------


def test_reverse_over_reverse_classic_perturbation_test():
    for x0 in (2.0, -1.5, 0.0):
        x = wg.tensor(x0, dtype=F64, requires_grad=True)
        y = wg.tensor(1.0, dtype=F64, requires_grad=True)
        (inner,) = wg.grad(x + y, y, create_graph=True)
        (outer,) = wg.grad(x * inner, x)
        assert outer.item() == 1.0


def test_forward_over_forward_classic_perturbation_test():
    import wengert.autograd.forward_ad as fwAD

    for x0 in (2.0, -1.5, 0.0):
        x = wg.tensor(x0, dtype=F64)
        with fwAD.dual_level():
            xd = fwAD.make_dual(x, wg.ones_like(x))
            with fwAD.dual_level():
                yd = fwAD.make_dual(wg.tensor(1.0, dtype=F64), wg.tensor(1.0, dtype=F64))
                inner = fwAD.unpack_dual(xd + yd).tangent  # d/dy (x + y) = 1
            out = fwAD.unpack_dual(xd * inner).tangent
        assert out.item() == 1.0


def test_forward_over_reverse_hessian_vector_product():
    import wengert.autograd.forward_ad as fwAD

    a = np.array([0.3, -1.2, 2.0])
    v = np.array([1.0, 0.5, -2.0])
    with fwAD.dual_level():
        x = fwAD.make_dual(wg.tensor(a), wg.tensor(v)).requires_grad_()
        f = (wg.sin(x) * x).sum()
        (g,) = wg.grad(f, x, create_graph=True)
        hvp = fwAD.unpack_dual(g).tangent
    # f = sum x sin x; f'' = 2 cos x - x sin x on the diagonal
    np.testing.assert_allclose(hvp.detach().numpy(), (2 * np.cos(a) - a * np.sin(a)) * v, rtol=1e-12)


def test_reverse_over_forward():
    import wengert.autograd.forward_ad as fwAD

    x = t64([0.3, 1.1])
    with fwAD.dual_level():
        d = fwAD.make_dual(x, wg.tensor(np.array([1.0, 1.0])))
        tangent = fwAD.unpack_dual(wg.exp(d * d)).tangent  # 2x exp(x^2)
    (g,) = wg.grad(tangent.sum(), x)
    xv = np.array([0.3, 1.1])
    np.testing.assert_allclose(g.numpy(), (2 + 4 * xv ** 2) * np.exp(xv ** 2), rtol=1e-12)


def test_third_derivative():
    x = wg.tensor(0.7, dtype=F64, requires_grad=True)
    (d1,) = wg.grad(wg.sin(x), x, create_graph=True)
    (d2,) = wg.grad(d1, x, create_graph=True)
    (d3,) = wg.grad(d2, x)
    assert d3.item() == pytest.approx(-np.cos(0.7), rel=1e-15)


# -- determinism and deep graphs ----------------------------------------------


def test_diamond_and_fan_out():
    a = t64(1.5)
    b, c = a * a, wg.sin(a)
    d = b * c + b + c
    d.backward()
    expected = 2 * 1.5 * np.sin(1.5) + 1.5 ** 2 * np.cos(1.5) + 2 * 1.5 + np.cos(1.5)
    assert a.grad.item() == pytest.approx(expected, rel=1e-14)


def test_summation_order_is_reproducible_bit_for_bit():
    rng = np.random.default_rng(0)
    data = rng.standard_normal(50).astype(np.float32)

    def run():
        x = wg.tensor(data, requires_grad=True)
        terms = [wg.sin(x * float(k)) for k in range(1, 40)]
        total = terms[0]
        for term in terms[1:]:
            total = total + term * x
        total.sum().backward()
        return x.grad.numpy().copy()

    first = run()
    for _ in range(3):
        assert run().tobytes() == first.tobytes()


def test_long_chain_has_no_recursion_limit():
    x = wg.tensor(0.5, dtype=F64, requires_grad=True)
    y = x
    for _ in range(20000):
        y = y * 1.0 + 0.0
    y.backward()
    assert x.grad.item() == 1.0


# -- grad mode ----------------------------------------------------------------


def test_no_grad_enable_grad_set_grad_enabled():
    x = t64([1.0])
    with wg.no_grad():
        assert not (x * 2).requires_grad
        with wg.enable_grad():
            assert (x * 2).requires_grad
    assert (x * 2).requires_grad

    @wg.no_grad()
    def f(v):
        return v * 2

    assert not f(x).requires_grad
    assert wg.is_grad_enabled()
    with wg.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert wg.is_grad_enabled()
    wg.set_grad_enabled(False)
    assert not wg.is_grad_enabled()
    wg.set_grad_enabled(True)

    @wg.set_grad_enabled(False)
    def g(v):
        return v * 2

    assert wg.is_grad_enabled() and not g(x).requires_grad


def test_grad_mode_is_thread_local():
    x = t64([1.0])
    seen = {}

    def worker():
        seen["other"] = (x * 2).requires_grad

    with wg.no_grad():
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
    assert seen["other"] is True


# -- comparisons and Python control flow ----------------------------------------


def test_comparisons_return_bool_tensors_without_grad():
    x = t64([1.0, 3.0])
    m = x > 2
    assert m.dtype == wg.bool and not m.requires_grad
    assert bool(x.sum() > 3) is True
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(x > 0)


def test_subclass_of_tensor_is_a_tensor():
    class Parameter(wg.Tensor):
        pass

    p = Parameter(np.array([1.0, 2.0]), requires_grad=True)
    (p * p).sum().backward()
    np.testing.assert_array_equal(p.grad.numpy(), [2.0, 4.0])


# -- dtype policy ----------------------------------------------------------------


def test_dtype_policy():
    assert wg.tensor(1.0).dtype == wg.float32
    assert wg.tensor([1, 2]).dtype == wg.int64
    assert wg.tensor(np.zeros(2)).dtype == wg.float64
    assert (wg.tensor([1, 2]) * 1.5).dtype == wg.float32
    assert (wg.tensor([1, 2]) + wg.tensor([1.0])).dtype == wg.float32
    assert (wg.tensor(np.zeros(2, np.float32)) * np.float64(2.0)).dtype == wg.float32
    wg.set_default_dtype(wg.float64)
    try:
        assert wg.tensor(1.0).dtype == wg.float64
    finally:
        wg.set_default_dtype(wg.float32)


def test_mixed_precision_gradient_takes_the_leaf_dtype():
    x = wg.tensor(np.array([1.0, 2.0], np.float32), requires_grad=True)
    y = wg.tensor(np.array([3.0, 4.0]), requires_grad=True)
    (x * y).sum().backward()
    assert x.grad.dtype == wg.float32 and y.grad.dtype == wg.float64
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 4.0])


def test_a_view_primitive_of_a_raw_constant_is_a_plain_tensor():
    # rules call ``ns.getitem`` / ``ns.reshape`` on raw constants when they record
    from wengert._primitive import DIFF

    a = np.arange(6.0)
    v = DIFF.getitem(a, slice(1, 3))
    assert isinstance(v, wg.Tensor) and v._base is None
    np.testing.assert_array_equal(v.numpy(), a[1:3])
    assert DIFF.reshape(a, (2, 3)).shape == (2, 3)
