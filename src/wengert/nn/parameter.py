"""``Parameter``: a tensor that a ``Module`` registers as one of its learnable weights."""

from __future__ import annotations

import numpy as np

from .._tensor import TENSOR_TYPES, Tensor


class Parameter(Tensor):
    """A leaf tensor that requires grad and that ``Module`` collects into ``parameters()``.

    Assigning a ``Parameter`` to a module attribute registers it. It shares
    memory with the tensor or array it wraps.

    >>> import wengert as wg
    >>> w = wg.nn.Parameter(wg.zeros(2))
    >>> w.requires_grad, w.is_leaf
    (True, True)
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad: bool = True):
        if data is None:
            data = np.empty((0,), dtype=np.float32)
        if type(data) in TENSOR_TYPES:
            data = data._data
        super().__init__(np.asarray(data), requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Buffer(Tensor):
    """A tensor a ``Module`` keeps in its state (e.g. BatchNorm's running mean), not learned.

    Assigning a ``Buffer`` to a module attribute registers it, as
    ``register_buffer`` does.
    """

    __slots__ = ("persistent",)

    def __init__(self, data, persistent: bool = True):
        if type(data) in TENSOR_TYPES:
            data = data._data
        super().__init__(np.asarray(data))
        self.persistent = persistent
