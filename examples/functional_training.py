"""Training written functionally: a model as a pure function of its parameters.

Instead of ``loss.backward()`` filling ``.grad`` fields and an optimizer updating the
parameters in place, the parameters are a plain dict of tensors, the loss is a function
of that dict (``wg.func.functional_call`` runs the module with them), its gradient is
another function (``wg.func.grad``), and the optimizer is a pure function from
(parameters, gradients, state) to new (parameters, state): Adam, written out, per
parameter. Nothing is mutated; every step returns new values. The module object only
supplies the architecture.

The same functional view gives more than gradients: the script also checks the gradient
against ``backward()``, and takes a Hessian-vector product (``wg.func.hvp``) of the loss
by the output layer's weights, to measure the curvature along the gradient.

Run: ``python examples/functional_training.py [--epochs N] [--quick]``.
"""

from __future__ import annotations

import argparse
import math
import time

import wengert as wg
from wengert import nn
from wengert.func import functional_call, grad, hvp
from wengert.nn import functional as F
from wengert.utils.data import DataLoader, random_split
from wengert.utils.data.datasets import digits


def make_model() -> nn.Module:
    return nn.Sequential(nn.Flatten(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 10))


def loss_fn(params: dict, model: nn.Module, images, labels):
    """The cross-entropy of ``model`` run with ``params`` (a pure function of them)."""
    return F.cross_entropy(functional_call(model, params, (images,)), labels)


def adam_init(params: dict) -> dict:
    return {"step": 0, "m": {k: wg.zeros_like(p) for k, p in params.items()},
            "v": {k: wg.zeros_like(p) for k, p in params.items()}}


def adam_update(params: dict, grads: dict, state: dict, lr: float = 2e-3,
                betas=(0.9, 0.999), eps: float = 1e-8) -> tuple[dict, dict]:
    """One Adam step, per parameter, as a pure function: new (params, state)."""
    (b1, b2), step = betas, state["step"] + 1
    m = {k: b1 * state["m"][k] + (1 - b1) * g for k, g in grads.items()}
    v = {k: b2 * state["v"][k] + (1 - b2) * g * g for k, g in grads.items()}
    scale = lr * math.sqrt(1 - b2 ** step) / (1 - b1 ** step)
    new = {k: p - scale * m[k] / (wg.sqrt(v[k]) + eps) for k, p in params.items()}
    return new, {"step": step, "m": m, "v": v}


def accuracy(params: dict, model: nn.Module, loader: DataLoader) -> float:
    correct = total = 0
    for images, labels in loader:
        logits = functional_call(model, params, (images,))
        correct += (logits.argmax(dim=1) == labels).sum().item()
        total += len(labels)
    return correct / total


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="2 epochs (for the tests)")
    args = parser.parse_args(argv)
    epochs = 2 if args.quick else args.epochs

    wg.manual_seed(args.seed)
    data = digits()
    n_test = len(data) // 5
    train_set, test_set = random_split(data, [len(data) - n_test, n_test], generator=0)
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True, generator=args.seed)
    test_loader = DataLoader(test_set, batch_size=512)

    model = make_model()
    params = {name: p.detach() for name, p in model.named_parameters()}
    grad_fn = grad(loss_fn)  # d loss / d params: a dict like params

    # the functional gradient is the one backward() computes
    images, labels = next(iter(train_loader))
    grads = grad_fn(params, model, images, labels)
    loss_fn(dict(model.named_parameters()), model, images, labels).backward()
    gap = max((grads[k] - p.grad).abs().max().item() for k, p in model.named_parameters())
    print(f"functional gradient vs backward(): largest difference {gap:.1e}")

    state = adam_init(params)
    losses, start = [], time.perf_counter()
    for epoch in range(1, epochs + 1):
        total = 0.0
        for images, labels in train_loader:
            grads = grad_fn(params, model, images, labels)
            params, state = adam_update(params, grads, state, lr=args.lr)
            total += loss_fn(params, model, images, labels).item() * len(labels)
        losses.append(total / len(train_set))
        print(f"epoch {epoch:3d}  loss {losses[-1]:.4f}  "
              f"test accuracy {accuracy(params, model, test_loader):.4f}", flush=True)
    test_accuracy = accuracy(params, model, test_loader)
    print(f"test accuracy {test_accuracy:.4f} after {epochs} epochs in "
          f"{time.perf_counter() - start:.1f} s")

    # curvature of the loss along its gradient, by the last layer's weights only
    def by_last_weight(w):
        return loss_fn({**params, "3.weight": w}, model, images, labels)

    w, g = params["3.weight"], grad(by_last_weight)(params["3.weight"])
    (hg,) = hvp(by_last_weight, (w,), (g,))
    curvature = (g * hg).sum().item() / (g * g).sum().item()
    print(f"curvature along the gradient (g.Hg / g.g, last layer): {curvature:.4f}")
    return {"losses": losses, "test_accuracy": test_accuracy, "gradient_gap": gap,
            "curvature": curvature, "params": params, "model": model}


if __name__ == "__main__":
    main()
