"""The engine's own buffers: large gradient sums are added in place, and only into
arrays the pass itself made (never into a caller's seed or an array another edge holds)."""

import numpy as np

import wengert as wg

BIG = (200, 200)  # above the engine's in-place size


def test_in_place_sums_leave_seed_and_shared_cotangents_alone():
    x = wg.tensor(np.ones(BIG), requires_grad=True)
    u = x * 2.0
    s = u + x  # add hands one cotangent object to both u and x
    t = (s + u) + u
    seed = np.full(BIG, 1.0)
    t.backward(seed)
    np.testing.assert_array_equal(x.grad.numpy(), np.full(BIG, 7.0))  # t = 7 x
    np.testing.assert_array_equal(seed, np.full(BIG, 1.0))


def test_in_place_sums_equal_out_of_place_sums_bit_for_bit(monkeypatch):
    from wengert.autograd import engine

    data = np.random.default_rng(0).standard_normal(BIG)

    def gradient():
        x = wg.tensor(data, requires_grad=True)
        y = x.sin()
        (y * 0.3 + y.exp() + y * y + y.cos()).sum().backward()
        return x.grad.numpy()

    in_place = gradient()
    monkeypatch.setattr(engine, "_IN_PLACE_SIZE", 10**12)
    np.testing.assert_array_equal(in_place, gradient())


def test_leaf_used_many_times_gets_the_fixed_order_sum():
    w = wg.tensor(np.full(BIG, 0.5), requires_grad=True)
    out = w * 1.0
    for k in range(2, 6):
        out = out + w * float(k)
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.numpy(), np.full(BIG, 15.0))
