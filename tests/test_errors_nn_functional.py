"""Bad input to ``wg.nn.functional``: clear errors naming the function, the shapes or
dtypes and the fix; never a silent wrong result."""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg

F = wg.nn.functional


def logits(*shape):
    return wg.randn(*shape, requires_grad=True)


def test_cross_entropy_target_shape_mismatch():
    with pytest.raises(ValueError, match=r"cross_entropy: .*\(4, 5\).*\(4,\), got \(3,\)"):
        F.cross_entropy(logits(4, 5), wg.tensor([0, 1, 2]))
    with pytest.raises(ValueError, match=r"nll_loss: .*\(2, 3\)"):
        F.nll_loss(logits(2, 5, 3), wg.tensor([0, 1]))


def test_cross_entropy_target_dtype():
    with pytest.raises(TypeError, match="cross_entropy: class-index targets must be an integer"):
        F.cross_entropy(logits(4, 5), wg.tensor([True, False, True, True]))
    with pytest.raises(ValueError, match=r"class-probability targets must have the input's "
                                         r"shape \(4, 5\), got \(4,\)"):
        F.cross_entropy(logits(4, 5), wg.tensor([0.0, 1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match="nll_loss: targets must be an integer"):
        F.nll_loss(logits(4, 5), wg.tensor([0.0, 1.0, 2.0, 3.0]))


@pytest.mark.parametrize("fn", [F.cross_entropy, F.nll_loss])
def test_class_index_out_of_range(fn):
    with pytest.raises(IndexError, match=r"target 5 is out of bounds for 5 classes"):
        fn(logits(3, 5), wg.tensor([0, 5, 1]))
    with pytest.raises(IndexError, match=r"target -1 is out of bounds"):
        fn(logits(3, 5), wg.tensor([0, -1, 1]))
    fn(logits(3, 5), wg.tensor([0, -1, 1]), ignore_index=-1)  # ignored: fine


def test_cross_entropy_bad_weight_reduction_smoothing_and_0d_input():
    with pytest.raises(ValueError, match=r"cross_entropy: weight must have shape \(5,\)"):
        F.cross_entropy(logits(3, 5), wg.tensor([0, 1, 2]), weight=wg.ones(4))
    with pytest.raises(ValueError, match="cross_entropy: reduction must be 'mean', 'sum' or "
                                         "'none', got 'avg'"):
        F.cross_entropy(logits(3, 5), wg.tensor([0, 1, 2]), reduction="avg")
    with pytest.raises(ValueError, match=r"label_smoothing must be in \[0, 1\]"):
        F.cross_entropy(logits(3, 5), wg.tensor([0, 1, 2]), label_smoothing=1.5)
    with pytest.raises(ValueError, match="at least 1 dimension"):
        F.cross_entropy(wg.tensor(1.0), wg.tensor(0))


def test_integer_inputs_are_refused():
    with pytest.raises(TypeError, match="softmax: expected a floating point tensor"):
        F.softmax(wg.tensor([1, 2]), dim=0)
    with pytest.raises(TypeError, match="cross_entropy: expected a floating point tensor"):
        F.cross_entropy(wg.tensor([[1, 2]]), wg.tensor([0]))


def test_softmax_dim_out_of_range():
    with pytest.raises(IndexError, match=r"log_softmax: dim 2 is out of range .* \(2, 3\)"):
        F.log_softmax(logits(2, 3), dim=2)


@pytest.mark.parametrize("fn", [F.layer_norm, F.rms_norm])
def test_wrong_normalized_shape(fn):
    name = fn.__name__
    with pytest.raises(ValueError, match=rf"{name}: given normalized_shape=\[3\], expected an "
                                         rf"input of shape \[\*, 3\], but got .*\[2, 4\]"):
        fn(logits(2, 4), (3,))
    with pytest.raises(ValueError, match=rf"{name}: weight must have 4 elements"):
        fn(logits(2, 4), (4,), wg.ones(3))


def test_normalization_shapes():
    with pytest.raises(ValueError, match=r"group_norm: the number of channels 6 .* "
                                         r"num_groups=4"):
        F.group_norm(logits(2, 6, 3), 4)
    with pytest.raises(ValueError, match="batch_norm: expected more than 1 value per channel"):
        F.batch_norm(logits(1, 3), None, None, training=True)
    with pytest.raises(ValueError, match="running_mean and running_var must be given"):
        F.batch_norm(logits(2, 3), None, None)
    with pytest.raises(ValueError, match=r"batch_norm: running_mean must have shape \(3,\)"):
        F.batch_norm(logits(2, 3), wg.zeros(4), wg.ones(4), training=True)


def test_loss_shape_mismatches():
    with pytest.raises(ValueError, match=r"mse_loss: input of shape \(2, 3\) and target of "
                                         r"shape \(4,\) do not broadcast"):
        F.mse_loss(logits(2, 3), wg.zeros(4))
    with pytest.raises(ValueError, match=r"binary_cross_entropy: target of shape \(3,\)"):
        F.binary_cross_entropy(wg.full((2, 3), 0.5), wg.zeros(3))
    with pytest.raises(ValueError, match=r"mse_loss: weight must have the input's shape"):
        F.mse_loss(logits(2, 3), wg.zeros(2, 3), weight=wg.ones(3))
    with pytest.raises(ValueError, match="binary_cross_entropy: all elements of input must be "
                                         "in"):
        F.binary_cross_entropy(wg.tensor([1.5]), wg.tensor([1.0]))


def test_linear_shapes():
    with pytest.raises(ValueError, match=r"linear: input of shape \(2, 3\) and weight of shape "
                                         r"\(4, 5\) do not match"):
        F.linear(logits(2, 3), logits(4, 5))
    with pytest.raises(ValueError, match=r"linear: bias must have shape \(4,\)"):
        F.linear(logits(2, 5), logits(4, 5), wg.zeros(3))
    with pytest.raises(TypeError, match="linear: input, weight and bias must have one dtype"):
        F.linear(logits(2, 5), wg.randn(4, 5, dtype=wg.float64))


def test_lookup_errors():
    with pytest.raises(IndexError, match=r"embedding: index 4 is out of range for a weight "
                                         r"with 4 rows"):
        F.embedding(wg.tensor([0, 4]), logits(4, 2))
    with pytest.raises(TypeError, match="embedding: indices must be an integer"):
        F.embedding(wg.tensor([0.0]), logits(4, 2))
    with pytest.raises(IndexError, match=r"one_hot: class values must be in \[0, 2\]"):
        F.one_hot(wg.tensor([0, 3]), 3)
    with pytest.raises(TypeError, match="one_hot: indices must be an integer"):
        F.one_hot(wg.tensor([0.5]))


def test_dropout_probability():
    with pytest.raises(ValueError, match="dropout: dropout probability has to be between 0 "
                                         "and 1, but got 1.5"):
        F.dropout(logits(3), p=1.5)


def test_attention_shapes():
    with pytest.raises(ValueError, match=r"scaled_dot_product_attention: expected query"):
        F.scaled_dot_product_attention(logits(2, 3, 4), logits(2, 5, 3), logits(2, 5, 3))
    with pytest.raises(ValueError, match="either attn_mask or is_causal"):
        F.scaled_dot_product_attention(logits(3, 4), logits(3, 4), logits(3, 4),
                                       attn_mask=np.ones((3, 3), bool), is_causal=True)
