"""nn.RNN / LSTM / GRU and their cells against PyTorch: outputs, final states and every
gradient (inputs, initial states, parameters), to first and second order and in forward
mode, over the layers' options (num_layers, bidirectional, batch_first, bias, initial
states, unbatched input, dropout between layers, an LSTM's proj_size); and the paths of
``rnn_scan``'s backward pass that a plain backward does not take (a retained graph's
second pass, saved-tensor hooks)."""

import numpy as np
import pytest

import wengert as wg
from wengert import nn

torch = pytest.importorskip("torch")

# PyTorch's CPU LSTM says, once, that its projection does not use oneDNN: not ours to see
pytestmark = pytest.mark.filterwarnings("ignore:LSTM with projections is not supported")

RTOL, ATOL = 1e-9, 1e-12


def close(a, b, what=""):
    a = a.detach().numpy() if hasattr(a, "detach") else a
    np.testing.assert_allclose(a, b.detach().numpy(), rtol=RTOL, atol=ATOL, err_msg=what)


def pair(name, *args, **kwargs):
    """The layer in both libraries, float64, wengert with PyTorch's weights."""
    torch.manual_seed(0)
    t = getattr(torch.nn, name)(*args, **kwargs).double()
    w = getattr(nn, name)(*args, **kwargs).double()
    assert list(w.state_dict()) == list(t.state_dict())
    w.load_state_dict({k: v.numpy() for k, v in t.state_dict().items()})
    return w, t


def leaves(*arrays):
    return ([wg.tensor(a, requires_grad=True) for a in arrays],
            [torch.tensor(a, requires_grad=True) for a in arrays])


def flat(out):
    """A layer's outputs as a flat list of tensors."""
    if isinstance(out, tuple):
        return [t for o in out for t in flat(o)]
    return [out]


def loss(outs, weights, lib):
    """A loss that gives each output (and each element) a different weight."""
    total = 0
    for o, u in zip(outs, weights):
        total = total + (o * lib.tensor(u)).sum() + (o * o).sum() / 2
    return total


LAYERS = [
    ("LSTM", {}),
    ("LSTM", {"num_layers": 2, "bidirectional": True}),
    ("LSTM", {"batch_first": True, "bias": False}),
    ("LSTM", {"num_layers": 3, "batch_first": True, "bidirectional": True}),
    ("GRU", {}),
    ("GRU", {"num_layers": 2, "bidirectional": True, "batch_first": True}),
    ("GRU", {"bias": False, "bidirectional": True}),
    ("RNN", {"num_layers": 2, "bidirectional": True}),
    ("RNN", {"nonlinearity": "relu", "num_layers": 2}),
    ("RNN", {"nonlinearity": "relu", "bias": False, "bidirectional": True}),
    ("LSTM", {"proj_size": 2}),
    ("LSTM", {"proj_size": 3, "num_layers": 2, "bidirectional": True}),
    ("LSTM", {"proj_size": 1, "batch_first": True, "bias": False, "bidirectional": True}),
    ("LSTM", {"proj_size": 2, "num_layers": 3, "batch_first": True}),
]


def _compare_outputs_and_gradients(w, t, w_in, t_in, w_out, t_out, rng):
    """Outputs equal; then, for one random weighting of them, every input, state and
    parameter gradient equal."""
    for a, b in zip(w_out, t_out):
        assert tuple(a.shape) == tuple(b.shape)
        close(a, b, "output")
    weights = [rng.standard_normal(tuple(o.shape)) for o in t_out]
    loss(w_out, weights, wg).backward()
    loss(t_out, weights, torch).backward()
    for a, b in zip(w_in, t_in):
        close(a.grad, b.grad, "input or state gradient")
    for (key, p), q in zip(w.named_parameters(), t.parameters()):
        close(p.grad, q.grad, key)


def _ids(specs):
    return [f"{n}-{'-'.join(f'{k}={v}' for k, v in kw.items()) or 'default'}"
            for n, kw in specs]


@pytest.mark.parametrize("initial", [False, True], ids=["zero-state", "given-state"])
@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("spec", LAYERS, ids=_ids(LAYERS))
def test_layer_values_and_gradients_match_pytorch(spec, batched, initial):
    name, kwargs = spec
    w, t = pair(name, 3, 4, **kwargs)
    rng = np.random.default_rng(1)
    steps, batch = 5, 2
    shape = (batch, steps, 3) if kwargs.get("batch_first") else (steps, batch, 3)
    arrays = [rng.standard_normal(shape if batched else (steps, 3))]
    if initial:  # h_0 is proj_size wide with a projection, c_0 always hidden_size (4)
        layers = kwargs.get("num_layers", 1) * (2 if kwargs.get("bidirectional") else 1)
        widths = [kwargs.get("proj_size") or 4] + ([4] if name == "LSTM" else [])
        arrays += [rng.standard_normal((layers, batch, n) if batched else (layers, n))
                   for n in widths]
    w_in, t_in = leaves(*arrays)
    state_w = None if not initial else (tuple(w_in[1:]) if name == "LSTM" else w_in[1])
    state_t = None if not initial else (tuple(t_in[1:]) if name == "LSTM" else t_in[1])
    w_out, t_out = flat(w(w_in[0], state_w)), flat(t(t_in[0], state_t))
    _compare_outputs_and_gradients(w, t, w_in, t_in, w_out, t_out, rng)


CELLS = [("LSTMCell", {}), ("LSTMCell", {"bias": False}), ("GRUCell", {}),
         ("GRUCell", {"bias": False}), ("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"})]


@pytest.mark.parametrize("batched", [True, False], ids=["batched", "unbatched"])
@pytest.mark.parametrize("spec", CELLS, ids=_ids(CELLS))
def test_cell_values_and_gradients_match_pytorch(spec, batched):
    name, kwargs = spec
    w, t = pair(name, 3, 4, **kwargs)
    rng = np.random.default_rng(2)
    lead = (2,) if batched else ()
    arrays = [rng.standard_normal(lead + (3,))]
    arrays += [rng.standard_normal(lead + (4,)) for _ in range(2 if name == "LSTMCell" else 1)]
    w_in, t_in = leaves(*arrays)
    lstm = name == "LSTMCell"
    w_out = flat(w(w_in[0], tuple(w_in[1:]) if lstm else w_in[1]))
    t_out = flat(t(t_in[0], tuple(t_in[1:]) if lstm else t_in[1]))
    _compare_outputs_and_gradients(w, t, w_in, t_in, w_out, t_out, rng)
    # a cell without a state starts from zeros
    close(flat(w(w_in[0]))[0], flat(t(t_in[0]))[0], "output from the zero state")


SECOND_ORDER = [("LSTM", {"num_layers": 2, "bidirectional": True}),
                ("GRU", {"bidirectional": True}), ("RNN", {"num_layers": 2}),
                ("RNN", {"nonlinearity": "relu"}),
                ("LSTM", {"num_layers": 2, "bidirectional": True, "proj_size": 3}),
                ("LSTM", {"batch_first": True, "proj_size": 1})]


@pytest.mark.parametrize("spec", SECOND_ORDER, ids=_ids(SECOND_ORDER))
def test_second_order_matches_pytorch(spec):
    """The gradient of a function of the first-order gradients (create_graph)."""
    name, kwargs = spec
    w, t = pair(name, 3, 4, **kwargs)
    rng = np.random.default_rng(3)
    w_x, t_x = leaves(rng.standard_normal((4, 2, 3)))
    w_params, t_params = list(w.parameters()), list(t.parameters())
    w_g = wg.grad((w(w_x[0])[0] ** 2).sum(), [w_x[0], *w_params], create_graph=True)
    t_g = torch.autograd.grad((t(t_x[0])[0] ** 2).sum(), [t_x[0], *t_params],
                              create_graph=True)
    for a, b in zip(w_g, t_g):
        close(a, b, "first order")
    vs = [rng.standard_normal(tuple(g.shape)) for g in t_g]
    sum((g * wg.tensor(v)).sum() for g, v in zip(w_g, vs)).backward()
    sum((g * torch.tensor(v)).sum() for g, v in zip(t_g, vs)).backward()
    close(w_x[0].grad, t_x[0].grad, "second order, input")
    for (key, p), q in zip(w.named_parameters(), t_params):
        close(p.grad, q.grad, f"second order, {key}")


FORWARD_MODE = [("LSTM", {}), ("GRU", {}), ("RNN", {}), ("LSTM", {"proj_size": 2}),
                ("LSTM", {"proj_size": 3, "num_layers": 2})]


@pytest.mark.parametrize("spec", FORWARD_MODE, ids=_ids(FORWARD_MODE))
def test_forward_mode_matches_pytorch(spec):
    name, kwargs = spec
    w, t = pair(name, 3, 4, bidirectional=True, **kwargs)
    rng = np.random.default_rng(4)
    x, v = rng.standard_normal((4, 2, 3)), rng.standard_normal((4, 2, 3))
    w_y, w_dy = wg.func.jvp(lambda x: w(x)[0], (wg.tensor(x),), (wg.tensor(v),))
    t_y, t_dy = torch.func.jvp(lambda x: t(x)[0], (torch.tensor(x),), (torch.tensor(v),))
    close(w_y, t_y, "value")
    close(w_dy, t_dy, "tangent")


@pytest.mark.parametrize("proj_size", [0, 2])
def test_dropout_between_layers_matches_pytorch_where_it_is_deterministic(proj_size):
    # p = 1 zeroes the first layer's output: the second layer sees only its biases.
    w, t = pair("LSTM", 3, 4, num_layers=2, dropout=1.0, proj_size=proj_size)
    x = np.random.default_rng(5).standard_normal((5, 2, 3))
    w_x, t_x = leaves(x)
    close(w(w_x[0])[0], t(t_x[0])[0], "output")
    w.eval()
    t.eval()
    close(w(w_x[0])[0], t(t_x[0])[0], "output in eval mode (no dropout)")


def test_dropout_between_layers_is_applied_in_training_only():
    wg.manual_seed(0)
    lstm = nn.LSTM(3, 4, num_layers=2, dropout=0.5)
    x = wg.tensor(np.random.default_rng(6).standard_normal((5, 2, 3)).astype(np.float32))
    a, b = lstm(x)[0].detach().numpy(), lstm(x)[0].detach().numpy()
    assert not np.allclose(a, b)  # two masks
    lstm.eval()
    np.testing.assert_array_equal(lstm(x)[0].detach().numpy(), lstm(x)[0].detach().numpy())


@pytest.mark.parametrize("kwargs, width", [({}, 16), ({"num_layers": 2, "proj_size": 6}, 6)],
                         ids=["plain", "projected"])
def test_float32_step_matches_pytorch(kwargs, width):
    """The benchmark's shapes, smaller: float32 values and gradients within rounding
    (with a projection too: the output is proj_size wide)."""
    torch.manual_seed(0)
    t = torch.nn.LSTM(8, 16, **kwargs)
    w = nn.LSTM(8, 16, **kwargs)
    w.load_state_dict({k: v.numpy() for k, v in t.state_dict().items()})
    x = np.random.default_rng(7).standard_normal((6, 4, 8)).astype(np.float32)
    w_out, t_out = w(wg.tensor(x))[0], t(torch.tensor(x))[0]
    assert w_out.dtype == np.float32 and tuple(w_out.shape) == (6, 4, width)
    np.testing.assert_allclose(w_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-5,
                               atol=1e-6)
    w_out[-1].sum().backward()
    t_out[-1].sum().backward()
    for (key, p), q in zip(w.named_parameters(), t.parameters()):
        assert p.grad.dtype == np.float32
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-4, atol=1e-6,
                                   err_msg=key)


@pytest.mark.parametrize("name, kwargs", [("LSTM", {}), ("GRU", {}), ("RNN", {}),
                                          ("LSTM", {"proj_size": 2})])
def test_backward_paths_without_the_residual_agree(name, kwargs):
    """A retained graph's second pass and a pass under saved_tensors_hooks recompute the
    forward activations instead of using the forward pass's: the same gradients."""
    wg.manual_seed(0)
    layer = nn.__dict__[name](3, 4, bidirectional=True, **kwargs).double()
    x = wg.tensor(np.random.default_rng(8).standard_normal((5, 2, 3)), requires_grad=True)
    params = [x, *layer.parameters()]

    def grads(**kw):
        out = (layer(x)[0] ** 2).sum()
        first = wg.grad(out, params, retain_graph=True)
        return first, wg.grad(out, params, **kw)

    first, second = grads()
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with wg.autograd.graph.saved_tensors_hooks(lambda t: t, lambda t: t):
        hooked = grads()[0]
    for a, b in zip(first, hooked):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_tape_is_one_entry_per_layer_and_direction():
    """The recurrence is recorded once per layer and direction, not per time step."""
    lstm = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    out = lstm(wg.zeros(50, 2, 3))[0]
    seen, stack, scans = set(), [out.grad_fn], 0
    while stack:
        node = stack.pop()
        if node is None or not hasattr(node, "next_functions") or node in seen:
            continue
        seen.add(node)
        scans += node.name() == "RnnScanBackward"
        stack.extend(n for n, _ in node.next_functions)
    assert scans == 4
    assert len(seen) < 40


def test_errors_name_the_layer():
    with pytest.raises(ValueError, match="LSTM: expected a sequence of at least one step"):
        nn.LSTM(3, 4)(wg.zeros(0, 2, 3))
    with pytest.raises(ValueError, match=r"GRU: expected hidden state of shape \(1, 2, 4\)"):
        nn.GRU(3, 4)(wg.zeros(5, 2, 3), wg.zeros(1, 3, 4))
    with pytest.raises(TypeError, match="LSTM: input has dtype float32, the layer's weights "
                                        "float64"):
        nn.LSTM(3, 4).double()(wg.zeros(5, 2, 3, dtype=wg.float32))
    with pytest.raises(TypeError, match="GRUCell: input has dtype float64, the layer's "
                                        "weights float32"):
        nn.GRUCell(3, 4)(wg.zeros(2, 3, dtype=wg.float64))


# -- an LSTM's projection (proj_size) -------------------------------------------------


def test_proj_size_parameters_are_pytorchs_and_state_dicts_round_trip():
    """Names, order and shapes of PyTorch's parameters (weight_hr after the biases, the
    layers above the first fed 2 * proj_size features); a torch state dict loads, and
    the loaded layer's state dict loads back into torch."""
    kwargs = {"num_layers": 2, "bidirectional": True, "proj_size": 2}
    for bias in (True, False):
        torch.manual_seed(0)
        t = torch.nn.LSTM(3, 5, bias=bias, **kwargs)
        w = nn.LSTM(3, 5, bias=bias, **kwargs)
        assert [(k, tuple(p.shape)) for k, p in w.named_parameters()] == [
            (k, tuple(p.shape)) for k, p in t.named_parameters()]
        assert repr(w) == repr(t)
        w.load_state_dict({k: v.numpy() for k, v in t.state_dict().items()})
        back = torch.nn.LSTM(3, 5, bias=bias, **kwargs)
        back.load_state_dict({k: torch.tensor(v.numpy()) for k, v in w.state_dict().items()})
        for (k, a), b in zip(back.state_dict().items(), t.state_dict().values()):
            assert torch.equal(a, b), k
    # PyTorch's init: every parameter, weight_hr included, uniform in +-1/sqrt(hidden_size)
    w = nn.LSTM(3, 100, proj_size=10)
    bound = 1 / np.sqrt(100)
    for k, p in w.named_parameters():
        a = p.detach().numpy()
        assert np.abs(a).max() <= bound and np.abs(a).max() > 0.9 * bound, k


def test_proj_size_second_order_in_every_input_matches_pytorch():
    """create_graph gradients in the input, h_0, c_0 and every parameter (weight_hr
    included), then the gradient of their weighted sum, against PyTorch."""
    w, t = pair("LSTM", 3, 4, num_layers=2, bidirectional=True, batch_first=True,
                proj_size=2)
    rng = np.random.default_rng(9)
    w_in, t_in = leaves(rng.standard_normal((2, 4, 3)), rng.standard_normal((4, 2, 2)),
                        rng.standard_normal((4, 2, 4)))
    u = [rng.standard_normal(s) for s in [(2, 4, 4), (4, 2, 2), (4, 2, 4)]]

    def first(layer, inputs, params, lib):
        out, (h, c) = layer(inputs[0], (inputs[1], inputs[2]))
        total = sum(((o * lib.tensor(v)).sum() + (o * o * o).sum())
                    for o, v in zip((out, h, c), u))
        return lib.autograd.grad(total, [*inputs, *params], create_graph=True)

    w_params, t_params = list(w.parameters()), list(t.parameters())
    w_g, t_g = first(w, w_in, w_params, wg), first(t, t_in, t_params, torch)
    for a, b in zip(w_g, t_g):
        close(a, b, "first order")
    vs = [rng.standard_normal(tuple(g.shape)) for g in t_g]
    sum((g * g * wg.tensor(v)).sum() for g, v in zip(w_g, vs)).backward()
    sum((g * g * torch.tensor(v)).sum() for g, v in zip(t_g, vs)).backward()
    for what, a, b in zip(("input", "h_0", "c_0"), w_in, t_in):
        close(a.grad, b.grad, f"second order, {what}")
    for (key, p), q in zip(w.named_parameters(), t_params):
        close(p.grad, q.grad, f"second order, {key}")


def test_proj_size_forward_mode_in_the_states_and_weights_matches_pytorch():
    """jvp with tangents in the input, h_0, c_0 and every parameter at once."""
    w, t = pair("LSTM", 3, 4, bidirectional=True, proj_size=3)
    rng = np.random.default_rng(10)
    inputs = [rng.standard_normal(s) for s in [(4, 2, 3), (2, 2, 3), (2, 2, 4)]]
    tangents = [rng.standard_normal(a.shape) for a in inputs]
    names = [k for k, _ in t.named_parameters()]
    params = [p.detach().numpy() for p in t.parameters()]
    dparams = [rng.standard_normal(p.shape) for p in params]

    def run(layer, lib, call):
        def f(x, h, c, *ps):
            out, (h_n, c_n) = call(layer, dict(zip(names, ps)), (x, (h, c)))
            return out, h_n, c_n
        return lib.func.jvp(f, tuple(map(lib.tensor, inputs + params)),
                            tuple(map(lib.tensor, tangents + dparams)))

    w_y, w_dy = run(w, wg, wg.func.functional_call)
    t_y, t_dy = run(t, torch, torch.func.functional_call)
    for a, b, c, d in zip(w_y, t_y, w_dy, t_dy):
        close(a, b, "value")
        close(c, d, "tangent")


def test_proj_size_gradcheck_and_gradgradcheck():
    """Finite differences, both modes, first and second order, in the input, both states
    and the projection weights of both directions (a tiny layer)."""
    wg.manual_seed(0)
    layer = nn.LSTM(2, 3, bidirectional=True, proj_size=2).double()
    rng = np.random.default_rng(11)
    names = ["weight_hr_l0", "weight_hr_l0_reverse", "weight_hh_l0"]
    inputs = [wg.tensor(rng.standard_normal(s), requires_grad=True)
              for s in [(3, 2), (2, 2), (2, 3)]]
    weights = [wg.tensor(getattr(layer, k).detach().numpy(), requires_grad=True)
               for k in names]

    def f(x, h, c, *ws):
        out, (h_n, c_n) = wg.func.functional_call(layer, dict(zip(names, ws)), (x, (h, c)))
        return out, h_n, c_n

    assert wg.autograd.gradcheck(f, [*inputs, *weights])
    assert wg.autograd.gradgradcheck(f, [*inputs, *weights])


def test_proj_size_errors_name_the_layer_the_values_and_the_fix():
    with pytest.raises(ValueError, match=r"LSTM: proj_size must be positive, or 0 for no "
                                         r"projection, got -1"):
        nn.LSTM(3, 4, proj_size=-1)
    for p in (4, 5):
        with pytest.raises(ValueError, match=rf"LSTM: proj_size={p} must be smaller than "
                                             r"hidden_size=4 .*proj_size=0"):
            nn.LSTM(3, 4, proj_size=p)
    for bad in (2.0, True):
        with pytest.raises(TypeError, match="LSTM: proj_size must be an int"):
            nn.LSTM(3, 4, proj_size=bad)
    for layer in (nn.GRU, nn.RNN):
        for p in (0, 2):  # as PyTorch: the argument at all, even 0
            with pytest.raises(ValueError, match=rf"{layer.__name__}: proj_size={p} is only "
                                                 "supported for LSTM, not RNN or GRU"):
                layer(3, 4, proj_size=p)
    lstm = nn.LSTM(3, 4, proj_size=2)
    x = wg.zeros(5, 2, 3)
    with pytest.raises(ValueError, match=r"LSTM: expected hidden state of shape \(1, 2, 2\), "
                                         r"got \(1, 2, 4\) \(with proj_size=2, h_0 has "
                                         r"proj_size features and c_0 hidden_size=4\)"):
        lstm(x, (wg.zeros(1, 2, 4), wg.zeros(1, 2, 4)))
    with pytest.raises(ValueError, match=r"LSTM: expected cell state of shape \(1, 2, 4\), "
                                         r"got \(1, 2, 2\)"):
        lstm(x, (wg.zeros(1, 2, 2), wg.zeros(1, 2, 2)))
    with pytest.raises(ValueError, match=r"LSTM: expected hidden state of shape \(1, 2\), "
                                         r"got \(1, 4\)"):
        lstm(wg.zeros(5, 3), (wg.zeros(1, 4), wg.zeros(1, 4)))


def test_rnn_scan_projection_errors():
    from wengert.nn.functional.recurrent import rnn_scan

    xp, h, c = wg.zeros(3, 2, 12), wg.zeros(2, 2), wg.zeros(2, 3)
    with pytest.raises(ValueError, match=r"rnn_scan \(GRU\): a projection w_hr is for an "
                                         "LSTM only; pass w_hr=None"):
        rnn_scan("GRU", wg.zeros(3, 2, 9), wg.zeros(2, 3), None, wg.zeros(9, 3),
                 w_hr=wg.zeros(2, 3))
    with pytest.raises(ValueError, match=r"rnn_scan \(LSTM\): shapes .*\(3, 2\) of xp, h0, "
                                         r"c0, w_hh, b_hh, w_hr do not match"):
        rnn_scan("LSTM", xp, h, c, wg.zeros(12, 2), w_hr=wg.zeros(3, 2))
    with pytest.raises(ValueError, match=r"rnn_scan \(LSTM\): shapes .* do not match"):
        rnn_scan("LSTM", xp, h, c, wg.zeros(12, 2))  # a P-wide state needs its w_hr
    with pytest.raises(TypeError, match=r"LSTM: input, states and weights must have one "
                                        r"real floating dtype, got \['float32', 'float64'\]"):
        rnn_scan("LSTM", xp, h, c, wg.zeros(12, 2), w_hr=wg.zeros(2, 3, dtype=wg.float64))
