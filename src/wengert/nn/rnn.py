"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` (multi-layer, bidirectional, batch_first;
an LSTM's output projection, ``proj_size``) and their single-step cells, with PyTorch's
parameter names (``weight_ih_l0``, ``bias_hh_l1_reverse``, ``weight_hr_l0``, ...), gate
order (LSTM: i, f, g, o; GRU: r, z, n) and init.

The input projections of all time steps are one matrix product per layer and
direction (biases folded in); the recurrence itself is one tape entry per layer and
direction, ``rnn_scan`` (``nn/functional/recurrent.py``), whose backward pass is
backpropagation through time on raw arrays.
"""

from __future__ import annotations

import math

from .. import _creation
from ..ops.shape import cat, stack
from . import functional as F
from . import init
from .functional.recurrent import CELLS, rnn_scan, scan_parts
from .module import Module
from .parameter import Parameter

__all__ = ["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNCell"]


def _scan(mode: str, x, h, c, w_ih, w_hh, b_ih, b_hh, reverse=False, w_hr=None):
    """One layer in one direction over ``x`` (T, B, in) from states ``h`` (B, H or P),
    ``c`` (B, H): the hidden states in time order (T, B, H or P) and an LSTM's final cell
    state (else None).

    Both biases join the input projection (one ``(G,)`` add instead of a ``(B, G)`` add
    per step), except a GRU's ``b_hh``, which the reset gate multiplies in part.
    """
    steps, batch = x.shape[0], x.shape[1]
    b_scan = None
    if mode == "GRU":
        b, b_scan = b_ih, b_hh
    else:
        b = b_ih if b_hh is None else b_hh if b_ih is None else b_ih + b_hh
    xp = F.linear(x.reshape(steps * batch, x.shape[-1]), w_ih, b)
    y = rnn_scan(mode, xp.reshape(steps, batch, w_ih.shape[0]), h, c, w_hh, b_scan, reverse,
                 w_hr)
    return scan_parts(y, steps, tuple(h.shape), None if c is None else tuple(c.shape))


def _check_proj_size(name: str, proj_size, hidden_size: int) -> None:
    if isinstance(proj_size, bool) or not isinstance(proj_size, int):
        raise TypeError(f"{name}: proj_size must be an int, got {type(proj_size).__name__} "
                        f"{proj_size!r}")
    if proj_size < 0:
        raise ValueError(f"{name}: proj_size must be positive, or 0 for no projection, got "
                         f"{proj_size}")
    if proj_size >= hidden_size:
        raise ValueError(f"{name}: proj_size={proj_size} must be smaller than hidden_size="
                         f"{hidden_size} (the projection narrows the hidden state); use a "
                         "larger hidden_size, a smaller proj_size, or proj_size=0")


def _no_proj_size(name: str, proj_size) -> None:
    """PyTorch's RNN and GRU refuse a ``proj_size`` argument, even 0."""
    if proj_size is not None:
        raise ValueError(f"{name}: proj_size={proj_size!r} is only supported for LSTM, not "
                         "RNN or GRU; drop the argument or use nn.LSTM")


def _check_dtype(name: str, input, weight) -> None:  # noqa: A002
    if input.dtype != weight.dtype:
        raise TypeError(f"{name}: input has dtype {input.dtype}, the layer's weights "
                        f"{weight.dtype}: convert the input (x.to(...)) or the layer "
                        "(.float(), .double())")


class RNNBase(Module):
    """The shared machinery of ``RNN``, ``LSTM`` and ``GRU``."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device=None, dtype=None):
        super().__init__()
        name = type(self).__name__
        if not 0 <= dropout <= 1:
            raise ValueError(f"{name}: dropout must be in [0, 1], got {dropout}")
        if hidden_size <= 0 or num_layers <= 0:
            raise ValueError(f"{name}: hidden_size and num_layers must be "
                             f"positive, got {hidden_size} and {num_layers}")
        _check_proj_size(name, proj_size, hidden_size)
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional = float(dropout), bidirectional
        self.proj_size = proj_size
        directions = 2 if bidirectional else 1
        gate_size = CELLS[mode].gates * hidden_size
        state_size = proj_size or hidden_size  # the width of h (output, h_0, h_n)
        self._flat_weights_names = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else state_size * directions
            for direction in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes = [("weight_ih", (gate_size, layer_input)),
                          ("weight_hh", (gate_size, state_size))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size:
                    shapes.append(("weight_hr", (proj_size, hidden_size)))
                for name, shape in shapes:
                    setattr(self, name + suffix, Parameter(_creation.empty(*shape, dtype=dtype)))
                    self._flat_weights_names.append(name + suffix)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1.0 / math.sqrt(self.hidden_size)
        for p in self.parameters():
            init.uniform_(p, -bound, bound)

    def _weights(self, layer: int, direction: int):
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        get = self._parameters.get
        return (get("weight_ih" + suffix), get("weight_hh" + suffix), get("bias_ih" + suffix),
                get("bias_hh" + suffix), get("weight_hr" + suffix))

    def forward(self, input, hx=None):  # noqa: A002, C901
        name = type(self).__name__
        batched = input.ndim == 3
        if input.ndim not in (2, 3):
            raise ValueError(f"{name}: expected a 2-D (unbatched) or 3-D input, got shape "
                             f"{tuple(input.shape)}")
        if input.shape[-1] != self.input_size:
            raise ValueError(f"{name}: input has {input.shape[-1]} features, the layer expects "
                             f"input_size={self.input_size}")
        _check_dtype(name, input, self.weight_ih_l0)
        x = input if batched else input.unsqueeze(1)
        if self.batch_first and batched:
            x = x.transpose(0, 1)
        steps, batch = x.shape[0], x.shape[1]
        if steps == 0:
            raise ValueError(f"{name}: expected a sequence of at least one step, got input of "
                             f"shape {tuple(input.shape)}")
        directions = 2 if self.bidirectional else 1
        h0, c0 = self._initial_state(hx, self.num_layers * directions, batch, batched, x)
        final_h, final_c = [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                w_ih, w_hh, b_ih, b_hh, w_hr = self._weights(layer, direction)
                k = layer * directions + direction
                hs, c_last = _scan(self.mode, x, h0[k], (c0[k] if c0 is not None else None),
                                   w_ih, w_hh, b_ih, b_hh, bool(direction), w_hr)
                outputs.append(hs)
                final_h.append(hs[0 if direction else steps - 1])
                final_c.append(c_last)
            x = outputs[0] if directions == 1 else cat(outputs, dim=-1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                x = F.dropout(x, self.dropout, True)
        output, h_n = x, stack(final_h)
        if self.batch_first and batched:
            output = output.transpose(0, 1)
        if not batched:
            output, h_n = output.squeeze(1), h_n.squeeze(1)
        if self.mode != "LSTM":
            return output, h_n
        c_n = stack(final_c)
        return output, (h_n, c_n if batched else c_n.squeeze(1))

    def _initial_state(self, hx, layers, batch, batched, like):
        """``(h_0, c_0)`` (``c_0`` None but for an LSTM), batched: the given ones or zeros.
        ``h_0`` is ``proj_size`` wide with a projection, ``c_0`` always ``hidden_size``."""
        name, lstm = type(self).__name__, self.mode == "LSTM"
        h_shape = (layers, batch, self.proj_size or self.hidden_size)
        c_shape = (layers, batch, self.hidden_size)
        if hx is None:
            h0 = _creation.zeros(*h_shape, dtype=like.dtype)
            c0 = None if not lstm else h0 if not self.proj_size else _creation.zeros(
                *c_shape, dtype=like.dtype)
            return h0, c0
        if lstm and (not isinstance(hx, tuple) or len(hx) != 2):
            raise TypeError(f"{name}: hx must be a tuple (h_0, c_0)")
        states = hx if lstm else (hx,)
        fixed = []
        for s, shape, what in zip(states, (h_shape, c_shape), ("hidden", "cell")):
            s = s if batched else s.unsqueeze(1)
            if tuple(s.shape) != shape:
                hint = (f" (with proj_size={self.proj_size}, h_0 has proj_size features and "
                        f"c_0 hidden_size={self.hidden_size})" if self.proj_size else "")
                raise ValueError(f"{name}: expected {what} state of shape "
                                 f"{shape if batched else (shape[0], shape[2])}, got "
                                 f"{tuple(s.shape if batched else s.squeeze(1).shape)}{hint}")
            fixed.append(s)
        return fixed[0], (fixed[1] if lstm else None)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.proj_size:
            s += f", proj_size={self.proj_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s


class RNN(RNNBase):
    """Elman RNN: ``h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)`` (or relu)."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 nonlinearity: str = "tanh", bias: bool = True, batch_first: bool = False,
                 dropout: float = 0.0, bidirectional: bool = False, device=None, dtype=None,
                 *, proj_size=None):
        _no_proj_size("RNN", proj_size)
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__("RNN_" + nonlinearity.upper(), input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional, 0, device, dtype)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """Long short-term memory; returns ``output, (h_n, c_n)``.

    >>> import wengert as wg
    >>> lstm = wg.nn.LSTM(4, 8, num_layers=2, batch_first=True)
    >>> out, (h, c) = lstm(wg.zeros(3, 5, 4))
    >>> out.shape, h.shape, lstm.weight_ih_l0.shape
    ((3, 5, 8), (2, 3, 8), (32, 4))

    With ``proj_size=P`` (``0 < P < hidden_size``; LSTMP, Sak et al. 2014) each layer
    and direction projects its hidden state, ``h_t = W_hr (o_t * tanh(c_t))`` with
    ``weight_hr_l{k}`` of shape ``(P, hidden_size)``: the output, ``h_0`` and ``h_n``
    have ``P`` features (``2 P`` for the output when bidirectional), the cell state keeps
    ``hidden_size``, and ``weight_hh`` is ``(4 * hidden_size, P)``. The parameters and
    their order are PyTorch's, so a ``torch.nn.LSTM``'s state dict loads as is.

    >>> lstm = wg.nn.LSTM(4, 8, num_layers=2, bidirectional=True, proj_size=3)
    >>> out, (h, c) = lstm(wg.zeros(5, 2, 4))
    >>> out.shape, h.shape, c.shape
    ((5, 2, 6), (4, 2, 3), (4, 2, 8))
    >>> lstm.weight_hh_l1.shape, lstm.weight_ih_l1.shape, lstm.weight_hr_l1_reverse.shape
    ((32, 3), (32, 6), (3, 8))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device=None, dtype=None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, proj_size, device, dtype)


class GRU(RNNBase):
    """Gated recurrent unit (PyTorch's variant: the reset gate multiplies the
    recurrent projection, bias included)."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, device=None, dtype=None, *, proj_size=None):
        _no_proj_size("GRU", proj_size)
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, 0, device, dtype)


class _CellBase(Module):
    def __init__(self, mode: str, input_size: int, hidden_size: int, bias: bool = True,
                 device=None, dtype=None):
        super().__init__()
        self.mode, self.input_size, self.hidden_size, self.bias = (mode, input_size,
                                                                   hidden_size, bias)
        gate_size = CELLS[mode].gates * hidden_size
        self.weight_ih = Parameter(_creation.empty(gate_size, input_size, dtype=dtype))
        self.weight_hh = Parameter(_creation.empty(gate_size, hidden_size, dtype=dtype))
        if bias:
            self.bias_ih = Parameter(_creation.empty(gate_size, dtype=dtype))
            self.bias_hh = Parameter(_creation.empty(gate_size, dtype=dtype))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        bound = 1.0 / math.sqrt(hidden_size)
        for p in self.parameters():
            init.uniform_(p, -bound, bound)

    def _run(self, input, h, c):  # noqa: A002
        batched = input.ndim == 2
        _check_dtype(type(self).__name__, input, self.weight_ih)
        x = input if batched else input.unsqueeze(0)
        zeros = _creation.zeros(x.shape[0], self.hidden_size, dtype=x.dtype)
        h = zeros if h is None else (h if batched else h.unsqueeze(0))
        if self.mode == "LSTM":
            c = zeros if c is None else (c if batched else c.unsqueeze(0))
        hs, c = _scan(self.mode, x.unsqueeze(0), h, c, self.weight_ih, self.weight_hh,
                      self.bias_ih, self.bias_hh)
        h = hs[0]
        if not batched:
            h, c = h.squeeze(0), (c.squeeze(0) if c is not None else None)
        return h, c

    def extra_repr(self) -> str:
        return f"{self.input_size}, {self.hidden_size}" + ("" if self.bias else ", bias=False")


class RNNCell(_CellBase):
    """One step of an Elman RNN."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True,
                 nonlinearity: str = "tanh", device=None, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNNCell: nonlinearity must be 'tanh' or 'relu', got "
                             f"{nonlinearity!r}")
        super().__init__("RNN_" + nonlinearity.upper(), input_size, hidden_size, bias)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):  # noqa: A002
        return self._run(input, hx, None)[0]


class LSTMCell(_CellBase):
    """One LSTM step; returns ``(h', c')``."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__("LSTM", input_size, hidden_size, bias)

    def forward(self, input, hx=None):  # noqa: A002
        h, c = (None, None) if hx is None else hx
        return self._run(input, h, c)


class GRUCell(_CellBase):
    """One GRU step."""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device=None,
                 dtype=None):
        super().__init__("GRU", input_size, hidden_size, bias)

    def forward(self, input, hx=None):  # noqa: A002
        return self._run(input, hx, None)[0]
