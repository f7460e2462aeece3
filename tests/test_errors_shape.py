"""Misuse of the shape and indexing ops: a clear error naming the op and what is wrong."""

import numpy as np
import pytest

import wengert as wg

X = wg.zeros(2, 3)
X3 = wg.zeros(2, 3, 4)
I = wg.tensor  # noqa: E741 - an index tensor


ERRORS = [
    # out-of-bounds indices: the op, the dimension, the index and the size
    ("getitem-int", lambda: X[5], IndexError, r"getitem: index 5 .*shape \(2, 3\).*axis 0 with size 2"),
    ("getitem-array", lambda: X[:, I([0, 3])], IndexError, r"getitem: .*index 3 .*axis 1 with size 3"),
    ("getitem-int-with-array", lambda: X3[3, :, I([0])], IndexError,
     r"getitem: .*index 3 is out of bounds for dimension 0 with size 2"),
    ("getitem-float-index", lambda: X[I([0.5])], IndexError, "integer or bool, not float32"),
    ("getitem-float-list", lambda: X[[0.5]], IndexError, "integers or bools"),
    ("setitem-int-with-array", lambda: X3.clone().__setitem__((5, slice(None), I([0])), 1.0),
     IndexError, r"setitem: index 5 is out of bounds for dimension 0 with size 2"),
    ("gather", lambda: wg.gather(X, 1, I([[3]])), IndexError,
     r"gather: index 3 is out of bounds for dimension 1 with size 3"),
    ("gather-negative", lambda: wg.gather(X, 0, I([[-1]])), IndexError,
     r"gather: index -1 is out of bounds for dimension 0 with size 2"),
    ("scatter", lambda: wg.scatter(X, 0, I([[2]]), 1.0), IndexError,
     r"scatter: index 2 is out of bounds for dimension 0 with size 2"),
    ("scatter_add", lambda: wg.scatter_add(X, 1, I([[7]]), wg.ones(1, 1)), IndexError,
     r"scatter_add: index 7 .*dimension 1 with size 3"),
    ("index_select", lambda: wg.index_select(X, 1, I([0, 3])), IndexError,
     r"index_select: index 3 is out of bounds for dimension 1 with size 3"),
    ("index_add", lambda: wg.index_add(X, 0, I([-1]), wg.ones(1, 3)), IndexError,
     r"index_add: index -1 .*dimension 0 with size 2"),
    ("index_copy", lambda: wg.index_copy(X, 0, I([2]), wg.ones(1, 3)), IndexError,
     r"index_copy: index 2 .*dimension 0 with size 2"),
    ("take", lambda: wg.take(X, I([6])), IndexError, r"take: index 6 .*size 6"),
    ("take-negative", lambda: wg.take(X, I([-7])), IndexError, r"take: index -7 .*size 6"),
    ("take_along_dim", lambda: wg.take_along_dim(X, I([[0, 3]]), 1), IndexError,
     r"take_along_dim: index 3 .*dimension 1 with size 3"),
    ("select", lambda: wg.select(X, 1, 3), IndexError, r"select: index 3 .*dimension 1 with size 3"),
    ("narrow-start", lambda: wg.narrow(X, 1, 4, 0), IndexError, r"narrow: start 4 .*size 3"),
    ("narrow-length", lambda: wg.narrow(X, 1, 2, 2), RuntimeError,
     r"narrow: start \(2\) \+ length \(2\) exceeds the size 3"),
    # dimensions out of range
    ("flip-dim", lambda: wg.flip(X, 2), IndexError, r"flip: dimension 2 is out of range .*2 dim"),
    ("flip-repeated", lambda: wg.flip(X, (0, -2)), RuntimeError, "flip: dimension repeated"),
    ("roll-dim", lambda: wg.roll(X, 1, 3), IndexError, "roll: dimension 3 is out of range"),
    ("movedim", lambda: wg.movedim(X, 0, 5), IndexError, "movedim: dimension 5 is out of range"),
    ("movedim-repeated", lambda: wg.movedim(X3, (0, 0), (1, 2)), RuntimeError,
     "movedim: repeated"),
    ("unbind", lambda: wg.unbind(X, -3), IndexError, "unbind: dimension -3 is out of range"),
    ("split-dim", lambda: wg.split(X, 1, 2), IndexError, "split: dimension 2 is out of range"),
    ("diagonal-dim", lambda: wg.diagonal(X, 0, 0, 2), IndexError, "diagonal: dimension 2"),
    ("gather-dim", lambda: wg.gather(X, 2, I([[0]])), IndexError, "gather: dimension 2"),
    ("index_select-dim", lambda: wg.index_select(X, -3, I([0])), IndexError,
     "index_select: dimension -3"),
    ("take_along_dim-dim", lambda: wg.take_along_dim(X, I([[0]]), 2), IndexError,
     "take_along_dim: dimension 2"),
    ("unflatten-dim", lambda: wg.unflatten(X, 2, (3, 1)), IndexError, "unflatten: dimension 2"),
    # sizes and shapes that do not fit
    ("split-sizes", lambda: wg.split(X, [1, 1], 1), RuntimeError,
     r"split: sizes \[1, 1\] must .*add up to 3, the size of dimension 1"),
    ("split-zero", lambda: wg.split(X, 0), RuntimeError, "split: split_size must be positive"),
    ("chunk-zero", lambda: wg.chunk(X, 0), RuntimeError, "chunk: .*must be positive"),
    ("unflatten-sizes", lambda: wg.unflatten(X, 1, (2, 2)), RuntimeError,
     r"unflatten: shape \(2, 2\) is invalid for input of shape \(3,\)"),
    ("repeat-too-few", lambda: X.repeat(2), RuntimeError,
     r"repeat: the number of sizes \(1\) can not be smaller .*\(2, 3\)"),
    ("repeat-negative", lambda: wg.tile(X, (-1,)), RuntimeError, "must be non-negative"),
    ("repeat_interleave-counts", lambda: wg.repeat_interleave(X, I([1, 2]), 1), RuntimeError,
     r"repeat_interleave: repeats of shape \(2,\) .*one count per element \(3\)"),
    ("repeat_interleave-float", lambda: wg.repeat_interleave(X, wg.tensor([1.0])), TypeError,
     "repeat_interleave: repeats must be integers"),
    ("roll-lengths", lambda: wg.roll(X, (1, 2), 0), RuntimeError,
     r"roll: shifts \(1, 2\) and dims \(0,\) must have the same length"),
    ("roll-flat-many", lambda: wg.roll(X, (1, 2)), RuntimeError, "roll: 2 shifts need"),
    ("rot90-dims", lambda: wg.rot90(X, 1, (0,)), RuntimeError, "rot90: expected two dims"),
    ("rot90-same", lambda: wg.rot90(X, 1, (1, -1)), RuntimeError, "rot90: dimension repeated"),
    ("rot90-1d", lambda: wg.rot90(wg.zeros(3)), RuntimeError, "rot90: .*at least 2 dimensions"),
    ("fliplr-1d", lambda: wg.fliplr(wg.zeros(3)), RuntimeError, "fliplr: .*at least 2"),
    ("flipud-0d", lambda: wg.flipud(wg.zeros(())), RuntimeError, "flipud: .*at least 1"),
    ("tril-1d", lambda: wg.tril(wg.zeros(3)), RuntimeError, r"tril: .*at least 2 .*\(3,\)"),
    ("triu-0d", lambda: wg.triu(wg.zeros(())), RuntimeError, "triu: .*at least 2"),
    ("diagonal-same", lambda: wg.diagonal(X, 0, 1, -1), RuntimeError,
     "diagonal: dim1 and dim2 cannot be the same"),
    ("diagonal-1d", lambda: wg.diagonal(wg.zeros(3)), RuntimeError, "diagonal: .*at least 2"),
    ("diag_embed-0d", lambda: wg.diag_embed(wg.zeros(())), RuntimeError, "diag_embed: .*0-d"),
    ("diag-3d", lambda: wg.diag(X3), RuntimeError, r"diag: expected a 1-D or 2-D .*\(2, 3, 4\)"),
    ("trace-3d", lambda: wg.trace(X3), RuntimeError, r"trace: expected a matrix .*\(2, 3, 4\)"),
    ("meshgrid-2d", lambda: wg.meshgrid(X), RuntimeError, r"meshgrid: .*tensor 0 has shape"),
    ("meshgrid-indexing", lambda: wg.meshgrid(wg.zeros(2), indexing="ji"), ValueError,
     "meshgrid: indexing must be 'ij' or 'xy'"),
    ("hstack-empty", lambda: wg.hstack([]), RuntimeError, "hstack: expected a non-empty list"),
    ("vstack-mismatch", lambda: wg.vstack([wg.zeros(2), wg.zeros(3)]), RuntimeError,
     r"cat: tensor 1 has shape \(1, 3\)"),
    ("gather-ndim", lambda: wg.gather(X, 1, I([0])), RuntimeError,
     r"gather: index has 1 dimensions .*input has 2"),
    ("gather-larger", lambda: wg.gather(X, 1, I([[0], [0], [0]])), RuntimeError,
     r"gather: index of shape \(3, 1\) is larger than input .*dimension 0"),
    ("gather-float", lambda: wg.gather(X, 1, wg.tensor([[0.0]])), TypeError,
     "gather: index must be an integer tensor"),
    ("scatter-dtype", lambda: wg.scatter(X, 0, I([[0]]), wg.ones(1, 1, dtype=wg.float64)),
     RuntimeError, "scatter: src has dtype float64 but input has dtype float32"),
    ("scatter-small-src", lambda: wg.scatter(X, 0, I([[0, 1]]), wg.ones(1, 1)), RuntimeError,
     r"scatter: src of shape \(1, 1\) .*index shape \(1, 2\)"),
    ("scatter-reduce", lambda: wg.scatter(X, 0, I([[0]]), wg.ones(1, 1), reduce="multiply"),
     NotImplementedError, "reduce='multiply' is not supported"),
    ("scatter-nothing", lambda: wg.scatter(X, 0, I([[0]])), TypeError, "give src"),
    ("index_add-shape", lambda: wg.index_add(X, 0, I([0]), wg.ones(2, 3)), RuntimeError,
     r"index_add: source has shape \(2, 3\), expected \(1, 3\)"),
    ("index_select-2d", lambda: wg.index_select(X, 0, I([[0]])), RuntimeError,
     "index_select: index must be 0-d or 1-D"),
    ("masked_fill-dtype", lambda: wg.masked_fill(X, I([1, 0, 1]), 1.0), TypeError,
     "masked_fill: mask must be a bool tensor, got dtype int64"),
    ("masked_fill-shape", lambda: wg.masked_fill(X, I([[True], [False], [True]]), 1.0),
     RuntimeError, r"masked_fill: mask of shape \(3, 1\) does not broadcast to .*\(2, 3\)"),
    ("masked_fill-value", lambda: wg.masked_fill(X, I([True, False, True]), wg.ones(3)),
     RuntimeError, "masked_fill: value must be a number or a 0-d tensor"),
    ("masked_select-shape", lambda: wg.masked_select(X, I([True, False])), RuntimeError,
     r"masked_select: mask of shape \(2,\) and input of shape \(2, 3\) do not broadcast"),
    ("take_along_dim-shape", lambda: wg.take_along_dim(X, I([[0], [1], [2]]), 1), RuntimeError,
     r"take_along_dim: input of shape \(2, 3\) and indices of shape \(3, 1\) do not broadcast"),
    ("take_along_dim-ndim", lambda: wg.take_along_dim(X, I([0]), 1), RuntimeError,
     "take_along_dim: indices of shape"),
    ("setitem-shape", lambda: X.clone().__setitem__(slice(None), wg.ones(3, 3)), RuntimeError,
     r"setitem: cannot assign values of shape \(3, 3\) .*shape \(2, 3\)"),
    ("setitem-shape-torch-order",
     lambda: X3.clone().__setitem__((1, slice(None), I([0, 1])), wg.ones(3, 3)), RuntimeError,
     r"setitem: cannot assign values of shape \(3, 3\) to a selection of shape \(3, 2\)"),
]


@pytest.mark.parametrize(("fn", "error", "pattern"), [pytest.param(f, e, p, id=n)
                                                      for n, f, e, p in ERRORS])
def test_clear_error(fn, error, pattern):
    with pytest.raises(error, match=pattern):
        fn()


def test_recorded_setitem_of_the_wrong_shape_names_both_shapes():
    x = wg.zeros(2, 3, requires_grad=True).clone()
    with pytest.raises(RuntimeError, match=r"setitem: cannot assign a tensor of shape \(4,\)"):
        x[0] = wg.ones(4, requires_grad=True)


def test_a_failed_scatter_leaves_the_input_alone():
    x = wg.tensor(np.arange(6.0).reshape(2, 3))
    with pytest.raises(IndexError):
        wg.scatter(x, 1, I([[0, 5]]), 9.0)
    np.testing.assert_array_equal(x.numpy(), np.arange(6.0).reshape(2, 3))
