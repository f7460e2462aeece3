"""A small convolutional network on the handwritten digits, in plain PyTorch style.

Two 3x3 convolutions with batch normalization, max pooling and two linear layers. The
data, training loop, evaluation and the ``wg.save``/``wg.load`` round trip are those of
``digits_mlp.py`` (imported from it); only the model differs.

Run: ``python examples/digits_cnn.py [--epochs N] [--quick]`` (about 35 s for 20 epochs).
"""

from __future__ import annotations

import argparse

from digits_mlp import fit

from wengert import nn


def make_model() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 16, kernel_size=3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),  # 16x8x8
        nn.Conv2d(16, 32, kernel_size=3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.MaxPool2d(2),                                                            # 32x4x4
        nn.Flatten(),
        nn.Linear(32 * 4 * 4, 64), nn.ReLU(),
        nn.Linear(64, 10),
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--quick", action="store_true", help="1 epoch (for the tests)")
    args = parser.parse_args(argv)
    return fit(make_model, 1 if args.quick else args.epochs, args.lr, args.seed)


if __name__ == "__main__":
    main()
