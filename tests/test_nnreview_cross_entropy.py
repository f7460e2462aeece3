"""Review of cross_entropy / nll_loss against PyTorch: a mean over only ignored targets."""

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("fn", ["cross_entropy", "nll_loss"])
def test_mean_over_only_ignored_targets_has_zero_gradient(fn):
    x = np.random.RandomState(0).randn(3, 4)
    y = np.full(3, -100)
    xw, xt = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        lw = getattr(wg.nn.functional, fn)(xw, wg.tensor(y))
        lw.backward()
    lt = getattr(torch.nn.functional, fn)(xt, torch.tensor(y))
    lt.backward()
    assert np.isnan(lw.item()) and np.isnan(lt.item())
    np.testing.assert_array_equal(xw.grad.numpy(), xt.grad.numpy())
