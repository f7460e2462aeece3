"""Grad mode: whether operations are recorded on the tape. Thread-local."""

from __future__ import annotations

import functools
import inspect
import threading
from threading import get_ident


class _GradMode(threading.local):
    enabled = True


_mode = _GradMode()

_OFF: set = set()
"""The idents of the threads whose grad mode is off (a thread's own entry is kept in step by
``_set_enabled``). Usually empty, and then recording is on in every thread: the hot paths
test ``not _OFF or _mode.enabled``, because reading a thread-local attribute costs four
times a plain one (110 ns per op on the development machine)."""


def _set_enabled(on: bool) -> None:
    """Set this thread's grad mode: the one way to change it (keeps ``_OFF`` in step)."""
    _mode.enabled = on
    if on:
        _OFF.discard(get_ident())
    else:
        _OFF.add(get_ident())


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are being recorded."""
    return _mode.enabled


class _Switch:
    """Set grad mode to ``_target`` inside a ``with`` block, restore it after.

    Instances also decorate functions: each call runs in a fresh switch, so one
    decorated function can be re-entered and used from several threads.
    """

    _target: bool

    def __enter__(self):
        self._prev = _mode.enabled
        _set_enabled(self._target)

    def __exit__(self, *exc):
        _set_enabled(self._prev)

    def __new__(cls, func=None):
        self = super().__new__(cls)
        # ``@wg.no_grad`` without parentheses: decorate at once.
        return self(func) if callable(func) else self

    def __call__(self, fn):
        target = self._target
        if inspect.isgeneratorfunction(fn):
            @functools.wraps(fn)
            def generator(*args, **kwargs):
                # The mode holds whenever the generator's body runs, not only
                # while it is created.
                gen = fn(*args, **kwargs)
                sent = None
                while True:
                    with _switch(target):
                        try:
                            value = gen.send(sent)
                        except StopIteration as stop:
                            return stop.value
                    sent = yield value

            return generator

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with _switch(target):
                return fn(*args, **kwargs)

        return wrapper


def _switch(target: bool) -> _Switch:
    switch = object.__new__(_Switch)
    switch._target = target
    return switch


class no_grad(_Switch):  # noqa: N801 - PyTorch's name
    """Stop recording: results of operations do not require grad.

    >>> import wengert as wg
    >>> x = wg.tensor([1.0], requires_grad=True)
    >>> with wg.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    _target = False


class enable_grad(_Switch):  # noqa: N801
    """Record again inside a ``no_grad`` region."""

    _target = True


class set_grad_enabled(_Switch):  # noqa: N801
    """Switch recording on or off: as a call, a context manager or a decorator.

    As in PyTorch, the call itself sets the mode; a ``with`` block restores the
    previous mode on exit; used as a decorator it leaves the mode as it was.
    """

    def __new__(cls, mode: bool):
        return object.__new__(cls)

    def __init__(self, mode: bool):
        self._target = bool(mode)
        self._prev = _mode.enabled
        _set_enabled(self._target)

    def __enter__(self):
        pass

    def __call__(self, fn):
        _set_enabled(self._prev)
        return super().__call__(fn)


class _ForwardLevels(threading.local):
    """The stack of open ``forward_ad.dual_level`` contexts of this thread."""

    def __init__(self):
        self.levels: list[int] = []


_fw_state = _ForwardLevels()
