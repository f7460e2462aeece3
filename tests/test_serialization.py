"""wg.save / wg.load: safetensors with JSON structure, atomic, never pickle."""

import os
import pickle

import numpy as np
import pytest

import wengert as wg

pytest.importorskip("safetensors")


def test_round_trip_of_nested_state(tmp_path):
    state = {
        "model": {"0.weight": wg.randn(3, 4), "0.bias": wg.zeros(3, dtype=wg.float64),
                  "bn.num_batches_tracked": wg.tensor(5)},
        "optimizer": {"state": {0: {"step": 3.0, "exp_avg": wg.ones(3, 4)}},
                      "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), "params": [0],
                                        "amsgrad": False, "name": None}]},
        "epoch": 7, "mask": np.array([True, False]), "scalar": wg.tensor(2.5),
        "inf": float("inf"), "label": "digits",
    }
    path = tmp_path / "ckpt.safetensors"
    wg.save(state, path)
    back = wg.load(path)
    assert back["epoch"] == 7 and back["label"] == "digits" and back["inf"] == float("inf")
    assert back["optimizer"]["param_groups"][0]["betas"] == (0.9, 0.999)
    assert list(back["optimizer"]["state"]) == [0]  # int keys stay ints
    for key, t in state["model"].items():
        assert back["model"][key].dtype == t.dtype
        np.testing.assert_array_equal(back["model"][key].numpy(), t.numpy())
    assert isinstance(back["mask"], np.ndarray) and back["mask"].tolist() == [True, False]
    assert back["scalar"].shape == () and back["scalar"].item() == 2.5
    assert wg.load(str(path))["epoch"] == 7
    wg.save(wg.arange(3), path)
    assert wg.load(path).tolist() == [0, 1, 2]


def test_bad_files_give_clear_errors(tmp_path):
    good = tmp_path / "good.safetensors"
    wg.save({"w": wg.ones(100)}, good)
    data = good.read_bytes()
    (tmp_path / "truncated").write_bytes(data[: len(data) // 2])
    (tmp_path / "corrupt").write_bytes(data[:8] + b"\xff" * 20 + data[28:])
    (tmp_path / "pickle").write_bytes(pickle.dumps({"w": 1}))
    for name in ("truncated", "corrupt", "pickle"):
        with pytest.raises(ValueError, match="not a readable safetensors file"):
            wg.load(tmp_path / name)
    from safetensors.numpy import save_file

    save_file({"w": np.ones(2)}, str(tmp_path / "foreign"))
    with pytest.raises(ValueError, match="not written by wg.save"):
        wg.load(tmp_path / "foreign")
    with pytest.raises(FileNotFoundError):
        wg.load(tmp_path / "missing")
    with pytest.raises(TypeError, match=r"cannot save a builtin_function_or_method .*state_dict"):
        wg.save({"f": len}, tmp_path / "x")


def test_a_crash_mid_save_leaves_the_old_checkpoint(tmp_path, monkeypatch):
    path = tmp_path / "ckpt"
    wg.save({"step": 1}, path)

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        wg.save({"step": 2, "w": wg.ones(1000)}, path)
    monkeypatch.undo()
    assert wg.load(path) == {"step": 1}
    assert os.listdir(tmp_path) == ["ckpt"]  # no temporary file left behind
