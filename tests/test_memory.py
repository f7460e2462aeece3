"""Deep graphs run without recursion, and backward gives their memory back."""

import gc
import sys

import wengert as wg


def test_million_op_chain_backward_and_memory():
    n = 1_000_000
    x = wg.tensor(0.5, dtype=wg.float64, requires_grad=True)
    gc.collect()
    before = sys.getallocatedblocks()
    y = x
    for _ in range(n):
        y = y * 1.0000001
    during = sys.getallocatedblocks()
    y.backward()
    gc.collect()
    after = sys.getallocatedblocks()  # y is still alive: its tape was freed as backward ran

    assert abs(x.grad.item() / 1.0000001 ** n - 1) < 1e-9
    assert during - before > n  # the tape really held about a million entries
    assert after - before < 0.01 * (during - before), (before, during, after)


def test_graph_dropped_without_backward_is_freed():
    x = wg.tensor(0.5, dtype=wg.float64, requires_grad=True)
    gc.collect()
    before = sys.getallocatedblocks()
    y = x
    for _ in range(200_000):
        y = wg.sin(y) + 0.1
    del y  # deallocating a 400k-deep chain must not overflow the C stack
    gc.collect()
    assert sys.getallocatedblocks() - before < 1000


def test_training_loop_does_not_grow():
    w = wg.randn(20, 20, requires_grad=True)
    data = wg.randn(8, 20)

    def step():
        loss = (wg.tanh(data @ w) ** 2).mean()
        w.grad = None
        loss.backward()
        with wg.no_grad():
            w.sub_(0.01 * w.grad)

    for _ in range(10):
        step()
    gc.collect()
    at_10 = sys.getallocatedblocks()
    for _ in range(300):
        step()
    gc.collect()
    assert sys.getallocatedblocks() - at_10 < 200
