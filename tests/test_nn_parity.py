"""The same models in wengert and PyTorch: same state-dict keys and shapes, same outputs,
and the same parameters after 20 training steps (float64)."""

import numpy as np
import pytest

import wengert as wg
from wengert import nn

torch = pytest.importorskip("torch")
tnn = torch.nn


def models(lib_nn):
    """name -> (constructor, input shape, target kind) in the library ``lib_nn``."""
    return {
        "mlp": (lambda: lib_nn.Sequential(lib_nn.Linear(12, 16), lib_nn.ReLU(),
                                          lib_nn.Linear(16, 8), lib_nn.Tanh(),
                                          lib_nn.Linear(8, 4)), (6, 12)),
        "cnn": (lambda: lib_nn.Sequential(
            lib_nn.Conv2d(1, 4, 3, padding=1), lib_nn.BatchNorm2d(4), lib_nn.ReLU(),
            lib_nn.MaxPool2d(2), lib_nn.Conv2d(4, 6, 3), lib_nn.BatchNorm2d(6), lib_nn.GELU(),
            lib_nn.AvgPool2d(2), lib_nn.Flatten(), lib_nn.Linear(6, 4)), (5, 1, 8, 8)),
        "lstm": (lambda: _Recurrent(lib_nn), (5, 7, 3)),
        "transformer": (lambda: _Encoder(lib_nn), (4, 6, 8)),
    }


class _Recurrent:  # built per library below (a tiny module on top of nn.LSTM)
    def __new__(cls, lib_nn):
        class Recurrent(lib_nn.Module):
            def __init__(self):
                super().__init__()
                self.lstm = lib_nn.LSTM(3, 5, num_layers=2, batch_first=True,
                                        bidirectional=True)
                self.gru = lib_nn.GRU(10, 4, batch_first=True)
                self.head = lib_nn.Linear(4, 4)

            def forward(self, x):
                out, _ = self.lstm(x)
                out, h = self.gru(out)
                return self.head(out[:, -1] + h[0])

        return Recurrent()


class _Encoder:
    def __new__(cls, lib_nn):
        class Encoder(lib_nn.Module):
            def __init__(self):
                super().__init__()
                self.layer = lib_nn.TransformerEncoderLayer(8, 2, dim_feedforward=16,
                                                            dropout=0.0, batch_first=True)
                self.norm_first = lib_nn.TransformerEncoderLayer(
                    8, 4, dim_feedforward=12, dropout=0.0, activation="gelu", norm_first=True)
                self.head = lib_nn.Linear(8, 4)

            def forward(self, x):
                x = self.layer(x)
                x = self.norm_first(x.transpose(0, 1)).transpose(0, 1)
                return self.head(x.mean(1))

        return Encoder()


def pair(name):
    make_w, shape = models(nn)[name]
    make_t, _ = models(tnn)[name]
    torch.manual_seed(0)
    t = make_t().double()
    w = make_w().double()
    t_state = t.state_dict()
    w_state = w.state_dict()
    assert list(w_state) == list(t_state)
    for key in t_state:
        assert tuple(w_state[key].shape) == tuple(t_state[key].shape), key
    w.load_state_dict({k: v.numpy() for k, v in t_state.items()})
    return w, t, shape


@pytest.mark.parametrize("name", ["mlp", "cnn", "lstm", "transformer"])
@pytest.mark.parametrize("optimizer", ["sgd", "adamw"])
def test_twenty_training_steps_agree_with_pytorch(name, optimizer):
    w, t, shape = pair(name)
    rng = np.random.default_rng(1)
    make = {"sgd": (lambda ps: wg.optim.SGD(ps, lr=0.05, momentum=0.9),
                    lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9)),
            "adamw": (lambda ps: wg.optim.AdamW(ps, lr=0.01),
                      lambda ps: torch.optim.AdamW(ps, lr=0.01))}[optimizer]
    w_opt, t_opt = make[0](w.parameters()), make[1](t.parameters())
    for _ in range(20):
        x = rng.standard_normal(shape)
        y = rng.integers(0, 4, shape[0])
        w_loss = nn.functional.cross_entropy(w(wg.tensor(x)), wg.tensor(y))
        t_loss = tnn.functional.cross_entropy(t(torch.tensor(x)), torch.tensor(y))
        np.testing.assert_allclose(w_loss.item(), t_loss.item(), rtol=1e-9)
        w_opt.zero_grad()
        t_opt.zero_grad()
        w_loss.backward()
        t_loss.backward()
        w_opt.step()
        t_opt.step()
    t_state = t.state_dict()
    for key, value in w.state_dict().items():
        np.testing.assert_allclose(value.numpy(), t_state[key].numpy(), rtol=1e-6, atol=1e-8,
                                   err_msg=key)
    w.eval()
    t.eval()
    x = rng.standard_normal(shape)
    with torch.no_grad():
        expected = t(torch.tensor(x)).numpy()
    np.testing.assert_allclose(w(wg.tensor(x)).detach().numpy(), expected, rtol=1e-6,
                               atol=1e-8)


LAYERS = [
    ("Bilinear", (3, 4, 2), [(5, 3), (5, 4)]),
    ("Conv1d", (2, 3, 3), [(2, 2, 9)]),
    ("Conv2d", (2, 4, 3, 2, 1, 1, 2), [(2, 2, 7, 7)]),
    ("ConvTranspose2d", (2, 3, 3, 2), [(2, 2, 4, 4)]),
    ("Conv2d", (2, 2, 3), {"padding": 1, "padding_mode": "reflect"}, [(1, 2, 5, 5)]),
    ("BatchNorm1d", (3,), [(4, 3, 5)]),
    ("LayerNorm", ((4, 5),), [(2, 3, 4, 5)]),
    ("GroupNorm", (2, 4), [(2, 4, 3, 3)]),
    ("RMSNorm", (5,), [(2, 3, 5)]),
    ("Embedding", (7, 3, 0), "indices"),
    ("RNN", (3, 4, 2), [(5, 2, 3)]),
    ("GRUCell", (3, 4), [(2, 3)]),
    ("LSTMCell", (3, 4), [(2, 3)]),
    ("MultiheadAttention", (6, 3), [(4, 2, 6), (5, 2, 6), (5, 2, 6)]),
    ("AdaptiveAvgPool2d", ((2, 3),), [(2, 3, 7, 8)]),
    ("LeakyReLU", (0.2,), [(3, 4)]),
    ("Softplus", (2.0, 5.0), [(3, 4)]),
]


@pytest.mark.parametrize("spec", LAYERS, ids=[f"{s[0]}-{i}" for i, s in enumerate(LAYERS)])
def test_layer_outputs_and_gradients_match_pytorch(spec):
    name, args = spec[0], spec[1]
    kwargs = spec[2] if isinstance(spec[2], dict) else {}
    inputs = spec[-1]
    torch.manual_seed(0)
    t = getattr(tnn, name)(*args, **kwargs).double()
    w = getattr(nn, name)(*args, **kwargs).double()
    assert list(w.state_dict()) == list(t.state_dict())
    w.load_state_dict({k: v.numpy() for k, v in t.state_dict().items()})
    rng = np.random.default_rng(2)
    if inputs == "indices":
        arrays = [rng.integers(0, 7, (3, 4))]
    else:
        arrays = [rng.standard_normal(s) for s in inputs]
    floating = inputs != "indices"
    w_in = [wg.tensor(a, requires_grad=floating) for a in arrays]
    t_in = [torch.tensor(a, requires_grad=floating) for a in arrays]
    w_out, t_out = w(*w_in), t(*t_in)
    w_out = w_out[0] if isinstance(w_out, tuple) else w_out
    t_out = t_out[0] if isinstance(t_out, tuple) else t_out
    np.testing.assert_allclose(w_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-10,
                               atol=1e-12)
    w_out.sum().backward()
    t_out.sum().backward()
    for (key, p), q in zip(w.named_parameters(), t.parameters()):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-9, atol=1e-12,
                                   err_msg=key)
    for a, b in zip(w_in, t_in):
        if floating:
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_default_initialization_has_pytorchs_ranges():
    wg.manual_seed(0)
    layer = nn.Linear(400, 30)
    bound = 1 / 400 ** 0.5
    assert float(layer.weight.abs().max()) <= bound and float(layer.bias.abs().max()) <= bound
    assert float(layer.weight.abs().max()) > 0.9 * bound
    conv = nn.Conv2d(3, 8, 5)
    assert float(conv.weight.abs().max()) <= 1 / 75 ** 0.5


def test_layer_errors_name_the_layer_and_shapes():
    with pytest.raises(Exception, match=r"linear|Linear|64|10"):
        nn.Linear(64, 10)(wg.zeros(3, 32))
    with pytest.raises(ValueError, match=r"BatchNorm2d: expected a 4-D input, got shape \(3, 4\)"):
        nn.BatchNorm2d(4)(wg.zeros(3, 4))
    with pytest.raises(ValueError, match="LSTM: input has 2 features, the layer expects "
                                         "input_size=3"):
        nn.LSTM(3, 4)(wg.zeros(5, 2, 2))
    with pytest.raises(ValueError, match="divisible by groups"):
        nn.Conv2d(3, 4, 3, groups=2)
