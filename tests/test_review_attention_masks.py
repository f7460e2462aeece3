"""Review: ``nn.MultiheadAttention`` (and the encoder layers) with masks.

Any mask crashed: ``_additive`` called ``.astype`` on a tensor, which has ``to`` (and
``is_causal=True`` builds a mask too). Each mask kind is checked against PyTorch here:
values, attention weights and gradients.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

torch = pytest.importorskip("torch")

rng = np.random.default_rng(8)
X = rng.standard_normal((2, 3, 4))
PADDING = np.array([[False, False, True], [False, True, True]])
CAUSAL = np.triu(np.ones((3, 3), dtype=bool), 1)
ADDITIVE = rng.standard_normal((3, 3))


def _pair():
    torch.manual_seed(0)
    t = torch.nn.MultiheadAttention(4, 2, batch_first=True).double()
    w = wg.nn.MultiheadAttention(4, 2, batch_first=True).double()
    w.load_state_dict({k: wg.tensor(v.detach().numpy()) for k, v in t.state_dict().items()})
    return t, w


MASKS = {
    "key_padding_bool": lambda L: {"key_padding_mask": L.tensor(PADDING)},
    "key_padding_float": lambda L: {"key_padding_mask": L.tensor(np.where(PADDING, -1e9, 0.0))},
    "attn_bool": lambda L: {"attn_mask": L.tensor(CAUSAL)},
    "attn_float": lambda L: {"attn_mask": L.tensor(ADDITIVE)},
    "attn_3d": lambda L: {"attn_mask": L.tensor(np.broadcast_to(CAUSAL, (4, 3, 3)).copy())},
    "both": lambda L: {"attn_mask": L.tensor(CAUSAL), "key_padding_mask": L.tensor(PADDING)},
    "causal": lambda L: ({"attn_mask": L.tensor(CAUSAL), "is_causal": True} if L is torch
                         else {"is_causal": True}),
}


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("name", sorted(MASKS))
def test_multihead_attention_masks_match_pytorch(name, need_weights):
    t, w = _pair()
    results = []
    for lib, module in ((torch, t), (wg, w)):
        x = lib.tensor(X, requires_grad=True)
        out, weights = module(x, x, x, need_weights=need_weights, **MASKS[name](lib))
        (gx,) = lib.autograd.grad(out.pow(2).sum(), [x])
        results.append([a.detach().numpy() for a in (out, gx)] +
                       ([] if weights is None else [weights.detach().numpy()]))
    assert len(results[0]) == len(results[1])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_encoder_layer_with_padding_and_causal_masks():
    torch.manual_seed(1)
    t = torch.nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, dropout=0.0,
                                         batch_first=True).double()
    w = wg.nn.TransformerEncoderLayer(4, 2, dim_feedforward=8, dropout=0.0,
                                      batch_first=True).double()
    w.load_state_dict({k: wg.tensor(v.detach().numpy()) for k, v in t.state_dict().items()})
    a = t(torch.tensor(X), src_mask=torch.tensor(CAUSAL),
          src_key_padding_mask=torch.tensor(PADDING)).detach().numpy()
    b = w(wg.tensor(X), src_mask=wg.tensor(CAUSAL),
          src_key_padding_mask=wg.tensor(PADDING)).detach().numpy()
    np.testing.assert_allclose(b, a, rtol=1e-10, atol=1e-12)


def test_a_mask_of_another_dtype_is_refused_by_name():
    _, w = _pair()
    with pytest.raises(TypeError, match=r"key_padding_mask must be bool or floating point, "
                                        r"got int64"):
        w(wg.tensor(X), wg.tensor(X), wg.tensor(X), key_padding_mask=wg.tensor(PADDING * 1))
