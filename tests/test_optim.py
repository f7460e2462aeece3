"""Optimizers and schedulers against PyTorch: the same updates, step for step."""

import math

import numpy as np
import pytest

import wengert as wg
from wengert import optim

torch = pytest.importorskip("torch")

SHAPES = [(3, 4), (4,), (), (70, 500)]  # (70, 500): updated in two pieces


def gradient(p: np.ndarray) -> np.ndarray:
    """A gradient field that depends on the parameters (so the trajectories can diverge)."""
    return np.sin(3 * p) + 0.3 * p - 0.1


def run_both(make_wg, make_torch, steps=20, closure=False, maximize_sign=1):
    rng = np.random.default_rng(0)
    init = [rng.standard_normal(s) for s in SHAPES]
    wp = [wg.tensor(a.copy(), requires_grad=True) for a in init]
    tp = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    wopt, topt = make_wg(wp), make_torch(tp)
    for _ in range(steps):
        for w, t in zip(wp, tp):
            w.grad = wg.tensor(gradient(w.detach().numpy()))
            t.grad = torch.tensor(gradient(t.detach().numpy()))
        wopt.step()
        topt.step()
    for w, t in zip(wp, tp):
        np.testing.assert_allclose(w.detach().numpy(), t.detach().numpy(), rtol=1e-12,
                                   atol=1e-12)
    return wopt, topt


CONFIGS = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.5, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.02, weight_decay=0.1, amsgrad=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True, weight_decay=0.01)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1)),
]


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
def test_optimizer_matches_pytorch(name, kwargs):
    run_both(lambda ps: getattr(optim, name)(ps, **kwargs),
             lambda ps: getattr(torch.optim, name)(ps, **kwargs))


@pytest.mark.parametrize(("name", "kwargs"), CONFIGS,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(CONFIGS)])
def test_updates_in_pieces_equal_whole_updates(name, kwargs, monkeypatch):
    """Updates run in place on pieces of the arrays (scratch that stays in cache): any
    piece size gives the bits of one piece, for contiguous and strided parameters."""
    from wengert.optim import optimizer

    rng = np.random.default_rng(2)
    init = [rng.standard_normal(s).astype(np.float32) for s in [(37, 29), (5,), ()]]
    init.append(rng.standard_normal((29, 37)).astype(np.float32).T)  # not C-contiguous
    results = []
    for piece_bytes in (1 << 30, 64, 100):  # one piece; 16 floats; 25 floats
        monkeypatch.setattr(optimizer, "PIECE_BYTES", piece_bytes)
        ps = [wg.from_numpy(a.copy(order="K")).requires_grad_() for a in init]
        opt = getattr(optim, name)(ps, **kwargs)
        for _ in range(4):
            for p in ps:
                p.grad = wg.tensor(gradient(p.detach().numpy()))
            opt.step()
        results.append([p.detach().numpy() for p in ps]
                       + [np.asarray(v) for p in ps for v in opt.state.get(p, {}).values()])
    assert not ps[-1].detach().numpy().flags.c_contiguous
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)


def test_step_counts_as_an_in_place_change():
    """A parameter updated by step() has a new version: a graph that saved the old value
    refuses to backward (as in PyTorch), instead of using the new one silently."""
    w = wg.tensor([1.0, 2.0], requires_grad=True)
    loss = (w * w).sum()  # saves w
    w.grad = wg.ones(2)
    optim.SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match="modified by an in-place operation"):
        loss.backward()


@pytest.mark.parametrize("line_search", [None, "strong_wolfe"])
def test_lbfgs_matches_pytorch_on_rosenbrock(line_search):
    def rosenbrock(lib, x):
        return ((1 - x[:-1]) ** 2).sum() + 100 * ((x[1:] - x[:-1] ** 2) ** 2).sum()

    start = np.array([-1.2, 1.0, -0.5, 0.8])
    results = []
    for lib, tensor, make in [(wg, wg.tensor, optim.LBFGS), (torch, torch.tensor,
                                                           torch.optim.LBFGS)]:
        x = tensor(start.copy(), requires_grad=True)
        opt = make([x], lr=1, max_iter=12, history_size=5, line_search_fn=line_search)

        def closure(x=x, opt=opt, lib=lib):
            opt.zero_grad()
            loss = rosenbrock(lib, x)
            loss.backward()
            return loss

        for _ in range(2):  # Rosenbrock amplifies rounding: longer runs drift apart slowly
            opt.step(closure)
        results.append(x.detach().numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-8, atol=1e-8)


def test_state_dict_round_trip_continues_identically():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((3, 4))
    p, q = wg.tensor(a.copy(), requires_grad=True), wg.tensor(a.copy(), requires_grad=True)
    opt_p = optim.AdamW([p], lr=0.01, amsgrad=True)
    for _ in range(5):
        p.grad = wg.tensor(gradient(p.detach().numpy()))
        opt_p.step()
    q.detach()._data[...] = p.detach().numpy()
    opt_q = optim.AdamW([q], lr=0.5)
    opt_q.load_state_dict(opt_p.state_dict())
    assert opt_q.param_groups[0]["lr"] == 0.01 and opt_q.param_groups[0]["amsgrad"]
    for _ in range(5):
        for t, o in ((p, opt_p), (q, opt_q)):
            t.grad = wg.tensor(gradient(t.detach().numpy()))
            o.step()
    np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


def test_param_groups_and_zero_grad():
    a, b = wg.zeros(2, requires_grad=True), wg.zeros(3, requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["momentum"] == 0.9
    (a.sum() + b.sum()).backward()
    opt.step()
    assert a.tolist() == pytest.approx([-0.1, -0.1]) and b.tolist() == pytest.approx([-0.5] * 3)
    opt.zero_grad()
    assert a.grad is None and b.grad is None
    c = wg.zeros(2, requires_grad=True)
    (c * 2).sum().backward()
    opt.add_param_group({"params": [c]})
    opt.zero_grad(set_to_none=False)
    assert c.grad.tolist() == [0.0, 0.0]


def test_bad_inputs():
    w = wg.zeros(2, requires_grad=True)
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(TypeError, match="single Tensor"):
        optim.SGD(w, lr=0.1)
    with pytest.raises(ValueError, match="invalid learning rate -1"):
        optim.Adam([w], lr=-1)
    with pytest.raises(ValueError, match="invalid betas"):
        optim.Adam([w], betas=(0.9, 1.5))
    with pytest.raises(ValueError, match="more than one parameter group"):
        optim.SGD([{"params": [w]}, {"params": [w]}], lr=0.1)
    with pytest.raises(ValueError, match="non-leaf"):
        optim.SGD([w * 2], lr=0.1)
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD([w], lr=0.1, nesterov=True)
    opt = optim.Adam([w])
    with pytest.raises(ValueError, match="2 parameter groups"):
        opt.load_state_dict({"state": {}, "param_groups": [{"params": [0]}, {"params": [1]}]})


# -- schedulers ------------------------------------------------------------------------

SCHEDULERS = [
    ("StepLR", dict(step_size=3, gamma=0.5)),
    ("MultiStepLR", dict(milestones=[2, 5, 5, 9], gamma=0.3)),
    ("ExponentialLR", dict(gamma=0.9)),
    ("CosineAnnealingLR", dict(T_max=7, eta_min=0.01)),
    ("LambdaLR", dict(lr_lambda=lambda e: 1 / (1 + e) ** 0.5)),
    ("OneCycleLR", dict(max_lr=1.0, total_steps=30)),
    ("OneCycleLR", dict(max_lr=[1.0, 0.5], total_steps=30, anneal_strategy="linear",
                        three_phase=True)),
]


@pytest.mark.parametrize(("name", "kwargs"), SCHEDULERS,
                         ids=[f"{n}-{i}" for i, (n, _) in enumerate(SCHEDULERS)])
@pytest.mark.parametrize("opt_name", ["SGD", "Adam"])
def test_scheduler_sequence_matches_pytorch(name, kwargs, opt_name):
    extra = {"momentum": 0.9} if opt_name == "SGD" else {}
    sequences = []
    for tensor, make_opt, sched_mod in [
            (wg.zeros, getattr(optim, opt_name), optim.lr_scheduler),
            (torch.zeros, getattr(torch.optim, opt_name), torch.optim.lr_scheduler)]:
        groups = [{"params": [tensor(2, requires_grad=True)]},
                  {"params": [tensor(1, requires_grad=True)], "lr": 0.3}]
        opt = make_opt(groups, lr=0.1, **extra)
        sched = getattr(sched_mod, name)(opt, **kwargs)
        seq = []
        for _ in range(30 if name != "OneCycleLR" else 29):
            opt.step()
            sched.step()
            seq.append([(g["lr"], g.get("momentum"), g.get("betas")) for g in opt.param_groups])
        sequences.append(seq)
    assert sequences[0] == sequences[1]


def test_reduce_lr_on_plateau_matches_pytorch():
    metrics = [1.0, 0.9, 0.9, 0.95, 0.91, 0.9, 0.89, 0.9, 0.9, 0.9, 0.9, 0.5, 0.6, 0.7, 0.8]
    sequences = []
    for tensor, make_opt, sched_mod in [(wg.zeros, optim.SGD, optim.lr_scheduler),
                                        (torch.zeros, torch.optim.SGD, torch.optim.lr_scheduler)]:
        opt = make_opt([tensor(1, requires_grad=True)], lr=1.0)
        sched = sched_mod.ReduceLROnPlateau(opt, patience=1, cooldown=1, factor=0.5,
                                            min_lr=0.1)
        seq = []
        for m in metrics:
            sched.step(m)
            seq.append(opt.param_groups[0]["lr"])
        sequences.append(seq)
    assert sequences[0] == sequences[1]


def test_cosine_annealing_restarts_upward_after_t_max():
    opt = optim.SGD([wg.zeros(1, requires_grad=True)], lr=1.0)
    sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(8):
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    assert lrs[4] == pytest.approx(0.0, abs=1e-15) and lrs[8] == pytest.approx(1.0)
    assert lrs[2] == pytest.approx((1 + math.cos(math.pi / 2)) / 2)
