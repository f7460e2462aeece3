"""Reductions, scans and sorting against PyTorch: values, first- and second-order gradients
(reverse mode) and forward-mode JVPs, on the same inputs, with the points where
conventions matter: ties, zeros of products, NaN and infinities.

Deliberate differences (tested below as such):

* Among tied elements, ``topk``, ``kthvalue`` and ``median(x, dim)`` pick the first in
  input order (a stable sort); PyTorch's pick among ties is unspecified (its docs say so)
  and in practice often another one. Values agree; the gradient goes to our pick.
"""

import numpy as np
import pytest

import wengert as wg
import wengert.autograd.forward_ad as fwAD

torch = pytest.importorskip("torch")
NAN, INF = float("nan"), float("inf")


def _np(t):
    return np.asarray(t.detach().numpy() if hasattr(t, "detach") else t, dtype=np.float64)


def _close(ours, theirs, what, tol=1e-12):
    np.testing.assert_allclose(_np(ours), _np(theirs), rtol=tol, atol=tol, err_msg=what)


def _directions(shape, seed):
    rng = np.random.default_rng(seed)
    return np.round(rng.standard_normal(shape) * 8) / 8


def compare(program, x, tol=1e-12, second=True, forward=True):
    """``program(tensor)`` (the same code for both libraries: methods and ``lib.f``)
    against PyTorch: value; gradient and Hessian-vector product of
    ``L = sum(u * y + y * y / 2)``; forward-mode JVP."""
    x = np.asarray(x, dtype=np.float64)
    xw, xt = wg.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    yw, yt = program(wg, xw), program(torch, xt)
    _close(yw, yt, "value")
    u, v = _directions(yt.shape, 1), _directions(x.shape, 2)
    lw = (yw * wg.tensor(u) + yw * yw * 0.5).sum()
    lt = (yt * torch.tensor(u) + yt * yt * 0.5).sum()
    (gw,) = wg.grad(lw, [xw], create_graph=second)
    (gt,) = torch.autograd.grad(lt, [xt], create_graph=second)
    _close(gw, gt, "gradient", tol)
    if second:
        (hw,) = wg.grad((gw * wg.tensor(v)).sum(), [xw], allow_unused=True)
        ht = (torch.autograd.grad((gt * torch.tensor(v)).sum(), [xt], allow_unused=True)[0]
              if gt.requires_grad else None)
        _close(np.zeros(x.shape) if hw is None else hw,
               np.zeros(x.shape) if ht is None else ht, "second order", tol)
    if forward:
        with fwAD.dual_level():
            tw = fwAD.unpack_dual(program(wg, fwAD.make_dual(wg.tensor(x), wg.tensor(v)))).tangent
        _, tt = torch.func.jvp(lambda a: program(torch, a), (torch.tensor(x),),
                               (torch.tensor(v),))
        _close(np.zeros(yt.shape) if tw is None else tw, tt, "forward mode", tol)


ONE_ZERO = [[1.5, 0.0, -2.0, 0.5], [0.7, 1.2, -0.3, 2.0], [0.0, 0.0, 3.0, 1.0]]


# -- products at zeros ---------------------------------------------------------------------


@pytest.mark.parametrize("program", [
    lambda L, x: x.prod(),
    lambda L, x: x.prod(1),
    lambda L, x: x.prod(0, keepdim=True),
    lambda L, x: L.prod(x[1]),
    lambda L, x: x.cumprod(1),
    lambda L, x: x.cumprod(0),
    lambda L, x: L.cumprod(x * x, -1),
], ids=["all", "dim1", "dim0-keep", "nozero", "cumprod1", "cumprod0", "cumprod-square"])
def test_products_with_zeros(program):
    compare(program, ONE_ZERO)


def test_cumprod_two_zeros_and_a_zero_first():
    compare(lambda L, x: x.cumprod(0), [0.0, 2.0, 0.0, -1.5, 3.0])
    compare(lambda L, x: x.cumprod(0), [1.0, 2.0, 0.0, 0.0, 3.0])


# -- sums, moments -----------------------------------------------------------------------------


@pytest.mark.parametrize("program", [
    lambda L, x: x.cumsum(1),
    lambda L, x: L.cumsum(x, 0),
    lambda L, x: x.var(),
    lambda L, x: x.var(1),
    lambda L, x: x.var(0, correction=0, keepdim=True),
    lambda L, x: x.std(1, unbiased=False),
    lambda L, x: x.std((0, 1), correction=2),
    lambda L, x: L.var_mean(x, 1)[0] + L.var_mean(x, 1)[1],
    lambda L, x: L.std_mean(x, 0)[0] * L.std_mean(x, 0)[1],
    lambda L, x: L.nansum(x, 1),
    lambda L, x: L.nanmean(x),
    lambda L, x: L.nanmean(x, 0, keepdim=True),
], ids=["cumsum", "cumsum0", "var", "var1", "var0-corr0", "std-unbiased=False", "std-corr2",
        "var_mean", "std_mean", "nansum", "nanmean", "nanmean0"])
def test_sums_and_moments(program):
    compare(program, ONE_ZERO)


def test_nan_reductions_ignore_nans():
    x = [[1.0, NAN, 2.0], [NAN, NAN, 4.0]]
    compare(lambda L, x: L.nansum(x, 1), x)
    compare(lambda L, x: L.nanmean(x, 1), x)


def test_std_of_a_constant_has_zero_gradient():
    compare(lambda L, x: x.std(1), [[2.0, 2.0, 2.0], [1.0, 2.0, 4.0]], second=False)


def test_var_with_too_few_elements_is_nan_or_inf():
    with pytest.warns(UserWarning):  # (PyTorch warns)
        compare(lambda L, x: x.var(1), [[1.0], [2.0]], second=False, forward=False)
    # N - correction < 0: the same values (inf, nan); PyTorch's gradient divides by the
    # negative N - correction here, wengert's by 0 like the value (+-inf; see
    # test_reference_reduce_edges.py for N - correction == 0, where both give +-inf).
    x = np.array([[1.0, 2.0], [2.0, 2.0]])
    with pytest.warns(UserWarning):
        expected = torch.tensor(x).var(1, correction=3).numpy()
    with pytest.warns(UserWarning, match="degrees of freedom"):  # (as PyTorch)
        ours = wg.tensor(x).var(1, correction=3)
    _close(ours, expected, "value")


# -- logsumexp, logcumsumexp: large values and infinities ---------------------------------------


@pytest.mark.parametrize("x", [
    [[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -1001.0]],
    [[-INF, 0.5, -1.0], [2.0, -INF, -INF]],
    [[0.3, -0.2, 1.1], [0.0, 2.0, -1.0]],
], ids=["large", "minus-inf", "plain"])
def test_logsumexp(x):
    compare(lambda L, x: L.logsumexp(x, 1), x)
    compare(lambda L, x: x.logsumexp((0, 1), keepdim=True), x)


def test_logsumexp_of_only_minus_inf():
    """-inf, and a NaN gradient, in both (the softmax of nothing)."""
    compare(lambda L, x: L.logsumexp(x, 1), [[-INF, -INF], [0.0, 1.0]], second=False,
            forward=False)


@pytest.mark.parametrize("x", [
    [[-300.0, 5.0, 400.0, -20.0, 410.0]],
    [[0.3, -INF, 1.2, -INF, 0.0]],
    [[0.3, -0.2, 1.1, 0.0, 2.0]],
], ids=["wide", "minus-inf", "plain"])
def test_logcumsumexp(x):
    # PyTorch's forward mode underflows over a wide range ([-300, 5, ...] gives 1e-296
    # for d y0 / d x0 = 1); ours is checked against a direct evaluation instead.
    compare(lambda L, x: L.logcumsumexp(x, 1), x, tol=1e-10, forward=x[0][0] != -300.0)
    x = np.array(x)
    v = _directions(x.shape, 3)
    with fwAD.dual_level():
        t = fwAD.unpack_dual(wg.logcumsumexp(fwAD.make_dual(wg.tensor(x), wg.tensor(v)), 1))
    y = t.primal.numpy()
    lower = np.tri(x.shape[1], dtype=bool)  # [j, i]: i <= j
    with np.errstate(invalid="ignore", over="ignore"):
        weights = np.where(lower, np.exp(x[0][None, :] - y[0][:, None]), 0.0)
    _close(t.tangent.numpy()[0], weights @ v[0], "forward mode", 1e-12)


# -- selections and their ties ---------------------------------------------------------------

TIES = [[1.0, 3.0, 3.0, 2.0, 3.0], [2.0, 2.0, 1.0, 1.0, 0.5], [0.0, -1.0, 4.0, -1.0, 4.0]]


@pytest.mark.parametrize("program", [
    lambda L, x: x.max(),
    lambda L, x: x.min(),
    lambda L, x: x.max(1).values,
    lambda L, x: x.min(0, keepdim=True).values,
    lambda L, x: x.amax(1),
    lambda L, x: x.amin((0, 1)),
    lambda L, x: L.aminmax(x, dim=1)[0] + 2 * L.aminmax(x, dim=1)[1],
    lambda L, x: L.aminmax(x)[1],
    lambda L, x: x.median(),
    lambda L, x: x.sort(1).values,
    lambda L, x: x.sort(1, descending=True).values,
    lambda L, x: x.sort(dim=0, stable=True).values,
    lambda L, x: L.msort(x),
    lambda L, x: x.cummax(1).values,
    lambda L, x: x.cummin(1).values,
    lambda L, x: L.cummax(x, 0).values,
    lambda L, x: x.topk(2, largest=False).values,
], ids=["max", "min", "max-dim", "min-dim-keep", "amax", "amin", "aminmax-dim", "aminmax",
        "median", "sort", "sort-desc", "sort-stable", "msort", "cummax", "cummin", "cummax0",
        "topk-smallest"])
def test_ties(program):
    compare(program, TIES)


def test_sort_and_cummax_indices_at_ties():
    x = np.array(TIES)
    for program in (lambda L, t: t.sort(1).indices, lambda L, t: t.sort(1, True).indices,
                    lambda L, t: t.cummax(1).indices, lambda L, t: t.cummin(1).indices,
                    lambda L, t: L.argsort(t, dim=1, stable=True), lambda L, t: t.max(1).indices):
        np.testing.assert_array_equal(program(wg, wg.tensor(x)).numpy(),
                                      program(torch, torch.tensor(x)).numpy())


def test_nan_propagation():
    x = [[1.0, NAN, 2.0, 0.5], [3.0, 1.0, NAN, NAN]]
    for program in (lambda L, t: t.cummax(1).values, lambda L, t: t.cummin(1).values,
                    lambda L, t: t.median(1).values, lambda L, t: t.median(),
                    lambda L, t: t.sort(1).values, lambda L, t: t.sort(1, True).values,
                    lambda L, t: t.max()):
        compare(program, x, second=False, forward=False)
    x = np.array(x)
    for program in (lambda L, t: t.cummax(1).indices, lambda L, t: t.median(1).indices,
                    lambda L, t: t.sort(1, True).indices):
        np.testing.assert_array_equal(program(wg, wg.tensor(x)).numpy(),
                                      program(torch, torch.tensor(x)).numpy())


@pytest.mark.parametrize("program", [
    lambda L, x: x.topk(2).values,
    lambda L, x: x.kthvalue(2, 1).values,
    lambda L, x: x.median(1).values,
    lambda L, x: L.kthvalue(x, 3, 0, True).values,
], ids=["topk", "kthvalue", "median-dim", "kthvalue0"])
def test_selections_without_ties(program):
    compare(program, [[0.3, -1.2, 2.5, 0.7, 1.1], [1.9, 0.1, -0.4, 2.2, 0.0],
                      [-2.0, 0.6, 1.4, -0.9, 3.0]])


def test_selections_at_ties_pick_the_first_tied_element():
    """The deliberate difference: values as PyTorch, the gradient to the first tied one."""
    x = np.array([[2.0, 2.0, 1.0, 1.0, 3.0]])
    for name, ours, theirs, first in [
        ("topk", lambda t: t.topk(3), lambda t: t.topk(3), [4, 0, 1]),
        ("kthvalue", lambda t: t.kthvalue(2, 1), lambda t: t.kthvalue(2, 1), [3]),
        ("median", lambda t: t.median(1), lambda t: t.median(1), [0]),
    ]:
        xw = wg.tensor(x, requires_grad=True)
        got, expected = ours(xw), theirs(torch.tensor(x))
        _close(got.values, expected.values, name)
        idx = np.asarray(got.indices.numpy()).reshape(-1)
        assert list(idx) == first, name
        assert np.all(x[0, idx] == _np(expected.values).reshape(-1))
        (g,) = wg.grad(got.values.sum(), [xw])
        expected_grad = np.zeros(x.shape)
        expected_grad[0, first] = 1.0
        np.testing.assert_array_equal(g.numpy(), expected_grad)
