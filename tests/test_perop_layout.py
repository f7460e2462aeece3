"""The per-op layout of tape entries and tensors (issue 6: the cost of recording an op).

A node of one or two inputs keeps its saved values inline (``s0``, ``s1``) as it keeps
its parents (``p0``, ``p1``); a node of more inputs keeps a tuple. ``Node.saved`` reads
them back the same way for every caller (hooks, in-place checks, replay). A tensor keeps
its rarely set fields (a view's base, leaf hooks, ``retain_grad``) in one slot,
``_rare``, that is None for an ordinary result.
"""

import numpy as np
import pytest

import wengert as wg
from wengert._primitive import REGISTRY, Primitive, bind
from wengert.autograd.graph import saved_tensors_hooks
from wengert.autograd.linear import NEGATE, constant_rule
from wengert.autograd.node import Node


def _leaf(values):
    return wg.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def _nodes_of_each_arity():
    """(node, expected saved values as arrays or tensors) for 1, 2 and 3 inputs."""
    a, b, c = _leaf([0.5, -1.0]), _leaf([2.0, 3.0]), _leaf([0.25, 0.75])
    h = a * 1.5  # computed on the tape: saved as its raw array
    one = wg.sin(h)
    two = h * b  # the leaf b is saved as the tensor itself
    three = wg.lerp(h, b, c)
    return a, b, c, [(one, (h._data,)), (two, (h._data, b)), (three, (h._data, b, c))]


def _same(saved, expected):
    assert len(saved) == len(expected)
    for s, e in zip(saved, expected):
        assert s is e


def test_saved_reads_back_for_one_two_and_three_inputs():
    *_, cases = _nodes_of_each_arity()
    for out, expected in cases:
        node = out.grad_fn
        _same(node.saved, expected)
        assert len(node.parents) == len(expected)
    one, two, three = (out.grad_fn for out, _ in cases)
    # the storage: inline for one and two inputs, a tuple beyond
    assert one.ps == 1 and one.s1 is None
    assert two.ps == 2 and two.s0 is cases[1][1][0] and two.s1 is cases[1][1][1]
    assert type(three.ps) is tuple and type(three.s0) is tuple and three.s1 is None


def test_saved_setter_keeps_the_layout_of_the_parents():
    x = _leaf([1.0, 2.0])
    for n in (1, 2, 3):
        node = Node.make(REGISTRY["sin"], (x,) * n, (None,) * n, None, (), None, None)
        values = tuple(np.full(2, float(i)) for i in range(n))
        node.saved = values
        _same(node.saved, values)
        assert (type(node.s0) is tuple) == (n == 3)
        node.saved = None
        assert node.s0 is None and node.s1 is None


def test_an_op_that_saves_nothing_reads_back_nones():
    x, y = _leaf([1.0, 2.0]), _leaf([3.0, 4.0])
    assert (x + y).grad_fn.saved == (None, None)
    assert wg.neg(x).grad_fn.saved == (None,)


@pytest.mark.parametrize("retain", [False, True])
def test_backward_frees_the_saved_values_unless_retained(retain):
    a, b, c, cases = _nodes_of_each_arity()
    loss = sum(out.sum() for out, _ in cases)
    loss.backward(retain_graph=retain)
    for out, expected in cases:
        node = out.grad_fn
        if retain:
            _same(node.saved, expected)
        else:
            assert node.saved is None and node.parents is None
            assert node.s0 is None and node.s1 is None
    if retain:  # a second pass gives the same gradients again
        first = [t.grad.numpy().copy() for t in (a, b, c)]
        for t in (a, b, c):
            t.grad = None
        loss.backward()
        for t, g in zip((a, b, c), first):
            np.testing.assert_array_equal(t.grad.numpy(), g)


def test_saved_values_go_through_saved_tensors_hooks_for_each_arity():
    packed = []

    def pack(t):
        packed.append(t.detach().numpy().copy())
        return len(packed) - 1

    def unpack(k):
        return wg.tensor(packed[k])

    a, b, c = _leaf([0.5, -1.0]), _leaf([2.0, 3.0]), _leaf([0.25, 0.75])
    with saved_tensors_hooks(pack, unpack):
        h = a * 1.5
        n0 = len(packed)
        one = wg.sin(h)
        n1 = len(packed)
        two = h * b
        n2 = len(packed)
        three = wg.lerp(h, b, c)
        n3 = len(packed)
    assert (n1 - n0, n2 - n1, n3 - n2) == (1, 2, 3)
    (one.sum() + two.sum() + three.sum()).backward()
    hooked = [t.grad.numpy().copy() for t in (a, b, c)]
    for t in (a, b, c):
        t.grad = None
    h = a * 1.5
    (wg.sin(h).sum() + (h * b).sum() + wg.lerp(h, b, c).sum()).backward()
    for t, g in zip((a, b, c), hooked):
        np.testing.assert_array_equal(t.grad.numpy(), g)


@pytest.mark.parametrize("which", [0, 1])
def test_an_inline_saved_value_changed_in_place_is_refused(which):
    x, y = _leaf([1.0, 2.0]), _leaf([3.0, 4.0])
    u, v = x * 2, y * 2  # values computed on the tape: saved as raw arrays
    out = u * v
    (u, v)[which].mul_(3)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        out.sum().backward()


def test_a_saved_leaf_changed_in_place_is_refused_on_the_second_input():
    x, w = _leaf([1.0, 2.0]), wg.tensor([3.0, 4.0], dtype=wg.float64)
    out = (x * 2) * w  # w: a constant tensor, saved as the tensor itself
    w.add_(1)
    with pytest.raises(RuntimeError, match="input 1 of 'mul'"):
        out.sum().backward()


def test_second_order_reads_inline_saved_values_as_tensors():
    x = _leaf([0.5, -1.5])
    y = wg.sin(x * x) * x
    (g,) = wg.grad(y.sum(), [x], create_graph=True)
    (gg,) = wg.grad(g.sum(), [x])
    xv = np.array([0.5, -1.5])
    np.testing.assert_allclose(g.detach().numpy(),
                               2 * xv * xv * np.cos(xv * xv) + np.sin(xv * xv))
    expected = (4 * xv * np.cos(xv * xv) - 4 * xv ** 3 * np.sin(xv * xv)
                + 2 * xv * np.cos(xv * xv))
    np.testing.assert_allclose(gg.numpy(), expected)


# -- a tensor's rare fields ----------------------------------------------------------


def test_an_ordinary_result_has_no_rare_fields():
    x = _leaf([1.0, 2.0])
    for t in (x, x * 2, wg.sin(x), x + x, wg.tensor([1.0])):
        assert t._rare is None
        assert t._base is None and not t.retains_grad


def test_a_view_records_its_base_and_version():
    x = wg.tensor([1.0, 2.0, 3.0])
    v = x[0:2]
    assert v._base is x and v._rare.view_version == 0
    d = x.detach()
    assert d._base is x
    x.add_(1)  # changed through the base: the view's history is out of date
    y = _leaf([1.0, 1.0, 1.0])
    z = y * 1  # a non-leaf with a view taken, then the base changed in place
    w = z[0:2]
    z.mul_(2)
    with pytest.raises(RuntimeError, match="was taken before its base was changed"):
        w * 3
    v2 = x[0:2]
    v2.mul_(5)  # changed through the view itself: its history holds
    assert v2._rare.view_version == v2._version == x._version == 2
    np.testing.assert_array_equal((v2 * 1).numpy(), [10.0, 15.0])


def test_retain_grad_is_a_rare_field_set_once():
    x = _leaf([1.0, 2.0])
    y = x * 3
    assert not y.retains_grad and y._rare is None
    y.retain_grad()
    y.retain_grad()  # a second call adds no second hook
    assert y.retains_grad and len(y.grad_fn.hooks) == 1
    (y * y).sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), [6.0, 12.0])


def test_leaf_hooks_are_set_and_cleared():
    x = _leaf([1.0, 2.0])
    handle = x.register_hook(lambda g: g * 10)
    assert x._rare is not None and len(x._rare.hooks) == 1
    (x * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [10.0, 10.0])
    handle.remove()
    assert x._rare.hooks == []
    x.grad = None
    (x * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])
    # grad() runs a leaf's hooks too
    x.register_hook(lambda g: g * 2)
    (gx,) = wg.grad((x * 1).sum(), [x])
    np.testing.assert_array_equal(gx.numpy(), [2.0, 2.0])


def test_parameters_keep_rare_fields_too():
    p = wg.nn.Parameter(wg.zeros(2))
    assert p._rare is None
    p.register_hook(lambda g: g + 1)
    (p * 2).sum().backward()
    np.testing.assert_array_equal(p.grad.numpy(), [3.0, 3.0])


# -- the engine's plan of a primitive -------------------------------------------------


def test_a_primitive_keeps_its_plan_until_a_field_changes():
    prim = Primitive("test_perop_layout_neg", lambda x: -x, rule=(constant_rule(NEGATE),))
    del REGISTRY[prim.name]  # a test's primitive: not one of the library's ops
    assert prim.plan is None
    x = _leaf([1.0, 2.0])
    bind(prim, (x,)).sum().backward()
    assert prim.plan is not None and prim.plan[1] == 1
    np.testing.assert_array_equal(x.grad.numpy(), [-1.0, -1.0])
    prim.n_params = 0  # any field set again drops it
    assert prim.plan is None


# -- a node's rare fields -------------------------------------------------------------


def test_a_node_keeps_hooks_tangents_and_residuals_in_one_rare_field():
    x = _leaf([0.5, -1.0])
    y = wg.exp(x * 2)
    node = y.grad_fn
    assert node.extra is None
    assert node.hooks is None and node.out_fw is None and node.residual is None
    handle = y.register_hook(lambda g: g * 3)
    assert node.extra is not None and len(node.hooks) == 1
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 6 * np.exp(np.array([1.0, -2.0])))
    handle.remove()
    assert node.hooks == []
    # a residual (cross_entropy hands its exp over) is taken by the backward pass
    logits = wg.tensor(np.array([[0.2, -0.4, 1.0]]), requires_grad=True)
    loss = wg.nn.functional.cross_entropy(logits, wg.tensor(np.array([2])))
    assert loss.grad_fn.residual is not None
    loss.backward()
    assert loss.grad_fn.residual is None


def test_a_saved_output_keeps_its_tangents_for_forward_over_reverse():
    import wengert.autograd.forward_ad as fwad

    xv = np.array([0.3, -0.2])
    with fwad.dual_level():
        x = fwad.make_dual(_leaf(xv), wg.tensor(np.ones(2)))
        y = wg.exp(x)  # exp saves its output
        assert y.grad_fn.out_fw is not None
        (g,) = wg.grad(y.sum(), [x], create_graph=True)
        tangent = fwad.unpack_dual(g).tangent
    np.testing.assert_allclose(tangent.detach().numpy(), np.exp(xv))
