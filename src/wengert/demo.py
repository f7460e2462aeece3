"""The training demo behind ``wengert train``: an MLP or a small CNN on the embedded
UCI digits, with PyTorch-style code from end to end (``nn``, ``optim``,
``DataLoader``), a progress bar, a checkpoint and optional learning curves.

>>> from wengert.demo import train
>>> result = train("mlp", epochs=1, progress=False, checkpoint=None)
>>> 0.0 <= result.test_accuracy <= 1.0
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from . import nn, no_grad, optim
from ._creation import manual_seed
from .nn import functional as F
from .serialization import save
from .utils.data import DataLoader, random_split
from .utils.data.datasets import digits

OPTIMIZERS = {"adam": optim.Adam, "adamw": optim.AdamW, "sgd": optim.SGD,
              "rmsprop": optim.RMSprop}
DEFAULT_LR = {"adam": 2e-3, "adamw": 2e-3, "sgd": 0.05, "rmsprop": 1e-3}
DEFAULT_EPOCHS = {"mlp": 40, "cnn": 20}
TEST_FRACTION = 0.2
SPLIT_SEED = 0  # the fixed train/test split every run and every benchmark uses


def mlp() -> nn.Module:
    """64 -> 128 -> 64 -> 10 with ReLU."""
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 64),
                         nn.ReLU(), nn.Linear(64, 10))


def cnn() -> nn.Module:
    """Two 3x3 convolutions (16 and 32 channels, batch norm), max pooling, two linear layers."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 4 * 4, 64), nn.ReLU(), nn.Linear(64, 10))


MODELS = {"mlp": mlp, "cnn": cnn}


def split(seed: int = SPLIT_SEED):
    """The fixed (train, test) split of the digits: 1,438 and 359 images."""
    data = digits()
    n_test = int(len(data) * TEST_FRACTION)
    return random_split(data, [len(data) - n_test, n_test], generator=seed)


@dataclass
class Result:
    model: nn.Module
    test_accuracy: float
    seconds: float
    history: dict = field(default_factory=lambda: {"loss": [], "train_acc": [],
                                                   "test_acc": []})


def evaluate(model: nn.Module, loader: DataLoader) -> float:
    """The fraction of correctly classified samples."""
    model.eval()
    correct = total = 0
    with no_grad():
        for x, y in loader:
            correct += int((model(x).argmax(dim=1) == y).sum())
            total += len(y)
    model.train()
    return correct / total


def train(model: str = "mlp", epochs: int | None = None, lr: float | None = None,
          optimizer: str = "adam", seed: int = 0, batch_size: int = 64,
          checkpoint: str | None = "digits.safetensors", progress: bool = True,
          plot: str | None = None) -> Result:
    """Train ``model`` ("mlp" or "cnn") on the digits and return the result.

    The model's and optimizer's state go to ``checkpoint`` (``wg.save``); the
    learning curves to the image ``plot`` (needs matplotlib).
    """
    if model not in MODELS:
        raise ValueError(f"train: model must be one of {sorted(MODELS)}, got {model!r}")
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"train: optimizer must be one of {sorted(OPTIMIZERS)}, got "
                         f"{optimizer!r}")
    epochs = DEFAULT_EPOCHS[model] if epochs is None else epochs
    lr = DEFAULT_LR[optimizer] if lr is None else lr
    if plot is not None:
        _pyplot()  # fail before training, not after
    manual_seed(seed)
    train_set, test_set = split()
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, generator=seed)
    test_loader = DataLoader(test_set, batch_size=512)
    net = MODELS[model]()
    opt = OPTIMIZERS[optimizer](net.parameters(), lr=lr)
    result = Result(net, 0.0, 0.0)
    bar = _progress(epochs * len(train_loader), f"{model} on digits", progress)
    start = time.perf_counter()
    for _ in range(epochs):
        losses, correct, seen = [], 0, 0
        for x, y in train_loader:
            logits = net(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            correct += int((logits.argmax(dim=1) == y).sum())
            seen += len(y)
            if bar is not None:
                bar.update(1)
                bar.set_postfix(loss=f"{losses[-1]:.4f}", acc=f"{correct / seen:.3f}")
        result.history["loss"].append(float(np.mean(losses)))
        result.history["train_acc"].append(correct / seen)
        result.history["test_acc"].append(evaluate(net, test_loader))
    result.seconds = time.perf_counter() - start
    if bar is not None:
        bar.close()
    result.test_accuracy = result.history["test_acc"][-1]
    if checkpoint:
        save({"model": net.state_dict(), "optimizer": opt.state_dict(),
              "model_kind": model, "epochs": epochs, "test_accuracy": result.test_accuracy},
             checkpoint)
    if plot is not None:
        plot_curves(result.history, plot)
    return result


def plot_curves(history: dict, path: str) -> None:
    """Loss and accuracy per epoch, side by side, into an image file."""
    plt = _pyplot()
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
    epochs = range(1, len(history["loss"]) + 1)
    left.plot(epochs, history["loss"])
    left.set(xlabel="epoch", ylabel="training loss", yscale="log")
    right.plot(epochs, history["train_acc"], label="train")
    right.plot(epochs, history["test_acc"], label="test")
    right.set(xlabel="epoch", ylabel="accuracy")
    right.legend()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError("--plot needs matplotlib: pip install 'wengert[plot]'") from None
    return plt


def _progress(total: int, description: str, enabled: bool):
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None  # no bar; the per-epoch summary still prints
    return tqdm(total=total, desc=description, unit="batch", leave=False)
