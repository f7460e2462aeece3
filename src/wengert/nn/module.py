"""``Module``: the base class of layers and models, with PyTorch's API.

A module owns parameters (learnable tensors), buffers (state such as running
statistics) and child modules, all registered by assigning attributes. Its
``state_dict`` uses PyTorch's dotted key names, so a PyTorch state dict
converted to arrays loads into the same wengert model, and back.

>>> import wengert as wg
>>> class Affine(wg.nn.Module):
...     def __init__(self):
...         super().__init__()
...         self.scale = wg.nn.Parameter(wg.ones(3))
...     def forward(self, x):
...         return x * self.scale
>>> m = Affine()
>>> [name for name, _ in m.named_parameters()]
['scale']
>>> m(wg.tensor([1.0, 2.0, 3.0]))
tensor([1., 2., 3.], grad_fn=<MulBackward ...>)
"""

from __future__ import annotations

import itertools
from collections import OrderedDict, namedtuple
from collections.abc import Callable, Iterator

import numpy as np

from .._creation import _check_device
from .._tensor import TENSOR_TYPES, Tensor, bump_version
from ..autograd.grad_mode import no_grad
from .parameter import Buffer, Parameter

IncompatibleKeys = namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])


class RemovableHandle:
    """Returned by the ``register_*_hook`` methods; ``remove()`` unregisters the hook."""

    _ids = itertools.count()

    def __init__(self, hooks: dict):
        self._hooks, self.id = hooks, next(self._ids)

    def remove(self) -> None:
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class Module:
    """Base class for all layers and models: subclass it and define ``forward``."""

    training: bool
    # state a checkpoint may lack (it keeps its value, as PyTorch's loading of older
    # checkpoints does): batch norm's num_batches_tracked
    _optional_state: tuple[str, ...] = ()

    def __init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "training", True)
        set_(self, "_parameters", OrderedDict())
        set_(self, "_buffers", OrderedDict())
        set_(self, "_non_persistent", set())
        set_(self, "_modules", OrderedDict())
        set_(self, "_forward_pre_hooks", OrderedDict())
        set_(self, "_forward_hooks", OrderedDict())

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} has no forward() method: define one")

    def __call__(self, *args, **kwargs):
        if not (self._forward_pre_hooks or self._forward_hooks):
            return self.forward(*args, **kwargs)
        for hook in list(self._forward_pre_hooks.values()):
            changed = hook(self, args)
            if changed is not None:
                args = changed if isinstance(changed, tuple) else (changed,)
        out = self.forward(*args, **kwargs)
        for hook in list(self._forward_hooks.values()):
            changed = hook(self, args, out)
            if changed is not None:
                out = changed
        return out

    # -- registration ---------------------------------------------------------------

    def __setattr__(self, name: str, value) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot assign {name!r} before Module.__init__() ran: call "
                f"super().__init__() first in {type(self).__name__}.__init__")
        if isinstance(value, (Parameter, Module, Buffer)):
            for table in (self._parameters, self._buffers, self._modules):
                table.pop(name, None)
            self.__dict__.pop(name, None)
            if isinstance(value, Parameter):
                self._parameters[name] = value
            elif isinstance(value, Module):
                self._modules[name] = value
            else:
                self.register_buffer(name, value, persistent=value.persistent)
        elif name in self._parameters:  # only None may replace a parameter
            if value is not None:
                raise TypeError(f"cannot assign {type(value).__name__} as parameter {name!r} "
                                f"of {type(self).__name__} (expected nn.Parameter or None)")
            self._parameters[name] = None
        elif name in self._buffers:  # a new value for a buffer stays a buffer
            if value is not None and type(value) not in TENSOR_TYPES:
                raise TypeError(f"cannot assign {type(value).__name__} as buffer {name!r} "
                                "(expected a Tensor or None)")
            self._buffers[name] = value
        elif name in self._modules:
            if value is not None:
                raise TypeError(f"cannot assign {type(value).__name__} as child module "
                                f"{name!r} (expected a Module or None)")
            self._modules[name] = None
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str):
        d = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            if table in d and name in d[table]:
                return d[table][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for table in (self._parameters, self._buffers, self._modules):
            if name in table:
                del table[name]
                self._non_persistent.discard(name)
                return
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register ``param`` (or a placeholder ``None``, e.g. an absent bias) as ``name``."""
        _check_name(self, name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: {name!r} must be a Parameter or None, got "
                            f"{type(param).__name__} (wrap it: nn.Parameter(tensor))")
        self.__dict__.pop(name, None)
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register a tensor that is state but not learned (in ``state_dict`` if persistent)."""
        _check_name(self, name, "buffer")
        if tensor is not None and type(tensor) not in TENSOR_TYPES:
            raise TypeError(f"register_buffer: {name!r} must be a Tensor or None, got "
                            f"{type(tensor).__name__}")
        self.__dict__.pop(name, None)
        self._buffers[name] = tensor
        (self._non_persistent.discard if persistent else self._non_persistent.add)(name)

    def register_module(self, name: str, module: Module | None) -> None:
        _check_name(self, name, "module")
        self._modules[name] = module

    add_module = register_module

    def register_forward_pre_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, args)`` runs before ``forward``; it may return replacement args."""
        handle = RemovableHandle(self._forward_pre_hooks)
        self._forward_pre_hooks[handle.id] = hook
        return handle

    def register_forward_hook(self, hook: Callable) -> RemovableHandle:
        """``hook(module, args, output)`` runs after ``forward``; it may return a new output."""
        handle = RemovableHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        return handle

    # -- traversal ------------------------------------------------------------------

    def named_modules(self, memo: set | None = None, prefix: str = "",
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Module]]:
        memo = set() if memo is None else memo
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, child in self._modules.items():
            if child is not None:
                yield from child.named_modules(memo, f"{prefix}.{name}" if prefix else name,
                                               remove_duplicate)

    def modules(self) -> Iterator[Module]:
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def _named_members(self, table: str, prefix: str, recurse: bool, remove_duplicate: bool):
        seen = set()
        modules = (self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate)
                   if recurse else [(prefix, self)])
        for module_prefix, module in modules:
            for name, value in getattr(module, table).items():
                if value is None or id(value) in seen:
                    continue
                if remove_duplicate:
                    seen.add(id(value))
                yield (f"{module_prefix}.{name}" if module_prefix else name), value

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """``(dotted_name, parameter)`` pairs, each shared parameter once (under every name
        it has with ``remove_duplicate=False``)."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        return self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    # -- modes and gradients --------------------------------------------------------

    def train(self, mode: bool = True) -> Module:
        """Training mode (dropout active, batch norm uses batch statistics); returns self.

        Each child's own ``train`` is called, as in PyTorch, so a submodule that
        overrides it (say, to keep its batch norm frozen) has its say.
        """
        if not isinstance(mode, bool):
            raise TypeError(f"train(mode): mode must be a bool, got {type(mode).__name__}")
        object.__setattr__(self, "training", mode)
        for child in self.children():
            child.train(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode, ``train(False)``; returns self."""
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Clear the parameters' ``.grad`` (to None by default, or to zeros)."""
        for p in self.parameters():
            if p.grad is None:
                continue
            if set_to_none:
                p.grad = None
            else:
                p.grad._data[...] = 0
                bump_version(p.grad)

    # -- conversion -----------------------------------------------------------------

    def apply(self, fn: Callable[[Module], None]) -> Module:
        """Call ``fn`` on every submodule (children first) and on self; returns self."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def to(self, *args, dtype=None, device=None) -> Module:
        """Convert the floating parameters and buffers (and their gradients) to ``dtype``,
        in place.

        A ``device`` argument must be the CPU, the only device.
        """
        for a in args:
            if isinstance(a, str) or type(a).__name__ == "device":
                device = a
            else:
                dtype = a
        if device is not None:
            _check_device(device)
        if dtype is not None:
            dtype = np.dtype(dtype)
            if dtype.kind not in "fc":
                raise TypeError(f"Module.to: only floating point dtypes are allowed, got {dtype}")
            with no_grad():
                for t in itertools.chain(self.parameters(), self.buffers()):
                    if t._data.dtype.kind in "fc":
                        t._data = t._data.astype(dtype)
                        bump_version(t)
                        if t.grad is not None:  # PyTorch converts the gradient too
                            t.grad._data = t.grad._data.astype(dtype)
                            bump_version(t.grad)
        return self

    def float(self) -> Module:
        return self.to(np.float32)

    def double(self) -> Module:
        return self.to(np.float64)

    def half(self) -> Module:
        return self.to(np.float16)

    def cpu(self) -> Module:
        return self

    # -- state ----------------------------------------------------------------------

    def state_dict(self, destination=None, prefix: str = "", keep_vars: bool = False
                   ) -> OrderedDict:
        """Every parameter and persistent buffer by dotted name (PyTorch's keys and layouts).

        The tensors share memory with the module's (detached unless ``keep_vars``).
        """
        out = OrderedDict() if destination is None else destination
        # every path to a shared module gets its keys, as in PyTorch
        for module_prefix, module in self.named_modules(prefix=prefix.rstrip("."),
                                                        remove_duplicate=False):
            dot = f"{module_prefix}." if module_prefix else ""
            for name, p in module._parameters.items():
                if p is not None:
                    out[dot + name] = p if keep_vars else p.detach()
            for name, b in module._buffers.items():
                if b is not None and name not in module._non_persistent:
                    out[dot + name] = b if keep_vars else b.detach()
        return out

    def load_state_dict(self, state_dict, strict: bool = True, assign: bool = False
                        ) -> IncompatibleKeys:
        """Copy ``state_dict``'s values (tensors or arrays) into the parameters and buffers.

        With ``strict`` (the default), missing or unexpected keys raise an error
        that names them; a shape mismatch always does. Returns the missing and
        unexpected keys. With ``assign``, each parameter and buffer takes the
        checkpoint's array itself (its dtype, its memory) instead of a copy cast to
        the module's dtype; the Parameter objects stay the same (PyTorch makes new
        ones).
        """
        own = self.state_dict(keep_vars=True)
        optional = {f"{prefix}.{name}" if prefix else name
                    for prefix, module in self.named_modules(remove_duplicate=False)
                    for name in type(module)._optional_state}
        missing = [k for k in own if k not in state_dict and k not in optional]
        unexpected = [k for k in state_dict if k not in own]
        problems = []
        if strict and missing:
            problems.append(f"missing keys: {', '.join(missing)}")
        if strict and unexpected:
            problems.append(f"unexpected keys: {', '.join(unexpected)}")
        values = {}
        for key, target in own.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            array = value._data if type(value) in TENSOR_TYPES else np.asarray(value)
            if array.shape != target.shape:
                problems.append(f"size mismatch for {key}: the checkpoint has shape "
                                f"{array.shape}, the model {target.shape}")
            elif target.dtype.kind in "iub" and array.dtype.kind not in "iub":
                problems.append(f"dtype mismatch for {key}: the checkpoint has "
                                f"{array.dtype}, the model's integer {target.dtype}")
            values[key] = array
        if problems:
            raise RuntimeError(f"load_state_dict of {type(self).__name__}: "
                               + "; ".join(problems))
        with no_grad():
            for key, array in values.items():  # cast to the model's dtype, as PyTorch
                if assign:
                    own[key]._data = array
                    if own[key].grad is not None and own[key].grad.dtype != array.dtype:
                        own[key].grad = None  # a gradient of the old dtype no longer fits
                else:
                    own[key]._data[...] = array
                bump_version(own[key])
        return IncompatibleKeys(missing, unexpected)

    # -- printing -------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The layer's settings, shown in its ``repr`` (override in subclasses)."""
        return ""

    def __repr__(self) -> str:
        lines = []
        for name, child in self._modules.items():
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"({name}): {body}")
        extra = self.extra_repr()
        if not lines:
            return f"{type(self).__name__}({extra})"
        head = f"{type(self).__name__}(" + (f"{extra}" if extra else "")
        return head + "\n  " + "\n  ".join(lines) + "\n)"

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers)
                      | set(self._modules))


def _check_name(module: Module, name: str, what: str) -> None:
    if "_parameters" not in module.__dict__:
        raise AttributeError(f"cannot register a {what} before Module.__init__() ran")
    if not isinstance(name, str) or not name or "." in name:
        raise KeyError(f"{what} name must be a non-empty string without '.', got {name!r}")
    # PyTorch refuses a name the module already uses for something else: registering
    # over a parameter (or a method) would leave two things under one name
    table = {"parameter": "_parameters", "buffer": "_buffers", "module": "_modules"}[what]
    if name not in module.__dict__[table] and hasattr(module, name):
        raise KeyError(f"register_{what}: attribute {name!r} already exists in "
                       f"{type(module).__name__}; delete it first (del module.{name}) or "
                       "choose another name")
