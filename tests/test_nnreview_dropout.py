"""Review of dropout's inplace flag (module and function) against PyTorch."""

import numpy as np
import pytest

import wengert as wg

nn = wg.nn


@pytest.mark.parametrize("p", [0.5, 1.0])
def test_dropout_module_inplace_writes_into_its_input(p):
    wg.manual_seed(0)
    x = wg.ones(1000)
    y = nn.Dropout(p, inplace=True)(x)
    assert y is x
    assert (x.numpy() == 0).any() and set(np.unique(x.numpy())) <= {0.0, 1 / (1 - p)
                                                                      if p < 1 else 0.0}
    x = wg.ones(10)
    assert nn.Dropout(p, inplace=False)(x) is not x
    assert (x.numpy() == 1).all()


def test_dropout_repr_names_inplace():
    assert repr(nn.Dropout(0.2)) == "Dropout(p=0.2, inplace=False)"
    assert repr(nn.Dropout(0.2, inplace=True)) == "Dropout(p=0.2, inplace=True)"


def test_functional_dropout_p1_inplace():
    x = wg.ones(5)
    assert wg.nn.functional.dropout(x, 1.0, inplace=True) is x
    assert (x.numpy() == 0).all()
