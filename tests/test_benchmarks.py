"""Smoke test of the benchmark suite: every workload module imports, and its smallest
workload's correctness check passes (values and gradients equal the references'). No
timing is asserted."""

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # make `benchmarks` importable

import wengert as wg  # noqa: E402
from benchmarks import (  # noqa: E402
    _harness,
    bench_cnn,
    bench_conv,
    bench_core,
    bench_cross_entropy,
    bench_digits,
    bench_func,
    bench_lstm,
    bench_memory,
    bench_mlp,
    run,
)
from benchmarks._training import check_training, paired, sgd  # noqa: E402


@pytest.fixture(autouse=True)
def _without_jax(request, monkeypatch):
    """JAX compiles every op on first use (seconds each): only the core test runs it."""
    if request.node.name != "test_core_chain_matches_every_reference":
        monkeypatch.setattr(_harness, "SKIPPED", _harness.SKIPPED | {"jax"})


def test_core_chain_matches_every_reference():
    x0 = np.linspace(-0.5, 0.5, 10).astype(np.float32)
    chain = bench_core.elementwise_chain
    assert "gradients" in bench_core.check(bench_core.steps(chain, x0, x0 + 1, True), chain,
                                           x0, x0 + 1, 1e-3, 1e-5)


def test_mlp_step_matches_every_reference_and_numpy_by_hand():
    params, x, y = bench_mlp.initial(sizes=(20, 16, 16, 4), batch=8)
    assert "NumPy by hand" in bench_mlp.check(bench_mlp.makers(), params, x, y)


@pytest.mark.parametrize("module", [bench_cnn, bench_lstm])
def test_training_step_matches_pytorch(module):
    w_model, t_model = paired(module.build)
    check_training(w_model, t_model, [module.batch()], sgd(wg), sgd(_harness.torch_module()))


def test_digits_models_are_the_demos_and_train_like_pytorch():
    w_model, t_model = paired(bench_digits.build("cnn"))
    assert list(w_model.state_dict()) == list(wg.demo.cnn().state_dict())
    data = bench_digits.batches()[:2]
    adam = bench_digits.adam
    check_training(w_model, t_model, data, adam(wg), adam(_harness.torch_module()), 1e-6,
                   1e-8, float64=True)


def test_function_transforms_match_references():
    rows = bench_func.jacobian_rows(3, 7, quick=True) + [bench_func.hvp_row(quick=True)]
    assert all(r["wengert_s"] > 0 for r in rows)


def test_conv_and_cross_entropy_match_pytorch():
    pytest.importorskip("torch")
    bench_conv.check(*bench_conv.make_inputs(8))
    assert bench_cross_entropy.run(quick=True)[0]["check"]


def test_memory_measures_peak_and_growth():
    params, x, y = bench_mlp.initial(sizes=(20, 16, 4), batch=8)
    assert bench_memory.step_peak(bench_mlp.make_numpy, params, x, y) > 0
    ours = bench_mlp.makers()["wengert"]
    assert abs(bench_memory.growth(ours, params, x, y, 3, 20)) <= bench_memory.GROWTH_TOLERANCE


def test_run_writes_a_report(tmp_path):
    out = tmp_path / "bench.md"
    assert run.main(["--quick", "--only", "cross_entropy", "--output", str(out)]) == 0
    text = out.read_text()
    assert "## Machine" in text and "cross_entropy" in text and "| Workload |" in text
