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


@pytest.mark.parametrize("cls", ["Sequential", "ModuleList"])
def test_delitem_and_pop_renumber_as_pytorch(cls):
    torch = pytest.importorskip("torch")
    made = {}
    for lib in (wg, torch):
        layers = [lib.nn.ReLU(), lib.nn.Tanh(), lib.nn.Sigmoid(), lib.nn.ELU(), lib.nn.SiLU()]
        box = getattr(lib.nn, cls)(*layers) if cls == "Sequential" else lib.nn.ModuleList(
            layers)
        del box[1]
        del box[-1]
        popped = box.pop(0)
        box.append(lib.nn.GELU())
        del box[0:1]
        made[lib] = (type(popped).__name__, [(n, type(m).__name__)
                                             for n, m in box.named_children()])
    assert made[wg] == made[torch]
    with pytest.raises(IndexError):
        del nn.Sequential(nn.ReLU())[3]


def test_sequential_insert_and_extend_and_module_list_add():
    seq = nn.Sequential(nn.ReLU()).extend([nn.Tanh()]).insert(1, nn.ELU())
    assert [(n, type(m).__name__) for n, m in seq.named_children()] == [
        ("0", "ReLU"), ("1", "ELU"), ("2", "Tanh")]
    both = nn.ModuleList([nn.ReLU()]) + nn.ModuleList([nn.Tanh()])
    assert [type(m).__name__ for m in both] == ["ReLU", "Tanh"]
