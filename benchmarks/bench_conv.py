"""Convolution benchmark: wengert's ``conv2d`` vs PyTorch's, forward + backward.

Workload: a 2-layer stack ``1 -> 16 -> 32`` channels, 3x3 kernels, padding 1,
a ReLU between the layers, batch 64, float32; ``loss = y.sum()``; forward
and backward to both weights and both biases (the images are data: no
gradient to them, as in training). Two image sizes:
8x8 (scikit-learn's digits) and 28x28 (MNIST).

Before timing, wengert's loss and gradients are checked against PyTorch's.

``run(quick)`` returns the rows ``{workload, wengert_s, torch_s, ratio}``.
"""

from __future__ import annotations

import numpy as np

import wengert as wg
import wengert.nn.functional as F

from . import _harness as h

BATCH = 64
CHANNELS = (1, 16, 32)
SIZES = (8, 28)
TARGET_RATIO = 1.5


def make_inputs(size: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((BATCH, CHANNELS[0], size, size)).astype(np.float32)
    params = []
    for c_in, c_out in zip(CHANNELS, CHANNELS[1:]):
        scale = 1.0 / np.sqrt(c_in * 9)
        params.append(rng.uniform(-scale, scale, (c_out, c_in, 3, 3)).astype(np.float32))
        params.append(rng.uniform(-scale, scale, (c_out,)).astype(np.float32))
    return x, params


def wengert_step(x, params):
    """Forward and backward once; returns the loss and the gradients (w1, b1, w2, b2)."""
    x_t = wg.tensor(x)
    xs = [wg.tensor(a, requires_grad=True) for a in params]
    w1, b1, w2, b2 = xs
    h = F.conv2d(x_t, w1, b1, padding=1).relu()
    loss = F.conv2d(h, w2, b2, padding=1).sum()
    loss.backward()
    return loss, [t.grad for t in xs]


def torch_step(x, params):
    torch = h.torch_module()
    x_t = torch.from_numpy(x)
    xs = [torch.from_numpy(a).requires_grad_() for a in params]
    w1, b1, w2, b2 = xs
    h_ = torch.nn.functional.conv2d(x_t, w1, b1, padding=1).relu()
    loss = torch.nn.functional.conv2d(h_, w2, b2, padding=1).sum()
    loss.backward()
    return loss, [t.grad for t in xs]


def check(x, params) -> str:
    """wengert's loss and gradients agree with PyTorch's (float32 tolerances)."""
    loss, grads = wengert_step(x, params)
    t_loss, t_grads = torch_step(x, params)
    h.assert_close("loss vs PyTorch", loss, t_loss, 1e-4, 1e-3)
    h.assert_close("gradients vs PyTorch", grads, t_grads, 1e-3, 1e-4)
    return "loss and weight/bias gradients = PyTorch's"


def run(quick: bool = False) -> list[dict]:
    """One row per image size."""
    torch = h.torch_module()
    rows = []
    for size in SIZES:
        x, params = make_inputs(size)
        checked = check(x, params) if torch is not None else ""
        runners = {"wengert": lambda: wengert_step(x, params)}
        if torch is not None:
            runners["torch"] = lambda: torch_step(x, params)
        times = h.medians(h.measure(runners, repeats=3 if quick else 15,
                                    repeat_s=0.05 if quick else 0.2))
        rows.append(h.row(f"conv2d 1->16->32 3x3 pad 1, batch {BATCH}, {size}x{size}, "
                          "float32, fwd + bwd", times, targets=((("torch", TARGET_RATIO),)),
                          check=checked))
    return rows


def profile(quick: bool = False) -> str:
    x, params = make_inputs(28)
    return h.profile(lambda: wengert_step(x, params), 5 if quick else 20)
