"""Check derivatives against finite differences: ``gradcheck`` and ``gradgradcheck``.

The reverse-mode Jacobian (one backward pass per output element), the
forward-mode Jacobian (one dual pass per input element) and the central
finite-difference Jacobian are built column by column and compared. A failure
reports the worst element: which output and input, where, the analytic and
numerical values and the difference.

Complex inputs and outputs are seen as pairs of reals: each complex input
element is perturbed along its real and its imaginary part, each complex
output element contributes its real and its imaginary part. A gradient is
``dL/dx + i dL/dy`` (PyTorch's convention): its real part is the column of the
real perturbation, its imaginary part that of the imaginary one.

>>> import wengert as wg
>>> x = wg.tensor([0.3, -1.2], dtype=wg.float64, requires_grad=True)
>>> wg.autograd.gradcheck(lambda t: wg.sin(t) * t, (x,))
True
>>> z = wg.tensor([0.3 + 1j], dtype=wg.complex128, requires_grad=True)
>>> wg.autograd.gradcheck(lambda t: wg.exp(t) * t, (z,))
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .._tensor import TENSOR_TYPES, _wrap
from .engine import grad


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when a derivative disagrees with finite differences."""


def gradcheck(func: Callable, inputs, *, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True,
              check_forward_ad: bool = True, check_backward_ad: bool = True) -> bool:
    """Compare ``func``'s derivatives with central finite differences.

    Args:
        func: takes the tensors ``inputs`` and returns a tensor or a tuple of them.
        inputs: a tensor or a sequence of tensors; those that require grad are
            checked, and should be float64 or complex128 (finite differences in
            float32 are too coarse to tell a wrong derivative from rounding).
        eps: the finite-difference step.
        atol, rtol: an element passes when ``|analytic - numerical| <= atol +
            rtol * |numerical|``.
        raise_exception: raise ``GradcheckError`` on failure (else return False).
        check_forward_ad: also check forward mode (dual tensors).
        check_backward_ad: check reverse mode.

    Returns:
        True when every checked derivative agrees.
    """
    inputs = _as_inputs(inputs)
    wrt = [i for i, t in enumerate(inputs) if t.requires_grad]
    if not wrt:
        raise ValueError("gradcheck: no input requires grad, so there is nothing to check")
    for i in wrt:
        if inputs[i].dtype not in (np.float64, np.complex128):
            raise ValueError(
                f"gradcheck: input {i} has dtype {inputs[i].dtype}; finite differences need "
                "float64 or complex128 inputs (convert with .double()) to tell errors from "
                "rounding")
    outputs = _call(func, inputs)
    numerical = _numerical_jacobian(func, inputs, wrt, outputs, eps)
    modes = []
    if check_backward_ad:
        modes.append(("reverse mode", _reverse_jacobian(inputs, wrt, outputs)))
    if check_forward_ad:
        modes.append(("forward mode", _forward_jacobian(func, inputs, wrt, outputs)))
    for mode, analytic in modes:
        failure = _worst_mismatch(analytic, numerical, outputs, inputs, wrt, atol, rtol)
        if failure is not None:
            if raise_exception:
                raise GradcheckError(f"gradcheck failed in {mode}:\n{failure}")
            return False
    return True


def gradgradcheck(func: Callable, inputs, grad_outputs=None, *, eps: float = 1e-6,
                  atol: float = 1e-5, rtol: float = 1e-3, raise_exception: bool = True,
                  check_forward_ad: bool = True) -> bool:
    """Check second derivatives: ``gradcheck`` of the map (inputs, v) -> v^T J(inputs).

    ``grad_outputs`` (one per output of ``func``) are random float64 tensors
    (complex128 for complex outputs) when not given; they are differentiated
    too, as in PyTorch.
    """
    inputs = _as_inputs(inputs)
    outputs = _call(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(_wrap(_random_like(rng, o)).requires_grad_() for o in outputs)
    else:
        grad_outputs = _as_inputs(grad_outputs)
    n = len(inputs)
    wrt = [i for i, t in enumerate(inputs) if t.requires_grad]

    def first_derivative(*args):
        xs, vs = args[:n], args[n:]
        outs = _call(func, xs)
        used = [xs[i] for i in wrt]
        grads = grad(outs, used, vs, create_graph=True, allow_unused=True)
        return tuple(g if g is not None else used[k] * 0 for k, g in enumerate(grads))

    return gradcheck(first_derivative, (*inputs, *grad_outputs), eps=eps, atol=atol,
                     rtol=rtol, raise_exception=raise_exception,
                     check_forward_ad=check_forward_ad)


def _random_like(rng, t):
    values = rng.standard_normal(t.shape)
    if t.dtype.kind == "c":
        values = values + 1j * rng.standard_normal(t.shape)
    return values


# -- the three Jacobians, as lists of blocks J[k][i] (output k, input i) ----------
# Rows and columns count real coordinates: a complex element is two of them
# (real part, then imaginary part), in the order of ``_real_coordinates``.


def _is_complex(t) -> bool:
    return t._data.dtype.kind == "c"


def _size(t) -> int:
    """How many real numbers ``t`` holds."""
    return t._data.size * (2 if _is_complex(t) else 1)


def _real_coordinates(values) -> np.ndarray:
    """``values`` flattened to float64, a complex element as (real, imaginary)."""
    values = np.asarray(values)
    if values.dtype.kind == "c":
        return np.stack((values.real, values.imag), axis=-1).reshape(-1).astype(np.float64)
    return np.asarray(values, dtype=np.float64).reshape(-1)


def _unit(t, j) -> np.ndarray:
    """The direction of real coordinate ``j`` of ``t``: a one-hot array of ``t``'s dtype."""
    unit = np.zeros(t._data.size, dtype=t._data.dtype)
    if _is_complex(t):
        unit[j // 2] = 1j if j % 2 else 1
    else:
        unit[j] = 1
    return unit.reshape(t.shape)


def _blocks(outputs, inputs, wrt):
    return [{i: np.zeros((_size(o), _size(inputs[i]))) for i in wrt} for o in outputs]


def _as_inputs(inputs) -> tuple:
    if type(inputs) in TENSOR_TYPES:
        return (inputs,)
    if not isinstance(inputs, Sequence) or not all(type(t) in TENSOR_TYPES for t in inputs):
        raise TypeError("gradcheck: inputs must be a Tensor or a sequence of Tensors")
    return tuple(inputs)


def _call(func, inputs) -> tuple:
    out = func(*inputs)
    outs = (out,) if type(out) in TENSOR_TYPES or not isinstance(out, (tuple, list)) \
        else tuple(out)
    for k, o in enumerate(outs):
        if type(o) not in TENSOR_TYPES:
            raise TypeError(f"gradcheck: output {k} of the function is a "
                            f"{type(o).__name__}, not a Tensor")
    return outs


def _numerical_jacobian(func, inputs, wrt, outputs, eps):
    jac = _blocks(outputs, inputs, wrt)
    # Recording stays on: the function may itself differentiate (gradgradcheck).
    for i in wrt:
        base = np.array(inputs[i]._data)
        for j in range(_size(inputs[i])):
            step = eps * _unit(inputs[i], j)
            values = []
            for sign in (1, -1):
                args = list(inputs)
                args[i] = _wrap(base + sign * step).requires_grad_()
                values.append(_call(func, args))
            for k in range(len(outputs)):
                plus, minus = (_real_coordinates(v[k]._data) for v in values)
                jac[k][i][:, j] = (plus - minus) / (2 * eps)
    return jac


def _reverse_jacobian(inputs, wrt, outputs):
    # The gradient of Re(<seed, out>): seed 1 picks an output's real part, seed i
    # (then Re(conj(i) out) = Im(out)) its imaginary part.
    jac = _blocks(outputs, inputs, wrt)
    targets = [inputs[i] for i in wrt]
    for k, out in enumerate(outputs):
        if not out.requires_grad:
            continue  # a constant output: its row of zeros is right
        for m in range(_size(out)):
            grads = grad(out, targets, _wrap(_unit(out, m)), retain_graph=True,
                         allow_unused=True)
            for i, g in zip(wrt, grads):
                if g is not None:
                    jac[k][i][m, :] = _real_coordinates(g._data)
    return jac


def _forward_jacobian(func, inputs, wrt, outputs):
    from . import forward_ad as fw

    jac = _blocks(outputs, inputs, wrt)
    for i in wrt:
        x = inputs[i]
        for j in range(_size(x)):
            with fw.dual_level():
                args = list(inputs)
                # The primal still requires grad: the function may differentiate.
                primal = _wrap(x._data).requires_grad_()
                args[i] = fw.make_dual(primal, _wrap(_unit(x, j)))
                outs = _call(func, args)
                for k, o in enumerate(outs):
                    t = fw.unpack_dual(o).tangent
                    if t is not None:
                        jac[k][i][:, j] = _real_coordinates(np.asarray(t._data, o.dtype))
    return jac


def _worst_mismatch(analytic, numerical, outputs, inputs, wrt, atol, rtol) -> str | None:
    """A readable table of the worst disagreeing element, or None if all agree."""
    worst = None
    for k in range(len(outputs)):
        for i in wrt:
            a, n = analytic[k][i], numerical[k][i]
            if not a.size:
                continue
            # How far each element is beyond its tolerance; a NaN on one side only is
            # infinitely far.
            beyond = np.where(np.isnan(a) != np.isnan(n), np.inf,
                              np.abs(a - n) - (atol + rtol * np.abs(n)))
            m, j = np.unravel_index(np.nanargmax(beyond), beyond.shape)
            if beyond[m, j] > 0 and (worst is None or beyond[m, j] > worst[0]):
                worst = (beyond[m, j], k, i, m, j, a[m, j], n[m, j])
    if worst is None:
        return None
    _, k, i, m, j, a, n = worst
    rows = [("output", f"{k} at {_position(outputs[k], m)}"),
            ("input", f"{i} at {_position(inputs[i], j)}"),
            ("analytic d out / d in", repr(float(a))),
            ("numerical (central differences)", repr(float(n))),
            ("difference", repr(float(a - n)))]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)


def _position(t, coordinate: int) -> str:
    """Where real coordinate ``coordinate`` of ``t`` is: an index, and the part if complex."""
    element, part = (coordinate // 2, (" (real part)", " (imaginary part)")[coordinate % 2]) \
        if _is_complex(t) else (coordinate, "")
    index = np.unravel_index(element, t.shape) if t.shape else ()
    return f"{tuple(int(v) for v in index)}{part}"


__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]
