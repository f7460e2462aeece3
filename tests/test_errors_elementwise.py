"""Bad input to the elementwise functions and activations: a clear error naming the op,
the shapes or dtypes, and the fix; never a silent wrong result."""

import numpy as np
import pytest

import wengert as wg
import wengert.nn.functional as F


@pytest.mark.parametrize("name", ["atan2", "hypot", "fmod", "remainder", "fmax", "fmin",
                                  "logaddexp", "logaddexp2", "xlogy", "copysign",
                                  "floor_divide"])
def test_shapes_that_do_not_broadcast(name):
    with pytest.raises(RuntimeError, match=rf"{name}: shapes \(2, 3\) and \(4,\) do not "
                                           r"broadcast.*unsqueeze"):
        getattr(wg, name)(wg.ones(2, 3, requires_grad=True), wg.ones(4))


def test_lerp_shapes_and_dtypes():
    with pytest.raises(RuntimeError, match=r"lerp: shapes \(2,\) and \(3,\) do not broadcast"):
        wg.lerp(wg.ones(2), wg.ones(3), 0.5)
    with pytest.raises(TypeError, match="lerp: expected a floating point tensor, got dtype int64"):
        wg.lerp(wg.tensor([1, 2]), wg.tensor([3, 4]), 0.5)
    with pytest.raises(TypeError, match=r"lerp: weight has dtype float64 .* float32.*\.to\("):
        wg.lerp(wg.ones(2), wg.ones(2), wg.ones(2, dtype=wg.float64))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy's, for the float division by 0
@pytest.mark.parametrize("name", ["fmod", "remainder", "floor_divide"])
def test_integer_division_by_zero(name):
    with pytest.raises(ZeroDivisionError, match=rf"{name}: integer division by zero.*floating"):
        getattr(wg, name)(wg.tensor([1, 2]), wg.tensor([1, 0]))
    with pytest.raises(ZeroDivisionError, match=name):
        getattr(wg, name)(wg.tensor([1, 2]), 0)
    # floating point: inf or nan, as in PyTorch
    assert not np.isfinite(getattr(wg, name)(wg.tensor([1.0]), 0.0).numpy()).any()


def test_operators_divide_by_zero():
    with pytest.raises(ZeroDivisionError, match="floor_divide"):
        wg.tensor([3, 4]) // 0
    with pytest.raises(ZeroDivisionError, match="remainder"):
        wg.tensor([3, 4]) % wg.tensor([0, 1])


def test_unsupported_operands_and_dtypes():
    with pytest.raises(TypeError, match="unsupported operand type 'str'"):
        wg.hypot(wg.ones(2), "a")
    for name in ("erf", "erfc", "erfinv"):
        with pytest.raises(TypeError, match=rf"{name}: needs real input, got dtype complex128"):
            getattr(wg, name)(wg.tensor(np.array([1 + 1j])))
    with pytest.raises(TypeError, match=r"floor: .*complex128"):
        wg.floor(wg.tensor(np.array([1 + 1j])))


def test_bad_parameters():
    with pytest.raises(TypeError, match="round: decimals must be an int, got 1.5"):
        wg.round(wg.ones(2), decimals=1.5)
    with pytest.raises(TypeError, match="logit: eps must be a number or None"):
        wg.logit(wg.ones(2), eps="a")
    with pytest.raises(ValueError, match="gelu: approximate must be 'none' or 'tanh', not 'fast'"):
        F.gelu(wg.ones(2), approximate="fast")
    with pytest.raises(ValueError, match=r"hardtanh: min_val \(1.0\) must not exceed max_val"):
        F.hardtanh(wg.ones(2), 1.0, -1.0)
    with pytest.raises(ValueError, match="softplus: beta must not be 0"):
        F.softplus(wg.ones(2), beta=0)
    with pytest.raises(ValueError, match="celu: alpha must not be 0"):
        F.celu(wg.ones(2), alpha=0.0)


@pytest.mark.parametrize("name", ["elu", "selu", "celu", "gelu", "silu", "mish", "softplus",
                                  "softsign", "hardtanh", "relu6", "leaky_relu", "hardswish",
                                  "hardsigmoid", "logsigmoid", "glu"])
def test_activations_need_floating_point(name):
    with pytest.raises(TypeError, match=rf"{name}: expected a floating point tensor, got dtype "
                                        "int64"):
        getattr(F, name)(wg.tensor([[1, 2]]))


def test_glu_dimensions():
    with pytest.raises(RuntimeError, match=r"glu: halving dimension -1 needs an even size, but "
                                           r"the input has shape \(2, 3\)"):
        F.glu(wg.ones(2, 3))
    with pytest.raises(IndexError, match=r"glu: dim 2 is out of range for a tensor of shape "
                                         r"\(2, 4\)"):
        F.glu(wg.ones(2, 4), dim=2)
    with pytest.raises(RuntimeError, match="glu: does not support 0-d"):
        F.glu(wg.ones(()))


def test_in_place_activation_of_a_leaf_that_requires_grad():
    x = wg.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"relu_: a leaf tensor that requires grad .*no_grad"):
        F.relu(x, inplace=True)
    assert x.tolist() == [1.0, 1.0, 1.0]
