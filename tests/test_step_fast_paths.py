"""The fast paths of a small model's training step (issue 6): each gives what the general
path gives, and each falls back to it where its assumptions fail."""

import copy
import warnings

import numpy as np
import pytest

import wengert as wg
from wengert import nn
from wengert._backend import ones_vector
from wengert.autograd.linear import enter_quiet, exit_quiet, quiet_rules


def test_enter_quiet_is_quiet_rules_and_keeps_the_rest_of_the_callers_state():
    for outer in ({}, {"under": "raise"}, {"divide": "raise", "under": "warn"}):
        with np.errstate(**outer):
            before = np.geterr()
            with quiet_rules():
                expected = np.geterr()
            token = enter_quiet()
            try:
                assert np.geterr() == expected
                assert expected["under"] == before["under"]
            finally:
                exit_quiet(token)
            assert np.geterr() == before


def test_backward_is_quiet_and_restores_the_error_state():
    x = wg.tensor([0.0, 1.0], requires_grad=True)
    with np.errstate(all="raise"):
        wg.sqrt(x).sum().backward()  # 1/0 in the rule: no FloatingPointError
        assert np.geterr()["divide"] == "raise"
    assert np.isinf(x.grad.detach().numpy()[0])


def test_cross_entropy_of_inf_logits_is_quiet_and_restores_the_error_state():
    x = wg.tensor([[np.inf, 0.0], [1.0, 2.0]], requires_grad=True)
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = nn.functional.cross_entropy(x, wg.tensor([0, 1]))
        assert np.geterr()["invalid"] == "raise"
    assert np.isnan(loss.item())


def test_linear_layer_reads_a_replaced_weight_after_the_parameter_is_deleted():
    layer = nn.Linear(3, 2)
    x = wg.ones(4, 3)
    w = layer.weight.detach() * 2
    del layer.weight  # (as a parametrization does): a plain attribute takes its place
    layer.weight = w
    np.testing.assert_array_equal(layer(x).detach().numpy(), (x @ w.T + layer.bias).detach().numpy())
    layer.bias = None
    np.testing.assert_array_equal(layer(x).detach().numpy(), (x @ w.T).detach().numpy())


def test_linear_layer_follows_its_parameter_table():
    """Reassigned, swapped by functional_call, copied: the layer uses what is registered."""
    layer = nn.Linear(3, 2)
    x = wg.ones(1, 3)
    new = nn.Parameter(wg.full((2, 3), 0.5))
    layer.weight = new
    np.testing.assert_array_equal(layer(x).detach().numpy(), (x @ new.T + layer.bias).detach().numpy())
    other = {"weight": wg.zeros(2, 3), "bias": wg.ones(2)}
    out = wg.func.functional_call(layer, other, (x,))
    np.testing.assert_array_equal(out.detach().numpy(), np.ones((1, 2), np.float32))
    clone = copy.deepcopy(layer)
    clone.weight.data.zero_()
    assert not np.array_equal(clone(x).detach().numpy(), layer(x).detach().numpy())


def test_activation_layers_pass_their_settings():
    x = wg.tensor([-2.0, 0.5, 3.0])
    np.testing.assert_array_equal(nn.ReLU()(x).detach().numpy(), [0.0, 0.5, 3.0])
    np.testing.assert_allclose(nn.LeakyReLU(0.5)(x).detach().numpy(), [-1.0, 0.5, 3.0])
    layer = nn.Hardtanh(-1.0, 1.0)
    layer.max_val = 0.25  # read at each call, as in PyTorch
    np.testing.assert_array_equal(layer(x).detach().numpy(), [-1.0, 0.25, 0.25])


def test_bias_gradient_ones_are_cached_read_only():
    a = ones_vector(5, np.dtype(np.float32))
    assert a is ones_vector(5, np.dtype(np.float32)) and not a.flags.writeable
    assert a.dtype == np.float32 and np.all(a == 1)
    layer = nn.Linear(3, 2)
    for batch in (4, 4, 1):
        layer.zero_grad()
        layer(wg.ones(batch, 3)).sum().backward()
        np.testing.assert_array_equal(layer.bias.grad.detach().numpy(), [batch, batch])
        layer.bias.grad.add_(1)  # the gradient is the caller's own array
    assert np.all(ones_vector(4, np.dtype(np.float32)) == 1)


@pytest.mark.parametrize("layout", ["contiguous", "strided", "0-d"])
def test_plain_sgd_fast_path_gives_the_kernels_bits(layout, monkeypatch):
    """Small parameters skip the piece machinery: the same two ufunc calls, the same bits
    as on the general path (forced by a piece size of one float)."""
    from wengert.optim import optimizer

    rng = np.random.default_rng(0)
    value = {"contiguous": rng.standard_normal((7, 5)), "strided": rng.standard_normal((5, 7)).T,
             "0-d": rng.standard_normal(())}[layout].astype(np.float32)
    grad = rng.standard_normal(value.shape).astype(np.float32)
    results = []
    for piece_bytes in (1 << 18, 4):  # one piece (the fast path); one float per piece
        monkeypatch.setattr(optimizer, "PIECE_BYTES", piece_bytes)
        p = wg.from_numpy(value.copy(order="K")).requires_grad_()
        opt = wg.optim.SGD([p], lr=0.37)
        for _ in range(3):
            p.grad = wg.from_numpy(grad.copy())
            version = p._version
            opt.step()
            assert p._version == version + 1
        results.append(p.detach().numpy())
    assert results[0].tobytes() == results[1].tobytes()
    assert value.flags.c_contiguous or not results[0].flags.c_contiguous  # updated in place


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int8, np.uint8, np.uint64])
def test_cross_entropy_target_range_check_in_one_reduction(dtype):
    """Targets are range-checked as unsigned (a negative one is huge): every dtype, the
    errors name the op and the bad target, ignore_index still excludes targets."""
    x = wg.tensor([[1.0, 2.0, 0.5], [0.0, -1.0, 3.0]])
    F = nn.functional
    good = F.cross_entropy(x, wg.from_numpy(np.array([2, 0], dtype)))
    ref = F.cross_entropy(x, wg.tensor([2, 0]))
    assert good.item() == ref.item()
    with pytest.raises(IndexError, match=r"cross_entropy: target 3 is out of bounds for 3"):
        F.cross_entropy(x, wg.from_numpy(np.array([3, 0], dtype)))
    if np.dtype(dtype).kind == "i":
        with pytest.raises(IndexError, match=r"cross_entropy: target -1 is out of bounds"):
            F.cross_entropy(x, wg.from_numpy(np.array([0, -1], dtype)))
        ignored = F.cross_entropy(x, wg.from_numpy(np.array([-100 if dtype != np.int8 else -1,
                                                             0], dtype)),
                                  ignore_index=-100 if dtype != np.int8 else -1)
        assert ignored.item() == F.cross_entropy(x[1:], wg.tensor([0])).item()
    one = F.cross_entropy(wg.tensor([1.0, 2.0]), wg.from_numpy(np.array(1, dtype)))
    assert one.item() == pytest.approx(np.log(np.exp(1) + np.exp(2)) - 2)
