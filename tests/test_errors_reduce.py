"""Bad arguments to reductions, scans and sorting: a clear error naming the op, never a
silently wrong result."""

import numpy as np
import pytest

import wengert as wg

X = wg.tensor(np.arange(6.0).reshape(2, 3))

REDUCTIONS = ["sum", "mean", "amax", "amin", "prod", "var", "std", "var_mean", "std_mean",
              "logsumexp", "nansum", "nanmean", "count_nonzero", "all", "any"]
ONE_DIM = ["cumsum", "cumprod", "logcumsumexp", "cummax", "cummin", "sort", "argsort",
           "argmax", "argmin", "median"]


@pytest.mark.parametrize("name", REDUCTIONS + ONE_DIM)
@pytest.mark.parametrize("dim", [2, -3])
def test_dim_out_of_range_names_the_op_and_ndim(name, dim):
    with pytest.raises(IndexError, match=rf"{name}: dimension {dim} is out of range for a "
                                         r"tensor with 2 dimensions \(expected in \[-2, 1\]\)"):
        getattr(wg, name)(X, dim)


@pytest.mark.parametrize("name", ["sum", "prod", "var", "logsumexp", "amax"])
def test_dim_out_of_range_in_a_tuple(name):
    with pytest.raises(IndexError, match=rf"{name}: dimension 5 is out of range"):
        getattr(wg, name)(X, (0, 5))


@pytest.mark.parametrize("name", ["sum", "prod", "mean", "logsumexp"])
def test_repeated_dim(name):
    with pytest.raises(RuntimeError, match=rf"{name}: dimension repeated"):
        getattr(wg, name)(X, (1, -1))


@pytest.mark.parametrize("name", ONE_DIM + ["kthvalue", "topk"])
def test_a_tuple_where_one_dim_is_expected(name):
    args = (1, (0, 1)) if name in ("kthvalue", "topk") else ((0, 1),)
    with pytest.raises(TypeError, match=rf"{name}: dim must be an int"):
        getattr(wg, name)(X, *args)


def test_0d_tensors_accept_dim_0_and_minus_1_only():
    s = wg.tensor(2.0)
    assert wg.cumsum(s, -1).item() == 2.0
    assert wg.sort(s, 0).values.item() == 2.0
    with pytest.raises(IndexError, match=r"cumprod: dimension 1 is out of range for a tensor "
                                         r"with 0 dimensions"):
        wg.cumprod(s, 1)


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "logcumsumexp"])
def test_scans_need_a_dim(name):
    with pytest.raises(TypeError, match=rf"{name}\(\) missing required argument 'dim'"):
        getattr(wg, name)(X)


def test_dim_and_axis_together():
    with pytest.raises(TypeError, match="either dim or axis"):
        wg.prod(X, 0, axis=1)


@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean", "nanmean", "mean"])
def test_integer_input_where_floats_are_needed(name):
    with pytest.raises(RuntimeError, match=rf"{name}: input dtype must be floating point( or complex)?, "
                                           r"got int64"):
        getattr(wg, name)(wg.tensor([1, 2, 3]))


def test_unbiased_and_correction_together():
    with pytest.raises(TypeError, match="var: pass either unbiased or correction"):
        wg.var(X, 1, unbiased=True, correction=0)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: wg.topk(X, 4), r"topk: k \(4\) is out of range for dimension -1 of size 3 "
                            r"\(input shape \(2, 3\)\); expected 0 <= k <= 3"),
    (lambda: wg.topk(X, -1, 0), r"topk: k \(-1\) is out of range for dimension 0 of size 2"),
    (lambda: wg.kthvalue(X, 0), r"kthvalue: k \(0\) is out of range .* expected 1 <= k <= 3"),
    (lambda: wg.kthvalue(X, 3, 0), r"kthvalue: k \(3\) is out of range for dimension 0 of "
                                   r"size 2"),
    (lambda: wg.median(wg.zeros(2, 0), 1), r"median: cannot select from dimension 1 of size 0"),
    (lambda: wg.median(wg.zeros(0)), r"median\(\): cannot reduce an empty tensor"),
    (lambda: wg.aminmax(wg.zeros(0, 2)), r"aminmax\(\): cannot reduce an empty tensor"),
    (lambda: wg.max(wg.zeros(0)), r"max\(\): cannot reduce an empty tensor"),
])
def test_selections_out_of_range(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()


def test_no_gradient_through_indices_and_counts():
    x = wg.tensor([[3.0, 1.0, 2.0]], requires_grad=True)
    for out in (wg.argsort(x), wg.sort(x).indices, wg.count_nonzero(x), wg.cummax(x, 1).indices,
                wg.topk(x, 2).indices, wg.median(x, 1).indices):
        assert not out.requires_grad
        assert out.dtype == np.int64
