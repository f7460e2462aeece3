"""``Optimizer``: parameter groups, per-parameter state, ``zero_grad`` and state dicts.

Subclasses implement ``_update(group, params_with_grads)``; the base class
walks the groups, handles ``maximize`` and the closure, and bumps each updated
parameter's version counter (so a stale saved value is caught, as after any
in-place change).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable

import numpy as np

from .._tensor import TENSOR_TYPES, Tensor, bump_version
from ..autograd.grad_mode import enable_grad, no_grad


class Optimizer:
    """Base class: ``Optimizer(params, defaults)`` with ``params`` tensors or group dicts."""

    def __init__(self, params: Iterable, defaults: dict):
        self.defaults = dict(defaults)
        self.param_groups: list[dict] = []
        self.state: dict = {}  # parameter -> {name: array or number}
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
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is not None:
                    if set_to_none:
                        p.grad = None
                    else:
                        p.grad._data[...] = 0

    @no_grad()
    def step(self, closure: Callable | None = None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            live = [p for p in group["params"] if p.grad is not None]
            grads = [-p.grad._data if group.get("maximize") else p.grad._data for p in live]
            self._update(group, live, grads)
            for p in live:
                bump_version(p)
        return loss

    def _update(self, group: dict, params: list[Tensor], grads: list[np.ndarray]) -> None:
        raise NotImplementedError

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
