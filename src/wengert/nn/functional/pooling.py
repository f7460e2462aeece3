"""Pooling: ``max_pool1d/2d/3d``, ``avg_pool1d/2d/3d`` and the adaptive poolings, PyTorch's
options.

Average pooling is a composite, separable (one ``(out, in)`` averaging matrix
per spatial dim, applied with ``matmul``). Max pooling finds the pick of each
window once and gathers the input there (``_spatial``: the primitives
``max_pool`` and ``max_pool_backward``). Ties follow PyTorch's CPU kernels:
the output and the gradient take the first maximum of the window in row-major
order; a NaN is the maximum, and the last NaN of the window is taken.

Dtypes are PyTorch's (its CPU kernels, 2.13): max pooling takes floating point
and integer input (values and dtype kept; an integer result never requires
grad), average pooling floating point and int64 (the sum, wrapping like
int64, divided rounding toward zero), adaptive pooling floating point only;
bool and complex are refused. One deviation: PyTorch's ``max_pool1d`` refuses
integer input unless ``return_indices=True`` (its fast path has no integer
kernel); here both give the values ``return_indices=True`` gives there.
"""

from __future__ import annotations

import numpy as np

from ..._creation import as_tensor
from ..._tensor import Tensor
from ...ops._registry import REAL_ONLY, refuse_complex, tensor_arg
from ...ops.reduce import sum as sum_
from ._spatial import along_dims, grid_picks, max_at_picks, table_picks, window_table
from .conv import batched, ntuple

__all__ = [
    "adaptive_avg_pool1d",
    "adaptive_avg_pool2d",
    "adaptive_avg_pool3d",
    "adaptive_max_pool1d",
    "adaptive_max_pool2d",
    "adaptive_max_pool3d",
    "avg_pool1d",
    "avg_pool2d",
    "avg_pool3d",
    "max_pool1d",
    "max_pool2d",
    "max_pool3d",
]


def _out_size(size, k, s, p, d, ceil_mode, op):
    """PyTorch's pooling output size (a ceil-mode window must start inside input or left pad)."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    if out < 1:
        raise RuntimeError(f"{op}: input size {size} with kernel {k}, stride {s}, padding {p}, "
                           f"dilation {d} gives an empty output; use a smaller kernel or pad")
    return out


# The dtypes each kind of pooling takes (PyTorch's CPU kernels): kinds, and in words.
_MAX_DTYPES = ("fiu", "floating point or integer")
_AVG_DTYPES = ("f", "floating point or int64")
_ADAPTIVE_DTYPES = ("f", "floating point")


def _pool_input(op, x, dtypes):
    """``x`` as a tensor of a dtype ``op`` takes (``dtypes``: one of the tables above),
    or the TypeError that names the op, the dtype and the conversion."""
    t = tensor_arg(x)
    kinds, words = dtypes
    if t.dtype.kind in kinds or (dtypes is _AVG_DTYPES and t.dtype == np.int64):
        return t
    refuse_complex(t, op, REAL_ONLY)
    if dtypes is _AVG_DTYPES and t.dtype.kind in "biu":
        fix = "x.long() (an integer average) or x.float()"
    elif "i" in kinds:  # bool to max pooling
        fix = "x.to(wg.uint8) or x.float()"
    else:
        fix = "x.float()"
    raise TypeError(f"{op}: expected a {words} tensor, got dtype {t.dtype} (PyTorch has no "
                    f"{op} kernel for it); convert first, e.g. {fix}")


def _options(op, x, n, kernel_size, stride, padding, dilation=1, dtypes=_MAX_DTYPES):
    x = _pool_input(op, x, dtypes)
    if x.ndim not in (n + 1, n + 2):
        raise RuntimeError(f"{op}: expected a {n + 1}-D or {n + 2}-D input, got shape "
                           f"{tuple(x.shape)}")
    k = ntuple(kernel_size, n, "kernel_size", op)
    s = k if stride is None or stride == () or stride == [] else ntuple(stride, n, "stride", op)
    p = ntuple(padding, n, "padding", op)
    d = ntuple(dilation, n, "dilation", op)
    if any(v < 1 for v in k + s + d):
        raise ValueError(f"{op}: kernel_size {k}, stride {s} and dilation {d} must be positive")
    if any(pi < 0 or pi > ki // 2 for pi, ki in zip(p, k)):
        raise ValueError(f"{op}: padding {p} must be non-negative and at most half the "
                         f"kernel size {k}")
    return x, k, s, p, d


def _max_pool(n, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices):  # noqa: A002
    op = f"max_pool{n}d"
    x, k, s, p, d = _options(op, input, n, kernel_size, stride, padding, dilation)
    x, unbatched = batched(x, n, op)
    out = [_out_size(*args, ceil_mode, op) for args in zip(x.shape[2:], k, s, p, d)]
    return max_at_picks(x, grid_picks(x._data, out, k, s, d, p), unbatched, return_indices)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,  # noqa: A002
               return_indices=False) -> Tensor:
    """Maximum over sliding windows of ``input`` (N, C, L); ties go to the first maximum.

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.max_pool1d(wg.tensor([[[1.0, 3.0, 2.0, 5.0]]]), 2).tolist()
    [[[3.0, 5.0]]]
    """
    return _max_pool(1, input, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,  # noqa: A002
               return_indices=False) -> Tensor:
    """Maximum over sliding windows of ``input`` (N, C, H, W); ties go to the first maximum.

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.max_pool2d(wg.arange(16.0).reshape(1, 1, 4, 4), 2).tolist()
    [[[[5.0, 7.0], [13.0, 15.0]]]]
    """
    return _max_pool(2, input, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,  # noqa: A002
               return_indices=False) -> Tensor:
    """Maximum over sliding windows of ``input`` (N, C, D, H, W); ties go to the first maximum.

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.max_pool3d(wg.arange(8.0).reshape(1, 1, 2, 2, 2), 2).tolist()
    [[[[[7.0]]]]]
    """
    return _max_pool(3, input, kernel_size, stride, padding, dilation, ceil_mode,
                     return_indices)


def _avg_windows(size, k, s, p, ceil_mode, count_include_pad, op):
    """One dim's windows: the band ``(out, size)`` (which inputs each sums) and the count
    each divides by (PyTorch's ``count_include_pad``; windows clip at the padding's end)."""
    out = _out_size(size, k, s, p, 1, ceil_mode, op)
    starts = np.arange(out) * s - p
    ends = np.minimum(starts + k, size + p)
    i = np.arange(size)
    band = (i >= starts[:, None]) & (i < ends[:, None])
    return band, ends - starts if count_include_pad else band.sum(axis=1)


def _divide_toward_zero(total, count):
    """``total / count`` of integer arrays rounded toward zero (C's ``/``, PyTorch's)."""
    q = total // count
    return q + ((q * count != total) & ((total < 0) != (count < 0)))


def _average(x, windows, divisor_override=None):
    """``x`` ``(N, C, *spatial)`` averaged over ``windows`` (per spatial dim, a band and its
    counts: ``_avg_windows``), or summed and divided by ``divisor_override``.

    A sliding average is one matrix per dim, the count folded into its rows. A
    global one (each dim a single window over the whole input: the end of a CNN)
    is a plain ``sum`` over the spatial axes divided by the count, as PyTorch
    computes it: half the work of two matmuls forward and backward, and the
    rounding of a sum then one division (not of a sum of ``x / count`` products,
    so the last bit may differ from a sliding average with the same numbers).
    Integer (int64) input has no gradient: PyTorch's wrapping sum divided as in C.
    """
    n = len(windows)
    whole = all(band.shape[0] == 1 and band.all() for band, _ in windows)
    if not whole and x.dtype.kind == "f":
        if divisor_override is not None:
            return along_dims(x, [band for band, _ in windows]) / float(divisor_override)
        return along_dims(x, [band / count[:, None] for band, count in windows])
    if whole:
        total = sum_(x, tuple(range(x.ndim - n, x.ndim)), keepdim=True)
    else:
        total = along_dims(x, [band for band, _ in windows])
    count = divisor_override
    if count is None:  # separable: a window's count is the product of each dim's
        count = 1
        for j, (_, c) in enumerate(windows):
            count = count * c.reshape([-1 if i == j else 1 for i in range(n)])
    if x.dtype.kind == "f":
        return total / float(np.asarray(count).reshape(()))
    return as_tensor(_divide_toward_zero(total._data, np.asarray(count, np.int64)))


def _avg_pool(n, input, kernel_size, stride, padding, ceil_mode, count_include_pad,  # noqa: A002
              divisor_override):
    op = f"avg_pool{n}d"
    x, k, s, p, _ = _options(op, input, n, kernel_size, stride, padding, dtypes=_AVG_DTYPES)
    if divisor_override is not None and divisor_override == 0:
        raise ValueError(f"{op}: divisor_override must be non-zero")
    return _average(x, [_avg_windows(size, ki, si, pi, ceil_mode, count_include_pad, op)
                        for size, ki, si, pi in zip(x.shape[-n:], k, s, p)], divisor_override)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,  # noqa: A002
               count_include_pad=True) -> Tensor:
    """Mean over sliding windows of ``input`` (N, C, L).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.avg_pool1d(wg.tensor([[[1.0, 3.0, 2.0, 6.0]]]), 2).tolist()
    [[[2.0, 4.0]]]
    """
    return _avg_pool(1, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     None)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,  # noqa: A002
               count_include_pad=True, divisor_override=None) -> Tensor:
    """Mean over sliding windows of ``input`` (N, C, H, W) (or sum / ``divisor_override``).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.avg_pool2d(wg.arange(16.0).reshape(1, 1, 4, 4), 2).tolist()
    [[[[2.5, 4.5], [10.5, 12.5]]]]
    """
    return _avg_pool(2, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,  # noqa: A002
               count_include_pad=True, divisor_override=None) -> Tensor:
    """Mean over sliding windows of ``input`` (N, C, D, H, W) (or sum / ``divisor_override``).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.avg_pool3d(wg.arange(8.0).reshape(1, 1, 2, 2, 2), 2).tolist()
    [[[[[3.5]]]]]
    """
    return _avg_pool(3, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                     divisor_override)


# -- adaptive pooling ----------------------------------------------------------------


def _adaptive_bounds(op, x, n, output_size):
    """Per dim, the windows ``[floor(i * in / out), ceil((i + 1) * in / out))``."""
    x = _pool_input(op, x, _ADAPTIVE_DTYPES)
    if x.ndim not in (n + 1, n + 2):
        raise RuntimeError(f"{op}: expected a {n + 1}-D or {n + 2}-D input, got shape "
                           f"{tuple(x.shape)}")
    if output_size is None or isinstance(output_size, int):
        output_size = (output_size,) * n
    output_size = tuple(output_size)
    if len(output_size) != n:
        raise ValueError(f"{op}: output_size must be an int or {n} ints, got {output_size}")
    bounds = []
    for size, out in zip(x.shape[-n:], output_size):
        out = size if out is None else out
        if out < 1 or size < 1:
            raise RuntimeError(f"{op}: output size {out} and input size {size} must be "
                               f"positive (input {tuple(x.shape)})")
        i = np.arange(out)
        bounds.append((size, (i * size) // out, -((-(i + 1) * size) // out)))
    return x, bounds


def _adaptive_avg(n, input, output_size):  # noqa: A002
    x, bounds = _adaptive_bounds(f"adaptive_avg_pool{n}d", input, n, output_size)
    windows = []
    for size, starts, ends in bounds:
        i = np.arange(size)
        windows.append(((i >= starts[:, None]) & (i < ends[:, None]), ends - starts))
    return _average(x, windows)


def adaptive_avg_pool1d(input, output_size) -> Tensor:  # noqa: A002
    """Mean over ``output_size`` windows that tile ``input`` (N, C, L).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.adaptive_avg_pool1d(wg.tensor([[[1.0, 3.0, 2.0, 6.0]]]), 1).tolist()
    [[[3.0]]]
    """
    return _adaptive_avg(1, input, output_size)


def adaptive_avg_pool2d(input, output_size) -> Tensor:  # noqa: A002
    """Mean over the ``output_size`` grid of windows that tile ``input`` (N, C, H, W).

    ``output_size`` is an int or a pair; ``None`` keeps that dim's size.

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.adaptive_avg_pool2d(wg.ones(2, 3, 5, 7), (2, None)).shape
    (2, 3, 2, 7)
    """
    return _adaptive_avg(2, input, output_size)


def adaptive_avg_pool3d(input, output_size) -> Tensor:  # noqa: A002
    """Mean over the ``output_size`` grid of windows that tile ``input`` (N, C, D, H, W).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.adaptive_avg_pool3d(wg.ones(2, 3, 4, 5, 6), (1, None, 2)).shape
    (2, 3, 1, 5, 2)
    """
    return _adaptive_avg(3, input, output_size)


def _adaptive_max(n, input, output_size, return_indices):  # noqa: A002
    op = f"adaptive_max_pool{n}d"
    x, bounds = _adaptive_bounds(op, input, n, output_size)
    x, unbatched = batched(x, n, op)
    tables = [window_table(starts, size, int(max(ends - starts)), 1, ends)
              for size, starts, ends in bounds]
    return max_at_picks(x, table_picks(x._data, tables), unbatched, return_indices)


def adaptive_max_pool1d(input, output_size, return_indices=False) -> Tensor:  # noqa: A002
    """Maximum over ``output_size`` windows that tile ``input`` (N, C, L).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.adaptive_max_pool1d(wg.tensor([[[1.0, 3.0, 2.0, 6.0]]]), 2).tolist()
    [[[3.0, 6.0]]]
    """
    return _adaptive_max(1, input, output_size, return_indices)


def adaptive_max_pool2d(input, output_size, return_indices=False) -> Tensor:  # noqa: A002
    """Maximum over the ``output_size`` grid of windows that tile ``input`` (N, C, H, W).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.adaptive_max_pool2d(wg.arange(16.0).reshape(1, 1, 4, 4), 1).tolist()
    [[[[15.0]]]]
    """
    return _adaptive_max(2, input, output_size, return_indices)


def adaptive_max_pool3d(input, output_size, return_indices=False) -> Tensor:  # noqa: A002
    """Maximum over the ``output_size`` grid of windows that tile ``input`` (N, C, D, H, W).

    >>> import wengert as wg
    >>> import wengert.nn.functional as F
    >>> F.adaptive_max_pool3d(wg.arange(8.0).reshape(1, 1, 2, 2, 2), 1).tolist()
    [[[[[7.0]]]]]
    """
    return _adaptive_max(3, input, output_size, return_indices)
