"""Seed 000's linear regression, done right.

The seed tutorial (shared/seeds/000) builds a ``Linear(2, 1)`` layer with weights 1/2 and
bias 0, predicts the label 165 from the feature [28.1, 58.0] (prediction 43.05, MSE loss
14871.8025), back-propagates, and then steps with the raw gradient:
``weight -= weight.grad``. The next loss is 1026548766283.6302: it went *up* by a
factor of 69 million.

Why the seed's step diverges. For one sample the loss is L = (y - w.x - b)^2, a quadratic
in (w, b) whose curvature along the input direction is 2 (|x|^2 + 1) = 8309.22 (the
Hessian is 2 [x, 1][x, 1]^T). A gradient step with learning rate lr multiplies the residual
y - p by 1 - lr * 8309.22. The seed has no learning rate, lr = 1, so the residual 121.95
becomes 121.95 * (1 - 8309.22) = -1.01e6 and the loss 1.03e12; every further step
multiplies it by 8308^2 again. Gradient descent on a quadratic converges only when
lr < 2 / curvature = 2.4e-4; with lr = 1e-4 the residual shrinks by a factor 0.17 per step.
(Standardizing the features, the usual remedy, lowers the curvature instead.)

Run: ``python examples/linear_regression_seed000.py [--steps N] [--lr LR]``.
"""

from __future__ import annotations

import argparse

import wengert as wg
from wengert import nn, optim

FEATURE, LABEL = [28.1, 58.0], [165.0]


def seed_layer() -> nn.Linear:
    """``Linear(2, 1)`` with the seed's initial weights: 1/in_size each, bias 0."""
    layer = nn.Linear(2, 1, dtype=wg.float64)
    nn.init.constant_(layer.weight, 1 / 2)
    nn.init.zeros_(layer.bias)
    return layer


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lr", type=float, default=1e-4, help="learning rate (default 1e-4)")
    parser.add_argument("--steps", type=int, default=20, help="SGD steps (default 20)")
    parser.add_argument("--quick", action="store_true", help="(already quick; for the tests)")
    args = parser.parse_args(argv)

    feature = wg.tensor([FEATURE], dtype=wg.float64)  # a batch of one sample
    label = wg.tensor([LABEL], dtype=wg.float64)
    loss_fn = nn.MSELoss()

    # -- the seed, step by step ---------------------------------------------------------
    layer = seed_layer()
    print(layer)
    prediction = layer(feature)
    loss = loss_fn(prediction, label)
    print(f"prediction: {prediction.item():.2f}")
    print(f"loss: {loss.item():.4f}")
    loss.backward()
    print(f"gradient: weight {layer.weight.grad.tolist()}, bias {layer.bias.grad.tolist()}")
    with wg.no_grad():  # the seed's update: the raw gradient, no learning rate
        for p in layer.parameters():
            p -= p.grad
    diverged = loss_fn(layer(feature), label).item()
    print(f"loss after the seed's step (no learning rate): {diverged!r}")

    curvature = 2 * (sum(v * v for v in FEATURE) + 1)
    print(f"why: the loss's curvature along the input is 2(|x|^2 + 1) = {curvature:.2f}; a step\n"
          f"  with learning rate lr multiplies the residual by 1 - lr * {curvature:.2f}, so the\n"
          f"  seed's lr = 1 multiplies it by {1 - curvature:.2f}. Gradient descent converges "
          f"only for\n  lr < 2 / {curvature:.2f} = {2 / curvature:.3g}.")

    # -- done right: the same start, an optimizer with a learning rate ---------------------
    layer = seed_layer()
    optimizer = optim.SGD(layer.parameters(), lr=args.lr)
    losses = []
    for _ in range(args.steps):
        optimizer.zero_grad()
        loss = loss_fn(layer(feature), label)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    final = loss_fn(layer(feature), label).item()
    print(f"SGD with lr={args.lr:g}: loss {losses[0]:.4f} -> {final:.3g} after {args.steps} "
          f"steps; prediction {layer(feature).item():.4f} (label {LABEL[0]:g})")
    return {"prediction": prediction.item(), "loss": losses[0], "diverged_loss": diverged,
            "losses": losses, "final_loss": final, "curvature": curvature}


if __name__ == "__main__":
    main()
