"""Every public function either accepts complex input or refuses it by name.

For each function in ``public_functions()``:

* declared complex-supporting (``wengert.ops._registry.COMPLEX_SUPPORT``): it has a
  complex case in the operator sweeps (``wengert.testing.cases``; differentiable ones are then
  checked against finite differences in both modes, to second order), or, if it is not
  differentiable, a call on complex input succeeds;
* otherwise: calling it with complex128 input raises a TypeError whose message names
  the function and the complex dtype (or PyTorch's RuntimeError, for the few functions
  where PyTorch raises one: ``RUNTIME_ERROR``).

``PENDING`` lists the functions whose complex behaviour is not settled yet (none now);
they are strict xfails, so settling one makes the suite fail until it leaves the list.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
from wengert.ops._registry import COMPLEX_SUPPORT, public_functions
from wengert.testing.cases import FN_CASES, SPECS, Raw

# wg.numpy follows NumPy and forwards to the PyTorch-named ops checked here (complex input
# reaches the same rules, and refusals name the underlying op), so it is not listed again.
FUNCTIONS = {name: fn for name, fn in public_functions().items()
             if not name.startswith("numpy.")}

Z = np.arange(12).reshape(3, 4) * (0.1 + 0.2j) + (0.3 + 0.1j)
I64 = np.array([[0, 1], [2, 0]])

# How to call a refusing function with complex input, where ``fn(z)`` (then ``fn(z, z)``)
# would fail for another reason first.
CALLS = {
    "clamp": lambda fn, z: fn(z, 0.0, 1.0),
    "clip": lambda fn, z: fn(z, 0.0, 1.0),
    "kthvalue": lambda fn, z: fn(z, 1),
    "topk": lambda fn, z: fn(z, 1),
    "cummax": lambda fn, z: fn(z, 0),
    "cummin": lambda fn, z: fn(z, 0),
    "polar": lambda fn, z: fn(z, z),
    "fft.rfft2": lambda fn, z: fn(z),
    "nn.functional.one_hot": lambda fn, z: fn(z),
    "nn.functional.embedding": lambda fn, z: fn(z, z),
    "nn.functional.batch_norm": lambda fn, z: fn(z, None, None, training=True),
    "nn.functional.margin_ranking_loss": lambda fn, z: fn(z, z, z),
    "nn.functional.scaled_dot_product_attention": lambda fn, z: fn(z, z, z),
    "nn.functional.threshold": lambda fn, z: fn(z, 0.1, 0.0),
}

# Functions with no tensor input to be complex.
NO_TENSOR_INPUT = {"fft.fftfreq", "fft.rfftfreq"}

# PyTorch raises RuntimeError for these (a real-input transform, a real-pair view).
RUNTIME_ERROR = {"fft.rfft", "fft.rfft2", "fft.rfftn", "fft.ihfft", "view_as_complex"}

# Not settled yet: each either needs complex support (PyTorch has it) or a refusal
# that names it (PyTorch refuses). Empty: every public function is settled.
PENDING: set = set()


def _is_complex_case(args) -> bool:
    for a in args:
        v = a.value if isinstance(a, Raw) else a
        if isinstance(v, np.ndarray) and v.dtype.kind == "c":
            return True
        if isinstance(v, (list, tuple)) and _is_complex_case(v):
            return True
    return False


def _names_of(fn):
    return {name for name, other in FUNCTIONS.items() if other is fn}


def _has_complex_sweep_case(fn) -> bool:
    names = _names_of(fn)
    if any(_is_complex_case(c.args) for name in names for c in SPECS.get(name, ())):
        return True
    return any(c.name in names and _is_complex_case(c.args) for c in FN_CASES)


def _call(name, fn, z):
    if name in CALLS:
        return CALLS[name](fn, z)
    try:
        return fn(z)
    except TypeError as e:
        if "argument" not in str(e):
            raise
        return fn(z, z)


def _params():
    out = []
    for name in sorted(FUNCTIONS):
        if name in NO_TENSOR_INPUT:
            continue
        marks = [pytest.mark.xfail(strict=True, reason="complex support not settled")] \
            if name in PENDING else []
        out.append(pytest.param(name, id=name, marks=marks))
    return out


@pytest.mark.parametrize("name", _params())
def test_complex_input_is_supported_or_refused(name):
    fn = FUNCTIONS[name]
    z = wg.tensor(Z)
    if fn in COMPLEX_SUPPORT:
        if _has_complex_sweep_case(fn):
            return
        from wengert.ops._registry import NOT_DIFFERENTIABLE

        assert fn in NOT_DIFFERENTIABLE, f"{name} is declared complex but has no complex case"
        _call(name, fn, z)  # a predicate or comparison: it must simply work
        return
    expected = RuntimeError if name in RUNTIME_ERROR else TypeError
    with pytest.raises(expected) as info:
        _call(name, fn, z)
    message = str(info.value)
    short = name.rsplit(".", 1)[-1]
    assert short in message or fn.__name__ in message, message
    assert "complex" in message, message


def test_pending_functions_are_not_declared():
    assert not {FUNCTIONS[name] for name in PENDING} & COMPLEX_SUPPORT


@pytest.mark.parametrize("name, call", [
    ("mse_loss", lambda F, r, z: F.mse_loss(r, z)),
    ("kl_div", lambda F, r, z: F.kl_div(r, z)),
    ("binary_cross_entropy", lambda F, r, z: F.binary_cross_entropy(r, z)),
    ("cosine_similarity", lambda F, r, z: F.cosine_similarity(r, z, dim=0)),
    ("margin_ranking_loss", lambda F, r, z: F.margin_ranking_loss(r, r, z)),
    ("scaled_dot_product_attention",
     lambda F, r, z: F.scaled_dot_product_attention(r[None], r[None], z[None])),
    ("poisson_nll_loss", lambda F, r, z: F.poisson_nll_loss(r, z, full=True)),
])
def test_a_complex_operand_other_than_the_first_is_refused_by_name(name, call):
    r, z = wg.tensor([0.25, 0.5]), wg.tensor([0.25 + 1j, 0.5 + 0j])
    with pytest.raises(TypeError, match=f"{name} .*complex"):
        call(wg.nn.functional, r, z)
