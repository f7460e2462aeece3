"""``Tensor``: an array that remembers how it was computed.

The math methods and operators (``+``, ``sin``, ``sum``, ``__getitem__``, ...)
are attached by the modules in ``wengert.ops``, each next to the primitive
that implements it, so that an op lives in one block in one file.
"""

from __future__ import annotations

import weakref

import numpy as np

from . import _backend
from .autograd.grad_mode import _mode
from .autograd.node import SEQ, last_change


class Tensor:
    """A multi-dimensional array that records the operations run on it.

    Create tensors with :func:`wengert.tensor` and friends. A tensor that
    ``requires_grad`` is a *leaf* of the computation; results computed from it
    carry a ``grad_fn`` (the tape entry that made them), and
    :meth:`backward` fills the ``.grad`` of the leaves.

    >>> import wengert as wg
    >>> x = wg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    tensor([2., 4., 6.])
    """

    # _data: the array. _node: the tape entry that produced it (None for a
    # leaf). _vc: version counter, a one-element list shared with views, made
    # only when first needed (None reads as version 0), so that most tensors
    # never allocate one. _fw: forward-mode tangents, {level: Tensor}, or
    # None. _grad: the accumulated gradient. _rare: the fields few tensors set
    # (a view's base, hooks, retain_grad: see ``Rare``), or None, as for nearly
    # every tensor an op makes: one store instead of four per tensor made.
    # Every slot is set when a tensor is made (``_wrap``): a class with a
    # ``__getattr__`` (lazy defaults) would make CPython 3.11 skip its
    # specialized attribute access on every ``t._data`` of the hot path, and a
    # ``__dict__`` for rare fields costs more per tensor than the stores it saves.
    __slots__ = ("_data", "_node", "_requires_grad", "_vc", "_fw", "_grad", "_rare",
                 "__weakref__")

    __array_priority__ = 1000
    # Until wengert.numpy installs the real protocols (wengert.numpy._protocols:
    # np.sin(t) and np.float64(2) * t give tensors on the tape), NumPy defers its
    # binary operators to ours instead of converting the tensor to an array.
    __array_ufunc__ = None

    def __init__(self, data, requires_grad: bool = False, dtype=None):
        from ._creation import _as_array

        self._data = _as_array(data, dtype)
        self._node = None
        self._requires_grad = False
        self._vc = None
        self._fw = None
        self._grad = None
        self._rare = None
        if requires_grad:
            self.requires_grad_(True)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        TENSOR_TYPES.add(cls)

    __hash__ = object.__hash__

    # -- basic attributes ---------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self._data.shape

    def size(self, dim: int | None = None):
        """The shape, or one of its sizes (PyTorch's ``size``)."""
        return self._data.shape if dim is None else self._data.shape[dim]

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def device(self) -> _backend.device:
        return _backend.CPU

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    def __len__(self) -> int:
        if not self._data.ndim:
            raise TypeError("len() of a 0-d tensor")
        return len(self._data)

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded operation."""
        return self._node is None

    @property
    def grad_fn(self):
        """The tape entry (``Node``) that produced this tensor, or None for a leaf."""
        return self._node

    @property
    def _base(self) -> Tensor | None:
        """The tensor whose memory this view (or ``detach()``) shares, or None."""
        rare = self._rare
        return None if rare is None else rare.base

    @property
    def _version(self) -> int:
        """How many times this tensor's data (or a view's) was changed in place."""
        return 0 if self._vc is None else self._vc[0]

    # -- requires_grad ------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set whether gradients are recorded for this leaf; returns ``self``."""
        if self._node is not None:
            if requires_grad:
                return self
            raise RuntimeError(
                "requires_grad_(False): this tensor is not a leaf (it was computed from "
                "tensors that require grad). Use .detach() to get a tensor without history."
            )
        if requires_grad and not _backend.is_differentiable_dtype(self._data.dtype):
            raise RuntimeError(
                f"requires_grad=True needs a floating or complex dtype, but this tensor has "
                f"dtype {self._data.dtype}. Only floating point tensors can require gradients: "
                f"convert first, e.g. x.to(wg.float32).requires_grad_()."
            )
        self._requires_grad = bool(requires_grad)
        return self

    # -- grad ---------------------------------------------------------------
    @property
    def grad(self) -> Tensor | None:
        """The accumulated gradient of a leaf (or of a tensor that ``retain_grad()``)."""
        return self._grad

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad must be a Tensor or None, got {type(value).__name__}")
            if value.shape != self.shape or value.dtype != self.dtype:
                raise RuntimeError(
                    f"assigned grad has shape {value.shape} and dtype {value.dtype}, but the "
                    f"tensor has shape {self.shape} and dtype {self.dtype}; they must match")
        self._grad = value

    def retain_grad(self) -> None:
        """Keep ``.grad`` for this non-leaf tensor after backward (leaves always keep it)."""
        if self._node is None:
            if not self._requires_grad:
                raise RuntimeError("retain_grad() on a tensor that does not require grad")
            return
        rare = rare_fields(self)
        if rare.retains_grad:
            return
        rare.retains_grad = True
        self._node.register_hook(_RetainGrad(self))

    @property
    def retains_grad(self) -> bool:
        rare = self._rare
        return rare is not None and rare.retains_grad

    def register_hook(self, hook):
        """Call ``hook(grad)`` with this tensor's gradient during backward.

        The hook may return a new gradient to use instead. Returns a handle
        with ``remove()``.

        >>> import wengert as wg
        >>> x = wg.tensor([1.0, 2.0], requires_grad=True)
        >>> h = x.register_hook(lambda g: g * 10)
        >>> x.sum().backward(); x.grad
        tensor([10., 10.])
        """
        from .autograd.node import _RemovableHandle

        if not self._requires_grad:
            raise RuntimeError("register_hook on a tensor that does not require grad")
        if self._node is not None:
            return self._node.register_hook(hook)
        rare = rare_fields(self)
        if rare.hooks is None:
            rare.hooks = []
        rare.hooks.append(hook)
        return _RemovableHandle(rare.hooks, hook)

    # -- leaving the graph --------------------------------------------------
    def detach(self) -> Tensor:
        """The same data (shared, with the same version counter), without history."""
        if type(self._data) is not np.ndarray:
            self._data = np.asarray(self._data)  # a NumPy scalar cannot be shared
        return make_view(_wrap(self._data), self)

    def detach_(self) -> Tensor:
        """Make this tensor a leaf that does not require grad, in place."""
        self._node = None
        self._requires_grad = False
        self._fw = None
        return self

    @property
    def data(self) -> Tensor:
        """The data as a new tensor without history; changes to it are not tracked."""
        return _wrap(self._data)

    @data.setter
    def data(self, value) -> None:
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    # -- conversion ---------------------------------------------------------
    def numpy(self) -> np.ndarray:
        """The data as a NumPy array (shared memory where possible)."""
        if self._requires_grad:
            raise RuntimeError(
                "numpy() on a tensor that requires grad would silently drop its gradient. "
                "Use tensor.detach().numpy() instead."
            )
        return np.asarray(self._data)

    def __array__(self, dtype=None, copy=None):
        """``np.asarray(t)``: the data (NumPy 2's ``copy`` semantics). Refused for a tensor
        that requires grad, as ``numpy()`` is: the gradient would be silently dropped."""
        if self._requires_grad:
            raise RuntimeError(
                "np.asarray()/np.array() of a tensor that requires grad would silently drop "
                "its gradient: use np.asarray(t.detach()), or wengert.numpy functions "
                "(import wengert.numpy as wnp), which keep the graph.")
        data = np.asarray(self._data)
        if dtype is not None and data.dtype != dtype:
            if copy is False:
                raise ValueError(f"np.asarray(t, dtype={dtype}, copy=False): converting "
                                 f"{data.dtype} to {dtype} needs a copy")
            return data.astype(dtype)
        return data.copy() if copy else data

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(
                f"item(): a Tensor with {self._data.size} elements cannot be converted to a "
                "Python scalar; index it first or use .tolist()"
            )
        return self._data.item() if self._data.ndim == 0 else self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(
                f"Boolean value of a Tensor with {self._data.size} values is ambiguous: "
                "use .any() or .all(), or compare a single element"
            )
        return bool(self._data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub":
            raise TypeError(f"only integer tensors can be used as an index, not {self.dtype}")
        return int(self.item())

    def __iter__(self):
        if not self._data.ndim:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(len(self._data)))

    def __repr__(self) -> str:
        body = np.array2string(
            np.asarray(self._data), separator=", ", precision=4, prefix="tensor(",
            floatmode="maxprec_equal",
        )
        extras = []
        if self._data.dtype not in (_backend.get_default_dtype(), _backend.default_complex_dtype(),
                                    _backend.int64, _backend.bool_):
            extras.append(f"dtype={self._data.dtype}")
        if self._node is not None:
            extras.append(f"grad_fn={self._node!r}")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body, *extras]) + ")"

    # -- backward -----------------------------------------------------------
    def backward(self, gradient=None, retain_graph: bool | None = None,
                 create_graph: bool = False, inputs=None) -> None:
        """Accumulate d(self)/d(leaf) into the ``.grad`` of every leaf that requires grad.

        Args:
            gradient: the cotangent to start from; required unless ``self``
                has one element (``backward(gradient=ones)`` sums a vector
                output's contributions).
            retain_graph: keep the tape so backward can run through it again
                (defaults to ``create_graph``).
            create_graph: record the backward pass itself, so the gradients
                can be differentiated again (higher-order derivatives).
            inputs: accumulate only into these tensors.
        """
        run = _engine_backward or _load_engine()
        run((self,), None if gradient is None else (gradient,), retain_graph, create_graph,
            inputs)


_engine_backward = None
"""``autograd.engine.backward`` once loaded (the engine imports this module, so it is
found on first use, not imported on every ``loss.backward()``)."""


def _load_engine():
    global _engine_backward
    from .autograd.engine import backward

    _engine_backward = backward
    return backward


def _wrap(data, node=None, requires_grad=False) -> Tensor:
    """Make a tensor around ``data`` without checks: the hot path's constructor."""
    t = _new(Tensor)
    t._data = data
    t._node = node
    t._requires_grad = requires_grad
    t._vc = None
    t._fw = None
    t._grad = None
    t._rare = None
    return t


class Rare:
    """The fields of a tensor that few tensors set, kept out of its own slots (``_rare``).

    Attributes:
        base: the tensor whose memory a view (or ``detach()``) shares, or None.
        view_version: the version of the shared memory when the view was taken (or
            last changed through the view itself); its history holds while they match.
        hooks: a leaf's hooks (a non-leaf's are on its node), or None.
        retains_grad: ``retain_grad()`` was called.
    """

    __slots__ = ("base", "view_version", "hooks", "retains_grad")

    def __init__(self):
        self.base = None
        self.view_version = 0
        self.hooks = None
        self.retains_grad = False


def rare_fields(t: Tensor) -> Rare:
    """``t``'s rare fields, made on first use."""
    rare = t._rare
    if rare is None:
        rare = t._rare = Rare()
    return rare


def version_counter(t: Tensor) -> list:
    """``t``'s version counter, made on first use; views share it."""
    vc = t._vc
    if vc is None:
        vc = t._vc = [0]
    return vc


def bump_version(t: Tensor) -> None:
    """Record that ``t``'s data (shared with its views) changed in place.

    Besides the shared counter, every tape entry whose output lives in this
    memory (``t``'s producer, and its base's through views) counts the change:
    a node that saved such an output as a raw array checks that count.
    """
    counter = version_counter(t)
    counter[0] += 1
    last_change[0] = next(SEQ)
    rare = t._rare
    if rare is None:  # not a view (a .grad, a parameter): only its producer counts it
        if t._node is not None:
            t._node.mods += 1
        return
    if rare.base is not None:
        rare.view_version = counter[0]  # changed through itself: its history still holds
    while t is not None:
        if t._node is not None:
            t._node.mods += 1
        rare = t._rare
        t = None if rare is None else rare.base


def make_view(view: Tensor, base: Tensor) -> Tensor:
    """Mark ``view`` as sharing ``base``'s memory: one version counter for both."""
    view._vc = counter = version_counter(base)
    rare = rare_fields(view)
    rare.base, rare.view_version = base, counter[0]
    return view


def check_view_is_current(t: Tensor) -> None:
    """Refuse to record an op on a view whose base changed in place since it was taken
    (called for a tensor with rare fields: a view has them).

    Its tape entry (``base[index]``, ``base.reshape(...)``) describes the old
    values; PyTorch replays the view, wengert asks for it to be taken again.
    """
    rare = t._rare
    if rare is not None and rare.base is not None and t._vc[0] != rare.view_version:
        raise RuntimeError(
            f"this view (shape {t.shape}) of a tensor of shape {rare.base.shape} was taken "
            "before its base was changed in place, so its recorded history is out of date. "
            "Take the view again after the in-place change (e.g. v = y[0:2] after y.mul_(2)).")


def version_of(t: Tensor) -> int:
    return 0 if t._vc is None else t._vc[0]


_new = object.__new__


class _RetainGrad:
    """The hook ``retain_grad()`` installs: store the incoming gradient as ``.grad``."""

    __slots__ = ("ref",)

    def __init__(self, tensor: Tensor):
        self.ref = weakref.ref(tensor)

    def __call__(self, grad):
        t = self.ref()
        if t is not None:
            if t._grad is None:
                # Without create_graph the array may also flow on to other
                # tensors' gradients: keep a private copy.
                t._grad = grad if _mode.enabled else _wrap(np.array(grad._data, copy=True))
            else:
                t._grad = t._grad + grad
        return None


TENSOR_TYPES = {Tensor}
"""Tensor and its subclasses (``nn.Parameter``): a set lookup is cheaper than isinstance."""
