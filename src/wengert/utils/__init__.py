"""Utilities: ``wg.utils.checkpoint`` (gradient checkpointing) and ``wg.utils.data``
(datasets and the DataLoader), each loaded on first use."""

import importlib

_SUBMODULES = ("checkpoint", "data")


def __getattr__(name):
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'wengert.utils' has no attribute '{name}'")
