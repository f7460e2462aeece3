"""Reductions at their IEEE edges against PyTorch, with no NumPy RuntimeWarning: a
logsumexp of -infs (or holding +inf), var/std with too few elements
(``N - correction <= 0``: PyTorch's UserWarning, inf or nan), a mean of nothing,
a nanmean of NaNs only, std and norm of NaN.

Each program runs with every warning recorded: wengert must emit a UserWarning
exactly where PyTorch does and never a RuntimeWarning, in the forward pass, the
gradient (first order and recorded) and forward mode; and give PyTorch's values,
NaN where PyTorch has NaN.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import wengert as wg
import wengert.autograd.forward_ad as fwAD

torch = pytest.importorskip("torch")

INF, NAN = np.inf, np.nan


def _recorded(fn):
    """``fn()`` and the categories of the warnings it emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = fn()
    return out, sorted({w.category.__name__ for w in caught})


def _same(ours, theirs, what):
    ours = np.asarray(ours.detach().numpy() if hasattr(ours, "detach") else ours, np.float64)
    theirs = np.asarray(theirs.detach().numpy(), np.float64)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12, equal_nan=True,
                               err_msg=what)


def compare(program, x, *, gradient=True):
    """``program(lib, x)`` in both libraries: the same warnings (no RuntimeWarning), the
    value, the gradient of ``sum(u * y)`` (plain and recorded) and the forward-mode JVP."""
    x = np.asarray(x, np.float64)
    xw, xt = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yw, w_warn = _recorded(lambda: program(wg, xw))
    yt, t_warn = _recorded(lambda: program(torch, xt))
    assert "RuntimeWarning" not in w_warn and w_warn == t_warn, (w_warn, t_warn)
    _same(yw, yt, "value")
    if not gradient:
        return
    u = np.round(np.random.default_rng(5).standard_normal(yt.shape) * 4) / 4 + 2
    for create_graph in (False, True):
        (gw,), w_warn = _recorded(lambda: wg.grad((yw * wg.tensor(u)).sum(), [xw],
                                                  create_graph=create_graph, retain_graph=True))
        assert w_warn == [], w_warn
        (gt,) = torch.autograd.grad((yt * torch.tensor(u)).sum(), [xt], retain_graph=True)
        _same(gw, gt, f"gradient (create_graph={create_graph})")
    v = np.ones_like(x)

    def tangent():
        with fwAD.dual_level():
            return fwAD.unpack_dual(program(wg, fwAD.make_dual(wg.tensor(x),
                                                               wg.tensor(v)))).tangent

    tw, w_warn = _recorded(tangent)
    assert "RuntimeWarning" not in w_warn, w_warn
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _, tt = torch.func.jvp(lambda a: program(torch, a), (torch.tensor(x),),
                               (torch.tensor(v),))
    _same(tw, tt, "forward mode")


@pytest.mark.parametrize("x", [
    [[-INF, -INF], [0.0, 1.0]],
    [[-INF, -INF, -INF]],
    [[INF, 1.0], [INF, -INF]],
    [[INF, INF], [NAN, 1.0]],
], ids=["row-of-minus-inf", "all-minus-inf", "plus-inf", "inf-inf-nan"])
def test_logsumexp_at_infinities(x):
    compare(lambda L, x: L.logsumexp(x, 1), x)
    compare(lambda L, x: L.logsumexp(x, (0, 1), keepdim=True), x)


def test_logsumexp_of_nothing():
    compare(lambda L, x: L.logsumexp(x, 1), np.zeros((2, 0)), gradient=False)


FEW = [[1.0, 3.0], [2.0, 2.0], [NAN, 1.0]]
ONE = [[1.0], [2.0], [NAN]]


@pytest.mark.parametrize("program,x", [
    (lambda L, x: x.var(1), ONE),
    (lambda L, x: x.std(1), ONE),
    (lambda L, x: L.var(x, 1, correction=2), FEW),
    (lambda L, x: L.std(x, 1, correction=2), FEW),
    (lambda L, x: L.var_mean(x, 1, correction=2)[0], FEW),
    (lambda L, x: L.std_mean(x, 1, correction=2)[0], FEW),
], ids=["var-n1", "std-n1", "var-corr2", "std-corr2", "var_mean", "std_mean"])
def test_moments_with_too_few_elements(program, x):
    """PyTorch's UserWarning, then inf (a positive sum) or nan (0 or NaN over 0); the
    gradient 2 (x - mean) / 0: +-inf, nan where x is the mean."""
    compare(program, x)


@pytest.mark.parametrize("n", [1, 2])
def test_moments_with_too_few_elements_values_only(n):
    """Values only where PyTorch's gradient is its own quirk: over all elements it is +inf
    everywhere; with ``correction > N`` it divides by the negative ``N - correction``
    (finite, though the value divides by 0 and is inf). wengert's is ``2 (x - mean) / 0``
    in both."""
    x = np.arange(1.0, n + 1.0)
    compare(lambda L, x: x.var(correction=n), x, gradient=False)
    compare(lambda L, x: x.std(correction=n), x, gradient=False)
    compare(lambda L, x: x.var(), np.zeros(0), gradient=False)
    compare(lambda L, x: L.var(x, 1, correction=5), FEW, gradient=False)


def test_mean_of_nothing_and_nanmean_of_nans():
    """(A row of NaNs only: its NaN entries get gradient 0 in wengert, as every NaN entry
    of nanmean does; PyTorch's masks multiply, inf * 0 = nan: values only.)"""
    compare(lambda L, x: x.mean(1), np.zeros((2, 0)))
    compare(lambda L, x: L.nanmean(x, 1), [[NAN, NAN], [1.0, 2.0]], gradient=False)
    compare(lambda L, x: L.nanmean(x, 1), [[NAN, 3.0], [1.0, 2.0]])


def test_std_and_norm_of_nan_are_nan():
    """A NaN variance (or sum of powers) keeps its NaN through the root (it was 0)."""
    compare(lambda L, x: x.std(1), [[NAN, 1.0], [1.0, 2.0]])
    compare(lambda L, x: L.norm(x, dim=1), [[NAN, 1.0], [0.0, 0.0]])
    compare(lambda L, x: x.std(1), [[2.0, 2.0], [1.0, 4.0]])  # 0 stays 0, gradient 0


def test_no_degrees_of_freedom_warns_like_torch():
    with pytest.warns(UserWarning, match=r"var\(\): degrees of freedom is <= 0"):
        wg.tensor([1.0]).var()
    with pytest.warns(UserWarning, match=r"std_mean\(\): degrees of freedom is <= 0"):
        wg.std_mean(wg.tensor([1.0, 2.0]), correction=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        wg.tensor([1.0, 2.0]).var()  # enough elements: silent
