"""Forward-mode AD for the object API: dual tensors, as ``torch.autograd.forward_ad``.

A dual tensor carries a tangent (a directional derivative) next to its value;
every operation pushes the tangent through the same derivative rule that
reverse mode transposes. Levels keep nested computations apart: each
``dual_level`` gets a fresh level, and tangents of different levels never mix.

>>> import wengert as wg
>>> import wengert.autograd.forward_ad as fwAD
>>> x1 = wg.tensor(2.0, dtype=wg.float64)
>>> x2 = wg.tensor(5.0, dtype=wg.float64)
>>> with fwAD.dual_level():
...     d1 = fwAD.make_dual(x1, wg.tensor(1.0, dtype=wg.float64))  # x1-dot = 1
...     y = wg.log(d1) + d1 * x2 - wg.sin(x2)
...     float(fwAD.unpack_dual(y).tangent)
5.5
"""

from __future__ import annotations

import itertools
from collections import namedtuple

from .._primitive import _without_level
from .._tensor import TENSOR_TYPES, Tensor
from .grad_mode import _fw_state

_levels = itertools.count(1)

UnpackedDualTensor = namedtuple("UnpackedDualTensor", ["primal", "tangent"])


class dual_level:  # noqa: N801 - PyTorch's name
    """Open a forward-mode level; tangents made inside are dropped when it closes."""

    def __enter__(self) -> int:
        level = next(_levels)
        _fw_state.levels.append(level)
        self.level = level
        return level

    def __exit__(self, *exc) -> None:
        _fw_state.levels.remove(self.level)


def _current(level, op) -> int:
    if level is not None:
        if level not in _fw_state.levels:
            raise RuntimeError(f"{op}: level {level} is not an open dual_level")
        return level
    if not _fw_state.levels:
        raise RuntimeError(f"{op}: no forward-mode level is open; wrap the computation in "
                           "`with wg.autograd.forward_ad.dual_level():`")
    return _fw_state.levels[-1]


def make_dual(tensor, tangent, *, level: int | None = None) -> Tensor:
    """A view of ``tensor`` that carries ``tangent`` as its forward derivative."""
    from ..ops._registry import as_float_tensor
    from ..ops.shape import alias

    level = _current(level, "make_dual")
    primal = as_float_tensor(tensor, "make_dual")
    tangent = as_float_tensor(tangent, "make_dual")
    if tangent.shape != primal.shape:
        raise RuntimeError(f"make_dual: the tangent has shape {tangent.shape}, but the primal "
                           f"has shape {primal.shape}; they must match")
    if tangent.dtype != primal.dtype:
        tangent = tangent.to(primal.dtype)
    dual = alias(primal)
    dual._fw = {**(dual._fw or {}), level: tangent}
    return dual


def unpack_dual(tensor, *, level: int | None = None) -> UnpackedDualTensor:
    """``(primal, tangent)`` of a dual tensor; the tangent is None if it has none."""
    if type(tensor) not in TENSOR_TYPES:
        raise TypeError(f"unpack_dual expects a Tensor, got {type(tensor).__name__}")
    if not _fw_state.levels and level is None:
        return UnpackedDualTensor(tensor, None)
    level = _current(level, "unpack_dual")
    tangent = tensor._fw.get(level) if tensor._fw is not None else None
    return UnpackedDualTensor(_without_level(tensor, level, _fw_state.levels), tangent)
