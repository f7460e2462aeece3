"""Anomaly detection: stop at the first NaN or inf, and say which op made it and where.

While ``detect_anomaly()`` is on, every operation's output is checked as it is
computed, each tape entry remembers the line of user code that created it, and
the backward pass checks every gradient it produces. The first NaN or inf
raises an ``AnomalyError`` naming the primitive, the shapes, and the file and
line of the user's code. Outside the context nothing is captured or checked:
the hooks are registered only while it is active.

>>> import wengert as wg
>>> x = wg.tensor([1.0, 4.0], requires_grad=True)
>>> with wg.autograd.detect_anomaly():
...     y = wg.sqrt(x).sum()
...     y.backward()
>>> x.grad
tensor([0.50, 0.25])
"""

from __future__ import annotations

import os
import threading
import traceback
import weakref

import numpy as np

from .._primitive import OBSERVERS

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_created_at: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()
_depth = 0  # nesting of active detect_anomaly contexts (all threads)


class AnomalyError(RuntimeError):
    """A NaN or inf appeared in a forward value or a gradient while anomaly mode was on."""


class detect_anomaly:  # noqa: N801 - PyTorch's name
    """Context manager (and decorator) turning anomaly detection on inside it.

    Args:
        check_nan: raise on NaN/inf (True); with False only the creation sites
            are recorded (for the error messages of other failures).
    """

    def __init__(self, check_nan: bool = True):
        self.check_nan = check_nan

    def __enter__(self):
        _enable(self.check_nan)
        return self

    def __exit__(self, *exc):
        _disable()

    def __call__(self, fn):
        import functools

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with detect_anomaly(self.check_nan):
                return fn(*args, **kwargs)

        return wrapper


def set_detect_anomaly(mode: bool, check_nan: bool = True) -> None:
    """Turn anomaly detection on or off (for the rest of the program)."""
    if mode and not is_anomaly_enabled():
        _enable(check_nan)
    elif not mode:
        while is_anomaly_enabled():
            _disable()


def is_anomaly_enabled() -> bool:
    return _depth > 0


_check_nan = [True]


def _enable(check_nan: bool) -> None:
    global _depth
    with _lock:
        _depth += 1
        _check_nan[0] = check_nan
        if _depth == 1:
            OBSERVERS.append(_observe)


def _disable() -> None:
    global _depth
    with _lock:
        _depth -= 1
        if _depth == 0 and _observe in OBSERVERS:
            OBSERVERS.remove(_observe)


def _user_frame() -> str:
    """``file:line in function`` of the innermost frame outside wengert itself."""
    for frame in reversed(traceback.extract_stack()[:-1]):
        if not os.path.abspath(frame.filename).startswith(_PACKAGE):
            return f"{frame.filename}:{frame.lineno} in {frame.name}\n    {frame.line or ''}"
    return "(inside wengert)"


def _observe(prim, node, output, args) -> None:
    """Called for each op while anomaly mode is on: check the value, remember the site."""
    site = None
    if node is not None:
        site = _created_at[node] = _user_frame()
    if _check_nan[0] and not _finite(output._data):
        raise AnomalyError(
            f"anomaly detected: '{prim.name}' produced {_what(output._data)} in its output "
            f"(shape {tuple(np.shape(output._data))}, dtype {output.dtype}).\n"
            f"  created at {site or _user_frame()}")


def check_gradient(node, index: int, parent, grad) -> None:
    """Called by the engine for each gradient while anomaly mode is on."""
    if not _check_nan[0]:
        return
    data = getattr(grad, "_data", grad)
    if not _finite(data):
        site = _created_at.get(node, "(not recorded: created before anomaly mode was on)")
        raise AnomalyError(
            f"anomaly detected: the backward of '{node.prim.name}' produced {_what(data)} in "
            f"the gradient of its input {index} (shape {tuple(np.shape(data))}).\n"
            f"  '{node.prim.name}' was created at {site}")


def _finite(data) -> bool:
    kind = getattr(getattr(data, "dtype", None), "kind", "f")
    return kind not in "fc" or bool(np.isfinite(data).all())


def _what(data) -> str:
    return "nan" if np.isnan(data).any() else "inf"

