"""wg.autograd.gradcheck / gradgradcheck: finite differences catch wrong derivatives."""

import contextlib

import numpy as np
import pytest

import wengert as wg
from wengert.autograd import GradcheckError, gradcheck, gradgradcheck
from wengert.autograd.linear import LINEAR_MAP_TYPES, LinearMap
from wengert.ops.elementwise import sin_p


def t64(values, requires_grad=True):
    return wg.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


@contextlib.contextmanager
def sin_rule(rule):
    """Temporarily give ``sin`` a different derivative rule."""
    saved = sin_p.rule
    sin_p.rule = (rule,)
    try:
        yield
    finally:
        sin_p.rule = saved


def test_correct_derivatives_pass():
    x, w = t64([0.3, -1.2]), t64([[1.0, 2.0], [0.5, -1.0], [0.1, 0.2]])
    assert gradcheck(lambda a, b: (wg.tanh(b @ a), (a * a).sum()), (x, w))
    assert gradgradcheck(lambda a, b: wg.sigmoid(b @ a) * 2, (x, w))


def test_a_wrong_first_derivative_is_caught_with_a_table():
    x = t64([0.3, -1.2])
    with sin_rule(lambda ns, out, x: ns.cos(x) * 1.01), pytest.raises(GradcheckError) as info:
        gradcheck(wg.sin, (x,))
    message = str(info.value)
    for part in ("reverse mode", "output", "input", "analytic", "numerical", "difference"):
        assert part in message
    with sin_rule(lambda ns, out, x: ns.cos(x) * 1.01):
        assert gradcheck(wg.sin, (x,), raise_exception=False) is False


def test_a_wrong_second_derivative_is_caught_only_by_gradgradcheck():
    # Right value, wrong derivative: in the recorded (higher-order) namespace
    # the rule adds 0.1 * (x - value of x), which is 0 but has slope 0.1.
    def rule(ns, out, x):
        return ns.cos(x) + 0.1 * (x - getattr(x, "_data", x))

    x = t64([0.3, -1.2])
    with sin_rule(rule):
        assert gradcheck(wg.sin, (x,))
        with pytest.raises(GradcheckError):
            gradgradcheck(wg.sin, (x,))


def test_a_wrong_forward_mode_is_caught_in_forward_mode():
    class WrongTangent(LinearMap):
        __slots__ = ("c",)

        def __init__(self, c):
            self.c = c

        def apply(self, ns, t):  # the JVP is off by a factor 2
            return t * self.c * 2

        def transpose(self, ns, ct):
            return ct * self.c

    x = t64([0.3, -1.2])
    try:
        with sin_rule(lambda ns, out, x: WrongTangent(ns.cos(x))):
            assert gradcheck(wg.sin, (x,), check_forward_ad=False)
            with pytest.raises(GradcheckError, match="forward mode"):
                gradcheck(wg.sin, (x,), check_backward_ad=False)
    finally:  # a test-only map: keep it out of the library's registry of maps
        LINEAR_MAP_TYPES.discard(WrongTangent)


def test_bad_inputs():
    with pytest.raises(ValueError, match="float64"):
        gradcheck(wg.sin, (wg.ones(2, requires_grad=True),))
    with pytest.raises(ValueError, match="nothing to check"):
        gradcheck(wg.sin, (t64([1.0], requires_grad=False),))
    with pytest.raises(TypeError, match="not a Tensor"):
        gradcheck(lambda a: 3.0, (t64([1.0]),))


# -- complex inputs: real and imaginary parts are perturbed separately ------------------------


def c128(values, requires_grad=True):
    return wg.tensor(np.asarray(values, dtype=np.complex128), requires_grad=requires_grad)


def test_complex_inputs_and_outputs_pass():
    z, w = c128([0.3 + 1j, -0.5 + 0.2j]), c128([0.7 - 0.1j, 0.2 + 0.4j])
    x = t64([0.4, -1.1])
    assert gradcheck(lambda a, b: (wg.exp(a) * b, wg.abs(a)), (z, w))
    assert gradcheck(lambda a, b: a * b + wg.conj(a), (z, x))  # complex and real inputs
    assert gradgradcheck(lambda a, b: wg.sin(a) * b, (z, w))  # random complex grad_outputs


def test_a_conjugated_gradient_is_caught_naming_the_part():
    """A holomorphic rule pulled back without the conjugate is wrong in the imaginary part."""
    from wengert.autograd.linear import LINEAR_MAP_TYPES, LinearMap

    class NoConjugate(LinearMap):
        __slots__ = ("c",)

        def __init__(self, c):
            self.c = c

        def apply(self, ns, t):
            return t * self.c

        def transpose(self, ns, ct):  # should be ct * conj(c)
            return ct * self.c

    z = c128([0.3 + 1j])
    try:
        with sin_rule(lambda ns, out, x: NoConjugate(ns.cos(x))):
            assert gradcheck(wg.sin, (z,), check_backward_ad=False)  # forward mode is right
            with pytest.raises(GradcheckError, match="reverse mode") as info:
                gradcheck(wg.sin, (z,))
    finally:
        LINEAR_MAP_TYPES.discard(NoConjugate)
    assert "part)" in str(info.value)
