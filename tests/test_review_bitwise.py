"""Review: ``&``, ``|`` and ``^`` on integer tensors.

They were ``logical_and``/``or``/``xor``, so ``tensor([1, 2]) & tensor([3, 1])`` gave
``[True, True]`` where PyTorch gives ``[1, 0]``, and a float tensor was accepted
silently. They are now ``bitwise_and``/``or``/``xor`` (PyTorch's names, also
functions and methods), with ``bitwise_not`` as ``~``.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")

OPS = {"&": lambda a, b: a & b, "|": lambda a, b: a | b, "^": lambda a, b: a ^ b}
A = np.array([[1, 2, 6, -7], [0, 255, -1, 12]])
B = np.array([3, 1, 3, 5])


def _pair(lib, a, b):
    return (lib.tensor(a) if isinstance(a, np.ndarray) else a,
            lib.tensor(b) if isinstance(b, np.ndarray) else b)


CASES = [
    ("int64", A, B),
    ("int8-int64", A.astype(np.int8), B),
    ("uint8-bool", np.abs(A).astype(np.uint8), B > 2),
    ("bool", A > 1, B > 2),
    ("int-0d", A, np.array(6)),
    ("int8-0d-int64", A.astype(np.int8), np.array(6)),
    ("int-python", A, 6),
    ("python-int", 6, A),
    ("bool-python-bool", A > 1, True),
    ("bool-python-int", A > 1, 2),
]


@pytest.mark.parametrize("symbol", sorted(OPS))
@pytest.mark.parametrize("label,a,b", CASES, ids=[c[0] for c in CASES])
def test_operators_match_pytorch(symbol, label, a, b):
    w = OPS[symbol](*_pair(wg, a, b))
    t = OPS[symbol](*_pair(torch, a, b))
    assert str(w.dtype) == str(t.dtype).removeprefix("torch.")
    np.testing.assert_array_equal(w.numpy(), t.numpy())


@pytest.mark.parametrize("name", ["bitwise_and", "bitwise_or", "bitwise_xor"])
def test_functions_and_methods(name):
    expected = getattr(torch, name)(torch.tensor(A), torch.tensor(B)).numpy()
    np.testing.assert_array_equal(getattr(wg, name)(wg.tensor(A), wg.tensor(B)).numpy(), expected)
    np.testing.assert_array_equal(getattr(wg.tensor(A), name)(wg.tensor(B)).numpy(), expected)


def test_bitwise_not():
    for a in (A, A > 1, A.astype(np.uint8)):
        np.testing.assert_array_equal(wg.bitwise_not(wg.tensor(a)).numpy(),
                                      torch.bitwise_not(torch.tensor(a)).numpy())


@pytest.mark.parametrize("other", [np.array([1.5, 2.0]), 2.5, np.array([1 + 1j, 0j])])
def test_floating_operands_are_refused_with_the_fix(other):
    with pytest.raises(TypeError, match=r"bitwise_and \(&\) needs bool or integer tensors, "
                                        r"got int64 and .*logical_and"):
        wg.tensor([1, 2]) & (wg.tensor(other) if isinstance(other, np.ndarray) else other)


def test_shapes_that_do_not_broadcast_are_named():
    with pytest.raises(RuntimeError, match=r"bitwise_or: shapes \(2,\) and \(3,\)"):
        wg.tensor([1, 2]) | wg.tensor([1, 2, 3])


def test_masks_combine_as_before():
    x = wg.tensor([-1.0, 0.5, 2.0, 3.0], requires_grad=True)
    m = (x > 0) & (x < 2.5) | (x == -1.0)
    assert m.dtype == wg.bool_
    np.testing.assert_array_equal(m.numpy(), [True, True, True, False])
