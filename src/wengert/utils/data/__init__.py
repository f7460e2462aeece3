"""``wg.utils.data``: datasets, samplers and the ``DataLoader``, with PyTorch's API.

>>> import wengert as wg
>>> from wengert.utils.data import DataLoader, TensorDataset
>>> ds = TensorDataset(wg.arange(10.0).reshape(5, 2), wg.arange(5))
>>> [y.tolist() for _, y in DataLoader(ds, batch_size=2)]
[[0, 1], [2, 3], [4]]
"""

from . import datasets
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .loader import DataLoader, default_collate

__all__ = ["ConcatDataset", "DataLoader", "Dataset", "Subset", "TensorDataset",
           "datasets", "default_collate", "random_split"]
