"""Bad input to convolutions, pooling, padding, resampling and unfold/fold: clear errors.

Each error names the function, the offending shapes or values, and what to do.
"""

from __future__ import annotations

import numpy as np
import pytest

import wengert as wg
import wengert.nn.functional as F


def t(*shape, dtype=np.float64):
    return wg.tensor(np.ones(shape, dtype=dtype))


@pytest.mark.parametrize("call,error,words", [
    (lambda: F.conv2d(t(1, 3, 5, 5), t(2, 4, 3, 3)), RuntimeError,
     ["conv2d", "(1, 3, 5, 5)", "(2, 4, 3, 3)", "3 channels", "expects 4"]),
    (lambda: F.conv2d(t(1, 4, 5, 5), t(3, 2, 3, 3), groups=2), RuntimeError,
     ["conv2d", "out_channels (3", "divisible by groups (2)"]),
    (lambda: F.conv2d(t(1, 3, 5, 5), t(2, 1, 3, 3), groups=2), RuntimeError,
     ["conv2d", "(1, 3, 5, 5)", "groups=2"]),
    (lambda: F.conv2d(t(1, 1, 2, 2), t(1, 1, 3, 3)), RuntimeError,
     ["conv2d", "kernel of size (3, 3)", "larger than the padded input", "(1, 1, 2, 2)"]),
    (lambda: F.conv1d(t(1, 1, 4), t(1, 1, 3), dilation=2), RuntimeError,
     ["conv1d", "larger than the padded input"]),
    (lambda: F.conv2d(t(5, 5), t(1, 1, 3, 3)), RuntimeError,
     ["conv2d", "3-D (unbatched) or 4-D (batched)", "(5, 5)"]),
    (lambda: F.conv2d(t(1, 1, 5, 5), t(1, 3, 3)), RuntimeError, ["conv2d", "4-D weight", "(1, 3, 3)"]),
    (lambda: F.conv2d(t(1, 1, 5, 5), t(1, 1, 3, 3), t(2)), RuntimeError,
     ["conv2d", "bias must have shape (1,)", "(2,)"]),
    (lambda: F.conv2d(t(1, 1, 5, 5), t(1, 1, 3, 3), stride=2, padding="same"), ValueError,
     ["conv2d", "padding='same'", "strided"]),
    (lambda: F.conv2d(t(1, 1, 5, 5), t(1, 1, 3, 3), padding="full"), ValueError,
     ["conv2d", "'valid' or 'same'", "'full'"]),
    (lambda: F.conv2d(t(1, 1, 5, 5), t(1, 1, 3, 3), stride=(1, 2, 3)), ValueError,
     ["conv2d", "stride", "2 ints"]),
    (lambda: F.conv2d(t(1, 1, 5, 5), t(1, 1, 3, 3), stride=0), ValueError,
     ["conv2d", "stride must be positive"]),
    (lambda: F.conv2d(t(1, 1, 5, 5, dtype=np.float32), t(1, 1, 3, 3)), TypeError,
     ["conv2d", "same dtype", "float32", "float64"]),
    (lambda: F.conv2d(t(1, 1, 5, 5, dtype=np.int64), t(1, 1, 3, 3)), TypeError,
     ["conv2d", "floating point", "int64"]),
    (lambda: F.conv_transpose2d(t(1, 3, 4, 4), t(2, 1, 3, 3)), RuntimeError,
     ["conv_transpose2d", "(1, 3, 4, 4)", "(2, 1, 3, 3)", "3 channels"]),
    (lambda: F.conv_transpose2d(t(1, 2, 4, 4), t(2, 1, 3, 3), stride=2, output_padding=2),
     ValueError, ["conv_transpose2d", "output_padding (2, 2)", "smaller than stride"]),
    (lambda: F.conv_transpose1d(t(1, 1, 1), t(1, 1, 2), padding=2), RuntimeError,
     ["conv_transpose1d", "empty output"]),
    (lambda: F.max_pool2d(t(1, 1, 4, 4), 2, padding=2), ValueError,
     ["max_pool2d", "padding (2, 2)", "at most half the kernel size"]),
    (lambda: F.max_pool2d(t(1, 1, 2, 2), 3), RuntimeError,
     ["max_pool2d", "input size 2", "kernel 3", "empty output"]),
    (lambda: F.max_pool2d(t(4, 4), 2), RuntimeError, ["max_pool2d", "3-D or 4-D", "(4, 4)"]),
    (lambda: F.avg_pool2d(t(1, 1, 4, 4), 2, divisor_override=0), ValueError,
     ["avg_pool2d", "divisor_override"]),
    (lambda: F.adaptive_avg_pool2d(t(1, 1, 4, 4), (2, 2, 2)), ValueError,
     ["adaptive_avg_pool2d", "output_size", "2 ints"]),
    (lambda: F.adaptive_max_pool2d(t(1, 1, 4, 4), 0), RuntimeError,
     ["adaptive_max_pool2d", "output size 0", "positive"]),
    (lambda: F.pad(t(1, 1, 3), (4, 0), mode="reflect"), ValueError,
     ["pad (mode 'reflect')", "(4, 0)", "smaller than the dimension's size 3"]),
    (lambda: F.pad(t(1, 1, 3), (4, 0), mode="circular"), ValueError,
     ["pad (mode 'circular')", "size 3"]),
    (lambda: F.pad(t(1, 3), (1, 1, 1)), ValueError, ["pad", "even number"]),
    (lambda: F.pad(t(3), (1, 1, 1, 1)), ValueError, ["pad", "covers 2 dimensions", "(3,)"]),
    (lambda: F.pad(t(1, 1, 3), (1, 1), mode="mirror"), ValueError, ["pad", "'mirror'"]),
    (lambda: F.pad(t(2, 2, 1, 3), (1, 1), mode="replicate"), ValueError,
     ["pad (mode 'replicate')", "2-D (unbatched) or 3-D", "(2, 2, 1, 3)"]),
    (lambda: F.pad(t(1, 3), (-2, -2)), ValueError, ["pad", "negative size", "(1, 3)"]),
    (lambda: F.interpolate(t(1, 1, 3, 3), size=4, scale_factor=2), ValueError,
     ["interpolate", "exactly one of size and scale_factor"]),
    (lambda: F.interpolate(t(1, 1, 3, 3), size=4, mode="bicubic"), ValueError,
     ["interpolate", "'bicubic'", "'bilinear'"]),
    (lambda: F.interpolate(t(1, 1, 3), size=4, mode="bilinear"), ValueError,
     ["interpolate", "'bilinear' needs a 4-D input", "(1, 1, 3)"]),
    (lambda: F.interpolate(t(1, 1, 3, 3), size=(4, 4, 4)), ValueError,
     ["interpolate", "2 ints", "(1, 1, 3, 3)"]),
    (lambda: F.unfold(t(1, 1, 2, 2), 3), RuntimeError, ["unfold", "(3, 3)", "does not fit"]),
    (lambda: F.unfold(t(2, 2), 1), RuntimeError, ["unfold", "4-D", "(2, 2)"]),
    (lambda: F.fold(t(1, 5, 4), (3, 3), 2), RuntimeError, ["fold", "(1, 5, 4)", "divisible"]),
    (lambda: F.fold(t(1, 4, 5), (3, 3), 2), RuntimeError,
     ["fold", "(1, 4, 5)", "5 columns", "4 windows"]),
    (lambda: F.pixel_shuffle(t(1, 3, 2, 2), 2), RuntimeError,
     ["pixel_shuffle", "(1, 3, 2, 2)", "divisible by upscale_factor**2 = 4"]),
    (lambda: F.pixel_unshuffle(t(1, 1, 3, 4), 2), RuntimeError,
     ["pixel_unshuffle", "(1, 1, 3, 4)", "divisible"]),
])
def test_error(call, error, words):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
