"""wg.func.functional_call: a module run with given tensors as its parameters and buffers
(torch.func.functional_call's semantics: restoring, ties, strict, tuples of dicts)."""

import numpy as np
import pytest

import wengert as wg
from wengert.func import functional_call

F64 = wg.float64


def mlp():
    wg.manual_seed(0)
    return wg.nn.Sequential(wg.nn.Linear(3, 4, dtype=F64), wg.nn.Tanh(),
                            wg.nn.Linear(4, 2, dtype=F64))


def fresh(model):
    return {k: wg.randn(*v.shape, dtype=F64) for k, v in model.state_dict().items()}


class Tied(wg.nn.Module):
    """An encoder and a decoder sharing one weight matrix (as tied embeddings)."""

    def __init__(self):
        super().__init__()
        self.enc = wg.nn.Linear(3, 3, bias=False, dtype=F64)
        self.dec = wg.nn.Linear(3, 3, bias=False, dtype=F64)
        self.dec.weight = self.enc.weight

    def forward(self, x):
        return self.dec(wg.tanh(self.enc(x)))


def test_runs_with_the_given_tensors_and_restores_the_module():
    model = mlp()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    originals = dict(model.named_parameters())
    params = fresh(model)
    x = wg.randn(5, 3, dtype=F64)
    out = functional_call(model, params, (x,))
    w0, b0, w2, b2 = (params[k] for k in ("0.weight", "0.bias", "2.weight", "2.bias"))
    expected = wg.tanh(x @ w0.T + b0) @ w2.T + b2
    np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-14)
    assert dict(model.named_parameters()) == originals  # the very same Parameter objects
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v.numpy(), before[k].numpy())
    # a single argument need not be a tuple; kwargs pass through
    np.testing.assert_array_equal(functional_call(model, params, x).numpy(), out.numpy())

    class Scaled(wg.nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = model

        def forward(self, x, *, scale=1.0):
            return self.inner(x) * scale

    scaled = functional_call(Scaled(), {f"inner.{k}": v for k, v in params.items()}, (x,),
                             {"scale": 2.0})
    np.testing.assert_allclose(scaled.numpy(), 2 * out.numpy(), rtol=1e-15)


def test_names_not_given_keep_the_modules_own_tensors():
    model = mlp()
    x = wg.randn(2, 3, dtype=F64)
    zero_bias = {"2.bias": wg.zeros(2, dtype=F64)}
    out = functional_call(model, zero_bias, (x,))
    np.testing.assert_allclose(out.detach().numpy(), (model(x) - model[2].bias).detach().numpy(),
                               rtol=1e-13)


def test_restores_even_when_the_call_raises():
    model = mlp()
    originals = dict(model.named_parameters())
    with pytest.raises(ValueError, match="linear: input of shape"):
        functional_call(model, fresh(model), (wg.randn(2, 5, dtype=F64),))  # wrong width
    assert dict(model.named_parameters()) == originals
    # a bad key after good ones: the good ones are undone too
    with pytest.raises(AttributeError, match="no submodule 'nope'"):
        functional_call(model, {"0.weight": wg.zeros(4, 3), "nope.weight": wg.zeros(1)},
                        (wg.randn(2, 3, dtype=F64),))
    assert dict(model.named_parameters()) == originals


def test_gradient_by_every_parameter_equals_backward():
    model = mlp()
    x, y = wg.randn(6, 3, dtype=F64), wg.randn(6, 2, dtype=F64)
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss(p):
        return ((functional_call(model, p, (x,)) - y) ** 2).mean()

    grads = wg.func.grad(loss)(params)
    ((model(x) - y) ** 2).mean().backward()
    assert set(grads) == set(params)
    for name, p in model.named_parameters():
        np.testing.assert_allclose(grads[name].numpy(), p.grad.numpy(), rtol=1e-12)
    # any order: the Hessian by one weight matrix is symmetric and matches finite differences
    h = wg.func.hessian(lambda b: loss({**params, "2.bias": b}))(params["2.bias"])
    np.testing.assert_allclose(h.numpy(), h.numpy().T, atol=1e-14)
    np.testing.assert_allclose(h.numpy(), np.eye(2) * 2 / 2, atol=1e-12)  # mean over 6*2


def test_tuple_of_dicts_and_repeated_keys():
    model = mlp()
    params = fresh(model)
    x = wg.randn(2, 3, dtype=F64)
    split = ({k: v for k, v in params.items() if k.startswith("0.")},
             {k: v for k, v in params.items() if k.startswith("2.")})
    np.testing.assert_array_equal(functional_call(model, split, (x,)).numpy(),
                                  functional_call(model, params, (x,)).numpy())
    with pytest.raises(ValueError, match=r"\['0.bias'\] appeared in multiple dictionaries"):
        functional_call(model, ({"0.bias": params["0.bias"]}, {"0.bias": params["0.bias"]}),
                        (x,))
    with pytest.raises(TypeError, match="dict, or a tuple of dicts"):
        functional_call(model, [params], (x,))


def test_strict_names_missing_and_unexpected_keys():
    model = mlp()
    x = wg.randn(2, 3, dtype=F64)
    with pytest.raises(RuntimeError, match=r"Unexpected key\(s\): 'extra'\.\n\tMissing key\(s\): "
                                           r"'0.bias', '2.bias', '2.weight'"):
        functional_call(model, {"0.weight": wg.zeros(4, 3), "extra": wg.zeros(1)}, (x,),
                        strict=True)
    functional_call(model, fresh(model), (x,), strict=True)


def test_an_unknown_name_is_a_plain_attribute_during_the_call():
    seen = {}

    class Probe(wg.nn.Module):
        def forward(self, x):
            seen["scale"] = self.scale
            return x * self.scale

    probe = Probe()
    assert functional_call(probe, {"scale": wg.tensor(3.0)}, (wg.tensor(2.0),)).item() == 6.0
    assert seen["scale"].item() == 3.0 and not hasattr(probe, "scale")


def test_values_must_be_tensors():
    model = mlp()
    with pytest.raises(TypeError, match=r"value for '0.bias' must be a Tensor, got ndarray"):
        functional_call(model, {"0.bias": np.zeros(4)}, (wg.randn(1, 3, dtype=F64),))


def test_tied_weights_are_replaced_under_every_name():
    model = Tied()
    w = wg.randn(3, 3, dtype=F64)
    x = wg.randn(2, 3, dtype=F64)
    out = functional_call(model, {"enc.weight": w}, (x,))
    np.testing.assert_allclose(out.numpy(), (wg.tanh(x @ w.T) @ w.T).numpy(), rtol=1e-14)
    # the same tensor under both names is fine; different ones are ambiguous
    functional_call(model, {"enc.weight": w, "dec.weight": w}, (x,))
    with pytest.raises(ValueError, match=r"multiple values for keys \['dec.weight', "
                                         r"'enc.weight'\], which are tied"):
        functional_call(model, {"enc.weight": w, "dec.weight": w.clone()}, (x,))
    # tie_weights=False: only the given name changes
    untied = functional_call(model, {"enc.weight": w}, (x,), tie_weights=False)
    own = model.dec.weight.detach()
    np.testing.assert_allclose(untied.detach().numpy(), (wg.tanh(x @ w.T) @ own.T).numpy(), rtol=1e-14)
    assert model.dec.weight is model.enc.weight
    # strict counts both names of a tied tensor as given
    functional_call(model, {"enc.weight": w}, (x,), strict=True)


def test_buffers_are_swapped_and_updated_in_place():
    wg.manual_seed(0)
    bn = wg.nn.BatchNorm1d(3, dtype=F64)
    own_mean = bn.running_mean.clone()
    state = {k: v.clone() for k, v in bn.state_dict().items()}
    functional_call(bn, state, (wg.randn(8, 3, dtype=F64) + 5,))
    assert state["num_batches_tracked"].item() == 1
    assert (state["running_mean"].numpy() > 0.2).all()  # moved towards the batch mean 5
    np.testing.assert_array_equal(bn.running_mean.numpy(), own_mean.numpy())
    assert bn.num_batches_tracked.item() == 0


def test_a_reassigned_name_is_written_back_into_the_dict():
    class Counter(wg.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("count", wg.tensor(0.0))

        def forward(self, x):
            self.count = self.count + 1  # reassigns rather than updating in place
            return x

    counter = Counter()
    state = {"count": wg.tensor(10.0)}
    functional_call(counter, state, (wg.tensor(1.0),))
    assert state["count"].item() == 11.0 and counter.count.item() == 0.0
    pair = ({"count": wg.tensor(10.0)},)
    functional_call(counter, pair, (wg.tensor(1.0),))
    assert pair[0]["count"].item() == 10.0  # a tuple of dicts is not written to, as PyTorch


def test_matches_pytorch_including_ties():
    torch = pytest.importorskip("torch")
    from torch.func import functional_call as torch_call

    tm = torch.nn.Sequential(torch.nn.Linear(3, 3, bias=False), torch.nn.Tanh(),
                             torch.nn.Linear(3, 3, bias=False)).double()
    tm[2].weight = tm[0].weight
    wm = wg.nn.Sequential(wg.nn.Linear(3, 3, bias=False, dtype=F64), wg.nn.Tanh(),
                          wg.nn.Linear(3, 3, bias=False, dtype=F64))
    wm[2].weight = wm[0].weight
    rng = np.random.default_rng(1)
    own, w, x = (rng.standard_normal(s) for s in ((3, 3), (3, 3), (4, 3)))
    with torch.no_grad():
        tm[0].weight.copy_(torch.tensor(own))
    wm.load_state_dict({"0.weight": own, "2.weight": own})
    for tie in (True, False):
        t_w = torch.tensor(w, requires_grad=True)
        t_out = torch_call(tm, {"0.weight": t_w}, (torch.tensor(x),), tie_weights=tie)
        t_out.sum().backward()
        w_w = wg.tensor(w, requires_grad=True)
        w_out = functional_call(wm, {"0.weight": w_w}, (wg.tensor(x),), tie_weights=tie)
        w_out.sum().backward()
        np.testing.assert_allclose(w_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-13)
        np.testing.assert_allclose(w_w.grad.numpy(), t_w.grad.numpy(), rtol=1e-13)
