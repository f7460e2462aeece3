"""One LSTM training step (seq 32, batch 32, hidden 256; forward + backward + SGD) vs
PyTorch.

The model: ``nn.LSTM(64, 256)`` over a (32, 32, 64) float32 sequence (seq first), a
``nn.Linear(256, 10)`` head on the last time step, cross-entropy, ``optim.SGD(lr=0.01)``;
the same ``nn`` code builds it in both libraries, wengert starting from PyTorch's
weights. Before timing, one step must leave both with the same loss and parameters.
"""

from __future__ import annotations

import numpy as np

from ._training import step_profile, step_row

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


def run(quick: bool = False) -> list[dict]:
    label = (f"LSTM step (seq {SEQ}, batch {BATCH}, input {INPUT}, hidden {HIDDEN}), "
             "fwd + bwd + SGD, float32")
    return [step_row(build, batch(), label, quick)]


def profile(quick: bool = False) -> str:
    return step_profile(build, batch(), quick)
