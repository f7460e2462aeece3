"""The first-order optimizers, each exactly PyTorch's update rule (its default,
single-tensor form), computed in place on the parameters' arrays."""

from __future__ import annotations

import math

import numpy as np

from .optimizer import Optimizer

__all__ = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad"]


def _decayed(grad, param, weight_decay):
    """L2 regularization folded into the gradient (not AdamW's decoupled decay)."""
    return grad + weight_decay * param if weight_decay else grad


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
        for p, g in zip(params, grads):
            g = _decayed(g, p._data, group["weight_decay"])
            if momentum:
                state = self.state.setdefault(p, {})
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = state["momentum_buffer"] = np.array(g, dtype=p.dtype, copy=True)
                else:
                    buf *= momentum
                    buf += (1 - dampening) * g
                g = g + momentum * buf if group["nesterov"] else buf
            p._data -= lr * g


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
        for p, g in zip(params, grads):
            if self.decoupled:
                p._data *= 1 - lr * group["weight_decay"]
            else:
                g = _decayed(g, p._data, group["weight_decay"])
            state = self.state.setdefault(p, {})
            if not state:
                state["step"] = 0.0
                state["exp_avg"] = np.zeros_like(p._data)
                state["exp_avg_sq"] = np.zeros_like(p._data)
                if group["amsgrad"]:
                    state["max_exp_avg_sq"] = np.zeros_like(p._data)
            state["step"] += 1
            m, v, step = state["exp_avg"], state["exp_avg_sq"], state["step"]
            m += (1 - beta1) * (g - m)  # PyTorch's lerp
            v *= beta2
            v += (1 - beta2) * g * g
            if group["amsgrad"]:
                np.maximum(state["max_exp_avg_sq"], v, out=state["max_exp_avg_sq"])
                v = state["max_exp_avg_sq"]
            bias1, bias2_sqrt = 1 - beta1**step, math.sqrt(1 - beta2**step)
            denom = np.sqrt(v) / bias2_sqrt + eps
            p._data -= (lr / bias1) * m / denom


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
        for p, g in zip(params, grads):
            g = _decayed(g, p._data, group["weight_decay"])
            state = self.state.setdefault(p, {})
            if not state:
                state["step"] = 0.0
                state["square_avg"] = np.zeros_like(p._data)
                if momentum > 0:
                    state["momentum_buffer"] = np.zeros_like(p._data)
                if group["centered"]:
                    state["grad_avg"] = np.zeros_like(p._data)
            state["step"] += 1
            square_avg = state["square_avg"]
            square_avg *= alpha
            square_avg += (1 - alpha) * g * g
            if group["centered"]:
                grad_avg = state["grad_avg"]
                grad_avg += (1 - alpha) * (g - grad_avg)
                avg = np.sqrt(square_avg - grad_avg * grad_avg) + eps
            else:
                avg = np.sqrt(square_avg) + eps
            if momentum > 0:
                buf = state["momentum_buffer"]
                buf *= momentum
                buf += g / avg
                p._data -= lr * buf
            else:
                p._data -= lr * g / avg


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
        for p, g in zip(params, grads):
            g = _decayed(g, p._data, group["weight_decay"])
            state = self.state[p]
            state["step"] += 1
            clr = group["lr"] / (1 + (state["step"] - 1) * group["lr_decay"])
            state["sum"] += g * g
            p._data -= clr * g / (np.sqrt(state["sum"]) + group["eps"])
