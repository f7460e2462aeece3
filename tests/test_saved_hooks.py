"""saved_tensors_hooks: pack when the tape saves a value, unpack when backward reads it."""

import threading

import numpy as np
import pytest

import wengert as wg
from wengert import _primitive
from wengert.autograd.graph import disable_saved_tensors_hooks, saved_tensors_hooks


def t64(values, requires_grad=True):
    return wg.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def f(x, w):
    return (wg.sin(x * w) / (x + 1.0) + wg.exp(x) ** 2.0).sum()


class Store:
    """Offload to a dict: the tape keeps only a key."""

    def __init__(self):
        self.values, self.unpacked = {}, 0

    def pack(self, t):
        assert isinstance(t, wg.Tensor) and not t.requires_grad
        key = len(self.values)
        self.values[key] = t.numpy().copy()
        return key

    def unpack(self, key):
        self.unpacked += 1
        return wg.tensor(self.values[key])


def test_pack_and_unpack_are_called_and_gradients_are_unchanged():
    x, w = t64([0.5, 1.0]), t64([0.3, -1.0])
    want = wg.grad(f(x, w), [x, w])
    store = Store()
    with saved_tensors_hooks(store.pack, store.unpack):
        y = f(x, w)
    assert len(store.values) > 0 and store.unpacked == 0
    got = wg.grad(y, [x, w])
    assert store.unpacked == len(store.values)
    for a, b in zip(got, want):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_the_hot_path_flag_is_off_outside_the_context():
    assert _primitive.PACK is None
    with saved_tensors_hooks(lambda t: t, lambda t: t):
        assert _primitive.PACK is not None
    assert _primitive.PACK is None


def test_compression_changes_what_backward_sees():
    x = t64([0.1234567891234, 2.0])
    with saved_tensors_hooks(lambda t: t.numpy().astype(np.float16), lambda a: a):
        y = (x * x).sum()  # mul saves x (a leaf) for both inputs
    (g,) = wg.grad(y, [x])
    np.testing.assert_array_equal(g.numpy(), 2 * np.float16(x.detach().numpy()))


def test_second_order_through_packed_values():
    x, w = t64([0.5, 1.0]), t64([0.3, -1.0])
    store = Store()
    with saved_tensors_hooks(store.pack, store.unpack):
        y = f(x, w)
    (gx,) = wg.grad(y, [x], create_graph=True)
    (gxx,) = wg.grad(gx.sum(), [x])
    (hx,) = wg.grad(f(x, w), [x], create_graph=True)
    (hxx,) = wg.grad(hx.sum(), [x])
    np.testing.assert_allclose(gxx.numpy(), hxx.numpy(), rtol=1e-14)
    h = wg.func.hessian(lambda t: _hooked(f, t, w.detach()))(x.detach())
    np.testing.assert_allclose(h.numpy().sum(0), hxx.numpy(), rtol=1e-12)


def _hooked(fn, *args):
    with saved_tensors_hooks(lambda t: t, lambda t: t):
        return fn(*args)


def test_in_place_change_of_a_packed_value_is_still_detected():
    x = t64([0.5, 1.0])
    with saved_tensors_hooks(lambda t: t, lambda t: t):
        y = x * 1.0
        z = wg.sin(y)
    with wg.no_grad():
        y.mul_(2)
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        z.sum().backward()


def test_innermost_hooks_win_and_disable():
    outer, inner = [], []
    x = t64([1.0, 2.0])
    with saved_tensors_hooks(lambda t: outer.append(1) or t, lambda t: t):
        wg.sin(x * 2)
        with saved_tensors_hooks(lambda t: inner.append(1) or t, lambda t: t):
            wg.sin(x * 2)
        with disable_saved_tensors_hooks():
            wg.sin(x * 2)
    assert len(outer) == 1 and len(inner) == 1


def test_custom_function_saves_go_through_the_hooks():
    packed = []

    class Square(wg.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * g * x

    x = t64([3.0])
    with saved_tensors_hooks(lambda t: packed.append(t) or len(packed) - 1,
                             lambda k: packed[k]):
        y = Square.apply(x)
    y.backward()
    assert len(packed) == 1 and x.grad.tolist() == [6.0]


def test_hooks_are_per_thread():
    seen = []

    def other():
        wg.sin(t64([1.0]) * 2)

    with saved_tensors_hooks(lambda t: seen.append(1) or t, lambda t: t):
        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert seen == []
