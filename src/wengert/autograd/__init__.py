"""Automatic differentiation: the tape, the reverse engine, forward mode, grad mode.

The engine and forward mode are loaded on first use: the core modules import
``autograd.grad_mode`` and ``autograd.node`` while the engine imports the core.
"""

from __future__ import annotations

import importlib

from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .node import Node

_LAZY = {"backward": "engine", "grad": "engine", "forward_ad": None,
         "gradcheck": "checks", "gradgradcheck": "checks", "GradcheckError": "checks",
         "detect_anomaly": "anomaly", "set_detect_anomaly": "anomaly",
         "is_anomaly_enabled": "anomaly", "AnomalyError": "anomaly",
         "Function": "function", "FunctionCtx": "function", "graph": None}

__all__ = [
    "backward", "grad", "forward_ad", "no_grad", "enable_grad", "set_grad_enabled",
    "is_grad_enabled", "Node", "gradcheck", "gradgradcheck", "GradcheckError",
    "detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled", "AnomalyError",
    "Function", "FunctionCtx", "graph",
]


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'wengert.autograd' has no attribute '{name}'")
    module = importlib.import_module(f".{_LAZY[name] or name}", __name__)
    value = module if _LAZY[name] is None else getattr(module, name)
    globals()[name] = value
    return value
