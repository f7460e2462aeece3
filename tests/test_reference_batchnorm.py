"""The fused ``batch_norm`` primitive (and instance/group norm, built on it) against
PyTorch: values, running statistics, first-order gradients of every input and a
Hessian-vector product (``create_graph``), float64; float32 values and gradients; the
``BatchNorm`` modules in training and evaluation, with ``momentum=None``."""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")
TF = torch.nn.functional
F = wg.nn.functional

rng = np.random.default_rng(2024)


def _pair(a, grad=True):
    return (wg.tensor(a, requires_grad=grad), torch.tensor(a, requires_grad=grad))


def _compare(w_fn, t_fn, arrays, second_order=True, rtol=1e-10, atol=1e-12):
    """Value, gradient of ``<u, out>`` and its Hessian-vector product, for every array."""
    w_in, t_in = zip(*(_pair(a) for a in arrays))
    w_out, t_out = w_fn(*w_in), t_fn(*t_in)
    np.testing.assert_allclose(w_out.detach().numpy(), t_out.detach().numpy(), rtol=rtol,
                               atol=atol)
    u = rng.standard_normal(t_out.shape).astype(arrays[0].dtype)
    w_g = wg.grad((w_out * wg.tensor(u)).sum(), list(w_in), create_graph=second_order)
    t_g = torch.autograd.grad((t_out * torch.tensor(u)).sum(), list(t_in),
                              create_graph=second_order)
    for a, b in zip(w_g, t_g):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=rtol,
                                   atol=atol)
    if not second_order:
        return
    vs = [rng.standard_normal(a.shape) for a in arrays]
    w_s = sum((g * wg.tensor(v)).sum() for g, v in zip(w_g, vs))
    t_s = sum((g * torch.tensor(v)).sum() for g, v in zip(t_g, vs))
    w_h = wg.grad(w_s, list(w_in), allow_unused=True)
    t_h = torch.autograd.grad(t_s, list(t_in), allow_unused=True)
    for a, b, arr in zip(w_h, t_h, arrays):  # (None: no second derivative, as zeros)
        a = np.zeros(arr.shape) if a is None else a.numpy()
        b = np.zeros(arr.shape) if b is None else b.numpy()
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-10)


SHAPES = [(5, 3), (4, 3, 5), (3, 2, 4, 3), (2, 2, 3, 2, 2)]


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("affine", ["both", "weight", "none"])
def test_training_values_and_derivatives(shape, affine):
    c = shape[1]
    x = rng.standard_normal(shape) * 3 + 1
    params = {"both": [rng.uniform(0.5, 2, c), rng.standard_normal(c)],
              "weight": [rng.uniform(0.5, 2, c)], "none": []}[affine]

    def call(lib):
        fn = F.batch_norm if lib == "wg" else TF.batch_norm

        def f(x, *p):
            w = p[0] if p else None
            b = p[1] if len(p) > 1 else None
            return fn(x, None, None, w, b, training=True, eps=1e-3)
        return f

    _compare(call("wg"), call("torch"), [x, *params])


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_evaluation_values_and_derivatives(shape):
    c = shape[1]
    rm, rv = rng.standard_normal(c), rng.uniform(0.5, 2, c)
    arrays = [rng.standard_normal(shape), rng.uniform(0.5, 2, c), rng.standard_normal(c)]
    _compare(lambda x, w, b: F.batch_norm(x, wg.tensor(rm), wg.tensor(rv), w, b),
             lambda x, w, b: TF.batch_norm(x, torch.tensor(rm), torch.tensor(rv), w, b),
             arrays)


def test_float32_values_and_gradients():
    x = (rng.standard_normal((64, 16, 8, 8)) * 2 + 5).astype(np.float32)
    w, b = rng.uniform(0.5, 2, 16).astype(np.float32), rng.standard_normal(16).astype(np.float32)
    _compare(lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
             lambda x, w, b: TF.batch_norm(x, None, None, w, b, training=True),
             [x, w, b], second_order=False, rtol=2e-4, atol=2e-5)


def test_running_statistics_and_forward_mode():
    x = rng.standard_normal((6, 3, 4))
    w_stats = [wg.tensor(np.zeros(3)), wg.tensor(np.ones(3))]
    t_stats = [torch.tensor(np.zeros(3)), torch.tensor(np.ones(3))]
    for _ in range(2):
        F.batch_norm(wg.tensor(x), *w_stats, training=True, momentum=0.3)
        TF.batch_norm(torch.tensor(x), *t_stats, training=True, momentum=0.3)
    for a, b in zip(w_stats, t_stats):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)
    # forward mode: the JVP equals PyTorch's
    t = rng.standard_normal(x.shape)
    _, w_jvp = wg.func.jvp(lambda x: F.batch_norm(x, None, None, training=True),
                           (wg.tensor(x),), (wg.tensor(t),))
    _, t_jvp = torch.func.jvp(lambda x: TF.batch_norm(x, None, None, training=True),
                              (torch.tensor(x),), (torch.tensor(t),))
    np.testing.assert_allclose(w_jvp.numpy(), t_jvp.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("dims", [1, 2, 3])
@pytest.mark.parametrize("momentum", [0.1, None])
def test_modules_train_then_eval(dims, momentum):
    shape = {1: (8, 4, 3), 2: (4, 4, 3, 3), 3: (2, 4, 2, 3, 2)}[dims]
    w_m = getattr(wg.nn, f"BatchNorm{dims}d")(4, momentum=momentum, dtype=wg.float64)
    t_m = getattr(torch.nn, f"BatchNorm{dims}d")(4, momentum=momentum, dtype=torch.float64)
    for _ in range(3):
        x = rng.standard_normal(shape)
        np.testing.assert_allclose(w_m(wg.tensor(x)).detach().numpy(),
                                   t_m(torch.tensor(x)).detach(),
                                   rtol=1e-10, atol=1e-12)
    for name, buf in w_m.state_dict().items():
        np.testing.assert_allclose(buf.numpy(), t_m.state_dict()[name].numpy(), rtol=1e-12)
    w_m.eval(), t_m.eval()
    x = rng.standard_normal(shape)
    np.testing.assert_allclose(w_m(wg.tensor(x)).detach().numpy(),
                               t_m(torch.tensor(x)).detach(),
                               rtol=1e-10, atol=1e-12)


def test_instance_and_group_norm():
    x = rng.standard_normal((3, 4, 5))
    w, b = rng.uniform(0.5, 2, 4), rng.standard_normal(4)
    _compare(lambda x, w, b: F.instance_norm(x, weight=w, bias=b),
             lambda x, w, b: TF.instance_norm(x, weight=w, bias=b), [x, w, b])
    _compare(lambda x, w, b: F.group_norm(x, 2, w, b),
             lambda x, w, b: TF.group_norm(x, 2, w, b), [x, w, b])
