"""Check derivatives against finite differences: ``gradcheck`` and ``gradgradcheck``.

The reverse-mode Jacobian (one backward pass per output element), the
forward-mode Jacobian (one dual pass per input element) and the central
finite-difference Jacobian are built column by column and compared. A failure
reports the worst element: which output and input, where, the analytic and
numerical values and the difference.

>>> import wengert as wg
>>> x = wg.tensor([0.3, -1.2], dtype=wg.float64, requires_grad=True)
>>> wg.autograd.gradcheck(lambda t: wg.sin(t) * t, (x,))
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
            checked, and should be float64 (finite differences in float32 are
            too coarse to tell a wrong derivative from rounding).
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
        if inputs[i].dtype != np.float64:
            raise ValueError(
                f"gradcheck: input {i} has dtype {inputs[i].dtype}; finite differences need "
                "float64 inputs (convert with .double()) to tell errors from rounding")
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
    when not given; they are differentiated too, as in PyTorch.
    """
    inputs = _as_inputs(inputs)
    outputs = _call(func, inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = tuple(_wrap(rng.standard_normal(o.shape)).requires_grad_()
                             for o in outputs)
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


# -- the three Jacobians, as lists of blocks J[k][i] (output k, input i) ----------


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
    jac = [{i: np.zeros((o._data.size, inputs[i]._data.size)) for i in wrt} for o in outputs]
    # Recording stays on: the function may itself differentiate (gradgradcheck).
    for i in wrt:
        base = np.array(inputs[i]._data, dtype=np.float64)
        flat = base.reshape(-1)
        for j in range(flat.size):
            values = []
            for step in (eps, -eps):
                shifted = flat.copy()
                shifted[j] += step
                args = list(inputs)
                args[i] = _wrap(shifted.reshape(base.shape)).requires_grad_()
                values.append(_call(func, args))
            for k in range(len(outputs)):
                plus, minus = (np.asarray(v[k]._data, dtype=np.float64) for v in values)
                jac[k][i][:, j] = ((plus - minus) / (2 * eps)).reshape(-1)
    return jac


def _reverse_jacobian(inputs, wrt, outputs):
    jac = [{i: np.zeros((o._data.size, inputs[i]._data.size)) for i in wrt} for o in outputs]
    targets = [inputs[i] for i in wrt]
    for k, out in enumerate(outputs):
        if not out.requires_grad:
            continue  # a constant output: its row of zeros is right
        for m in range(out._data.size):
            seed = np.zeros(out._data.size, dtype=out.dtype)
            seed[m] = 1
            grads = grad(out, targets, _wrap(seed.reshape(out.shape)), retain_graph=True,
                         allow_unused=True)
            for i, g in zip(wrt, grads):
                if g is not None:
                    jac[k][i][m, :] = np.asarray(g._data, dtype=np.float64).reshape(-1)
    return jac


def _forward_jacobian(func, inputs, wrt, outputs):
    from . import forward_ad as fw

    jac = [{i: np.zeros((o._data.size, inputs[i]._data.size)) for i in wrt} for o in outputs]
    for i in wrt:
        x = inputs[i]
        for j in range(x._data.size):
            tangent = np.zeros(x._data.size, dtype=x.dtype)
            tangent[j] = 1
            with fw.dual_level():
                args = list(inputs)
                # The primal still requires grad: the function may differentiate.
                primal = _wrap(x._data).requires_grad_()
                args[i] = fw.make_dual(primal, _wrap(tangent.reshape(x.shape)))
                outs = _call(func, args)
                for k, o in enumerate(outs):
                    t = fw.unpack_dual(o).tangent
                    if t is not None:
                        jac[k][i][:, j] = np.asarray(t._data, dtype=np.float64).reshape(-1)
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
    out_index = np.unravel_index(m, outputs[k].shape) if outputs[k].shape else ()
    in_index = np.unravel_index(j, inputs[i].shape) if inputs[i].shape else ()
    rows = [("output", f"{k} at {tuple(int(v) for v in out_index)}"),
            ("input", f"{i} at {tuple(int(v) for v in in_index)}"),
            ("analytic d out / d in", repr(float(a))),
            ("numerical (central differences)", repr(float(n))),
            ("difference", repr(float(a - n)))]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"  {name:<{width}}  {value}" for name, value in rows)


__all__ = ["gradcheck", "gradgradcheck", "GradcheckError"]
