"""``wengert train``: the digits demo from the command line, its checkpoint and its plot."""

import builtins
import re

import numpy as np
import pytest

import wengert as wg
from wengert import demo
from wengert.cli import main

pytest.importorskip("safetensors")


def train_cli(capsys, *argv):
    assert main(["train", "--no-progress", *argv]) == 0
    return capsys.readouterr().out


def reported(out, field):
    return float(re.search(rf"^  {field} +([\d.]+)", out, re.M).group(1))


def test_train_mlp_prints_the_result_and_saves_a_checkpoint(capsys, tmp_path):
    path = tmp_path / "mlp.safetensors"
    out = train_cli(capsys, "--epochs", "2", "--checkpoint", str(path))
    assert out.startswith("Trained mlp on digits:\n")
    assert reported(out, "epochs") == 2
    accuracy = reported(out, "test accuracy")
    assert 0.8 < accuracy <= 1.0  # two epochs of Adam; chance is 0.1
    assert reported(out, "final loss") < np.log(10)
    assert f"checkpoint      {path} (wg.load to read it back)" in out

    checkpoint = wg.load(path)
    assert checkpoint["model_kind"] == "mlp" and checkpoint["epochs"] == 2
    assert round(checkpoint["test_accuracy"], 4) == accuracy
    assert checkpoint["optimizer"]["param_groups"][0]["lr"] == demo.DEFAULT_LR["adam"]
    model = demo.mlp()
    model.load_state_dict(checkpoint["model"])  # the file holds the trained model:
    _, test_set = demo.split()
    assert demo.evaluate(model, wg.utils.data.DataLoader(test_set, batch_size=512)) \
        == checkpoint["test_accuracy"]


def test_train_cnn(capsys, tmp_path):
    path = tmp_path / "cnn.safetensors"
    out = train_cli(capsys, "--model", "cnn", "--epochs", "1", "--checkpoint", str(path))
    assert out.startswith("Trained cnn on digits:\n") and reported(out, "epochs") == 1
    assert reported(out, "test accuracy") > 0.5
    state = wg.load(path)["model"]
    assert state["1.running_mean"].shape == (16,) and state["1.num_batches_tracked"].item() > 0


def test_no_checkpoint_with_an_empty_path(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = train_cli(capsys, "--epochs", "1", "--checkpoint", "", "--optimizer", "sgd")
    assert "checkpoint" not in out and list(tmp_path.iterdir()) == []


def test_plot_writes_a_png(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "curves.png"
    out = train_cli(capsys, "--epochs", "2", "--checkpoint", "", "--plot", str(png))
    assert f"curves          {png}" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 1000


def test_plot_without_matplotlib_is_a_usage_error(capsys, tmp_path, monkeypatch):
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    trained = []
    monkeypatch.setattr(demo, "_progress", lambda *a: trained.append(1))
    png = tmp_path / "curves.png"
    with pytest.raises(SystemExit) as exit_:
        main(["train", "--epochs", "1", "--checkpoint", "", "--plot", str(png)])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "wengert: error: train: --plot needs matplotlib: pip install 'wengert[plot]'" \
        in err
    assert not trained and not png.exists()  # it failed before training


def test_bad_options_are_usage_errors(capsys):
    for argv in (["--epochs", "0"], ["--model", "rnn"], ["--optimizer", "lbfgs"]):
        with pytest.raises(SystemExit) as exit_:
            main(["train", *argv])
        assert exit_.value.code == 2
    assert "must be a positive integer" in capsys.readouterr().err
