"""``DataLoader``: batches from a dataset, optionally shuffled with a seeded generator."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np

from ..._creation import as_tensor
from ..._tensor import TENSOR_TYPES, Tensor
from ...ops.shape import stack
from .dataset import Subset, TensorDataset, _generator


def default_collate(batch: Sequence):
    """Stack a list of samples into a batch, field by field (PyTorch's rules):
    tensors and arrays are stacked, numbers become a tensor, strings a list, and
    tuples, lists and dicts are collated per element or key."""
    first = batch[0]
    if type(first) in TENSOR_TYPES:
        return stack(list(batch))
    if isinstance(first, np.ndarray):
        return as_tensor(np.stack(batch))
    if isinstance(first, (bool, np.bool_)):
        return as_tensor(np.array(batch, dtype=bool))
    if isinstance(first, (int, np.integer)):
        return as_tensor(np.array(batch, dtype=np.int64))
    if isinstance(first, (float, np.floating)):
        return as_tensor(np.array(batch, dtype=np.float64))
    if isinstance(first, (str, bytes)):
        return list(batch)
    if isinstance(first, Mapping):
        return {key: default_collate([sample[key] for sample in batch]) for key in first}
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # a namedtuple
        return type(first)(*(default_collate(list(field)) for field in zip(*batch)))
    if isinstance(first, (tuple, list)):
        if any(len(sample) != len(first) for sample in batch):
            raise RuntimeError("default_collate: every sample in a batch needs the same "
                               "number of fields")
        return [default_collate(list(field)) for field in zip(*batch)]
    raise TypeError(f"default_collate: cannot batch samples of type {type(first).__name__} "
                    "(pass a collate_fn)")


class DataLoader:
    """Iterate over ``dataset`` in batches.

    Args:
        batch_size: samples per batch (``None``: samples one at a time, unbatched).
        shuffle: a new random order every epoch, drawn from ``generator`` (a NumPy
            ``Generator`` or an int seed; default: wengert's global generator, so
            ``wg.manual_seed`` makes runs repeatable).
        sampler / batch_sampler: iterables of indices / of index lists, instead.
        drop_last: drop a last, incomplete batch.
        collate_fn: turns a list of samples into a batch (default ``default_collate``).
        num_workers: accepted for compatibility, like the other worker and memory-pinning
            options; loading always runs in the calling process (NumPy does the work;
            there is no worker pool).

    A ``TensorDataset`` (or a ``Subset`` of one) with the default collate is
    indexed once per batch, not once per sample.
    """

    def __init__(self, dataset, batch_size: int | None = 1, shuffle: bool = False,
                 sampler=None, batch_sampler=None, num_workers: int = 0,
                 collate_fn: Callable | None = None, pin_memory: bool = False,
                 drop_last: bool = False, timeout: float = 0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None,
                 persistent_workers: bool = False, pin_memory_device: str = "",
                 in_order: bool = True):
        if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
            raise ValueError(f"DataLoader: batch_size must be a positive int or None, got "
                             f"{batch_size!r}")
        if shuffle and sampler is not None:
            raise ValueError("DataLoader: pass either shuffle=True or a sampler, not both")
        if batch_sampler is not None and (batch_size != 1 or shuffle or sampler is not None
                                          or drop_last):
            raise ValueError("DataLoader: batch_sampler excludes batch_size, shuffle, sampler "
                             "and drop_last")
        self.dataset, self.batch_size, self.shuffle = dataset, batch_size, shuffle
        self.sampler, self.batch_sampler, self.drop_last = sampler, batch_sampler, drop_last
        self.collate_fn = collate_fn
        self.num_workers = num_workers
        self._rng = _generator(generator) if shuffle else None

    def _order(self) -> Iterator[int]:
        if self.sampler is not None:
            return iter(self.sampler)
        n = len(self.dataset)
        return iter(self._rng.permutation(n) if self.shuffle else range(n))

    def _batches(self) -> Iterator[list[int]]:
        if self.batch_sampler is not None:
            yield from self.batch_sampler
            return
        batch: list[int] = []
        for index in self._order():
            batch.append(int(index))
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __iter__(self):
        collate = self.collate_fn or default_collate
        if self.batch_size is None and self.batch_sampler is None:
            for index in self._order():
                sample = self.dataset[int(index)]
                yield sample if self.collate_fn is None else collate(sample)
            return
        tensors = _tensors_of(self.dataset) if self.collate_fn is None else None
        for batch in self._batches():
            if tensors is not None:  # one fancy index per tensor, not one per sample
                rows = np.asarray(batch)
                yield [t[rows] for t in tensors]
            else:
                yield collate([self.dataset[i] for i in batch])

    def __len__(self) -> int:
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.sampler) if self.sampler is not None else len(self.dataset)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)


def _tensors_of(dataset) -> tuple[Tensor, ...] | None:
    """The tensors behind a ``TensorDataset`` (or a ``Subset`` of one), else None."""
    if isinstance(dataset, TensorDataset):
        return dataset.tensors
    if isinstance(dataset, Subset) and isinstance(dataset.dataset, TensorDataset):
        index = np.asarray(dataset.indices)
        return tuple(t[index] for t in dataset.dataset.tensors)
    return None
