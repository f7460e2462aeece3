"""Review of the module containers against PyTorch's."""

import pytest

import wengert as wg

nn = wg.nn


def test_sequential_setitem_keeps_the_position():
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    seq[1] = nn.Tanh()
    assert [type(m).__name__ for m in seq] == ["Linear", "Tanh", "Linear"]
    assert [n for n, _ in seq.named_children()] == ["0", "1", "2"]
    seq[-3] = nn.Linear(2, 3)
    x = wg.ones(4, 2)
    assert seq(x).shape == (4, 1)  # still Linear(2, 3) -> Tanh -> Linear(3, 1)
    with pytest.raises(TypeError, match="can only hold Modules"):
        seq[0] = 3


def test_module_list_setitem_keeps_the_position():
    ml = nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.Sigmoid()])
    ml[0] = nn.ELU()
    assert [type(m).__name__ for m in ml] == ["ELU", "Tanh", "Sigmoid"]
    assert [n for n, _ in ml.named_children()] == ["0", "1", "2"]
