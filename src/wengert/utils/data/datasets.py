"""Datasets that ship inside the package, so the demos need no network."""

from __future__ import annotations

from importlib import resources

import numpy as np

from ..._creation import as_tensor
from .dataset import TensorDataset


def digits(dtype=np.float32, normalize: bool = True) -> TensorDataset:
    """The UCI optical handwritten digits: 1,797 images of 8x8, labels 0..9.

    Images come as ``(1797, 1, 8, 8)`` tensors of ``dtype`` (pixel values
    0..16 divided by 16 when ``normalize``), labels as int64. Source and
    license (CC BY 4.0): ``DIGITS.md`` next to this module.

    >>> import wengert as wg
    >>> ds = wg.utils.data.datasets.digits()
    >>> len(ds), ds[0][0].shape, ds[0][1].item()
    (1797, (1, 8, 8), 0)
    """
    with resources.files(__package__).joinpath("digits.npz").open("rb") as f:
        data = np.load(f)
        images, targets = data["images"], data["targets"]
    images = images[:, None].astype(dtype)
    if normalize:
        images /= 16
    return TensorDataset(as_tensor(images), as_tensor(targets.astype(np.int64)))
