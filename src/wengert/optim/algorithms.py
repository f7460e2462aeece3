"""The first-order optimizers, each exactly PyTorch's update rule (its default,
single-tensor form), computed in place on the parameters' arrays.

Each update is a kernel run by ``Optimizer._in_place`` on pieces of the parameter,
its gradient and its state: every arithmetic step writes into the pieces or into
scratch, in the order the formula in the comment next to it reads, so no array the
size of a parameter is allocated after the first step. A ufunc's output is passed
positionally (``np.multiply(g, lr, s)``, ``np.sqrt(v, t)``): as the keyword
``out=`` it costs half as much again as the whole call on a small parameter.
"""

from __future__ import annotations

import math

import numpy as np

from . import optimizer as _optimizer
from .optimizer import Optimizer

__all__ = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]


def _grad(g, p, s, t, maximize, weight_decay):
    """The gradient an update reads: ``-g`` if maximizing, plus the L2 term ``wd * p``
    (not AdamW's decoupled decay); written into scratch ``s`` (``t``: more scratch)
    unless it is ``g`` itself."""
    if maximize:
        g = np.negative(g, s)
    if weight_decay:
        g = np.add(g, np.multiply(p, weight_decay, t), s)
    return g


def _check(optimizer, group, **ranges):
    for name, (lo, hi) in ranges.items():
        value = group[name]
        values = value if isinstance(value, tuple) else (value,)
        if not all(lo <= v < hi for v in values):
            raise ValueError(f"{type(optimizer).__name__}: invalid {name} {value} "
                             f"(must be in [{lo}, {hi}))")


class SGD(Optimizer):
    """Stochastic gradient descent, with momentum, dampening, Nesterov and weight decay.

    >>> import wengert as wg
    >>> w = wg.tensor([1.0, 2.0], requires_grad=True)
    >>> opt = wg.optim.SGD([w], lr=0.1)
    >>> (w * w).sum().backward(); opt.step()
    >>> w.tolist()
    [0.800000011920929, 1.600000023841858]
    """

    def __init__(self, params, lr: float = 1e-3, momentum: float = 0.0, dampening: float = 0.0,
                 weight_decay: float = 0.0, nesterov: bool = False, *, maximize: bool = False):
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum needs a momentum > 0 and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize))

    def _check_group(self, group):
        super()._check_group(group)
        _check(self, group, momentum=(0, math.inf), weight_decay=(0, math.inf))

    def _update(self, group, params, grads):
        lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
        nesterov, maximize = group["nesterov"], group["maximize"]
        weight_decay = group["weight_decay"]
        if not momentum:
            def kernel(p, g, s, t):
                if maximize or weight_decay:
                    g = _grad(g, p, s, t, maximize, weight_decay)
                np.subtract(p, np.multiply(g, lr, s), p)  # p -= lr * g

            plain = not (maximize or weight_decay)
            for p, g in zip(params, grads):
                d = p._data
                if plain and d.nbytes <= _optimizer.PIECE_BYTES:
                    # one piece: the kernel called directly, without _in_place's general
                    # machinery (a small model's step is mostly per-parameter fixed costs)
                    kernel(d, g, *(self._scratch.get((d.shape, d.dtype))
                                   or self._piece_scratch(d)))
                else:
                    self._in_place(kernel, [d, g])
            return
        for p, g in zip(params, grads):
            state = self.state.setdefault(p, {})
            first = state.get("momentum_buffer") is None
            if first:
                state["momentum_buffer"] = np.empty_like(p._data)

            def kernel(p, g, buf, s, t, first=first):
                g = _grad(g, p, s, t, maximize, weight_decay)
                if first:
                    np.copyto(buf, g)  # buf = clone(g)
                else:  # buf = momentum * buf + (1 - dampening) * g
                    np.multiply(buf, momentum, buf)
                    np.add(buf, np.multiply(g, 1 - dampening, t), buf)
                if nesterov:  # g = g + momentum * buf
                    g = np.add(g, np.multiply(buf, momentum, t), s)
                else:
                    g = buf
                np.subtract(p, np.multiply(g, lr, t), p)  # p -= lr * g

            self._in_place(kernel, [p._data, g, state["momentum_buffer"]])


class Adam(Optimizer):
    """Adam (Kingma & Ba), with L2 weight decay folded into the gradient and AMSGrad."""

    decoupled = False  # AdamW decays the weights directly instead

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False, *, maximize: bool = False):
        super().__init__(params, dict(lr=lr, betas=tuple(betas), eps=eps,
                                      weight_decay=weight_decay, amsgrad=amsgrad,
                                      maximize=maximize))

    def _check_group(self, group):
        super()._check_group(group)
        _check(self, group, betas=(0, 1), eps=(0, math.inf), weight_decay=(0, math.inf))

    def _update(self, group, params, grads):
        lr, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        maximize, weight_decay, amsgrad = group["maximize"], group["weight_decay"], group["amsgrad"]
        decoupled = self.decoupled and weight_decay
        for p, g in zip(params, grads):
            state = self.state.setdefault(p, {})
            if not state:
                state["step"] = 0.0
                state["exp_avg"] = np.zeros_like(p._data)
                state["exp_avg_sq"] = np.zeros_like(p._data)
                if amsgrad:
                    state["max_exp_avg_sq"] = np.zeros_like(p._data)
            state["step"] += 1
            step = state["step"]
            bias1, bias2_sqrt = 1 - beta1**step, math.sqrt(1 - beta2**step)
            arrays = [p._data, g, state["exp_avg"], state["exp_avg_sq"]]
            if amsgrad:
                arrays.append(state["max_exp_avg_sq"])

            def kernel(p, g, m, v, *rest, bias1=bias1, bias2_sqrt=bias2_sqrt):
                *v_max, s, t = rest
                if decoupled:  # AdamW: p *= 1 - lr * wd, before anything reads p
                    np.multiply(p, 1 - lr * weight_decay, p)
                g = _grad(g, p, s, t, maximize, 0 if decoupled else weight_decay)
                # m += (1 - beta1) * (g - m): PyTorch's lerp
                np.add(m, np.multiply(np.subtract(g, m, t), 1 - beta1, t), m)
                np.multiply(v, beta2, v)  # v = beta2 * v + (1 - beta2) * g * g
                np.add(v, np.multiply(np.multiply(g, 1 - beta2, t), g, t), v)
                if v_max:
                    v = np.maximum(v_max[0], v, out=v_max[0])  # (positional out is deprecated here)
                # denom = sqrt(v) / sqrt(1 - beta2^step) + eps
                denom = np.add(np.divide(np.sqrt(v, t), bias2_sqrt, t), eps, t)
                # p -= (lr / (1 - beta1^step)) * m / denom
                update = np.divide(np.multiply(m, lr / bias1, s), denom, s)
                np.subtract(p, update, p)

            self._in_place(kernel, arrays)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter): ``p *= 1 - lr * wd`` first."""

    decoupled = True

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2, amsgrad: bool = False, *, maximize: bool = False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)


class RMSprop(Optimizer):
    """RMSprop, optionally centered and with momentum."""

    def __init__(self, params, lr: float = 1e-2, alpha: float = 0.99, eps: float = 1e-8,
                 weight_decay: float = 0.0, momentum: float = 0.0, centered: bool = False, *,
                 maximize: bool = False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay,
                                      momentum=momentum, centered=centered, maximize=maximize))

    def _check_group(self, group):
        super()._check_group(group)
        _check(self, group, alpha=(0, math.inf), eps=(0, math.inf), momentum=(0, math.inf),
               weight_decay=(0, math.inf))

    def _update(self, group, params, grads):
        lr, alpha, eps, momentum = group["lr"], group["alpha"], group["eps"], group["momentum"]
        maximize, weight_decay = group["maximize"], group["weight_decay"]
        centered = group["centered"]
        for p, g in zip(params, grads):
            state = self.state.setdefault(p, {})
            if not state:
                state["step"] = 0.0
                state["square_avg"] = np.zeros_like(p._data)
                if momentum > 0:
                    state["momentum_buffer"] = np.zeros_like(p._data)
                if centered:
                    state["grad_avg"] = np.zeros_like(p._data)
            state["step"] += 1
            arrays = [p._data, g, state["square_avg"]]
            if momentum > 0:
                arrays.append(state["momentum_buffer"])
            if centered:
                arrays.append(state["grad_avg"])

            def kernel(p, g, square_avg, *rest):
                buf = rest[0] if momentum > 0 else None
                grad_avg = rest[-3] if centered else None
                s, t = rest[-2:]
                g = _grad(g, p, s, t, maximize, weight_decay)
                # square_avg = alpha * square_avg + (1 - alpha) * g * g
                np.multiply(square_avg, alpha, square_avg)
                np.add(square_avg, np.multiply(np.multiply(g, 1 - alpha, t), g, t), square_avg)
                if centered:  # grad_avg += (1 - alpha) * (g - grad_avg)
                    np.add(grad_avg, np.multiply(np.subtract(g, grad_avg, t), 1 - alpha, t),
                           grad_avg)
                    # avg = sqrt(square_avg - grad_avg * grad_avg) + eps
                    var = np.subtract(square_avg, np.multiply(grad_avg, grad_avg, t), t)
                    avg = np.add(np.sqrt(var, t), eps, t)
                else:  # avg = sqrt(square_avg) + eps
                    avg = np.add(np.sqrt(square_avg, t), eps, t)
                if buf is not None:  # buf = momentum * buf + g / avg; p -= lr * buf
                    np.multiply(buf, momentum, buf)
                    np.add(buf, np.divide(g, avg, t), buf)
                    np.subtract(p, np.multiply(buf, lr, t), p)
                else:  # p -= lr * g / avg
                    np.subtract(p, np.divide(np.multiply(g, lr, s), avg, s), p)

            self._in_place(kernel, arrays)


class Adagrad(Optimizer):
    """Adagrad: each coordinate's step shrinks with its accumulated squared gradients."""

    def __init__(self, params, lr: float = 1e-2, lr_decay: float = 0.0, weight_decay: float = 0.0,
                 initial_accumulator_value: float = 0.0, eps: float = 1e-10, *,
                 maximize: bool = False):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      eps=eps, maximize=maximize))
        for group in self.param_groups:
            for p in group["params"]:
                self.state[p] = {"step": 0.0, "sum": np.full_like(
                    p._data, group["initial_accumulator_value"])}

    def _check_group(self, group):
        super()._check_group(group)
        _check(self, group, lr_decay=(0, math.inf), weight_decay=(0, math.inf),
               initial_accumulator_value=(0, math.inf), eps=(0, math.inf))

    def _update(self, group, params, grads):
        maximize, weight_decay, eps = group["maximize"], group["weight_decay"], group["eps"]
        for p, g in zip(params, grads):
            state = self.state[p]
            state["step"] += 1
            clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])

            def kernel(p, g, total, s, t, clr=clr):
                g = _grad(g, p, s, t, maximize, weight_decay)
                np.add(total, np.multiply(g, g, t), total)  # sum += g * g
                # p -= clr * g / (sqrt(sum) + eps)
                denom = np.add(np.sqrt(total, t), eps, t)
                np.subtract(p, np.divide(np.multiply(g, clr, s), denom, s), p)

            self._in_place(kernel, [p._data, g, state["sum"]])
