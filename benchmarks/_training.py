"""The same model in wengert and PyTorch, trained side by side: the training-step
workloads (MLP, CNN, LSTM, digits epochs) share these helpers."""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np

import wengert as wg

from . import _harness as h


def paired(build: Callable) -> tuple:
    """``(wengert model, torch model or None)`` from ``build(nn)``: PyTorch initializes,
    wengert loads PyTorch's state dict (so both start from the same weights); without
    PyTorch, wengert keeps its own initialization."""
    torch = h.torch_module()
    if torch is None:
        wg.manual_seed(0)
        return build(wg.nn), None
    torch.manual_seed(0)
    t_model = build(torch.nn)
    w_model = build(wg.nn)
    w_model.load_state_dict({k: v.numpy() for k, v in t_model.state_dict().items()})
    return w_model, t_model


def stepper(lib, model, batches, optimizer: Callable) -> Callable:
    """A function that trains ``model`` (``lib`` is ``wg`` or ``torch``) on each
    ``(x, y)`` of ``batches`` (NumPy arrays, converted once) with
    ``optimizer(parameters)`` and cross-entropy; returns the last loss."""
    data = [(lib.from_numpy(x), lib.from_numpy(y)) for x, y in batches]
    opt = optimizer(model.parameters())
    loss = lib.nn.functional.cross_entropy

    def train():
        for x, y in data:
            opt.zero_grad()
            value = loss(model(x), y)
            value.backward()
            opt.step()
        return value

    return train


def sgd(lib) -> Callable:
    """``lib``'s SGD with lr 0.01, as ``optimizer(parameters)`` (the training-step workloads')."""
    return lambda ps: lib.optim.SGD(ps, lr=0.01)


def step_row(build: Callable, batch: tuple, label: str, quick: bool,
             target: float = 1.5) -> dict:
    """One SGD training step of ``build(nn)`` in wengert and PyTorch, timed side by side
    after checking that both train alike: the result row, with its target ratio."""
    w_model, t_model = paired(build)
    batches = [batch]
    checked = check_training(w_model, t_model, batches, sgd(wg), sgd(h.torch_module()))
    runners = {"wengert": stepper(wg, w_model, batches, sgd(wg))}
    if t_model is not None:
        torch = h.torch_module()
        runners["torch"] = stepper(torch, t_model, batches, sgd(torch))
    times = h.medians(h.measure(runners, repeats=3 if quick else 15, warmup=1,
                                repeat_s=0.1 if quick else 0.5))
    return h.row(label, times, targets=(("torch", target),), check=checked)


def step_profile(build: Callable, batch: tuple, quick: bool) -> str:
    """A cProfile of wengert's training step of ``build(nn)``."""
    w_model, _ = paired(build)
    return h.profile(stepper(wg, w_model, [batch], sgd(wg)), 5 if quick else 30)


def check_training(w_model, t_model, batches, w_opt, t_opt, rtol=1e-4, atol=1e-5,
                   float64=False) -> str:
    """Train copies of both models on ``batches``: the last loss and every parameter and
    buffer must agree afterwards. ``float64``: train float64 copies on float64 batches
    (Adam turns float32 rounding noise in a gradient that is zero in exact arithmetic,
    e.g. a bias before BatchNorm, into steps of size ``lr``)."""
    if t_model is None:
        return "PyTorch not installed: no reference check"
    torch = h.torch_module()
    w_model, t_model = copy.deepcopy(w_model), copy.deepcopy(t_model)
    if float64:
        w_model, t_model = w_model.double(), t_model.double()
        batches = [(x.astype(np.float64), y) for x, y in batches]
    w_loss = stepper(wg, w_model, batches, w_opt)()
    t_loss = stepper(torch, t_model, batches, t_opt)()
    h.assert_close("loss vs PyTorch", w_loss, t_loss, rtol, atol)
    t_state = t_model.state_dict()
    w_state = w_model.state_dict()
    for key in t_state:
        h.assert_close(f"{key} after training vs PyTorch", w_state[key], t_state[key], rtol,
                       atol)
    return (f"{len(batches)} step(s) from the same weights{' in float64' if float64 else ''}: "
            "loss and every parameter/buffer = PyTorch's")


def to_batches(loader) -> list[tuple[np.ndarray, np.ndarray]]:
    """A wengert DataLoader's batches as NumPy arrays (the same batches for both)."""
    return [(x.numpy(), y.numpy()) for x, y in loader]
