"""Review: ``index_put(indices, values, accumulate=True)``, PyTorch's signature.

``wg.index_put`` lacked ``accumulate``: a PyTorch program passing it failed with a
TypeError. With it, values are added and a repeated index receives the sum of all its
values (without it the last write lands, which is what ``x[idx] = v`` does).
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")

rng = np.random.default_rng(7)
CASES = [
    ("rows-repeated", (4, 5), lambda L: (L.tensor([0, 0, 2, 0]),), (4, 5)),
    ("pairs-repeated", (4, 5), lambda L: (L.tensor([1, 1, 3]), L.tensor([-1, 4, 0])), (3,)),
    ("broadcast-row", (4, 5), lambda L: (L.tensor([2, 2]),), (5,)),
    ("mask", (4, 5), lambda L: (L.tensor([True, False, True, True]),), (3, 5)),
    ("3d-middle", (2, 3, 4), lambda L: (L.tensor([0, 1, 0]), L.tensor([2, 2, 2])), (3, 4)),
]


@pytest.mark.parametrize("label,shape,index,vshape", CASES, ids=[c[0] for c in CASES])
def test_first_and_second_order_match_pytorch(label, shape, index, vshape):
    x0, v0 = rng.standard_normal(shape), rng.standard_normal(vshape)
    out = {}
    for L in (wg, torch):
        x = L.tensor(x0, requires_grad=True)
        v = L.tensor(v0, requires_grad=True)
        y = x.index_put(index(L), v, accumulate=True)
        loss = (y * y * y).sum()
        gx, gv = L.autograd.grad(loss, [x, v], create_graph=True)
        hx, hv = L.autograd.grad((gx * gx).sum() + gv.sum(), [x, v])
        out[L] = [t.detach().numpy() for t in (y, gx, gv, hx, hv)]
    for a, b in zip(out[wg], out[torch]):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_integer_tensor_and_number_values():
    for L in (wg, torch):
        x = L.zeros(3, 4, dtype=L.int64)
        y = x.index_put((L.tensor([0, 0, 2]), L.tensor([1, 1, 3])), L.tensor(5), accumulate=True)
        np.testing.assert_array_equal(y.numpy(), [[0, 10, 0, 0], [0, 0, 0, 0], [0, 0, 0, 5]])
    y = wg.index_put(wg.zeros(3), (wg.tensor([1, 1]),), 2.5, accumulate=True)
    np.testing.assert_array_equal(y.numpy(), [0.0, 5.0, 0.0])


def test_without_accumulate_the_last_write_lands():
    y = wg.zeros(3).index_put((wg.tensor([1, 1]),), wg.tensor([2.0, 7.0]))
    np.testing.assert_array_equal(y.numpy(), [0.0, 7.0, 0.0])


def test_values_that_do_not_fit_are_refused():
    with pytest.raises(RuntimeError, match=r"shape \(3,\) to the selection .* of shape \(3, 4\)"):
        wg.zeros(3, 4).index_put((wg.tensor([0, 0, 2]),), wg.ones(3), accumulate=True)
