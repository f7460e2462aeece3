"""``wengert.numpy.fft``: NumPy's ``numpy.fft`` names and keywords (``n``/``s``, ``axis``/
``axes``, ``norm``), differentiable on tensors; ``fftfreq``/``rfftfreq`` are NumPy's own.

>>> import wengert as wg
>>> import wengert.numpy as wnp
>>> x = wg.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
>>> wnp.fft.rfft(x)
tensor([10.+0.j, -2.+2.j, -2.+0.j], grad_fn=<...>)
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from ..ops._registry import not_differentiable
from ._dispatch import twin

fftfreq = not_differentiable(np.fft.fftfreq)
rfftfreq = not_differentiable(np.fft.rfftfreq)


def _one(op):
    def apply(a, n=None, axis=-1, norm=None):
        return op(a, n, axis, norm)

    return apply


def _many(op, default_axes):
    def apply(a, s=None, axes=default_axes, norm=None):
        return op(a, None if s is None else tuple(s), None if axes is None else tuple(axes),
                  norm)

    return apply


def _shift(op):
    def apply(x, axes=None):
        return op(x, axes)

    return apply


def _declare():
    names = []
    ops = [(name, _one(getattr(wg.fft, name)), "(a, n=None, axis=-1, norm=None, out=None)")
           for name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft")]
    ops += [(name, _many(getattr(wg.fft, name), (-2, -1)),
             "(a, s=None, axes=(-2, -1), norm=None, out=None)")
            for name in ("fft2", "ifft2", "rfft2", "irfft2")]
    ops += [(name, _many(getattr(wg.fft, name), None), "(a, s=None, axes=None, norm=None, "
             "out=None)") for name in ("fftn", "ifftn", "rfftn", "irfftn")]
    ops += [(name, _shift(getattr(wg.fft, name)), "(x, axes=None)")
            for name in ("fftshift", "ifftshift")]
    for name, impl, signature in ops:
        doc = (f"``numpy.fft.{name}{signature}``; on tensors ``wengert.fft.{name}``, "
               "differentiable.")
        globals()[name] = twin(getattr(np.fft, name), impl, name, doc, module=__name__)
        names.append(name)
    return names


__all__ = [*_declare(), "fftfreq", "rfftfreq"]
