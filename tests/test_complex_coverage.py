"""Every public function either accepts complex input or refuses it by name.

For each function in ``public_functions()``:

* declared complex-supporting (``wengert.ops._registry.COMPLEX_SUPPORT``): it has a
  complex case in the operator sweeps (``wengert.testing.cases``; differentiable ones are then
  checked against finite differences in both modes, to second order), or, if it is not
  differentiable, a call on complex input succeeds;
* otherwise: calling it with complex128 input raises a TypeError whose message names
  the function and the complex dtype (or PyTorch's RuntimeError, for the few functions
  where PyTorch raises one: ``RUNTIME_ERROR``).

``PENDING`` lists the functions whose complex behaviour is not settled yet (most of
``nn.functional`` and of ``linalg``); they are strict xfails, so settling one makes
the suite fail until it leaves the list.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
from wengert.ops._registry import COMPLEX_SUPPORT, public_functions
from wengert.testing.cases import FN_CASES, SPECS, Raw

FUNCTIONS = public_functions()

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
    "linalg.matrix_power": lambda fn, z: fn(z[:, :3], 2),
    "linalg.solve": lambda fn, z: fn(z[:, :3], z),
    "linalg.solve_triangular": lambda fn, z: fn(z[:, :3], z, upper=True),
    "linalg.lstsq": lambda fn, z: fn(z, z),
    "linalg.inv": lambda fn, z: fn(z[:, :3]),
    "linalg.det": lambda fn, z: fn(z[:, :3]),
    "linalg.slogdet": lambda fn, z: fn(z[:, :3]),
    "linalg.cholesky": lambda fn, z: fn(z[:, :3]),
    "linalg.eigh": lambda fn, z: fn(z[:, :3]),
    "linalg.eigvalsh": lambda fn, z: fn(z[:, :3]),
    "linalg.matrix_exp": lambda fn, z: fn(z[:, :3]),
    "linalg.cond": lambda fn, z: fn(z[:, :3]),
    "fft.rfft2": lambda fn, z: fn(z),
    "nn.functional.one_hot": lambda fn, z: fn(z),
    "nn.functional.embedding": lambda fn, z: fn(z, z),
}

# Functions with no tensor input to be complex.
NO_TENSOR_INPUT = {"fft.fftfreq", "fft.rfftfreq"}

# PyTorch raises RuntimeError for these (a real-input transform, a real-pair view).
RUNTIME_ERROR = {"fft.rfft", "fft.rfft2", "fft.rfftn", "fft.ihfft", "view_as_complex"}

# Not settled yet: each either needs complex support (PyTorch has it) or a refusal
# that names it (PyTorch refuses). See the report of the complex helper.
PENDING = {
    "nn.functional.adaptive_avg_pool1d", "nn.functional.adaptive_avg_pool2d",
    "nn.functional.adaptive_max_pool1d", "nn.functional.adaptive_max_pool2d",
    "nn.functional.alpha_dropout", "nn.functional.avg_pool1d", "nn.functional.avg_pool2d",
    "nn.functional.batch_norm", "nn.functional.binary_cross_entropy",
    "nn.functional.binary_cross_entropy_with_logits", "nn.functional.celu",
    "nn.functional.cosine_similarity", "nn.functional.elu", "nn.functional.fold",
    "nn.functional.glu", "nn.functional.group_norm", "nn.functional.hardsigmoid",
    "nn.functional.hardswish", "nn.functional.hardtanh", "nn.functional.hinge_embedding_loss",
    "nn.functional.huber_loss", "nn.functional.instance_norm", "nn.functional.interpolate",
    "nn.functional.kl_div", "nn.functional.layer_norm", "nn.functional.leaky_relu",
    "nn.functional.log_softmax", "nn.functional.margin_ranking_loss",
    "nn.functional.max_pool1d", "nn.functional.max_pool2d", "nn.functional.mish",
    "nn.functional.mse_loss", "nn.functional.pairwise_distance", "nn.functional.pixel_shuffle",
    "nn.functional.pixel_unshuffle", "nn.functional.poisson_nll_loss", "nn.functional.relu6",
    "nn.functional.rms_norm", "nn.functional.scaled_dot_product_attention",
    "nn.functional.selu", "nn.functional.silu", "nn.functional.smooth_l1_loss",
    "nn.functional.softmax", "nn.functional.softmin", "nn.functional.threshold",
    "nn.functional.unfold",
}


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
