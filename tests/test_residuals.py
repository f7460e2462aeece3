"""``Primitive(residual=...)``: a forward computation hands intermediate results to its
rule, once, for a first-order reverse pass; every other use of the rule recomputes."""

import numpy as np
import pytest

import wengert as wg
from wengert._primitive import REGISTRY, VALUE, Primitive, bind

CALLS = []


def _square_and_double(x):
    return x * x, 2 * x  # the rule's multiplier, computed once in the forward pass


def _rule(ns, out, x, residual):
    CALLS.append(residual is not None)
    return residual if residual is not None else 2 * x


square_p = Primitive("test_residual_square", lambda x: x * x, save=(VALUE,), rule=(_rule,),
                     residual=_square_and_double)
del REGISTRY[square_p.name]  # a test's primitive: not one of the library's ops


def square(x):
    return bind(square_p, (x,))


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()


def x64(values):
    return wg.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def test_first_order_backward_gets_the_residual_once():
    x = x64([1.0, 3.0])
    y = square(x).sum()
    y.backward(retain_graph=True)
    y.backward()  # the residual was given away: the rule recomputes
    assert CALLS == [True, False]
    np.testing.assert_array_equal(x.grad.numpy(), [4.0, 12.0])


def test_unrecorded_calls_compute_no_residual():
    with wg.no_grad():
        assert square(x64([2.0])).grad_fn is None
    assert square(wg.tensor([2.0])).item() == 4.0


def test_higher_orders_and_forward_mode_recompute():
    x = x64([1.5])
    (g,) = wg.grad(square(x).sum(), x, create_graph=True)
    (gg,) = wg.grad(g.sum(), x)
    assert CALLS[0] is False  # create_graph: the rule runs on recorded ops
    np.testing.assert_array_equal(gg.numpy(), [2.0])
    import wengert.autograd.forward_ad as fwAD

    with fwAD.dual_level():
        d = fwAD.make_dual(wg.tensor([3.0], dtype=wg.float64), wg.tensor([1.0], dtype=wg.float64))
        assert fwAD.unpack_dual(square(d)).tangent.item() == 6.0


def test_saved_tensors_hooks_keep_no_residual():
    x = x64([2.0])
    with wg.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        y = square(x).sum()
    y.backward()
    assert CALLS == [False]
    np.testing.assert_array_equal(x.grad.numpy(), [4.0])


def test_cross_entropy_residual_is_used_once_and_gradients_agree():
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((4, 5))
    target = wg.tensor([0, 3, 1, 4])
    x = wg.tensor(logits, requires_grad=True)
    loss = wg.nn.functional.cross_entropy(x, target)
    assert loss.grad_fn.residual is not None
    loss.backward(retain_graph=True)
    assert loss.grad_fn.residual is None
    first = x.grad.numpy().copy()
    x.grad = None
    loss.backward()  # recomputed exp: the same gradient
    np.testing.assert_allclose(x.grad.numpy(), first, rtol=1e-15, atol=1e-17)
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    p[np.arange(4), [0, 3, 1, 4]] -= 1
    np.testing.assert_allclose(first, p / 4, rtol=1e-12)
