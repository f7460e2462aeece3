"""Pytrees: nested tuples, lists, dicts and namedtuples, flattened to a list of leaves.

The function transforms accept and return such nests of arrays; they work on the
flat list of leaves and rebuild the nest at the end.
"""

from __future__ import annotations

LEAF = None
"""The spec of a leaf."""


def flatten(tree) -> tuple[list, object]:
    """``(leaves, spec)``: the leaves in order, and what ``unflatten`` needs to rebuild."""
    leaves: list = []
    return leaves, _flatten(tree, leaves)


def _flatten(x, leaves):
    kind = type(x)
    if kind is tuple or kind is list:
        return (kind, tuple(_flatten(v, leaves) for v in x))
    if isinstance(x, tuple) and hasattr(x, "_fields"):  # a namedtuple
        return (kind, tuple(_flatten(v, leaves) for v in x))
    if isinstance(x, dict):
        return (dict, tuple(x), tuple(_flatten(v, leaves) for v in x.values()))
    leaves.append(x)
    return LEAF


def unflatten(spec, leaves) -> object:
    """The nest described by ``spec`` with ``leaves`` (an iterable) in place of its leaves."""
    return _unflatten(spec, iter(leaves))


def _unflatten(spec, it):
    if spec is LEAF:
        return next(it)
    kind = spec[0]
    if kind is dict:
        return {k: _unflatten(s, it) for k, s in zip(spec[1], spec[2])}
    children = [_unflatten(s, it) for s in spec[1]]
    if kind is tuple or kind is list:
        return kind(children)
    return kind(*children)  # a namedtuple


def leaf_count(spec) -> int:
    if spec is LEAF:
        return 1
    return sum(leaf_count(s) for s in spec[-1])
