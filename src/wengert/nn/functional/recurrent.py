"""Recurrent scans: one layer of an RNN, LSTM or GRU, in one direction, over a whole
sequence, as one primitive (``rnn_scan``).

The layers build on it (``nn.RNN``/``LSTM``/``GRU`` and their cells, in ``nn/rnn.py``)
as cuDNN and PyTorch do: the input projections of all time steps are one matrix
product before the scan (``xp``, biases folded in), and the scan runs only the
recurrent part, ``gates_t = xp[t] + h_{t-1} @ w_hh.T (+ b_hh)``, and the cell's gate
math. Its output packs the hidden states of every step and, for an LSTM, the final
cell state: ``out[:T]`` are ``h_t`` in time order, ``out[T]`` is ``c_T``.

An LSTM with a projection (PyTorch's ``proj_size``, LSTMP) has one more input,
``w_hr`` of shape ``(P, H)``: ``h_t = (o_t * tanh(c_t)) @ w_hr.T`` has ``P < H``
features, so the recurrence (``w_hh``, ``h0``) is ``P`` wide while the cells stay ``H``
wide. The hidden states and the final cell state then differ in width and the output
is one flat array, ``T * B * P`` hidden-state numbers then ``B * H`` cell-state ones;
``scan_parts`` reads either layout back.

Why one primitive for the whole sequence: spelled out with wengert ops, each step
was about fifteen tape entries, and the slices of the gates (and of ``xp``) each
pulled their gradient back by scattering it into zeros of the full array. Here the
backward pass is backpropagation through time on raw arrays: per step a handful of
in-place NumPy calls writing the gates' gradient into one ``(T, B, gates)`` array and
one ``(B, gates) @ (gates, H)`` product; the weight gradient is then ONE product over
all steps (``dgates^T @ h_prev``), not ``T`` small ones added up.

Two implementations of each cell, on purpose:

* the fast path (``Cell.forward``/``Cell.backward``): NumPy, in place, used for the
  forward value and for first-order reverse mode. The forward pass hands its
  activations to the backward pass as the primitive's residual; and because the
  engine asks for one input's gradient at a time while backpropagation through time
  yields all of them at once, the residual also caches that joint result for the
  cotangent at hand (it lives only while the engine processes this node).
* the generic path (``Cell.step``/``step_vjp``/``step_jvp``): the same math written
  with ``ns`` ops, run for forward mode and for higher orders, where the forward
  steps are recomputed with recorded ops from the saved inputs so that the
  derivative is itself differentiable. It recomputes per input (it has no residual to
  share), which only costs time on those paths.

The finite-difference sweep (``testing/cases/recurrent.py``) checks the two against
each other and against the NumPy forward; ``tests/test_reference_recurrent.py``
checks the layers against PyTorch.
"""

from __future__ import annotations

import math

import numpy as np

from ..._primitive import FAST, VALUE, Primitive, bind
from ..._tensor import TENSOR_TYPES, Tensor
from ...autograd.linear import LinearMap, Mask

__all__: list[str] = []


def _sigmoid_(x):
    """``x = 1 / (1 + exp(-x))`` in place (ten times faster than the stable
    ``exp(-logaddexp(0, -x))``; an overflowing ``exp`` gives exactly 0, as it should)."""
    np.negative(x, out=x)
    np.exp(x, out=x)
    x += 1
    np.reciprocal(x, out=x)


def _preactivation(h, wt, xp_t, b, out):
    """``h @ w.T + xp_t (+ b)`` into ``out``: one step's gate pre-activations."""
    np.matmul(h, wt, out=out)
    out += xp_t
    if b is not None:
        out += b
    return out


def _split(ns, x, n):
    """The ``n`` equal blocks of the last axis of a 2-D ``x`` (the gates)."""
    size = x.shape[-1] // n
    return [ns.getitem(x, (slice(None), slice(k * size, (k + 1) * size))) for k in range(n)]


def _stack(ns, rows):
    return ns.cat(*[ns.reshape(r, (1, *r.shape)) for r in rows], 0)


class Cell:
    """The gate math of one kind of recurrent layer (a static parameter of ``rnn_scan``).

    Fast path on arrays: ``forward`` fills the hidden states ``hs`` (and an LSTM's
    final cell state ``c_last``) and returns the activations the backward pass needs;
    ``backward`` returns ``(d xp, d hp, d h0, d c0, d hs)`` (``hp`` is the recurrent
    projection ``h @ w_hh.T + b_hh`` of each step; ``d hs``, the gradient of each
    projected hidden state, only with a projection ``w_hr``, else None). Only the LSTM
    takes a ``w_hr``; its activations then end with the unprojected states
    ``m_t = o_t * tanh(c_t)``, which ``w_hr``'s gradient needs. Generic path with ``ns``:
    ``step`` returns ``(h, c, acts)``; ``step_vjp`` pulls ``(dh, dc)`` back to
    ``(d xp_t, d hp_t, d h_prev besides hp, d c_prev)``; ``step_jvp`` pushes
    ``(d xp_t, d hp_t, d h_prev, d c_prev)`` forward to ``(d h, d c)``.
    """

    gates = 1
    has_c = False

    def __init__(self, name):
        self.name = name

    def __repr__(self):  # shown in tape listings
        return self.name


class _LSTM(Cell):
    """``i, f, g, o = sigmoid, sigmoid, tanh, sigmoid`` of the gate blocks;
    ``c = f * c_prev + i * g``, ``h = o * tanh(c)``."""

    gates = 4
    has_c = True

    def forward(self, xp, h0, c0, w, b, w_hr, order, hs, c_last):
        T, B, G = xp.shape
        H = G // 4
        acts = np.empty_like(xp)
        cs = np.empty((T, B, H), xp.dtype)
        tcs = np.empty_like(cs)
        ms = hs if w_hr is None else np.empty_like(cs)  # o * tanh(c), before the projection
        tmp = np.empty((B, H), xp.dtype)
        wt = w.T
        wrt = None if w_hr is None else w_hr.T
        h, c = h0, c0
        for t in order:
            a = _preactivation(h, wt, xp[t], b, acts[t])
            i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
            _sigmoid_(a[:, :2 * H])
            np.tanh(g, out=g)
            _sigmoid_(o)
            c_t = cs[t]
            np.multiply(f, c, out=c_t)
            np.multiply(i, g, out=tmp)
            c_t += tmp
            np.tanh(c_t, out=tcs[t])
            np.multiply(o, tcs[t], out=ms[t])
            if wrt is not None:
                np.matmul(ms[t], wrt, out=hs[t])
            h, c = hs[t], c_t
        c_last[...] = c
        return acts, cs, tcs, (None if w_hr is None else ms)

    def backward(self, res, hs, ct, ct_c, h0, c0, w, w_hr, order):
        acts, cs, tcs, _ = res
        T, B, G = acts.shape
        H = G // 4
        dgates = np.empty_like(acts)
        dc = ct_c.copy()
        dh = None
        dhs = None if w_hr is None else np.empty(ct.shape, acts.dtype)
        e = np.empty((B, G), acts.dtype)  # the gradient of the activated gates
        tmp = np.empty((B, H), acts.dtype)
        step = order.step
        for t in reversed(order):
            a, tc, d = acts[t], tcs[t], dgates[t]
            i, f, g, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
            p = t - step
            c_prev = cs[p] if 0 <= p < T else c0
            dh = ct[t] if dh is None else np.add(ct[t], dh, out=dh)
            if dhs is not None:  # back through h = m @ w_hr.T: dh becomes d m
                dhs[t] = dh
                dh = dh @ w_hr
            np.multiply(dh, tc, out=e[:, 3 * H:])  # d o
            np.multiply(tc, tc, out=tmp)
            np.subtract(1, tmp, out=tmp)
            tmp *= o
            tmp *= dh
            dc += tmp  # d c, complete
            np.multiply(dc, g, out=e[:, :H])  # d i
            np.multiply(dc, c_prev, out=e[:, H:2 * H])  # d f
            np.multiply(dc, i, out=e[:, 2 * H:3 * H])  # d g
            dc *= f  # d c_prev
            # through the activations, whole rows at once (fewer, contiguous NumPy calls):
            # sigmoid' = s (1 - s), then the g block's tanh' = 1 - g^2
            np.subtract(1, a, out=d)
            d *= a
            np.multiply(g, g, out=tmp)
            np.subtract(1, tmp, out=d[:, 2 * H:3 * H])
            d *= e
            dh = d @ w
        return dgates, dgates, dh, dc, dhs

    def step(self, ns, xp, hp, h, c):
        i, f, g, o = _split(ns, xp + hp, 4)
        i, f, g, o = ns.sigmoid(i), ns.sigmoid(f), ns.tanh(g), ns.sigmoid(o)
        c = f * c + i * g
        tc = ns.tanh(c)
        return o * tc, c, (i, f, g, o, tc)

    def step_vjp(self, ns, state, dh, dc):
        h_prev, c_prev, h, c, (i, f, g, o, tc) = state
        dc = dh * o * (1 - tc * tc) + dc
        d = ns.cat(dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g * g),
                   dh * tc * o * (1 - o), 1)
        return d, d, None, dc * f

    def step_jvp(self, ns, state, dxp, dhp, dh, dc):
        h_prev, c_prev, h, c, (i, f, g, o, tc) = state
        di, df, dg, do = _split(ns, dxp + dhp, 4)
        dc = (df * f * (1 - f) * c_prev + f * dc + di * i * (1 - i) * g
              + i * dg * (1 - g * g))
        return do * o * (1 - o) * tc + o * (1 - tc * tc) * dc, dc


class _GRU(Cell):
    """PyTorch's GRU: ``r, z = sigmoid(xp_r + hp_r), sigmoid(xp_z + hp_z)``,
    ``n = tanh(xp_n + r * hp_n)``, ``h = n + z * (h_prev - n)`` (the reset gate
    multiplies the recurrent projection, its bias included)."""

    gates = 3

    def forward(self, xp, h0, c0, w, b, w_hr, order, out, c_last):
        T, B, G = xp.shape
        H = G // 3
        acts = np.empty_like(xp)
        hns = np.empty((T, B, H), xp.dtype)
        hp = np.empty((B, G), xp.dtype)
        wt = w.T
        h = h0
        for t in order:
            np.matmul(h, wt, out=hp)
            if b is not None:
                hp += b
            a, x = acts[t], xp[t]
            rz = a[:, :2 * H]
            np.add(x[:, :2 * H], hp[:, :2 * H], out=rz)
            _sigmoid_(rz)
            r, z, n = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
            hns[t] = hp[:, 2 * H:]
            np.multiply(r, hns[t], out=n)
            n += x[:, 2 * H:]
            np.tanh(n, out=n)
            y = out[t]
            np.subtract(h, n, out=y)
            y *= z
            y += n
            h = y
        return acts, hns

    def backward(self, res, out, ct, ct_c, h0, c0, w, w_hr, order):
        acts, hns = res
        T, B, G = acts.shape
        H = G // 3
        dxp, dhp = np.empty_like(acts), np.empty_like(acts)
        tmp = np.empty((B, H), acts.dtype)
        dh = None
        step = order.step
        for t in reversed(order):
            a, dx, de = acts[t], dxp[t], dhp[t]
            r, z, n = a[:, :H], a[:, H:2 * H], a[:, 2 * H:]
            p = t - step
            h_prev = out[p] if 0 <= p < T else h0
            dh = ct[t] if dh is None else np.add(ct[t], dh, out=dh)
            np.subtract(1, z, out=tmp)  # 1 - z
            dn = dx[:, 2 * H:]
            np.multiply(tmp, dh, out=dn)
            tmp *= z  # z (1 - z)
            dz = dx[:, H:2 * H]
            np.subtract(h_prev, n, out=dz)
            dz *= dh
            dz *= tmp
            np.multiply(n, n, out=tmp)
            np.subtract(1, tmp, out=tmp)
            dn *= tmp  # d of n's pre-activation
            dr = dx[:, :H]
            np.multiply(dn, hns[t], out=dr)
            np.subtract(1, r, out=tmp)
            tmp *= r
            dr *= tmp
            de[:, :2 * H] = dx[:, :2 * H]
            np.multiply(dn, r, out=de[:, 2 * H:])
            direct = dh * z
            dh = de @ w
            dh += direct
        return dxp, dhp, dh, None, None

    def step(self, ns, xp, hp, h, c):
        xr, xz, xn = _split(ns, xp, 3)
        hr, hz, hn = _split(ns, hp, 3)
        r, z = ns.sigmoid(xr + hr), ns.sigmoid(xz + hz)
        n = ns.tanh(xn + r * hn)
        return n + z * (h - n), None, (r, z, n, hn)

    def step_vjp(self, ns, state, dh, dc):
        h_prev, _, h, _, (r, z, n, hn) = state
        dn = dh * (1 - z) * (1 - n * n)
        dz = dh * (h_prev - n) * z * (1 - z)
        dr = dn * hn * r * (1 - r)
        return ns.cat(dr, dz, dn, 1), ns.cat(dr, dz, dn * r, 1), dh * z, None

    def step_jvp(self, ns, state, dxp, dhp, dh, dc):
        h_prev, _, h, _, (r, z, n, hn) = state
        xr, xz, xn = _split(ns, dxp, 3)
        hr, hz, hn_ = _split(ns, dhp, 3)
        dr = (xr + hr) * r * (1 - r)
        dz = (xz + hz) * z * (1 - z)
        dn = (xn + dr * hn + r * hn_) * (1 - n * n)
        return dn + dz * (h_prev - n) + z * (dh - dn), None


class _Elman(Cell):
    """``h = tanh(xp + hp)`` (or relu)."""

    def __init__(self, name, relu):
        super().__init__(name)
        self.relu = relu

    def forward(self, xp, h0, c0, w, b, w_hr, order, out, c_last):
        wt, h = w.T, h0
        for t in order:
            y = _preactivation(h, wt, xp[t], b, out[t])
            if self.relu:
                np.maximum(y, 0, out=y)
            else:
                np.tanh(y, out=y)
            h = y
        return ()

    def backward(self, res, out, ct, ct_c, h0, c0, w, w_hr, order):
        dpre = np.empty(out.shape, out.dtype)
        dh = None
        for t in reversed(order):
            dh = ct[t] if dh is None else np.add(ct[t], dh, out=dh)
            dpre[t] = self._through(FAST, out[t], dh)
            dh = dpre[t] @ w
        return dpre, dpre, dh, None, None

    def _through(self, ns, h, d):
        """``d`` times the activation's derivative at output ``h``."""
        return Mask(h > 0).apply(ns, d) if self.relu else d * (1 - h * h)

    def step(self, ns, xp, hp, h, c):
        pre = xp + hp
        return (ns.relu(pre) if self.relu else ns.tanh(pre)), None, ()

    def step_vjp(self, ns, state, dh, dc):
        d = self._through(ns, state[2], dh)
        return d, d, None, None

    def step_jvp(self, ns, state, dxp, dhp, dh, dc):
        return self._through(ns, state[2], dxp + dhp), None


CELLS = {"LSTM": _LSTM("LSTM"), "GRU": _GRU("GRU"), "RNN_TANH": _Elman("RNN_TANH", False),
         "RNN_RELU": _Elman("RNN_RELU", True)}
"""The cells by mode (the names ``nn.RNNBase`` uses)."""


def _order(steps, reverse):
    return range(steps - 1, -1, -1) if reverse else range(steps)


def scan_parts(out, steps, h_shape, c_shape):
    """``rnn_scan``'s output (or a cotangent of it, an array or a tensor) as ``(hidden
    states (T, B, P or H), final cell state (B, H) or None)``; ``h_shape`` and ``c_shape``
    are the initial states' (``c_shape`` None without a cell state)."""
    if c_shape is None:
        return out, None
    if out.ndim == 3:  # no projection: c_T is the last row
        return out[:steps], out[steps]
    n = steps * math.prod(h_shape)
    return out[:n].reshape((steps, *h_shape)), out[n:].reshape(tuple(c_shape))


def _pack(ns, rows, c, projected):
    """The inverse of ``scan_parts``: ``rnn_scan``'s output from the hidden state of each
    step and the final cell state (None without one)."""
    if not projected:
        return _stack(ns, rows + ([] if c is None else [c]))
    hs = _stack(ns, rows)
    return ns.cat(ns.reshape(hs, (math.prod(hs.shape),)), ns.reshape(c, (math.prod(c.shape),)),
                  0)


def _gram(ns, a, b):
    """``sum_t a[t].T @ b[t]`` of ``(T, B, m)`` and ``(T, B, n)`` as ONE product."""
    rows = a.shape[0] * a.shape[1]
    return ns.matmul(ns.permute(ns.reshape(a, (rows, a.shape[-1])), (1, 0)),
                     ns.reshape(b, (rows, b.shape[-1])))


# -- the fast path: NumPy forward, backpropagation through time -----------------------


class _Residual:
    """The fast forward pass's activations, and the backward pass's joint result for the
    cotangent ``ct`` (the engine asks for each input's gradient in turn)."""

    __slots__ = ("acts", "ct", "joint")

    def __init__(self, acts):
        self.acts, self.ct, self.joint = acts, None, None


def _c_shape(c0, cell):
    return c0.shape if cell.has_c else None


def _scan_and_residual(xp, h0, c0, w, b, w_hr, cell, reverse):
    steps = xp.shape[0]
    if w_hr is None:
        out = np.empty((steps + cell.has_c, *h0.shape), xp.dtype)
    else:
        out = np.empty(steps * h0.size + c0.size, xp.dtype)
    hs, c_last = scan_parts(out, steps, h0.shape, _c_shape(c0, cell))
    with np.errstate(over="ignore"):  # sigmoid's exp(-x) may overflow to inf: exactly 0
        acts = cell.forward(xp, h0, c0, w, b, w_hr, _order(steps, reverse), hs, c_last)
    return out, _Residual(acts)


def _scan(xp, h0, c0, w, b, w_hr, cell, reverse):
    return _scan_and_residual(xp, h0, c0, w, b, w_hr, cell, reverse)[0]


def _weight_grad(dhp, out, h0, reverse):
    """``sum_t dhp[t]^T @ h_prev[t]`` as one product over the steps whose ``h_prev`` is a
    row of ``out``, plus the step that started from ``h0``."""
    steps = dhp.shape[0]
    first = steps - 1 if reverse else 0
    dw = dhp[first].T @ h0
    if steps > 1:
        rest, prev = (dhp[:-1], out[1:steps]) if reverse else (dhp[1:], out[:steps - 1])
        dw += _gram(FAST, rest, prev)
    return dw


def _fast_grad(k, res, ct, out, xp, h0, c0, w, b, w_hr, cell, reverse):
    """Input ``k``'s gradient on arrays, from the (cached) joint backward pass."""
    steps = xp.shape[0]
    hs = scan_parts(out, steps, h0.shape, _c_shape(c0, cell))[0]
    if res.ct is not ct:
        ct_h, ct_c = scan_parts(ct, steps, h0.shape, _c_shape(c0, cell))
        res.joint = cell.backward(res.acts, hs, ct_h, ct_c, h0, c0, w, w_hr,
                                  _order(steps, reverse))
        res.ct = ct
    dxp, dhp, dh0, dc0, dhs = res.joint
    if k == 3:
        return _weight_grad(dhp, hs, h0, reverse)
    if k == 4:
        return np.sum(dhp, axis=(0, 1))
    if k == 5:  # the projection: sum_t dh_t^T @ m_t (the residual ends with the m_t)
        return _gram(FAST, dhs, res.acts[-1])
    return (dxp, dh0, dc0)[k]


# -- the generic path: the same math with ns ops (forward mode, higher orders) -----


def _states(ns, xp, h0, c0, w, b, w_hr, cell, reverse):
    """Per time step ``(h_prev, c_prev, m, c, acts)``, computed with ``ns`` (``m`` is the
    cell's hidden state before the projection ``h = m @ w_hr.T``; ``h`` itself without)."""
    wt = ns.permute(w, (1, 0))
    wrt = None if w_hr is None else ns.permute(w_hr, (1, 0))
    steps = xp.shape[0]
    h, c, states = h0, c0, [None] * steps
    for t in _order(steps, reverse):
        hp = ns.matmul(h, wt)
        if b is not None:
            hp = hp + b
        m, c_new, acts = cell.step(ns, ns.getitem(xp, t), hp, h, c)
        states[t] = (h, c, m, c_new, acts)
        h, c = (m if wrt is None else ns.matmul(m, wrt)), c_new
    return states


def _generic_vjp(k, ns, ct, xp, h0, c0, w, b, w_hr, cell, reverse):
    """Input ``k``'s part of the cotangent ``ct`` of the output, with ``ns`` ops."""
    states = _states(ns, xp, h0, c0, w, b, w_hr, cell, reverse)
    steps = len(states)
    ct_h, dc = scan_parts(ct, steps, h0.shape, _c_shape(c0, cell))
    dh = None
    dxps, dhps, dhs = [None] * steps, [None] * steps, [None] * steps
    for t in reversed(_order(steps, reverse)):
        g = ns.getitem(ct_h, t)
        dh = g if dh is None else g + dh
        if w_hr is not None:  # back through h = m @ w_hr.T
            dhs[t] = dh
            dh = ns.matmul(dh, w_hr)
        dxps[t], dhps[t], direct, dc = cell.step_vjp(ns, states[t], dh, dc)
        dh = ns.matmul(dhps[t], w)
        if direct is not None:
            dh = dh + direct
    if k < 3:
        return (_stack(ns, dxps), dh, dc)[k]
    if k == 5:
        return _gram(ns, _stack(ns, dhs), _stack(ns, [s[2] for s in states]))
    dhp = _stack(ns, dhps)
    if k == 4:
        return ns.sum(dhp, (0, 1), False)
    return _gram(ns, dhp, _stack(ns, [s[0] for s in states]))


def _generic_jvp(k, ns, tangent, xp, h0, c0, w, b, w_hr, cell, reverse):
    """The output's tangent for ``tangent`` in input ``k``, with ``ns`` ops."""
    states = _states(ns, xp, h0, c0, w, b, w_hr, cell, reverse)
    dtype = (xp._data if type(xp) in TENSOR_TYPES else xp).dtype

    def zeros(shape):  # a constant: raw zeros serve both namespaces
        return np.zeros(shape, dtype)

    dxp, dh, dc = (tangent if k == j else None for j in range(3))
    dh = zeros(h0.shape) if dh is None else dh
    dc = zeros(c0.shape) if dc is None and cell.has_c else dc
    wt = ns.permute(w, (1, 0))
    wrt = None if w_hr is None else ns.permute(w_hr, (1, 0))
    rows = [None] * len(states)
    for t in _order(len(states), reverse):
        h_prev = states[t][0]
        dhp = ns.matmul(dh, wt)
        if k == 3:
            dhp = dhp + ns.matmul(h_prev, ns.permute(tangent, (1, 0)))
        if k == 4:
            dhp = dhp + tangent
        dxp_t = zeros(dhp.shape) if dxp is None else ns.getitem(dxp, t)
        dh, dc = cell.step_jvp(ns, states[t], dxp_t, dhp, dh, dc)
        if wrt is not None:  # d (m @ w_hr.T)
            dh = ns.matmul(dh, wrt)
            if k == 5:
                dh = dh + ns.matmul(states[t][2], ns.permute(tangent, (1, 0)))
        rows[t] = dh
    return _pack(ns, rows, dc, w_hr is not None)


class ScanMap(LinearMap):
    """The derivative of ``rnn_scan`` in its input ``k`` (0: xp, 1: h0, 2: c0, 3: w_hh,
    4: b_hh, 5: w_hr). Transposed on arrays with the residual: the fast joint backward pass;
    otherwise (``ns`` recording, or forward mode) the generic path."""

    __slots__ = ("k", "args", "out", "res")

    def __init__(self, k, args, out, res):
        self.k, self.args, self.out, self.res = k, args, out, res

    def apply(self, ns, t):
        return _generic_jvp(self.k, ns, t, *self.args)

    def transpose(self, ns, ct):
        if ns is not FAST:
            return _generic_vjp(self.k, ns, ct, *self.args)
        if self.res is None:  # a second pass through a retained graph: recompute
            self.res = _scan_and_residual(*self.args)[1]
        return _fast_grad(self.k, self.res, ct, self.out, *self.args)


def _rule(k):
    def rule(ns, out, xp, h0, c0, w, b, w_hr, cell, reverse, residual):
        return ScanMap(k, (xp, h0, c0, w, b, w_hr, cell, reverse), out, residual)

    return rule


rnn_scan_p = Primitive("rnn_scan", _scan, save=(VALUE,) * 6, save_out=True, n_params=2,
                       rule=tuple(_rule(k) for k in range(6)), residual=_scan_and_residual)


def rnn_scan(mode: str, xp: Tensor, h0: Tensor, c0, w_hh: Tensor, b_hh=None,
             reverse: bool = False, w_hr=None) -> Tensor:
    """One recurrent layer in one direction over a sequence, as one tape entry.

    Args:
        mode: ``"LSTM"``, ``"GRU"``, ``"RNN_TANH"`` or ``"RNN_RELU"``.
        xp: ``(T, B, gates * H)``, the input projection of every step with the biases
            that can be folded in (all but a GRU's ``b_hh``).
        h0, c0: ``(B, H)`` initial states (``c0`` for an LSTM only, else None); with a
            projection ``h0`` is ``(B, P)``.
        w_hh: ``(gates * H, H)``, with a projection ``(4 * H, P)``; b_hh: ``(gates * H,)``
            or None.
        reverse: run from the last step to the first (a bidirectional layer's second
            direction); the output stays in time order.
        w_hr: an LSTM's projection ``(P, H)`` (``h_t = (o_t * tanh(c_t)) @ w_hr.T``), or
            None.

    Returns ``(T, B, H)`` hidden states in time order, for an LSTM ``(T + 1, B, H)``
    with the final cell state last, for a projected LSTM the flat ``T * B * P + B * H``
    (``scan_parts`` splits either).
    """
    cell = CELLS[mode]
    steps, batch, gates = xp.shape if xp.ndim == 3 else (0, 0, 0)
    hidden = gates // cell.gates
    width = w_hh.shape[-1]  # of the recurrent state h: hidden, or P with a projection
    if w_hr is not None and not cell.has_c:
        raise ValueError(f"rnn_scan ({mode}): a projection w_hr is for an LSTM only; pass "
                         "w_hr=None")
    expected = [(xp, (steps, batch, cell.gates * hidden)), (h0, (batch, width)),
                (w_hh, (gates, width)), (b_hh, (gates,)),
                (w_hr, (width, hidden)) if w_hr is not None else (h0, (batch, hidden))]
    if cell.has_c:
        expected.append((c0, (batch, hidden)))
    if steps < 1 or any(a is not None and tuple(a.shape) != s for a, s in expected):
        shapes = ", ".join(str(None if a is None else tuple(a.shape))
                           for a in (xp, h0, c0, w_hh, b_hh, w_hr))
        raise ValueError(f"rnn_scan ({mode}): shapes {shapes} of xp, h0, c0, w_hh, b_hh, "
                         "w_hr do not match: expected xp (T >= 1, B, gates * H), h0 (B, H), "
                         "c0 (B, H) for an LSTM, w_hh (gates * H, H), b_hh (gates * H,); "
                         "with a projection w_hr (P, H): h0 (B, P), w_hh (4 * H, P)")
    states = (h0, c0) if cell.has_c else (h0,)
    dtypes = {a.dtype for a in (xp, *states, w_hh, b_hh, w_hr) if a is not None}
    if len(dtypes) != 1 or next(iter(dtypes)).kind != "f":
        raise TypeError(f"{mode}: input, states and weights must have one real floating "
                        f"dtype, got {sorted(map(str, dtypes))}")
    return bind(rnn_scan_p, (xp, h0, c0 if cell.has_c else None, w_hh, b_hh, w_hr),
                (cell, reverse))
