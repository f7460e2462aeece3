"""Convolutions, pooling, padding, resampling, unfold/fold against ``torch.nn.functional``.

For each function over a grid of options: the forward value, the first-order
gradient (a VJP with a random cotangent) for every float input, the second
order (the gradient of ``<grad, v>``, PyTorch's double backward), and the
forward-mode JVP (``torch.autograd.forward_ad``), all in float64 on the same
inputs. Max pooling ties go to the first maximum of the window in both
libraries (tested with inputs full of ties). Deliberate differences: none in
values or gradients; ``pad`` accepts non-constant modes on any tensor with
the padded dims plus one or two leading dims (as PyTorch), and wengert's
``interpolate`` supports 'nearest', 'nearest-exact', 'linear', 'bilinear'
and 'trilinear' only.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
import wengert.autograd.forward_ad as fwAD
import wengert.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional
pytestmark = pytest.mark.filterwarnings("ignore:Using padding='same'")

rng = np.random.default_rng(1234)


def randn(*shape):
    return rng.standard_normal(shape)


def compare(name, arrays, kwargs=None, *, second=True, forward=True, ints=None, tol=1e-10):
    """``F.<name>(*arrays, **kwargs)`` in both libraries: values, VJP, double backward, JVP."""
    kwargs = kwargs or {}
    w_fn, t_fn = getattr(F, name), getattr(TF, name)
    wt = [wg.tensor(a, requires_grad=True) for a in arrays]
    tt = [torch.tensor(a, requires_grad=True) for a in arrays]
    w_out, t_out = w_fn(*wt, **kwargs), t_fn(*tt, **kwargs)
    if isinstance(t_out, tuple):  # return_indices
        np.testing.assert_array_equal(w_out[1].numpy(), t_out[1].numpy())
        w_out, t_out = w_out[0], t_out[0]
    assert w_out.shape == tuple(t_out.shape), f"{name}: {w_out.shape} vs {tuple(t_out.shape)}"
    np.testing.assert_allclose(w_out.detach().numpy(), t_out.detach().numpy(), rtol=tol,
                               atol=tol, err_msg=f"{name} value")
    u = randn(*w_out.shape)
    w_g = wg.grad(w_out, wt, grad_outputs=(wg.tensor(u),), create_graph=second)
    t_g = torch.autograd.grad(t_out, tt, torch.tensor(u), create_graph=second,
                              allow_unused=True)
    for a, b in zip(w_g, t_g):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=tol, atol=tol,
                                   err_msg=f"{name} gradient")
    if second:
        vs = [randn(*a.shape) for a in arrays]
        w_s = sum((g * wg.tensor(v)).sum() for g, v in zip(w_g, vs))
        t_s = sum((g * torch.tensor(v)).sum() for g, v in zip(t_g, vs) if g.requires_grad)
        # a map linear in each input may have a gradient that depends on no input (PyTorch
        # then records nothing either): the second derivative is zero
        w_gg = (wg.grad(w_s, wt, allow_unused=True) if w_s.requires_grad
                else (None,) * len(wt))
        t_gg = (torch.autograd.grad(t_s, tt, allow_unused=True) if torch.is_tensor(t_s)
                and t_s.requires_grad else (None,) * len(tt))
        for a, b in zip(w_gg, t_gg):
            a = np.zeros(1) if a is None else a.numpy()
            b = np.zeros(1) if b is None else b.numpy()
            np.testing.assert_allclose(np.broadcast_to(a, np.broadcast_shapes(a.shape, b.shape)),
                                       np.broadcast_to(b, np.broadcast_shapes(a.shape, b.shape)),
                                       rtol=tol, atol=tol, err_msg=f"{name} second order")
    if forward:
        tangents = [randn(*a.shape) for a in arrays]
        with fwAD.dual_level():
            duals = [fwAD.make_dual(wg.tensor(a), wg.tensor(t)) for a, t in zip(arrays, tangents)]
            out = w_fn(*duals, **kwargs)
            w_jvp = fwAD.unpack_dual(out[0] if isinstance(out, tuple) else out).tangent
        with torch.autograd.forward_ad.dual_level():
            fw = torch.autograd.forward_ad
            duals = [fw.make_dual(torch.tensor(a), torch.tensor(t))
                     for a, t in zip(arrays, tangents)]
            out = t_fn(*duals, **kwargs)
            t_jvp = fw.unpack_dual(out[0] if isinstance(out, tuple) else out).tangent
        np.testing.assert_allclose(w_jvp.numpy(), t_jvp.numpy(), rtol=tol, atol=tol,
                                   err_msg=f"{name} JVP")


# -- convolutions -----------------------------------------------------------------

CONV2D = [
    {}, {"stride": 2}, {"padding": 1}, {"padding": (2, 0)}, {"padding": "same"},
    {"padding": "valid"}, {"dilation": 2}, {"dilation": (1, 2), "padding": "same"},
    {"groups": 2}, {"groups": 4, "stride": (1, 2), "padding": 1},
    {"stride": 3, "padding": 2, "dilation": 2},
]


@pytest.mark.parametrize("kw", CONV2D, ids=str)
@pytest.mark.parametrize("bias", [False, True])
def test_conv2d(kw, bias):
    g = kw.get("groups", 1)
    arrays = [randn(2, 4, 6, 7), randn(8, 4 // g, 3, 2)] + ([randn(8)] if bias else [])
    compare("conv2d", arrays, kw)


@pytest.mark.parametrize("kw", [{}, {"stride": 2, "padding": 1}, {"padding": "same"},
                                {"padding": "same", "dilation": 2}, {"groups": 3},
                                {"dilation": 3, "stride": 2}], ids=str)
def test_conv1d(kw):
    g = kw.get("groups", 1)
    compare("conv1d", [randn(2, 3, 11), randn(6, 3 // g, 4), randn(6)], kw)


@pytest.mark.parametrize("kw", [{}, {"stride": (1, 2, 1), "padding": 1}, {"padding": "same"},
                                {"groups": 2, "dilation": (2, 1, 1)}], ids=str)
def test_conv3d(kw):
    g = kw.get("groups", 1)
    compare("conv3d", [randn(1, 2, 5, 4, 5), randn(2, 2 // g, 2, 3, 2), randn(2)], kw)


def test_conv_unbatched():
    compare("conv2d", [randn(3, 5, 5), randn(2, 3, 3, 3)], {"padding": 1})
    compare("conv1d", [randn(3, 7), randn(2, 3, 2)], {"stride": 2})


def test_conv_float32():
    x = randn(2, 3, 6, 6).astype(np.float32)
    w = randn(4, 3, 3, 3).astype(np.float32)
    y = F.conv2d(wg.tensor(x), wg.tensor(w), padding=1)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y.numpy(), TF.conv2d(torch.tensor(x), torch.tensor(w),
                                                    padding=1).numpy(), rtol=1e-5, atol=1e-5)


CONV_T2D = [
    {}, {"stride": 2}, {"stride": 2, "padding": 1, "output_padding": 1},
    {"stride": (3, 2), "output_padding": (2, 0)}, {"groups": 2}, {"dilation": 2, "padding": 2},
    {"dilation": 2, "stride": 2, "output_padding": 1, "groups": 2},
    {"dilation": 2, "output_padding": 1}, {"padding": (2, 1)},
]


@pytest.mark.parametrize("kw", CONV_T2D, ids=str)
def test_conv_transpose2d(kw):
    compare("conv_transpose2d", [randn(2, 4, 4, 3), randn(4, 3, 3, 2), randn(3 * kw.get(
        "groups", 1))], kw)


@pytest.mark.parametrize("kw", [{}, {"stride": 3, "padding": 1, "output_padding": 2},
                                {"groups": 2, "dilation": 2}, {"padding": 3},
                                {"dilation": 3, "output_padding": 2, "padding": 1}], ids=str)
def test_conv_transpose1d(kw):
    compare("conv_transpose1d", [randn(2, 4, 5), randn(4, 2, 3)], kw)


def test_conv_transpose3d():
    compare("conv_transpose3d", [randn(1, 2, 2, 3, 2), randn(2, 2, 2, 2, 2)], {"stride": 2})


@pytest.mark.parametrize("chunk_bytes,sample_product", [(1, 1), (25000, 1000)])
@pytest.mark.parametrize("kw", [{"padding": 1}, {"padding": (0, 2), "dilation": (2, 1),
                                                 "groups": 2}, {"stride": (1, 2)}], ids=str)
@pytest.mark.parametrize("out_channels", [6, 2])  # shifted and wide rows (see _im2col.plan)
def test_conv_in_chunks(monkeypatch, chunk_bytes, sample_product, kw, out_channels):
    """Batches split into chunks of one sample, or of two with a smaller last one; products
    per sample or per chunk."""
    from wengert.nn.functional import _im2col

    monkeypatch.setattr(_im2col, "CHUNK_BYTES", chunk_bytes)
    monkeypatch.setattr(_im2col, "SAMPLE_PRODUCT", sample_product)
    g = kw.get("groups", 1)
    compare("conv2d", [randn(5, 4, 6, 7), randn(out_channels, 4 // g, 3, 3), randn(out_channels)],
            kw)
    compare("conv_transpose2d", [randn(5, 4, 4, 5), randn(4, out_channels // g, 3, 2)], kw)


def test_conv_transpose_is_the_adjoint_of_conv():
    x, w, y = randn(2, 4, 7, 7), randn(4, 2, 3, 3), randn(2, 4, 4, 4)
    kw = {"stride": 2, "padding": 1, "groups": 2}
    lhs = (F.conv2d(wg.tensor(x), wg.tensor(w), **kw) * wg.tensor(y)).sum()
    rhs = (F.conv_transpose2d(wg.tensor(y), wg.tensor(w), **kw) * wg.tensor(x)).sum()
    np.testing.assert_allclose(lhs.item(), rhs.item(), rtol=1e-12)


# -- pooling --------------------------------------------------------------------------

MAXPOOL2D = [
    {"kernel_size": 2}, {"kernel_size": 3, "stride": 2}, {"kernel_size": 3, "padding": 1},
    {"kernel_size": (2, 3), "stride": 1, "dilation": 2}, {"kernel_size": 2, "ceil_mode": True},
    {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
    {"kernel_size": 2, "return_indices": True},
    {"kernel_size": 3, "stride": 2, "padding": 1, "dilation": 2, "return_indices": True},
]


@pytest.mark.parametrize("kw", MAXPOOL2D, ids=str)
def test_max_pool2d(kw):
    compare("max_pool2d", [randn(2, 3, 7, 8)], kw)


@pytest.mark.parametrize("kw", [{"kernel_size": 2}, {"kernel_size": 3, "stride": 2,
                                                     "padding": 1, "ceil_mode": True},
                                {"kernel_size": 2, "dilation": 3, "return_indices": True}],
                         ids=str)
def test_max_pool1d(kw):
    compare("max_pool1d", [randn(2, 3, 10)], kw)


@pytest.mark.parametrize("kw", [{"kernel_size": 2}, {"kernel_size": 3, "stride": 1,
                                                     "padding": 1}], ids=str)
def test_max_pool_ties_go_to_the_first_maximum(kw):
    """Windows full of equal values (and shared between windows): PyTorch's choice."""
    x = np.round(randn(2, 2, 6, 6)).clip(0, 1)  # zeros and ones
    compare("max_pool2d", [x], {**kw, "return_indices": True})
    compare("max_pool2d", [np.zeros((1, 1, 4, 4))], kw)


@pytest.mark.parametrize("kw", [
    {"kernel_size": 2}, {"kernel_size": 3, "stride": 2, "padding": 1},
    {"kernel_size": 3, "stride": 2, "padding": 1, "count_include_pad": False},
    {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True},
    {"kernel_size": (3, 2), "stride": 2, "padding": 1, "ceil_mode": True,
     "count_include_pad": False},
    {"kernel_size": 2, "stride": 1, "divisor_override": 3},
    {"kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True, "divisor_override": 5}],
    ids=str)
def test_avg_pool2d(kw):
    compare("avg_pool2d", [randn(2, 3, 7, 8)], kw)


@pytest.mark.parametrize("kw", [{"kernel_size": 3}, {"kernel_size": 4, "stride": 3,
                                                     "padding": 2, "ceil_mode": True},
                                {"kernel_size": 3, "padding": 1, "count_include_pad": False}],
                         ids=str)
def test_avg_pool1d(kw):
    compare("avg_pool1d", [randn(2, 3, 10)], kw)


@pytest.mark.parametrize("size", [1, 3, (2, 5), (4, None), (7, 8)], ids=str)
def test_adaptive_pool2d(size):
    compare("adaptive_avg_pool2d", [randn(2, 3, 7, 8)], {"output_size": size})
    compare("adaptive_max_pool2d", [randn(2, 3, 7, 8)], {"output_size": size})
    compare("adaptive_max_pool2d", [randn(2, 3, 7, 8)], {"output_size": size,
                                                         "return_indices": True})


@pytest.mark.parametrize("size", [1, 3, 4, 10])
def test_adaptive_pool1d(size):
    compare("adaptive_avg_pool1d", [randn(2, 3, 7)], {"output_size": size})
    compare("adaptive_max_pool1d", [randn(2, 3, 7)], {"output_size": size,
                                                      "return_indices": True})


def test_pooling_unbatched():
    compare("max_pool2d", [randn(3, 6, 6)], {"kernel_size": 2, "return_indices": True})
    compare("avg_pool2d", [randn(3, 6, 6)], {"kernel_size": 2})
    compare("adaptive_max_pool2d", [randn(3, 6, 6)], {"output_size": 4})


# -- padding, resampling, unfold/fold ---------------------------------------------------


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
@pytest.mark.parametrize("pad", [(1, 2), (2, 0, 1, 3), (0, 1, 2, 2, 1, 0)], ids=str)
def test_pad(mode, pad):
    shape = {2: (2, 3, 5), 4: (2, 3, 4, 5), 6: (1, 2, 3, 4, 5)}[len(pad)]
    compare("pad", [randn(*shape)], {"pad": pad, "mode": mode})


def test_pad_constant_value_and_cropping():
    compare("pad", [randn(2, 3, 4)], {"pad": (1, 2, 0, 1), "value": 2.5})
    compare("pad", [randn(2, 3, 4)], {"pad": (-1, 2, 1, -1)})
    compare("pad", [randn(2, 3, 4)], {"pad": (1, 1, 1, 1, 1, 1)})


INTERP = [
    ("nearest", {"size": (5, 7)}), ("nearest", {"scale_factor": 2}),
    ("nearest", {"scale_factor": (1.5, 0.5)}), ("nearest", {"size": (3, 2)}),
    ("nearest", {"scale_factor": 1.7, "recompute_scale_factor": True}),
    ("nearest-exact", {"size": (5, 7)}), ("nearest-exact", {"scale_factor": 0.6}),
    ("bilinear", {"size": (5, 7)}), ("bilinear", {"size": (5, 7), "align_corners": True}),
    ("bilinear", {"scale_factor": 2.5}), ("bilinear", {"scale_factor": (0.5, 1.5)}),
    ("bilinear", {"size": (1, 2), "align_corners": True}), ("bilinear", {"size": (3, 2)}),
]


@pytest.mark.parametrize("mode,kw", INTERP, ids=str)
def test_interpolate(mode, kw):
    compare("interpolate", [randn(2, 3, 4, 5)], {"mode": mode, **kw})


@pytest.mark.parametrize("kw", [{"size": 7, "mode": "linear"},
                                {"scale_factor": 0.5, "mode": "linear", "align_corners": True},
                                {"scale_factor": 3}], ids=str)
def test_interpolate_1d(kw):
    compare("interpolate", [randn(2, 3, 6)], kw)


def test_interpolate_3d():
    compare("interpolate", [randn(1, 2, 3, 4, 3)], {"size": (4, 3, 5), "mode": "trilinear"})
    compare("interpolate", [randn(1, 2, 3, 4, 3)], {"scale_factor": 2, "mode": "nearest"})


@pytest.mark.parametrize("kw", [{"kernel_size": 2}, {"kernel_size": (2, 3), "stride": 2},
                                {"kernel_size": 3, "padding": 1, "dilation": 2},
                                {"kernel_size": (3, 2), "stride": (1, 2), "padding": (1, 0)}],
                         ids=str)
def test_unfold_fold(kw):
    compare("unfold", [randn(2, 3, 6, 7)], kw)
    cols = TF.unfold(torch.zeros(2, 3, 6, 7), **kw)
    compare("fold", [randn(*cols.shape)], {"output_size": (6, 7), **kw})


def test_unfold_fold_unbatched():
    compare("unfold", [randn(3, 4, 4)], {"kernel_size": 2})
    compare("fold", [randn(12, 9)], {"output_size": 4, "kernel_size": 2})


@pytest.mark.parametrize("r", [1, 2, 3])
def test_pixel_shuffle(r):
    compare("pixel_shuffle", [randn(2, 2 * r * r, 3, 4)], {"upscale_factor": r})
    compare("pixel_unshuffle", [randn(2, 2, 3 * r, 2 * r)], {"downscale_factor": r})
