"""``Optimizer``: parameter groups, per-parameter state, ``zero_grad`` and state dicts.

Subclasses implement ``_update(group, params, grads)``; the base class walks the
groups and the closure, and bumps each updated parameter's version counter (so a
graph that saved the old value refuses to backward, as after any in-place change).

Updates run in place, piece by piece (``Optimizer._in_place``): an update written
``p -= lr * g`` allocates a temporary the size of the parameter for every
arithmetic step, then streams it through memory again; the same arithmetic on
pieces of a few hundred KiB writes its temporaries into small scratch buffers that
stay in cache, allocates nothing, and gives the same bits (the same operations,
in the same order, on the same values).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

import numpy as np

from .._primitive import _as_array_data
from .._tensor import TENSOR_TYPES, Tensor, bump_version
from ..autograd.grad_mode import enable_grad, no_grad

ndarray = np.ndarray

PIECE_BYTES = 1 << 18
"""Bytes of a parameter that one pass of an in-place update works on: the pieces of
the parameter, its gradient and its state, and the scratch buffers (at most about
eight of them at once) then fit in a core's L2 cache (1 MiB on current x86 cores)."""


class Optimizer:
    """Base class: ``Optimizer(params, defaults)`` with ``params`` tensors or group dicts."""

    def __init__(self, params: Iterable, defaults: dict):
        self.defaults = dict(defaults)
        self.param_groups: list[dict] = []
        self.state: dict = {}  # parameter -> {name: array or number}
        # dtype -> two scratch buffers of PIECE_BYTES; (shape, dtype) -> views of them
        self._scratch: dict = {}
        if type(params) in TENSOR_TYPES:
            raise TypeError(f"{type(self).__name__}: params must be an iterable of tensors or "
                            "of dicts, got a single Tensor (wrap it in a list)")
        groups = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: dict) -> None:
        """Add a group of parameters with its own hyperparameters (the rest from defaults)."""
        group = dict(group)
        params = group["params"]
        params = [params] if type(params) in TENSOR_TYPES else list(params)
        for p in params:
            if type(p) not in TENSOR_TYPES:
                raise TypeError(f"{type(self).__name__}: can only optimize Tensors, got "
                                f"{type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"{type(self).__name__}: can't optimize a non-leaf Tensor "
                                 "(optimize the leaves it was computed from)")
        seen = {id(p) for g in self.param_groups for p in g["params"]}
        if any(id(p) in seen for p in params) or len({id(p) for p in params}) < len(params):
            raise ValueError(f"{type(self).__name__}: some parameters appear in more than one "
                             "parameter group (or twice in one)")
        group["params"] = params
        for key, value in self.defaults.items():
            group.setdefault(key, value)
        self._check_group(group)
        self.param_groups.append(group)

    def _check_group(self, group: dict) -> None:
        """Validate hyperparameters (subclasses extend this)."""
        if group.get("lr", 0) < 0:
            raise ValueError(f"{type(self).__name__}: invalid learning rate {group['lr']} "
                             "(must be >= 0)")

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Drop every gradient (``set_to_none``, the default, as in PyTorch: the next
        backward stores its result instead of adding it to zeros) or zero it in place."""
        for group in self.param_groups:
            for p in group["params"]:
                if p._grad is not None:
                    if set_to_none:
                        p._grad = None
                    else:
                        p._grad._data[...] = 0

    @no_grad()
    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            live, grads = [], []
            for p in group["params"]:
                g = p._grad
                if g is not None:
                    if type(p._data) is not ndarray:  # a NumPy scalar can't change in place
                        _as_array_data(p)
                    live.append(p)
                    grads.append(g._data)
            self._update(group, live, grads)
            for p in live:
                bump_version(p)
        return loss

    def _update(self, group: dict, params: list[Tensor], grads: list[np.ndarray]) -> None:
        """Update ``params`` in place from their gradients ``grads`` (``maximize`` not yet
        applied: ``algorithms._grad`` does that where the update reads the gradient)."""
        raise NotImplementedError

    def _in_place(self, kernel: Callable, arrays: list) -> None:
        """``kernel(*pieces, s, t)``: an elementwise update of ``arrays`` (the parameter's
        data first, then arrays of its shape and dtype: its gradient, its state), run on
        matching pieces of them with two scratch arrays ``s``, ``t`` of the pieces' shape.

        The kernel writes its results into the pieces and the scratch (``out=``); being
        elementwise, it gives piece by piece the bits it would give on the whole
        arrays. Arrays that are not C-contiguous arrays of one dtype are updated
        whole, with freshly allocated scratch.
        """
        p = arrays[0]
        dtype = p.dtype
        for a in arrays:
            if (type(a) is not ndarray or (a.dtype is not dtype and a.dtype != dtype)
                    or not a.flags.c_contiguous):
                kernel(*arrays, np.empty(p.shape, dtype), np.empty(p.shape, dtype))
                return
        if p.nbytes <= PIECE_BYTES:  # one piece: the arrays themselves, scratch of their shape
            kernel(*arrays, *self._piece_scratch(p))
            return
        n, size = p.size, PIECE_BYTES // dtype.itemsize
        flat = [a.reshape(n) for a in arrays]
        s, t = self._scratch_buffers(dtype)
        for start in range(0, n, size):
            stop = min(start + size, n)
            if stop - start < size:
                s, t = s[:stop - start], t[:stop - start]
            kernel(*[a[start:stop] for a in flat], s, t)

    def _piece_scratch(self, p) -> list:
        """Two scratch arrays of the shape and dtype of ``p`` (at most ``PIECE_BYTES``),
        views of the scratch buffers, made once per shape."""
        scratch = self._scratch.get((p.shape, p.dtype))
        if scratch is None:
            scratch = self._scratch[(p.shape, p.dtype)] = [
                b[:p.size].reshape(p.shape) for b in self._scratch_buffers(p.dtype)]
        return scratch

    def _scratch_buffers(self, dtype) -> list:
        """The two scratch buffers of ``PIECE_BYTES`` of ``dtype`` (allocated once)."""
        buffers = self._scratch.get(dtype)
        if buffers is None:
            size = max(1, PIECE_BYTES // dtype.itemsize)
            buffers = self._scratch[dtype] = [np.empty(size, dtype), np.empty(size, dtype)]
        return buffers

    # -- state dicts ------------------------------------------------------------------

    def state_dict(self) -> dict:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}``.

        Parameters are numbered in group order, as PyTorch does; state arrays
        are copied into tensors.
        """
        index, groups = {}, []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = []
            for p in group["params"]:
                index.setdefault(id(p), len(index))
                packed["params"].append(index[id(p)])
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for p in group["params"]:
                if p in self.state:
                    state[index[id(p)]] = {
                        k: Tensor(np.array(v)) if isinstance(v, np.ndarray) else v
                        for k, v in self.state[p].items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore hyperparameters and state saved by ``state_dict`` (for the same params)."""
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(f"{type(self).__name__}.load_state_dict: the saved state has "
                             f"{len(groups)} parameter groups, this optimizer "
                             f"{len(self.param_groups)}")
        for saved, own in zip(groups, self.param_groups):
            if len(saved["params"]) != len(own["params"]):
                raise ValueError(f"{type(self).__name__}.load_state_dict: a saved group has "
                                 f"{len(saved['params'])} parameters, the optimizer's "
                                 f"{len(own['params'])}")
        by_index = {i: p for saved, own in zip(groups, self.param_groups)
                    for i, p in zip(saved["params"], own["params"])}
        self.state = {}
        for i, values in state_dict["state"].items():
            p = by_index[int(i)]
            self.state[p] = {}
            for k, v in values.items():
                if type(v) in TENSOR_TYPES:
                    v = v._data
                if isinstance(v, np.ndarray) and v.ndim:
                    if v.shape != p.shape:
                        raise ValueError(f"{type(self).__name__}.load_state_dict: state "
                                         f"{k!r} of parameter {i} has shape {v.shape}, the "
                                         f"parameter {p.shape}")
                    v = v.astype(p.dtype)
                elif isinstance(v, np.ndarray):
                    v = v.item()
                self.state[p][k] = copy.deepcopy(v)
        for saved, own in zip(groups, self.param_groups):
            own.update({k: copy.deepcopy(v) for k, v in saved.items() if k != "params"})

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params"]
        return "\n".join(lines) + "\n)"
