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
