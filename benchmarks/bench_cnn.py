"""One SGD training step of a small CNN on 28x28 inputs, batch 64, float32, vs PyTorch.

The model: ``Conv2d(1, 16, 3, padding=1) - ReLU - MaxPool2d(2) - Conv2d(16, 32, 3,
padding=1) - ReLU - MaxPool2d(2) - Flatten - Linear(32*7*7, 10)``, cross-entropy,
``optim.SGD(lr=0.01)``; the same ``nn`` code builds it in both libraries, and wengert
starts from PyTorch's initial weights. Before timing, one step must leave both models
with the same loss and parameters.
"""

from __future__ import annotations

import numpy as np

from ._training import step_profile, step_row

BATCH, SIZE = 64, 28


def build(nn):
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * (SIZE // 4) ** 2, 10))


def batch(seed: int = 0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((BATCH, 1, SIZE, SIZE)).astype(np.float32),
            rng.integers(0, 10, BATCH))


def run(quick: bool = False) -> list[dict]:
    label = "CNN (conv-relu-pool x2, linear) SGD step, 28x28, batch 64, float32"
    return [step_row(build, batch(), label, quick)]


def profile(quick: bool = False) -> str:
    return step_profile(build, batch(), quick)
