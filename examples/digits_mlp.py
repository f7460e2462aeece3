"""A multilayer perceptron on the handwritten digits, in plain PyTorch style.

The UCI optical digits (8x8 images, 1,797 samples) ship inside wengert, so this needs no
network. Everything is written out: the model, the data split and loaders, the optimizer
and learning-rate schedule, the training loop, the evaluation, and a checkpoint saved
with ``wg.save`` and read back with ``wg.load`` into a fresh model. Replace ``wengert``
by ``torch`` in the imports and it is a PyTorch program.

Run: ``python examples/digits_mlp.py [--epochs N] [--quick]`` (about 15 s for 40 epochs).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import wengert as wg
from wengert import nn, optim
from wengert.nn import functional as F
from wengert.utils.data import DataLoader, random_split
from wengert.utils.data.datasets import digits


def make_model() -> nn.Module:
    return nn.Sequential(
        nn.Flatten(),              # (N, 1, 8, 8) -> (N, 64)
        nn.Linear(64, 128), nn.ReLU(),
        nn.Linear(128, 64), nn.ReLU(),
        nn.Linear(64, 10),         # logits for the ten digits
    )


def loaders(batch_size: int = 64, seed: int = 0) -> tuple[DataLoader, DataLoader]:
    """The fixed 80/20 split of ``wengert train`` (split seed 0), shuffled training batches."""
    data = digits()                # images (1797, 1, 8, 8) in [0, 1], labels int64
    n_test = len(data) // 5
    train_set, test_set = random_split(data, [len(data) - n_test, n_test], generator=0)
    return (DataLoader(train_set, batch_size=batch_size, shuffle=True, generator=seed),
            DataLoader(test_set, batch_size=512))


def train_epoch(model: nn.Module, loader: DataLoader, optimizer: optim.Optimizer) -> float:
    """One pass over ``loader``; returns the mean training loss."""
    model.train()
    total, count = 0.0, 0
    for images, labels in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(labels)
        count += len(labels)
    return total / count


def evaluate(model: nn.Module, loader: DataLoader) -> float:
    """Test accuracy: the fraction of images classified correctly."""
    model.eval()
    correct = total = 0
    with wg.no_grad():
        for images, labels in loader:
            correct += (model(images).argmax(dim=1) == labels).sum().item()
            total += len(labels)
    return correct / total


def predict(model: nn.Module, loader: DataLoader) -> wg.Tensor:
    """The logits of every sample of ``loader``, in order."""
    model.eval()
    with wg.no_grad():
        return wg.cat([model(images) for images, _ in loader])


def fit(make_model, epochs: int, lr: float, seed: int = 0) -> dict:
    """Train ``make_model()`` with Adam and cosine annealing, one line per epoch; then save
    the model and optimizer and load them into a fresh model."""
    wg.manual_seed(seed)
    model = make_model()
    print(model)
    train_loader, test_loader = loaders(seed=seed)
    optimizer = optim.Adam(model.parameters(), lr=lr)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    losses, start = [], time.perf_counter()
    for epoch in range(1, epochs + 1):
        losses.append(train_epoch(model, train_loader, optimizer))
        scheduler.step()
        accuracy = evaluate(model, test_loader)
        print(f"epoch {epoch:3d}  loss {losses[-1]:.4f}  test accuracy {accuracy:.4f}",
              flush=True)
    seconds = time.perf_counter() - start
    print(f"test accuracy {accuracy:.4f} after {epochs} epochs in {seconds:.1f} s")

    # save the model and the optimizer, load them into fresh objects, compare
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "digits.safetensors")
        wg.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                 "epoch": epochs}, path)
        checkpoint = wg.load(path)
    restored = make_model()
    restored.load_state_dict(checkpoint["model"])
    same = bool((predict(restored, test_loader) == predict(model, test_loader)).all().item())
    print(f"checkpoint: wg.save -> wg.load -> identical test predictions: {same}")
    return {"losses": losses, "test_accuracy": accuracy, "seconds": seconds,
            "reloaded_identical": same, "model": model}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="3 epochs (for the tests)")
    args = parser.parse_args(argv)
    return fit(make_model, 3 if args.quick else args.epochs, args.lr, args.seed)


if __name__ == "__main__":
    main()
