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
from wengert.autograd import grad_mode


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
