"""One LSTM training step (seq 32, batch 32, hidden 256; forward + backward + SGD) vs
PyTorch.

The model: ``nn.LSTM(64, 256)`` over a (32, 32, 64) float32 sequence (seq first), a
``nn.Linear(256, 10)`` head on the last time step, cross-entropy, ``optim.SGD(lr=0.01)``;
the same ``nn`` code builds it in both libraries, wengert starting from PyTorch's
weights. Before timing, one step must leave both with the same loss and parameters.
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from . import _harness as h
from ._training import check_training, paired, stepper

SEQ, BATCH, INPUT, HIDDEN = 32, 32, 64, 256


def build(nn):
    class Tagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(INPUT, HIDDEN)
            self.head = nn.Linear(HIDDEN, 10)

        def forward(self, x):
            out, _ = self.lstm(x)
            return self.head(out[-1])

    return Tagger()


def batch(seed: int = 0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((SEQ, BATCH, INPUT)).astype(np.float32),
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
    return [h.row(f"LSTM step (seq {SEQ}, batch {BATCH}, input {INPUT}, hidden {HIDDEN}), "
                  "fwd + bwd + SGD, float32", times, targets=(("torch", 1.5),), check=checked)]


def profile(quick: bool = False) -> str:
    w_model, _ = paired(build)
    return h.profile(stepper(wg, w_model, [batch()], sgd(wg)), 5 if quick else 30)
