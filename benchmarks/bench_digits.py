"""One epoch of the digits demo's MLP and CNN (batch 64, the fixed split, Adam) vs the
same models in PyTorch.

The models are ``wengert.demo.mlp`` / ``cnn`` (the CNN has BatchNorm and max pooling),
built with the same ``nn`` code in PyTorch; wengert starts from PyTorch's initial
weights. The batches are the demo's (``DataLoader(train, batch_size=64, shuffle=True,
generator=0)`` over ``wengert.demo.split()``: 23 batches), collected once as NumPy arrays
and converted once per library, so the timing is the training itself (forward, loss,
backward, ``Adam.step``), not the data pipeline. Before timing, one epoch from the same
weights (in float64: see ``_training.check_training``) must leave every parameter and
buffer of both models equal.
"""

from __future__ import annotations

import wengert as wg
from wengert import demo
from wengert.utils.data import DataLoader

from . import _harness as h
from ._training import check_training, paired, stepper, to_batches

TARGETS = {"mlp": 1.0, "cnn": 1.5}  # issue 7: at most 1.0x / 1.5x PyTorch's epoch


def build(kind):
    """``build(nn)`` for the demo's model ``kind``, in any library with PyTorch's names."""
    if kind == "mlp":
        return lambda nn: nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(),
                                        nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))
    return lambda nn: nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))


def batches():
    train, _ = demo.split()
    return to_batches(DataLoader(train, batch_size=64, shuffle=True, generator=0))


def adam(lib):
    return lambda ps: lib.optim.Adam(ps, lr=demo.DEFAULT_LR["adam"])


def run(quick: bool = False) -> list[dict]:
    data = batches()
    rows = []
    torch = h.torch_module()
    for kind in ("mlp", "cnn"):
        w_model, t_model = paired(build(kind))
        w_demo = demo.MODELS[kind]()
        assert list(w_demo.state_dict()) == list(w_model.state_dict()), \
            f"bench_digits: {kind} differs from wengert.demo.{kind}()"
        checked = check_training(w_model, t_model, data, adam(wg), adam(torch), 1e-6, 1e-8,
                                 float64=True)
        runners = {"wengert": stepper(wg, w_model, data, adam(wg))}
        if t_model is not None:
            runners["torch"] = stepper(torch, t_model, data, adam(torch))
        times = h.medians(h.measure(runners, repeats=1 if quick else 7, number=1, warmup=1))
        rows.append(h.row(f"digits {kind.upper()}: one epoch ({len(data)} batches of 64), Adam",
                          times, targets=(("torch", TARGETS[kind]),), check=checked))
    return rows


def profile(quick: bool = False) -> str:
    w_model, _ = paired(build("cnn"))
    return h.profile(stepper(wg, w_model, batches(), adam(wg)), 1 if quick else 3)
