"""The ``reduction`` argument every loss takes, and PyTorch's legacy spelling of it."""

from __future__ import annotations

REDUCTIONS = ("mean", "sum", "none")


def reduction_arg(op: str, reduction: str, size_average=None, reduce=None) -> str:
    """``reduction``, or what the legacy ``size_average``/``reduce`` flags say (PyTorch)."""
    if size_average is not None or reduce is not None:
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        reduction = ("mean" if size_average else "sum") if reduce else "none"
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    return reduction


def reduce(loss, reduction: str):
    """Apply a (checked) reduction to a tensor of elementwise losses."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
