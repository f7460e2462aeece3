"""Recurrent layers: ``RNN``, ``LSTM``, ``GRU`` (multi-layer, bidirectional, batch_first)
and their single-step cells, with PyTorch's parameter names (``weight_ih_l0``,
``bias_hh_l1_reverse``, ...), gate order (LSTM: i, f, g, o; GRU: r, z, n) and init.

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
from .functional.recurrent import CELLS, rnn_scan
from .module import Module
from .parameter import Parameter

__all__ = ["GRU", "GRUCell", "LSTM", "LSTMCell", "RNN", "RNNCell"]


def _scan(mode: str, x, h, c, w_ih, w_hh, b_ih, b_hh, reverse=False):
    """One layer in one direction over ``x`` (T, B, in) from states ``h``, ``c`` (B, H):
    ``rnn_scan``'s output (hidden states in time order, an LSTM's final cell state last).

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
    return rnn_scan(mode, xp.reshape(steps, batch, w_ih.shape[0]), h, c, w_hh, b_scan,
                    reverse)


def _check_dtype(name: str, input, weight) -> None:  # noqa: A002
    if input.dtype != weight.dtype:
        raise TypeError(f"{name}: input has dtype {input.dtype}, the layer's weights "
                        f"{weight.dtype}: convert the input (x.to(...)) or the layer "
                        "(.float(), .double())")


class RNNBase(Module):
    """The shared machinery of ``RNN``, ``LSTM`` and ``GRU``."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, device=None, dtype=None):
        super().__init__()
        if not 0 <= dropout <= 1:
            raise ValueError(f"{type(self).__name__}: dropout must be in [0, 1], got {dropout}")
        if hidden_size <= 0 or num_layers <= 0:
            raise ValueError(f"{type(self).__name__}: hidden_size and num_layers must be "
                             f"positive, got {hidden_size} and {num_layers}")
        self.mode, self.input_size, self.hidden_size = mode, input_size, hidden_size
        self.num_layers, self.bias, self.batch_first = num_layers, bias, batch_first
        self.dropout, self.bidirectional = float(dropout), bidirectional
        directions = 2 if bidirectional else 1
        gate_size = CELLS[mode].gates * hidden_size
        self._flat_weights_names = []
        for layer in range(num_layers):
            layer_input = input_size if layer == 0 else hidden_size * directions
            for direction in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                shapes = [("weight_ih", (gate_size, layer_input)),
                          ("weight_hh", (gate_size, hidden_size))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
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
                get("bias_hh" + suffix))

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
        state_shape = (self.num_layers * directions, batch, self.hidden_size)
        h0, c0 = self._initial_state(hx, state_shape, batched, x)
        final_h, final_c = [], []
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                w_ih, w_hh, b_ih, b_hh = self._weights(layer, direction)
                k = layer * directions + direction
                y = _scan(self.mode, x, h0[k], (c0[k] if c0 is not None else None), w_ih,
                          w_hh, b_ih, b_hh, bool(direction))
                outputs.append(y[:steps] if self.mode == "LSTM" else y)
                final_h.append(y[0 if direction else steps - 1])
                final_c.append(y[steps] if self.mode == "LSTM" else None)
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

    def _initial_state(self, hx, shape, batched, like):
        name = type(self).__name__
        if hx is None:
            zeros = _creation.zeros(*shape, dtype=like.dtype)
            return zeros, (zeros if self.mode == "LSTM" else None)
        states = hx if self.mode == "LSTM" else (hx,)
        if self.mode == "LSTM" and (not isinstance(hx, tuple) or len(hx) != 2):
            raise TypeError(f"{name}: hx must be a tuple (h_0, c_0)")
        fixed = []
        for s in states:
            s = s if batched else s.unsqueeze(1)
            if tuple(s.shape) != shape:
                raise ValueError(f"{name}: expected hidden state of shape {shape}, got "
                                 f"{tuple(s.shape)}")
            fixed.append(s)
        return fixed[0], (fixed[1] if self.mode == "LSTM" else None)

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
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
                 dropout: float = 0.0, bidirectional: bool = False, device=None, dtype=None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
        super().__init__("RNN_" + nonlinearity.upper(), input_size, hidden_size, num_layers,
                         bias, batch_first, dropout, bidirectional, device, dtype)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """Long short-term memory; returns ``output, (h_n, c_n)``.

    >>> import wengert as wg
    >>> lstm = wg.nn.LSTM(4, 8, num_layers=2, batch_first=True)
    >>> out, (h, c) = lstm(wg.zeros(3, 5, 4))
    >>> out.shape, h.shape, lstm.weight_ih_l0.shape
    ((3, 5, 8), (2, 3, 8), (32, 4))
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, proj_size: int = 0, device=None, dtype=None):
        if proj_size:
            raise NotImplementedError("LSTM: proj_size > 0 is not supported")
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device, dtype)


class GRU(RNNBase):
    """Gated recurrent unit (PyTorch's variant: the reset gate multiplies the
    recurrent projection, bias included)."""

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1,
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0,
                 bidirectional: bool = False, device=None, dtype=None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first,
                         dropout, bidirectional, device, dtype)


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
        y = _scan(self.mode, x.unsqueeze(0), h, c, self.weight_ih, self.weight_hh,
                  self.bias_ih, self.bias_hh)
        h, c = y[0], (y[1] if self.mode == "LSTM" else None)
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
