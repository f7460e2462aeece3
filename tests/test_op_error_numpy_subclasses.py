"""A NumPy error an op restates keeps its builtin class, even when NumPy raised one of its
own subclasses whose constructor wants more than a message (a ufunc with no loop for a
dtype raises ``_UFuncNoLoopError(ufunc, dtypes)``)."""

import types

import numpy as np
import pytest

import wengert as wg
from wengert._primitive import op_error


def _numpy_error(call):
    try:
        call()
    except Exception as e:  # noqa: BLE001 - whatever NumPy raises is what we restate
        return e
    raise AssertionError("NumPy accepted it")


def test_a_ufunc_without_a_loop_is_restated_as_a_type_error_naming_the_op():
    error = _numpy_error(lambda: np.sign(np.array([True])))
    assert type(error) is not TypeError and isinstance(error, TypeError)  # NumPy's subclass
    prim = types.SimpleNamespace(name="probe", broadcasts=False)
    restated = op_error(prim, (np.array([True]),), error)
    assert type(restated) is TypeError
    assert str(restated).startswith("probe: ") and "(1,) bool" in str(restated)


def test_shape_errors_become_runtime_errors_and_others_keep_their_class():
    prim = types.SimpleNamespace(name="probe", broadcasts=True)
    arrays = (np.zeros(2), np.zeros(3))
    assert type(op_error(prim, arrays, ValueError("could not be broadcast"))) is RuntimeError
    assert type(op_error(prim, arrays, IndexError("index 5"))) is IndexError


@pytest.mark.parametrize("call", [
    lambda: wg.floor_divide(wg.tensor([1j]), wg.tensor([1j])),
    lambda: wg.fmod(wg.tensor([1j]), 2),
])
def test_user_facing_dtype_errors_name_the_op_and_dtypes(call):
    with pytest.raises(TypeError, match=r"^(floor_divide|fmod): .*complex64"):
        call()
