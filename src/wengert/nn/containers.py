"""Containers of modules: ``Sequential``, ``ModuleList``, ``ModuleDict``."""

from __future__ import annotations

import operator
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping

from .module import Module


class _ModuleSequence(Module):
    """What ``Sequential`` and ``ModuleList`` share: children named "0", "1", ... in call
    order, and the list operations on them (PyTorch renumbers after each change)."""

    def __setitem__(self, index: int, module: Module) -> None:
        _replace(self, list(self._modules)[_index(index, len(self))], module)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __delitem__(self, index) -> None:
        _delete(self, index)

    def pop(self, index: int = -1) -> Module:
        module = self[index]
        del self[index]
        return module

    def append(self, module: Module):
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules: Iterable[Module]):
        for m in modules:
            self.append(m)
        return self

    def insert(self, index: int, module: Module):
        items = list(self._modules.values())
        items.insert(index, module)
        _renumber(self, items)
        return self


class Sequential(_ModuleSequence):
    """Modules applied one after the other; children are named "0", "1", ...

    >>> import wengert as wg
    >>> net = wg.nn.Sequential(wg.nn.Linear(4, 3), wg.nn.Linear(3, 2))
    >>> net(wg.zeros(5, 4)).shape
    (5, 2)
    >>> [name for name, _ in net.named_parameters()]
    ['0.weight', '0.bias', '1.weight', '1.bias']
    """

    def __init__(self, *modules: Module):
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, m in modules[0].items():
                self.add_module(name, m)
        else:
            for i, m in enumerate(modules):
                self.add_module(str(i), m)

    def forward(self, input):  # noqa: A002 - PyTorch's argument name
        for m in self._modules.values():
            input = m(input)  # noqa: A001
        return input

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(OrderedDict(list(self._modules.items())[index]))
        return list(self._modules.values())[_index(index, len(self))]


class ModuleList(_ModuleSequence):
    """A list of modules, registered so their parameters are found (no ``forward``)."""

    def __init__(self, modules: Iterable[Module] | None = None):
        super().__init__()
        self.extend(modules or ())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ModuleList(list(self._modules.values())[index])
        return self._modules[str(_index(index, len(self)))]

    def __add__(self, other: Iterable[Module]) -> ModuleList:
        return ModuleList([*self, *other])

    def insert(self, index: int, module: Module) -> None:  # (PyTorch's returns None here)
        super().insert(index, module)


class ModuleDict(Module):
    """A dict of modules by name, registered so their parameters are found."""

    def __init__(self, modules: Mapping[str, Module] | Iterable | None = None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: str) -> bool:
        return key in self._modules

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()

    def update(self, modules) -> None:
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for key, m in pairs:
            self.add_module(key, m)

    def pop(self, key: str) -> Module:
        return self._modules.pop(key)


def _replace(container: Module, key: str, module: Module) -> None:
    """Put ``module`` in ``key``'s place: the order of the children is the order of the
    calls (``setattr`` would move it to the end)."""
    if not isinstance(module, Module):
        raise TypeError(f"{type(container).__name__}: can only hold Modules, got "
                        f"{type(module).__name__}")
    container._modules[key] = module


def _renumber(container: Module, modules: list) -> None:
    """Make ``modules`` the children, named "0", "1", ... (PyTorch's after a change)."""
    container._modules.clear()
    for i, m in enumerate(modules):
        container.add_module(str(i), m)


def _delete(container: Module, index) -> None:
    """Remove the child(ren) at an index or slice; the rest are renumbered from 0."""
    items = list(container._modules.values())
    if isinstance(index, slice):
        del items[index]
    else:
        del items[_index(index, len(items))]
    _renumber(container, items)


def _index(index, length: int) -> int:
    index = operator.index(index)
    if not -length <= index < length:
        raise IndexError(f"index {index} is out of range for a container of {length} modules")
    return index % length
