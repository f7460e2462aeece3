"""Every public differentiable function, composites included, against finite differences.

The cases live in ``wengert.testing.cases`` (one module per area, ``add_fn_case``). Each is
checked with ``gradcheck`` (reverse and forward mode against central
differences, every Jacobian element) and ``gradgradcheck`` (reverse-over-reverse
and forward-over-reverse). Float64 and complex128 arrays become differentiable
inputs (gradcheck perturbs real and imaginary parts separately). The coverage test fails when a public operator
function has no case, unless it is declared not differentiable in the library
(``wengert.ops._registry.not_differentiable``) or is a primitive swept by
``test_primitives.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
from wengert.autograd import gradcheck, gradgradcheck
from wengert.ops._registry import NOT_DIFFERENTIABLE, public_functions
from wengert.testing.cases import FN_CASES, SPECS, FnCase, Raw


def inputs(case: FnCase) -> list:
    out = []
    for a in case.args:
        if isinstance(a, Raw):
            out.append(a.value)
        elif isinstance(a, np.ndarray):
            differentiable = a.dtype in (np.float64, np.complex128)
            out.append(wg.tensor(a, dtype=a.dtype, requires_grad=differentiable))
        else:
            out.append(a)
    return out


def bound(case: FnCase, args: list):
    """``case.fn`` as a function of its differentiable inputs only."""
    wrt = [i for i, a in enumerate(args) if isinstance(a, wg.Tensor) and a.requires_grad]

    def f(*xs):
        full = list(args)
        for i, x in zip(wrt, xs):
            full[i] = x
        return case.fn(*full, **case.kwargs)

    return f, [args[i] for i in wrt]


def params(second_order=False):
    return [pytest.param(c, id=c.id) for c in FN_CASES if c.second_order or not second_order]


@pytest.mark.parametrize("case", params())
def test_first_order(case: FnCase):
    f, xs = bound(case, inputs(case))
    assert gradcheck(f, xs, eps=case.eps, atol=case.atol, rtol=case.rtol)


@pytest.mark.parametrize("case", params(second_order=True))
def test_second_order(case: FnCase):
    f, xs = bound(case, inputs(case))
    assert gradgradcheck(f, xs, eps=case.eps, atol=case.atol, rtol=case.rtol)


def test_every_public_function_is_swept():
    covered = {c.name for c in FN_CASES} | set(SPECS)
    functions = public_functions()
    missing = sorted(
        name for name, fn in functions.items()
        if fn not in NOT_DIFFERENTIABLE
        and not any(other is fn and alias in covered for alias, other in functions.items()))
    assert not missing, f"public differentiable functions without a case: {missing}"
    unknown = sorted({c.name for c in FN_CASES} - set(functions))
    assert not unknown, f"cases for functions that are not public: {unknown}"
    ids = [c.id for c in FN_CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
