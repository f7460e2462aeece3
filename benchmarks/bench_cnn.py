"""One SGD training step of a small CNN on 28x28 inputs, batch 64, float32, vs PyTorch.

The model: ``Conv2d(1, 16, 3, padding=1) - ReLU - MaxPool2d(2) - Conv2d(16, 32, 3,
padding=1) - ReLU - MaxPool2d(2) - Flatten - Linear(32*7*7, 10)``, cross-entropy,
``optim.SGD(lr=0.01)``; the same ``nn`` code builds it in both libraries, and wengert
starts from PyTorch's initial weights. Before timing, one step must leave both models
with the same loss and parameters.
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from . import _harness as h
from ._training import check_training, paired, stepper

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


def sgd(lib):
    return lambda ps: lib.optim.SGD(ps, lr=0.01)


def run(quick: bool = False) -> list[dict]:
    w_model, t_model = paired(build)
    batches = [batch()]
    checked = check_training(w_model, t_model, batches, sgd(wg), sgd(h.torch_module()))
    runners = {"wengert": stepper(wg, w_model, batches, sgd(wg))}
    if t_model is not None:
        torch = h.torch_module()
        runners["torch"] = stepper(torch, t_model, batches, sgd(torch))
    times = h.medians(h.measure(runners, repeats=3 if quick else 15, warmup=1,
                                repeat_s=0.1 if quick else 0.5))
    return [h.row("CNN (conv-relu-pool x2, linear) SGD step, 28x28, batch 64, float32", times,
                  targets=(("torch", 1.5),), check=checked)]


def profile(quick: bool = False) -> str:
    w_model, _ = paired(build)
    return h.profile(stepper(wg, w_model, [batch()], sgd(wg)), 5 if quick else 30)
