"""Corner cases where wengert follows PyTorch's semantics (values recorded from torch 2.13).

Each test is a case a review found where a naive autodiff gets it wrong: aliasing,
in-place writes through views, hooks, NaN, dtype promotion.
"""

import threading

import numpy as np
import pytest

import wengert as wg
import wengert.autograd.forward_ad as fw

F64 = wg.float64


def t64(values, requires_grad=False):
    return wg.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


# -- in-place writes and views ----------------------------------------------------


def test_differentiated_in_place_write_through_a_view_is_refused():
    w = wg.ones(2, requires_grad=True)
    buf = wg.zeros(3)
    with pytest.raises(RuntimeError, match=r"view .*base\[index\] = value"):
        buf[1:].copy_(w * 2)
    buf[1:] = w * 2  # the supported spelling: setitem on the base
    p = wg.ones(3, requires_grad=True)
    (buf * p).sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [2.0, 2.0])


def test_view_taken_before_an_in_place_change_of_its_base_is_caught():
    x = wg.ones(3, requires_grad=True)
    y = x * 1.0
    v = y[0:2]
    y.mul_(2)  # v now holds 2 * x[0:2], but its tape entry says x[0:2]
    with pytest.raises(RuntimeError, match=r"view .* taken before its base was changed"):
        v.sum()
    v = y[0:2]  # taken again: fine
    v.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0, 0.0])


def test_reading_a_view_then_writing_its_base_in_place():
    x = t64([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1.0
    y[0] = y[1] * 2  # y = [2 x1, x1, x2]
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 3.0, 1.0])

    x = t64([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    y = x * 1.0
    for i in range(1, 4):  # a recurrence written in place
        y[i] = y[i - 1] * 2 + y[i]
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [15.0, 7.0, 3.0, 1.0])


def test_a_view_changed_through_itself_keeps_its_history():
    x = wg.ones(3, requires_grad=True)
    v = (x * 1.0)[0:2]
    with wg.no_grad():
        v.add_(1)
    (v * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 3.0, 0.0])


def test_single_element_index_is_a_view():
    x = wg.tensor([1.0, 2.0, 3.0])
    x[0].add_(10)
    x[1].fill_(0)
    np.testing.assert_array_equal(x.numpy(), [11.0, 0.0, 3.0])


def test_cat_of_one_tensor_is_a_new_tensor():
    x = wg.ones(2, requires_grad=True)
    c = wg.cat([x])
    assert c is not x
    with wg.no_grad():
        c.add_(1)
    np.testing.assert_array_equal(x.detach().numpy(), [1.0, 1.0])


def test_copies_are_not_views():
    y = wg.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True) * 1.0
    z = y.t().reshape(-1)  # a copy in NumPy: not sharing y's memory
    s = wg.sin(y)
    with wg.no_grad():
        z.mul_(2)
    s.sum().backward()  # y was not changed: no error
    picked = y[[0, 1]]  # advanced indexing copies, so in-place on it is fine
    picked.mul_(2)


def test_unneeded_saved_values_do_not_block_in_place_changes():
    a = wg.ones(3, requires_grad=True)
    y = a * 1.0
    z = y * 2  # d z / d y = 2: y's value is not needed
    y.add_(1)
    z.sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [2.0, 2.0, 2.0])


def test_forward_mode_tangent_follows_writes_under_no_grad():
    x = t64([1.0, 1.0, 1.0])
    with fw.dual_level():
        y = fw.make_dual(x, t64([1.0, 1.0, 1.0])) * 2
        with wg.no_grad():
            y[0] = 5.0
        np.testing.assert_array_equal(fw.unpack_dual(y).tangent.numpy(), [0.0, 2.0, 2.0])


def test_forward_over_reverse_through_an_in_place_op_that_saves_its_input():
    X, V = np.array([0.3, -1.2, 2.0]), np.array([1.0, 0.5, -2.0])
    x = t64(X, requires_grad=True)
    with fw.dual_level():
        xd = fw.make_dual(x, t64(V))
        y = xd * 2
        y.mul_(xd)  # y = 2 x^2, mul saved y's old value, which carries a tangent
        (g,) = wg.grad(wg.sin(y).sum(), [x], create_graph=True)
        hvp = fw.unpack_dual(g).tangent.detach().numpy()
    # f = sum sin(2x^2): f' = 4x cos(2x^2); f'' = 4 cos(2x^2) - 16 x^2 sin(2x^2)
    expected = (4 * np.cos(2 * X ** 2) - 16 * X ** 2 * np.sin(2 * X ** 2)) * V
    np.testing.assert_allclose(hvp, expected, rtol=1e-12)


# -- gradients: aliasing, hooks, retain_grad ------------------------------------


def test_grads_after_create_graph_do_not_alias():
    x, y = wg.ones(3, requires_grad=True), wg.ones(3, requires_grad=True)
    v = wg.ones(3)
    (x + y).backward(v, create_graph=True)
    (x * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), [2.0, 2.0, 2.0])
    np.testing.assert_array_equal(y.grad.detach().numpy(), [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(v.numpy(), [1.0, 1.0, 1.0])


def test_hook_returning_a_callers_tensor_is_not_modified_later():
    x = wg.ones(1, requires_grad=True)
    keep = wg.tensor([7.0])
    h = x.register_hook(lambda g: keep)
    (x * 1).sum().backward()
    h.remove()
    (x * 1).sum().backward()
    assert keep.item() == 7.0 and x.grad.item() == 8.0


def test_retain_grad_runs_after_other_hooks_and_follows_in_place_ops():
    x = wg.ones(1, requires_grad=True)
    y = x * 1.0
    y.retain_grad()
    y.register_hook(lambda g: g * 10)
    y.sum().backward()
    assert y.grad.item() == 10.0

    x = t64([2.0], requires_grad=True)
    y = x * 1.0
    y.retain_grad()
    y.mul_(3)
    (y * y).sum().backward()
    assert y.grad.item() == 12.0  # d(y^2)/dy at the new y = 6


def test_leaf_hooks_run_in_grad():
    x = wg.ones(2, requires_grad=True)
    x.register_hook(lambda g: g * 10)
    (g,) = wg.grad((x * 2).sum(), [x])
    np.testing.assert_array_equal(g.numpy(), [20.0, 20.0])


def test_pruned_branches_survive_for_a_later_pass():
    a, b = wg.ones(2, requires_grad=True), wg.ones(2, requires_grad=True)
    ga, gb = a * 3, b * 4
    wg.grad((ga + gb).sum(), [a])  # the b branch is never run
    gb.sum().backward()
    np.testing.assert_array_equal(b.grad.numpy(), [4.0, 4.0])


# -- NaN and zero --------------------------------------------------------------------


def test_norm_of_zero_has_zero_gradient():
    a = wg.zeros(3, requires_grad=True)
    a.norm().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0, 0.0])
    b = t64([3.0, 4.0], requires_grad=True)
    b.norm(p=3).backward()
    np.testing.assert_allclose(b.grad.numpy(), np.array([9.0, 16.0]) / 91 ** (2 / 3))


def test_nan_is_the_maximum():
    x = wg.tensor([1.0, float("nan"), 3.0], requires_grad=True)
    x.max().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 1.0, 0.0])
    a = wg.tensor([float("nan")], requires_grad=True)
    b = wg.tensor([1.0], requires_grad=True)
    wg.maximum(a, b).sum().backward()
    assert a.grad.item() == 1.0 and b.grad.item() == 1.0


# -- dtype promotion -------------------------------------------------------------------


def test_dtype_promotion_matches_pytorch():
    i, f = wg.tensor([1, 2]), wg.tensor([1.0, 2.0])
    cases = {
        "int / number": (i / 2, wg.float32),
        "int / int": (i / i, wg.float32),
        "exp(int)": (wg.exp(i), wg.float32),
        "f32 + 0-d f64": (f + wg.tensor(1.0, dtype=F64), wg.float32),
        "i32 + 0-d i64": (wg.tensor([1], dtype=wg.int32) + wg.tensor(1), wg.int32),
        "int + 0-d f64": (i + wg.tensor(1.5, dtype=F64), wg.float64),
        "cat(f32, i64)": (wg.cat([f, i]), wg.float32),
        "where(int, 0.5)": (wg.where(i > 1, i, 0.5), wg.float32),
        "int.clamp(2.5)": (i.clamp(min=2.5), wg.float32),
        "relu(int)": (wg.relu(i), wg.int64),
    }
    wrong = {k: str(v.dtype) for k, (v, want) in cases.items() if v.dtype != want}
    assert not wrong


def test_default_dtype_is_process_wide():
    seen = {}
    wg.set_default_dtype(F64)
    try:
        thread = threading.Thread(target=lambda: seen.update(d=wg.tensor(1.0).dtype))
        thread.start()
        thread.join()
    finally:
        wg.set_default_dtype(wg.float32)
    assert seen["d"] == F64


# -- small API points ------------------------------------------------------------------


def test_grad_mode_decorators_without_parentheses_and_on_generators():
    x = wg.ones(1, requires_grad=True)

    @wg.no_grad
    def f():
        return x * 2

    @wg.no_grad()
    def gen():
        yield x * 2
        yield x * 3

    assert not f().requires_grad
    assert [t.requires_grad for t in gen()] == [False, False]
    assert wg.is_grad_enabled()


def test_empty_dim_reduces_everything_and_eq_none():
    x = wg.ones(2, 3)
    assert x.sum(dim=()).item() == 6.0 and x.mean(dim=[]).item() == 1.0
    assert (x == None) is False and (x != None) is True  # noqa: E711


def test_assigning_a_grad_of_another_dtype_is_refused():
    x = wg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="dtype float64"):
        x.grad = wg.ones(2, dtype=F64)


# -- second review --------------------------------------------------------------------


def test_zero_derivatives_are_zeros_not_missing():
    x = t64([-1.5, 0.5, 2.0], requires_grad=True)
    for f in (wg.sign, lambda v: v ** 0):
        (g,) = wg.grad(f(x).sum(), [x])
        np.testing.assert_array_equal(g.numpy(), [0.0, 0.0, 0.0])
    (g,) = wg.grad(wg.abs(x).sum(), [x], create_graph=True)
    (h,) = wg.grad(g.sum(), [x])
    np.testing.assert_array_equal(h.numpy(), [0.0, 0.0, 0.0])


def test_clamp_with_tensor_bounds_does_not_split_ties():
    x = t64([1.0, 2.0], requires_grad=True)
    lo, hi = t64([1.0, 0.0], requires_grad=True), t64([3.0, 2.0], requires_grad=True)
    wg.clamp(x, min=lo, max=hi).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 1.0])
    np.testing.assert_array_equal(lo.grad.numpy(), [0.0, 0.0])
    np.testing.assert_array_equal(hi.grad.numpy(), [0.0, 0.0])


def test_setitem_with_extra_leading_unit_dims():
    w = wg.ones(1, 3, requires_grad=True)
    buf = wg.zeros(3, requires_grad=True) * 1.0
    buf[:] = w * 2
    buf.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), [[2.0, 2.0, 2.0]])


def test_zero_dim_leaf_grad_accumulates_in_the_same_tensor():
    x = wg.tensor(2.0, requires_grad=True)
    (x * 3).backward()
    g = x.grad
    (x * 3).backward()
    assert x.grad is g and g.item() == 6.0


def test_gradients_keep_float32():
    x = wg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1.0
    y.retain_grad()
    (2 ** y).sum().backward()
    assert y.grad.dtype == wg.float32 and x.grad.dtype == wg.float32
    x = wg.tensor([1.0, 2.0], requires_grad=True)
    (x * 2).backward(wg.ones(2, dtype=F64), create_graph=True)
    assert x.grad.dtype == wg.float32


def test_numpy_array_operands_follow_tensor_promotion():
    assert (wg.ones(3) + np.arange(3)).dtype == wg.float32
    with pytest.raises(RuntimeError, match=r"add: .*out of bounds for uint8"):
        wg.tensor([1], dtype=wg.uint8) + (-1)


def test_small_edge_cases():
    assert wg.tensor(3.0).squeeze(-1).shape == ()
    assert wg.ones(3)[[]].shape == (0,)


def test_views_of_zero_dim_results_share_memory():
    y = wg.tensor(3.0) * 2  # NumPy computes a scalar here
    v, w, e = y.reshape(1), y[None], y.expand(3)
    y.add_(1)
    assert v.tolist() == [7.0] and w.tolist() == [7.0] and e.tolist() == [7.0] * 3
    s = wg.tensor([1.0, 2.0]).sum()
    s.view(1).mul_(10)
    assert s.item() == 30.0
    x = wg.tensor(5.0)
    values, index = x.max(0)
    with wg.no_grad():
        values.add_(1)
    assert x.item() == 5.0 and index.item() == 0


@pytest.mark.parametrize("p, value, grad", [
    (2, 5.0, [0.0, 0.6, -0.8]), ("fro", 5.0, [0.0, 0.6, -0.8]), (1, 7.0, [0.0, 1.0, -1.0]),
    (0.5, 13.928203230275509, [0.0, 2.1547005383792515, -1.8660254037844386]),
    (0, 2.0, [0.0, 0.0, 0.0]), (float("inf"), 4.0, [0.0, 0.0, -1.0]),
    (-float("inf"), 0.0, [0.0, 0.0, 0.0]), (-1, 0.0, [0.0, 0.0, 0.0]),
])
def test_norm_orders_match_pytorch(p, value, grad):
    x = t64([0.0, 3.0, -4.0], requires_grad=True)
    n = x.norm(p=p)
    n.backward()
    assert n.item() == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), grad, rtol=1e-12, atol=1e-15)


def test_norm_of_integers_is_refused():
    with pytest.raises(RuntimeError, match="floating point"):
        wg.tensor([1, 2]).norm()


def test_comparison_aliases_and_equal():
    a, b = wg.tensor([1.0, 2.0]), wg.tensor([1.0, 3.0])
    assert a.greater_equal(b).tolist() == [True, False]
    assert a.less_equal(b).tolist() == [True, True]
    assert a.not_equal(b).tolist() == [False, True]
    assert a.equal(a * 1) and not a.equal(b) and not a.equal(wg.ones(3))


@pytest.mark.filterwarnings("ignore:overflow:RuntimeWarning")
def test_python_float_constants_keep_numpy_semantics():
    x = wg.tensor([1.0, -2.0], requires_grad=True)
    assert np.signbit((x * -0.0).detach().numpy()).tolist() == [True, False]
    assert np.signbit((x * 0.0).detach().numpy()).tolist() == [False, True]
    y = (x * 0.1 + 0.2) / 3.0 - 1.5
    assert y.dtype == wg.float32
    expected = (np.array([1.0, -2.0], np.float32) * 0.1 + 0.2) / 3.0 - 1.5
    assert y.detach().numpy().tobytes() == expected.tobytes()  # bit for bit
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.full(2, np.float32(0.1) / np.float32(3.0)))
    assert (wg.tensor(np.ones(2, np.float16)) * 1e5).dtype == wg.float16
