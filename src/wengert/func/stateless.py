"""``functional_call``: run a module with other tensors in place of its parameters and
buffers, so that a model becomes a function of its weights (``torch.func``'s semantics).

That is what makes the function transforms apply to models: ``grad`` of
``lambda params: loss(functional_call(model, params, (x,)))`` is the gradient by
every parameter, with no ``.grad`` fields and no optimizer involved.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping

from .._tensor import TENSOR_TYPES

__all__ = ["functional_call"]

_MISSING = object()  # "the module had no such attribute": delete it again on the way out


def functional_call(module, parameter_and_buffer_dicts, args=None, kwargs=None, *,
                    tie_weights: bool = True, strict: bool = False):
    """``module(*args, **kwargs)`` with the tensors of ``parameter_and_buffer_dicts``
    (a dict, or a tuple of dicts, by dotted name as in ``state_dict``) standing in for
    the module's parameters and buffers; the originals are restored afterwards, even
    if the call raises.

    Names not given keep the module's own tensors (unless ``strict``: then missing and
    unexpected names are an error). With ``tie_weights`` (the default), a tensor the
    module shares under several names (tied weights) is replaced under all of them by
    the value given for any one. ``args`` that is not a tuple is the single positional
    argument. When the module *reassigns* a given name during the call, the new tensor
    is written back into the dict (a single dict only), as PyTorch does; in-place
    updates (e.g. batch norm's running statistics) change the given tensors themselves.

    >>> import wengert as wg
    >>> model = wg.nn.Linear(2, 1)
    >>> params = {"weight": wg.tensor([[1.0, 2.0]]), "bias": wg.tensor([0.5])}
    >>> wg.func.functional_call(model, params, (wg.tensor([[3.0, 4.0]]),))
    tensor([[11.5]])
    >>> loss = lambda p, x: wg.func.functional_call(model, p, (x,)).sum()
    >>> wg.func.grad(loss)(params, wg.tensor([[3.0, 4.0]]))["weight"]
    tensor([[3., 4.]])
    """
    if isinstance(parameter_and_buffer_dicts, Mapping):
        tensors = parameter_and_buffer_dicts
    elif isinstance(parameter_and_buffer_dicts, tuple) and all(
            isinstance(d, Mapping) for d in parameter_and_buffer_dicts):
        tensors = {}
        for d in parameter_and_buffer_dicts:
            repeated = sorted(set(tensors) & set(d))
            if repeated:
                raise ValueError(f"functional_call: {repeated} appeared in multiple "
                                 "dictionaries; behavior of functional call is ambiguous")
            tensors.update(d)
    else:
        raise TypeError("functional_call: expected parameter_and_buffer_dicts to be a dict, "
                        "or a tuple of dicts, of tensors by dotted name, got "
                        f"{type(parameter_and_buffer_dicts).__name__}")
    if kwargs is None:
        kwargs = {}
    if not isinstance(args, tuple):
        args = () if args is None else (args,)
    with _reparametrized(module, tensors, tie_weights, strict):
        return module(*args, **kwargs)


def _named_tensors(module) -> dict:
    """Every parameter and buffer under every name it has (shared ones repeatedly)."""
    out = {}
    for prefix, m in module.named_modules(remove_duplicate=False):
        dot = f"{prefix}." if prefix else ""
        for table in (m._parameters, m._buffers):
            for name, t in table.items():
                if t is not None:
                    out[dot + name] = t
    return out


def _untie(tensors: Mapping, own: dict) -> dict:
    """``tensors`` extended to every name of each given tied tensor."""
    names_of: dict[int, list[str]] = {}
    for name, t in own.items():
        names_of.setdefault(id(t), []).append(name)
    tied = {name: names for names in names_of.values() if len(names) > 1 for name in names}
    out = dict(tensors)
    for given in [name for name in tensors if name in tied]:
        group = tied[given]
        values = {id(tensors[n]) for n in group if n in tensors}
        if len(values) > 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(group)}, "
                             "which are tied. Consider using tie_weights=False")
        for name in group:
            out[name] = tensors[given]
    return out


@contextlib.contextmanager
def _reparametrized(module, tensors: Mapping, tie_weights: bool, strict: bool):
    own = _named_tensors(module)
    swap = _untie(tensors, own) if tie_weights else dict(tensors)
    for name, value in swap.items():
        if type(value) not in TENSOR_TYPES:
            raise TypeError(f"functional_call: the value for {name!r} must be a Tensor, got "
                            f"{type(value).__name__} (wrap arrays with wg.as_tensor)")
    if strict:
        missing = sorted(set(own) - set(swap))
        unexpected = sorted(set(swap) - set(own))
        problems = []
        if unexpected:
            problems.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
        if missing:
            problems.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
        if problems:
            raise RuntimeError(f"functional_call: error(s) in reparametrizing for "
                               f"{type(module).__name__}:\n\t" + "\n\t".join(problems))
    originals: dict = {}
    try:
        for name, value in swap.items():
            originals[name] = _swap(module, name, value)
        yield
    finally:
        now = {name: _swap(module, name, value) for name, value in reversed(originals.items())}
        if isinstance(tensors, dict):  # write back what the module reassigned
            for name in tensors:
                if name in now and now[name] is not _MISSING:
                    tensors[name] = now[name]


def _swap(module, name: str, value):
    """Put ``value`` at the dotted ``name`` of ``module``; return what was there."""
    path, _, leaf = name.rpartition(".")
    owner = module
    for part in path.split(".") if path else ():
        child = owner._modules.get(part) if hasattr(owner, "_modules") else None
        if child is None:
            raise AttributeError(f"functional_call: {type(owner).__name__} has no submodule "
                                 f"{part!r} (in the key {name!r})")
        owner = child
    for table in (owner._parameters, owner._buffers):
        if leaf in table:
            old = table[leaf]
            if value is _MISSING:
                del table[leaf]
            else:
                table[leaf] = value
            return old
    old = owner.__dict__.get(leaf, _MISSING)  # an unknown name: a plain attribute, as PyTorch
    if old is not _MISSING and type(old) not in TENSOR_TYPES:
        raise TypeError(f"functional_call: {name!r} is a {type(old).__name__} attribute of "
                        f"{type(owner).__name__}, not a tensor")
    if value is _MISSING:
        owner.__dict__.pop(leaf, None)
    else:
        object.__setattr__(owner, leaf, value)
    return old
