"""wg.utils.data: datasets, DataLoader, random_split, the embedded digits."""

import numpy as np
import pytest

import wengert as wg
from wengert.utils.data import (
    ConcatDataset,
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)
from wengert.utils.data.datasets import digits


def test_tensor_dataset_batches_in_order_and_the_last_partial():
    x, y = wg.arange(20.0).reshape(10, 2), wg.arange(10)
    batches = list(DataLoader(TensorDataset(x, y), batch_size=4))
    assert [b[1].tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert batches[0][0].shape == (4, 2) and batches[0][0].dtype == x.dtype
    assert len(DataLoader(TensorDataset(x, y), batch_size=4)) == 3
    dropped = DataLoader(TensorDataset(x, y), batch_size=4, drop_last=True)
    assert len(dropped) == 2 and [len(b[1]) for b in dropped] == [4, 4]


def test_shuffle_is_seeded_and_new_each_epoch():
    ds = TensorDataset(wg.arange(50))
    a = DataLoader(ds, batch_size=10, shuffle=True, generator=7)
    b = DataLoader(ds, batch_size=10, shuffle=True, generator=np.random.default_rng(7))
    epoch1 = np.concatenate([t[0].numpy() for t in a])
    assert epoch1.tolist() == np.concatenate([t[0].numpy() for t in b]).tolist()
    epoch2 = np.concatenate([t[0].numpy() for t in a])
    assert sorted(epoch1) == list(range(50)) and epoch1.tolist() != epoch2.tolist()
    wg.manual_seed(3)
    c = [t[0].tolist() for t in DataLoader(ds, batch_size=25, shuffle=True)]
    wg.manual_seed(3)
    assert c == [t[0].tolist() for t in DataLoader(ds, batch_size=25, shuffle=True)]


class Squares(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {"x": np.full(2, float(i)), "y": i * i, "name": f"s{i}"}


def test_default_collate_of_dicts_numbers_strings_and_a_custom_collate():
    (batch,) = list(DataLoader(Squares(), batch_size=5))
    assert batch["x"].shape == (5, 2) and batch["y"].tolist() == [0, 1, 4, 9, 16]
    assert batch["y"].dtype == np.int64 and batch["name"] == ["s0", "s1", "s2", "s3", "s4"]
    assert default_collate([1.5, 2.5]).dtype == np.float64
    sums = list(DataLoader(Squares(), batch_size=2, collate_fn=lambda b: sum(s["y"] for s in b)))
    assert sums == [1, 13, 16]
    assert [s["y"] for s in DataLoader(Squares(), batch_size=None)] == [0, 1, 4, 9, 16]


def test_random_split_subset_and_concat():
    ds = TensorDataset(wg.arange(10))
    a, b = random_split(ds, [7, 3], generator=0)
    assert len(a) == 7 and len(b) == 3
    assert sorted(a.indices + b.indices) == list(range(10))
    parts = random_split(ds, [0.5, 0.3, 0.2], generator=0)
    assert [len(p) for p in parts] == [5, 3, 2]
    sub = Subset(ds, [9, 0, 4])
    assert [t[0].tolist() for t in DataLoader(sub, batch_size=2)] == [[9, 0], [4]]
    both = ConcatDataset([sub, ds])
    assert len(both) == 13 and both[3][0].item() == 0 and both[-1][0].item() == 9
    with pytest.raises(ValueError, match="sum to 9, but the dataset has 10"):
        random_split(ds, [5, 4])


def test_bad_loader_arguments():
    ds = TensorDataset(wg.arange(10))
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        DataLoader(ds, batch_size=0)
    with pytest.raises(ValueError, match="shuffle=True or a sampler"):
        DataLoader(ds, shuffle=True, sampler=[0, 1])
    with pytest.raises(ValueError, match="same first dimension"):
        TensorDataset(wg.zeros(3), wg.zeros(4))
    with pytest.raises(TypeError, match="cannot batch samples of type object"):
        default_collate([object(), object()])


def test_digits_ship_with_the_package():
    ds = digits()
    x, y = ds.tensors
    assert x.shape == (1797, 1, 8, 8) and x.dtype == np.float32 and y.dtype == np.int64
    assert float(x.max()) == 1.0 and float(x.min()) == 0.0
    assert np.bincount(y.numpy()).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    raw = digits(dtype=np.float64, normalize=False).tensors[0]
    assert raw.dtype == np.float64 and float(raw.max()) == 16.0


def test_unknown_loader_arguments_are_refused():
    with pytest.raises(TypeError, match="shufle"):
        DataLoader(TensorDataset(wg.arange(3)), shufle=True)
    DataLoader(TensorDataset(wg.arange(3)), num_workers=2, persistent_workers=True,
               pin_memory=True, prefetch_factor=2)  # accepted, loading stays in-process
