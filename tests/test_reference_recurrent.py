"""nn.RNN / LSTM / GRU and their cells against PyTorch: outputs, final states and every
gradient (inputs, initial states, parameters), to first and second order and in forward
mode, over the layers' options (num_layers, bidirectional, batch_first, bias, initial
states, unbatched input, dropout between layers); and the paths of ``rnn_scan``'s
backward pass that a plain backward does not take (a retained graph's second pass,
saved-tensor hooks)."""

import numpy as np
import pytest

import wengert as wg
from wengert import nn

torch = pytest.importorskip("torch")

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
    if initial:
        layers = kwargs.get("num_layers", 1) * (2 if kwargs.get("bidirectional") else 1)
        state = (layers, batch, 4) if batched else (layers, 4)
        arrays += [rng.standard_normal(state) for _ in range(2 if name == "LSTM" else 1)]
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
                ("RNN", {"nonlinearity": "relu"})]


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


@pytest.mark.parametrize("name", ["LSTM", "GRU", "RNN"])
def test_forward_mode_matches_pytorch(name):
    w, t = pair(name, 3, 4, bidirectional=True)
    rng = np.random.default_rng(4)
    x, v = rng.standard_normal((4, 2, 3)), rng.standard_normal((4, 2, 3))
    w_y, w_dy = wg.func.jvp(lambda x: w(x)[0], (wg.tensor(x),), (wg.tensor(v),))
    t_y, t_dy = torch.func.jvp(lambda x: t(x)[0], (torch.tensor(x),), (torch.tensor(v),))
    close(w_y, t_y, "value")
    close(w_dy, t_dy, "tangent")


def test_dropout_between_layers_matches_pytorch_where_it_is_deterministic():
    # p = 1 zeroes the first layer's output: the second layer sees only its biases.
    w, t = pair("LSTM", 3, 4, num_layers=2, dropout=1.0)
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


def test_float32_step_matches_pytorch():
    """The benchmark's shapes, smaller: float32 values and gradients within rounding."""
    torch.manual_seed(0)
    t = torch.nn.LSTM(8, 16)
    w = nn.LSTM(8, 16)
    w.load_state_dict({k: v.numpy() for k, v in t.state_dict().items()})
    x = np.random.default_rng(7).standard_normal((6, 4, 8)).astype(np.float32)
    w_out, t_out = w(wg.tensor(x))[0], t(torch.tensor(x))[0]
    assert w_out.dtype == np.float32
    np.testing.assert_allclose(w_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-5,
                               atol=1e-6)
    w_out[-1].sum().backward()
    t_out[-1].sum().backward()
    for (key, p), q in zip(w.named_parameters(), t.parameters()):
        assert p.grad.dtype == np.float32
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-4, atol=1e-6,
                                   err_msg=key)


@pytest.mark.parametrize("name", ["LSTM", "GRU", "RNN"])
def test_backward_paths_without_the_residual_agree(name):
    """A retained graph's second pass and a pass under saved_tensors_hooks recompute the
    forward activations instead of using the forward pass's: the same gradients."""
    wg.manual_seed(0)
    layer = nn.__dict__[name](3, 4, bidirectional=True).double()
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
