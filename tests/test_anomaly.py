"""Anomaly detection names the op and the user's line of the first NaN or inf."""

import numpy as np
import pytest

import wengert as wg
from wengert.autograd import AnomalyError, detect_anomaly, is_anomaly_enabled, set_detect_anomaly
from wengert.tools import recording

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # NumPy on log(0), 0/0


def test_nan_in_backward_names_the_op_and_where_it_was_created():
    x = wg.tensor([1.0, 0.0], requires_grad=True)
    with detect_anomaly():
        y = wg.sqrt(x).sum()  # THE-SQRT-LINE
        with pytest.raises(AnomalyError) as info:
            y.backward()
    message = str(info.value)
    assert "backward of 'sqrt'" in message and "inf" in message
    assert "test_anomaly.py" in message and "THE-SQRT-LINE" in message
    assert x.grad is None  # nothing was accumulated


def test_nan_in_forward_stops_at_the_op():
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"'log' produced inf") as info:
        wg.log(wg.tensor([1.0, 0.0]))  # THE-LOG-LINE
    assert "THE-LOG-LINE" in str(info.value)
    x = wg.tensor([0.0], requires_grad=True)
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"'div' produced nan"):
        x / x


def test_off_by_default_and_restored():
    assert not is_anomaly_enabled()
    with np.errstate(divide="ignore"):
        wg.log(wg.tensor([0.0]))  # no error outside the context
    with detect_anomaly():
        assert is_anomaly_enabled()
        with detect_anomaly():
            pass
        assert is_anomaly_enabled()
    assert not is_anomaly_enabled()
    set_detect_anomaly(True)
    assert is_anomaly_enabled()
    set_detect_anomaly(False)
    assert not is_anomaly_enabled()


def test_check_nan_false_only_records_sites_and_recording_still_works():
    x = wg.tensor([1.0], requires_grad=True)
    with detect_anomaly(check_nan=False), recording() as tape:
        y = wg.sin(x) / 0.0
    assert np.isinf(y.detach().numpy()).all()
    assert tape.wengert_list([x]) == ["v1 = sin(v0)", "v2 = v1 / 0.0"]


def test_log_of_minus_one_names_the_users_line():
    x = wg.tensor(-1.0, requires_grad=True)
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"'log' produced nan") as info:
        y = wg.log(x)  # THE-LOG-OF-MINUS-ONE  # noqa: F841
    assert "test_anomaly.py" in str(info.value) and "THE-LOG-OF-MINUS-ONE" in str(info.value)


def test_zero_over_zero_inside_a_backward_rule_names_the_forward_line():
    # d sqrt(x)/dx = 1 / (2 sqrt(x)): at x = 0 with a zero upstream gradient the rule
    # computes 0 / 0 inside backward, though every forward value is finite.
    x = wg.tensor([0.0, 4.0], dtype=wg.float64, requires_grad=True)
    with detect_anomaly():
        y = (wg.sqrt(x) * wg.tensor([0.0, 1.0], dtype=wg.float64)).sum()  # THE-0/0-LINE
        with pytest.raises(AnomalyError, match=r"backward of 'sqrt'.*nan") as info:
            y.backward()
    assert "THE-0/0-LINE" in str(info.value)
    assert x.grad is None
