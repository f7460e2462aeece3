"""Every script in examples/ runs (in its --quick form) and shows what it promises."""

import importlib
import importlib.util
import math
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

import wengert as wg

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module", autouse=True)
def examples_on_path():
    sys.path.insert(0, str(EXAMPLES))  # digits_cnn imports digits_mlp, as when run as a script
    yield
    sys.path.remove(str(EXAMPLES))


def run(name, *argv):
    module = importlib.import_module(name)
    return module.main(["--quick", *argv])


def test_every_example_has_a_test():
    scripts = {p.stem for p in EXAMPLES.glob("*.py")}
    assert scripts == {"linear_regression_seed000", "digits_mlp", "digits_cnn", "char_lstm",
                       "functional_training"}


def test_linear_regression_reproduces_the_seed_and_then_converges(capsys):
    out = run("linear_regression_seed000")
    assert out["prediction"] == pytest.approx(43.05, rel=1e-15)
    assert out["loss"] == pytest.approx(14871.8025, rel=1e-14)
    assert out["diverged_loss"] == pytest.approx(1026548766283.6302, rel=1e-12)
    assert out["curvature"] == pytest.approx(2 * (28.1**2 + 58.0**2 + 1))
    losses = out["losses"]
    assert all(b < a for a, b in zip(losses, losses[1:])) and out["final_loss"] < 1e-12
    printed = capsys.readouterr().out
    for line in ("prediction: 43.05", "loss: 14871.8025",
                 "loss after the seed's step (no learning rate): 1026548766283.6302",
                 "lr < 2 / 8309.22"):
        assert line in printed


def test_linear_regression_runs_as_a_script():
    done = subprocess.run([sys.executable, str(EXAMPLES / "linear_regression_seed000.py"),
                           "--steps", "3"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1026548766283.6302" in done.stdout and "after 3 steps" in done.stdout


@pytest.mark.parametrize("name", ["digits_mlp", "digits_cnn"])
def test_digits_classifiers_learn_and_survive_a_checkpoint(name, capsys):
    out = run(name)
    assert out["test_accuracy"] > 0.6  # chance is 0.1
    assert out["losses"][-1] < math.log(10)  # below the loss of a uniform guess
    assert out["reloaded_identical"] is True
    assert "identical test predictions: True" in capsys.readouterr().out


def test_char_lstm_learns_and_generates_text_of_the_requested_length(capsys):
    out = run("char_lstm", "--length", "50")
    losses = out["losses"]
    assert losses[0] == pytest.approx(out["uniform_loss"], abs=0.2)  # starts at a guess
    assert np.mean(losses[-5:]) < losses[0] - 0.2
    assert len(out["generated"]) == 50 and set(out["generated"]) <= set(out["vocab"])
    assert out["generated"] in capsys.readouterr().out


def test_char_lstm_text_is_the_generators_output():
    spec = importlib.util.spec_from_file_location("make_text", EXAMPLES / "data" / "make_text.py")
    make_text = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_text)
    committed = (EXAMPLES / "data" / "fables.txt").read_text()
    assert committed == make_text.text()
    assert 20_000 <= len(committed.encode()) <= 50_000


def test_functional_training_matches_backward_and_learns():
    out = run("functional_training")
    assert out["gradient_gap"] < 1e-6
    assert out["test_accuracy"] > 0.6 and out["losses"][-1] < out["losses"][0]
    assert math.isfinite(out["curvature"]) and out["curvature"] > 0  # cross-entropy is convex
    # the module itself was never trained: its parameters are not the trained ones
    model, params = out["model"], out["params"]
    for name, p in model.named_parameters():
        assert not np.allclose(p.detach().numpy(), params[name].numpy())
    assert all(type(p) is wg.Tensor for p in params.values())


DOCS_NN = (EXAMPLES.parent / "docs" / "nn.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", DOCS_NN, re.S)


def test_docs_nn_has_examples():
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_docs_nn_example(code):
    pytest.importorskip("safetensors")
    exec(compile(code, "docs/nn.md", "exec"), {})
