"""Review of ``nn.Module``'s API against PyTorch's semantics."""

import numpy as np
import pytest

import wengert as wg

nn = wg.nn


class _FrozenNorm(nn.Module):
    """A block whose ``train`` keeps its batch norm in eval mode (a common fine-tuning idiom)."""

    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm1d(3)
        self.lin = nn.Linear(3, 3)

    def train(self, mode=True):
        super().train(mode)
        self.bn.eval()
        return self


def test_train_calls_the_childrens_own_train():
    model = nn.Sequential(_FrozenNorm(), nn.Linear(3, 1))
    model.train()
    assert model.training and model[0].training and model[0].lin.training
    assert model[0].bn.training is False
    model.eval()
    assert not any(m.training for m in model.modules())


def test_to_converts_the_gradients_and_keeps_them():
    lin = nn.Linear(2, 2)
    lin(wg.ones(1, 2)).sum().backward()
    grad = lin.weight.grad
    expected = grad.numpy().astype(np.float64)
    lin.double()
    assert lin.weight.grad is grad
    assert lin.weight.grad.dtype == np.float64
    np.testing.assert_array_equal(lin.weight.grad.numpy(), expected)
    assert lin.weight.dtype == np.float64
    # the next backward accumulates into the converted gradient
    lin(wg.ones(1, 2, dtype=wg.float64)).sum().backward()
    np.testing.assert_array_equal(lin.weight.grad.numpy(), 2 * expected)


@pytest.mark.parametrize("register", ["buffer", "parameter", "module"])
def test_register_refuses_a_name_already_in_use(register):
    values = {"buffer": wg.zeros(2), "parameter": nn.Parameter(wg.zeros(2)),
              "module": nn.ReLU()}
    lin = nn.Linear(2, 2)
    lin.plain = 5
    lin.register_buffer("buf", wg.zeros(1))
    fn = getattr(lin, f"register_{register}")
    same_kind = {"buffer": "buf", "parameter": "weight"}.get(register)
    taken = {"weight", "plain", "buf", "forward"} - {same_kind}
    for name in sorted(taken):
        with pytest.raises(KeyError, match=f"'{name}' already exists"):
            fn(name, values[register])
    assert set(lin.state_dict()) == {"weight", "bias", "buf"}
    assert isinstance(lin.weight, nn.Parameter)
    # re-registering a name of the same kind replaces it, as in PyTorch
    fn(f"new_{register}", values[register])
    fn(f"new_{register}", None)
    lin.register_parameter("bias", None)
    assert lin.bias is None


def test_named_parameters_and_buffers_remove_duplicate():
    lin, bn = nn.Linear(2, 2), nn.BatchNorm1d(2)
    model = nn.Sequential(lin, bn, lin, bn)
    model.register_parameter("tied", lin.weight)
    assert [n for n, _ in model.named_parameters()] == ["tied", "0.bias", "1.weight", "1.bias"]
    assert [n for n, _ in model.named_parameters(remove_duplicate=False)] == [
        "tied", "0.weight", "0.bias", "1.weight", "1.bias",
        "2.weight", "2.bias", "3.weight", "3.bias"]
    assert [n for n, _ in model.named_buffers(remove_duplicate=False)] == [
        f"{i}.{b}" for i in (1, 3)
        for b in ("running_mean", "running_var", "num_batches_tracked")]
    assert len(list(model.named_buffers())) == 3
    assert [n for n, _ in model.named_parameters(recurse=False,
                                                 remove_duplicate=False)] == ["tied"]


def test_batch_norm_loads_a_checkpoint_without_num_batches_tracked():
    model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    model[1].num_batches_tracked._data[...] = 7
    state = {k: v.numpy() + 1 for k, v in model.state_dict().items()
             if not k.endswith("num_batches_tracked")}
    result = model.load_state_dict(state)
    assert result.missing_keys == [] and result.unexpected_keys == []
    np.testing.assert_array_equal(model[1].running_mean.numpy(), state["1.running_mean"])
    assert model[1].num_batches_tracked.item() == 7
    # any other missing key is still an error
    del state["1.running_var"]
    with pytest.raises(RuntimeError, match=r"missing keys: 1\.running_var$"):
        model.load_state_dict(state)


def test_load_state_dict_assign_takes_the_checkpoints_arrays():
    lin = nn.Linear(2, 2)
    weight = lin.weight
    state = {"weight": np.arange(4.0).reshape(2, 2), "bias": np.zeros(2)}
    lin.load_state_dict(state, assign=True)
    assert lin.weight is weight and lin.weight.requires_grad
    assert lin.weight.dtype == np.float64  # the checkpoint's dtype, not a cast copy
    state["weight"][0, 0] = 9.0  # the same memory
    assert lin.weight.detach().numpy()[0, 0] == 9.0
    copied = nn.Linear(2, 2)
    copied.load_state_dict(state)
    assert copied.weight.dtype == np.float32
    state["weight"][0, 0] = 5.0
    assert copied.weight.detach().numpy()[0, 0] == 9.0
