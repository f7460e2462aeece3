"""Shape and indexing ops against PyTorch: values, first and second derivatives, JVPs.

Each case is one function ``fn(lib, *inputs)`` written once and run with
``lib = wengert`` and ``lib = torch``: float64 arrays become tensors that
require grad, other arrays constant tensors. The loss
``sum <u, y> + <u2, y * y> / 2`` (over every output of a tuple) makes the
second derivative of these linear ops nonzero.

Deliberate differences from PyTorch (tested below, documented in the modules):

* ``scatter``/``index_copy`` with repeated indices: the last write lands (NumPy's
  order) and only it receives a gradient; PyTorch leaves the winner unspecified
  and gives the gradient to every duplicate.
* ``x[::-1]`` (negative slice steps) works; PyTorch refuses it.
* ``x[[[0, 1], [1, 2]]]`` (a list of lists) is one nested integer index as in
  NumPy; PyTorch 2.x still reads it as a tuple (deprecated, to change).
* Out-of-bounds indices raise ``IndexError`` (PyTorch: ``RuntimeError`` for
  gather/scatter/index_select).
"""

from __future__ import annotations

import warnings
import zlib

import numpy as np
import pytest

import wengert as wg
import wengert.autograd.forward_ad as wfw

torch = pytest.importorskip("torch")

_rng = np.random.default_rng(0)


def real(*shape):
    return _rng.uniform(-1, 1, shape)


def ints(shape, lo, hi):
    return _rng.integers(lo, hi, shape)


def mask(*shape):
    return _rng.random(shape) < 0.5


def _inputs(lib, arrays, requires_grad=True):
    out = []
    for a in arrays:
        if isinstance(a, np.ndarray):
            t = lib.tensor(a)
            if a.dtype == np.float64 and requires_grad:
                t.requires_grad_()
            out.append(t)
        else:
            out.append(a)
    return out


def _outputs(y):
    return list(y) if isinstance(y, (tuple, list)) else [y]


def _np(t):
    if t is None:
        return None
    return t.detach().numpy() if hasattr(t, "detach") else np.asarray(t)


def derivatives(lib, fn, arrays, seed):
    """Outputs, gradients and second derivatives of the quadratic loss, as arrays."""
    rng = np.random.default_rng(seed)
    xs = _inputs(lib, arrays)
    wrt = [x for x, a in zip(xs, arrays) if isinstance(a, np.ndarray) and a.dtype == np.float64]
    ys = _outputs(fn(lib, *xs))
    loss = 0
    for y in ys:
        u, u2 = (lib.tensor(rng.standard_normal(tuple(y.shape))) for _ in range(2))
        loss = loss + (y * u).sum() + (y * y * u2).sum() / 2
    grad = torch.autograd.grad if lib is torch else wg.grad
    gs = grad(loss, wrt, create_graph=True, allow_unused=True)
    s = 0
    for g, x in zip(gs, wrt):
        if g is not None:
            s = s + (g * lib.tensor(rng.standard_normal(tuple(x.shape)))).sum()
    hs = [None] * len(wrt)
    if not isinstance(s, int) and s.requires_grad:
        hs = grad(s, wrt, allow_unused=True)
    zero = [np.zeros(tuple(x.shape)) for x in wrt]
    return ([_np(y) for y in ys], [z if g is None else _np(g) for g, z in zip(gs, zero)],
            [z if h is None else _np(h) for h, z in zip(hs, zero)])


def jvps(lib, fn, arrays, seed):
    """Forward mode: each output's tangent for a random tangent of every float input."""
    rng = np.random.default_rng(seed)
    fw = torch.autograd.forward_ad if lib is torch else wfw
    with fw.dual_level():
        xs = _inputs(lib, arrays, requires_grad=False)
        for i, a in enumerate(arrays):
            if isinstance(a, np.ndarray) and a.dtype == np.float64:
                xs[i] = fw.make_dual(xs[i], lib.tensor(rng.standard_normal(a.shape)))
        return [_np(fw.unpack_dual(y).tangent) for y in _outputs(fn(lib, *xs))]


CASES = []


def case(label, fn, *arrays, forward=True):
    CASES.append(pytest.param(fn, arrays, forward, id=label))


def T(lib, a):  # noqa: N802 - an index tensor in either library
    return lib.tensor(np.asarray(a))


# -- shape ---------------------------------------------------------------------
case("unflatten", lambda L, x: L.unflatten(x, 1, (2, -1)), real(3, 6))
case("movedim", lambda L, x: L.movedim(x, (0, 2), (2, 0)), real(2, 3, 4))
case("moveaxis", lambda L, x: x.moveaxis(-1, 0), real(2, 3, 4))
case("swapaxes", lambda L, x: L.swapaxes(x, 0, 2), real(2, 3, 4))
case("repeat", lambda L, x: x.repeat(2, 1, 3), real(2, 3))
case("repeat-0d", lambda L, x: x.repeat(2, 2), real())
case("tile", lambda L, x: L.tile(x, (2,)), real(2, 3))
case("repeat_interleave-int", lambda L, x: L.repeat_interleave(x, 2), real(2, 3))
case("repeat_interleave-dim", lambda L, x: x.repeat_interleave(3, dim=1), real(2, 3))
case("repeat_interleave-tensor", lambda L, x: L.repeat_interleave(x, T(L, [2, 0, 1]), dim=1),
     real(2, 3))
case("flip", lambda L, x: L.flip(x, (0, -1)), real(2, 3, 4))
case("fliplr", lambda L, x: L.fliplr(x), real(2, 3))
case("flipud", lambda L, x: x.flipud(), real(3, 2))
case("roll-flat", lambda L, x: L.roll(x, 5), real(2, 3))
case("roll-dims", lambda L, x: L.roll(x, (1, -2), (0, 2)), real(2, 3, 4))
for k in (-1, 0, 1, 2, 3, 5):
    case(f"rot90-k={k}", lambda L, x, k=k: L.rot90(x, k, (1, 2)), real(2, 3, 4))
case("hstack", lambda L, a, b: L.hstack([a, b]), real(2, 1), real(2, 3))
case("vstack", lambda L, a, b: L.vstack([a, b]), real(3), real(2, 3))
case("dstack", lambda L, a, b: L.dstack([a, b]), real(3), real(1, 3))
case("column_stack", lambda L, a, b: L.column_stack([a, b]), real(3), real(3, 2))
case("split-int", lambda L, x: L.split(x, 2, 1), real(2, 5))
case("split-list", lambda L, x: x.split([1, 3, 0], 0), real(4, 2))
case("chunk", lambda L, x: L.chunk(x, 4, -1), real(2, 6))
case("chunk-uneven", lambda L, x: L.chunk(x, 3, 0), real(5))
case("unbind", lambda L, x: L.unbind(x, 1), real(2, 3))
case("narrow", lambda L, x: L.narrow(x, 1, -3, 2), real(2, 4))
case("select", lambda L, x: L.select(x, -1, 2), real(2, 3))
case("tril", lambda L, x: L.tril(x, -1), real(2, 3, 4))
case("triu", lambda L, x: L.triu(x, 1), real(4, 3))
case("diag-1d", lambda L, x: L.diag(x, -2), real(3))
case("diag-2d", lambda L, x: L.diag(x, 1), real(3, 4))
case("diagonal", lambda L, x: L.diagonal(x, -1, 2, 0), real(2, 3, 4))
case("diagonal-method", lambda L, x: x.diagonal(), real(2, 3, 4))
case("diag_embed", lambda L, x: L.diag_embed(x, 1, 0, 2), real(2, 3))
case("trace", lambda L, x: L.trace(x), real(3, 4))
case("meshgrid-ij", lambda L, a, b: L.meshgrid(a, b, indexing="ij"), real(2), real(3))
case("meshgrid-xy", lambda L, a, b, c: L.meshgrid(a, b, c, indexing="xy"), real(2), real(3),
     real(4))
case("atleast_3d", lambda L, a, b: L.atleast_3d(a, b), real(3), real(2, 3))
case("atleast_2d", lambda L, a: L.atleast_2d(a), real())
case("view_as", lambda L, a, b: a.view_as(b), real(2, 3), real(3, 2))
case("reshape_as", lambda L, a, b: a.reshape_as(b) * b, real(2, 3), real(6))
case("expand_as", lambda L, a, b: a.expand_as(b) * b, real(3, 1), real(3, 4))

# -- gather / scatter ------------------------------------------------------------
case("gather", lambda L, x: L.gather(x, 1, T(L, [[0, 2, 2, 1], [1, 1, 0, 0]])), real(3, 3))
_I = ints((2, 2, 3), 0, 3)
case("gather-3d", lambda L, x: x.gather(0, T(L, _I)), real(3, 2, 4))
case("scatter-src", lambda L, x, s: L.scatter(x, 1, T(L, [[2, 0], [1, 3]]), s), real(3, 4),
     real(2, 2))  # (a larger src breaks PyTorch's double backward; the sweep covers it)
case("scatter-value", lambda L, x: x.scatter(0, T(L, [[1, 0, 1]]), -2.5), real(2, 3))
case("scatter_add", lambda L, x, s: L.scatter_add(x, 1, T(L, [[2, 0, 2], [1, 1, 1]]), s),
     real(3, 4), real(2, 3))
case("index_select", lambda L, x: L.index_select(x, 1, T(L, [2, 0, 2])), real(2, 3))
case("index_add", lambda L, x, s: L.index_add(x, 0, T(L, [1, 1, 0]), s, alpha=-2.0),
     real(2, 3), real(3, 3))
case("index_copy", lambda L, x, s: x.index_copy(1, T(L, [2, 0]), s), real(2, 3), real(2, 2))
_M4, _M31, _M214 = mask(4), mask(3, 1), mask(2, 1, 4)
case("masked_fill-number", lambda L, x: L.masked_fill(x, T(L, _M4), 0.5), real(3, 4))
case("masked_fill-tensor", lambda L, x, v: x.masked_fill(T(L, _M31), v), real(3, 4), real())
case("masked_select", lambda L, x: L.masked_select(x, T(L, _M214)), real(3, 1))
case("take", lambda L, x: L.take(x, T(L, [[0, -1], [5, 5]])), real(2, 3))
case("take_along_dim", lambda L, x: L.take_along_dim(x, T(L, [[0, -1], [2, 1], [1, 1]]), 1),
     real(3, 4))
case("take_along_dim-broadcast", lambda L, x: L.take_along_dim(x, T(L, [[[0, 2]]]), 2),
     real(2, 3, 4))
case("take_along_dim-flat", lambda L, x: L.take_along_dim(x, T(L, [3, 0, 3])), real(2, 3))

# large enough for the bincount path of the scatter-add gradient
_IL, _EL = ints((40, 50), 0, 60), ints(200, -100, 100)
case("gather-large", lambda L, x: L.gather(x, 1, T(L, _IL)), real(40, 60))
case("embedding-large", lambda L, w: w[T(L, _EL)], real(100, 16))
case("index_add-large", lambda L, x, s: x.index_add(1, T(L, _IL[0]), s), real(30, 60),
     real(30, 50))

# -- __getitem__: every form --------------------------------------------------------
_A = [0, 2, 2, 1, 0]
GETITEM = {
    "int": lambda L: 1, "neg-int": lambda L: -2, "slice-step": lambda L: slice(0, 3, 2),
    "slice-neg-start": lambda L: (slice(-2, None), slice(None, -1)),
    "none": lambda L: (None, 1, None), "ellipsis": lambda L: (Ellipsis, 0),
    "ellipsis-none": lambda L: (1, Ellipsis, None),
    "bool-mask-full": lambda L: T(L, np.arange(24).reshape(2, 3, 4) % 3 == 0),
    "bool-mask-rows": lambda L: (slice(None), T(L, [True, False, True])),
    "bool-list": lambda L: [True, False],
    "int-list": lambda L: [1, 0, 1], "int-tensor": lambda L: T(L, [[1, 0], [0, 0]]),
    "0d-int-tensor": lambda L: (T(L, 1), slice(1, None)),
    "0d-bool-tensor": lambda L: T(L, True),
    "uint8-tensor-mask": lambda L: L.tensor(np.array([1, 0], dtype=np.uint8)),
    "arrays-adjacent": lambda L: (slice(None), T(L, [2, 0]), T(L, [3, 3])),
    "arrays-separated": lambda L: (T(L, [1, 0, 1]), slice(None), T(L, [3, 0, 0])),
    "int-slice-array": lambda L: (1, slice(None), T(L, _A)),
    "array-int-separated": lambda L: (T(L, [1, 0]), slice(1, 3), 2),
    "slice-array-int": lambda L: (slice(None), T(L, _A), 1),
    "int-none-array": lambda L: (0, None, T(L, [2, 1])),
    "ellipsis-int-array": lambda L: (Ellipsis, 2, T(L, [1, 1, 0])) ,
    "broadcast-arrays": lambda L: (T(L, [[0], [1]]), slice(None), T(L, [[0, 3, 1]])),
    "bool-and-int": lambda L: (T(L, [True, False]), 1),
    "neg-int-array": lambda L: (-1, slice(None), T(L, [-1, -4])),
}
for label, index in GETITEM.items():
    case(f"getitem-{label}", lambda L, x, index=index: x[index(L)], real(2, 3, 4))


@pytest.mark.parametrize(("fn", "arrays", "forward"), CASES)
def test_matches_pytorch(fn, arrays, forward):
    seed = zlib.crc32(repr([np.shape(a) for a in arrays]).encode())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # PyTorch's deprecation notes
        expected = derivatives(torch, fn, arrays, seed)
        got = derivatives(wg, fn, arrays, seed)
        for what, e, g in zip(("value", "gradient", "second derivative"), expected, got):
            assert len(e) == len(g)
            for k, (ei, gi) in enumerate(zip(e, g)):
                assert ei.shape == gi.shape, f"{what} {k}: shape {gi.shape}, PyTorch {ei.shape}"
                np.testing.assert_allclose(gi, ei, rtol=1e-12, atol=1e-12,
                                           err_msg=f"{what} {k}")
        if forward:
            for e, g in zip(jvps(torch, fn, arrays, seed), jvps(wg, fn, arrays, seed)):
                np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-12, err_msg="JVP")


# -- __setitem__: every form, on values and gradients ---------------------------------
SETITEM = [
    ("int", lambda L: 1, (3, 4)), ("slice", lambda L: (slice(None), slice(1, 3)), (2, 1, 4)),
    ("bool", lambda L: T(L, np.arange(24).reshape(2, 3, 4) % 5 == 0), ()),
    ("array", lambda L: (slice(None), T(L, [2, 0])), (2, 4)),
    ("int-slice-array", lambda L: (1, slice(None), T(L, [3, 0, 1])), (3, 3)),
    ("int-slice-array-broadcast", lambda L: (1, slice(None), T(L, [3, 0, 1])), (3,)),
    ("slice-array-int", lambda L: (slice(None), T(L, [2, 1]), 0), (2, 2)),
    ("ellipsis-none", lambda L: (Ellipsis, None, 1), (2, 3, 1)),
]


@pytest.mark.parametrize(("index", "vshape"), [pytest.param(i, s, id=n) for n, i, s in SETITEM])
def test_setitem_matches_pytorch(index, vshape):
    def fn(L, x, v):
        y = x * 1.0
        y[index(L)] = v * v
        return y

    arrays = (real(2, 3, 4), real(*vshape))
    seed = zlib.crc32(repr(vshape).encode())
    expected, got = derivatives(torch, fn, arrays, seed), derivatives(wg, fn, arrays, seed)
    for e, g in zip(expected, got):
        for ei, gi in zip(e, g):
            np.testing.assert_allclose(gi, ei, rtol=1e-12, atol=1e-12)


# -- conventions -------------------------------------------------------------------


def test_scatter_with_repeated_indices_the_last_write_wins_and_gets_the_gradient():
    x = wg.zeros(4, dtype=wg.float64, requires_grad=True)
    src = wg.tensor([1.0, 2.0, 3.0], dtype=wg.float64, requires_grad=True)
    y = wg.scatter(x, 0, wg.tensor([1, 1, 2]), src)
    np.testing.assert_array_equal(y.detach().numpy(), [0.0, 2.0, 3.0, 0.0])
    y.backward(wg.tensor([1.0, 10.0, 100.0, 1000.0], dtype=wg.float64))
    np.testing.assert_array_equal(src.grad.numpy(), [0.0, 10.0, 100.0])  # PyTorch: [10, 10, 100]
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 0.0, 0.0, 1000.0])


def test_index_copy_with_repeated_indices_the_last_write_wins():
    x = wg.zeros(3, 2, dtype=wg.float64, requires_grad=True)
    src = wg.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=wg.float64, requires_grad=True)
    y = x.index_copy(0, wg.tensor([2, 2]), src)
    np.testing.assert_array_equal(y.detach().numpy()[2], [3.0, 4.0])
    y.sum().backward()
    np.testing.assert_array_equal(src.grad.numpy(), [[0.0, 0.0], [1.0, 1.0]])


def test_scatter_add_and_index_add_accumulate_repeats():
    x = wg.zeros(3, dtype=wg.float64)
    s = wg.tensor([1.0, 2.0, 4.0], dtype=wg.float64)
    np.testing.assert_array_equal(wg.scatter_add(x, 0, wg.tensor([0, 0, 0]), s).numpy(),
                                  [7.0, 0.0, 0.0])
    np.testing.assert_array_equal(wg.index_add(x, 0, wg.tensor([2, 0, 2]), s).numpy(),
                                  [2.0, 0.0, 5.0])


def test_float32_gradient_of_a_large_gather_matches_pytorch():
    x, index = real(40, 60).astype(np.float32), ints((40, 50), 0, 60)
    w = wg.tensor(x, requires_grad=True)
    wg.gather(w, 1, wg.tensor(index)).sum().backward()
    t = torch.tensor(x, requires_grad=True)
    torch.gather(t, 1, torch.tensor(index)).sum().backward()
    assert w.grad.dtype == wg.float32
    np.testing.assert_array_equal(w.grad.numpy(), t.grad.numpy())


def test_negative_slice_steps_work_unlike_pytorch():
    x = wg.arange(6.0, dtype=wg.float64).requires_grad_()
    y = x[::-2]
    np.testing.assert_array_equal(y.detach().numpy(), [5.0, 3.0, 1.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 1, 0, 1, 0, 1])


def test_a_list_of_lists_is_one_nested_index():
    x = wg.arange(12).reshape(3, 4)
    assert x[[[0, 1], [1, 2]]].shape == (2, 2, 4)  # NumPy's reading (PyTorch 2.x: a tuple)


def test_views_and_copies_as_in_pytorch():
    x = wg.zeros(3, 3)
    x.diagonal().fill_(1.0)  # diagonal is a view
    np.testing.assert_array_equal(x.numpy(), np.eye(3))
    for copy in (x.flip(0), x.roll(1), x.repeat(1, 1), wg.tile(x, (1,)), x.rot90()):
        copy.fill_(5.0)  # flips, rolls and repeats are copies
    np.testing.assert_array_equal(x.numpy(), np.eye(3))
    a, _ = x.split(2)
    a.fill_(2.0)  # pieces are views
    assert x.numpy()[:2].min() == 2.0
