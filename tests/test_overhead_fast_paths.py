"""The fast paths of the hot loops give the results of the general ones.

Each test targets one shortcut (see the comments at each in ``_primitive`` and
``autograd.engine``): the grad-mode flag shared by threads, the reverse pass's
next node taken without the heap, and the second edge of ``x * x``.
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

import wengert as wg
from wengert._primitive import REGISTRY, Primitive, bind
from wengert.autograd import forward_ad as fwad
from wengert.autograd import grad_mode
from wengert.autograd.linear import IDENTITY, NEGATE, constant_rule


def test_no_grad_in_another_thread_does_not_stop_recording_here():
    entered, release = threading.Event(), threading.Event()

    def hold_no_grad():
        with wg.no_grad():
            entered.set()
            release.wait(10)

    other = threading.Thread(target=hold_no_grad)
    other.start()
    try:
        assert entered.wait(10)
        assert grad_mode._OFF  # the other thread's mode is off
        x = wg.tensor([1.0, 2.0], requires_grad=True)
        y = (x * x).sum()
        assert y.requires_grad
        with wg.no_grad():  # and this thread's own switch still works
            assert not (x * 2).requires_grad
        assert (x * 2).requires_grad
        y.backward()
        np.testing.assert_array_equal(x.grad.numpy(), [2.0, 4.0])
    finally:
        release.set()
        other.join()
    assert not grad_mode._OFF


def test_grad_mode_flag_is_restored_by_backward_and_switches():
    x = wg.tensor([1.0, 2.0], requires_grad=True)
    (x * 3).sum().backward()
    assert not grad_mode._OFF and wg.is_grad_enabled()
    with wg.no_grad():
        assert grad_mode._OFF
        with wg.enable_grad():
            assert not grad_mode._OFF and (x * 2).requires_grad
        assert grad_mode._OFF and not (x * 2).requires_grad
    assert not grad_mode._OFF
    wg.set_grad_enabled(False)
    try:
        assert not (x * 2).requires_grad
    finally:
        wg.set_grad_enabled(True)
    assert not grad_mode._OFF and (x * 2).requires_grad


@pytest.mark.parametrize("retain", [False, True])
def test_a_parent_reached_early_waits_for_its_later_consumers(retain):
    # a is reached first through b (the newest node's first input) but also feeds c,
    # which runs later: a must wait for c's contribution.
    x = wg.tensor([0.5, -1.5], dtype=wg.float64, requires_grad=True)
    a = wg.sin(x)
    c = a * 3.0
    b = wg.exp(a)
    out = (b * c).sum()
    out.backward(retain_graph=retain)
    xv = np.array([0.5, -1.5])
    av = np.sin(xv)
    expected = np.cos(xv) * (np.exp(av) * 3 * av + np.exp(av) * 3)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-14)


def test_x_times_x_pulls_back_both_edges():
    x = wg.tensor([0.5, -1.5, 2.0], dtype=wg.float32, requires_grad=True)
    y = wg.cos(x * x)
    y.sum().backward()
    xv = np.array([0.5, -1.5, 2.0], dtype=np.float32)
    g = -np.sin(xv * xv)
    np.testing.assert_array_equal(x.grad.numpy(), g * xv + g * xv)  # bit for bit
    # and through a leaf used twice, and second order
    w = wg.tensor([3.0], dtype=wg.float64, requires_grad=True)
    (gw,) = wg.grad((w * w).sum(), [w], create_graph=True)
    (ggw,) = wg.grad(gw.sum(), [w])
    assert gw.item() == 6.0 and ggw.item() == 2.0


# -- rules known without a call (linear.constant_rule / linear.returns) ----------------


def test_known_rules_are_still_ordinary_rules():
    from wengert._primitive import FAST

    x, y, out = np.array([2.0]), np.array([5.0]), np.array([7.0])
    mul, add, exp = REGISTRY["mul"].rule, REGISTRY["add"].rule, REGISTRY["exp"].rule
    assert mul[0](FAST, None, x, y) is y and mul[1](FAST, None, x, y) is x
    assert add[0](FAST, None, x, y) is IDENTITY and add[1](FAST, None, x, y) is IDENTITY
    assert exp[0](FAST, out, x) is out
    # forward mode calls the rules themselves
    p = wg.tensor([2.0, 3.0], dtype=wg.float64)
    with fwad.dual_level():
        d = fwad.make_dual(p, wg.tensor([1.0, 0.5], dtype=wg.float64))
        t = fwad.unpack_dual(wg.exp(d * p + d)).tangent
    pv = np.array([2.0, 3.0])
    np.testing.assert_allclose(t.numpy(), np.exp(pv * pv + pv) * (pv + 1) * [1.0, 0.5])


def test_a_primitive_given_new_rules_gets_a_new_plan():
    prim = Primitive("test_fast_paths_scale", lambda x: x * 2.0, rule=(constant_rule(NEGATE),))
    del REGISTRY[prim.name]  # a test's primitive: not one of the library's ops
    x = wg.tensor([1.0, 2.0], dtype=wg.float64, requires_grad=True)
    bind(prim, (x,)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [-1.0, -1.0])
    prim.rule = (lambda ns, out, x_: 2.0,)  # the engine must not keep the old plan
    x.grad = None
    bind(prim, (x,)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 2.0])


@pytest.mark.parametrize("retain", [False, True])
def test_a_cotangent_held_for_the_next_node_is_summed_and_displaced(retain):
    # b is the next node after out (held outside the pending dict) and then receives a
    # second contribution; a joins as next and is displaced by the newer d.
    x = wg.tensor([0.3, -0.7], dtype=wg.float64, requires_grad=True)
    a = wg.sin(x)
    b = wg.exp(a)
    d = a * b
    out = (b * d + b).sum()
    out.backward(retain_graph=retain)
    xv = np.array([0.3, -0.7])
    av, bv = np.sin(xv), np.exp(np.sin(xv))
    # out = a b^2 + b, db/da = b
    expected = np.cos(xv) * (bv ** 2 + (2 * av * bv + 1) * bv)
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-14)


def test_real_and_complex_cotangents_in_one_pass():
    # Real cotangents first (the engine caches the last real dtype), then complex ones,
    # which must still pull back conjugated; checked against the holomorphic formulas.
    xv = np.array([0.4, -1.1])
    wv = np.array([1.0 + 2.0j, -0.5 + 0.25j])
    x = wg.tensor(xv, requires_grad=True)
    w = wg.tensor(wv, requires_grad=True)
    z = w * wg.sin(x).to(wg.complex128)  # complex
    loss = (z * z.conj()).real.sum() + (wg.sin(x) * 3.0).sum()  # |w sin x|^2 + 3 sin x
    loss.backward()
    s = np.sin(xv)
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.abs(wv) ** 2 * s * np.cos(xv)
                               + 3 * np.cos(xv), rtol=1e-13)
    # PyTorch's convention: the gradient of a real loss is dL/d(conj w) * 2 = 2 w |sin x|^2
    np.testing.assert_allclose(w.grad.numpy(), 2 * wv * s ** 2, rtol=1e-13)
