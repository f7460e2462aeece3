"""Activation layers: each wraps the ``wg.nn.functional`` function of the same name
with its settings (PyTorch's classes, arguments and defaults)."""

from __future__ import annotations

import inspect

from . import functional as F
from .module import Module

# (class name, functional name, {argument: default}, one-line description)
_ACTIVATIONS = [
    ("ReLU", "relu", {"inplace": False}, "max(x, 0)"),
    ("ReLU6", "relu6", {"inplace": False}, "min(max(x, 0), 6)"),
    ("LeakyReLU", "leaky_relu", {"negative_slope": 0.01, "inplace": False},
     "x for x >= 0, negative_slope * x below"),
    ("ELU", "elu", {"alpha": 1.0, "inplace": False}, "x above 0, alpha * (exp(x) - 1) below"),
    ("SELU", "selu", {"inplace": False}, "scaled ELU with self-normalizing constants"),
    ("CELU", "celu", {"alpha": 1.0, "inplace": False},
     "max(0, x) + min(0, alpha * (exp(x / alpha) - 1))"),
    ("GELU", "gelu", {"approximate": "none"}, "x * Phi(x) (or its tanh approximation)"),
    ("SiLU", "silu", {"inplace": False}, "x * sigmoid(x)"),
    ("Mish", "mish", {"inplace": False}, "x * tanh(softplus(x))"),
    ("Softplus", "softplus", {"beta": 1.0, "threshold": 20.0},
     "log(1 + exp(beta * x)) / beta, linear above threshold"),
    ("Softsign", "softsign", {}, "x / (1 + |x|)"),
    ("Hardtanh", "hardtanh", {"min_val": -1.0, "max_val": 1.0, "inplace": False},
     "x clamped to [min_val, max_val]"),
    ("Hardsigmoid", "hardsigmoid", {"inplace": False}, "relu6(x + 3) / 6"),
    ("Hardswish", "hardswish", {"inplace": False}, "x * relu6(x + 3) / 6"),
    ("LogSigmoid", "logsigmoid", {}, "log(sigmoid(x)), computed stably"),
    ("GLU", "glu", {"dim": -1}, "first half * sigmoid(second half) along dim"),
    ("Sigmoid", "sigmoid", {}, "1 / (1 + exp(-x))"),
    ("Tanh", "tanh", {}, "hyperbolic tangent"),
    ("Threshold", "threshold", {"threshold": None, "value": None, "inplace": False},
     "x above threshold, value elsewhere"),
    ("Softmax", "softmax", {"dim": None}, "exp(x) / sum(exp(x)) along dim"),
    ("LogSoftmax", "log_softmax", {"dim": None}, "log(softmax(x)) along dim, computed stably"),
    ("Softmin", "softmin", {"dim": None}, "softmax(-x) along dim"),
]

# Arguments accepted for PyTorch compatibility that do not reach the function:
# wengert's activations never write into their input.
_IGNORED = {"inplace"}


def _activation_class(name: str, function: str, defaults: dict, description: str) -> type:
    parameters = [inspect.Parameter(k, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                    default=inspect.Parameter.empty if v is None else v)
                  for k, v in defaults.items()]
    signature = inspect.Signature([inspect.Parameter("self", inspect.Parameter.POSITIONAL_ONLY),
                                   *parameters])

    def __init__(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        Module.__init__(self)
        for key in defaults:
            setattr(self, key, bound.arguments[key])

    passed = tuple(k for k in defaults if k not in _IGNORED)
    if passed:
        def forward(self, input):  # noqa: A002
            return getattr(F, function)(input, **{k: getattr(self, k) for k in passed})
    else:  # (ReLU, Tanh, ...: a plain call, no settings to gather)
        def forward(self, input):  # noqa: A002
            return getattr(F, function)(input)

    def extra_repr(self):
        return ", ".join(f"{k}={getattr(self, k)!r}" for k in defaults
                         if getattr(self, k) != defaults[k])

    __init__.__signature__ = signature
    doc = (f"Applies ``wg.nn.functional.{function}``: {description}.\n\n"
           f"Arguments and defaults as PyTorch's ``nn.{name}``"
           + (f": {', '.join(f'{k}={v!r}' for k, v in defaults.items())}." if defaults else ".")
           + ("\n\n``inplace`` is accepted and ignored (results are always new tensors)."
              if "inplace" in defaults else ""))
    return type(name, (Module,), {"__init__": __init__, "forward": forward,
                                  "extra_repr": extra_repr, "__doc__": doc,
                                  "__module__": __name__})


for _spec in _ACTIVATIONS:
    globals()[_spec[0]] = _activation_class(*_spec)

__all__ = [spec[0] for spec in _ACTIVATIONS]
