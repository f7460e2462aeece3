"""Finite-difference checks of every differentiable primitive, in both modes and to second order.

``SPECS`` maps each registered primitive to a list of cases (inputs in a domain
where the primitive is smooth, plus its static parameters). Each case is
applied with ``wengert._primitive.bind`` and checked, per differentiable input,
against central differences of the primitive's NumPy implementation:

* ``reverse``: ``<J^T u, v>`` (VJP) equals ``<u, J v>`` (FD), the gradient has
  the input's shape and dtype;
* ``forward``: the JVP ``J v`` equals the FD directional derivative;
* ``reverse_over_reverse``: the gradient of ``<grad L, w>`` (``create_graph``)
  equals the FD of that scalar computed from first-order gradients, where
  ``L = <u, y> + <u2, y * y> / 2`` (the quadratic term makes the cotangent depend
  on the inputs, so even linear primitives get a nonzero second derivative);
* ``forward_over_reverse``: the tangent of ``grad <u, y>`` computed from dual
  inputs equals the FD of the first-order gradient (a Hessian-vector product);
* ``reverse_over_forward``: the gradient of ``<u, J (v * x_j)>`` (a tangent that
  itself depends on the input) equals its FD;
* ``forward_over_forward``: nested dual levels give ``d/de J(x + e v) w``.

All computations are float64 except the cases that exercise float32 inputs;
those use dyadic values and steps, so that the perturbed inputs are exact.

Complex (complex128) inputs and outputs are checked the same way with the real
inner product ``<a, b> = Re(sum(conj(a) * b))``: directions are complex,
finite differences move real and imaginary parts together, and a gradient is
``dL/dx + i dL/dy`` (PyTorch's convention), which is exactly the adjoint for
that inner product. Real cases draw the same numbers as before.
"""

from __future__ import annotations

import zlib

import numpy as np
import pytest

import wengert as wg
import wengert.autograd.forward_ad as fwAD
from wengert._primitive import REGISTRY, bind
from wengert.testing.cases import (
    ALL_CASES,
    C128,
    F64,
    KNOWN_BUGS,
    NONDIFFERENTIABLE,
    SPECS,
    Case,
    distinct,
)

# -- numerics ----------------------------------------------------------------


def _seed(case: Case, check: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(f"{case.id}/{check}".encode()))


def direction(rng, shape, dtype=None) -> np.ndarray:
    """A random direction with dyadic entries (multiples of 1/8, exact in float32);
    complex for a complex ``dtype``."""
    d = np.round(rng.standard_normal(shape) * 8) / 8
    if dtype is not None and np.dtype(dtype).kind == "c":
        d = d + 1j * (np.round(rng.standard_normal(shape) * 8) / 8)
    return d


def num(x) -> np.ndarray:
    """Values as float64, or complex128 when complex."""
    return np.asarray(x, dtype=C128 if np.iscomplexobj(x) else F64)


def vdot(a, b) -> float:
    """The real inner product ``Re(sum(conj(a) * b))``."""
    if np.iscomplexobj(a) or np.iscomplexobj(b):
        return float(np.sum(np.real(np.conj(num(a)) * num(b))))
    return float(np.sum(np.asarray(a, dtype=F64) * np.asarray(b, dtype=F64)))


def close(actual, expected, tol, what=""):
    np.testing.assert_allclose(num(actual), num(expected), rtol=tol, atol=tol, err_msg=what)


def data(t, shape=None) -> np.ndarray:
    """A tensor's values as float64 or complex128 (zeros for a missing derivative)."""
    if t is None:
        return np.zeros(shape)
    return num(t._data)


def perturbed(arrays, i, h, v):
    out = list(arrays)
    out[i] = np.asarray(arrays[i] + h * v, dtype=arrays[i].dtype)
    return out


def fd(fun, arrays, i, v, h):
    """Central difference of ``fun`` along ``v`` in input ``i``."""
    plus = num(fun(perturbed(arrays, i, h, v)))
    minus = num(fun(perturbed(arrays, i, -h, v)))
    return (plus - minus) / (2 * h)


def reference(case: Case, arrays):
    """The primitive's NumPy implementation."""
    return REGISTRY[case.prim].impl(*arrays, *case.params)


def tensors(case: Case, arrays, requires_grad=False) -> list:
    """``bind`` arguments: tensors for the differentiable inputs, the rest raw."""
    return [wg.tensor(a, dtype=a.dtype, requires_grad=requires_grad) if i in case.diff else a
            for i, a in enumerate(arrays)]


def call(case: Case, args):
    return bind(REGISTRY[case.prim], tuple(args), case.params)


def out_shape(case: Case):
    return np.shape(reference(case, case.arrays))


def out_dtype(case: Case):
    return np.asarray(reference(case, case.arrays)).dtype


def const(x, like):
    return wg.tensor(x, dtype=like.dtype)


def pair(y, u):
    """``<u, y>`` as a real scalar tensor (``Re(sum(conj(u) * y))`` for complex ``y``)."""
    if y.dtype.kind == "c":
        return wg.real((y * const(np.conj(u), y)).sum())
    return (y * const(u, y)).sum()


def loss(y, u, u2=None):
    """``<u, y>``, plus ``<u2, y * y> / 2`` when ``u2`` is given."""
    total = pair(y, u)
    if u2 is not None:
        total = total + pair(y * y, u2 / 2)
    return total


def first_grads(case: Case, arrays, u, u2=None) -> list[np.ndarray]:
    """Gradients of ``loss`` (first order, nothing recorded) per differentiable input."""
    args = tensors(case, arrays, requires_grad=True)
    xs = [args[i] for i in case.diff]
    gs = wg.grad(loss(call(case, args), u, u2), xs, allow_unused=True)
    return [data(g, arrays[i].shape) for i, g in zip(case.diff, gs)]


def jvp(case: Case, arrays, i, tangent) -> np.ndarray:
    """Plain forward mode: ``J_i tangent``."""
    with fwAD.dual_level():
        args = tensors(case, arrays)
        args[i] = fwAD.make_dual(args[i], wg.tensor(tangent, dtype=arrays[i].dtype))
        y = call(case, args)
        return data(fwAD.unpack_dual(y).tangent, y.shape)


def params_for(check: str):
    out = []
    for c in ALL_CASES:
        reason = KNOWN_BUGS.get((check, c.id)) or KNOWN_BUGS.get((check, c.prim))
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        out.append(pytest.param(c, id=c.id, marks=marks))
    return out


# -- coverage ----------------------------------------------------------------


def test_every_primitive_has_a_check():
    differentiable = {n for n, p in REGISTRY.items() if p.rule is not None}
    nondifferentiable = {n for n, p in REGISTRY.items() if p.rule is None}
    assert set(SPECS) == differentiable, (
        f"missing checks: {sorted(differentiable - set(SPECS))}; "
        f"unknown names: {sorted(set(SPECS) - differentiable)}")
    assert nondifferentiable == NONDIFFERENTIABLE
    assert all(SPECS[n] for n in SPECS)
    for c in ALL_CASES:  # every case has something to differentiate and a valid reference
        assert c.diff, c.id
        assert np.all(np.isfinite(num(reference(c, c.arrays)))), c.id
    ids = [c.id for c in ALL_CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", sorted(NONDIFFERENTIABLE))
def test_nondifferentiable_primitive_records_nothing(name):
    prim = REGISTRY[name]
    a, b = distinct((2, 3), (2, 3))
    a[0, 0] = b[0, 0]  # one tie, so that eq/ne/le/ge see both outcomes
    if name in ("argmax", "argmin"):
        arrays, params = [a], (1, False)
    elif name == "logical_not":
        arrays, params = [np.where(a > 0, a, 0.0)], ()
    elif name.startswith("logical"):
        arrays, params = [np.where(a > 0, a, 0.0), np.where(b > 0, b, 0.0)], ()
    else:
        arrays, params = [a, b], ()
    expected = prim.impl(*arrays, *params)
    xs = [wg.tensor(x, dtype=F64, requires_grad=True) for x in arrays]
    out = bind(prim, tuple(xs), params)
    assert not out.requires_grad
    np.testing.assert_array_equal(out.numpy(), expected)
    with fwAD.dual_level():
        duals = [fwAD.make_dual(wg.tensor(x, dtype=F64), wg.ones(*x.shape, dtype=F64))
                 for x in arrays]
        out = bind(prim, tuple(duals), params)
        assert fwAD.unpack_dual(out).tangent is None
        np.testing.assert_array_equal(out._data, expected)


# -- first order -------------------------------------------------------------


@pytest.mark.parametrize("case", params_for("reverse"))
def test_reverse(case: Case):
    """``<J^T u, v> == <u, FD(J v)>`` per input; gradients have the input's shape and dtype."""
    rng = _seed(case, "reverse")
    arrays = case.arrays
    args = tensors(case, arrays, requires_grad=True)
    y = call(case, args)
    np.testing.assert_allclose(data(y), num(reference(case, arrays)), rtol=1e-15)
    u = direction(rng, y.shape, y.dtype)
    gs = wg.grad(y, [args[i] for i in case.diff], grad_outputs=(u,), allow_unused=True)
    for i, g in zip(case.diff, gs):
        x = arrays[i]
        if g is not None:
            assert g.shape == x.shape, f"input {i}: gradient shape {g.shape}, expected {x.shape}"
            assert g.dtype == x.dtype, f"input {i}: gradient dtype {g.dtype}, expected {x.dtype}"
        v = direction(rng, x.shape, x.dtype)
        expected = vdot(u, fd(lambda a: reference(case, a), arrays, i, v, case.h1))
        close(vdot(data(g, x.shape), v), expected, case.tol, f"input {i}")


@pytest.mark.parametrize("case", params_for("forward"))
def test_forward(case: Case):
    """The JVP along ``v`` equals the FD directional derivative, elementwise."""
    rng = _seed(case, "forward")
    arrays = case.arrays
    shape = out_shape(case)
    for i in case.diff:
        v = direction(rng, arrays[i].shape, arrays[i].dtype)
        with fwAD.dual_level():
            args = tensors(case, arrays)
            args[i] = fwAD.make_dual(args[i], wg.tensor(v, dtype=arrays[i].dtype))
            y = call(case, args)
            primal, t = fwAD.unpack_dual(y)
        np.testing.assert_allclose(data(primal), num(reference(case, arrays)), rtol=1e-15)
        if t is not None:
            assert t.shape == shape, f"input {i}: tangent shape {t.shape}, expected {shape}"
            assert t.dtype == y.dtype, f"input {i}: tangent dtype {t.dtype}, expected {y.dtype}"
        expected = fd(lambda a: reference(case, a), arrays, i, v, case.h1)
        close(data(t, shape), expected, case.tol, f"input {i}")


# -- second order ------------------------------------------------------------


@pytest.mark.parametrize("case", params_for("reverse_over_reverse"))
def test_reverse_over_reverse(case: Case):
    """grad of ``s = sum_i <grad_i L, w_i>`` (create_graph) against FD of ``s``."""
    rng = _seed(case, "reverse_over_reverse")
    arrays = case.arrays
    shape, dtype = out_shape(case), out_dtype(case)
    u, u2 = direction(rng, shape, dtype), direction(rng, shape, dtype)
    ws = [direction(rng, arrays[i].shape, arrays[i].dtype) for i in case.diff]

    def s_fast(a):
        return sum(vdot(g, w) for g, w in zip(first_grads(case, a, u, u2), ws))

    args = tensors(case, arrays, requires_grad=True)
    xs = [args[i] for i in case.diff]
    gs = wg.grad(loss(call(case, args), u, u2), xs, create_graph=True, allow_unused=True)
    # the recorded (DIFF) first derivative agrees with the fast (FAST) one
    for g, g_fast, i in zip(gs, first_grads(case, arrays, u, u2), case.diff):
        close(data(g, arrays[i].shape), g_fast, case.tol * 1e-3, f"create_graph grad {i}")
    terms = [pair(g, w) for g, w in zip(gs, ws) if g is not None and g.requires_grad]
    if terms:
        s = terms[0]
        for t in terms[1:]:
            s = s + t
        hs = wg.grad(s, xs, allow_unused=True)
    else:
        hs = [None] * len(xs)
    for i, h in zip(case.diff, hs):
        if h is not None:
            assert h.shape == arrays[i].shape
        v = direction(rng, arrays[i].shape, arrays[i].dtype)
        expected = fd(s_fast, arrays, i, v, case.h2)
        close(vdot(data(h, arrays[i].shape), v), expected, case.tol, f"input {i}")


@pytest.mark.parametrize("case", params_for("forward_over_reverse"))
def test_forward_over_reverse(case: Case):
    """Tangent of ``grad <u, y>`` computed from a dual input: a Hessian-vector product."""
    rng = _seed(case, "forward_over_reverse")
    arrays = case.arrays
    shape, dtype = out_shape(case), out_dtype(case)
    u, u2 = direction(rng, shape, dtype), direction(rng, shape, dtype)
    for j in case.diff:
        v = direction(rng, arrays[j].shape, arrays[j].dtype)
        with fwAD.dual_level():
            args = tensors(case, arrays, requires_grad=True)
            xs = [args[i] for i in case.diff]
            args[j] = fwAD.make_dual(args[j], wg.tensor(v, dtype=arrays[j].dtype))
            gs = wg.grad(loss(call(case, args), u, u2), xs, create_graph=True, allow_unused=True)
            tangents = [None if g is None else fwAD.unpack_dual(g).tangent for g in gs]
        expected = fd(lambda a: np.concatenate([g.ravel() for g in first_grads(case, a, u, u2)]),
                      arrays, j, v, case.h2)
        actual = np.concatenate([data(t, arrays[i].shape).ravel()
                                 for i, t in zip(case.diff, tangents)])
        close(actual, expected, case.tol, f"direction in input {j}")


@pytest.mark.parametrize("case", params_for("reverse_over_forward"))
def test_reverse_over_forward(case: Case):
    """grad of ``r = <u, J_j (v * x_j)>`` (a recorded JVP whose tangent depends on x_j)."""
    rng = _seed(case, "reverse_over_forward")
    arrays = case.arrays
    u = direction(rng, out_shape(case), out_dtype(case))
    for j in case.diff:
        v = direction(rng, arrays[j].shape, arrays[j].dtype)

        def r_fast(a):
            return vdot(u, jvp(case, a, j, a[j] * v))

        with fwAD.dual_level():
            args = tensors(case, arrays, requires_grad=True)
            xs = [args[i] for i in case.diff]
            args[j] = fwAD.make_dual(args[j], args[j] * const(v, args[j]))
            t = fwAD.unpack_dual(call(case, args)).tangent
            if t is not None and t.requires_grad:
                gs = wg.grad(pair(t, u), xs, allow_unused=True)
            else:
                gs = [None] * len(xs)
        for i, g in zip(case.diff, gs):
            w = direction(rng, arrays[i].shape, arrays[i].dtype)
            expected = fd(r_fast, arrays, i, w, case.h2)
            close(vdot(data(g, arrays[i].shape), w), expected, case.tol,
                  f"tangent in input {j}, gradient of input {i}")


@pytest.mark.parametrize("case", params_for("forward_over_forward"))
def test_forward_over_forward(case: Case):
    """Nested dual levels: ``d/de J_i(x + e v_j) w_i`` for every pair of inputs."""
    rng = _seed(case, "forward_over_forward")
    arrays = case.arrays
    shape = out_shape(case)
    for j in case.diff:
        for i in case.diff:
            v = direction(rng, arrays[j].shape, arrays[j].dtype)
            w = direction(rng, arrays[i].shape, arrays[i].dtype)
            with fwAD.dual_level() as outer, fwAD.dual_level() as inner:
                args = tensors(case, arrays)
                args[j] = fwAD.make_dual(args[j], wg.tensor(v, dtype=arrays[j].dtype),
                                         level=outer)
                args[i] = fwAD.make_dual(args[i], wg.tensor(w, dtype=arrays[i].dtype),
                                         level=inner)
                y = call(case, args)
                t_inner = fwAD.unpack_dual(y, level=inner).tangent
                t_outer = fwAD.unpack_dual(y, level=outer).tangent
                tt = (None if t_inner is None
                      else fwAD.unpack_dual(t_inner, level=outer).tangent)
            close(data(t_outer, shape), jvp(case, arrays, j, v), case.tol,
                  f"outer tangent, input {j}")
            close(data(t_inner, shape), jvp(case, arrays, i, w), case.tol,
                  f"inner tangent, input {i}")
            expected = fd(lambda a: jvp(case, a, i, w), arrays, j, v, case.h2)
            close(data(tt, shape), expected, case.tol, f"outer input {j}, inner input {i}")


# -- conventions at kinks and ties (not differentiable: no FD, but both modes must agree) --

KINKS = [
    ("maximum", [np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [3.0, 5.0]])], (),
     [np.array([[0.5, 1.0], [0.5, 0.0]]), np.array([[0.5, 0.0], [0.5, 1.0]])]),
    ("minimum", [np.array([[1.0, 2.0], [3.0, 4.0]]), np.array([[1.0, 0.0], [3.0, 5.0]])], (),
     [np.array([[0.5, 0.0], [0.5, 1.0]]), np.array([[0.5, 1.0], [0.5, 0.0]])]),
    ("amax", [np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]])], (1, False),
     [np.array([[0.0, 0.5, 0.5], [0.5, 0.5, 0.0]])]),
    ("amax", [np.array([[1.0, 3.0, 3.0], [2.0, 3.0, 0.0]])], (None, False),
     [np.array([[0.0, 1, 1], [0, 1, 0]]) / 3]),
    ("amin", [np.array([[0.0, 3.0, 0.0], [2.0, 2.0, 1.0]])], ((0, 1), True),
     [np.array([[0.5, 0.0, 0.5], [0.0, 0.0, 0.0]])]),
    ("relu", [np.array([-1.0, 0.0, 2.0])], (), [np.array([0.0, 0.0, 1.0])]),
    ("abs", [np.array([-1.0, 0.0, 2.0])], (), [np.array([-1.0, 0.0, 1.0])]),
    ("sign", [np.array([-1.0, 0.0, 2.0])], (), [np.array([0.0, 0.0, 0.0])]),
    ("clamp", [np.array([-0.5, 0.0, 0.5, 1.0, -2.0])], (-0.5, 0.5),
     [np.array([1.0, 1.0, 1.0, 0.0, 0.0])]),
]


@pytest.mark.parametrize(("name", "arrays", "params", "expected"), KINKS,
                         ids=[f"{k[0]}-{i}" for i, k in enumerate(KINKS)])
def test_kink_conventions(name, arrays, params, expected):
    """At ties and kinks: the documented one-sided/split derivative, the same in both modes."""
    c = Case(name, "kink", tuple(arrays), params)
    xs = tensors(c, arrays, requires_grad=True)
    y = call(c, xs)
    gs = wg.grad(y, xs, grad_outputs=(np.ones(y.shape),), retain_graph=True, allow_unused=True)
    for g, e, x in zip(gs, expected, arrays):
        close(data(g, x.shape), e, 1e-15)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    u = direction(rng, y.shape)
    gs = wg.grad(y, xs, grad_outputs=(u,), allow_unused=True)
    for i, g in enumerate(gs):  # <u, J v> (forward) == <J^T u, v> (reverse)
        v = direction(rng, arrays[i].shape)
        close(vdot(u, jvp(c, arrays, i, v)), vdot(data(g, arrays[i].shape), v), 1e-12)
