"""cross_entropy forward + backward: wengert vs PyTorch (CPU), side by side in one run.

Workload: ``F.cross_entropy(logits, target)`` on ``(256, 1000)`` float32 logits that
require grad and int64 targets (mean reduction), then ``loss.backward()``; the gradient
is cleared between calls. The same inputs go to ``torch.nn.functional.cross_entropy``.
Before timing, wengert's loss and gradient are checked against PyTorch's.
"""

from __future__ import annotations

import numpy as np

import wengert as wg

from . import _harness as h

SHAPE = (256, 1000)
WORKLOAD = "cross_entropy fwd + bwd, (256, 1000) float32, int64 targets, mean"


def _inputs(seed: int = 0):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal(SHAPE).astype(np.float32) * 3
    target = rng.integers(0, SHAPE[1], SHAPE[0]).astype(np.int64)
    return logits, target


def _step(lib, logits, target):
    """A runner returning (loss, gradient) for ``lib`` (wengert or torch)."""
    x = lib.tensor(logits, requires_grad=True)
    t = lib.tensor(target)
    cross_entropy = lib.nn.functional.cross_entropy

    def step():
        x.grad = None
        loss = cross_entropy(x, t)
        loss.backward()
        return loss, x.grad

    return step


def run(quick: bool = False) -> list[dict]:
    logits, target = _inputs()
    runners = {"wengert": _step(wg, logits, target)}
    torch = h.torch_module()
    checked = ""
    if torch is not None:
        runners["torch"] = _step(torch, logits, target)
        loss, grad = runners["wengert"]()
        t_loss, t_grad = runners["torch"]()
        h.assert_close("loss vs PyTorch", loss, t_loss, 1e-5, 1e-6)
        h.assert_close("gradient vs PyTorch", grad, t_grad, 1e-4, 1e-8)
        checked = "loss and gradient = PyTorch's"
    times = h.medians(h.measure(runners, repeats=3 if quick else 15,
                                repeat_s=0.05 if quick else 0.2))
    return [h.row(WORKLOAD, times, check=checked)]


def profile(quick: bool = False) -> str:
    return h.profile(_step(wg, *_inputs()), 50 if quick else 200)
