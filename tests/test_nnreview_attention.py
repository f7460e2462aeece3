"""Review of MultiheadAttention and TransformerEncoderLayer masks against PyTorch."""

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")
nn = wg.nn

_R = np.random.RandomState(0)
_KPM = np.array([[False, False, True, False, True], [False, True, False, False, False]])
_AM = np.triu(np.ones((4, 5), bool), 2)
_MASKS = {
    "bool-attn": {"attn_mask": _AM},
    "float-attn": {"attn_mask": _R.randn(4, 5)},
    "3d-attn": {"attn_mask": _R.randn(4, 4, 5)},  # (batch * heads, tgt, src)
    "bool-padding": {"key_padding_mask": _KPM},
    "float-padding": {"key_padding_mask": _R.randn(2, 5)},
    "both-bool": {"attn_mask": _AM, "key_padding_mask": _KPM},
}


def _pair(name, *args, **kwargs):
    tm = getattr(torch.nn, name)(*args, **kwargs).double()
    wm = getattr(nn, name)(*args, **kwargs).double()
    wm.load_state_dict({k: v.detach().numpy() for k, v in tm.state_dict().items()})
    return wm, tm


@pytest.mark.parametrize("as_tensor", [True, False], ids=["tensor-mask", "array-mask"])
@pytest.mark.parametrize("label", list(_MASKS))
@pytest.mark.parametrize("batch_first", [False, True])
def test_multihead_attention_masks(label, batch_first, as_tensor):
    wm, tm = _pair("MultiheadAttention", 8, 2, batch_first=batch_first)
    q, kv = _R.randn(4, 2, 8), _R.randn(5, 2, 8)
    if batch_first:
        q, kv = q.swapaxes(0, 1).copy(), kv.swapaxes(0, 1).copy()
    masks = _MASKS[label]
    wmask = {k: wg.tensor(v) if as_tensor else v for k, v in masks.items()}
    tmask = {k: torch.tensor(v) for k, v in masks.items()}
    qw, qt = wg.tensor(q, requires_grad=True), torch.tensor(q, requires_grad=True)
    ow, aw = wm(qw, wg.tensor(kv), wg.tensor(kv), **wmask)
    ot, at = tm(qt, torch.tensor(kv), torch.tensor(kv), **tmask)
    np.testing.assert_allclose(ow.detach().numpy(), ot.detach().numpy(), rtol=1e-12,
                               atol=1e-13)
    np.testing.assert_allclose(aw.detach().numpy(), at.detach().numpy(), rtol=1e-12,
                               atol=1e-13)
    ow.sum().backward()
    ot.sum().backward()
    np.testing.assert_allclose(qw.grad.numpy(), qt.grad.numpy(), rtol=1e-12, atol=1e-13)


def test_encoder_layer_with_masks():
    wm, tm = _pair("TransformerEncoderLayer", 8, 2, 16, dropout=0.0)
    x = _R.randn(5, 2, 8)
    causal = np.triu(np.ones((5, 5), bool), 1)
    ow = wm(wg.tensor(x), src_mask=wg.tensor(causal), src_key_padding_mask=wg.tensor(_KPM),
            is_causal=True)
    ot = tm(torch.tensor(x), src_mask=torch.tensor(causal),
            src_key_padding_mask=torch.tensor(_KPM), is_causal=True)
    np.testing.assert_allclose(ow.detach().numpy(), ot.detach().numpy(), rtol=1e-12,
                               atol=1e-13)


def test_multihead_attention_refuses_an_integer_mask():
    wm, _ = _pair("MultiheadAttention", 8, 2)
    x = wg.tensor(_R.randn(4, 2, 8))
    with pytest.raises(TypeError, match="attn_mask must be bool or floating point"):
        wm(x, x, x, attn_mask=wg.zeros(4, 4, dtype=wg.int64))


@pytest.mark.parametrize("kind", ["bool", "float"])
def test_sdpa_fully_masked_query_attends_to_nothing(kind):
    q, k, v = _R.randn(2, 4, 3), _R.randn(2, 5, 3), _R.randn(2, 5, 6)
    mask = _R.rand(4, 5) > 0.3
    mask[:, 0] = True
    mask[2] = False
    if kind == "float":
        mask = np.where(mask, 0.0, -np.inf)
    ws = [wg.tensor(a, requires_grad=True) for a in (q, k, v)]
    ts = [torch.tensor(a, requires_grad=True) for a in (q, k, v)]
    ow = wg.nn.functional.scaled_dot_product_attention(*ws, attn_mask=wg.tensor(mask))
    ot = torch.nn.functional.scaled_dot_product_attention(*ts, attn_mask=torch.tensor(mask))
    np.testing.assert_allclose(ow.detach().numpy(), ot.detach().numpy(), rtol=1e-12,
                               atol=1e-14)
    assert (ow.detach().numpy()[:, 2] == 0).all()
    g = _R.randn(*ot.shape)
    ow.backward(wg.tensor(g))
    ot.backward(torch.tensor(g))
    for a, b in zip(ws, ts):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-12, atol=1e-14)
