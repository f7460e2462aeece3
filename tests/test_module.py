"""wg.nn.Module: registration, traversal, modes, state dicts, hooks, repr, containers."""

from collections import OrderedDict

import numpy as np
import pytest

import wengert as wg
from wengert import nn


class Affine(nn.Module):
    def __init__(self, n, bias=True):
        super().__init__()
        self.scale = nn.Parameter(wg.ones(n))
        if bias:
            self.shift = nn.Parameter(wg.zeros(n))
        else:
            self.register_parameter("shift", None)
        self.register_buffer("calls", wg.zeros((), dtype=wg.int64))
        self.register_buffer("scratch", wg.zeros(n), persistent=False)

    def forward(self, x):
        self.calls += 1
        out = x * self.scale
        return out if self.shift is None else out + self.shift

    def extra_repr(self):
        return f"n={self.scale.shape[0]}"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.first = Affine(3)
        self.blocks = nn.ModuleList([Affine(3, bias=False), Affine(3)])
        self.heads = nn.ModuleDict({"a": Affine(3)})
        self.shared = self.first  # the same module twice: its parameters count once

    def forward(self, x):
        x = self.first(x)
        for block in self.blocks:
            x = block(x)
        return self.heads["a"](x)


def test_registration_and_traversal():
    net = Net()
    names = [n for n, _ in net.named_parameters()]
    assert names == ["first.scale", "first.shift", "blocks.0.scale", "blocks.1.scale",
                     "blocks.1.shift", "heads.a.scale", "heads.a.shift"]
    assert len(list(net.parameters())) == 7
    assert [n for n, _ in net.named_modules()] == ["", "first", "blocks", "blocks.0",
                                                    "blocks.1", "heads", "heads.a"]
    assert [n for n, _ in net.named_children()] == ["first", "blocks", "heads"]
    assert [n for n, _ in net.named_buffers()][:2] == ["first.calls", "first.scratch"]
    assert list(net.state_dict()) == [
        "first.scale", "first.shift", "first.calls", "blocks.0.scale", "blocks.0.calls",
        "blocks.1.scale", "blocks.1.shift", "blocks.1.calls", "heads.a.scale",
        "heads.a.shift", "heads.a.calls", "shared.scale", "shared.shift", "shared.calls"]
    assert isinstance(net.first.scale, nn.Parameter) and net.first.shift.requires_grad
    assert "scale" in dir(net.first)


def test_forward_backward_zero_grad_and_modes():
    net = Net()
    x = wg.tensor([1.0, 2.0, 3.0])
    net(x).sum().backward()
    assert net.first.scale.grad is not None and int(net.first.calls) == 1
    net.zero_grad(set_to_none=False)
    assert net.first.scale.grad.tolist() == [0.0, 0.0, 0.0]
    net.zero_grad()
    assert net.first.scale.grad is None
    assert net.training and not net.eval().heads["a"].training
    assert net.train().blocks[1].training
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_state_dict_round_trip_and_errors():
    a, b = Net(), Net()
    with wg.no_grad():
        for i, p in enumerate(a.parameters()):
            p.copy_(wg.full(p.shape, float(i)))
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    for (n, p), (_, q) in zip(a.named_parameters(), b.named_parameters()):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy()), n
    arrays = {k: v.numpy() for k, v in a.state_dict().items()}  # e.g. from PyTorch (detached)
    b.load_state_dict(arrays)
    state = a.state_dict()
    del state["first.scale"]
    state["extra.weight"] = wg.zeros(1)
    with pytest.raises(RuntimeError, match=r"missing keys: first\.scale.*unexpected keys: "
                                           r"extra\.weight"):
        b.load_state_dict(state)
    result = b.load_state_dict(state, strict=False)
    assert result.missing_keys == ["first.scale"] and result.unexpected_keys == ["extra.weight"]
    bad = a.state_dict()
    bad["heads.a.scale"] = wg.zeros(4)
    with pytest.raises(RuntimeError, match=r"size mismatch for heads\.a\.scale: the "
                                           r"checkpoint has shape \(4,\), the model \(3,\)"):
        b.load_state_dict(bad)
    before = b.first.scale.tolist()
    with pytest.raises(RuntimeError):
        b.load_state_dict({**a.state_dict(), "first.calls": wg.tensor(1.5)})
    assert b.first.scale.tolist() == before  # nothing was copied when it failed


def test_hooks_can_change_inputs_and_outputs_and_be_removed():
    m = Affine(2)
    seen = []
    pre = m.register_forward_pre_hook(lambda mod, args: (args[0] * 10,))
    post = m.register_forward_hook(lambda mod, args, out: seen.append(out.tolist()) or out + 1)
    assert m(wg.tensor([1.0, 2.0])).tolist() == [11.0, 21.0]
    assert seen == [[10.0, 20.0]]
    pre.remove()
    post.remove()
    assert m(wg.tensor([1.0, 2.0])).tolist() == [1.0, 2.0]


def test_to_apply_and_repr():
    net = Net().double()
    assert all(p.dtype == np.float64 for p in net.parameters())
    assert net.first.calls.dtype == np.int64  # integer buffers keep their dtype
    names = []
    net.apply(lambda m: names.append(type(m).__name__))
    assert names[-1] == "Net" and names.count("Affine") == 4
    text = repr(net)
    assert text.startswith("Net(\n  (first): Affine(n=3)\n  (blocks): ModuleList(\n")
    assert "(heads): ModuleDict(\n    (a): Affine(n=3)\n  )" in text
    with pytest.raises(TypeError, match="only floating point"):
        net.to(wg.int32)


def test_sequential_and_containers():
    seq = nn.Sequential(Affine(2), Affine(2, bias=False))
    assert len(seq) == 2 and isinstance(seq[-1], Affine) and len(seq[:1]) == 1
    assert seq(wg.tensor([1.0, 2.0])).tolist() == [1.0, 2.0]
    named = nn.Sequential(OrderedDict([("a", Affine(2)), ("b", Affine(2))]))
    assert [n for n, _ in named.named_children()] == ["a", "b"]
    seq.append(Affine(2))
    assert [n for n, _ in seq.named_parameters()][-1] == "2.shift"
    with pytest.raises(IndexError, match="out of range for a container of 3"):
        seq[3]
    ml = nn.ModuleList()
    ml.append(Affine(1)).extend([Affine(1)])
    ml.insert(0, nn.Identity())
    assert [type(m).__name__ for m in ml] == ["Identity", "Affine", "Affine"]
    md = nn.ModuleDict([("x", Affine(1))])
    md["y"] = Affine(1)
    assert list(md) == ["x", "y"] and "y" in md and len(md) == 2


def test_registration_errors():
    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(wg.zeros(1))

    with pytest.raises(AttributeError, match=r"call super\(\).__init__\(\) first"):
        Early()
    m = Affine(2)
    with pytest.raises(TypeError, match="cannot assign Tensor as parameter 'scale'"):
        m.scale = wg.zeros(2)
    with pytest.raises(TypeError, match="must be a Parameter"):
        m.register_parameter("w", wg.zeros(2))
    with pytest.raises(KeyError, match="without '.'"):
        m.register_buffer("a.b", wg.zeros(1))
    with pytest.raises(NotImplementedError, match="no forward"):
        nn.Module()(1)
    m.scale = None
    assert m.scale is None and "scale" not in dict(m.named_parameters())


def test_nn_utils():
    a, b = nn.Parameter(wg.tensor([3.0, 0.0])), nn.Parameter(wg.tensor([[4.0]]))
    a.grad, b.grad = wg.tensor([3.0, 0.0]), wg.tensor([[4.0]])
    norm = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
    assert norm.item() == pytest.approx(5.0)
    assert a.grad.tolist() == pytest.approx([0.6, 0.0], rel=1e-5)
    nn.utils.clip_grad_value_([a, b], 0.5)
    assert b.grad.item() == 0.5
    vec = nn.utils.parameters_to_vector([a, b])
    assert vec.tolist() == [3.0, 0.0, 4.0]
    nn.utils.vector_to_parameters(wg.tensor([1.0, 2.0, 3.0]), [a, b])
    assert a.tolist() == [1.0, 2.0] and b.tolist() == [[3.0]]
    with pytest.raises(ValueError, match="expected a vector of 3 elements"):
        nn.utils.vector_to_parameters(wg.zeros(4), [a, b])
    a.grad = wg.tensor([float("nan"), 0.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_([a], 1.0, error_if_nonfinite=True)


def test_init_functions_follow_their_formulas():
    wg.manual_seed(0)
    w = wg.empty(200, 300)
    nn.init.kaiming_uniform_(w, a=5 ** 0.5)
    assert float(w.abs().max()) <= 1 / 300 ** 0.5
    nn.init.xavier_normal_(w)
    assert float(w.numpy().std()) == pytest.approx((2 / 500) ** 0.5, rel=0.05)
    nn.init.orthogonal_(w)
    np.testing.assert_allclose(w.numpy() @ w.numpy().T, np.eye(200), atol=1e-5)
    nn.init.trunc_normal_(w, std=1.0, a=-0.5, b=0.5)
    assert float(w.abs().max()) <= 0.5
    assert nn.init.calculate_gain("relu") == 2 ** 0.5
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        nn.init.calculate_gain("swish")
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        nn.init.xavier_uniform_(wg.empty(3))
